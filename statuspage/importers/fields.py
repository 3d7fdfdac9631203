"""Reading what other tools write: files within limits, front matter, times and status words.

Each helper either returns a value it is sure of, or returns what it chose and records a
Finding saying so; none guesses silently.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..core import clock
from ..core.model import STATUSES_BY_KIND, Kind, UpdateStatus
from ..core.words import brief
from ..errors import NoteError
from ..notes.front_matter import parse_front_matter
from ..schema import type_name
from .records import Export, SourceError

#: Big enough for a management-API export of years of incidents; a file larger is not an export.
MAX_FILE_BYTES = 64_000_000
#: Deeper than any export nests its lists and objects; deeper would exhaust whatever walks it.
MAX_DEPTH = 64


def read_text(path: Path, shown: str) -> str:
    """A source file's text (UTF-8, a BOM is fine), or a SourceError naming it."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"{shown} is larger than {MAX_FILE_BYTES // 1_000_000} MB; is it the right file?")
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SourceError(f"{shown} not found") from None
    except UnicodeDecodeError as error:
        raise SourceError(f"{shown} is not UTF-8 text (at byte {error.start})") from None
    except OSError as error:
        raise SourceError(f"{shown} cannot be read: {error.strerror or error}") from None


def read_json(text: str, shown: str) -> Any:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise SourceError(f"{shown} is not valid JSON: {error}") from None
    if _deeper_than(data, MAX_DEPTH):
        raise SourceError(f"{shown} nests lists or objects more than {MAX_DEPTH} deep; no export does")
    return data


def _deeper_than(value: object, limit: int) -> bool:
    """Whether lists and mappings nest beyond `limit` (walked without recursion: the depth is the question)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def read_yaml(text: str, shown: str, *, front_matter: bool = False) -> dict[str, Any]:
    """A YAML document (a whole file, or a file's front matter) read safely (no aliases, no deep nesting), as a mapping."""
    try:
        data = parse_front_matter(text, 1).fields
    except NoteError as error:
        line, message = error.problems[0]
        if front_matter and line is not None:
            line += 1  # the front matter starts on the file's second line
        elif not front_matter:
            message = message.replace("the front matter", "the file")
        raise SourceError(f"{shown}:{line}: {message}" if line is not None else f"{shown}: {message}") from None
    return data


def read_toml(text: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"{shown} is not valid TOML: {error}") from None
    except RecursionError:
        raise SourceError(f"{shown} nests its tables too deeply to read") from None


_FENCES = {"---": "yaml", "---yaml": "yaml", "---yml": "yaml", "---toml": "toml", "---json": "json", "+++": "toml"}


def split_front_matter(text: str, shown: str) -> tuple[dict[str, Any], str]:
    """A Markdown file's front matter (YAML `---`, TOML `+++` or `---toml`, JSON `---json` or `{…}`) and body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.partition("\n")
    kind = _FENCES.get(first.strip())
    if kind is None:
        if text.lstrip().startswith("{"):
            return _json_front_matter(text, shown)
        return {}, text
    closers = ("+++",) if first.strip() == "+++" else ("---", "...") if kind == "yaml" else ("---",)
    lines = rest.split("\n")
    end = next((n for n, line in enumerate(lines) if line.strip() in closers), None)
    if end is None:
        raise SourceError(f"{shown}: the front matter opened on line 1 is never closed")
    front_text, body = "\n".join(lines[:end]), "\n".join(lines[end + 1 :])
    if kind == "yaml":
        data: Any = read_yaml(front_text, shown, front_matter=True)
    elif kind == "toml":
        data = read_toml(front_text, shown)
    else:
        data = read_json(front_text, shown)
    if not isinstance(data, dict):
        raise SourceError(f"{shown}: the front matter is not a set of fields")
    return data, body


def _json_front_matter(text: str, shown: str) -> tuple[dict[str, Any], str]:
    try:
        data, end = json.JSONDecoder().raw_decode(text.lstrip())
    except ValueError as error:
        raise SourceError(f"{shown}: the JSON front matter is not valid: {error}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{shown}: the front matter is not a set of fields")
    return data, text.lstrip()[end:]


def lower_keys(value: Any) -> Any:
    """Mappings with lower-case keys, all the way down: Hugo and people write `resolvedWhen`, `Title`, `TITLE`."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_keys(item) for item in value]
    return value


def text_of(value: object) -> str:
    """A scalar as text ("" for none, or for a list or table), whitespace collapsed: titles and names are one line."""
    return " ".join(str(value).split()) if value is not None and not isinstance(value, dict | list) else ""


# -- values of the kind expected -----------------------------------------------------------


class Fields:
    """One record of a source (front matter, an issue, a document's object), read by the kind
    each key should hold: a value of another kind is a finding naming the key, and reads as none."""

    def __init__(self, data: object, export: Export, where: str, prefix: str = ""):
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.export, self.where, self.prefix = export, where, prefix

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str) -> str:
        """One line of text (a title, a name, a word)."""
        return text_of(self._kind(key, (str, int, float, date), "text"))

    def prose(self, key: str) -> str:
        """Text as written, its lines kept (a body)."""
        value = self._kind(key, (str, int, float), "text")
        return "" if value is None else str(value)

    def table(self, key: str) -> Fields:
        return Fields(self._kind(key, (dict,), "a table"), self.export, self.where, self._path(key))

    def items(self, key: str, *, one: bool = False, otherwise: str = "ignored") -> list[Any]:
        """A list; with `one`, a single text is a list of it (`affected: API`)."""
        value = self.data.get(key)
        if one and isinstance(value, str | int | float) and not isinstance(value, bool):
            return [value]
        found = self._kind(key, (list,), "a list", otherwise)
        return found if found is not None else []

    def records(self, key: str) -> list[Fields]:
        """The tables of a list, each read the same way (anything else in it is noted)."""
        found = []
        for n, item in enumerate(self.items(key)):
            if isinstance(item, dict):
                found.append(Fields(item, self.export, self.where, f"{self._path(key)}[{n}]"))
            else:
                self._wrong(f"{key}[{n}]", item, "a table")
        return found

    def number(self, key: str) -> float | None:
        """A finite number (not true/false)."""
        value = self._kind(key, (int, float), "a number")
        if value is not None and not math.isfinite(value):
            self._wrong(key, value, "a finite number")
            return None
        return None if value is None else float(value)

    def _kind(self, key: str, kinds: tuple[type, ...], wanted: str, otherwise: str = "ignored") -> Any:
        value = self.data.get(key)
        if value is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
            return value
        self._wrong(key, value, wanted, otherwise)
        return None

    def _wrong(self, key: str, value: object, wanted: str, otherwise: str = "ignored") -> None:
        got = f"{type_name(value)} {brief(value)}"
        self.export.note(self.where, f"{self._path(key)}: expected {wanted}, got {got}; {otherwise}")

    def _path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key


# -- times ---------------------------------------------------------------------------------


def to_time(value: object, zone: ZoneInfo, export: Export, where: str, what: str) -> datetime | None:
    """An aware UTC time from what a source wrote; a time without an offset is in `zone`.

    None (with a finding) when there is no time to read; a wall-clock time that happens twice
    takes the earlier offset, and says so.
    """
    if value is None or value == "":
        return None
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        export.note(where, f"{what} {value.isoformat()} has no time of day; taken as midnight ({zone.key})")
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_epoch(value)
    elif isinstance(value, str):
        moment = _from_text(value.strip())
    if moment is None:
        export.note(where, f"cannot read the {what} {str(value)[:80]!r}")
        return None
    if moment.tzinfo is None:
        try:
            moment = clock.localize(moment, zone)
        except clock.TimeError as error:
            export.note(where, f"{what}: {error}; taken with the earlier offset")
            moment = moment.replace(tzinfo=zone, fold=0)
    if moment.year not in clock.YEARS:
        export.note(where, f"{what} {moment.isoformat()} is out of range")
        return None
    return moment.astimezone(UTC).replace(microsecond=0)


def _from_epoch(value: float) -> datetime | None:
    """Seconds, or the milliseconds JavaScript tools write."""
    try:
        return datetime.fromtimestamp(value / 1000 if value > 100_000_000_000 else value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        return clock.parse_time(text, ZoneInfo("UTC")) if _has_zone(text) else _naive(text)
    except clock.TimeError:
        return None


def _has_zone(text: str) -> bool:
    return bool(re.search(r"(Z|UTC|[+-]\d{2}:?\d{2})\s*$", text, re.IGNORECASE))


def _naive(text: str) -> datetime | None:
    try:
        return clock.parse_time(text, ZoneInfo("UTC")).replace(tzinfo=None)
    except clock.TimeError:
        return None


# -- status words --------------------------------------------------------------------------

#: Words other tools and people use for our statuses (compared as letters only, any case).
_SYNONYMS = {
    Kind.INCIDENT: {
        "fixed": UpdateStatus.RESOLVED,
        "solved": UpdateStatus.RESOLVED,
        "closed": UpdateStatus.RESOLVED,
        "completed": UpdateStatus.RESOLVED,
        "updated": UpdateStatus.UPDATE,
        "inprogress": UpdateStatus.IDENTIFIED,
        "verifying": UpdateStatus.MONITORING,
    },
    Kind.MAINTENANCE: {
        "planned": UpdateStatus.SCHEDULED,
        "upcoming": UpdateStatus.SCHEDULED,
        "justbegan": UpdateStatus.IN_PROGRESS,
        "started": UpdateStatus.IN_PROGRESS,
        "investigating": UpdateStatus.IN_PROGRESS,
        "identified": UpdateStatus.IN_PROGRESS,
        "monitoring": UpdateStatus.VERIFYING,
        "resolved": UpdateStatus.COMPLETED,
        "fixed": UpdateStatus.COMPLETED,
        "done": UpdateStatus.COMPLETED,
        "finished": UpdateStatus.COMPLETED,
        "updated": UpdateStatus.UPDATE,
    },
}


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def status_of(word: str, kind: Kind, export: Export, where: str) -> UpdateStatus | None:
    """Our status for a source's status word: exact (any case or spacing) silently, a known
    synonym with a finding, None (with a finding) for a word we do not know."""
    key = letters(word)
    for status in STATUSES_BY_KIND[kind]:
        if letters(status.value) == key:
            return status
    synonym = _SYNONYMS[kind].get(key)
    if synonym is not None:
        export.note(where, f"the status {word.strip()!r} is read as {synonym.label}")
        return synonym
    return None
