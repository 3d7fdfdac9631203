"""A parsed note as JSON, for the cache: times as UTC seconds, enums as their names in notes.

JSON, not pickle: loading a cache can never run code, and anything unreadable or mistyped
makes `decode` raise, which the cache counts as a miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.model import ComponentStatus, Impact, Incident, Kind, Reference, Update, UpdateStatus


def encode(incident: Incident) -> list[Any]:
    return [
        incident.title,
        incident.kind.value,
        incident.impact.value,
        _statuses(incident.components),
        [_update(u) for u in incident.updates],
        _seconds(incident.start),
        _maybe_seconds(incident.end),
        _maybe_seconds(incident.declared_start),
        _maybe_seconds(incident.declared_end),
        dict(incident.key_lines),
        incident.draft,
    ]


def _update(u: Update) -> list[Any]:
    references = [[r.line, r.image, r.target, r.alt] for r in u.references]
    return [
        _seconds(u.at),
        u.status.value,
        u.html,
        u.text,
        u.anchor,
        _statuses(u.changes),
        u.line,
        u.always_posted,
        references,
    ]


def decode(data: list[Any], slug: str, source: str, note_digest: str) -> Incident:
    title, kind, impact, components, updates, start, end, declared_start, declared_end, key_lines, draft = data
    return Incident(
        slug=slug,
        title=str(title),
        kind=_KINDS[kind],
        impact=_IMPACTS[impact],
        components=_parse_statuses(components),
        updates=tuple(
            Update(
                _moment(at),
                _UPDATE_STATUSES[status],
                str(html),
                str(text),
                str(anchor),
                _parse_statuses(changes),
                _line(line),
                bool(always),
                _references(references) if references else (),  # nearly always none
            )
            for at, status, html, text, anchor, changes, line, always, references in updates
        ),
        start=_moment(start),
        end=_maybe_moment(end),
        source=source,
        digest=note_digest,
        declared_start=_maybe_moment(declared_start),
        declared_end=_maybe_moment(declared_end),
        key_lines={str(key): int(value) for key, value in key_lines.items()},
        draft=draft is True,
    )


def _references(data: list[Any]) -> tuple[Reference, ...]:
    return tuple([Reference(_line(r[0]), bool(r[1]), str(r[2]), _text(r[3])) for r in data])


def _line(value: object) -> int | None:
    if value is not None and type(value) is not int:
        raise TypeError(value)
    return value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# Looking enums up by value in a dict is several times faster than calling the enum.
_KINDS = {k.value: k for k in Kind}
_IMPACTS = {i.value: i for i in Impact}
_UPDATE_STATUSES = {s.value: s for s in UpdateStatus}
_COMPONENT_STATUSES = {s.value: s for s in ComponentStatus}


def _statuses(mapping: Mapping[str, ComponentStatus]) -> dict[str, str]:
    return {cid: status.value for cid, status in mapping.items()}


def _parse_statuses(data: Mapping[str, str]) -> dict[str, ComponentStatus]:
    return {str(cid): _COMPONENT_STATUSES[status] for cid, status in data.items()} if data else {}


def _maybe_seconds(moment: datetime | None) -> int | None:
    return None if moment is None else _seconds(moment)


def _maybe_moment(seconds: int | None) -> datetime | None:
    return None if seconds is None else _moment(seconds)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(seconds: int) -> datetime:
    if type(seconds) is not int:
        raise TypeError(seconds)
    return _EPOCH + timedelta(seconds=seconds)  # ten times faster than datetime.fromtimestamp
