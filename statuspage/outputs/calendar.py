"""The maintenance calendar: `maintenance.ics` (RFC 5545), built with the icalendar package.

Calendar apps subscribe to it and show each upcoming window in the reader's own time zone.
UIDs are the maintenance's page address, so an event stays the same event across builds and
its SEQUENCE grows with every posted update, which tells clients to refresh it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from ..core import addresses
from ..core.config import Config
from ..core.model import Incident
from ..core.site import Site
from ..core.status import Phase, Summary
from ..files import Deferred, Files
from .keys import listing_key

if TYPE_CHECKING:
    from icalendar import Event


def render(site: Site) -> Files:
    """Every upcoming and ongoing maintenance, and those that ended within the uptime window."""
    config, incidents, summary = site.config, site.incidents, site.summary
    since = summary.now - timedelta(days=config.uptime_days)
    chosen = sorted(
        (
            i
            for i in incidents
            if i.is_maintenance and (summary.states[i.slug].phase is not Phase.ENDED or (i.end and i.end >= since))
        ),
        key=lambda i: (i.start, i.slug),
    )
    key = listing_key(summary, chosen, "calendar")
    return {addresses.CALENDAR: Deferred(key, lambda: _document(config, chosen, summary))}


def _document(config: Config, chosen: Sequence[Incident], summary: Summary) -> bytes:
    # Imported here: icalendar takes longer to import than a rebuild takes to find the calendar unchanged.
    from icalendar import Calendar, vDuration

    calendar = Calendar()
    calendar.add("prodid", f"-//statuspage//{config.title} maintenance//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{config.title}: scheduled maintenance"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for incident in chosen:
        calendar.add_component(_event(config, incident, summary))
    if chosen:
        first = min(i.start for i in chosen).astimezone(config.timezone).date()
        last = max(i.end or i.start for i in chosen).astimezone(config.timezone).date()
        calendar.add_missing_timezones(first_date=first - timedelta(days=1), last_date=last + timedelta(days=1))
    return bytes(calendar.to_ical())


def _event(config: Config, incident: Incident, summary: Summary) -> Event:
    from icalendar import Event

    state = summary.states[incident.slug]
    link = config.url + addresses.incident(incident.slug)
    names = config.component_names
    components = ", ".join(names[cid] for cid in incident.component_ids) or "none named"
    event = Event()
    event.add("uid", link)
    event.add("dtstamp", state.latest.at.astimezone(UTC))
    event.add("last-modified", state.latest.at.astimezone(UTC))
    event.add("sequence", len(state.updates) - 1)
    event.add("dtstart", incident.start.astimezone(config.timezone))
    event.add("dtend", (incident.end or incident.start).astimezone(config.timezone))
    event.add("summary", incident.title)
    event.add(
        "description",
        f"{state.status.label}. Components: {components}.\n\n{state.latest.text}\n\n{link}",
    )
    event.add("url", link)
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a provider's maintenance does not make the reader busy
    event.add("categories", ["Maintenance"])
    return event
