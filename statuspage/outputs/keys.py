"""The keys of outputs rendered only when what they show changed (see `files.Deferred`).

A key sums up everything a page or feed shows. For anything about an incident, that is the
note's digest (its whole text) and the incident's state as of now: phase, status and how
many of its updates are posted. The config, templates, code and libraries are not in
any key: a change to them renders everything again (the page ledger's fingerprint).
"""

from __future__ import annotations

from ..core.model import Incident
from ..core.status import IncidentState
from ..fingerprint import digest


def page_key(*inputs: object) -> str:
    """A key from the plain values (text, numbers, None, enum members, tuples) an output shows."""
    return digest(repr(inputs).encode())


def state_key(incident: Incident, state: IncidentState, *more: object) -> str | None:
    """The key of what is shown of this incident in this state; None for an incident not read
    from a note. The note's digest already sums up its text, so the key is that and the state,
    joined, not hashed again (10,000 pages' worth of hashing was a tenth of a rebuild)."""
    if not incident.digest:
        return None
    # `_value_`, not `.value`: on Python 3.11 the enum property costs microseconds, times 20,000 here.
    shown = f"{incident.digest} {incident.slug} {state.phase._value_} {state.status._value_} {len(state.updates)}"
    return f"{shown} {more!r}" if more else shown
