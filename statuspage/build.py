"""The pipeline, top to bottom: gather and validate everything, summarize, render, then write once.

Nothing touches the output folder until every input is valid. The new site is assembled in a
folder beside the old one and swapped in whole, so readers and a killed build only ever see
the complete old or the complete new site.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import fingerprint, lint
from .core.config import Config
from .core.site import Site
from .errors import BuildError, StrictError, display_path
from .files import Deferred, Files
from .inputs import Fetch, Inputs, gather
from .outputs import api, badges, calendar, embeds, favicon, feeds, i18n, llms, markdown_twin, pages, sitemap, templates
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


def check(
    config_path: Path, now: str | None = None, progress: Progress | None = None, strict: bool | None = None
) -> Inputs:
    """Everything a build checks, the built site's links included; nothing is written."""
    inputs, _ = _prepare(config_path, now, progress, strict, keep_cache=False)
    return inputs


def build(
    config_path: Path,
    out: Path | None = None,
    now: str | None = None,
    progress: Progress | None = None,
    strict: bool | None = None,
    fetch: Fetch | None = None,
    force: bool = False,
    changed: Collection[Path] | None = None,
) -> BuildResult:
    """Build the site described by `config_path` into `out` (default: the site's `site/`).

    `fetch` refreshes the third-party snapshots first; without it they are read as stored.
    `force` trusts no record of the last build: every page is rendered and every file compared.
    `changed`: the paths that changed since this process last listed the notes (the preview's
    watcher says; `build` just listed them for its stamp); only those notes are looked at
    again. None: every note is.
    """
    inputs, files = _prepare(config_path, now, progress, strict, keep_cache=True, fetch=fetch, changed=changed)
    config = inputs.config
    folder = (out or config.output_dir).resolve()
    ledger = PageLedger.open(config, config_path, folder, fingerprint.code_fingerprint(), force=force)
    ledger.writing()
    try:
        stats, manifest = write(
            resolve(files, ledger, progress), folder, protected=_protected(config), manifest=ledger.manifest
        )
    except BaseException:
        ledger.keep_old()
        raise
    ledger.save(manifest)
    templates.save_compiled(config)
    return BuildResult(folder, stats, inputs)


def _prepare(
    config_path: Path,
    now: str | None,
    progress: Progress | None,
    strict: bool | None,
    keep_cache: bool,
    fetch: Fetch | None = None,
    changed: Collection[Path] | None = None,
) -> tuple[Inputs, Files]:
    """Gather, render and check; in strict mode (`--strict`, or `strict = true`) a warning stops here."""
    with _collection_paused():
        inputs = gather(config_path, now, progress, keep_cache=keep_cache, fetch=fetch, changed=changed)
        files = render(inputs.site(), _static(inputs))
    inputs.warnings += i18n.untranslated(display_path(config_path), inputs.config.language)
    inputs.warnings += lint.check(inputs.config, inputs.incidents, files.keys())
    if (inputs.config.strict if strict is None else strict) and inputs.warnings:
        raise StrictError(inputs.warnings)
    return inputs, files


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Reading 10,000 notes makes a million long-lived objects and no garbage cycles: the cycle
    collector's passes over them were a quarter of a rebuild, and found nothing. So it pauses,
    and then leaves them out of its passes for the rest of the build (`gc.freeze`); a preview
    server's next build hands the last one's back to it first."""
    if not gc.isenabled():
        yield
        return
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def render(site: Site, static: Files) -> Files:
    """Every output's files and the static ones in one mapping; two wanting one path is an
    error, never an overwrite."""
    files: dict[str, bytes | Deferred] = dict(static)
    for output in OUTPUTS:
        for path, data in output(site).items():
            if path in files:
                cause = "a file in static/ has the path of a page" if path in static else "rename one of the notes"
                raise BuildError(f"two outputs want the same path {path}; {cause}")
            files[path] = data
    return files


def _static(inputs: Inputs) -> Files:
    """The site's `static/` files, read only when the site lacks them as they are."""
    return {path: Deferred(None, source.read_bytes) for path, source in inputs.static.items()}


def _protected(config: Config) -> tuple[Path, ...]:
    """Folders a mistaken --out must never replace."""
    return (config.root, config.incidents_dir, config.templates_dir, config.static_dir)
