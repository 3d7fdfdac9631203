"""Find incident notes, validate them into `Incident`s, and render their Markdown safely.

Every note is checked and every problem collected before anything is built, so one run
shows the author all that is wrong, each as `path:line: message`.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import ContentError, Problem, display_path
from .markup import Markup
from .model import Incident
from .notes import LayoutError, split
from .schema import CONTROL_CHARACTERS
from .validate import NoteError, NoteReader, parse_front_matter

#: Limits that keep one note's parse and render within a second or two (docs/robustness.md).
MAX_NOTE_BYTES = 256_000
MAX_NOTE_LINES = 10_000


@dataclass(frozen=True)
class NoteFile:
    path: Path
    slug: str


def discover(folder: Path) -> list[NoteFile]:
    """Every `*.md` in the folder, sorted, skipping hidden files, editor leftovers and README.md."""
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.glob("*.md")
        if not path.name.startswith((".", "~", "#")) and path.name.lower() != "readme.md"
    ]
    return [NoteFile(path, slugify(path.stem)) for path in sorted(found)]


def slugify(stem: str) -> str:
    """A URL-safe slug: ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def load(config: Config) -> tuple[list[Incident], list[Problem]]:
    """Load every note; raise ContentError with all problems, else return incidents and warnings."""
    markup = Markup()
    incidents: list[Incident] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    owners: dict[str, Path] = {}
    homes = (config.root.resolve(), config.incidents_dir.resolve())
    for note in discover(config.incidents_dir):
        shown = display_path(note.path)
        target = Path(os.path.realpath(note.path))
        if not any(target.is_relative_to(home) for home in homes):
            problems.append(
                Problem(
                    shown, None, f"links to {target}, outside the site's folder; copy the note into incidents/ instead"
                )
            )
            continue
        if not note.slug:
            problems.append(
                Problem(shown, None, "the file name has no letters or digits to make a web address from; rename it")
            )
            continue
        if note.slug in owners:
            other = display_path(owners[note.slug])
            problems.append(
                Problem(shown, None, f"has the same web address /incidents/{note.slug}/ as {other}; rename one of them")
            )
            continue
        owners[note.slug] = note.path
        try:
            incident, notes_warnings = load_note(note, config, markup)
        except NoteError as error:
            problems.extend(Problem(shown, line, message) for line, message in error.problems)
            warnings.extend(Problem(shown, line, message, warning=True) for line, message in error.warnings)
            continue
        incidents.append(incident)
        warnings.extend(Problem(shown, line, message, warning=True) for line, message in notes_warnings)
    if problems:
        raise ContentError(problems + warnings)
    incidents.sort(key=lambda incident: (incident.start, incident.slug), reverse=True)
    return incidents, warnings


def read_text(path: Path) -> str:
    """Read a note as UTF-8 (a BOM is fine) with LF line endings, within the size limits."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise NoteError([(None, "is not a regular file; a note is a Markdown text file")])
        if info.st_size > MAX_NOTE_BYTES:
            raise NoteError([(None, _too_big())])
        with path.open("rb") as handle:
            data = handle.read(MAX_NOTE_BYTES + 1)  # the file may grow after stat()
    except OSError as error:
        raise NoteError([(None, f"cannot be read: {error.strerror}")]) from None
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError([(None, _too_big())])
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


def load_note(note: NoteFile, config: Config, markup: Markup) -> tuple[Incident, list[tuple[int | None, str]]]:
    """Parse and validate one note; raise NoteError listing all of its problems."""
    text = read_text(note.path)
    try:
        layout = split(text)
    except LayoutError as error:
        raise NoteError([(error.line, str(error))]) from None
    front = parse_front_matter(layout.front_matter, layout.front_line)
    reader = NoteReader(note.slug, str(note.path), config, markup, layout.front_matter, layout.front_line)
    return reader.read(front, layout)
