"""`statuspage serve` in a subprocess, seen over HTTP as a browser sees it; the watcher's filters."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, PATIENCE, Server, Site, stop, text_of
from watchdog.events import FileSystemEventHandler
from watchdog.observers.api import ObservedWatch

from statuspage.preview import watch
from statuspage.preview.server import RELOAD_PATH, Preview

NOTE = """
---
title: Login page offline
components:
  login: major_outage
---
## 2026-03-20 11:00 · Investigating
Some users cannot log in.
"""
BROKEN = NOTE.replace("Investigating", "Fixing")


def test_serve_rebuilds_reloads_and_shows_errors(site: Site, serve: Callable[[], Server], tmp_path: Path) -> None:
    note = site.note("2026-03-20-login.md", NOTE)
    server = serve()
    status, body = server.get()
    assert status == 200
    page = BeautifulSoup(body, "html5lib")
    assert text_of(page.select_one("#banner-text")) == "Major System Outage"
    assert [s.string for s in page.find_all("script")] != []  # the reload script, in served pages only
    assert RELOAD_PATH in page.find_all("script")[-1].string

    # Editing a note: the page shows the change, and a waiting page learns there is a new version.
    version = server.version()
    note.write_text(note.read_text().replace("Login page offline", "Sign-in broken"))
    server.until(lambda r: "Sign-in broken" in r[1], "incidents/2026-03-20-login/")
    # As an open page does: ask with the version it has; the answer waits for the next one.
    assert int(server.get(f"{RELOAD_PATH.lstrip('/')}?version={version}")[1]) > version

    # Breaking it: the error, in the terminal and on every page, above the last good build.
    note.write_text(BROKEN.lstrip("\n"))
    status, body = server.until(lambda r: "statuspage-build-error" in r[1])
    page = BeautifulSoup(body, "html5lib")
    panel = page.find(id="statuspage-build-error")
    assert text_of(panel.h2) == "This preview is out of date: the latest change does not build."
    assert [text_of(li) for li in panel.find_all("li")] == [
        "incidents/2026-03-20-login.md:6: unknown incident status 'Fixing'; use one of: "
        "Investigating, Identified, Monitoring, Update, Resolved, Postmortem"
    ]
    assert text_of(page.select_one("#banner-text")) == "Major System Outage"  # the last good build, still served
    assert "Sign-in broken" in server.get("incidents/2026-03-20-login/")[1]
    assert "<script" not in server.get("history.atom")[1]  # only HTML gets anything added

    # Fixing it: the error is gone.
    note.write_text(NOTE.lstrip("\n").replace("Investigating", "Identified"))
    server.until(lambda r: "statuspage-build-error" not in r[1] and "Identified" in r[1])

    assert stop(server) == 0
    log = "".join(server.log)
    assert "incidents/2026-03-20-login.md:6: unknown incident status 'Fixing'" in log
    assert "Stopping." in log
    assert "Traceback" not in log
    assert not site.out.exists()  # serve never writes site/
    assert list((tmp_path / "tmp").iterdir()) == []  # its build folder is removed on exit


def test_the_preview_makes_its_spare_folder_before_the_first_save(
    site: Site, serve: Callable[[], Server], tmp_path: Path
) -> None:
    """The first build leaves no spare folder (the next build's staging), and making one costs
    a link per page: the preview builds again at once, and that build, changing nothing, makes
    no page reload."""
    site.note("2026-03-20-login.md", NOTE)
    server = serve()

    def warmed() -> bool:
        spare = list((tmp_path / "tmp").glob("statuspage-serve-*/.site.spare"))
        return bool(spare) and any("(0 changed)" in line for line in server.log)

    deadline = time.monotonic() + PATIENCE
    while not warmed() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert warmed()
    assert server.version() == 1  # the first build's: no page reloads for the second


def test_swap_files_are_ignored_and_a_save_burst_is_one_rebuild(site: Site, serve: Callable[[], Server]) -> None:
    note = site.note("2026-03-20-login.md", NOTE)
    server = serve()
    version = server.version()
    for leftover in (".2026-03-20-login.md.swp", "2026-03-20-login.md~", "4913", "#2026-03-20-login.md#"):
        (note.parent / leftover).write_text("junk")
    time.sleep(1.5)  # more than enough for a rebuild, had one been started
    assert server.version() == version

    # An editor's save: write a temp file, rename it over the note, touch it.
    temp = note.parent / ".2026-03-20-login.md.tmp"
    temp.write_text(NOTE.lstrip("\n").replace("Investigating", "Identified"))
    os.replace(temp, note)
    os.utime(note)
    server.until(lambda r: "Identified" in r[1], "incidents/2026-03-20-login/")
    time.sleep(1.5)
    assert server.version() == version + 1
    assert stop(server) == 0


def test_a_change_made_during_the_first_build_is_served(site: Site, serve: Callable[..., Server]) -> None:
    """The first build runs before the watch begins (so a big site's uses every core); a note
    saved in between is noticed all the same."""
    note = site.note("2026-03-20-login.md", NOTE)
    edited = NOTE.lstrip("\n").replace("Investigating", "Identified")
    server = serve(
        f"""
import pathlib, statuspage.build
first_build = statuspage.build.build
def build_then_save(*args, **kwargs):
    statuspage.build.build = first_build
    result = first_build(*args, **kwargs)
    pathlib.Path({str(note)!r}).write_text({edited!r})
    return result
statuspage.build.build = build_then_save
"""
    )
    server.until(lambda r: "Identified" in r[1], "incidents/2026-03-20-login/")
    assert stop(server) == 0


def test_a_site_that_never_built_shows_the_error_until_fixed(site: Site, serve: Callable[[], Server]) -> None:
    note = site.note("2026-03-20-login.md", BROKEN)
    server = serve()
    status, body = server.get("incidents/2026-03-20-login/")
    assert status == 503
    panel = BeautifulSoup(body, "html5lib").find(id="statuspage-build-error")
    assert text_of(panel.h2) == "The site does not build yet."
    note.write_text(NOTE.lstrip("\n"))
    status, _ = server.until(lambda r: r[0] == 200, "incidents/2026-03-20-login/")
    assert stop(server) == 0


def test_a_failed_rebuild_overtaken_by_a_change_is_not_shown(site: Site, tmp_path: Path) -> None:
    """A build that read a note mid-save fails; the rebuild that follows at once decides what is shown."""
    site.note("2026-03-20-login.md", BROKEN)
    preview = Preview(site.config_path, NOW, tmp_path / "preview")
    preview.rebuild(overtaken=lambda: True)
    assert (preview.version, preview.problems, preview.built) == (0, (), False)
    preview.rebuild(overtaken=lambda: False)
    assert (preview.version, preview.built) == (1, False)
    assert preview.problems == (
        "incidents/2026-03-20-login.md:6: unknown incident status 'Fixing'; use one of: "
        "Investigating, Identified, Monitoring, Update, Resolved, Postmortem",
    )


def test_a_change_the_watcher_reports_just_after_a_failed_build_overtakes_it() -> None:
    """The watcher's word of a save can come a few milliseconds after a build found the note
    gone mid-save: a failed build waits that long for it before it is shown."""
    changes = watch.Changes()
    started = time.monotonic()
    assert not changes.coming()  # nothing came: the failure is shown, a moment later
    assert time.monotonic() - started >= watch.QUIET * 0.9
    threading.Timer(watch.QUIET / 5, changes.mark, args=([Path("/site/incidents/a.md")],)).start()
    assert changes.coming()


def test_serves_like_a_static_host(site: Site, serve: Callable[[], Server]) -> None:
    site.config(site.config_path.read_text().replace("https://status.test/", "https://example.github.io/status/"))
    site.note("2026-03-20-login.md", NOTE)
    server = serve()
    assert server.url.endswith("/status/")  # served under the published path, so links work as they will
    root = server.url.removesuffix("status/")
    with urllib.request.urlopen(root) as response:  # redirected
        assert response.url == server.url
    status, body = server.get("no/such/page/")
    assert status == 404
    assert "Page not found" in text_of(BeautifulSoup(body, "html5lib").h1)
    assert server.get("history.atom")[0] == 200
    assert stop(server) == 0


def test_sigterm_stops_the_preview_as_ctrl_c_does(site: Site, serve: Callable[[], Server], tmp_path: Path) -> None:
    """A service manager or a container stops it with SIGTERM: it stops cleanly, says so, and
    removes the folder it built into (in the server's own TMPDIR, see `conftest.serve`)."""
    site.note("2026-03-20-login.md", NOTE)
    server = serve()
    assert server.get()[0] == 200
    (folder,) = (tmp_path / "tmp").glob("statuspage-serve-*")
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=PATIENCE) == 0
    assert "Stopping." in "".join(server.log)
    assert not folder.exists()


def test_a_busy_port_is_a_clear_error(site: Site, serve: Callable[[], Server]) -> None:
    server = serve()
    port = server.url.rsplit(":", 1)[1].strip("/")
    run = subprocess.run(
        [sys.executable, "-m", "statuspage", "serve", "--port", port, "--config", str(site.config_path)],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert (run.returncode, run.stderr) == (
        1,
        f"error: cannot serve on 127.0.0.1:{port}: Address already in use; choose another --port\n",
    )
    assert stop(server) == 0


@pytest.mark.parametrize(
    ("name", "leftover"),
    [
        ("2026-03-20-login.md", False),
        ("base.html", False),
        (".2026-03-20-login.md.swp", True),
        (".#2026-03-20-login.md", True),
        ("#2026-03-20-login.md#", True),
        ("2026-03-20-login.md~", True),
        ("4913", True),
        (".2026-03-20-login.md.x1y2.tmp", True),
    ],
)
def test_editor_leftovers(name: str, leftover: bool) -> None:
    assert watch.is_leftover(name) is leftover


def test_a_burst_of_changes_gives_one_rebuild() -> None:
    changes = watch.Changes()
    rebuilds: list[float] = []

    def rebuild_on_change() -> None:
        while changes.wait():
            rebuilds.append(time.monotonic())

    worker = threading.Thread(target=rebuild_on_change)
    worker.start()
    for _ in range(100):
        changes.mark()
    deadline = time.monotonic() + PATIENCE
    while not rebuilds and time.monotonic() < deadline:
        time.sleep(0.01)
    changes.stop()
    worker.join(PATIENCE)
    assert len(rebuilds) == 1


def test_a_folder_that_vanishes_as_it_is_watched_is_watched_when_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """incidents/ is renamed away between the watcher's look at it and the watch: no crash, and no blind spot."""
    incidents, away = tmp_path.resolve() / "incidents", tmp_path / "incidents-away"
    vanish: list[bool] = []

    class Observer(watch.Observer):
        def schedule(self, handler: FileSystemEventHandler, path: str, **options: Any) -> ObservedWatch:
            if vanish and Path(path) == incidents:
                vanish.clear()
                incidents.rename(away)  # after the watcher saw it there, before the watch is made
            return super().schedule(handler, path, **options)

    monkeypatch.setattr(watch, "Observer", Observer)
    watcher, marks = _watch_incidents(tmp_path, monkeypatch)
    try:
        incidents.rename(tmp_path / "incidents-old")  # replaced by a new folder, which needs a new watch
        incidents.mkdir()
        assert _marked(marks)
        vanish.append(True)
        watcher.refresh()  # the rebuild's refresh: incidents/ is gone when it comes to watch it
        assert not vanish
        marks.clear()
        away.rename(incidents)
        assert _marked(marks)  # its return is seen by the watch on the config's folder, so a rebuild follows
        assert _sees_a_new_note(watcher, marks, incidents)
    finally:
        watcher.stop()


def test_a_folder_made_again_with_its_old_inode_number_is_watched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ext4 often gives a folder deleted and made again its old inode number: the new folder is watched all the same."""
    watcher, marks = _watch_incidents(tmp_path, monkeypatch)
    incidents = tmp_path.resolve() / "incidents"
    number = incidents.stat().st_ino
    stat = Path.stat

    def same_number(path: Path, **options: Any) -> os.stat_result:
        result = stat(path, **options)
        return os.stat_result((result[0], number, *result[2:10])) if path == incidents else result

    monkeypatch.setattr(Path, "stat", same_number)
    try:
        shutil.rmtree(incidents)
        incidents.mkdir()
        assert _marked(marks)
        assert _sees_a_new_note(watcher, marks, incidents)
    finally:
        watcher.stop()


def test_running_out_of_watches_is_said_and_does_not_stop_the_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """inotify has a per-user limit of watches; reaching it must not end the rebuilding thread."""
    incidents = tmp_path.resolve() / "incidents"
    full: list[bool] = []

    class Observer(watch.Observer):
        def schedule(self, handler: FileSystemEventHandler, path: str, **options: Any) -> ObservedWatch:
            if full and Path(path) == incidents:
                raise OSError(errno.ENOSPC, "inotify watch limit reached")
            return super().schedule(handler, path, **options)

    monkeypatch.setattr(watch, "Observer", Observer)
    watcher, marks = _watch_incidents(tmp_path, monkeypatch)
    try:
        incidents.rename(tmp_path / "incidents-old")  # replaced: the rebuild's refresh watches it anew
        incidents.mkdir()
        assert _marked(marks)
        full.append(True)
        watcher.refresh()
        assert f"cannot watch {incidents} for changes: [Errno 28] inotify watch limit reached" in caplog.text
        full.clear()  # watches freed: the next replacement is watched again
        shutil.rmtree(incidents)
        incidents.mkdir()
        assert _sees_a_new_note(watcher, marks, incidents)
    finally:
        watcher.stop()


def test_no_watches_at_all_is_a_clear_error(site: Site, tmp_path: Path) -> None:
    site.note("2026-03-20-login.md", NOTE)
    patch = """
import errno, watchdog.observers
def schedule(*args, **kwargs):
    raise OSError(errno.ENOSPC, "inotify watch limit reached")
watchdog.observers.Observer.schedule = schedule
"""
    command = ["serve", "--port", "0", "--now", NOW, "--config", str(site.config_path)]
    run = subprocess.run(
        [sys.executable, "-c", f"{patch}\nfrom statuspage.cli import main\nraise SystemExit(main())", *command],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        f"error: cannot watch {site.root.resolve()} for changes: [Errno 28] inotify watch limit reached"
    )


def _watch_incidents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[watch.Watcher, list[float]]:
    """A running watcher of a site's incidents/, and the times it reported a change."""
    config = tmp_path / "statuspage.toml"
    config.write_text("")
    (tmp_path / "incidents").mkdir()
    changes = watch.Changes()
    marks: list[float] = []
    monkeypatch.setattr(changes, "mark", lambda paths=None, saved=False: marks.append(time.monotonic()))
    watcher = watch.Watcher(config, (tmp_path / "incidents",), changes)
    watcher.start()
    return watcher, marks


def _sees_a_new_note(watcher: watch.Watcher, marks: list[float], incidents: Path) -> bool:
    """After the refresh the rebuild does, whether a note written into the folder is reported."""
    watcher.refresh()
    time.sleep(0.2)  # the events of what came before arrive
    marks.clear()
    (incidents / "new.md").write_text("x")
    return _marked(marks)


def _marked(marks: list[float]) -> bool:
    """Whether the watcher reports a change within PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while not marks and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(marks)
