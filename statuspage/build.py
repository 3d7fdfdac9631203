"""The pipeline, top to bottom: gather and validate everything, summarize, render, then write once.

Nothing touches the output folder until every input is valid. The new site is assembled in a
folder beside the old one and swapped in whole, so readers and a killed build only ever see
the complete old or the complete new site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import fingerprint
from .core.config import Config
from .core.site import Site
from .errors import BuildError
from .files import Deferred, Files
from .inputs import Fetch, Inputs, gather
from .outputs import api, badges, calendar, embeds, favicon, feeds, llms, markdown_twin, pages, sitemap
from .publish.ledger import PageLedger
from .publish.resolve import resolve
from .publish.writer import WriteStats, write
from .workers import Progress

#: Every output of the site, each a function of the `Site`; adding one is a module and a line.
OUTPUTS = (
    pages.render,
    feeds.render,
    api.render,
    badges.render,
    calendar.render,
    sitemap.render,
    favicon.render,
    embeds.render,
    markdown_twin.render,
    llms.render,
)


@dataclass(frozen=True)
class BuildResult:
    site: Path
    stats: WriteStats
    inputs: Inputs


def build(
    config_path: Path,
    out: Path | None = None,
    now: str | None = None,
    progress: Progress | None = None,
    fetch: Fetch | None = None,
) -> BuildResult:
    """Build the site described by `config_path` into `out` (default: the site's `site/`).

    `fetch` refreshes the third-party snapshots first; without it they are read as stored.
    """
    inputs = gather(config_path, now, progress, keep_cache=True, fetch=fetch)
    config = inputs.config
    files = render(inputs.site())
    folder = (out or config.output_dir).resolve()
    ledger = PageLedger.open(config, config_path, folder, fingerprint.code_fingerprint())
    stats = write(resolve(files, ledger, progress), folder, protected=_protected(config))
    ledger.save()
    return BuildResult(folder, stats, inputs)


def render(site: Site) -> Files:
    """Every output's files in one mapping; two outputs wanting one path is an error, never an overwrite."""
    files: dict[str, bytes | Deferred] = {}
    for output in OUTPUTS:
        for path, data in output(site).items():
            if path in files:
                raise BuildError(f"two outputs want the same path {path}; rename one of the notes")
            files[path] = data
    return files


def _protected(config: Config) -> tuple[Path, ...]:
    """Folders a mistaken --out must never replace."""
    return (config.root, config.incidents_dir, config.templates_dir)
