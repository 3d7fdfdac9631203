"""The page ledger: which inputs produced each page of the site, so an unchanged page is kept.

A page is kept when its key, which sums up everything it shows, is the one it was last
rendered from, and the site is still the folder the last build left: the site's folder and
its spare have the identities recorded then. The ledger also holds the writer's manifest
(every file, and where the spare differs from the site), so neither the pages nor the spare
are looked at one by one. The site belongs to the build: a file edited inside it by hand
stays until `build --force`, which trusts nothing and compares every file. The ledger lives
in the site's cache folder and is removed while the spare is being changed, so a build killed
then leaves no ledger to mislead the next.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..fingerprint import digest, file_digest, zone_rules
from ..storage import read_json, remove_orphans, write_json
from .writer import Manifest, folders_of


class PageLedger:
    """Each page's key and the site's manifest, as of the last build."""

    def __init__(self, path: Path | None, fingerprint: str, site: Path, data: dict[str, Any] | None = None):
        self.path = path
        self.fingerprint = fingerprint
        self.site = site
        self._old: dict[str, str] = {}
        self._new: dict[str, str] = {}
        self.manifest: Manifest | None = None
        if data:
            self._trust(data)

    @classmethod
    def open(cls, config: Config, config_path: Path, site: Path, code: str, force: bool = False) -> PageLedger:
        path = config.cache_dir / "pages.json"
        remove_orphans(path)
        fingerprint = _pages_fingerprint(config, config_path, code)
        data = {} if force else read_json(path)
        same = data.get("fingerprint") == fingerprint and data.get("site") == str(site)
        return cls(path, fingerprint, site, data if same else None)

    def _trust(self, data: dict[str, Any]) -> None:
        """Trust what the data says only if the site (and, for the manifest, its spare) is as it was left."""
        site, spare = folders_of(self.site)
        recorded = data.get("folders")
        pages, files, differ = data.get("pages"), data.get("files"), data.get("differ")
        if not (isinstance(recorded, list) and len(recorded) == 2 and site is not None and recorded[0] == site):
            return
        if isinstance(pages, dict):
            self._old = pages
        if spare is None or recorded[1] != spare or not isinstance(files, dict) or not isinstance(differ, list):
            return
        if all(isinstance(size, int) for size in files.values()) and all(isinstance(p, str) for p in differ):
            self.manifest = Manifest(files, set(differ))

    def unchanged(self, page: str, key: str) -> bool:
        """Whether the site's file at `page` was rendered from the same inputs (`key`)."""
        self._new[page] = key
        return self._old.get(page) == key

    def writing(self) -> None:
        """The spare is about to change: until `save`, no ledger may vouch for it."""
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def save(self, manifest: Manifest | None) -> None:
        """Record the site (and, with a manifest, its spare); never fail the build."""
        if self.path is None:
            return
        data = {
            "fingerprint": self.fingerprint,
            "site": str(self.site),
            "folders": folders_of(self.site),
            "pages": self._new,
            "files": manifest.files if manifest else None,
            "differ": sorted(manifest.differ) if manifest else None,
        }
        write_json(self.path, data)

    def keep_old(self) -> None:
        """After a failed build: the site is as it was; the manifest, if any, says where the spare
        now differs (the writer kept it true)."""
        self._new = self._old
        self.save(self.manifest)


def _pages_fingerprint(config: Config, config_path: Path, code: str) -> str:
    parts = [code, file_digest(config_path), digest(zone_rules(config.timezone.key))]
    if config.templates_dir.is_dir():
        for path in sorted(config.templates_dir.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(config.templates_dir).as_posix(), file_digest(path)]
    return digest("\n".join(parts).encode())
