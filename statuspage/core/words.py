"""The wording shared by every message: short values, "use one of" lists, "did you mean".

One home, so the config, the notes, the CLI and the console say the same thing the same way.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable


class _Short(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        try:
            return super().repr_int(x, level)
        except ValueError:  # Python refuses to print an int of more than 4300 digits
            return "<a number too long to show>"


_SHORT = _Short()
_SHORT.maxstring = _SHORT.maxother = 80


def brief(value: object) -> str:
    """A value for a message: its repr, cut short so a huge value cannot flood the terminal."""
    return _SHORT.repr(value)


def one_of(choices: Iterable[str]) -> str:
    """ "use one of: a, b, c", listing the choices in the form the author types them there."""
    return f"use one of: {', '.join(choices)}"


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` was most likely meant to be (a typo), if one is close enough."""
    found = difflib.get_close_matches(word, list(choices), n=1)
    return found[0] if found else None
