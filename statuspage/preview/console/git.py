"""Publish from the console: commit exactly the notes it changed, then push, with plain git.

Every git call is an argument list (never a shell string) with a timeout and no terminal, so
git cannot stop to ask for a password; what git says is shown to the person, with any
password in a remote's URL blanked out. Nothing is ever forced, and nothing but the console's
own commits is pushed: its commits carry a trailer (TRAILER), and a branch holding other
commits not on the remote yet (someone's work in progress) is not pushed at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ...core.config import ConsoleConfig

#: Seconds for a local git step, and for a push (which talks to the remote).
LOCAL_TIMEOUT = 30
PUSH_TIMEOUT = 120
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)
#: The last lines of every commit the console makes: how a later Publish (or a person) tells them apart.
TRAILER_KEY, TRAILER_VALUE = "Published-with", "statuspage console"
TRAILER = f"{TRAILER_KEY}: {TRAILER_VALUE}"


class Held(Enum):
    """Why a publish did nothing, when git was not what stopped it."""

    OTHERS = "others"  # the branch has commits not on the remote that the console did not make
    NO_UPSTREAM = "no-upstream"  # the remote's branch is not known here, so what is new cannot be told


@dataclass(frozen=True)
class Commit:
    short: str
    subject: str
    ours: bool  # made by the console (it carries the trailer)

    def __str__(self) -> str:
        return f"{self.short} {self.subject}"


@dataclass(frozen=True)
class Outcome:
    ok: bool  # committed and pushed
    committed: bool  # the notes are in a commit (or were already): only the push is left if not ok
    output: str  # what git printed, every step, for the person to read (or, when held, the commits in the way)
    held: Held | None = None


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
    """Commit `paths` (and nothing else, whatever else is staged) with `message`, then push; refused,
    with nothing done, when the push would carry commits the console did not make.

    With no paths (committed before, the push failed) it only pushes again.
    """
    commits = ahead(tree, target)
    if commits is None:
        return Outcome(False, False, "", Held.NO_UPSTREAM)
    others = [commit for commit in commits if not commit.ours]
    if others:
        return Outcome(False, False, "\n".join(str(commit) for commit in others), Held.OTHERS)
    shown: list[str] = []
    names = [str(path.resolve().relative_to(tree.resolve())) for path in paths]
    if names:
        if not _step(tree, ["add", "--", *names], LOCAL_TIMEOUT, shown):
            return Outcome(False, False, "\n".join(shown))
        commit = ["commit", "--only", "-m", message, "-m", TRAILER, "--", *names]
        if _has_changes(tree, names) and not _step(tree, commit, LOCAL_TIMEOUT, shown):
            return Outcome(False, False, "\n".join(shown))
    refspec = "HEAD" if target.branch is None else f"HEAD:refs/heads/{target.branch}"
    ok = _step(tree, ["push", target.remote, refspec], PUSH_TIMEOUT, shown)
    return Outcome(ok, True, "\n".join(shown))


def ahead(tree: Path, target: ConsoleConfig) -> list[Commit] | None:
    """The commits a push would send (those not on the remote's branch as git last saw it), newest
    first; None when that branch is not known here (never pushed or fetched) or HEAD is no branch."""
    branch = target.branch or _current_branch(tree)
    if branch is None:
        return None
    upstream = f"refs/remotes/{target.remote}/{branch}"
    record = f"%h%x1f%s%x1f%(trailers:key={TRAILER_KEY},valueonly)%x1e"
    try:
        if _git(tree, ["rev-parse", "--verify", "--quiet", upstream], LOCAL_TIMEOUT).returncode != 0:
            return None
        found = _git(tree, ["log", f"--format={record}", f"{upstream}..HEAD"], LOCAL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if found.returncode != 0:
        return None
    commits = []
    for entry in filter(None, (part.strip("\n") for part in found.stdout.split("\x1e"))):
        short, subject, trailer = [*entry.split("\x1f"), "", ""][:3]
        commits.append(Commit(short, subject, trailer.strip() == TRAILER_VALUE))
    return commits


def changed(tree: Path, paths: Sequence[Path]) -> set[Path]:
    """Those of `paths` that are not as the last commit has them (new, or edited), as git sees it."""
    if not paths:
        return set()
    root = tree.resolve()
    names = {str(path.resolve().relative_to(root)): path for path in paths}
    try:
        found = _git(tree, ["status", "--porcelain", "-z", "--untracked-files=all", "--", *names], LOCAL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return set(paths)  # cannot tell: keep them listed rather than lose them
    listed = {entry[3:] for entry in found.stdout.split("\0") if len(entry) > 3}
    return {path for name, path in names.items() if name in listed}


def _current_branch(tree: Path) -> str | None:
    try:
        found = _git(tree, ["symbolic-ref", "--quiet", "--short", "HEAD"], LOCAL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() or None if found.returncode == 0 else None


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
