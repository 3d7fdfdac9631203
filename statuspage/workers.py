"""Spread CPU-bound work over the machine's cores, where that is safe and pays.

Workers are forked, so they inherit the build's data instead of receiving it pickled;
only chunk bounds go out and results come back, in order. Forking is safe only from a
single-threaded process on Linux, so anywhere else (say, a preview server's rebuild
thread) the same chunks simply run one after another in this process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import BuildError

Item = TypeVar("Item")
Result = TypeVar("Result")
Task = Callable[[Any, Sequence[Item]], list[Result]]
#: Told how far a long job has come: (what, done, total).
Progress = Callable[[str, int, int], None]

#: The most items in a chunk. A chunk's results are held whole three times over, in the worker,
#: in the message it sends and in the build until it is written, and the allocator keeps the
#: high-water mark: chunks of 625 rendered pages (10 MB) made a cold build at 10,000 notes
#: peak at 374 MB, chunks of 150 at 308 MB, in the same time.
CHUNK_MOST = 150

#: What a forked worker inherited: the shared context and the items.
_inherited: tuple[Any, Sequence[Any]] | None = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def map_chunks(
    task: Task[Item, Result], context: Any, items: Sequence[Item], *, minimum: int
) -> Iterator[list[Result]]:
    """Yield `task(context, chunk)` for consecutive chunks of `items`, in order.

    With at least `minimum` items and more than one core, chunks run in worker processes
    (starting them costs tens of milliseconds, so small jobs stay here).
    """
    workers = min(cores(), 4)
    if len(items) < minimum or workers < 2 or not can_fork():
        size = max(len(items) // 20, 50)
        for start in range(0, len(items), size):
            yield task(context, items[start : start + size])
        return
    # Imported here: a one-note rebuild never forks, and these were a twentieth of its start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(min(len(items) // (workers * 8), CHUNK_MOST), 20)
    starts = range(0, len(items), size)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_inherit,
        initargs=(context, items),
    )
    try:
        yield from pool.map(_run, [task] * len(starts), starts, [s + size for s in starts])
    except BrokenProcessPool:
        raise BuildError(
            "a worker process died (out of memory?); nothing was written. Try again, or free some memory"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _inherit(context: Any, items: Sequence[Any]) -> None:
    global _inherited
    _inherited = (context, items)


def _run(task: Task[Any, Any], start: int, stop: int) -> list[Any]:
    assert _inherited is not None
    context, items = _inherited
    return task(context, items[start:stop])
