"""Small state files that must survive between runs: read tolerantly, replaced atomically.

Caches, ledgers and snapshots are JSON, written to a temporary file beside the target and
renamed over it, so a killed process leaves the old file or the new one, never half of
either. Anything unreadable counts as empty: state is never a reason for a run to fail.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: What this process last read or wrote of each file: its identity and its data, so a file
#: that has not changed since is not read and parsed again (the preview server rebuilds often).
#: Kept only in a process that runs again (see `remember`): in any other, it held a build's
#: caches, long parsed, to its end (17 MB of a cold build's peak at 10,000 notes).
_SEEN: dict[str, tuple[list[int], dict[str, Any]]] = {}
_remembering = False


def remember() -> None:
    """From now on keep what is read and written, for a process that runs again (the preview)."""
    global _remembering
    _remembering = True


def read_json(path: Path) -> dict[str, Any]:
    """The file's data, never to be modified (it may be shared with the next reader); {} if unreadable."""
    current = identity(str(path)) if _remembering else None
    seen = _SEEN.get(str(path))
    if current is not None and seen is not None and seen[0] == current:
        return seen[1]
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if current is not None:
        _SEEN[str(path)] = current, data
    return data


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Replace the file atomically; a failure to write is logged, never raised."""
    try:
        _replace(path, data, readable=False, durable=False)  # a cache: a lost write costs a recomputation
    except OSError as error:
        log.debug("cannot write %s: %s", path, error)


def replace_json(path: Path, data: Mapping[str, Any], *, readable: bool = False) -> None:
    """Replace the file atomically and durably, or raise OSError: for state whose loss matters (the
    notify ledger). The new file reaches the disk before it takes the old one's place, and the
    folder after: otherwise a power cut soon after can leave an empty file where the old one
    was (the rename can reach the disk before the data).

    `readable` writes one key a line, sorted, for a file that is committed and read in diffs.
    """
    _replace(path, data, readable=readable, durable=True)


def _replace(path: Path, data: Mapping[str, Any], *, readable: bool, durable: bool) -> None:
    import tempfile  # here, not at the top: a build with nothing to do (publish.stamp) writes nothing

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            if readable:
                file.write((json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode())
            else:
                file.write(json.dumps(data, separators=(",", ":")).encode())  # dumps uses the C encoder; dump does not
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
        if durable:
            _sync_folder(path.parent)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    written = identity(str(path)) if _remembering else None
    if written is not None:
        _SEEN[str(path)] = written, dict(data)


def shard_of(name: str, count: int) -> int:
    """Which of `count` files holds `name`'s entry: the same in every process (not `hash`)."""
    return zlib.crc32(name.encode()) % count


def shard_path(folder: Path, number: int) -> Path:
    return folder / f"{number:02d}.json"


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a no-op where folders cannot be opened (Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file's own data is on disk
    finally:
        os.close(handle)


def remove_orphans(*paths: Path) -> None:
    """Remove the temporary files of saves of these files whose process died before renaming
    them (`.NAME.PID.…`, see `_replace`); each folder is listed once, however many files it holds."""
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C on Windows
        return
    names: dict[Path, set[str]] = {}
    for path in paths:
        names.setdefault(path.parent, set()).add(path.name)
    for folder, wanted in names.items():
        try:
            entries = [entry.name for entry in os.scandir(folder) if entry.name.startswith(".")]
        except OSError:
            continue  # no folder yet: nothing was saved there
        for entry, name in itertools.product(entries, wanted):
            pid = entry.removeprefix(f".{name}.").partition(".")[0] if entry.startswith(f".{name}.") else ""
            if pid.isdigit() and not _alive(int(pid)):
                (folder / entry).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's (or no such call on this platform)
        return True
    return True


def identity(path: str) -> list[int] | None:
    """What tells a file apart from its replacement: inode, size and modification time."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


class Locked(Exception):
    """Another process holds the lock; the message says which file."""


@contextmanager
def locked(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on `path` (a lock file beside the state it guards) while the block runs.

    Another process asking waits up to `wait` seconds, then gets `Locked`: two overlapping CI
    jobs never both act on the same state. Windows has no advisory locks: there it does not wait.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        if fcntl is None:
            yield
            return
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Locked(f"{path} is held by another run") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
