"""`statuspage serve` under churn: save bursts, editors' ways of saving, deleted notes, renamed folders.

Each test drives the real server process over HTTP, changes the site's files the way editors and
people do, and measures how long the served site takes to reach the final state after the last
change. Issue 7 asks for two seconds, and for a server that never dies. "The final state" is
checked whole: every file a fresh `statuspage build` of the final inputs writes is served with the
same bytes (HTML plus only the reload script), and the pages of notes that are gone are not.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, PATIENCE, Server, Site, snapshot, stop, text_of

from statuspage import build
from statuspage.preview import watch
from statuspage.preview.server import RELOAD_PATH

pytestmark = pytest.mark.slow

#: The issue's bound: the served site shows the final state this soon after the last change.
CONVERGE = 2.0
NOTE = "2026-03-20-login.md"
PAGE = "incidents/2026-03-20-login/"
#: What editors leave beside a note, none of which may become a page or an error (the contents
#: would not build if they were read as notes).
LEFTOVERS = {
    f".{NOTE}.swp": b"b0VIM 9.0\x00\x00\xff junk",  # vim's swap file
    f".{NOTE}.swo": b"b0VIM 9.0\x00 second swap file",
    f"{NOTE}~": b"---\ntitle: [unclosed\n",  # vim's and emacs's backup
    f"#{NOTE}#": b"---\ntitle: emacs auto-save\n",
    "4913": b"",  # vim's probe for a writable folder
}
BAD_NOTE = (
    "incidents/2026-03-20-login.md:6: unknown incident status 'Fixing'; use one of: "
    "Investigating, Identified, Monitoring, Update, Resolved, Postmortem"
)
BAD_CONFIG = (
    "statuspage.toml:18: invalid TOML: Expected ']]' at the end of an array declaration (at line 18, column 13)"
)
_RELOAD_SCRIPT = re.compile(r"<script>[^<]*" + re.escape(RELOAD_PATH) + r"[^<]*</script>\n")


def note_text(save: int, status: str = "Investigating") -> str:
    return (
        f"---\ntitle: Login fails (save {save})\ncomponents:\n  login: major_outage\n---\n"
        f"## 2026-03-20 11:00 · {status}\nSave {save}: some users cannot log in.\n"
    )


def write_directly(path: Path, text: str) -> None:
    """Truncate and write in place, as nano and VS Code do by default."""
    path.write_text(text)


def save_like_vim(path: Path, text: str) -> None:
    """Vim's default: probe the folder, move the note to a backup, write it anew, drop the backup."""
    probe = path.with_name("4913")
    probe.touch()
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)  # for a moment there is no note at all
    path.write_text(text)
    (path.parent / f".{path.name}.swp").write_bytes(LEFTOVERS[f".{NOTE}.swp"])
    backup.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains' safe write: write a temp file, move the note aside, rename the temp file over it."""
    temp, old = path.with_name(path.name + "___jb_tmp___"), path.with_name(path.name + "___jb_old___")
    temp.write_text(text)
    os.replace(path, old)
    os.replace(temp, path)
    old.unlink()


def save_like_gedit(path: Path, text: str) -> None:
    """GLib's g_file_replace (gedit, GNOME apps): a hidden temp file renamed over the note."""
    temp = path.with_name(".goutputstream-Q1W2E3")
    temp.write_text(text)
    os.replace(temp, path)


#: Direct writes alternate with the three ways of saving through a rename.
SAVES = (write_directly, save_like_vim, write_directly, save_like_jetbrains, write_directly, save_like_gedit)


def settle(server: Server, since: float, done: Callable[[], bool], what: str) -> float:
    """Seconds from `since` until `done()` holds; the server must stay up all along."""
    deadline = since + PATIENCE
    while not done():
        alive(server)
        assert time.monotonic() < deadline, f"{what}: not within {PATIENCE} s"
        time.sleep(0.02)
    took = time.monotonic() - since
    print(f"\n  {what}: {took:.2f} s", end="")
    assert took <= CONVERGE, f"{what} took {took:.2f} s; the bound is {CONVERGE} s"
    return took


def shows(server: Server, path: str, *texts: str) -> Callable[[], bool]:
    def check() -> bool:
        status, body = server.get(path)
        return status == 200 and all(text in body for text in texts) and "statuspage-build-error" not in body

    return check


def problems(server: Server) -> list[str]:
    """The errors the preview shows above the incident's page."""
    page = BeautifulSoup(server.get(PAGE)[1], "html5lib")
    return [text_of(item) for item in page.select("#statuspage-build-error li")]


def missing(server: Server, path: str) -> Callable[[], bool]:
    return lambda: server.get(path)[0] == 404


def alive(server: Server) -> None:
    assert server.process.poll() is None, "the server died:\n" + "".join(server.log)


def assert_serves_the_build(server: Server, site: Site, gone: tuple[str, ...] = ()) -> None:
    """Every file `statuspage build` makes of the inputs as they are now is served as built.

    The reference goes to the site's own `site/` beside the config, so this also shows that
    writing the output folder never makes the preview rebuild.
    """
    with quiet(server):
        built_site = build.build(site.config_path, now=NOW).site  # in-process, so `pytest -s` keeps the timings
        for relative, built in snapshot(built_site).items():
            status, served = server.get(relative)
            assert status == 200, relative
            if relative.endswith(".html"):
                served = _RELOAD_SCRIPT.sub("", served, count=1)
            assert served == built.decode(errors="surrogateescape"), f"{relative} differs from a fresh build"
        for path in gone:
            assert server.get(path)[0] == 404, f"{path} is still served"


@contextmanager
def quiet(server: Server) -> Iterator[None]:
    """Assert that the preview does not rebuild during the block or for a while after it.

    A rebuild's files are served a moment before its version is counted, so the count is read
    only after the longest a pending rebuild may wait.
    """
    time.sleep(watch.LONGEST_WAIT)
    version = server.version()
    yield
    time.sleep(2 * watch.LONGEST_WAIT)
    assert server.version() == version, "the preview rebuilt though no input changed"
    alive(server)


@contextmanager
def reader(server: Server) -> Iterator[list[tuple[int, bool]]]:
    """A visitor reloading the home page throughout: (status, whole page?) for every response."""
    seen: list[tuple[int, bool]] = []
    stopping = threading.Event()

    def read() -> None:
        while not stopping.is_set():
            status, body = server.get()
            seen.append((status, body.rstrip().endswith("</html>")))
            time.sleep(0.02)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        yield seen
    finally:
        stopping.set()
        thread.join(PATIENCE)


def churn(note: Path, saves: range) -> float:
    """Save the note once per number, every few milliseconds, cycling through the ways editors save.

    Returns how long the saves took; the last thing done is the last save.
    """
    started = time.monotonic()
    for number, save in zip(saves, itertools.cycle(SAVES), strict=False):
        time.sleep(0.012)
        save(note, note_text(number))
    return time.monotonic() - started


def test_200_saves_in_a_few_seconds(site: Site, serve: Callable[[], Server]) -> None:
    note = site.note(NOTE, note_text(0))
    for name, data in LEFTOVERS.items():
        (note.parent / name).write_bytes(data)
    (note.parent / f".#{NOTE}").symlink_to("editor@host.4242:1774000000")  # emacs's lock: a dangling link
    server = serve()
    first = server.version()

    with reader(server) as responses:
        took = churn(note, range(1, 201))
        last_save = time.monotonic()
        settle(server, last_save, shows(server, PAGE, "Login fails (save 200)"), "the last of 200 saves is served")
    rebuilds = server.version() - first
    print(f"\n  200 saves in {took:.2f} s gave {rebuilds} rebuilds; {len(responses)} home page loads", end="")
    assert took < 5
    assert 1 <= rebuilds < 20  # bursts are batched, not one rebuild per save
    assert responses and all(response == (200, True) for response in responses), set(responses)

    assert_serves_the_build(server, site)
    pages = re.findall(r"<loc>([^<]*/incidents/[^<]*)</loc>", server.get("sitemap.xml")[1])
    assert pages == ["https://status.test/incidents/2026-03-20-login/"]  # the editors' leftovers made none
    assert stop(server) == 0
    log = "".join(server.log)
    assert "error" not in log.lower() and "Traceback" not in log, log


def test_deleted_notes_and_renamed_folders(site: Site, serve: Callable[[], Server], tmp_path: Path) -> None:
    note = site.note(NOTE, note_text(1))
    incidents, away = note.parent, tmp_path / "incidents-old"
    server = serve()

    note.unlink()
    note.write_text(note_text(2))
    settle(server, time.monotonic(), shows(server, PAGE, "(save 2)"), "a note deleted and at once recreated")
    assert_serves_the_build(server, site)

    note.unlink()
    settle(server, time.monotonic(), missing(server, PAGE), "a deleted note is gone")
    assert_serves_the_build(server, site, gone=(PAGE,))
    note.write_text(note_text(3))
    settle(server, time.monotonic(), shows(server, PAGE, "(save 3)"), "the note written again is back")

    incidents.rename(away)
    settle(server, time.monotonic(), missing(server, PAGE), "incidents/ renamed away: its notes are gone")
    assert_serves_the_build(server, site, gone=(PAGE,))
    away.rename(incidents)
    settle(server, time.monotonic(), shows(server, PAGE, "(save 3)"), "incidents/ renamed back: its notes are back")

    incidents.rename(away)  # away and back before the preview notices: it must still see later saves
    away.rename(incidents)
    time.sleep(0.5)
    save_like_vim(note, note_text(4))
    settle(server, time.monotonic(), shows(server, PAGE, "(save 4)"), "a save after a quick rename away and back")

    shutil.rmtree(incidents)  # deleted and made again before the preview notices, as `git checkout` may do
    incidents.mkdir()
    note.write_text(note_text(5))
    settle(server, time.monotonic(), shows(server, PAGE, "(save 5)"), "incidents/ deleted and at once made again")
    save_like_jetbrains(note, note_text(6))
    settle(server, time.monotonic(), shows(server, PAGE, "(save 6)"), "a save in the folder made again")

    incidents.rename(away)  # replaced by a new folder holding another note
    incidents.mkdir()
    (incidents / "2026-03-19-api.md").write_text(
        note_text(7).replace("Login fails", "API slow").replace("login:", "api:")
    )
    settle(server, time.monotonic(), shows(server, "incidents/2026-03-19-api/", "API slow"), "a new incidents/")
    assert_serves_the_build(server, site, gone=(PAGE,))
    save_like_jetbrains(incidents / "2026-03-19-api.md", note_text(8).replace("login:", "api:"))
    settle(server, time.monotonic(), shows(server, "incidents/2026-03-19-api/", "(save 8)"), "a save in it")
    with quiet(server):
        (away / NOTE).write_text(note_text(9))  # the old folder is no longer the site's
    assert_serves_the_build(server, site, gone=(PAGE,))

    assert stop(server) == 0
    assert "Traceback" not in "".join(server.log)


def test_incidents_renamed_and_deleted_while_saving(site: Site, serve: Callable[[], Server], tmp_path: Path) -> None:
    """Hundreds of folder renames, deletions and note saves in a few seconds, as a `git checkout` loop might do."""
    note = site.note(NOTE, note_text(0))
    incidents, away = note.parent, tmp_path / "incidents-away"
    server = serve()
    started = time.monotonic()
    for number, save in zip(range(1, 301), itertools.cycle(SAVES), strict=False):
        incidents.rename(away)
        time.sleep(0.004)  # long enough for a rebuild to find no incidents/ now and then
        away.rename(incidents)
        if number % 10 == 0:
            note.unlink()
        if number % 25 == 0:
            shutil.rmtree(incidents)
            incidents.mkdir()
        if note.exists():
            save(note, note_text(number))
        else:
            note.write_text(note_text(number))
        time.sleep(0.004)
    churned = time.monotonic() - started
    print(f"\n  300 renames of incidents/, 30 deletions of the note, 12 of the folder in {churned:.2f} s", end="")
    settle(server, time.monotonic(), shows(server, PAGE, "(save 300)"), "the last save is served")
    assert_serves_the_build(server, site)
    save_like_gedit(note, note_text(301))  # still watched
    settle(server, time.monotonic(), shows(server, PAGE, "(save 301)"), "a save after the churn")
    assert stop(server) == 0
    log = "".join(server.log)
    assert "error" not in log.lower() and "Traceback" not in log, log


def test_a_failed_rebuild_keeps_the_last_good_site(site: Site, serve: Callable[[], Server]) -> None:
    note = site.note(NOTE, note_text(0))
    server = serve()

    with reader(server) as responses:
        churn(note, range(1, 101))
        save_like_jetbrains(note, note_text(101, status="Fixing"))
        broke = time.monotonic()

        settle(server, broke, lambda: problems(server) == [BAD_NOTE], "a broken save is reported")
        page = BeautifulSoup(server.get(PAGE)[1], "html5lib")
        heading = page.select_one("#statuspage-build-error h2")
        assert text_of(heading) == "This preview is out of date: the latest change does not build."
        last_good = re.fullmatch(r"Login fails \(save (\d+)\)", text_of(page.h1))
        assert last_good and int(last_good[1]) <= 100  # the last good build

        # A broken config, saved through a rename as editors do, is reported the same way.
        config = site.config_path.read_text()
        save_like_gedit(site.config_path, config + "[[components]\n")
        settle(server, time.monotonic(), lambda: problems(server) == [BAD_CONFIG], "a broken config is reported")
        save_like_vim(site.config_path, config)

        churn(note, range(102, 201))
        settle(server, time.monotonic(), shows(server, PAGE, "(save 200)"), "fixed by the next saves")
    assert responses and all(response == (200, True) for response in responses), set(responses)
    assert_serves_the_build(server, site)

    assert stop(server) == 0
    log = "".join(server.log)
    assert BAD_NOTE in log
    assert BAD_CONFIG in log
    assert "Traceback" not in log


def test_ctrl_c_in_the_middle_of_churn(site: Site, serve: Callable[[], Server], tmp_path: Path) -> None:
    note = site.note(NOTE, note_text(0))
    server = serve()
    saving = threading.Thread(target=churn, args=(note, range(1, 201)))
    saving.start()
    time.sleep(1.0)
    alive(server)
    interrupted = time.monotonic()
    assert stop(server) == 0
    print(f"\n  stopped by Ctrl-C in the middle of 200 saves in {time.monotonic() - interrupted:.2f} s", end="")
    saving.join(PATIENCE)
    log = "".join(server.log)
    assert "Stopping." in log and "Traceback" not in log, log
    assert list((tmp_path / "tmp").iterdir()) == []  # the preview's build folder is removed
