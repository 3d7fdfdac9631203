"""Snapshots of a vendor's summary in `data/upstream/<id>/`: one small JSON file per UTC day.

A day's file lists the distinct summaries seen that day, each with when it was first seen
(`at`) and last confirmed (`checked`); a fetch that finds nothing new only moves `checked`,
and the first fetch of a day starts the day's file with the summary then in force. So every
file stands on its own, the day bars need nothing older than the window, and files older
than the window are deleted: the folder holds at most `uptime.days` + 2 files. Reading needs
no network, so `--offline` builds and `check` read the same snapshots a build would.

Each entry also names what its summary was cut for (the page and the components asked for,
`selection`), so a fetch knows whether the stored ETag still stands for what the config asks.
Anything else in the folder is not ours: it is reported and left alone.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import storage
from ..core.config import Config, UpstreamSource
from ..core.upstream import Snapshot
from ..errors import Problem, display_path
from . import document

log = logging.getLogger(__name__)

FORMAT = 1
_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")


def folder(config: Config, source: UpstreamSource) -> Path:
    return config.upstream_dir / source.id


def read(config: Config, source: UpstreamSource) -> tuple[list[Snapshot], list[Problem]]:
    """Every stored snapshot of the vendor, oldest first, and a warning per unreadable or stray file."""
    snapshots, problems = [], []
    place = folder(config, source)
    for path in _strays(place):
        problems.append(Problem(display_path(path), None, "not named after a day (YYYY-MM-DD.json); ignored", True))
    for _, path in _day_files(place):
        entries = _entries(path)
        if entries is None:
            problems.append(Problem(display_path(path), None, "not a snapshot file statuspage wrote; ignored", True))
            continue
        for entry in entries:
            snapshot = _snapshot(entry, source)
            if snapshot is not None:
                snapshots.append(snapshot)
    snapshots.sort(key=lambda s: s.at)
    return snapshots, problems


def latest(config: Config, source: UpstreamSource) -> dict[str, Any] | None:
    """The newest stored entry: its summary, its ETag and when it was last confirmed."""
    for _, path in reversed(_day_files(folder(config, source))):
        entries = _entries(path)
        if entries:
            return entries[-1]
    return None


def selection(source: UpstreamSource) -> dict[str, Any]:
    """What a stored summary is cut for: the page, and the components the config asks for."""
    return {"url": source.url, "components": list(source.components)}


def etag(entry: dict[str, Any] | None, source: UpstreamSource) -> str | None:
    """The entry's ETag, if its summary was cut for what `source` asks now (else a 304 would keep the old cut)."""
    if entry is None or entry.get("selection") != selection(source):
        return None
    tag = entry.get("etag")
    return tag if isinstance(tag, str) and tag else None


def record(config: Config, source: UpstreamSource, summary: dict[str, Any], etag: str | None, moment: datetime) -> None:
    """Store what the vendor says at `moment`; the same summary as before only moves `checked`."""
    place = folder(config, source)
    today = place / f"{moment.date().isoformat()}.json"
    entries = list(_entries(today) or [])
    stamp = moment.isoformat().replace("+00:00", "Z")
    previous = latest(config, source)
    kept = {"etag": etag, "selection": selection(source)}
    if entries and previous is not None and previous.get("summary") == summary:
        entries[-1] = {**entries[-1], "checked": stamp, **kept}
    else:
        entries.append({"at": stamp, "checked": stamp, **kept, "summary": summary})
    storage.write_json(today, {"format": FORMAT, "vendor": source.id, "snapshots": entries})
    _prune(place, moment.date() - timedelta(days=config.uptime_days + 1))


def _prune(place: Path, oldest: date) -> None:
    """Delete the day files the bars can no longer show."""
    for day, path in _day_files(place):
        if day < oldest:
            log.debug("deleting %s, older than the uptime window", path)
            path.unlink(missing_ok=True)


def _day_files(place: Path) -> list[tuple[date, Path]]:
    """The folder's files named after a day, oldest first."""
    return sorted((day, path) for path in _listing(place) if (day := _day(path)) is not None)


def _strays(place: Path) -> list[Path]:
    """What else is in the folder (hidden files such as .gitkeep aside)."""
    return sorted(path for path in _listing(place) if _day(path) is None and not path.name.startswith("."))


def _day(path: Path) -> date | None:
    if not _DAY_FILE.fullmatch(path.name):
        return None
    try:
        return date.fromisoformat(path.stem)
    except ValueError:  # 2026-13-45.json
        return None


def _listing(place: Path) -> list[Path]:
    try:
        return list(place.iterdir())
    except OSError:
        return []


def _entries(path: Path) -> list[dict[str, Any]] | None:
    """The file's entries; None when it exists but is not a file of ours."""
    data = storage.read_json(path)
    entries = data.get("snapshots")
    if not isinstance(entries, list):
        return None if path.exists() else []
    return [e for e in entries if isinstance(e, dict)]


def _snapshot(entry: dict[str, Any], source: UpstreamSource) -> Snapshot | None:
    at, checked = document.time(entry.get("at")), document.time(entry.get("checked"))
    if at is None:
        return None
    try:
        return document.parse(entry.get("summary"), source, at, max(checked or at, at))
    except document.NotASummary:
        return None
