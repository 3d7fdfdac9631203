"""The keys of outputs rendered only when what they show changed (see `files.Deferred`).

A key sums up everything a page or feed shows. For anything about an incident, that is the
note's digest (its whole text) and the incident's state as of now: phase, status and how
many of its updates are posted. The config, templates, code and libraries are not in
any key: a change to them renders everything again (the page ledger's fingerprint).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from ..core.model import Incident
from ..core.recall import Recall, same
from ..core.status import IncidentState, Summary
from ..core.uptime import MonthUptime
from ..fingerprint import digest


def page_key(*inputs: object) -> str:
    """A key from the plain values (text, numbers, None, enum members, tuples) an output shows."""
    return digest(repr(inputs).encode())


#: Each incident's key, with the very incident and state it was made from: a preview's build
#: finds nearly all of them again (`status.state`), and several outputs ask for each.
_SHOWN: Recall[str] = Recall()


def state_key(incident: Incident, state: IncidentState, *more: object) -> str | None:
    """The key of what is shown of this incident in this state; None for an incident not read
    from a note. The note's digest already sums up its text, so the key is that and the state,
    joined, not hashed again (10,000 pages' worth of hashing was a tenth of a rebuild)."""
    if not incident.digest:
        return None
    shown = _SHOWN.get(incident.slug, incident, state)
    if shown is None:
        # `_value_`, not `.value`: on Python 3.11 the enum property costs microseconds, times 20,000 here.
        made = f"{incident.digest} {incident.slug} {state.phase._value_} {state.status._value_} {len(state.updates)}"
        shown = _SHOWN.keep(incident.slug, made, incident, state)
    return f"{shown} {more!r}" if more else shown


#: Each named listing's key, with the very incidents and states and the inputs it was made from.
_LISTED: dict[str, tuple[list[object], str, str | None]] = {}


def listing_key(summary: Summary, incidents: Sequence[Incident], *inputs: object, name: str = "") -> str | None:
    """The key of an output that shows `inputs` and lists these incidents as of now; None when
    one of them was not read from a note. With a `name`, found again while its incidents and
    their states are the very same objects and its inputs read the same: a preview's save
    changes one of 400 history pages at 10,000 notes, and hashing each cost 15 ms."""
    states = [summary.states[i.slug] for i in incidents]
    listed, text = [*incidents, *states], repr(inputs)
    kept = _LISTED.get(name) if name else None
    if kept is not None and kept[1] == text and same(kept[0], listed):
        return kept[2]
    shown = [state_key(i, state) for i, state in zip(incidents, states, strict=True)]
    key = None if None in shown else page_key(*inputs, *shown)
    if name:
        _LISTED[name] = listed, text, key
    return key


#: Each component's digest of its days and months, with the very tuples it was made from: the
#: preview's summary hands back the same tuples for the components no change touched, and
#: their text is most of a key.
_DRAWN: Recall[str] = Recall()
#: Each component's month's digest, with the very month it was made from: by the clock, every
#: save measures today's month again, and hands back the months before it.
_MONTHS: Recall[str] = Recall()


def drawn(summary: Summary) -> dict[str, str]:
    """Per component, a digest of everything its bars and tables show: every field of its summary
    (a day's bounds are not in its repr; an output that shows them adds `now` to its key)."""
    result = {}
    for cid, c in summary.components.items():
        shown = _DRAWN.get(cid, c.days, c.months) or _DRAWN.keep(
            cid, digest(repr((c.days, [_month(cid, m) for m in c.months])).encode()), c.days, c.months
        )
        rest = [getattr(c, f.name) for f in fields(c) if f.name not in ("days", "months")]
        result[cid] = page_key(shown, *rest)
    return result


def _month(cid: str, month: MonthUptime) -> str:
    name = f"{cid} {month.first_day}"
    return _MONTHS.get(name, month) or _MONTHS.keep(name, digest(repr(month).encode()), month)
