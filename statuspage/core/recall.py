"""Values worked out from immutable inputs, found again while the very same inputs come back.

The preview builds again and again in one process, and nearly every incident it reads is the
very object of the last build (the note cache keeps them decoded): what was worked out from an
incident and its state, or from a component's days and months, need not be worked out again. Found by identity, never by equality, so
a lookup costs next to nothing and can never return what other inputs made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from operator import is_
from typing import Any, Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")


class Recall(Generic[V]):
    """The last value made under each name, with the two objects it was made from."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[object, object, V]] = {}

    def get(self, name: str, first: object, second: object = None) -> V | None:
        """The value last kept under `name`, if it was made from these very objects."""
        found = self._made.get(name)
        return found[2] if found is not None and found[0] is first and found[1] is second else None

    def keep(self, name: str, value: V, first: object, second: object = None) -> V:
        """Keep `value`, made from `first` and `second`, under `name` (in place of the last); return it."""
        self._made[name] = (first, second, value)
        return value


def same(first: Sequence[object], second: Sequence[object]) -> bool:
    """Whether the two hold the very same objects, in order."""
    return len(first) == len(second) and all(map(is_, first, second))


#: The moment from which a value that never depends on `now` is settled.
EVER = datetime.min.replace(tzinfo=UTC)
#: Incidents per block: one changed note costs a block's work, a long history a few dozen lookups.
BLOCK = 256


class ByBlock(Generic[T, V]):
    """A value per block of a long newest-first sequence, kept while the block holds the very
    same items and stays settled.

    `work(block, now)` gives the block's value and the moment from which it no longer depends
    on `now` (None: it does). The preview's clock moves on every save, yet a history's old
    blocks, every note in them ended and posted, give the same value at any later `now`.
    Blocks are counted from the oldest item, so a newest note moves none of them."""

    def __init__(self, work: Callable[[tuple[T, ...], datetime], tuple[V, datetime | None]]) -> None:
        self._work = work
        self._kept: dict[int, tuple[tuple[T, ...], datetime, V]] = {}

    def __call__(self, items: Sequence[T], now: datetime = EVER) -> list[V]:
        """Each block's value at `now` (none: a value that never depends on it), the newest block's first."""
        values = []
        for index, block in blocks(items):
            kept = self._kept.get(index)
            if kept is not None and kept[1] <= now and same(kept[0], block):
                values.append(kept[2])
                continue
            value, settled = self._work(block, now)
            if settled is not None and settled <= now:
                self._kept[index] = (block, settled, value)
            else:
                self._kept.pop(index, None)
            values.append(value)
        forget_after(self._kept, len(items))
        return values


def blocks(items: Sequence[T]) -> Iterator[tuple[int, tuple[T, ...]]]:
    """The blocks of a long newest-first sequence, newest first, each with its number counted
    from the oldest item, so that a newest item moves none of them."""
    for index in reversed(range(-(-len(items) // BLOCK))):
        stop = len(items) - index * BLOCK
        yield index, tuple(items[max(0, stop - BLOCK) : stop])


def forget_after(kept: dict[int, Any], length: int) -> None:
    """Drop what is kept for the blocks a sequence of `length` items no longer has."""
    for index in [index for index in kept if index >= -(-length // BLOCK)]:
        del kept[index]
