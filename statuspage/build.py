"""The pipeline: gather and validate everything, render everything, then write once.

Nothing touches the output folder until every input is valid and every page rendered.
The new site is assembled in a temporary folder beside the old one and swapped in whole,
so readers and a killed build only ever see the complete old or the complete new site.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2

from . import api, badges, cache, clock, content, feeds, ics, render, sitemap, status, workers
from . import config as config_module
from .cache import NoteCache, PageLedger
from .config import Config
from .content import Progress
from .errors import BuildError, Problem, display_path
from .model import Incident
from .output import KEEP, Previous, WriteStats, write

log = logging.getLogger(__name__)


@dataclass
class Inputs:
    config: Config
    incidents: list[Incident]
    now: datetime
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class BuildResult:
    site: Path
    stats: WriteStats
    inputs: Inputs


def gather(
    config_path: Path,
    now: str | None = None,
    progress: Progress | None = None,
    code: str | None = None,
    keep_cache: bool = False,
) -> Inputs:
    """Load and validate the config and every note; raise with all problems at once.

    The note cache is read always and written only with `keep_cache` (`check` writes nothing).
    """
    config, warnings = config_module.load(config_path)
    try:
        moment = clock.build_time(now, config.timezone)
    except clock.TimeError as error:
        raise BuildError(f"--now: {error}") from None
    notes = NoteCache.open(config, code or cache.code_fingerprint())
    try:
        incidents, note_warnings = content.load(config, notes, progress)
    finally:
        if keep_cache:
            notes.save()  # also the notes that did parse, so fixing one broken note is a quick rebuild
    warnings += note_warnings + _future_warnings(config, incidents, moment)
    return Inputs(config, incidents, moment, warnings)


def build(
    config_path: Path, out: Path | None = None, now: str | None = None, progress: Progress | None = None
) -> BuildResult:
    """Build the site described by `config_path` into `out` (default: the site's `site/`)."""
    code = cache.code_fingerprint()
    inputs = gather(config_path, now, progress, code, keep_cache=True)
    site = (out or inputs.config.output_dir).resolve()
    ledger = PageLedger.open(inputs.config, config_path, site, code)
    stats = write(generate(inputs, ledger, progress), site, protected=_protected(inputs.config))
    ledger.save()
    return BuildResult(site, stats, inputs)


#: Below this many pages to render, forking workers costs more than it saves.
PARALLEL_PAGES = 200


def generate(
    inputs: Inputs, ledger: PageLedger | None = None, progress: Progress | None = None
) -> Iterator[tuple[str, bytes | Previous]]:
    """Every output file as (path relative to the site root, bytes or KEEP for an unchanged page)."""
    config, incidents, now = inputs.config, inputs.incidents, inputs.now
    summary = status.summarize(config, incidents, now)
    pages = list(render.pages(config, incidents, summary))
    kept = {p.path for p in pages if ledger and p.key and ledger.unchanged(p.path, p.key)}
    todo = [p for p in pages if p.path not in kept]
    rendered = itertools.chain.from_iterable(
        _reporting(
            workers.map_chunks(_render_chunk, (render.environment(config), config), todo, minimum=PARALLEL_PAGES),
            len(todo),
            progress,
        )
    )
    for page in pages:
        yield page.path, KEEP if page.path in kept else next(rendered)
    yield from feeds.render(config, incidents, now).items()
    yield from api.render(config, incidents, summary).items()
    yield from badges.render(config, summary).items()
    yield from ics.render(config, incidents, summary).items()
    yield from sitemap.render(config, (p.url_path for p in pages if p.path != "404.html")).items()


def _reporting(chunks: Iterator[list[bytes]], total: int, progress: Progress | None) -> Iterator[list[bytes]]:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        if progress:
            progress("Rendering pages", done, total)
        yield chunk


def _render_chunk(context: tuple[jinja2.Environment, Config], pages: Sequence[render.Page]) -> list[bytes]:
    """Render some pages (in a worker process for big builds), naming the template line on failure."""
    env, config = context
    result = []
    for page in pages:
        try:
            result.append(render.render(env, config, page))
        except Exception as error:  # a site's template override can fail in any way
            raise BuildError(_template_message(error, config, page.template)) from None
    return result


def _template_message(error: Exception, config: Config, template: str) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = display_path(Path(error.filename)) if error.filename else error.name or template
        return f"{where}:{error.lineno}: template error: {error.message}"
    frames = traceback.extract_tb(error.__traceback__)
    where = next(
        (
            f"{display_path(Path(f.filename))}:{f.lineno}"
            for f in reversed(frames)
            if f.filename.endswith((".html", ".xml", ".svg", ".css"))
        ),
        template,
    )
    return f"{where}: template error while rendering {template}: {error}"


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


def _protected(config: Config) -> tuple[Path, ...]:
    """Folders a mistaken --out must never replace."""
    return (config.root, config.incidents_dir, config.templates_dir)
