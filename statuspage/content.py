"""Find incident notes, validate them into `Incident`s, and render their Markdown safely.

Every note is checked and every problem collected before anything is built, so one run
shows the author all that is wrong, each as `path:line: message`.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import workers
from .cache import NoteCache, digest
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
    folder: str
    name: str
    slug: str

    @property
    def location(self) -> str:
        """The note's path as text: what messages and `Incident.source` show."""
        return os.path.join(self.folder, self.name)

    @property
    def path(self) -> Path:
        return Path(self.location)


def discover(folder: Path) -> list[NoteFile]:
    """Every `*.md` in the folder, sorted, skipping hidden files, editor leftovers and README.md."""
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [
        name
        for name in names
        if name.endswith(".md") and not name.startswith((".", "~", "#")) and name.lower() != "readme.md"
    ]
    return [NoteFile(str(folder), name, slugify(name[:-3])) for name in sorted(found)]


@functools.lru_cache(maxsize=1 << 16)  # every note's, on every build of a preview
def slugify(stem: str) -> str:
    """A URL-safe slug: ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


#: Progress callback: (what, done, total).
Progress = Callable[[str, int, int], None]

#: Below this many notes to parse, forking workers costs more than it saves.
PARALLEL_NOTES = 400


def load(
    config: Config, cache: NoteCache | None = None, progress: Progress | None = None
) -> tuple[list[Incident], list[Problem]]:
    """Load every note; raise ContentError with all problems, else return incidents and warnings."""
    problems, readable = _read_all(config)
    incidents: list[Incident] = []
    warnings: list[Problem] = []
    for (note, _), outcome in zip(readable, _parse_all(config, readable, cache, progress), strict=True):
        if isinstance(outcome, NoteError):
            shown = display_path(note.path)
            problems.extend(Problem(shown, line, message) for line, message in outcome.problems)
            warnings.extend(Problem(shown, line, message, warning=True) for line, message in outcome.warnings)
            continue
        incident, note_warnings = outcome
        incidents.append(incident)
        if note_warnings:
            shown = display_path(note.path)
            warnings.extend(Problem(shown, line, message, warning=True) for line, message in note_warnings)
    if problems:
        raise ContentError(problems + warnings)
    incidents.sort(key=lambda incident: (incident.start, incident.slug), reverse=True)
    return incidents, warnings


def _read_all(config: Config) -> tuple[list[Problem], list[tuple[NoteFile, bytes]]]:
    """Every note's bytes, and the problems that stop a note from being read at all."""
    problems: list[Problem] = []
    owners: dict[str, NoteFile] = {}
    readable: list[tuple[NoteFile, bytes]] = []
    homes = (config.root.resolve(), config.incidents_dir.resolve())
    for note in discover(config.incidents_dir):
        # Only a symbolic link can lead out of the folder (resolving every note cost a second at 10,000).
        target = Path(os.path.realpath(note.location)) if os.path.islink(note.location) else None
        if target and not any(target.is_relative_to(home) for home in homes):
            problems.append(
                Problem(
                    display_path(note.path),
                    None,
                    f"links to {target}, outside the site's folder; copy the note into incidents/ instead",
                )
            )
            continue
        if not note.slug:
            problems.append(
                Problem(
                    display_path(note.path),
                    None,
                    "the file name has no letters or digits to make a web address from; rename it",
                )
            )
            continue
        if note.slug in owners:
            other = display_path(owners[note.slug].path)
            problems.append(
                Problem(
                    display_path(note.path),
                    None,
                    f"has the same web address /incidents/{note.slug}/ as {other}; rename one of them",
                )
            )
            continue
        owners[note.slug] = note
        try:
            readable.append((note, read_bytes(note.location)))
        except NoteError as error:
            problems.extend(Problem(display_path(note.path), line, message) for line, message in error.problems)
    return problems, readable


def _parse_all(
    config: Config, readable: list[tuple[NoteFile, bytes]], cache: NoteCache | None, progress: Progress | None
) -> list[Outcome]:
    """Each note's incident or problems, in order: from the cache, else parsed (on all cores if many)."""
    outcomes: list[Outcome | None] = []
    misses: list[int] = []
    for note, data in readable:
        hit = cache.get(note.name, digest(data), note.slug, note.location) if cache else None
        if hit is None:
            misses.append(len(outcomes))
        outcomes.append(hit)
    done = 0
    chunks = workers.map_chunks(_parse_chunk, config, [readable[i] for i in misses], minimum=PARALLEL_NOTES)
    for chunk in chunks:
        for index, outcome in zip(misses[done : done + len(chunk)], chunk, strict=True):
            outcomes[index] = outcome
            if cache and not isinstance(outcome, NoteError):
                cache.put(readable[index][0].name, outcome[0].digest, *outcome)
        done += len(chunk)
        if progress:
            progress("Reading notes", done, len(misses))
    return outcomes  # type: ignore[return-value]  # every miss is filled in above


Outcome = tuple[Incident, list[tuple[int | None, str]]] | NoteError


def _parse_chunk(config: Config, notes: Sequence[tuple[NoteFile, bytes]]) -> list[Outcome]:
    """Parse some notes (in a worker process for big builds); a failure is an outcome, not a raise."""
    markup = Markup()
    outcomes: list[Outcome] = []
    for note, data in notes:
        try:
            outcomes.append(parse_note(note, data, config, markup))
        except NoteError as error:
            outcomes.append(error)
    return outcomes


def read_bytes(path: str) -> bytes:
    """A note's bytes, refusing anything but a regular file of a note's size."""
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
    return data


def load_note(note: NoteFile, config: Config, markup: Markup) -> tuple[Incident, list[tuple[int | None, str]]]:
    """Read, parse and validate one note; raise NoteError listing all of its problems."""
    return parse_note(note, read_bytes(note.location), config, markup)


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


def parse_note(
    note: NoteFile, data: bytes, config: Config, markup: Markup
) -> tuple[Incident, list[tuple[int | None, str]]]:
    """Parse and validate one note's bytes; raise NoteError listing all of its problems."""
    text = decode(data)
    try:
        layout = split(text)
    except LayoutError as error:
        raise NoteError([(error.line, str(error))]) from None
    front = parse_front_matter(layout.front_matter, layout.front_line)
    reader = NoteReader(note.slug, note.location, config, markup, layout.front_matter, layout.front_line)
    incident, warnings = reader.read(front, layout)
    return replace(incident, digest=digest(data)), warnings
