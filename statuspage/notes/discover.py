"""Find the notes in `incidents/` and read each one's bytes and text, within the limits.

Only what the file system and the text encoding can get wrong is checked here; what the
note says is the reader's business.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from ..core.addresses import slugify
from ..errors import NoteError
from ..schema import CONTROL_CHARACTERS

#: Limits that keep one note's parse and render within a second or two (docs/robustness.md).
MAX_NOTE_BYTES = 256_000
MAX_NOTE_LINES = 10_000


class NoteFile(NamedTuple):
    """A note as its folder lists it. A named tuple: 10,000 of them take 6 ms to make, a frozen dataclass's 15."""

    folder: str
    name: str
    slug: str
    link: bool = False  # a symbolic link, which may lead out of the folder

    @property
    def location(self) -> str:
        """The note's path as text: what messages and `Incident.source` show."""
        return f"{self.folder}{os.sep}{self.name}"  # os.path.join, without its cost at 10,000 notes

    @property
    def path(self) -> Path:
        return Path(self.location)


#: What tells a note apart from an edited one without reading it, as git's index does: size,
#: modification and change times (nanoseconds) and inode. Editors that replace a file change
#: the inode; `touch` changes the times; a rewrite of the same bytes is seen as a change and
#: costs one hash.
Identity = tuple[int, int, int, int]


def identity_of(info: os.stat_result) -> Identity:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def identify(path: str) -> Identity | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return identity_of(info) if stat.S_ISREG(info.st_mode) else None


def discover(folder: Path) -> list[NoteFile]:
    """Every `*.md` in the folder, sorted, skipping hidden files, editor leftovers and README.md."""
    try:
        with os.scandir(folder) as entries:  # the folder's listing says which are links: no call per note
            found = {entry.name: entry.is_symlink() for entry in entries if _is_note(entry.name)}
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [NoteFile(str(folder), name, slugify(name[:-3]), found[name]) for name in sorted(found)]


#: Each notes folder as this process last listed it: the names in order, and each note with
#: its identity. A preview lists the folder again on every save; its watcher says what changed.
_LISTED: dict[str, tuple[list[str], dict[str, tuple[NoteFile, Identity | None]]]] = {}


def listing(folder: Path, changed: Collection[Path] | None = None) -> list[tuple[NoteFile, Identity | None]]:
    """Every note, as `discover` finds them, with its identity (None: not a regular file).

    `changed`: the paths that changed since anyone in this process last listed the folder
    (resolved, as a watcher reports them; none for a listing made a moment ago, as `build`'s
    stamp makes it). Then only those notes are looked at again,
    and the notes that are links, whose targets no watcher of this folder sees; without it,
    or without an earlier listing, the whole folder is.
    """
    key = str(folder)
    last = _LISTED.get(key)
    home = Path(os.path.realpath(folder))
    if changed is None or last is None or home in changed:
        found = {note.name: (note, identify(note.location)) for note in discover(folder)}
        order = list(found)
    else:
        order, found = last[0], dict(last[1])
        names = {path.name for path in changed if path.parent == home and _is_note(path.name)}
        names.update(name for name, (note, _) in found.items() if note.link)
        for name in names:
            note = _note_now(folder, name)
            if note is None:
                found.pop(name, None)
            else:
                found[name] = note, identify(note.location)
        if len(found) != len(order) or any(name not in found for name in names):
            order = sorted(found)
    _LISTED[key] = order, found
    return [found[name] for name in order]


def _note_now(folder: Path, name: str) -> NoteFile | None:
    """The note of this name as the folder holds it now; None if it is gone."""
    try:
        link = stat.S_ISLNK(os.lstat(folder / name).st_mode)
    except FileNotFoundError:
        return None
    except OSError:
        link = False  # there, but unreadable: reading it says why
    return NoteFile(str(folder), name, slugify(name[:-3]), link)


def _is_note(name: str) -> bool:
    return name.endswith(".md") and not name.startswith((".", "~", "#")) and name.lower() != "readme.md"


def read_bytes(path: str) -> bytes:
    """A note's bytes, refusing anything but a regular file of a note's size."""
    return read_note(path)[0]


def read_note(path: str) -> tuple[bytes, Identity]:
    """A note's bytes and its identity as it was read, refusing anything but a regular file of a note's size."""
    try:
        info = os.stat(path)  # before opening: opening a named pipe would wait for a writer
        if not stat.S_ISREG(info.st_mode):
            raise NoteError([(None, "is not a regular file; a note is a Markdown text file")])
        if info.st_size > MAX_NOTE_BYTES:
            raise NoteError([(None, _too_big())])
        with open(path, "rb") as file:
            data = file.read(MAX_NOTE_BYTES + 1)  # the file may grow after the check
    except OSError as error:
        raise NoteError([(None, f"cannot be read: {error.strerror}")]) from None
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError([(None, _too_big())])
    return data, identity_of(info)


def decode(data: bytes) -> str:
    """A note as UTF-8 text (a BOM is fine) with LF line endings, within the line limit."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NoteError([(1, "is saved as UTF-16; save the file as UTF-8")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NoteError(
            [
                (
                    line,
                    f"is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); save the file as UTF-8",
                )
            ]
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_NOTE_LINES:
        raise NoteError(
            [(None, f"has {lines:,} lines; the limit is {MAX_NOTE_LINES:,}: link to long logs instead of pasting them")]
        )
    control = CONTROL_CHARACTERS.search(text)
    if control:
        start = text.rfind("\n", 0, control.start()) + 1
        raise NoteError(
            [
                (
                    text.count("\n", 0, control.start()) + 1,
                    f"contains the control character U+{ord(control.group()):04X} (column {control.start() - start + 1}), "
                    "which pages and feeds cannot show; delete it",
                )
            ]
        )
    return text


def _too_big() -> str:
    return (
        f"is larger than {MAX_NOTE_BYTES // 1000} kB, the limit for a note; link to long logs instead of pasting them"
    )
