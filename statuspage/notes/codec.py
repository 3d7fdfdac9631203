"""A parsed note as JSON, for the cache: times as UTC seconds, enums as their names in notes.

JSON, not pickle: loading a cache can never run code, and anything unreadable or mistyped
makes `decode` raise, which the cache counts as a miss.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..core.model import ComponentStatus, Impact, Incident, Kind, Reference, Update, UpdateStatus

T = TypeVar("T")

#: What `decode` raises for data it did not write (OSError: a time beyond what the C library converts).
DAMAGED = (KeyError, TypeError, ValueError, IndexError, OverflowError, OSError)


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
    return _made(
        Incident,
        slug=slug,
        title=str(title),
        kind=_KINDS[kind],
        impact=_IMPACTS[impact],
        components=_parse_statuses(components),
        updates=tuple(
            _made(
                Update,
                at=_moment(at),
                status=_UPDATE_STATUSES[status],
                html=str(html),
                text=str(text),
                anchor=str(anchor),
                changes=_parse_statuses(changes),
                line=_line(line),
                always_posted=bool(always),
                references=_references(references) if references else (),  # nearly always none
            )
            for at, status, html, text, anchor, changes, line, always, references in updates
        ),
        start=_moment(start),
        end=_maybe_moment(end),
        source=source,
        declared_start=_maybe_moment(declared_start),
        declared_end=_maybe_moment(declared_end),
        key_lines={str(key): int(value) for key, value in key_lines.items()},
        digest=note_digest,
        draft=draft is True,
    )


_new = object.__new__


def _made(cls: type[T], /, **fields: Any) -> T:
    """`cls(**fields)`, minus the frozen dataclass's `__init__`, which sets each field through
    `object.__setattr__`: 40 % of decoding a cache of 10,000 notes. Every field must be given (a
    property test holds decoded incidents to the encoded ones, field by field)."""
    made = _new(cls)
    made.__dict__.update(fields)
    return made


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


_at = datetime.fromtimestamp


def _moment(seconds: int) -> datetime:
    if type(seconds) is not int:
        raise TypeError(seconds)
    return _at(seconds, UTC)  # twice as fast as adding a timedelta to the epoch
