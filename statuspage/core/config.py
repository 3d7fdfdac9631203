"""The site's settings as the rest of the package sees them: validated, typed and frozen.

`statuspage.config` reads them from statuspage.toml; tests and tools may build one directly.
The defaults live here once, and the reader takes them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .model import Component, ComponentStatus

CONFIG_NAME = "statuspage.toml"
#: Beside the config: parsed notes and the page ledger, safe to delete.
CACHE_FOLDER = ".statuspage-cache"
UPTIME_DAYS = 90
FEED_ENTRIES = 50
HISTORY_PER_PAGE = 25
#: Share of an outage second that counts as downtime, per status (Statuspage's and Instatus' convention).
DEFAULT_WEIGHTS = {
    ComponentStatus.MAJOR_OUTAGE: 1.0,
    ComponentStatus.PARTIAL_OUTAGE: 0.3,
    ComponentStatus.DEGRADED_PERFORMANCE: 0.0,
}


@dataclass(frozen=True)
class ConsoleConfig:
    """Where the browser console's Publish pushes: a git remote, and a branch (None: the one checked out)."""

    remote: str = "origin"
    branch: str | None = None


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    url: str  # absolute, always ending in "/"
    description: str
    timezone: ZoneInfo
    language: str
    homepage: str | None
    components: tuple[Component, ...]
    uptime_days: int = UPTIME_DAYS
    weights: tuple[tuple[ComponentStatus, float], ...] = tuple(DEFAULT_WEIGHTS.items())
    feed_entries: int = FEED_ENTRIES
    history_per_page: int = HISTORY_PER_PAGE
    #: Warnings stop `check` and `build` as errors do, so CI refuses a note that would mislead.
    strict: bool = False
    console: ConsoleConfig = ConsoleConfig()

    @property
    def incidents_dir(self) -> Path:
        return self.root / "incidents"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        """Files copied into the site as they are (images a note shows, say), at the same paths."""
        return self.root / "static"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    @property
    def output_dir(self) -> Path:
        return self.root / "site"

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, e.g. "/status/"."""
        return urlsplit(self.url).path or "/"

    @property
    def homepage_name(self) -> str:
        """The homepage as a link names it: its host, without "www." ("acme.example")."""
        host = urlsplit(self.homepage or "").hostname or ""
        return host.removeprefix("www.")

    @property
    def component_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.components)

    @cached_property
    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.components}
