"""The builders `run.py` times side by side, each on its own copy of one generated history.

- `ours`: this checkout's `statuspage build`.
- `pelican`: Pelican (the static generator most like us), on the same notes as articles, with
  its content cache on for rebuilds, as a Pelican site would run.
- `floor`: plain Jinja writing one trivial page per note (`floor.py`): the least any
  generator does.
- `against`: another checkout of statuspage (`--against DIR`), to compare two versions in one run.

Each contender knows how to build, how to change one note, add one, and undo both, so
`run.py` treats them alike.
"""

from __future__ import annotations

import compileall
import os
import shutil
import sys
from pathlib import Path

from generate import BUILD_TIME

ROOT = Path(__file__).parent.parent
NAMES = ("ours", "pelican", "floor")
ADDED = "2026-11-27-benchmark-added-{n}.md"


class Contender:
    name = ""
    serves = False  # whether it has a live preview to time

    def prepare(self, source: Path, folder: Path) -> Path:
        """Its own copy of the generated site; returns the folder it builds in."""
        if not folder.exists():
            shutil.copytree(source, folder)
        return folder

    def clean(self, folder: Path) -> None:
        raise NotImplementedError

    def build_command(self, folder: Path) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def output(self, folder: Path) -> Path:
        raise NotImplementedError

    def notes(self, folder: Path) -> Path:
        return folder / "incidents"

    def victim(self, folder: Path) -> Path:
        """The note every contender edits: the one in the middle of the history."""
        found = sorted(self.notes(folder).glob("*.md"))
        return found[len(found) // 2]

    def edit(self, folder: Path, n: int) -> None:
        note = self.victim(folder)
        backup = note.with_name(f".{note.name}.orig")
        if not backup.exists():
            shutil.copy2(note, backup)
        note.write_text(backup.read_text(encoding="utf-8") + f"\nEdited for benchmark run {n}.\n", encoding="utf-8")

    def restore(self, folder: Path) -> None:
        for backup in self.notes(folder).glob(".*.orig"):
            os.replace(backup, backup.with_name(backup.name[1:].removesuffix(".orig")))

    def add(self, folder: Path, n: int) -> None:
        self.remove_added(folder)
        (self.notes(folder) / ADDED.format(n=n)).write_text(_added_note(n), encoding="utf-8")

    def remove_added(self, folder: Path) -> None:
        for note in self.notes(folder).glob(ADDED.format(n="*")):
            note.unlink()


class Statuspage(Contender):
    serves = True

    def __init__(self, name: str, checkout: Path):
        self.name = name
        self.checkout = checkout
        self.env = {**os.environ, "PYTHONPATH": str(checkout)}
        #: `-P`: the checkout on PYTHONPATH is the code that runs, not whatever the working folder holds.
        self.python = [sys.executable, "-P", "-m", "statuspage"]

    def prepare(self, source: Path, folder: Path) -> Path:
        """Also the checkout's bytecode, as `pip install` compiled Pelican's and would compile ours:
        where PYTHONDONTWRITEBYTECODE is set, every run would compile the package anew (0.08 s)."""
        compileall.compile_dir(self.checkout / "statuspage", quiet=1)
        return super().prepare(source, folder)

    def clean(self, folder: Path) -> None:
        for leftover in [folder / "site", folder / ".statuspage-cache", *folder.glob(".site.*")]:
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink(missing_ok=True)

    def build_command(self, folder: Path) -> tuple[list[str], dict[str, str]]:
        command = [*self.python, "build", "--config", str(folder / "statuspage.toml")]
        return [*command, "--now", BUILD_TIME, "--quiet"], self.env

    def serve_command(self, folder: Path, port: int, pinned: bool = True) -> tuple[list[str], dict[str, str]]:
        """`pinned`: at the builds' `--now`; else by the clock, as an author previews, so the pages
        that show the time are made again on every save."""
        command = [*self.python, "serve", "--config", str(folder / "statuspage.toml"), "--port", str(port)]
        return [*command, *(["--now", BUILD_TIME] if pinned else []), "--quiet"], self.env

    def page_of(self, note: Path) -> str:
        from statuspage.core.addresses import incident, slugify

        return incident(slugify(note.stem))

    def output(self, folder: Path) -> Path:
        return folder / "site"


class Pelican(Contender):
    name = "pelican"

    def notes(self, folder: Path) -> Path:
        return folder / "content"

    def prepare(self, source: Path, folder: Path) -> Path:
        """Each note as a Pelican article: its title and first time as metadata, its updates as the body."""
        if folder.exists():
            return folder
        content = folder / "content"
        content.mkdir(parents=True)
        for note in sorted((source / "incidents").glob("*.md")):
            _, front, body = note.read_text(encoding="utf-8").split("---", 2)
            fields = dict(
                line.split(":", 1) for line in front.strip().splitlines() if ":" in line and not line.startswith(" ")
            )
            when = (
                fields.get("started")
                or fields.get("scheduled")
                or next((line[3:19] for line in body.splitlines() if line.startswith("## ")), "2026-01-01 00:00")
            )
            (content / note.name).write_text(
                f"Title: {fields['title'].strip()}\nDate: {when.strip()}\nSlug: {note.stem}\nCategory: incidents\n\n{body}",
                encoding="utf-8",
            )
        (folder / "pelicanconf.py").write_text(_PELICAN_CONFIG.format(cache=folder / "cache"), encoding="utf-8")
        return folder

    def clean(self, folder: Path) -> None:
        for leftover in (folder / "output", folder / "cache"):
            shutil.rmtree(leftover, ignore_errors=True)

    def build_command(self, folder: Path) -> tuple[list[str], dict[str, str]]:
        command = [sys.executable, "-m", "pelican", str(folder / "content"), "-s", str(folder / "pelicanconf.py")]
        return [*command, "-o", str(folder / "output"), "-q"], dict(os.environ)

    def output(self, folder: Path) -> Path:
        return folder / "output"


_PELICAN_CONFIG = """\
SITENAME = "Acme Status"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 25
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "{cache}"
"""


class Floor(Contender):
    name = "floor"

    def clean(self, folder: Path) -> None:
        shutil.rmtree(folder / "floor-out", ignore_errors=True)

    def build_command(self, folder: Path) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, str(Path(__file__).parent / "floor.py"), str(folder), str(folder / "floor-out")], dict(
            os.environ
        )

    def output(self, folder: Path) -> Path:
        return folder / "floor-out"


def _added_note(n: int) -> str:
    return (
        "---\ntitle: Added by the benchmark\ncomponents:\n  api: partial_outage\n---\n\n"
        f"## 2026-11-27 10:{n % 60:02d} · Resolved\nDone.\n\n## 2026-11-27 09:00 · Investigating\nLooking.\n"
    )


def choose(names: list[str] | None, against: Path | None) -> list[Contender]:
    available: dict[str, Contender] = {"ours": Statuspage("ours", ROOT), "pelican": Pelican(), "floor": Floor()}
    unknown = set(names or ()) - set(available) - {"against"}
    if unknown:
        sys.exit(f"unknown contenders: {', '.join(sorted(unknown))}; choose from {', '.join(available)}")
    chosen = [available[name] for name in (names or list(available)) if name in available]
    if against is not None:
        chosen.append(Statuspage("against", against.resolve()))
    return chosen
