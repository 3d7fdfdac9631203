"""The page ledger: which inputs produced each page of the site, so an unchanged page is kept.

A page is kept when its key, which sums up everything it shows, is the one it was last
rendered from, and the site is still the folder the last build left: the site's folder and
its spare have the identities recorded then. The ledger also holds the writer's manifest
(every file, and where the spare differs from the site), so neither the pages nor the spare
are looked at one by one. The site belongs to the build: a file edited inside it by hand
stays until `build --force`, which trusts nothing and compares every file. The ledger lives
in the site's cache folder and is removed while the spare is being changed, so a build killed
then leaves no ledger to mislead the next.

The pages and files are spread over `SHARDS` files by a hash of the path, and a build rewrites
only those whose entries changed (at 10,000 notes the whole ledger is 2.8 MB of JSON, 20 ms a
save to write). The ledger's head, written last, names the token each file was written with,
and a file with another token is a reason to trust none of it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..fingerprint import digest, file_digest, folder_digest, zone_rules
from ..storage import read_json, remove_orphans, shard_of, shard_path, write_json
from .writer import Manifest, folders_of

SHARDS = 64


class _Numbers(dict[str, int]):
    """Each path's shard, worked out once per process and then found in C: a save splits
    20,000 paths, and a function call per path was a third of it."""

    def __missing__(self, page: str) -> int:
        number = self[page] = shard_of(page, SHARDS)
        return number


_NUMBERS = _Numbers()
#: A shard's entries: each page's key, and each file's size as the manifest has it.
Shard = tuple[dict[str, str], dict[str, int]]


class PageLedger:
    """Each page's key and the site's manifest, as of the last build."""

    def __init__(self, path: Path | None, fingerprint: str, site: Path):
        self.path = path
        self.fingerprint = fingerprint
        self.site = site
        #: Each page's key by shard, as last saved (if trusted) and as this build renders.
        self._old: list[dict[str, str]] = [{} for _ in range(SHARDS)]
        self._new: list[dict[str, str]] = [{} for _ in range(SHARDS)]
        self.manifest: Manifest | None = None
        #: Each shard file as it is on disk (its token and entries), so a save rewrites only those that change.
        self._written: list[tuple[str, Shard] | None] = [None] * SHARDS

    @classmethod
    def open(cls, config: Config, config_path: Path, site: Path, code: str, force: bool = False) -> PageLedger:
        path = config.cache_dir / "pages.json"
        remove_orphans(path, *(shard_path(_shards_folder(path), number) for number in range(SHARDS)))
        ledger = cls(path, _pages_fingerprint(config, config_path, code), site)
        head = {} if force else read_json(path)
        if head.get("fingerprint") == ledger.fingerprint and head.get("site") == str(site):
            shards = _read_shards(path, head.get("shards"))
            if shards is not None:
                ledger._written = list(shards)
                ledger._trust(head, [shard for _, shard in shards])
        return ledger

    def _trust(self, head: dict[str, Any], shards: list[Shard]) -> None:
        """Trust the shards only if the site (and, for the manifest, its spare) is as it was left."""
        site, spare = folders_of(self.site)
        recorded, differ = head.get("folders"), head.get("differ")
        if not (isinstance(recorded, list) and len(recorded) == 2 and site is not None and recorded[0] == site):
            return
        self._old = [pages for pages, _ in shards]
        if spare is None or recorded[1] != spare or not head.get("manifest") or not isinstance(differ, list):
            return
        files: dict[str, int] = {}
        for _, sizes in shards:
            files.update(sizes)
        if set(map(type, files.values())) <= {int} and all(isinstance(p, str) for p in differ):  # in C: 10,000 sizes
            self.manifest = Manifest(files, set(differ))

    def unchanged(self, page: str, key: str) -> bool:
        """Whether the site's file at `page` was rendered from the same inputs (`key`)."""
        number = _NUMBERS[page]
        self._new[number][page] = key
        return self._old[number].get(page) == key

    def writing(self) -> None:
        """The spare is about to change: until `save`, no ledger may vouch for it."""
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def save(self, manifest: Manifest | None) -> None:
        """Record the site (and, with a manifest, its spare); never fail the build."""
        if self.path is None:
            return
        sizes: list[dict[str, int]] = [{} for _ in range(SHARDS)]
        for page, size in (manifest.files if manifest else {}).items():
            sizes[_NUMBERS[page]][page] = size
        folder = _shards_folder(self.path)
        tokens = []
        for number, shard in enumerate(zip(self._new, sizes, strict=True)):
            written = self._written[number]
            if written is None or written[1] != shard:
                written = self._written[number] = os.urandom(8).hex(), shard
                write_json(shard_path(folder, number), {"token": written[0], "pages": shard[0], "files": shard[1]})
            tokens.append(written[0])
        head = {
            "fingerprint": self.fingerprint,
            "site": str(self.site),
            "folders": folders_of(self.site),
            "shards": tokens,
            "manifest": manifest is not None,
            "differ": sorted(manifest.differ) if manifest else None,
        }
        write_json(self.path, head)

    def keep_old(self) -> None:
        """After a failed build: the site is as it was; the manifest, if any, says where the spare
        now differs (the writer kept it true)."""
        self._new = self._old
        self.save(self.manifest)


def _shards_folder(head: Path) -> Path:
    return head.with_suffix("")


def _read_shards(head: Path, tokens: object) -> list[tuple[str, Shard]] | None:
    """Every shard with the token the head names for it; None if one is missing, damaged or
    from another save (written, then not followed by its head)."""
    if not (isinstance(tokens, list) and len(tokens) == SHARDS):
        return None
    folder, shards = _shards_folder(head), []
    for number, token in enumerate(tokens):
        data = read_json(shard_path(folder, number))
        pages, files = data.get("pages"), data.get("files")
        if data.get("token") != token or not isinstance(pages, dict) or not isinstance(files, dict):
            return None
        shards.append((token, (pages, files)))
    return shards


def _pages_fingerprint(config: Config, config_path: Path, code: str) -> str:
    parts = [
        code,
        file_digest(config_path),
        digest(zone_rules(config.timezone.key)),
        folder_digest(config.templates_dir),
    ]
    return digest("\n".join(parts).encode())
