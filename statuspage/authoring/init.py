"""`statuspage init`: start a new status site from the files in `scaffold/` (shipped in the wheel).

Nothing that exists is overwritten: if any file the site needs is already there, nothing
is written at all. An existing `.gitignore` only gets the lines it lacks appended.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
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


def create(folder: Path, now: datetime) -> list[Path]:
    """Write a new site into `folder` (made if missing); return the files written, in order."""
    yesterday = now.astimezone(ZONE).date() - timedelta(days=1)

    def at(hour: int, minute: int) -> str:
        return write_time(datetime.combine(yesterday, time(hour, minute), ZONE), ZONE)

    files = {
        CONFIG_NAME: _read("statuspage.toml"),
        f"incidents/{yesterday.isoformat()}-example-login-offline.md": Template(_read("example.md")).substitute(
            investigating=at(9, 5), identified=at(9, 30), resolved=at(9, 41)
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
    """Create .gitignore, or append the patterns it lacks; False if it already had them all."""
    wanted = _read("gitignore").splitlines()
    existing = path.read_bytes() if path.exists() else b""
    have = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    comments = [line for line in wanted if line.startswith("#")]
    missing = [line for line in wanted if not line.startswith("#") and line not in have]
    if not missing:
        return False
    separator = b"\n" if existing and not existing.endswith(b"\n") else b""
    with path.open("ab") as file:
        file.write(separator + "".join(f"{line}\n" for line in comments + missing).encode())
    return True
