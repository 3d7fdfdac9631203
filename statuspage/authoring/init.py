"""`statuspage init`: start a new status site from the files in `scaffold/` (shipped in the wheel).

Nothing that exists is overwritten: if any file the site needs is already there, nothing
is written at all. An existing `.gitignore` only gets the lines it lacks appended.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

from .. import __version__
from ..core.clock import write_time
from ..core.config import CONFIG_NAME
from ..errors import EditError, display_path

SCAFFOLD = Path(__file__).parent / "scaffold"
#: The scaffold's config says UTC; the example note's times are written in it.
ZONE = ZoneInfo("UTC")


#: The example incident: its updates this long before `init` ran.
EXAMPLE_TIMES = {"investigating": 40, "identified": 20, "resolved": 10}


def create(folder: Path, now: datetime) -> list[Path]:
    """Write a new site into `folder` (made if missing); return the files written, in order.

    Its components are watched from today (`since`), so the new site claims no history it does
    not have; the example incident happened in the last hour, so there is something to see.
    """
    minute = now.astimezone(ZONE).replace(second=0, microsecond=0)
    times = {name: minute - timedelta(minutes=ago) for name, ago in EXAMPLE_TIMES.items()}
    first_day = times["investigating"].date()
    files = {
        CONFIG_NAME: Template(_read("statuspage.toml")).substitute(since=first_day.isoformat()),
        f"incidents/{first_day.isoformat()}-example-login-offline.md": Template(_read("example.md")).substitute(
            {name: write_time(moment, ZONE) for name, moment in times.items()}
        ),
        "requirements.txt": Template(_read("requirements.txt")).substitute(version=__version__),
        ".github/workflows/statuspage.yml": _read("github-pages.yml"),
    }
    taken = [display_path(folder / name) for name in files if (folder / name).exists()]
    if taken:
        raise EditError(
            f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''}; nothing was written. "
            "Start the site in a new folder: statuspage init DIR"
        )
    written = []
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        if _extend_gitignore(folder / ".gitignore"):
            written.append(folder / ".gitignore")
    except OSError as error:
        done = ", ".join(display_path(p) for p in written) or "nothing"
        raise EditError(f"cannot write {error.filename}: {error.strerror}; written so far: {done}") from None
    return written


def _read(name: str) -> str:
    return (SCAFFOLD / name).read_text(encoding="utf-8")


def _extend_gitignore(path: Path) -> bool:
    """Create .gitignore, or append the patterns it lacks (each with the comment above it in the
    scaffold); False if it already had them all."""
    existing = path.read_bytes() if path.exists() else b""
    have = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    missing: list[str] = []
    comments: list[str] = []
    for line in _read("gitignore").splitlines():
        if line.startswith("#"):
            comments.append(line)
            continue
        if line not in have:
            missing += [*comments, line]
        comments = []
    if not missing:
        return False
    separator = b"\n" if existing and not existing.endswith(b"\n") else b""
    with path.open("ab") as file:
        file.write(separator + "".join(f"{line}\n" for line in missing).encode())
    return True
