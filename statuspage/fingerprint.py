"""Fingerprints: what, besides a note's bytes, shapes a parsed note or a rendered page.

A cache entry is used only when its fingerprint matches: this package's own files, the
versions of the libraries it parses and renders with, the Python version and the compiled
rules of the site's time zone (new tzdata can move an offset).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
import zoneinfo
from pathlib import Path

_PACKAGE = Path(__file__).parent
#: Libraries whose versions shape parsed notes or rendered pages.
_LIBRARIES = ("pyromark", "nh3", "PyYAML", "Jinja2", "Babel", "MarkupSafe", "feedgen", "lxml")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The digest of a file's bytes; "" if it cannot be read."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return ""


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder`, by name and bytes (of nothing, if there is no folder)."""
    parts = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), file_digest(path)]
    return digest("\n".join(parts).encode())


@functools.cache  # the code does not change while a process runs
def code_fingerprint() -> str:
    """This package's own files and the versions of the libraries it renders with."""
    parts = [sys.version, *(_version(name) for name in _LIBRARIES)]
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(_PACKAGE).as_posix(), digest(path.read_bytes())]
    return digest("\n".join(parts).encode())


def _version(name: str) -> str:
    """A library's version, from the name of the `.dist-info` folder installers make, the first
    on the path as Python would import it (importlib.metadata tells the same, but importing it
    costs a tenth of a one-note rebuild's start-up)."""
    wanted = _project(name)
    for folder in sys.path:
        for entry in _listing(folder):
            project, _, version = entry.removesuffix(".dist-info").partition("-")
            if entry.endswith(".dist-info") and _project(project) == wanted:
                return f"{name}={version}"
    from importlib import metadata  # installed some other way: ask the slow way

    try:
        return f"{name}={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name}=?"


def _project(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # as PEP 503 compares names


@functools.cache
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder or "."))
    except OSError:
        return ()


def zone_rules(key: str) -> bytes:
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
