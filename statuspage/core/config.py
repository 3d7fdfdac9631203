"""The site's settings as the rest of the package sees them: validated, typed and frozen.

`statuspage.config` reads them from statuspage.toml; tests and tools may build one directly.
The defaults live here once, and the reader takes them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def site_root(config_path: Path) -> Path:
    """The site's folder: the folder of the config's path, not of the file a symbolic link
    there leads to (the loader, the stamp and `build` must all find the same notes)."""
    return config_path.parent.resolve()


#: Where `statuspage probe` appends what it saw, beside the config: data/probes/<component>/<YYYY-MM>.jsonl.
PROBES_FOLDER = "data/probes"


@dataclass(frozen=True)
class HttpTarget:
    """An HTTP(S) check: the answer's status must be one of `expect_status` (and contain `expect_text`)."""

    url: str = field(repr=False)  # may carry a token (`url_env`): never shown
    expect_status: tuple[int, ...] = (200,)
    expect_text: str | None = None
    #: (header name, value or None, environment variable or None): secrets come from the environment.
    headers: tuple[tuple[str, str | None, str | None], ...] = ()
    url_env: str | None = None


@dataclass(frozen=True)
class TcpTarget:
    """A TCP check: a connection to host:port must open within the timeout."""

    host: str
    port: int


@dataclass(frozen=True)
class Probe:
    """A component's check, as `statuspage probe` runs it and the uptime reads what it recorded."""

    component: str
    target: HttpTarget | TcpTarget
    timeout_s: float = 10.0
    interval_s: int = 300
    degraded_ms: int | None = None
    #: Show the component down while its probe is confirmed down, before anyone writes a note.
    sets_status: bool = False
    location: str | None = None


# -- [[notify]]: where `statuspage notify` announces updates -------------------------------

#: Beside the config, committed: per channel, the events already announced.
LEDGER_NAME = "notify.json"
#: The kinds of channel; `statuspage.notify.channels` has one module for each.
CHANNEL_TYPES = ("slack", "discord", "teams", "mattermost", "google_chat", "webhook", "email", "apprise")


@dataclass(frozen=True)
class Channel:
    """One [[notify]] table. Secrets are never held here, only the names of the variables holding them."""

    type: str  # one of CHANNEL_TYPES
    id: str
    url_env: str  # the webhook URL, the SMTP URL or the Apprise URL
    components: tuple[str, ...] = ()  # only incidents touching these; empty: every incident
    secret_env: str | None = None  # webhook: a Standard Webhooks signing secret, "whsec_..."
    sender: str | None = None  # email: the From address
    to_env: str | None = None  # email: the recipients, or the path of a file of them
    unsubscribe_url: str | None = None  # email (List-Unsubscribe) and webhook (meta.unsubscribe)


# -- [[upstream]]: third-party status pages -------------------------------------------

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
    probes: tuple[Probe, ...] = ()
    notify: tuple[Channel, ...] = ()
    upstream: tuple[UpstreamSource, ...] = ()
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
    def homepage_name(self) -> str:
        """The homepage as a link names it: its host, without "www." ("acme.example")."""
        host = urlsplit(self.homepage or "").hostname or ""
        return host.removeprefix("www.")

    @property
    def probes_dir(self) -> Path:
        return self.root / PROBES_FOLDER

    @cached_property
    def probe_of(self) -> dict[str, Probe]:
        """Each probed component's probe, by component id."""
        return {p.component: p for p in self.probes}

    @property
    def component_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.components)

    @cached_property
    def component_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.components}
