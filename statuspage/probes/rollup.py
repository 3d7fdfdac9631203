"""The build's view of data/probes/: per component, runs of one verdict and each day's latency.

A month's file is summed up once: its summary is cached in .statuspage-cache/probes.json by the
file's size and SHA-256 (and, to skip even reading it, its inode and modification time). Files
are append-only, so every month but the current one is read once and never again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..core.config import Config
from ..core.probes import Latency, ProbeHistory, Run, Seen, join, latency
from ..core.uptime import midnight
from ..errors import Problem, display_path
from ..fingerprint import code_fingerprint, digest, zone_rules
from ..storage import identity, read_json, remove_orphans, write_json
from . import store

log = logging.getLogger(__name__)

CACHE_NAME = "probes.json"
_SEEN = {s.value: s for s in Seen}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read(config: Config, save: bool = True) -> tuple[dict[str, ProbeHistory], list[Problem]]:
    """Every component's probe history, and a warning per damaged line or unknown component."""
    folder = config.probes_dir
    if not folder.is_dir():
        return {}, []
    cache = _Cache(config)
    histories: dict[str, ProbeHistory] = {}
    warnings: list[Problem] = []
    for cid in store.components(folder):
        if cid not in config.component_names:
            shown = display_path(folder / cid)
            warnings.append(Problem(shown, None, f"no component {cid!r} in the config; its checks are ignored", True))
            continue
        summaries = [(path, cache.summary(path)) for path in store.months(folder, cid)]
        for path, summary in summaries:
            warnings += [Problem(display_path(path), line, message, True) for line, message in summary["bad"]]
        histories[cid] = _history(s for _, s in summaries)
    if save:
        cache.save()
    return histories, warnings


def _history(summaries: Iterable[dict[str, Any]]) -> ProbeHistory:
    """Months' summaries (oldest first) joined into one history."""
    runs: list[Run] = []
    days: dict[str, Latency] = {}
    edges: dict[str, list[int]] = {}
    for summary in summaries:
        runs += [Run(_moment(a), _moment(b), _SEEN[seen], every) for a, b, seen, every in summary["runs"]]
        days.update({day: Latency(*values) for day, values in summary["days"].items()})
        for day, values in summary["edges"].items():
            edges.setdefault(day, []).extend(values)
    for day, values in edges.items():
        found = latency(values)
        if found is not None and day not in days:
            days[day] = found
    return ProbeHistory(tuple(join(runs)), {date.fromisoformat(d): value for d, value in sorted(days.items())})


def summarize(data: bytes, month_start: datetime | None, zone: ZoneInfo) -> dict[str, Any]:
    """One month's file summed up: runs, latency of the days wholly inside it, raw values of the others."""
    checks: list[store.Check] = []
    bad: list[list[Any]] = []
    for number, line in store.lines(data):
        try:
            checks.append(store.parse(line))
        except store.BadLine as error:
            bad.append([number, f"skipped: {error}"])
    checks.sort(key=lambda c: c.at)
    runs = join(Run(c.at, c.at, c.seen, c.interval_s) for c in checks)
    by_day: dict[date, list[int]] = {}
    for check in checks:
        if check.seen is not Seen.DOWN and check.ms is not None:
            by_day.setdefault(check.at.astimezone(zone).date(), []).append(check.ms)
    days, edges = {}, {}
    for day, values in by_day.items():
        if month_start is not None and _inside(day, month_start, zone):
            found = latency(values)
            assert found is not None
            days[day.isoformat()] = [found.median_ms, found.p95_ms, found.checks]
        else:
            edges[day.isoformat()] = values
    return {
        "runs": [[_seconds(r.first), _seconds(r.last), r.seen.value, r.interval_s] for r in runs],
        "days": days,
        "edges": edges,
        "bad": bad,
    }


def _inside(day: date, month_start: datetime, zone: ZoneInfo) -> bool:
    """Whether the local day lies wholly in the UTC month, so no other file has checks of it."""
    following = (month_start + timedelta(days=32)).replace(day=1)
    return month_start <= midnight(day, zone) and midnight(day + timedelta(days=1), zone) <= following


def _month_start(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.stem, store.MONTH_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None  # not named by its month: every day's values are kept raw


class _Cache:
    """Summaries by file, valid for one code version and one zone's rules."""

    def __init__(self, config: Config):
        self.path = config.cache_dir / CACHE_NAME
        self.root = config.root
        self.zone = config.timezone
        zone = config.timezone.key
        self.fingerprint = digest("\n".join([code_fingerprint(), zone, digest(zone_rules(zone))]).encode())
        remove_orphans(self.path)
        data = read_json(self.path)
        files = data.get("files") if data.get("fingerprint") == self.fingerprint else None
        self.old: dict[str, Any] = files if isinstance(files, dict) else {}
        self.new: dict[str, Any] = {}
        self.read = 0  # files read this build: what the cache saves is told by this

    def summary(self, path: Path) -> dict[str, Any]:
        key = path.relative_to(self.root).as_posix()
        entry = self.old.get(key)
        now = identity(str(path))
        if isinstance(entry, dict) and entry.get("identity") == now and now is not None:
            self.new[key] = entry
            return dict(entry["summary"])
        try:
            data = path.read_bytes()
        except OSError as error:
            return {"runs": [], "days": {}, "edges": {}, "bad": [[None, f"cannot be read: {error.strerror}"]]}
        self.read += 1
        stamp = {"size": len(data), "digest": digest(data)}
        if isinstance(entry, dict) and all(entry.get(k) == v for k, v in stamp.items()):
            summary = entry["summary"]  # the same bytes, checked out anew (git, CI): not parsed again
        else:
            summary = summarize(data, _month_start(path), self.zone)
        self.new[key] = {**stamp, "identity": now, "summary": summary}
        return dict(summary)

    def save(self) -> None:
        if self.new != self.old:
            write_json(self.path, {"fingerprint": self.fingerprint, "files": self.new})


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)
