"""Write a note so it is never lost or half-written, and only if it reads back as valid.

The new bytes go to a temporary file in the note's own folder (so the rename cannot cross
file systems), are flushed to disk, parsed back with the same loader the build uses, and
only then renamed over the original. On any failure the original file is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.addresses import slugify
from ..core.config import Config
from ..core.model import Incident
from ..core.words import N_
from ..errors import ChangedError, ContentError, EditError, NoteError, Problem, as_problems, display_path
from ..notes.discover import NoteFile
from ..notes.load import load_note
from ..notes.markdown import Markup

_EXISTS = N_("%(path)s already exists; nothing was changed")


@dataclass(frozen=True)
class Saved:
    path: Path
    incident: Incident
    warnings: list[Problem]


def save(
    path: Path,
    data: bytes,
    config: Config,
    *,
    original: bytes | None,
    check: Callable[[Incident], None] | None = None,
) -> Saved:
    """Replace `path` with `data` (or create it when `original` is None) if the result is a valid note.

    `original` is what the caller read before editing: if the file changed since (a person
    saving it in an editor meanwhile), nothing is written. `check` may refuse the parsed
    result by raising EditError.
    """
    target = path.resolve()  # through a symlink: replace the note, not the link
    shown = display_path(path)
    temp: Path | None = None
    try:
        if original is None:
            _folder(target.parent, shown)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        temp = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, _mode(target, original is not None))
        incident, warnings = _read_back(temp, target, shown, config)
        if check is not None:
            check(incident)
        if original is None:
            _create(temp, target, shown)
        else:
            _replace(temp, target, shown, original)
        _sync_folder(target.parent)
    except OSError as error:  # a read-only or full folder, say
        raise EditError(
            N_("cannot write %(path)s: %(reason)s; the note is unchanged"),
            values={"path": shown, "reason": error.strerror or str(error)},
        ) from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return Saved(path, incident, warnings)


def _folder(folder: Path, shown: str) -> None:
    """The folder a new note goes in, made if missing."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file by that name
        raise EditError(
            N_("cannot write %(path)s: %(folder)s is not a folder; the note is unchanged"),
            values={"path": shown, "folder": display_path(folder)},
        ) from None


def _read_back(temp: Path, target: Path, shown: str, config: Config) -> tuple[Incident, list[Problem]]:
    try:
        incident, warnings = load_note(NoteFile(str(temp.parent), temp.name, slugify(target.stem)), config, Markup())
    except NoteError as error:
        raise ContentError(error.for_file(shown)) from None
    return incident, as_problems(shown, warnings, warning=True)


def _mode(target: Path, exists: bool) -> int:
    """Keep an edited note's permissions; give a new one the usual umask-based mode."""
    if exists:
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _create(temp: Path, target: Path, shown: str) -> None:
    """Put the new note in place, refusing (atomically, where hard links work) to overwrite one."""
    try:
        os.link(temp, target)
        return
    except FileExistsError:
        raise EditError(_EXISTS, values={"path": shown}) from None
    except OSError:
        pass  # a file system without hard links
    if target.exists():
        raise EditError(_EXISTS, values={"path": shown})
    os.replace(temp, target)


def _replace(temp: Path, target: Path, shown: str, original: bytes) -> None:
    try:
        current = target.read_bytes()
    except FileNotFoundError:
        current = None
    if current != original:
        raise ChangedError(
            N_("%(path)s was changed by someone else while it was being edited; nothing was changed, try again"),
            values={"path": shown},
        )
    os.replace(temp, target)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
