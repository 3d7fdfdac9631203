"""A vendor's Statuspage v2 `summary.json`, read tolerantly, and cut down to what we keep.

Atlassian-hosted and incident.io-hosted status pages serve this document. It is someone
else's data: a value we do not know ("maintenance" as an indicator, a new component status)
becomes "unknown", a malformed entry is skipped, and nothing in it is ever trusted as markup
or as a link: incident links are built from the configured address and the incident's id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ..core.config import UpstreamSource
from ..core.model import ComponentStatus, Impact, UpdateStatus
from ..core.upstream import Snapshot, VendorComponent, VendorIncident, select
from ..core.words import ACTIVE_MAINTENANCE

#: Longest name or description kept: a vendor's page is not ours to fill.
_LONGEST = 300


class NotASummary(ValueError):
    """The document is not a Statuspage v2 summary."""


def parse(document: object, source: UpstreamSource, at: datetime, checked: datetime) -> Snapshot:
    """The snapshot a summary describes; raise NotASummary when it has no list of components."""
    document = summary(document)
    components = _components(document)
    incidents = [_incident(i, source, False) for i in _objects(document.get("incidents"))]
    incidents += [
        _incident(m, source, True)
        for m in _objects(document.get("scheduled_maintenances"))
        if _text(m.get("status")) in ACTIVE_MAINTENANCE
    ]
    status = _mapping(document.get("status"))
    return Snapshot(
        at,
        checked,
        components,
        tuple(incidents),
        Impact.parse(_text(status.get("indicator"))),
        _text(status.get("description")),
    )


def trim(document: Mapping[str, Any], source: UpstreamSource) -> dict[str, Any]:
    """The summary cut down to the fields `parse` reads and the components `source` shows: what is stored."""
    shown = {c.id for c in select(_components(document), source.components)[0]}
    entries = [c for c in _objects(document["components"]) if c["id"] in shown]
    group_ids = {_text(c.get("group_id")) for c in entries}
    groups = [c for c in _objects(document["components"]) if c.get("group") is True and c["id"] in group_ids]
    keep = ("id", "name", "status", "description", "group_id", "group")
    status = _mapping(document.get("status"))
    return {
        "status": {key: status[key] for key in ("indicator", "description") if isinstance(status.get(key), str)},
        "components": [_fields(c, keep) for c in groups + entries],
        "incidents": [_incident_fields(i) for i in _objects(document.get("incidents")) if _about(i, shown)],
        "scheduled_maintenances": [
            _incident_fields(m)
            for m in _objects(document.get("scheduled_maintenances"))
            if _text(m.get("status")) in ACTIVE_MAINTENANCE and _about(m, shown)
        ],
    }


def unmatched(document: Mapping[str, Any], source: UpstreamSource) -> list[tuple[str, list[str]]]:
    """Each entry of `source.components` that names nothing on the page, with the names it has."""
    everything = _components(document)
    names = list(dict.fromkeys([c.name for c in everything] + [c.group for c in everything if c.group]))
    return [(entry, names) for entry in select(everything, source.components)[1]]


def summary(document: object) -> Mapping[str, Any]:
    """The document, if it is a summary at all (an object with a list of components)."""
    if not isinstance(document, Mapping) or not isinstance(document.get("components"), list):
        raise NotASummary("no list of components")
    return document


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _components(document: Mapping[str, Any]) -> tuple[VendorComponent, ...]:
    """The components (not the groups) in the vendor's order, each with its group's name."""
    return tuple(
        VendorComponent(
            c["id"], c["name"], ComponentStatus.parse(_text(c.get("status"))), group, _text(c.get("description"))
        )
        for c, group in grouped(list(_objects(document["components"])))
    )


def grouped(
    entries: list[dict[str, Any]], groups: Iterable[Mapping[str, Any]] = ()
) -> list[tuple[dict[str, Any], str | None]]:
    """Statuspage's components in order, each with its group's name; this is the one reading of
    its groups (`statuspage import` uses it too). A `group: true` entry only names a group, which
    its children name by `group_id`; the management API lists its groups apart (`groups`), each
    with the ids of its `components`."""
    groups = list(groups)
    names = {
        key: _text(g.get("name"))
        for g in [*groups, *(e for e in entries if e.get("group") is True)]
        if (key := _text(g.get("id")))
    }
    parents: dict[str, str] = {}
    for group in groups:
        children = group.get("components")
        for child in children if isinstance(children, list) else ():
            parents.setdefault(_text(child), _text(group.get("name")))
    return [
        (entry, names.get(_text(entry.get("group_id"))) or parents.get(_text(entry.get("id"))) or None)
        for entry in entries
        if entry.get("group") is not True
    ]


def _incident(item: Mapping[str, Any], source: UpstreamSource, maintenance: bool) -> VendorIncident:
    return VendorIncident(
        item["id"],
        item["name"],
        UpdateStatus.parse(_text(item.get("status"))),
        Impact.parse(_text(item.get("impact"))),
        f"{source.url}incidents/{quote(item['id'], safe='')}",
        time(item.get("started_at")) or time(item.get("scheduled_for")) or time(item.get("created_at")),
        maintenance,
        tuple(c["id"] for c in _objects(item.get("components"))),
    )


def _incident_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    fields = _fields(item, ("id", "name", "status", "impact", "started_at", "created_at", "scheduled_for"))
    fields["components"] = [{"id": c["id"]} for c in _objects(item.get("components"))]
    return fields


def _about(item: Mapping[str, Any], shown: set[str]) -> bool:
    """An incident about a component shown, or about none in particular."""
    ids = {c["id"] for c in _objects(item.get("components"))}
    return not ids or bool(ids & shown)


def _objects(value: object) -> Iterator[dict[str, Any]]:
    """The entries of a list that are objects with a text id (the first of each id), their name defaulting to the id."""
    seen = {""}
    for item in value if isinstance(value, list) else ():
        key = item.get("id") if isinstance(item, Mapping) else None
        if isinstance(key, str) and key[:_LONGEST] not in seen:
            seen.add(key[:_LONGEST])
            # A name made from the id is tidied as a given one is: the stored cut then reads back the same.
            yield {**item, "id": key[:_LONGEST], "name": _text(item.get("name")) or _text(key) or key[:_LONGEST]}


def _fields(item: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: item[key] for key in keys if key in item and item[key] is not None}


def _text(value: object) -> str:
    return " ".join(value.split())[:_LONGEST] if isinstance(value, str) else ""


def time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    moment = moment.replace(microsecond=0)  # to the second, as every time we show
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
