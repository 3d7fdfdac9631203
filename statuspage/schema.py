"""Typed reading of untrusted mappings (TOML tables, YAML front matter).

A `Reader` never stops at the first problem: every wrong value is recorded with its
key path (`components[2].id`) and the caller decides when to give up. Unknown keys are
warnings, so typos are caught without breaking a build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .core.words import brief, close_match

T = TypeVar("T")
_MISSING = object()
#: Characters XML 1.0 cannot carry, so no feed could hold them: C0 controls but tab and newlines.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_KIND_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}


def kind_name(kind: type) -> str:
    """Name a type the way a TOML or YAML author thinks of it."""
    return _KIND_NAMES.get(kind, kind.__name__)


def type_name(value: object) -> str:
    return "nothing" if value is None else kind_name(type(value))


def unreadable(error: Exception) -> str:
    """Why a parser could not build a value, in words for the author."""
    if "integer string conversion" in str(error):
        return "a number has more than 4300 digits"
    return str(error)


class Reader:
    """Collects problems as (key path, message) while reading values."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, message))

    def warn(self, key: str, message: str) -> None:
        self.warnings.append((key, message))

    def table(self, value: object, key: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if value is not None:
            self.error(key, f"expected a table of settings, got {type_name(value)}")
        return {}

    def tables(self, value: object, key: str, hint: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each table of the array of tables `key`, with its key path ("notify[2]"); anything
        but a list is one error, `hint` saying how to write it."""
        if value is None:
            return
        if not isinstance(value, list):
            self.error(key, hint)
            return
        for index, item in enumerate(value):
            prefix = f"{key}[{index}]"
            yield prefix, self.table(item, prefix)

    def known_keys(self, table: dict[str, Any], prefix: str, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                close = close_match(str(key), allowed)
                hint = f"did you mean {close!r}?" if close else f"known: {', '.join(allowed)}"
                self.warn(_join(prefix, str(key)), f"unknown setting, ignored; {hint}")

    def get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type[T] | tuple[type, ...],
        *,
        prefix: str = "",
        default: Any = _MISSING,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        """Return table[key] if it has the right type (and passes `check`), else record why."""
        path = _join(prefix, key)
        value = table.get(key, _MISSING)
        if value is _MISSING or value is None:
            if default is _MISSING:
                self.error(path, "is required")
                return None
            return default
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            wanted = " or ".join(dict.fromkeys(kind_name(k) for k in kinds))
            self.error(path, f"expected {wanted}, got {type_name(value)} {brief(value)}")
            return None if default is _MISSING else default
        if isinstance(value, str) and not value.strip():
            self.error(path, "must not be empty")
            return None if default is _MISSING else default
        control = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
        if control:
            self.error(path, f"contains the control character U+{ord(control.group()):04X}; delete it")
            return None if default is _MISSING else default
        if check is not None:
            problem = check(value)
            if problem:
                self.error(path, problem)
                return None if default is _MISSING else default
        return value


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
