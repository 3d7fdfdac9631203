"""Spread CPU-bound work over the machine's cores, where that is safe and pays.

Workers are forked, so they inherit the build's data instead of receiving it pickled;
only chunk bounds go out and results come back, in order. This process makes chunks too,
in place of one more worker (`_shared`). Forking is safe only from a
single-threaded process on Linux, so anywhere else (say, a preview server's rebuild
thread) the same chunks simply run one after another in this process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import BuildError

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

Item = TypeVar("Item")
Bounds = tuple[int, int]
Result = TypeVar("Result")
Task = Callable[[Any, Sequence[Item]], list[Result]]
#: Told how far a long job has come: (what, done, total).
Progress = Callable[[str, int, int], None]

#: The most items in a chunk. A chunk's results are held whole three times over, in the worker,
#: in the message it sends and in the build until it is written, and the allocator keeps the
#: high-water mark: chunks of 625 rendered pages (10 MB) made a cold build at 10,000 notes
#: peak at 374 MB, chunks of 150 at 308 MB, in the same time.
CHUNK_MOST = 150

#: How often this process lets its other threads run while it makes chunks too (Python's
#: default: every 5 ms). The pool's thread must read each result off its pipe promptly, or the
#: worker blocks writing it: at 5 ms the worker made 40% of the chunks, at 0.5 ms half.
SWITCH_INTERVAL = 0.0005

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
    too, one fewer than the cores this process uses (starting them costs tens of milliseconds,
    so small jobs stay here).
    """
    processes = min(cores(), 4)
    if len(items) < minimum or processes < 2 or not can_fork():
        size = max(len(items) // 20, 50)
        for start in range(0, len(items), size):
            yield task(context, items[start : start + size])
        return
    # Imported here: a one-note rebuild never forks, and these were a twentieth of its start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(min(len(items) // (processes * 8), CHUNK_MOST), 20)
    bounds = _bounds(len(items), size, processes)
    pool = ProcessPoolExecutor(
        max_workers=processes - 1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_inherit,
        initargs=(context, items),
    )
    try:
        yield from _shared(pool, processes - 1, task, context, items, bounds)
    except BrokenProcessPool:
        raise BuildError(
            "a worker process died (out of memory?); nothing was written. Try again, or free some memory"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _bounds(total: int, size: int, processes: int) -> list[Bounds]:
    """Chunks of `size`, but a quarter of that over the last few: no process waits long at the end
    for another's last chunk."""
    cut = max(total - 2 * processes * size, 0) // size * size
    small = max(size // 4, 1)
    starts = [*range(0, cut, size), *range(cut, total, small)]
    return [(start, min(start + (size if start < cut else small), total)) for start in starts]


def _shared(
    pool: Executor, forked: int, task: Task[Item, Result], context: Any, items: Sequence[Item], bounds: list[Bounds]
) -> Iterator[list[Result]]:
    """The chunks' results in order, made by the pool and by this process, which takes the
    furthest chunk not yet handed out whenever the next result it needs is not ready.

    This process works instead of waiting, so one fewer worker copies the build's memory page by
    page as it touches the objects (at 10,000 notes two workers held 60-70 MB each), and the
    share each side makes follows how fast it is, whatever else this process has to do."""
    pending: dict[int, Future[list[Result]]] = {}
    made_here: dict[int, list[Result]] = {}
    handed = 0  # chunks before this one are handed out: to the pool or made here

    def fill() -> None:
        nonlocal handed
        while handed < len(bounds) and len(pending) < 2 * forked:  # the pool never waits for work
            pending[handed] = pool.submit(_run, task, *bounds[handed])
            handed += 1

    switching = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        for n in range(len(bounds)):
            fill()
            while n in pending and not pending[n].done() and handed < len(bounds):
                start, stop = bounds[handed]
                made_here[handed] = task(context, items[start:stop])
                handed += 1
                fill()
            result = made_here.pop(n) if n in made_here else pending.pop(n).result()
            if n + 1 == len(bounds):
                sys.setswitchinterval(switching)  # now: a caller need not ask past the last chunk
            yield result
    finally:
        sys.setswitchinterval(switching)


def _inherit(context: Any, items: Sequence[Any]) -> None:
    global _inherited
    _inherited = (context, items)


def _run(task: Task[Any, Any], start: int, stop: int) -> list[Any]:
    assert _inherited is not None
    context, items = _inherited
    return task(context, items[start:stop])
