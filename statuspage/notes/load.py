"""Load every note into validated `Incident`s, collecting every problem of every note at once.

Nothing is built until all notes are read: one run shows the author all that is wrong, each
as `path:line: message`. Parsed notes come from the cache when their bytes are unchanged,
and big builds parse on every core.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from .. import workers
from ..core.config import Config
from ..core.model import Incident
from ..errors import ContentError, NoteError, Problem, as_problems, display_path
from ..fingerprint import digest
from ..workers import Progress
from .cache import NoteCache, Warnings
from .discover import Identity, NoteFile, decode, listing, read_bytes, read_note
from .front_matter import parse_front_matter
from .layout import LayoutError, split
from .markdown import Markup
from .reader import NoteReader

#: Below this many notes to parse, forking workers costs more than it saves.
PARALLEL_NOTES = 400

#: A note as `listing` hands it out: the very tuple, while it does not look at the note again.
Listed = tuple[NoteFile, Identity | None]
#: What a note gave: its incident and warnings, and its entry in the listing it was read from.
Made = tuple[Listed, Incident, Warnings]

#: What the last load in this process that found no problem made of each note, per notes
#: folder, with the cache's fingerprint. The preview loads again on every save, and `listing`
#: hands back the very entry of a note it did not look at again (the watcher saw no change to
#: it): that note gives what it gave. Making sure of it note by note through the cache was a
#: tenth of a preview's rebuild at 10,000 notes.
_LOADED: dict[str, tuple[str, dict[str, Made]]] = {}


def load(
    config: Config,
    cache: NoteCache | None = None,
    progress: Progress | None = None,
    changed: Collection[Path] | None = None,
) -> tuple[list[Incident], list[Problem]]:
    """Load every note; raise ContentError with all problems, else return incidents and warnings.

    `changed`: what changed since this process last listed the notes (see `listing`).
    """
    folder = str(config.incidents_dir)
    last = _LOADED.pop(folder, None)
    known = last[1] if cache is not None and last is not None and last[0] == cache.fingerprint else {}
    problems, readable, made = _read_all(config, cache, changed, known)
    warned: dict[str, list[Problem]] = {}
    for (note, *_, listed), outcome in zip(readable, _parse_all(config, readable, cache, progress), strict=True):
        if isinstance(outcome, NoteError):
            shown = display_path(note.path)
            problems.extend(as_problems(shown, outcome.problems))
            warned[note.name] = as_problems(shown, outcome.warnings, warning=True)
            continue
        made[note.name] = (listed, *outcome)
    for name, (_, incident, note_warnings) in made.items():
        if note_warnings:
            warned[name] = as_problems(display_path(Path(incident.source)), note_warnings, warning=True)
    warnings = [warning for name in sorted(warned) for warning in warned[name]]  # in the notes' order
    if problems:
        raise ContentError(problems + warnings)
    if cache is not None:
        _LOADED[folder] = cache.fingerprint, made
    incidents = [incident for _, incident, _ in made.values()]
    incidents.sort(key=attrgetter("start", "slug"), reverse=True)
    return incidents, warnings


#: A note as found: its file, its bytes (None: not read here), the digest when the index
#: vouches for it, its identity, and its entry in the listing.
Found = tuple[NoteFile, bytes | None, str | None, Identity | None, Listed]


def _read_all(
    config: Config, cache: NoteCache | None, changed: Collection[Path] | None, known: dict[str, Made]
) -> tuple[list[Problem], list[Found], dict[str, Made]]:
    """Every note, read only when the stat-first index cannot vouch for it, the problems that
    stop a note from being read at all, and the notes `known` from the last load as they were."""
    problems: list[Problem] = []
    readable: list[Found] = []
    entries = listing(config.incidents_dir, changed)
    again = _listed_as_before(entries, known, cache)
    rest = [listed for listed in entries if listed[0].name not in again] if again else entries
    owners = {made[0][0].slug: made[0][0] for made in again.values()}
    if not owners.keys().isdisjoint(listed[0].slug for listed in rest):
        again, rest, owners = {}, entries, {}  # a note takes a kept one's address: the order says which is told
    homes = (config.root.resolve(), config.incidents_dir.resolve())
    for listed in rest:
        note, identity = listed
        # Only a symbolic link can lead out of the folder (resolving every note cost a second at 10,000).
        target = Path(os.path.realpath(note.location)) if note.link else None
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
        last = known.get(note.name)
        if last is not None and last[0] is listed and cache is not None and cache.keep(note.name):
            again[note.name] = last
            continue
        vouched = cache.known_digest(note.name, identity) if cache and identity else None
        if vouched or cache is None or not cache.knows(note.name):
            # Vouched for, or nothing to look up: a note to parse is read where it is parsed (on every core).
            readable.append((note, None, vouched, identity, listed))
            continue
        try:
            data, identity = read_note(note.location)  # touched, perhaps unchanged: its digest may find it
        except NoteError as error:
            problems.extend(as_problems(display_path(note.path), error.problems))
            continue
        readable.append((note, data, digest(data), identity, listed))
    return problems, readable, again


def _listed_as_before(entries: list[Listed], known: dict[str, Made], cache: NoteCache | None) -> dict[str, Made]:
    """The notes the listing hands back as the very entries of the last load, which found no
    problem in them: each gives what it gave, kept in bulk (the preview keeps nearly all of
    them, and a dozen checks each cost a few milliseconds a save at 10,000 notes). Empty when
    the cache cannot keep them all (it was deleted meanwhile): then each is looked at."""
    if not known or cache is None:
        return {}
    again = {
        note.name: last for listed in entries if (last := known.get((note := listed[0]).name)) and last[0] is listed
    }
    return again if cache.keep_all(again.keys()) else {}


def _parse_all(
    config: Config, readable: list[Found], cache: NoteCache | None, progress: Progress | None
) -> list[Outcome]:
    """Each note's incident or problems, in order: from the cache, else parsed (on all cores if many)."""
    outcomes: list[Outcome | None] = []
    misses: list[tuple[NoteFile, bytes | None, Identity | None]] = []
    where: list[int] = []
    for note, data, vouched, identity, _ in readable:
        hit = cache.get(note.name, vouched, note.slug, note.location, identity) if cache and vouched else None
        if hit is None:  # to parse, and to read first if not read yet
            misses.append((note, data, identity))
            where.append(len(outcomes))
        outcomes.append(hit)
    done = 0
    for chunk in workers.map_chunks(_parse_chunk, config, misses, minimum=PARALLEL_NOTES):
        for index, (note, *_), (outcome, identity) in zip(
            where[done : done + len(chunk)], misses[done : done + len(chunk)], chunk, strict=True
        ):
            outcomes[index] = outcome
            if cache and identity and not isinstance(outcome, NoteError):
                cache.put(note.name, outcome[0].digest, *outcome, identity)
        done += len(chunk)
        if progress:
            progress("Reading notes", done, len(misses))
    return outcomes  # type: ignore[return-value]  # every miss is filled in above


Outcome = tuple[Incident, list[tuple[int | None, str]]] | NoteError


def _parse_chunk(
    config: Config, notes: Sequence[tuple[NoteFile, bytes | None, Identity | None]]
) -> list[tuple[Outcome, Identity | None]]:
    """Read (where not read yet) and parse some notes, in a worker process for big builds; each
    outcome comes with the identity of the file as read. A failure is an outcome, not a raise."""
    markup = Markup()
    outcomes: list[tuple[Outcome, Identity | None]] = []
    for note, data, identity in notes:
        try:
            if data is None:
                data, identity = read_note(note.location)
            outcomes.append((parse_note(note, data, config, markup), identity))
        except NoteError as error:
            outcomes.append((error, identity))
    return outcomes


def load_note(note: NoteFile, config: Config, markup: Markup) -> tuple[Incident, list[tuple[int | None, str]]]:
    """Read, parse and validate one note; raise NoteError listing all of its problems."""
    return parse_note(note, read_bytes(note.location), config, markup)


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
    reader = NoteReader(note.slug, note.location, config, markup, front.lines, layout.front_line)
    incident, warnings = reader.read(front.fields, layout)
    return replace(incident, digest=digest(data)), warnings
