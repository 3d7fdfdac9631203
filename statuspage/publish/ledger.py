"""The page ledger: which inputs produced each page of the site, so an unchanged page is kept.

A page is kept only if its file in the site is still the very file an earlier build wrote
(same inode, size and modification time) and its key, which sums up everything it shows,
is the same; anything else is rendered again. The ledger lives in the site's cache folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..fingerprint import digest, file_digest, zone_rules
from ..storage import identity, read_json, remove_orphans, write_json


class PageLedger:
    """Each page's key and the identity of the file written for it, as of the last build."""

    def __init__(self, path: Path | None, fingerprint: str, site: Path, entries: dict[str, Any] | None = None):
        self.path = path
        self.fingerprint = fingerprint
        self.site = str(site)  # joined with every page: a str is much cheaper than a Path
        self._old = entries or {}
        self._new: dict[str, str] = {}

    @classmethod
    def open(cls, config: Config, config_path: Path, site: Path, code: str) -> PageLedger:
        path = config.cache_dir / "pages.json"
        remove_orphans(path)
        fingerprint = _pages_fingerprint(config, config_path, code)
        data = read_json(path)
        same = data.get("fingerprint") == fingerprint and data.get("site") == str(site)
        pages = data.get("pages")
        return cls(path, fingerprint, site, pages if same and isinstance(pages, dict) else None)

    def unchanged(self, page: str, key: str) -> bool:
        """Whether the site's file at `page` was rendered from the same inputs (`key`)."""
        self._new[page] = key
        entry = self._old.get(page)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != key:
            return False
        current = identity(os.path.join(self.site, page))
        return current is not None and entry[1] == current

    def save(self) -> None:
        """Record the files now in the site; never fail the build."""
        pages = {page: [key, identity(os.path.join(self.site, page))] for page, key in self._new.items()}
        if self.path is None or pages == self._old:
            return
        write_json(self.path, {"fingerprint": self.fingerprint, "site": self.site, "pages": pages})


def _pages_fingerprint(config: Config, config_path: Path, code: str) -> str:
    parts = [code, file_digest(config_path), digest(zone_rules(config.timezone.key))]
    if config.templates_dir.is_dir():
        for path in sorted(config.templates_dir.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(config.templates_dir).as_posix(), file_digest(path)]
    return digest("\n".join(parts).encode())
