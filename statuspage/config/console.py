"""[console]: where the console's Publish pushes the notes it wrote."""

from __future__ import annotations

from ..core.config import ConsoleConfig
from ..schema import Reader


def read_console(reader: Reader, value: object) -> ConsoleConfig:
    """`[console]`: the git remote and branch the console's Publish pushes to."""
    table = reader.table(value, "console")
    reader.known_keys(table, "console", ("remote", "branch"))
    default = ConsoleConfig()
    remote = reader.get(table, "remote", str, prefix="console", default=default.remote, check=_git_name)
    branch = reader.get(table, "branch", str, prefix="console", default=default.branch, check=_git_name)
    return ConsoleConfig(remote, branch)


def _git_name(value: str) -> str | None:
    """A remote or branch name, never an option: the console passes it to git as an argument."""
    if value.startswith("-") or any(c.isspace() for c in value):
        return f"{value!r} is not a git remote or branch name"
    return None
