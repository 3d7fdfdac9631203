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
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.model import Incident
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
_NO_ENTRY = (None, 0, 0)


class NoteCache:
    """What earlier builds parsed, by file name; `save` keeps what this build used."""

    def __init__(self, folder: Path | None, fingerprint: str, shards: list[tuple[dict[str, Any], int]] | None = None):
        self.folder = folder
        self.fingerprint = fingerprint
        self._shards = shards or [({}, 0)] * SHARDS  # each file's entries, and when it was written
        #: Every whole entry ([digest, incident, warnings, identity]) with when its file was written
        #: and the file's number, in one mapping: 10,000 lookups each build, and hashing the name to
        #: its file for each cost more than the rest. A damaged entry is as good as none.
        self._entries = {
            name: (entry, written, number)
            for number, (notes, written) in enumerate(self._shards)
            for name, entry in notes.items()
            if isinstance(entry, list) and len(entry) == 4
        }
        self._new: dict[str, Any] = {}
        self._racy: set[int] = set()  # shards to write anew though unchanged, so they are trusted next time
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

    def _entry(self, name: str) -> tuple[Any, int, int]:
        """The entry an earlier build saved for this note, when its file was written, and which file."""
        return self._entries.get(name, _NO_ENTRY)

    def knows(self, name: str) -> bool:
        """Whether an earlier build saved this note: if not, reading it cannot find it here."""
        return name in self._entries

    def known_digest(self, name: str, identity: Identity) -> str | None:
        """The digest of a note whose file is the very one an earlier build hashed; None: read and hash it."""
        entry, written, number = self._entry(name)
        if entry is None or not isinstance(entry[3], list):
            return None
        if tuple(entry[3]) != identity:
            return None
        if max(identity[1], identity[2]) >= written - RACY_NS:
            self._racy.add(number)  # hash it now, and write its file anew so it is trusted next time
            return None
        return entry[0] if isinstance(entry[0], str) else None

    def get(
        self, name: str, note_digest: str, slug: str, source: str, identity: Identity | None = None
    ) -> tuple[Incident, Warnings] | None:
        entry = self._entry(name)[0]
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
        self._new[name] = entry if identity is None or tuple(entry[3]) == identity else [*entry[:3], list(identity)]
        return found[0], list(found[1])

    def keep(self, name: str) -> bool:
        """Keep this note's entry as an earlier build saved it (its note is known unchanged);
        False if there is none to keep, as when the cache was deleted meanwhile."""
        entry = self._entry(name)[0]
        if entry is None:
            return False
        self._new[name] = entry
        return True

    def keep_all(self, names: Collection[str]) -> bool:
        """`keep` for many notes at once; False, keeping none, if one has no entry."""
        found = self._entries
        entries = {name: found[name][0] for name in names if name in found}
        if len(entries) != len(names):
            return False
        self._new.update(entries)
        return True

    def put(self, name: str, note_digest: str, incident: Incident, warnings: Warnings, identity: Identity) -> None:
        self._new[name] = [note_digest, encode(incident), [list(w) for w in warnings], list(identity)]
        self._decoded[(note_digest, incident.slug, incident.source)] = incident, list(warnings)

    def save(self) -> None:
        """Write the files whose entries this build changed (or could not trust); never fail the build."""
        if self.folder is None:
            return
        shards: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        for name, entry in self._new.items():
            known = self._entries.get(name)  # its file's number, found when it was read: no hashing
            shards[known[2] if known is not None else shard_of(name, SHARDS)][name] = entry
        for number, (notes, written) in enumerate(self._shards):
            if shards[number] != notes or not written or number in self._racy:
                data = {"fingerprint": self.fingerprint, "written_ns": time.time_ns(), "notes": shards[number]}
                write_json(shard_path(self.folder, number), data)
