"""What checks saw, kept as JSON lines: data/probes/<component>/<YYYY-MM>.jsonl, one line per check.

Files are append-only and monthly (by the check's UTC time), so a commit's diff is the new lines
and an old month never changes. Whole lines are written with one `write` under a lock on the file
itself, so two probes appending at once never interleave; a reader skips a damaged line, naming it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.probes import Seen
from ..storage import locked

#: A monthly file's name, from a check's UTC time.
MONTH_FORMAT = "%Y-%m"
SUFFIX = ".jsonl"
#: Seconds to wait for another probe's append before giving up (an append takes microseconds).
LOCK_WAIT = 30.0
_SEEN = {s.value: s for s in Seen}


@dataclass(frozen=True)
class Check:
    """One check's outcome, as one line of the month's file."""

    at: datetime  # UTC, whole seconds: when the check (its first attempt) started
    location: str  # the probing host's name, or the probe's configured location
    seen: Seen
    interval_s: int  # how often this probe runs: what makes a silence a gap
    code: int | None = None  # the HTTP status, when there was an answer
    ms: int | None = None  # how long the (last) attempt took
    error: str | None = None  # why it failed, or why an attempt before the last one failed
    attempts: int = 1
    tls_expires: str | None = None  # the certificate's expiry date, for https

    def line(self) -> bytes:
        """The JSON line, keys in a fixed order and absent values left out, so diffs stay small."""
        data: dict[str, Any] = {
            "time": self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "location": self.location,
            "status": self.seen.value,
            "interval_s": self.interval_s,
        }
        optional = {
            "code": self.code,
            "ms": self.ms,
            "error": self.error,
            "attempts": self.attempts if self.attempts > 1 else None,
            "tls_expires": self.tls_expires,
        }
        data.update((key, value) for key, value in optional.items() if value is not None)
        return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class BadLine(ValueError):
    """A line that is not a check; the message says what is wrong with it."""


def parse(line: bytes) -> Check:
    """One line back into a Check; BadLine says why it cannot be."""
    try:
        data = json.loads(line)
    except ValueError:
        raise BadLine("not JSON (a line cut short by a crash, or a merge conflict)") from None
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    try:
        at = datetime.strptime(str(data["time"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        seen = _SEEN[data["status"]]
        interval = data["interval_s"]
    except KeyError as error:
        raise BadLine(
            f"missing or unknown {error.args[0]!r}; lines need time, status (up, degraded, down), interval_s"
        ) from None
    except ValueError:
        raise BadLine(f"time {data.get('time')!r} is not like 2026-03-14T09:05:00Z") from None
    if type(interval) is not int or interval <= 0:
        raise BadLine(f"interval_s must be a whole number of seconds, got {interval!r}")
    ms, attempts = data.get("ms"), data.get("attempts")
    return Check(
        at,
        str(data.get("location", "")),
        seen,
        interval,
        data.get("code") if type(data.get("code")) is int else None,
        ms if type(ms) is int else None,
        str(data["error"]) if data.get("error") is not None else None,
        attempts if type(attempts) is int else 1,
        str(data["tls_expires"]) if data.get("tls_expires") is not None else None,
    )


def month_file(folder: Path, component: str, at: datetime) -> Path:
    return folder / component / (at.astimezone(UTC).strftime(MONTH_FORMAT) + SUFFIX)


def append(folder: Path, component: str, checks: Iterable[Check]) -> list[Path]:
    """Append the checks to their months' files; each file's lines in one write, with the file locked."""
    by_file: dict[Path, list[bytes]] = {}
    for check in sorted(checks, key=lambda c: c.at):
        by_file.setdefault(month_file(folder, component, check.at), []).append(check.line())
    for path, lines in by_file.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path, wait=LOCK_WAIT):  # the file itself: no lock file to leave behind or commit
            _append_whole(path, b"".join(lines))
    return list(by_file)


def _append_whole(path: Path, data: bytes) -> None:
    """O_APPEND: every write lands at the end; a file cut short by a crash gets its line ended first."""
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(handle).st_size
        if size:
            with open(path, "rb") as file:
                file.seek(size - 1)
                if file.read(1) != b"\n":
                    data = b"\n" + data
        written = 0
        while written < len(data):
            written += os.write(handle, data[written:])
    finally:
        os.close(handle)


def months(folder: Path, component: str) -> list[Path]:
    """A component's monthly files, oldest first."""
    try:
        return sorted(p for p in (folder / component).iterdir() if p.suffix == SUFFIX and p.is_file())
    except OSError:
        return []


def components(folder: Path) -> list[str]:
    """The components that have a folder of checks."""
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their numbers."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield number, line
