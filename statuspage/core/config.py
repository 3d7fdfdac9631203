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


#: The group third-party components are shown in unless their `[[upstream]]` table names one.
UPSTREAM_GROUP = "Third-party services"


@dataclass(frozen=True)
class UpstreamSource:
    """A vendor's Statuspage-compatible status page whose components we show (`[[upstream]]`)."""

    id: str
    name: str
    url: str  # the status page's address, ending in "/"; its summary is at api/v2/summary.json
    components: tuple[str, ...] = ()  # names or ids (of components or of groups); empty: all
    group: str = UPSTREAM_GROUP


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
    upstream: tuple[UpstreamSource, ...] = ()

    @property
    def incidents_dir(self) -> Path:
        return self.root / "incidents"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    @property
    def upstream_dir(self) -> Path:
        """Snapshots of the vendors' status, one folder per `[[upstream]]` id: state to commit."""
        return self.root / "data" / "upstream"

    @property
    def output_dir(self) -> Path:
        return self.root / "site"

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, e.g. "/status/"."""
        return urlsplit(self.url).path or "/"

    @property
    def component_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.components)

    @cached_property
    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.components}
