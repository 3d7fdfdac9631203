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
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.model import Incident
from ..fingerprint import digest, zone_rules
from ..storage import read_json, remove_orphans, write_json
from .codec import decode, encode
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


class NoteCache:
    """What earlier builds parsed, by file name; `save` keeps what this build used."""

    def __init__(self, path: Path | None, fingerprint: str, entries: dict[str, Any] | None = None, written_ns: int = 0):
        self.path = path
        self.fingerprint = fingerprint
        self._old = entries or {}
        self._new: dict[str, Any] = {}
        self._written_ns = written_ns
        self._racy = False
        if fingerprint not in _DECODED:  # notes decoded under another fingerprint are of no use
            _DECODED.clear()
            _DECODED[fingerprint] = {}
        self._decoded = _DECODED[fingerprint]

    @classmethod
    def open(cls, config: Config, code: str) -> NoteCache:
        path = config.cache_dir / "notes.json"
        remove_orphans(path)
        fingerprint = notes_fingerprint(config, code)
        data = read_json(path)
        if data.get("fingerprint") != fingerprint or not isinstance(data.get("notes"), dict):
            return cls(path, fingerprint)
        written = data.get("written_ns")
        return cls(path, fingerprint, data["notes"], written if isinstance(written, int) else 0)

    def known_digest(self, name: str, identity: Identity) -> str | None:
        """The digest of a note whose file is the very one an earlier build hashed; None: read and hash it."""
        entry = self._old.get(name)
        if not isinstance(entry, list) or len(entry) != 4 or not isinstance(entry[3], list):
            return None
        if tuple(entry[3]) != identity:
            return None
        if max(identity[1], identity[2]) >= self._written_ns - RACY_NS:
            self._racy = True  # hash it now, and write the cache anew so it is trusted next time
            return None
        return entry[0] if isinstance(entry[0], str) else None

    def get(
        self, name: str, note_digest: str, slug: str, source: str, identity: Identity | None = None
    ) -> tuple[Incident, Warnings] | None:
        entry = self._old.get(name)
        if not isinstance(entry, list) or len(entry) != 4 or entry[0] != note_digest:
            return None
        key = (note_digest, slug, source)
        if key not in self._decoded:
            try:
                incident = decode(entry[1], slug, source, note_digest)
                self._decoded[key] = incident, [(line, str(message)) for line, message in entry[2]]
            except (KeyError, TypeError, ValueError, IndexError, OverflowError):
                log.debug("ignoring a damaged cache entry for %s", name)
                return None
        self._new[name] = entry if identity is None or tuple(entry[3]) == identity else [*entry[:3], list(identity)]
        incident, warnings = self._decoded[key]
        return incident, list(warnings)

    def put(self, name: str, note_digest: str, incident: Incident, warnings: Warnings, identity: Identity) -> None:
        self._new[name] = [note_digest, encode(incident), [list(w) for w in warnings], list(identity)]
        self._decoded[(note_digest, incident.slug, incident.source)] = incident, list(warnings)

    def save(self) -> None:
        """Write the entries this build used, if they differ from what was read; never fail the build."""
        if self.path is None or (self._new == self._old and self._written_ns and not self._racy):
            return
        write_json(self.path, {"fingerprint": self.fingerprint, "written_ns": time.time_ns(), "notes": self._new})
