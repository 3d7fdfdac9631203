"""Errors users see: each names the file, the line where known, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


class ProblemsError(StatusPageError):
    """Input is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        # By file, then line; problems without a line keep the order they were found in.
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def error_count(self) -> int:
        return sum(not p.warning for p in self.problems)


class ConfigError(ProblemsError):
    """statuspage.toml is missing or invalid."""


class ContentError(ProblemsError):
    """One or more incident notes are invalid."""


class BuildError(StatusPageError):
    """The site could not be rendered or written; the previous output is untouched."""


class EditError(StatusPageError):
    """A note or file could not be created or changed as asked; every file is as it was."""


def display_path(path: Path) -> str:
    """A path as short as it can be while still working from the current folder."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
