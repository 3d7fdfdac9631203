"""What `statuspage list` shows: the notes a person may want to post to right now.

Ongoing incidents (newest first), then active and upcoming maintenance (soonest first), then
drafts (never shown on the site: publish one by removing its `draft: true` line), each with what it takes to pick one: slug, status, components, age and title.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..core.clock import short_duration
from ..core.model import ComponentStatus, Incident
from ..core.status import Phase, state
from ..core.timeline import as_of, visible


@dataclass(frozen=True)
class Entry:
    slug: str
    status: str
    components: str  # "login: major_outage, api: operational", as `--component` takes them
    started: str  # "2h 5m ago", or "in 3d 4h" for upcoming maintenance
    updated: str
    title: str


def entries(incidents: list[Incident], now: datetime, drafts: Sequence[Incident] = ()) -> list[Entry]:
    """`incidents` newest first, as the loader returns them; as readers see them at `now`, then
    the notes with nothing posted yet (written ahead, or dated in the future by mistake), then
    every draft, which only a person can publish."""
    shown = visible(incidents, now)
    ongoing = [i for i in shown if not i.is_maintenance and state(i, now).phase is Phase.ONGOING]
    maintenance = sorted(
        (i for i in shown if i.is_maintenance and state(i, now).phase is not Phase.ENDED),
        key=lambda i: (i.start, i.slug),
    )
    ahead = [i for i in incidents if as_of(i, now) is None]
    posted = [_entry(incident, now) for incident in ongoing + maintenance]
    return posted + [_ahead(i, now) for i in ahead] + [_entry(draft, now) for draft in drafts]


def _ahead(incident: Incident, now: datetime) -> Entry:
    first = incident.updates[-1]
    return Entry(
        slug=incident.slug,
        status="Not posted yet",
        components=", ".join(f"{cid}: {status.value}" for cid, status in incident.components.items()),
        started=_relative(incident.start, now),
        updated=f"appears {_relative(first.at, now)}",
        title=incident.title,
    )


def _entry(incident: Incident, now: datetime) -> Entry:
    shown = state(incident, now)
    return Entry(
        slug=incident.slug,
        status=f"Draft: {shown.status.label}" if incident.draft else shown.status.label,
        components=", ".join(f"{cid}: {status.value}" for cid, status in component_statuses(incident, now).items()),
        started=_relative(incident.start, now),
        updated=_relative(shown.latest.at, now),
        title=incident.title,
    )


def component_statuses(incident: Incident, now: datetime) -> dict[str, ComponentStatus]:
    """Each touched component's status at `now`; for maintenance not yet begun, what is planned."""
    if incident.start > now:
        return dict(incident.components)
    current = dict.fromkeys(incident.component_ids, ComponentStatus.OPERATIONAL)
    for cid, segments in incident.segments.items():
        current[cid] = next(
            (s.status for s in segments if s.start <= now and (s.end is None or s.end > now)), current[cid]
        )
    return current


def _relative(moment: datetime, now: datetime) -> str:
    """The terminal speaks English, whatever language the site is in."""
    if moment > now:
        return f"in {short_duration(moment - now)}"
    return f"{short_duration(now - moment)} ago"
