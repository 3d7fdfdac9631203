"""Parsed notes kept between builds, keyed by a hash of each note's bytes.

The cache lives in `.statuspage-cache/` beside the config and is safe to delete. It can
never change the output: an entry is used only when the note's bytes hash to the same
digest and everything else that shapes a parsed note is unchanged (this package's code,
the Markdown, sanitiser and YAML libraries, the site's time zone rules and component
ids: together the `fingerprint`). Anything unreadable counts as empty. Only notes that
parsed cleanly are kept, so a broken note is always read afresh and reported in full.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import zoneinfo
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import Config
from .model import ComponentStatus, Impact, Incident, Kind, Update, UpdateStatus

log = logging.getLogger(__name__)

FOLDER = ".statuspage-cache"
_PACKAGE = Path(__file__).parent
#: Libraries whose versions shape parsed notes or rendered pages.
_LIBRARIES = ("markdown-it-py", "mdurl", "nh3", "PyYAML", "Jinja2", "Babel", "MarkupSafe")

Warnings = list[tuple[int | None, str]]


def folder(config: Config) -> Path:
    return config.root / FOLDER


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_fingerprint() -> str:
    """This package's own files and the versions of the libraries it renders with."""
    parts = [sys.version, *(_version(name) for name in _LIBRARIES)]
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(_PACKAGE).as_posix(), digest(path.read_bytes())]
    return digest("\n".join(parts).encode())


def _version(name: str) -> str:
    try:
        return f"{name}={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name}=?"


def _zone_rules(key: str) -> bytes:
    """The compiled rules of a time zone, so new tzdata (changed offsets) invalidates the cache."""
    for base in zoneinfo.TZPATH:
        candidate = Path(base) / key
        if candidate.is_file():
            return candidate.read_bytes()
    try:
        from importlib.resources import files

        return (files("tzdata.zoneinfo") / key).read_bytes()
    except (ImportError, OSError, ValueError):
        return key.encode()


def notes_fingerprint(config: Config, code: str) -> str:
    zone = config.timezone.key
    return digest("\n".join([code, zone, digest(_zone_rules(zone)), *config.component_ids]).encode())


#: Notes this process decoded or parsed, for its current fingerprint, by (digest, slug, source).
#: The preview server builds again and again in one process; it need not decode 10,000 notes
#: each time. Incidents are immutable, so builds can share them.
_DECODED: dict[str, dict[tuple[str, str, str], tuple[Incident, Warnings]]] = {}
#: What this process last read or wrote of each cache file: its identity and its data, so a
#: file that has not changed since is not read and parsed again.
_SEEN: dict[str, tuple[list[int], dict[str, Any]]] = {}


class NoteCache:
    """What earlier builds parsed, by file name; `save` keeps what this build used."""

    def __init__(self, path: Path | None, fingerprint: str, entries: dict[str, Any] | None = None):
        self.path = path
        self.fingerprint = fingerprint
        self._old = entries or {}
        self._new: dict[str, Any] = {}
        if fingerprint not in _DECODED:  # notes decoded under another fingerprint are of no use
            _DECODED.clear()
            _DECODED[fingerprint] = {}
        self._decoded = _DECODED[fingerprint]

    @classmethod
    def open(cls, config: Config, code: str) -> NoteCache:
        path = folder(config) / "notes.json"
        _remove_orphans(path)
        fingerprint = notes_fingerprint(config, code)
        data = _read_json(path)
        if data.get("fingerprint") != fingerprint or not isinstance(data.get("notes"), dict):
            return cls(path, fingerprint)
        return cls(path, fingerprint, data["notes"])

    def get(self, name: str, note_digest: str, slug: str, source: str) -> tuple[Incident, Warnings] | None:
        entry = self._old.get(name)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != note_digest:
            return None
        key = (note_digest, slug, source)
        if key not in self._decoded:
            try:
                incident = _decode(entry[1], slug, source, note_digest)
                self._decoded[key] = incident, [(line, str(message)) for line, message in entry[2]]
            except (KeyError, TypeError, ValueError, IndexError, OverflowError):
                log.debug("ignoring a damaged cache entry for %s", name)
                return None
        self._new[name] = entry
        incident, warnings = self._decoded[key]
        return incident, list(warnings)

    def put(self, name: str, note_digest: str, incident: Incident, warnings: Warnings) -> None:
        self._new[name] = [note_digest, _encode(incident), [list(w) for w in warnings]]
        self._decoded[(note_digest, incident.slug, incident.source)] = incident, list(warnings)

    def save(self) -> None:
        """Write the entries this build used, if they differ from what was read; never fail the build."""
        if self.path is None or self._new == self._old:
            return
        _write_json(self.path, {"fingerprint": self.fingerprint, "notes": self._new})


def _read_json(path: Path) -> dict[str, Any]:
    """The file's data, never to be modified (it may be shared with the next build); {} if unreadable."""
    identity = _identity(str(path))
    seen = _SEEN.get(str(path))
    if identity is not None and seen is not None and seen[0] == identity:
        return seen[1]
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if identity is not None:
        _SEEN[str(path)] = identity, data
    return data


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Replace the file atomically, so a killed build leaves the old cache or the new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(json.dumps(data, separators=(",", ":")).encode())  # dumps uses the C encoder; dump does not
        os.replace(temporary, path)
        identity = _identity(str(path))
        if identity is not None:
            _SEEN[str(path)] = identity, dict(data)
    except OSError as error:
        log.debug("cannot write the cache %s: %s", path, error)


def _remove_orphans(path: Path) -> None:
    """Remove the temporary files of saves whose process died before renaming them."""
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C on Windows
        return
    for temporary in path.parent.glob(f".{path.name}.*"):
        pid = temporary.name.removeprefix(f".{path.name}.").partition(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            temporary.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's (or no such call on this platform)
        return True
    return True


# -- a parsed note as JSON: times as UTC seconds, enums as their names in notes -------------


def _encode(incident: Incident) -> list[Any]:
    return [
        incident.title,
        incident.kind.value,
        incident.impact.value,
        _statuses(incident.components),
        [[_seconds(u.at), u.status.value, u.html, u.anchor, _statuses(u.changes)] for u in incident.updates],
        _seconds(incident.start),
        None if incident.end is None else _seconds(incident.end),
    ]


def _decode(data: list[Any], slug: str, source: str, note_digest: str) -> Incident:
    title, kind, impact, components, updates, start, end = data
    return Incident(
        slug=slug,
        title=str(title),
        kind=_KINDS[kind],
        impact=_IMPACTS[impact],
        components=_parse_statuses(components),
        updates=tuple(
            Update(_moment(at), _UPDATE_STATUSES[status], str(html), str(anchor), _parse_statuses(changes))
            for at, status, html, anchor, changes in updates
        ),
        start=_moment(start),
        end=None if end is None else _moment(end),
        source=source,
        digest=note_digest,
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


class PageLedger:
    """Which inputs produced each page of the site, so a page whose inputs are unchanged is kept.

    A page is kept only if its file in the site is still the very file this build wrote
    (same inode, size and modification time); anything else is rendered again.
    """

    def __init__(self, path: Path | None, fingerprint: str, site: Path, entries: dict[str, Any] | None = None):
        self.path = path
        self.fingerprint = fingerprint
        self.site = str(site)  # joined with every page: a str is much cheaper than a Path
        self._old = entries or {}
        self._new: dict[str, str] = {}

    @classmethod
    def open(cls, config: Config, config_path: Path, site: Path, code: str) -> PageLedger:
        path = folder(config) / "pages.json"
        _remove_orphans(path)
        fingerprint = _pages_fingerprint(config, config_path, code)
        data = _read_json(path)
        same = data.get("fingerprint") == fingerprint and data.get("site") == str(site)
        pages = data.get("pages")
        return cls(path, fingerprint, site, pages if same and isinstance(pages, dict) else None)

    def unchanged(self, page: str, key: str) -> bool:
        """Whether the site's file at `page` was rendered from the same inputs (`key`)."""
        self._new[page] = key
        entry = self._old.get(page)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != key:
            return False
        identity = _identity(os.path.join(self.site, page))
        return identity is not None and entry[1] == identity

    def save(self) -> None:
        """Record the files now in the site; never fail the build."""
        pages = {page: [key, _identity(os.path.join(self.site, page))] for page, key in self._new.items()}
        if self.path is None or pages == self._old:
            return
        _write_json(self.path, {"fingerprint": self.fingerprint, "site": self.site, "pages": pages})


def page_key(*inputs: object) -> str:
    """A page's key from the plain values (text, numbers, None, enum members, tuples) it is rendered from."""
    return digest(repr(inputs).encode())


def _pages_fingerprint(config: Config, config_path: Path, code: str) -> str:
    parts = [code, _file_digest(config_path), digest(_zone_rules(config.timezone.key))]
    if config.templates_dir.is_dir():
        for path in sorted(config.templates_dir.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(config.templates_dir).as_posix(), _file_digest(path)]
    return digest("\n".join(parts).encode())


def _file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""


def _identity(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]
