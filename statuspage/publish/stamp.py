"""The stamp of the last build that reached the site: when a build's inputs are those very
inputs, it has nothing to do, and says so in the time it takes to look at the files.

The inputs are known without reading a note: the config's bytes, the identity (size, times,
inode) of every note (as the caller listed them: the build finds that very listing again),
template, static file and data file, the code and its libraries, `now` and the options. A
file modified within the same instant the stamp was written may have changed again within
one timestamp tick, so then the build runs (git's "racily clean" guard).
The site must also still be the folder that build left, and its spare too (their identities,
as the page ledger checks them); `build --force` ignores the stamp. Anything else, and the build runs as usual; a build that fails
leaves the stamp as it was.

This module imports nothing heavy: a scheduled build with nothing new costs a glance, not the
start-up of the template engine and the Markdown parser.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import time
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..core.config import CACHE_FOLDER, site_root
from ..errors import Problem
from ..storage import identity, read_json, write_json
from .writer import folders_of

STAMP = "stamp.json"
#: A file modified this close to the stamp's writing may have changed again within one tick.
RACY_NS = 2_000_000_000
#: Libraries whose upgrade changes what a build makes: their installed files are part of the key.
_LIBRARIES = ("jinja2", "markupsafe", "babel", "pyromark", "nh3", "yaml", "feedgen", "icalendar", "lxml", "tzdata")
_PACKAGE = Path(__file__).parent.parent


@dataclass(frozen=True)
class Stamp:
    key: str
    warnings: list[Problem]
    files: int
    bytes: int
    notes: int


#: A note's name and identity as listed (`notes.discover.Identity`: size, mtime, ctime, inode;
#: None for what is not a regular file).
ListedNote = tuple[str, tuple[int, int, int, int] | None]


def inputs_key(
    config_path: Path, out: Path | None, now: str | None, strict: bool | None, notes: Iterable[ListedNote]
) -> tuple[str, int] | None:
    """The key of a build's inputs and the newest modification among them (ns); None when they
    cannot be known without building (no --now or SOURCE_DATE_EPOCH: the clock moves)."""
    moment = now or os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not moment:
        return None
    root = site_root(config_path)
    try:
        config = config_path.read_bytes()
    except OSError:
        return None
    parts: list[object] = [sys.version, moment, strict, str((out or root / "site").resolve()), config, _code()]
    parts.append(_zone_rules(config))
    newest = 0
    for name, listed in notes:
        parts.append(("incidents", name, listed))
        if listed is not None:
            newest = max(newest, listed[1], listed[2])
    for folder in ("templates", "static", "data"):
        for path, ident in _files(root / folder):
            parts.append((folder, path, ident))
            newest = max(newest, ident[2], ident[3])
    # marshal: unambiguous like repr, in a quarter of its time at 10,000 notes. Format 2, as
    # later ones mark shared and interned objects, so equal inputs could give other bytes; a
    # format may change with Python's version, which is part of the key
    return hashlib.sha256(marshal.dumps(parts, 2)).hexdigest(), newest


def unchanged(known: tuple[str, int] | None, config_path: Path, out: Path | None, fetching: bool) -> Stamp | None:
    """The last build's stamp when a build of the inputs `known` (from `inputs_key`) would make
    exactly what it made; else None. A build that fetches third-party pages cannot know its
    inputs before it fetches them."""
    if known is None:
        return None
    key, newest = known
    root = site_root(config_path)
    data = read_json(root / CACHE_FOLDER / STAMP)
    if data.get("key") != key or not isinstance(data.get("written_ns"), int) or (fetching and data.get("upstream")):
        return None
    if newest >= data["written_ns"] - RACY_NS:
        return None  # modified in the instant the stamp was taken: it cannot vouch for it
    if data.get("site") != folders_of((out or root / "site").resolve()):
        return None  # the site is not the one that build wrote
    try:
        warnings = [Problem(w[0], w[1], w[2], True) for w in data["warnings"]]
        return Stamp(key, warnings, int(data["stats"][0]), int(data["stats"][1]), int(data["notes"]))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def record(known: tuple[str, int] | None, config_path: Path, result: Any) -> None:
    """Stamp a build that reached the site with the inputs as they were seen before it read them:
    a file changed while it ran no longer matches, so the next build runs."""
    if known is None:
        return
    warnings = [[w.path, w.line, w.message] for w in result.inputs.warnings]
    write_json(
        site_root(config_path) / CACHE_FOLDER / STAMP,
        {
            "key": known[0],
            "written_ns": time.time_ns(),
            "site": folders_of(result.site),
            "warnings": warnings,
            "stats": [result.stats.files, result.stats.bytes],
            "notes": len(result.inputs.incidents),
            "upstream": bool(result.inputs.config.upstream),
        },
    )


def _files(folder: Path) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Every file under `folder` (sorted) with its identity: size, inode, mtime and ctime."""
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(parent, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append((path, (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)))
    return found


def _zone_rules(config: bytes) -> object:
    """The identity of the compiled rules of the config's time zone: new tzdata can move an offset."""
    found = re.search(rb'^\s*timezone\s*=\s*"([^"]+)"', config, re.MULTILINE)
    name = found.group(1).decode("utf-8", "replace") if found else "UTC"
    return [identity(os.path.join(base, name)) for base in zoneinfo.TZPATH]


def _code() -> list[object]:
    """This package's files and its libraries' installed files, by identity: an upgrade or an
    edit of either changes the key."""
    parts: list[object] = list(_files(_PACKAGE))
    for name in _LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec else None
        parts.append((name, identity(origin) if origin else None))
    return parts
