"""Gather what a run knows before it does anything: the config, every note, and `now`.

`build`, `check`, `list`, `notify` and the console all start here, so they read the same
notes the same way and agree on what is posted. Every problem is collected before anyone
acts on a single note.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import config as config_module
from . import fingerprint
from .core import clock, status, upstream
from .core.config import Config
from .core.model import Incident
from .core.site import Site
from .errors import BuildError, Problem, display_path
from .notes import load as notes
from .notes.cache import NoteCache
from .upstream import store
from .workers import Progress

#: Brings the stored third-party snapshots up to date before they are read (the network's
#: part, `statuspage.upstream.fetch.refresh`, passed in by the command line unless --offline).
Fetch = Callable[[Config, datetime], list[Problem]]


@dataclass
class Inputs:
    config: Config
    incidents: list[Incident]
    now: datetime
    warnings: list[Problem] = field(default_factory=list)
    #: Each `[[upstream]]` vendor's stored snapshots, oldest first.
    snapshots: Mapping[str, Sequence[upstream.Snapshot]] = field(default_factory=dict)

    def site(self) -> Site:
        """What the site says at `now`: the one value every output, and every notifier, reads."""
        return Site(
            self.config,
            tuple(self.incidents),
            status.summarize(self.config, self.incidents, self.now),
            upstream.summarize(self.config, self.snapshots, self.now),
        )


def gather(
    config_path: Path,
    now: str | None = None,
    progress: Progress | None = None,
    keep_cache: bool = False,
    fetch: Fetch | None = None,
) -> Inputs:
    """Load and validate the config and every note; raise with all problems at once.

    The note cache is read always and written only with `keep_cache` (`check` writes nothing).
    Third-party snapshots are refreshed with `fetch` when given, then read from their folder.
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
    warnings += note_warnings + _future_warnings(config, incidents, moment)
    if fetch is not None:
        warnings += fetch(config, moment)
    snapshots = {}
    for source in config.upstream:
        snapshots[source.id], unreadable = store.read(config, source)
        warnings += unreadable
    return Inputs(config, incidents, moment, warnings, snapshots)


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
