"""Gather what a run knows before it does anything: the config, every note, and `now`.

`build`, `check`, `list`, `notify` and the console all start here, so they read the same
notes the same way and agree on what is posted. Every problem is collected before anyone
acts on a single note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import config as config_module
from . import fingerprint
from .core import clock, status
from .core.config import Config
from .core.model import Incident
from .core.probes import ProbeHistory
from .core.site import Site
from .errors import BuildError, Problem, display_path
from .notes import load as notes
from .notes.cache import NoteCache
from .probes import rollup
from .workers import Progress


@dataclass
class Inputs:
    config: Config
    incidents: list[Incident]
    now: datetime
    warnings: list[Problem] = field(default_factory=list)
    #: What probes recorded, per component (data/probes/).
    probes: dict[str, ProbeHistory] = field(default_factory=dict)
    #: Notes with `draft: true`: never in `incidents`, never shown; `statuspage list` lists them.
    drafts: list[Incident] = field(default_factory=list)

    def site(self) -> Site:
        """What the site says at `now`: the one value every output, and every notifier, reads."""
        summary = status.summarize(self.config, self.incidents, self.now, self.probes)
        return Site(self.config, tuple(self.incidents), summary)


def gather(
    config_path: Path, now: str | None = None, progress: Progress | None = None, keep_cache: bool = False
) -> Inputs:
    """Load and validate the config and every note; raise with all problems at once.

    The note and probe caches are read always and written only with `keep_cache` (`check` writes nothing).
    """
    config, warnings = config_module.load(config_path)
    try:
        moment = clock.build_time(now, config.timezone)
    except clock.TimeError as error:
        raise BuildError(f"--now: {error}") from None
    cache = NoteCache.open(config, fingerprint.code_fingerprint())
    try:
        incidents, note_warnings = notes.load(config, cache, progress)
    finally:
        if keep_cache:
            cache.save()  # also the notes that did parse, so fixing one broken note is a quick rebuild
    drafts = [i for i in incidents if i.draft]
    if drafts:
        incidents = [i for i in incidents if not i.draft]
    probes, probe_warnings = rollup.read(config, save=keep_cache)
    warnings += note_warnings + _future_warnings(config, incidents, moment) + probe_warnings
    return Inputs(config, incidents, moment, warnings, probes, drafts)


def _future_warnings(config: Config, incidents: list[Incident], now: datetime) -> list[Problem]:
    """Incidents dated after `now` are usually a typo in the date; maintenance is meant to be."""
    return [
        Problem(
            display_path(Path(i.source)),
            None,
            f"starts in the future ({i.start.isoformat()}); check the date",
            warning=True,
        )
        for i in incidents
        if not i.is_maintenance and i.start > now
    ]
