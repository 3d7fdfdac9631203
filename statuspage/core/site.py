"""`Site`: everything one build knows, as one immutable value every output is a function of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .config import Config
from .model import Incident
from .probes import ProbeHistory
from .recall import EVER, ByBlock
from .status import Summary, summarize
from .timeline import visible
from .upstream import Upstream


@dataclass(frozen=True)
class Site:
    config: Config
    incidents: tuple[Incident, ...]  # newest first
    summary: Summary  # computed from the two above at `now`
    #: The third-party pages at `now`; it never changes `summary`.
    upstream: Upstream = field(default_factory=Upstream)
    #: What probes recorded, per component (the summary holds what it makes of them at `now`).
    probes: Mapping[str, ProbeHistory] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.summary.now

    @property
    def history(self) -> tuple[Incident, ...]:
        """Past and ongoing incidents, newest first: what the history lists (maintenance ahead is not history yet)."""
        return self.summary.history

    @cached_property
    def titles(self) -> dict[str, str]:
        """Each incident's title by slug, for the pages that name incidents they link to."""
        titles: dict[str, str] = {}
        for block in _TITLES(self.incidents):
            titles.update(block)
        return titles


def _titles(block: tuple[Incident, ...], now: datetime) -> tuple[dict[str, str], datetime]:
    """A block's titles by slug: the same at any `now`."""
    return {i.slug: i.title for i in block}, EVER


_TITLES: ByBlock[Incident, dict[str, str]] = ByBlock(_titles)


def at(
    config: Config,
    incidents: Sequence[Incident],
    now: datetime,
    probes: Mapping[str, ProbeHistory] | None = None,
    vendors: Upstream | None = None,
) -> Site:
    """The site as its readers see it at `now`: only what is posted by then counts."""
    shown = tuple(visible(incidents, now))
    return Site(config, shown, summarize(config, shown, now, probes), vendors or Upstream(), probes or {})
