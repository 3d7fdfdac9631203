"""Parsed notes kept between builds, keyed by a hash of each note's bytes, and found by a
stat-first index so an unchanged note is neither read nor hashed.

The cache lives in `.statuspage-cache/` beside the config and is safe to delete. It can
never change the output: an entry is used only when the note's bytes hash to the same
digest and everything else that shapes a parsed note is unchanged (the code fingerprint,
the site's time zone rules and component ids). Its digest is trusted without reading the
note only when the file's identity (size, times, inode) is the one recorded, and the file
was not modified within the same instant the cache was written (git's "racily clean"
guard: a change then could keep the same times). Only notes that parsed cleanly are kept,
so a broken note is always read afresh and reported in full.

Entries are spread over `SHARDS` files by a hash of the note's name, and a build rewrites only
the files whose entries changed: one edited note costs a sixty-fourth of the cache, not all of it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.model import Incident
from ..core.recall import Recall
from ..fingerprint import digest, zone_rules
from ..storage import read_json, remove_orphans, shard_of, shard_path, write_json
from .codec import DAMAGED, decode, encode
from .discover import Identity

log = logging.getLogger(__name__)

Warnings = list[tuple[int | None, str]]


def notes_fingerprint(config: Config, code: str) -> str:
    zone = config.timezone.key
    return digest("\n".join([code, zone, digest(zone_rules(zone)), *config.component_ids]).encode())


#: Notes this process decoded or parsed, for its current fingerprint, by (digest, slug, source).
#: The preview server builds again and again in one process; it need not decode 10,000 notes
#: each time. Incidents are immutable, so builds can share them.
_DECODED: dict[str, dict[tuple[str, str, str], tuple[Incident, Warnings]]] = {}


#: A file modified this close to the moment the cache was written may have changed again
#: within the same timestamp tick (coarse clocks, FAT's two seconds): it is hashed, not trusted.
RACY_NS = 2_000_000_000
#: How many files the entries are spread over: a one-note edit rewrites one (at 10,000 notes,
#: 250 kB of the 17 MB).
SHARDS = 64


#: Each file's whole entries by note, and each note's file number, with the very mapping they were
#: found in: the preview reads the cache again on every save, and `read_json` hands back the very
#: mapping of a file that did not change, so only the file a save rewrote is gone through again.
_WHOLE: Recall[tuple[dict[str, list[Any]], dict[str, int]]] = Recall()


def _whole(number: int, notes: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, int]]:
    """The file's entries that are whole ([digest, incident, warnings, identity]): a damaged one is as good as none."""
    found = _WHOLE.get(str(number), notes)
    if found is None:
        entries = {name: entry for name, entry in notes.items() if isinstance(entry, list) and len(entry) == 4}
        found = _WHOLE.keep(str(number), (entries, dict.fromkeys(entries, number)), notes)
    return found


class NoteCache:
    """What earlier builds parsed, by file name; `save` keeps what this build used."""

    def __init__(self, folder: Path | None, fingerprint: str, shards: list[tuple[dict[str, Any], int]] | None = None):
        self.folder = folder
        self.fingerprint = fingerprint
        self._shards = shards or [({}, 0)] * SHARDS  # each file's entries, and when it was written
        #: Every whole entry by note, and the number of its file, each in one mapping: 10,000
        #: lookups each build, and hashing the name to its file for each cost more than the rest.
        self._entries: dict[str, list[Any]] = {}
        self._numbers: dict[str, int] = {}
        self._damaged: set[int] = set()  # files holding an entry that is not whole: written anew without it
        whole = 0
        for number, (notes, _) in enumerate(self._shards):
            entries, numbers = _whole(number, notes)
            self._entries.update(entries)
            self._numbers.update(numbers)
            whole += len(entries)
            if len(entries) != len(notes):
                self._damaged.add(number)
        if whole != len(self._entries):  # a note in two files, which no save makes: all are written anew
            self._damaged.update(range(SHARDS))
        #: What this build used: the notes whose entries stay as saved, and new or changed entries.
        self._kept: set[str] = set()
        self._new: dict[str, Any] = {}
        self._racy: set[int] = set()  # files to write anew though unchanged, so they are trusted next time
        if fingerprint not in _DECODED:  # notes decoded under another fingerprint are of no use
            _DECODED.clear()
            _DECODED[fingerprint] = {}
        self._decoded = _DECODED[fingerprint]

    @classmethod
    def open(cls, config: Config, code: str) -> NoteCache:
        folder = config.cache_dir / "notes"
        fingerprint = notes_fingerprint(config, code)
        shards = []
        remove_orphans(*(shard_path(folder, number) for number in range(SHARDS)))
        for number in range(SHARDS):
            data = read_json(shard_path(folder, number))
            notes, written = data.get("notes"), data.get("written_ns")
            if data.get("fingerprint") != fingerprint or not isinstance(notes, dict) or not isinstance(written, int):
                notes, written = {}, 0
            shards.append((notes, written))
        return cls(folder, fingerprint, shards)

    def knows(self, name: str) -> bool:
        """Whether an earlier build saved this note: if not, reading it cannot find it here."""
        return name in self._entries

    def known_digest(self, name: str, identity: Identity) -> str | None:
        """The digest of a note whose file is the very one an earlier build hashed; None: read and hash it."""
        entry = self._entries.get(name)
        if entry is None or not isinstance(entry[3], list):
            return None
        if tuple(entry[3]) != identity:
            return None
        number = self._numbers[name]
        if max(identity[1], identity[2]) >= self._shards[number][1] - RACY_NS:
            self._racy.add(number)  # hash it now, and write its file anew so it is trusted next time
            return None
        return entry[0] if isinstance(entry[0], str) else None

    def get(
        self, name: str, note_digest: str, slug: str, source: str, identity: Identity | None = None
    ) -> tuple[Incident, Warnings] | None:
        entry = self._entries.get(name)
        if entry is None or entry[0] != note_digest:
            return None
        key = (note_digest, slug, source)
        found = self._decoded.get(key)
        if found is None:
            try:
                incident = decode(entry[1], slug, source, note_digest)
                found = self._decoded[key] = incident, [(line, str(message)) for line, message in entry[2]]
            except DAMAGED:
                log.debug("ignoring a damaged cache entry for %s", name)
                return None
        if identity is None or tuple(entry[3]) == identity:
            self._kept.add(name)
        else:
            self._new[name] = [*entry[:3], list(identity)]
        return found[0], list(found[1])

    def keep(self, name: str) -> bool:
        """Keep this note's entry as an earlier build saved it (its note is known unchanged);
        False if there is none to keep, as when the cache was deleted meanwhile."""
        if name not in self._entries:
            return False
        self._kept.add(name)
        return True

    def keep_all(self, names: AbstractSet[str]) -> bool:
        """`keep` for many notes at once (in C: the preview keeps 10,000 a save); False, keeping
        none, if one has no entry."""
        if not self._entries.keys() >= names:
            return False
        self._kept.update(names)
        return True

    def put(self, name: str, note_digest: str, incident: Incident, warnings: Warnings, identity: Identity) -> None:
        self._new[name] = [note_digest, encode(incident), [list(w) for w in warnings], list(identity)]
        self._decoded[(note_digest, incident.slug, incident.source)] = incident, list(warnings)

    def save(self) -> None:
        """Write the files whose entries this build changed (or could not trust); never fail the build.
        A file changes where an entry is new or changed, or one it holds was not used this build."""
        if self.folder is None:
            return
        homes: dict[int, dict[str, Any]] = {}  # the new or changed entries, by file
        changed: set[int] = set()
        for name, entry in self._new.items():
            number = self._numbers[name] if name in self._numbers else shard_of(name, SHARDS)
            homes.setdefault(number, {})[name] = entry
            if self._entries.get(name) != entry:
                changed.add(number)
        unused = self._entries.keys() - self._kept - self._new.keys()
        dirty = changed | {self._numbers[name] for name in unused} | self._racy | self._damaged
        for number, (notes, written) in enumerate(self._shards):
            if number in dirty or not written:
                kept = {name: e for name, e in notes.items() if name in self._kept and self._numbers[name] == number}
                shard = kept | homes.get(number, {})
                data = {"fingerprint": self.fingerprint, "written_ns": time.time_ns(), "notes": shard}
                write_json(shard_path(self.folder, number), data)
