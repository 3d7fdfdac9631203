"""`Site`: everything one build knows, as one immutable value every output is a function of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .config import Config
from .model import Incident
from .probes import ProbeHistory
from .status import Phase, Summary, summarize
from .timeline import visible
from .upstream import Upstream


@dataclass(frozen=True)
class Site:
    config: Config
    incidents: tuple[Incident, ...]  # newest first
    summary: Summary  # computed from the two above at `now`
    #: The third-party pages at `now`; it never changes `summary`.
    upstream: Upstream = field(default_factory=Upstream)

    @property
    def now(self) -> datetime:
        return self.summary.now

    @cached_property
    def history(self) -> tuple[Incident, ...]:
        """Past and ongoing incidents, newest first: what the history lists (maintenance ahead is not history yet)."""
        return tuple(i for i in self.incidents if self.summary.states[i.slug].phase is not Phase.UPCOMING)

    @cached_property
    def titles(self) -> dict[str, str]:
        """Each incident's title by slug, for the pages that name incidents they link to."""
        return {i.slug: i.title for i in self.incidents}


def at(
    config: Config,
    incidents: Sequence[Incident],
    now: datetime,
    probes: Mapping[str, ProbeHistory] | None = None,
    vendors: Upstream | None = None,
) -> Site:
    """The site as its readers see it at `now`: only what is posted by then counts."""
    shown = tuple(visible(incidents, now))
    return Site(config, shown, summarize(config, shown, now, probes), vendors or Upstream())
