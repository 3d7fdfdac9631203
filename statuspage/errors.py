"""Errors users see: each names the file, the line where known, and what to do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious, when a warning) in one input file."""

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


class StatusPageError(Exception):
    """Base of every error that becomes a message and exit code 1, never a traceback."""

    #: The input the error concerns, where the raiser knows it ("title", "message", "start", …),
    #: so a form can show it beside that field.
    field: str | None = None

    def worded(self, names: Mapping[str, str], translate: Callable[[str], str] = str) -> str:
        """The message as a front end shows it: inputs called by `names`, in its language (see EditError)."""
        return str(self)


class ProblemsError(StatusPageError):
    """Input is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        # By file, then line; problems without a line keep the order they were found in.
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def error_count(self) -> int:
        return sum(not p.warning for p in self.problems)

    def summary(self) -> str:
        count = self.error_count
        return f"{count} error{'' if count == 1 else 's'} found; nothing was written."


class ConfigError(ProblemsError):
    """statuspage.toml is missing or invalid."""


class ContentError(ProblemsError):
    """One or more incident notes are invalid."""


class NoteError(Exception):
    """Problems in one note, as (line, message) pairs; the caller knows which note."""

    def __init__(self, problems: list[tuple[int | None, str]], warnings: list[tuple[int | None, str]] | None = None):
        super().__init__(problems)
        self.problems = problems
        self.warnings = warnings or []

    def __reduce__(self) -> tuple[type[NoteError], tuple[Any, ...]]:
        """Keep the warnings when a worker process sends this back."""
        return NoteError, (self.problems, self.warnings)

    def for_file(self, shown: str) -> list[Problem]:
        """The problems (then the warnings) as the `path:line: message` lines users see."""
        return as_problems(shown, self.problems) + as_problems(shown, self.warnings, warning=True)


def as_problems(shown: str, pairs: list[tuple[int | None, str]], *, warning: bool = False) -> list[Problem]:
    return [Problem(shown, line, message, warning) for line, message in pairs]


class StrictError(ProblemsError):
    """Strict mode (`--strict`, `strict = true`): the warnings stop the build as errors would."""

    def __init__(self, warnings: list[Problem]):
        super().__init__([Problem(w.path, w.line, w.message) for w in warnings])

    def summary(self) -> str:
        count = len(self.problems)
        return f"{count} warning{'' if count == 1 else 's'} in strict mode; nothing was written."


class BuildError(StatusPageError):
    """The site could not be rendered or written; the previous output is untouched."""


#: What the authoring layer's messages call the inputs they name, where no front end words them:
#: the command line calls them by its flags, the console by its labels (each maps every key).
NAMES = {
    "start": "start",
    "end": "end",
    "impact": "impact",
    "status": "status",
    "component": "component",
    "now": "time",
    "confirm": "confirm to post it ahead",
    "update": "an update",
}


class EditError(StatusPageError):
    """A note or file could not be created or changed as asked; every file is as it was.

    With `values`, the message is a template (marked for translation): `%(name)s` takes a value,
    or, for a key of NAMES, the input as the reader's front end calls it; a name's wording may use
    the values too (the command line's `update` names the note's slug). Without, it is plain text.
    """

    def __init__(self, message: str, *, field: str | None = None, values: Mapping[str, str] | None = None):
        self.template = message
        self.values = values
        self.field = field
        super().__init__(self.worded(NAMES))

    def worded(self, names: Mapping[str, str], translate: Callable[[str], str] = str) -> str:
        if self.values is None:
            return translate(self.template)
        values = self.values
        wording = {name: word % values for name, word in names.items() if f"%({name})" in self.template}
        return translate(self.template) % {**values, **wording}


class ChangedError(EditError):
    """The note changed on disk since it was read (or since a form showed it); nothing was written."""


def display_path(path: Path) -> str:
    """A path as short as it can be while still working from the current folder."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
