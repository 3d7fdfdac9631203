"""Ask for an update's message in the person's own editor, as `git commit` does."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import EditError

#: Everything from this line on is instructions, not message (git's "scissors"). Lines
#: starting with "#" above it are kept: in Markdown they are headings.
SCISSORS = "# ------------------------ >8 ------------------------"


def ask(about: str) -> str:
    """Open $VISUAL or $EDITOR on a scratch file and return what was written above the scissors line."""
    command = _editor()
    handle, name = tempfile.mkstemp(prefix="statuspage-update-", suffix=".md")
    scratch = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"\n{SCISSORS}\n# Write the message above this line; Markdown works.\n")
            file.write("# Leave it empty to cancel: nothing will be changed.\n#\n")
            file.write("".join(f"# {line}\n" for line in about.splitlines()))
        try:
            finished = subprocess.run([*command, str(scratch)], check=False)
        except OSError as error:
            raise EditError(
                f"cannot start the editor {shlex.join(command)!r}: {error.strerror}; set $EDITOR or pass -m MESSAGE"
            ) from None
        if finished.returncode != 0:
            raise EditError(f"the editor exited with status {finished.returncode}; nothing was changed")
        text = scratch.read_text(encoding="utf-8-sig")
    finally:
        scratch.unlink(missing_ok=True)
    return text.split(SCISSORS, 1)[0].strip()


def _editor() -> list[str]:
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return shlex.split(chosen)
    fallback = shutil.which("nano") or shutil.which("vi")
    if fallback is None or not sys.stdin.isatty():
        raise EditError("no message given: pass -m MESSAGE, or set $EDITOR to write it in your editor")
    return [fallback]
