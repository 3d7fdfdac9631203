"""Watch a site's inputs and tell one rebuilding thread when they have changed.

The watchdog callback only sets a flag and notes the paths. The rebuilding thread waits for
the inputs to be quiet for a moment, so an editor's save burst (write a temp file, rename it,
touch it) gives one rebuild, and hands the paths to the build, which looks at only those notes
again. Only the config, `incidents/` and `templates/` are watched, never the output, and
editor leftovers (swap files, backups, our own temp files) are ignored.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

log = logging.getLogger(__name__)

#: Rebuild once the inputs have been quiet this long (seconds): an editor's save (a temporary
#: file renamed over the note, a backup made and removed) is over within milliseconds, and a
#: change that comes later still rebuilds again, so the wait need only be short. A finished
#: save (a file closed after writing, or renamed into place) among changes that began out of
#: quiet needs no wait at all: that is someone saving a note, not a burst of saves...
QUIET = 0.05
#: ...or after this long, even while events keep coming.
LONGEST_WAIT = 1.0

_CHANGES = {"created", "deleted", "modified", "moved", "closed"}  # not "opened": reading a file is no change
_LEFTOVER_PREFIXES = (".", "~", "#")
_LEFTOVER_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig")
_VIM_PROBE = "4913"  # vim creates and deletes this file to test whether a folder is writable


def is_leftover(name: str) -> bool:
    """Editor swap and backup files, hidden files, and the temp files our own writes use."""
    return name.startswith(_LEFTOVER_PREFIXES) or name.endswith(_LEFTOVER_SUFFIXES) or name == _VIM_PROBE


#: More events than this between two rebuilds (a checkout, a copied folder) and the rebuild
#: looks at every note: a flood may overflow the kernel's event queue, and what it drops no
#: one is told about (watchdog only logs it). A flood that big reaches us by the thousand.
FLOOD = 2000


class Changes:
    """A flag set from any thread, and the paths that changed; `wait` returns once changes
    have settled, and `take` says what they were."""

    def __init__(self) -> None:
        self._flag = threading.Event()
        self._last = 0.0
        self._lock = threading.Lock()
        self._paths: set[Path] | None = set()  # None: anything may have changed
        self._events = 0
        self._open = False  # whether changes came in since `wait` last returned
        self._calm = False  # whether they began after a quiet moment
        self._saved = False  # and a finished save is among them: no need to wait for quiet
        self.stopped = False

    def saw(self) -> None:
        """Count an event, even one that changes nothing we read: a flood of any kind can overflow."""
        with self._lock:
            self._events += 1
            if self._events > FLOOD:
                self._paths = None

    def mark(self, paths: Iterable[Path] | None = None, saved: bool = False) -> None:
        """These paths changed (`saved`: in a finished save); without them, anything may have
        (a post from the console, say)."""
        now = time.monotonic()
        with self._lock:
            if paths is None or self._paths is None:
                self._paths = None
            else:
                self._paths.update(paths)
            if not self._open:
                self._open, self._calm = True, now - self._last >= QUIET
            self._saved = self._saved or (saved and self._calm)
            self._last = now
        self._flag.set()

    def stop(self) -> None:
        self.stopped = True
        self._flag.set()

    def coming(self) -> bool:
        """Whether something changed since `wait` last returned, or does within QUIET seconds.
        A build that failed on a note that vanished mid-save asks this: the watcher's word of
        that save can come a few milliseconds after the build found the note gone."""
        return self._flag.wait(QUIET)

    def wait(self) -> bool:
        """Block until something changed and has been quiet for QUIET seconds; False once stopped."""
        self._flag.wait()
        first = time.monotonic()
        while not self.stopped and not self._saved:
            now = time.monotonic()
            remaining = min(self._last + QUIET, first + LONGEST_WAIT) - now
            if remaining <= 0:
                break
            time.sleep(remaining)
        # Cleared before the rebuild reads anything: a change from now on sets it again.
        with self._lock:
            self._flag.clear()
            self._open = self._saved = False
        return not self.stopped

    def take(self) -> frozenset[Path] | None:
        """The paths marked since the last `take`; None when anything may have changed. Taken
        after `wait` and before the rebuild reads: a change from then on is in the next."""
        with self._lock:
            taken, self._paths, self._events = self._paths, set(), 0
        return None if taken is None else frozenset(taken)


class Watcher(FileSystemEventHandler):
    """Marks `changes` when the config file or anything in the watched folders changes."""

    def __init__(self, config_path: Path, folders: tuple[Path, ...], changes: Changes):
        self.config_path = config_path.resolve()
        self.folders = tuple(folder.resolve() for folder in folders)
        self.changes = changes
        self._observer = Observer()
        self._watches: dict[Path, ObservedWatch] = {}
        # Folders created, deleted or moved since they were last watched. An inode number would not
        # tell: a folder deleted and made again often gets its old number back.
        self._replaced: set[Path] = set()

    def start(self) -> None:
        self._observer.schedule(self, str(self.config_path.parent), recursive=False)
        self.refresh()
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join()

    def refresh(self) -> None:
        """Watch the folders as they are now: one may have been created, or deleted or renamed and made anew."""
        for folder in self.folders:
            if folder in self._watches and folder not in self._replaced:
                continue
            self._replaced.discard(folder)  # before watching anew: a later replacement brings us back here
            known = self._watches.pop(folder, None)
            if known is not None:
                self._observer.unschedule(known)
            try:
                if folder.is_dir():
                    self._watches[folder] = self._observer.schedule(self, str(folder), recursive=True)
            except FileNotFoundError:
                pass  # gone since we looked: its return is an event beside the config, so we come back here
            except OSError as error:  # out of inotify watches, say: keep serving, and say why edits go unseen
                log.error("cannot watch %s for changes: %s; restart the preview to see them", folder, error)

    def snapshot(self) -> dict[str, tuple[int, ...] | None]:
        """The state of every input (None: missing), to tell changes made while nothing watched.
        A folder's times change when an entry in it is created, deleted or renamed."""
        paths = [str(self.config_path)]
        for folder in self.folders:
            paths.append(str(folder))
            for parent, subfolders, files in os.walk(folder):
                subfolders[:] = [name for name in subfolders if not is_leftover(name)]
                paths += [os.path.join(parent, name) for name in subfolders + files if not is_leftover(name)]
        return {path: _state(path) for path in paths}

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.changes.saw()
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder is "modified" when a file in it is, even a swap file: the file's own event counts
        paths = [Path(os.fsdecode(raw)) for raw in (event.src_path, event.dest_path) if raw]
        self._replaced.update(path for path in paths if path in self.folders)  # before the mark that leads to refresh
        if any(path == self.config_path for path in paths):
            self.changes.mark()  # the config may move the notes: everything is looked at again
        elif any(self._relevant(path) for path in paths):
            written = paths[-1]  # what was closed, or the name a file was renamed to
            saved = event.event_type in ("closed", "moved") and not event.is_directory and self._relevant(written)
            self.changes.mark(paths, saved)

    def _relevant(self, path: Path) -> bool:
        if path == self.config_path or path in self.folders:
            return True
        inside = any(folder in path.parents for folder in self.folders)
        return inside and not any(is_leftover(part) for part in _parts_below(path, self.folders))


def _state(path: str) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _parts_below(path: Path, folders: tuple[Path, ...]) -> tuple[str, ...]:
    """The path's parts below the watched folder holding it ("custom/head.html")."""
    for folder in folders:
        if folder in path.parents:
            return path.relative_to(folder).parts
    return ()
