"""Snapshots of a vendor's summary in `data/upstream/<id>/`: one small JSON file per UTC day.

A day's file lists the distinct summaries seen that day, each with when it was first seen
(`at`) and last confirmed (`checked`); a fetch that finds nothing new only moves `checked`,
and the first fetch of a day starts the day's file with the summary then in force. So every
file stands on its own, the day bars need nothing older than the window, and files older
than the window are deleted: the folder holds at most `uptime.days` + 2 files. Reading needs
no network, so `--offline` builds and `check` read the same snapshots a build would.
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
    """Every stored snapshot of the vendor, oldest first, and a warning per unreadable file."""
    snapshots, problems = [], []
    for path in _day_files(folder(config, source)):
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
    for path in reversed(_day_files(folder(config, source))):
        entries = _entries(path)
        if entries:
            return entries[-1]
    return None


def record(config: Config, source: UpstreamSource, summary: dict[str, Any], etag: str | None, moment: datetime) -> None:
    """Store what the vendor says at `moment`; the same summary as before only moves `checked`."""
    place = folder(config, source)
    today = place / f"{moment.date().isoformat()}.json"
    entries = list(_entries(today) or [])
    stamp = moment.isoformat().replace("+00:00", "Z")
    previous = latest(config, source)
    if entries and previous is not None and previous.get("summary") == summary:
        entries[-1] = {**entries[-1], "checked": stamp, "etag": etag}
    else:
        entries.append({"at": stamp, "checked": stamp, "etag": etag, "summary": summary})
    storage.write_json(today, {"format": FORMAT, "vendor": source.id, "snapshots": entries})
    _prune(place, moment.date() - timedelta(days=config.uptime_days + 1))


def _prune(place: Path, oldest: date) -> None:
    """Delete the day files the bars can no longer show."""
    for path in _day_files(place):
        if date.fromisoformat(path.stem) < oldest:
            log.debug("deleting %s, older than the uptime window", path)
            path.unlink(missing_ok=True)


def _day_files(place: Path) -> list[Path]:
    try:
        return sorted(p for p in place.iterdir() if _DAY_FILE.fullmatch(p.name))
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
