"""Turn the outputs' files into bytes: keep each page whose key is unchanged, render the rest.

Rendering is the expensive part of a build, so the pages still to render are spread over the
cores, in order, and handed to the writer as they come back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from .. import workers
from ..files import Deferred, Files
from ..workers import Progress
from .ledger import PageLedger
from .writer import KEEP, Previous

#: Below this many pages to render, forking workers costs more than it saves.
PARALLEL_PAGES = 200


def resolve(
    files: Files, ledger: PageLedger | None, progress: Progress | None = None
) -> Iterator[tuple[str, bytes | Previous]]:
    """Every file as (path, bytes), or KEEP where the site already holds the file its key made."""
    kept = {
        path
        for path, data in files.items()
        if isinstance(data, Deferred) and ledger and data.key and ledger.unchanged(path, data.key)
    }
    todo = [data for path, data in files.items() if isinstance(data, Deferred) and path not in kept]
    rendered = itertools.chain.from_iterable(
        _reporting(workers.map_chunks(_make, None, todo, minimum=PARALLEL_PAGES), len(todo), progress)
    )
    for path, data in files.items():
        if path in kept:
            yield path, KEEP
        elif isinstance(data, Deferred):
            yield path, next(rendered)
        else:
            yield path, data


def _make(context: None, pages: Sequence[Deferred]) -> list[bytes]:
    """Render some pages (in a worker process for big builds)."""
    return [page.make() for page in pages]


def _reporting(chunks: Iterator[list[bytes]], total: int, progress: Progress | None) -> Iterator[list[bytes]]:
    done = 0
    for chunk in chunks:
        done += len(chunk)
        if progress:
            progress("Rendering pages", done, total)
        yield chunk
