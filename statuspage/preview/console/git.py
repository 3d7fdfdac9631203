"""Publish from the console: commit exactly the notes it changed, then push, with plain git.

Every git call is an argument list (never a shell string) with a timeout and no terminal, so
git cannot stop to ask for a password; what git says is shown to the person, with any
password in a remote's URL blanked out. Nothing is ever forced.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core.config import ConsoleConfig

#: Seconds for a local git step, and for a push (which talks to the remote).
LOCAL_TIMEOUT = 30
PUSH_TIMEOUT = 120
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    ok: bool  # committed and pushed
    committed: bool  # the notes are in a commit (or were already): only the push is left if not ok
    output: str  # what git printed, every step, for the person to read


def work_tree(folder: Path) -> Path | None:
    """The git work tree holding `folder`, or None (no git, or not in a repository)."""
    if shutil.which("git") is None:
        return None
    try:
        found = _git(folder, ["rev-parse", "--show-toplevel"], LOCAL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def publish(tree: Path, paths: Sequence[Path], message: str, target: ConsoleConfig) -> Outcome:
    """Commit `paths` (and nothing else, whatever else is staged) with `message`, then push.

    With no paths (committed before, the push failed) it only pushes again.
    """
    shown: list[str] = []
    names = [str(path.resolve().relative_to(tree.resolve())) for path in paths]
    if names:
        if not _step(tree, ["add", "--", *names], LOCAL_TIMEOUT, shown):
            return Outcome(False, False, "\n".join(shown))
        commit = ["commit", "--only", "-m", message, "--", *names]
        if _has_changes(tree, names) and not _step(tree, commit, LOCAL_TIMEOUT, shown):
            return Outcome(False, False, "\n".join(shown))
    refspec = "HEAD" if target.branch is None else f"HEAD:refs/heads/{target.branch}"
    ok = _step(tree, ["push", target.remote, refspec], PUSH_TIMEOUT, shown)
    return Outcome(ok, True, "\n".join(shown))


def _has_changes(tree: Path, names: list[str]) -> bool:
    """Whether the paths differ from the last commit (a note posted, then its change undone, does not)."""
    found = _git(tree, ["diff", "--cached", "--quiet", "HEAD", "--", *names], LOCAL_TIMEOUT)
    return found.returncode != 0


def _step(tree: Path, arguments: list[str], timeout: int, shown: list[str]) -> bool:
    shown.append("$ git " + " ".join(_quoted(a) for a in arguments))
    try:
        done = _git(tree, arguments, timeout)
    except subprocess.TimeoutExpired:
        shown.append(f"git {arguments[0]} did not finish within {timeout} seconds; stopped it.")
        return False
    except OSError as error:
        shown.append(f"cannot run git: {error.strerror}")
        return False
    text = (done.stdout + done.stderr).strip()
    if text:
        shown.append(_CREDENTIALS.sub(r"\g<scheme>***@", text))
    return done.returncode == 0


def _git(tree: Path, arguments: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(tree), *arguments],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=timeout,
        env=_no_prompts(),
        check=False,
    )


def _no_prompts() -> dict[str, str]:
    """No terminal to ask in: git and ssh fail at once instead of waiting for a password typed nowhere."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _quoted(argument: str) -> str:
    return argument if re.fullmatch(r"[\w@%+=:,./-]+", argument) else "'" + argument.replace("'", "'\\''") + "'"
