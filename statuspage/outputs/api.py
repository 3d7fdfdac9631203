"""JSON documents: the Statuspage API v2 under api/v2/, and the numbers behind the bars.

Every document is `json.dumps` over the computed `Summary` and its `IncidentState`s, the
values the HTML shows, so pages and API never disagree. Field names, nesting and enums
follow Atlassian Statuspage's public API v2, so its clients read a static site unchanged.
Ids are stable across builds: a component's id from the config, an incident's slug (which
is also its address under incidents/), and an update's anchor on that page.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..core import addresses
from ..core.addresses import slugify
from ..core.config import Config
from ..core.model import ComponentStatus, Incident, Update, UpdateStatus
from ..core.site import Site
from ..core.status import ComponentSummary, IncidentState, Phase, Summary
from ..core.uptime import Day, midnight
from ..files import Deferred, Files
from . import keys
from .keys import page_key

#: Statuspage lists "the 50 most recent" incidents and maintenances (plus every open one).
RECENT = 50
_UNRESOLVED = (UpdateStatus.INVESTIGATING, UpdateStatus.IDENTIFIED, UpdateStatus.MONITORING)
_SECONDS = (
    ComponentStatus.MAJOR_OUTAGE,
    ComponentStatus.PARTIAL_OUTAGE,
    ComponentStatus.DEGRADED_PERFORMANCE,
    ComponentStatus.UNDER_MAINTENANCE,
)

JSONObject = dict[str, Any]


def render(site: Site) -> Files:
    """Every JSON document, by path."""
    config, incidents, summary = site.config, site.incidents, site.summary
    api = Statuspage(config, incidents, summary)
    page = {"page": api.page}
    unresolved = api.incidents(summary.ongoing)
    upcoming = api.incidents(summary.upcoming_maintenance)
    active = api.incidents(summary.active_maintenance)
    # Looked at only until the newest RECENT are found (see _most_recent).
    past = (i for i in incidents if not i.is_maintenance and summary.states[i.slug].phase is not Phase.UPCOMING)
    maintenances = (i for i in incidents if i.is_maintenance)
    documents: dict[str, JSONObject] = {
        "summary.json": {
            **page,
            "status": api.status,
            "components": api.components,
            "incidents": unresolved,
            "scheduled_maintenances": active + upcoming,
        },
        "status.json": {**page, "status": api.status},
        "components.json": {**page, "components": api.components},
        "incidents.json": {**page, "incidents": api.incidents(_most_recent(past, summary.ongoing))},
        "incidents/unresolved.json": {**page, "incidents": unresolved},
        "scheduled-maintenances.json": {
            **page,
            "scheduled_maintenances": api.incidents(
                _most_recent(maintenances, summary.active_maintenance + summary.upcoming_maintenance)
            ),
        },
        "scheduled-maintenances/upcoming.json": {**page, "scheduled_maintenances": upcoming},
        "scheduled-maintenances/active.json": {**page, "scheduled_maintenances": active},
    }
    result: dict[str, bytes | Deferred] = {
        addresses.API + name: _dump(document) for name, document in documents.items()
    }
    # Kept like a page: its days and months are the components' (keys.drawn), besides the page's own
    # fields and `now`, where today ends.
    key = page_key("uptime", api.page, summary.now.isoformat(), sorted(keys.drawn(summary).items()))
    result[addresses.UPTIME] = Deferred(key, lambda: _dump(_uptime(config, summary, api)))
    return result


def _dump(document: JSONObject) -> bytes:
    """Compact, as Statuspage serves it (with `indent` Python's JSON encoder runs in pure Python,
    which cost a fifth of a rebuild), and safe to paste into a page: `<`, `>` and `&` in strings
    are escaped as Statuspage's Rails JSON and Go's encoder do, so a document cannot carry markup.
    Parsers read the same values."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    if any(c in text for c in "<>&\u2028\u2029"):
        text = text.translate(_UNSAFE)
    return (text + "\n").encode("utf-8")


#: Outside strings JSON has none of these characters, so escaping them everywhere is exact.
_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _most_recent(items: Iterable[Incident], open_ones: Sequence[Incident]) -> list[Incident]:
    """Every open item and the newest others, RECENT in all, newest first (`items` are newest
    first, and hold the open ones)."""
    keep = {i.slug for i in open_ones}
    others = itertools.islice((i for i in items if i.slug not in keep), max(RECENT - len(keep), 0))
    return sorted([*open_ones, *others], key=lambda i: (i.start, i.slug), reverse=True)


class Statuspage:
    """Statuspage's objects for one build: the page, its components, and incidents on demand.

    `statuspage.notify` builds its webhooks from the same objects, so they match the API.
    """

    def __init__(self, config: Config, incidents: Sequence[Incident], summary: Summary):
        self.config, self.summary = config, summary
        url = urlsplit(config.url)
        self.page_id = slugify(url.netloc + url.path)
        # What a component was "created at" is unknown; the site's first record (incidents are
        # newest first) stands in.
        self.origin = incidents[-1].start if incidents else summary.now
        self.page = {
            "id": self.page_id,
            "name": config.title,
            "url": config.url,
            "time_zone": config.timezone.key,
            "updated_at": self.time(summary.updated_at or self.origin),
        }
        self.status = {"indicator": summary.indicator.value, "description": summary.description}
        self.components = self._components()
        self._by_id = {c["id"]: c for c in self.components}

    def time(self, moment: datetime) -> str:
        """ISO 8601 with the offset of the site's zone, as Statuspage writes its times."""
        return moment.astimezone(self.config.timezone).isoformat(timespec="seconds")

    # -- components ------------------------------------------------------------------------

    def _components(self) -> list[JSONObject]:
        """One flat list in display order; a group is an entry with `group: true` and its children's ids."""
        flat: list[JSONObject] = []
        taken = set(self.config.component_ids)
        for group in self.summary.groups:
            if group.name is None:
                flat.append(self._component(group.components[0], len(flat) + 1, None))
                continue
            group_id = addresses.unique(f"group-{slugify(group.name)}", taken)
            taken.add(group_id)
            entry: JSONObject = {"id": group_id, "name": group.name, "status": group.status.value}
            flat.append(entry)
            children = [self._component(c, len(flat) + n, group_id) for n, c in enumerate(group.components, 1)]
            entry.update(
                created_at=min(c["created_at"] for c in children),
                updated_at=max(c["updated_at"] for c in children),
                position=len(flat),
                description=None,
                showcase=False,
                start_date=None,
                group_id=None,
                page_id=self.page_id,
                group=True,
                only_show_if_degraded=False,
                components=[c["id"] for c in children],
            )
            flat += children
        return flat

    def _component(self, summary: ComponentSummary, position: int, group_id: str | None) -> JSONObject:
        component = summary.component
        created = midnight(component.since, self.config.timezone) if component.since else self.origin
        return {
            "id": component.id,
            "name": component.name,
            "status": summary.status.value,
            "created_at": self.time(created),
            "updated_at": self.time(max(created, summary.changed_at or created)),
            "position": position,
            "description": component.description or None,
            "showcase": True,
            "start_date": component.since.isoformat() if component.since else None,
            "group_id": group_id,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    # -- incidents and maintenance ---------------------------------------------------------

    def incidents(self, incidents: Iterable[Incident]) -> list[JSONObject]:
        return [self.incident(i) for i in incidents]

    def component(self, cid: str) -> JSONObject:
        return self._by_id[cid]

    def incident(self, incident: Incident, state: IncidentState | None = None) -> JSONObject:
        """The incident as the API shows it at `now`, or as it stood in an earlier `state`."""
        state = state or self.summary.states[incident.slug]
        posted = list(reversed(state.updates))  # oldest first
        statuses = _carried(posted, UpdateStatus.SCHEDULED if incident.is_maintenance else UpdateStatus.INVESTIGATING)
        if incident.is_maintenance or state.phase is not Phase.ONGOING:
            status = state.status
        else:  # Statuspage has no "update" status: an open incident is at its last open status
            status = next((s for s in reversed(statuses) if s in _UNRESOLVED), UpdateStatus.INVESTIGATING)
        monitoring = next((u.at for u, s in zip(posted, statuses, strict=True) if s is UpdateStatus.MONITORING), None)
        resolved = incident.end if state.phase is Phase.ENDED else None
        result: JSONObject = {
            "id": incident.slug,
            "name": incident.title,
            "status": status.value,
            "created_at": self.time(posted[0].at),
            "updated_at": self.time(posted[-1].at),
            "monitoring_at": self.time(monitoring) if monitoring else None,
            "resolved_at": self.time(resolved) if resolved else None,
            "impact": "maintenance" if incident.is_maintenance else incident.impact.value,
            "shortlink": self.config.url + addresses.incident(incident.slug),
            "started_at": self.time(incident.start),
            "page_id": self.page_id,
            "incident_updates": self._updates(incident, posted, statuses),
            "components": [self._by_id[cid] for cid in incident.component_ids],
        }
        if incident.is_maintenance and incident.end is not None:
            result.update(scheduled_for=self.time(incident.start), scheduled_until=self.time(incident.end))
        return result

    def _updates(self, incident: Incident, posted: list[Update], statuses: list[UpdateStatus]) -> list[JSONObject]:
        """Newest first, each with the component statuses it changed (the first sets the initial ones)."""
        names = self.config.component_names
        current: dict[str, ComponentStatus] = {}
        result = []
        for n, (update, status) in enumerate(zip(posted, statuses, strict=True)):
            changes = {**incident.components, **update.changes} if n == 0 else dict(update.changes)
            affected = [
                {"code": cid, "name": names[cid], "old_status": old.value, "new_status": new.value}
                for cid, new in changes.items()
                if new is not (old := current.get(cid, ComponentStatus.OPERATIONAL))
            ]
            current.update(changes)
            at = self.time(update.at)
            result.append(
                {
                    "id": f"{incident.slug}-{update.anchor}",
                    "status": status.value,
                    "body": update.text,
                    "incident_id": incident.slug,
                    "created_at": at,
                    "updated_at": at,
                    "display_at": at,
                    "affected_components": affected or None,
                }
            )
        return result[::-1]


def _carried(updates: Iterable[Update], first: UpdateStatus) -> list[UpdateStatus]:
    """Each update's status in Statuspage's terms: an "Update" keeps the status before it."""
    result = []
    current = first
    for update in updates:
        if update.status is not UpdateStatus.UPDATE:
            current = update.status
        result.append(current)
    return result


# -- api/uptime.json -----------------------------------------------------------------------


def _uptime(config: Config, summary: Summary, api: Statuspage) -> JSONObject:
    """Per component and day, the inputs of the uptime formula and its result, so anyone can check it."""
    weights = dict(config.weights)
    return {
        "page": api.page,
        "formula": FORMULA,
        "rule": RULE,
        "weights": {status.value: weight for status, weight in weights.items()},
        "window_days": config.uptime_days,
        "components": [
            {
                "id": c.component.id,
                "name": c.component.name,
                "uptime": _number(c.uptime),
                "probed": c.probed,
                "detected_at": None if c.detected_at is None else api.time(c.detected_at),
                "days": [
                    {
                        "date": day.day.isoformat(),
                        "start": api.time(day.start),
                        "end": api.time(day.end),
                        "observed_seconds": day.observed,
                        "no_data_seconds": day.unobserved,
                        "uptime": _number(day.uptime),
                        "seconds": {status.value: day.seconds.get(status, 0) for status in _SECONDS},
                        "incidents": list(day.incidents),
                        **_probe_day(day),
                    }
                    for day in c.days
                ],
                "months": [
                    {
                        "month": m.first_day.strftime("%Y-%m"),
                        "uptime": _number(m.uptime),
                        "incidents": list(m.incidents),
                    }
                    for m in c.months
                ],
            }
            for c in summary.components.values()
        ],
    }


#: The arithmetic, published beside the numbers it produces so anyone can redo it from the rows.
FORMULA = (
    "uptime = 1 - (major_outage * w_major + partial_outage * w_partial + degraded_performance * w_degraded)"
    " / observed_seconds, rounded down to 2 decimals, null when observed_seconds is 0;"
    " observed_seconds = (end - start) - no_data_seconds - under_maintenance;"
    " overlapping incidents never count twice: at each moment only the worst status counts;"
    " a component's uptime is the same formula over the sums of its days' seconds and observed_seconds"
)
#: How notes, probes and maintenance combine.
RULE = (
    "a moment counts as down when a note says so or probes confirmed it (three failed attempts in a row);"
    " the worst status of both counts; a component's maintenance windows count as under_maintenance"
    " whatever notes or probes say there, and are neither down nor observed;"
    " a check speaks for the time until the next one, and a silence longer than three intervals is no data:"
    " its seconds (no_data_seconds) are left out of observed_seconds unless a note speaks for them, never counted as up;"
    " days before a component's since (or the site's first note), unless probes saw them, are no data:"
    " no_data_seconds is the whole day and no seconds are counted"
)


def _probe_day(day: Day) -> JSONObject:
    """With probes: what the notes said alone, what probes saw and the latency."""
    if day.probes is None:
        return {}
    latency = day.probes.latency
    return {
        "note_seconds": {status.value: (day.notes or {}).get(status, 0) for status in _SECONDS},
        "probe_seconds": {"down": day.probes.down, "degraded": day.probes.degraded},
        "latency_ms": None
        if latency is None
        else {"median": latency.median_ms, "p95": latency.p95_ms, "checks": latency.checks},
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
