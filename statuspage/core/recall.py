"""Values worked out from immutable inputs, found again while the very same inputs come back.

The preview builds again and again in one process, and nearly every incident it reads is the
very object of the last build (the note cache keeps them decoded): what was worked out from an
incident and its state, or from a component's days and months, need not be worked out again. Found by identity, never by equality, so
a lookup costs next to nothing and can never return what other inputs made.
"""

from __future__ import annotations

from typing import Generic, TypeVar

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
