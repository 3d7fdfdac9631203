"""The pipeline: gather and validate everything, render everything, then write once.

Nothing touches the output folder until every input is valid and every page rendered.
The new site is assembled in a temporary folder beside the old one and swapped in whole,
so readers and a killed build only ever see the complete old or the complete new site.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2

from . import api, badges, clock, content, feeds, ics, render, sitemap, status
from . import config as config_module
from .config import Config
from .errors import BuildError, Problem, display_path
from .model import Incident
from .output import WriteStats, write

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


def gather(config_path: Path, now: str | None = None) -> Inputs:
    """Load and validate the config and every note; raise with all problems at once."""
    config, warnings = config_module.load(config_path)
    try:
        moment = clock.build_time(now, config.timezone)
    except clock.TimeError as error:
        raise BuildError(f"--now: {error}") from None
    incidents, note_warnings = content.load(config)
    warnings += note_warnings + _future_warnings(config, incidents, moment)
    return Inputs(config, incidents, moment, warnings)


def build(config_path: Path, out: Path | None = None, now: str | None = None) -> BuildResult:
    """Build the site described by `config_path` into `out` (default: the site's `site/`)."""
    inputs = gather(config_path, now)
    site = (out or inputs.config.output_dir).resolve()
    stats = write(generate(inputs), site, protected=_protected(inputs.config))
    return BuildResult(site, stats, inputs)


def generate(inputs: Inputs) -> Iterator[tuple[str, bytes]]:
    """Every output file as (path relative to the site root, bytes)."""
    config, incidents, now = inputs.config, inputs.incidents, inputs.now
    summary = status.summarize(config, incidents, now)
    env = render.environment(config, incidents)
    pages = list(render.pages(config, incidents, summary))
    for page in pages:
        try:
            yield page.path, render.render(env, config, page)
        except Exception as error:  # a site's template override can fail in any way
            raise BuildError(_template_message(error, config, page.template)) from None
    yield from feeds.render(config, incidents, now).items()
    yield from api.render(config, incidents, summary).items()
    yield from badges.render(config, summary).items()
    yield from ics.render(config, incidents, summary).items()
    yield from sitemap.render(config, (p.url_path for p in pages if p.path != "404.html")).items()


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
