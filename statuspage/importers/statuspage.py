"""Atlassian Statuspage: components, incidents and scheduled maintenances as Statuspage's API has them.

The same objects come from the public API v2, saved copies of it, and the management API
(which adds postmortems), so one mapping serves all three. Statuses map one to one; an
update's `affected_components` become the component changes of its heading; `display_at`
is an update's time. Group entries (`group: true`, or the management API's component
groups) become our groups.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ..core.model import (
    COMPONENT_STATUSES,
    ComponentStatus,
    Impact,
    Kind,
    UpdateStatus,
)
from ..core.words import MAINTENANCE_ONLY
from ..upstream.document import grouped
from .fields import Fields, status_of, text_of, to_time
from .html import noted
from .records import Export, Options, SourceComponent, SourceIncident, SourceUpdate
from .statuspage_fetch import Documents, fetch

_ENDING = (UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM)


def read(source: str, options: Options) -> Export:
    """The page at an address, saved copies of its documents, or (with --page-id) its management API."""
    export = Export()
    documents = fetch(source, options, export)
    export.label = documents.label
    export.components = components(documents)
    for item in _distinct(documents.incidents):
        incident = _Incident(item, options, export).read()
        if incident is not None:
            export.incidents.append(incident)
    return export


def _distinct(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One object per id (a saved summary.json repeats the open ones): the one with the most updates."""
    chosen: dict[str, dict[str, Any]] = {}
    for item in items:
        key = text_of(item.get("id")) or str(id(item))
        if len(_list(item.get("incident_updates"))) >= len(_list(chosen.get(key, {}).get("incident_updates"))):
            chosen[key] = item
    return list(chosen.values())


def components(documents: Documents) -> list[SourceComponent]:
    """The page's components in its order, each with its group's name; also those only incidents still name."""
    items = sorted(documents.components, key=lambda c: _number(c.get("position")))
    named = [c for i in documents.incidents for c in _list(i.get("components")) if isinstance(c, dict)]
    found: dict[str, SourceComponent] = {}
    for item, group in grouped([*items, *named], documents.groups):
        key = str(item.get("id") or "")
        if key and key not in found and text_of(item.get("name")):
            found[key] = SourceComponent(
                key=key,
                name=text_of(item.get("name")),
                group=group,
                description=text_of(item.get("description")),
                since=_date(item.get("start_date")),
            )
    return list(found.values())


def _list(value: object) -> list[Any]:
    """A list, or none (a value of another kind is reported when its incident is read)."""
    return value if isinstance(value, list) else []


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else float("inf")


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class _Incident:
    """One Statuspage incident or maintenance object read into records, noting what does not fit."""

    def __init__(self, item: dict[str, Any], options: Options, export: Export):
        self.item, self.options, self.export = item, options, export
        self.id = text_of(item.get("id")) or text_of(item.get("name"))
        self.where = f"incident {self.id}"
        fields = Fields(item, export, self.where)
        self.raw_updates = [u for u in fields.items("incident_updates") if isinstance(u, dict)]
        #: The ids of the components it names (without their status).
        self.listed = [text_of(c.get("id")) for c in fields.items("components") if isinstance(c, dict)]
        impact = text_of(item.get("impact")).lower()
        maintenance = (
            impact == "maintenance"
            or item.get("scheduled_for") is not None
            or text_of(item.get("status")).lower() in MAINTENANCE_ONLY
        )
        self.kind = Kind.MAINTENANCE if maintenance else Kind.INCIDENT

    def time(self, key: str, where: str | None = None) -> datetime | None:
        return to_time(self.item.get(key), self.options.zone, self.export, where or self.where, key)

    def read(self) -> SourceIncident | None:
        if not self.id:
            self.export.note("incidents", "an incident without an id or name; skipped")
            return None
        updates = sorted(self._updates(), key=lambda u: u.at)
        if not updates:
            self.export.note(self.where, "has no update with a time; skipped")
            return None
        initial = dict(updates[0].changes)
        updates[0] = SourceUpdate(updates[0].at, updates[0].status, updates[0].body)
        if not any(u.changes for u in updates) and not initial:
            initial = self._listed_components()
        title = text_of(self.item.get("name"))
        if not title:
            self.export.note(self.where, "has no name; titled 'Untitled incident'")
        incident = SourceIncident(
            source_id=self.id,
            where=self.where,
            title=title or "Untitled incident",
            kind=self.kind,
            updates=tuple(updates),
            components=initial,
            impact=self._impact(),
            started=self._started(updates[0].at),
            resolved=self._resolved(updates),
        )
        return self._window(incident) if self.kind is Kind.MAINTENANCE else incident

    def _updates(self) -> list[SourceUpdate]:
        updates = []
        raw = list(self.raw_updates)
        raw.sort(key=lambda u: str(u.get("display_at") or u.get("created_at") or ""))
        current: dict[str, ComponentStatus] = {}
        for update in raw:
            where = f"{self.where}, update {text_of(update.get('id')) or '?'}"
            at = to_time(
                update.get("display_at") or update.get("created_at"), self.options.zone, self.export, where, "time"
            )
            if at is None:
                self.export.note(where, "has no time; skipped")
                continue
            word = text_of(update.get("status"))
            status = status_of(word, self.kind, self.export, where)
            if status is None:
                self.export.note(where, f"unknown status {word!r}; posted as Update")
                status = UpdateStatus.UPDATE
            body = noted(str(update.get("body") or ""), self.export, where, markdown=False)
            updates.append(SourceUpdate(at, status, body, self._changes(update, current, where)))
        postmortem = self._postmortem()
        return updates + ([postmortem] if postmortem else [])

    def _changes(
        self, update: dict[str, Any], current: dict[str, ComponentStatus], where: str
    ) -> dict[str, ComponentStatus]:
        """The components whose status this update changes (Statuspage also lists unchanged ones)."""
        allowed = (*COMPONENT_STATUSES[self.kind], ComponentStatus.OPERATIONAL)
        changes = {}
        for affected in Fields(update, self.export, where).items("affected_components"):
            if not isinstance(affected, dict):
                continue
            key = text_of(affected.get("code") or affected.get("id"))
            word = text_of(affected.get("new_status"))
            status = ComponentStatus.parse(word)
            if status not in allowed:
                self.export.note(
                    where, f"{text_of(affected.get('name')) or key}: status {word!r} cannot be shown here; dropped"
                )
                continue
            if key and status is not current.get(key, ComponentStatus.OPERATIONAL):
                changes[key] = current[key] = status
        return changes

    def _listed_components(self) -> dict[str, ComponentStatus]:
        """Components the incident lists without saying what status they had: from the impact, said so."""
        keys = [key for key in self.listed if key]
        if not keys:
            return {}
        if self.kind is Kind.MAINTENANCE:
            return dict.fromkeys(keys, ComponentStatus.UNDER_MAINTENANCE)
        by_impact = {s.impact: s for s in COMPONENT_STATUSES[Kind.INCIDENT]}
        status = by_impact.get(self._impact() or Impact.NONE)
        if status is None:
            self.export.note(self.where, "lists components without their status, and its impact is none; not marked")
            return {}
        self.export.note(self.where, f"lists components without their status; marked {status.value} from its impact")
        return dict.fromkeys(keys, status)

    def _postmortem(self) -> SourceUpdate | None:
        body = str(self.item.get("postmortem_body") or "").strip()
        if not body:
            return None
        published = self.time("postmortem_published_at")
        if published is None:
            self.export.note(self.where, "has a postmortem that was never published; not imported")
            return None
        markdown = noted(body, self.export, f"{self.where}, postmortem", markdown=False)
        status = UpdateStatus.POSTMORTEM if self.kind is Kind.INCIDENT else UpdateStatus.UPDATE
        return SourceUpdate(published, status, markdown)

    def _impact(self) -> Impact | None:
        if self.kind is Kind.MAINTENANCE:
            return None
        word = text_of(self.item.get("impact_override") or self.item.get("impact"))
        impact = Impact.parse(word) if word else None
        if word and impact is None:
            self.export.note(self.where, f"unknown impact {word!r}; left to the components")
        return impact

    def _started(self, first: datetime) -> datetime | None:
        started = None if self.kind is Kind.MAINTENANCE else self.time("started_at")
        if started is None or started == first:
            return None
        if started > first:
            self.export.note(
                self.where,
                "started_at is after its first update (a backdated incident); the note starts at that update",
            )
            return None
        return started

    def _resolved(self, updates: list[SourceUpdate]) -> datetime | None:
        """`resolved_at`, when no Resolved update says when it ended."""
        if self.kind is Kind.MAINTENANCE or any(u.status in _ENDING for u in updates):
            return None
        if text_of(self.item.get("status")).lower() not in ("resolved", "postmortem"):
            return None
        return self.time("resolved_at")

    def _window(self, incident: SourceIncident) -> SourceIncident | None:
        start, until = self.time("scheduled_for"), self.time("scheduled_until")
        if start is None:
            start = incident.updates[0].at
            self.export.note(self.where, "maintenance without scheduled_for; it starts at its first update")
        if until is None:
            done = [u.at for u in incident.updates if u.status is UpdateStatus.COMPLETED]
            if not done:
                self.export.note(self.where, "maintenance without scheduled_until or a Completed update; skipped")
                return None
            until = done[0]
            self.export.note(self.where, "maintenance without scheduled_until; it ends at its Completed update")
        if until <= start:
            self.export.note(self.where, "maintenance ends before it starts (scheduled_until); skipped")
            return None
        components = {
            key: ComponentStatus.UNDER_MAINTENANCE if status is ComponentStatus.OPERATIONAL else status
            for key, status in incident.components.items()
        }
        listed = self.listed + [
            key for u in incident.updates for key, s in u.changes.items() if s is ComponentStatus.UNDER_MAINTENANCE
        ]
        for key in listed:
            if key:
                components.setdefault(key, ComponentStatus.UNDER_MAINTENANCE)
        return replace(
            incident, components=components, updates=_beyond_maintenance(incident.updates), scheduled=start, until=until
        )


def _beyond_maintenance(updates: tuple[SourceUpdate, ...]) -> tuple[SourceUpdate, ...]:
    """A maintenance's window already puts its components under maintenance and back: keep only
    the outages during it, and the return to normal after one."""
    ordinary = (ComponentStatus.UNDER_MAINTENANCE, ComponentStatus.OPERATIONAL)
    out: set[str] = set()
    result = []
    for update in updates:
        kept = {}
        for key, status in update.changes.items():
            if status not in ordinary:
                kept[key] = status
                out.add(key)
            elif key in out:
                kept[key] = status
                out.discard(key)
        result.append(replace(update, changes=kept))
    return tuple(result)
