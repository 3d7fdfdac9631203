"""Gather what a run knows before it does anything: the config, every note, and `now`.

`build`, `check`, `list`, `notify` and the console all start here, so they read the same
notes the same way and agree on what is posted. Every problem is collected before anyone
acts on a single note.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path

from . import config as config_module
from . import fingerprint
from .core import clock, upstream
from .core.clock import write_time
from .core.config import Config
from .core.model import Incident
from .core.probes import ProbeHistory
from .core.recall import EVER, ByBlock
from .core.site import Site, at
from .core.words import distance
from .errors import BuildError, ContentError, Problem, display_path
from .notes import load as notes
from .notes.cache import NoteCache
from .probes import rollup
from .upstream import store
from .workers import Progress

log = logging.getLogger(__name__)

#: Brings the stored third-party snapshots up to date before they are read (the network's
#: part, `statuspage.upstream.fetch.refresh`, passed in by the command line unless --offline).
Fetch = Callable[[Config, datetime], list[Problem]]


@dataclass
class Inputs:
    config: Config
    incidents: list[Incident]
    now: datetime
    warnings: list[Problem] = field(default_factory=list)
    #: The site's static/ files: site path -> source file.
    static: dict[str, Path] = field(default_factory=dict)
    #: What probes recorded, per component (data/probes/).
    probes: dict[str, ProbeHistory] = field(default_factory=dict)
    #: Notes with `draft: true`: never in `incidents`, never shown; `statuspage list` lists them.
    drafts: list[Incident] = field(default_factory=list)
    #: Each `[[upstream]]` vendor's stored snapshots, oldest first.
    snapshots: Mapping[str, Sequence[upstream.Snapshot]] = field(default_factory=dict)

    def site(self) -> Site:
        """What the site says at `now`: the one value every output, and every notifier, reads."""
        vendors = upstream.summarize(self.config, self.snapshots, self.now)
        return at(self.config, self.incidents, self.now, self.probes, vendors)


def gather(
    config_path: Path,
    now: str | None = None,
    progress: Progress | None = None,
    keep_cache: bool = False,
    fetch: Fetch | None = None,
    changed: Collection[Path] | None = None,
) -> Inputs:
    """Load and validate the config and every note; raise with all problems at once.

    The note and probe caches are read always and written only with `keep_cache` (`check` writes nothing).
    Third-party snapshots are refreshed with `fetch` when given, then read from their folder.
    `changed`: the paths that changed since this process last listed the notes; None: unknown.
    """
    config, warnings = config_module.load(config_path)
    try:
        moment = clock.build_time(now, config.timezone)
    except clock.TimeError as error:
        raise BuildError(f"--now: {error}") from None
    cache = NoteCache.open(config, fingerprint.code_fingerprint())
    try:
        incidents, note_warnings = notes.load(config, cache, progress, changed)
    except ContentError as error:  # the config's warnings too: every problem is listed at once
        raise ContentError(warnings + error.problems) from None
    finally:
        if keep_cache:
            cache.save()  # also the notes that did parse, so fixing one broken note is a quick rebuild
    drafts = [i for i in incidents if i.draft]
    if drafts:
        incidents = [i for i in incidents if not i.draft]
    probes, probe_warnings = rollup.read(config, save=keep_cache)
    warnings += sorted(
        note_warnings + _future_warnings(config, incidents, moment) + probe_warnings,
        key=lambda p: (p.path, p.line or 0),
    )
    if fetch is not None:
        warnings += fetch(config, moment)
    snapshots = {}
    for source in config.upstream:
        snapshots[source.id], unreadable = store.read(config, source)
        warnings += unreadable
    return Inputs(config, incidents, moment, warnings, _static_files(config.static_dir), probes, drafts, snapshots)


def _future_warnings(config: Config, incidents: list[Incident], now: datetime) -> list[Problem]:
    """Times after `now` in notes: not posted yet, and most often a typo in the date."""
    warnings: dict[tuple[str, int | None], Problem] = {}
    for incident in chain.from_iterable(_AHEAD(incidents, now)):
        shown = display_path(Path(incident.source))
        for update in incident.updates:
            if update.at > now and not update.always_posted:
                # A note without headings dates its one update by `started:` or `resolved:`.
                key = next((key for key, line in incident.key_lines.items() if line == update.line), None)
                dated = (
                    f"{key}: {write_time(update.at, config.timezone)} is"
                    if key
                    else f"dated {write_time(update.at, config.timezone)},"
                )
                message = f"{dated} {distance(update.at - now)} after now: a typo? It will appear then"
                warnings[shown, update.line] = Problem(shown, update.line, message, warning=True)
        if incident.is_maintenance:
            continue  # a maintenance window ahead is what it is for
        for key, moment, then in (
            ("started", incident.declared_start, "The incident will appear then"),
            ("resolved", incident.declared_end, "The incident stays open until then"),
        ):
            line = incident.key_lines.get(key)
            if moment is not None and moment > now and (shown, line) not in warnings:
                when = write_time(moment, config.timezone)
                message = f"{key}: {when} is {distance(moment - now)} after now: a typo? {then}"
                warnings[shown, line] = Problem(shown, line, message, warning=True)
    return list(warnings.values())


def _ahead(block: tuple[Incident, ...], now: datetime) -> tuple[tuple[Incident, ...], datetime]:
    """A block's notes with a time after `now` (nearly none), and when its last time passes."""
    latest = [
        max(i.updates[0].at, i.declared_start or EVER, i.declared_end or EVER) for i in block
    ]  # updates: newest first
    return tuple(i for i, moment in zip(block, latest, strict=True) if moment > now), max(latest)


_AHEAD: ByBlock[Incident, tuple[Incident, ...]] = ByBlock(_ahead)


def _static_files(folder: Path) -> dict[str, Path]:
    """Regular files under `static/`, by site path; hidden files and links out of it are left out."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    home = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(home):
            log.warning("%s links outside static/; not copied", display_path(path))
            continue
        found[relative.as_posix()] = path
    return found
