"""A parsed note as JSON, for the cache: times as UTC seconds, enums as their names in notes.

JSON, not pickle: loading a cache can never run code, and anything unreadable or mistyped
makes `decode` raise, which the cache counts as a miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.model import ComponentStatus, Impact, Incident, Kind, Update, UpdateStatus


def encode(incident: Incident) -> list[Any]:
    return [
        incident.title,
        incident.kind.value,
        incident.impact.value,
        _statuses(incident.components),
        [[_seconds(u.at), u.status.value, u.html, u.text, u.anchor, _statuses(u.changes)] for u in incident.updates],
        _seconds(incident.start),
        None if incident.end is None else _seconds(incident.end),
        incident.draft,
    ]


def decode(data: list[Any], slug: str, source: str, note_digest: str) -> Incident:
    title, kind, impact, components, updates, start, end, draft = data
    return Incident(
        slug=slug,
        title=str(title),
        kind=_KINDS[kind],
        impact=_IMPACTS[impact],
        components=_parse_statuses(components),
        updates=tuple(
            Update(_moment(at), _UPDATE_STATUSES[status], str(html), str(text), str(anchor), _parse_statuses(changes))
            for at, status, html, text, anchor, changes in updates
        ),
        start=_moment(start),
        end=None if end is None else _moment(end),
        source=source,
        digest=note_digest,
        draft=draft is True,
    )


# Looking enums up by value in a dict is several times faster than calling the enum.
_KINDS = {k.value: k for k in Kind}
_IMPACTS = {i.value: i for i in Impact}
_UPDATE_STATUSES = {s.value: s for s in UpdateStatus}
_COMPONENT_STATUSES = {s.value: s for s in ComponentStatus}


def _statuses(mapping: Mapping[str, ComponentStatus]) -> dict[str, str]:
    return {cid: status.value for cid, status in mapping.items()}


def _parse_statuses(data: Mapping[str, str]) -> dict[str, ComponentStatus]:
    return {str(cid): _COMPONENT_STATUSES[status] for cid, status in data.items()} if data else {}


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(seconds: int) -> datetime:
    if type(seconds) is not int:
        raise TypeError(seconds)
    return _EPOCH + timedelta(seconds=seconds)  # ten times faster than datetime.fromtimestamp
