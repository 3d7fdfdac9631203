"""Caches, kept pages and worker processes never change what a build produces.

The reference is always a cold build (no cache, no previous site), compared byte for byte.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CONFIG, NOW, Run, Site, snapshot
from fixtures.notes import API, LOGIN, UPGRADE
from test_status import MAJOR, incident, make_config, utc

from statuspage import build, storage, workers
from statuspage.core import addresses, recall
from statuspage.core.config import CACHE_FOLDER as FOLDER
from statuspage.core.config import Config
from statuspage.core.model import Incident, Kind, UpdateStatus
from statuspage.core.site import at
from statuspage.errors import BuildError
from statuspage.files import Deferred
from statuspage.fingerprint import digest
from statuspage.notes import cache
from statuspage.notes import load as content
from statuspage.outputs import feeds, pages
from statuspage.publish import resolve

TYPO = """
---
title: Web slow
componets: []
components:
  web: degraded_performance
---
## 2026-03-10 10:00 · Resolved
Fast again.
"""


def old_note(n: int) -> str:
    """A resolved incident years before the test's build time."""
    return f"""
---
title: Old incident {n}
components:
  web: partial_outage
---
## 2022-0{1 + n % 9}-1{n % 10} 10:00 · Resolved
Fixed.

## 2022-0{1 + n % 9}-1{n % 10} 09:00 · Investigating
Looking into it.
"""


@pytest.fixture
def notes(site: Site) -> Site:
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-20-api.md", API)
    site.note("2026-03-24-upgrade.md", UPGRADE)
    site.note("2026-03-10-typo.md", TYPO)
    for n in range(30):
        site.note(f"2022-old-{n:02d}.md", old_note(n))
    return site


def break_two_notes(site: Site) -> Run:
    """Break a recent and an old note; the build must list every problem and write nothing."""
    site.note("2026-03-20-api.md", API.replace("Identified", "Fixing"))
    site.note("2022-old-07.md", old_note(7).replace("web: partial_outage", "wbe: partial_outage"))
    run = site.build()
    assert run.code == 1
    assert run.err.splitlines() == [
        "incidents/2022-old-07.md:4: components.wbe: unknown component 'wbe'; did you mean 'web'?",
        "incidents/2026-03-10-typo.md:3: warning: componets: unknown setting, ignored; did you mean 'components'?",
        "incidents/2026-03-20-api.md:7: unknown incident status 'Fixing'; use one of: Investigating, Identified, Monitoring, Update, Resolved, Postmortem",
        "2 errors found; nothing was written.",
    ]
    return run


def cold(site: Site, out: Path, now: str | None = None) -> dict[str, bytes]:
    """Build with no cache and no previous site; the reference every other build must equal."""
    shutil.rmtree(site.root / FOLDER, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    args = ["--out", str(out)]
    run = site.build(*args) if now is None else site.build(*args, now=now)
    assert run.code == 0, run.err
    shutil.rmtree(site.root / FOLDER)
    return snapshot(out)


def test_cached_builds_equal_cold_builds(notes: Site, tmp_path: Path) -> None:
    first = notes.build()
    assert first.code == 0, first.err
    assert sorted(p.name for p in (notes.root / FOLDER).iterdir()) == [
        "notes",
        "pages",
        "pages.json",
        "stamp.json",
        "templates",
    ]
    again = notes.build()
    assert again.code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")

    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    notes.note("2026-03-21-new.md", LOGIN.replace("2026-03-14", "2026-03-19"))
    (notes.root / "incidents" / "2022-old-03.md").unlink()
    assert notes.build().code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_status_and_component_pages_are_kept_only_while_what_they_show_and_now_stay_the_same(
    notes: Site, tmp_path: Path
) -> None:
    """They show `now` and the bars: kept (the very file) after a change elsewhere, made again
    when an incident they name changes, or when the build's moment moves on."""
    old = "2026-02-02-dns.md"  # in the bars, but long before the recent days the status page lists
    notes.note(old, LOGIN.replace("Login page offline", "DNS failures").replace("2026-03-14", "2026-02-02"))
    shown = ["index.html", "components/login/index.html", "api/uptime.json"]

    def step(change: Callable[[], str | None]) -> dict[str, bool]:
        """Build, apply `change`, build again: which pages are new files; the site is checked
        against a cold build (which drops the page ledger, so it is built again after)."""
        assert notes.build().code == 0
        before = {page: (notes.out / page).stat().st_ino for page in shown}
        now = change() or NOW
        assert notes.build(now=now).code == 0
        made = {page: (notes.out / page).stat().st_ino != before[page] for page in shown}
        assert snapshot(notes.out) == cold(notes, tmp_path / "cold", now=now)
        return made

    def edit_old() -> None:
        notes.note("2022-old-04.md", old_note(4).replace("Fixed.", "Fixed for good."))

    def rename_dns() -> None:  # only the bars' tooltips name it on the status page
        notes.note(old, (notes.root / "incidents" / old).read_text().replace("DNS failures", "Name lookups failing"))

    assert step(edit_old) == dict.fromkeys(shown, False)
    # The uptime numbers name incidents by slug, not title: only the pages are made again.
    assert step(rename_dns) == {**dict.fromkeys(shown, True), "api/uptime.json": False}
    assert "Name lookups failing" in (notes.out / "index.html").read_text()
    assert step(lambda: NOW.replace("12:00", "12:01")) == dict.fromkeys(shown, True)


def test_builds_in_one_process_share_the_notes_they_read(
    notes: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview server builds again and again (and says so, `storage.remember`): the second
    build neither reads the cache file nor decodes a note again, and gives the same site."""
    monkeypatch.setattr(storage, "_remembering", False)
    monkeypatch.setattr(storage, "_SEEN", {})
    storage.remember()
    assert notes.build().code == 0
    with monkeypatch.context() as failing:
        failing.setattr(cache, "decode", lambda *args: pytest.fail("decoded again"))
        failing.setattr(json, "loads", lambda *args: pytest.fail("read the cache file again"))
        notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
        assert notes.build().code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_cached_note_still_reports_its_warnings(notes: Site) -> None:
    warning = "incidents/2026-03-10-typo.md:3: warning: componets: unknown setting, ignored; did you mean 'components'?"
    assert warning in notes.build().err
    assert warning in notes.build().err


@pytest.mark.parametrize("damage", ["truncate", "garbage", "wrong types", "wrong shapes", "empty"])
def test_a_damaged_cache_is_ignored(notes: Site, tmp_path: Path, damage: str) -> None:
    assert notes.build().code == 0
    shards = [*(notes.root / FOLDER / "notes").iterdir(), *(notes.root / FOLDER / "pages").iterdir()]
    for path in [*shards, notes.root / FOLDER / "pages.json"]:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xff not json")
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "wrong shapes" and path.parent.name == "notes":
            document = json.loads(data)
            notes_in = document["notes"]
            for number, name in enumerate(notes_in):  # not [digest, incident, warnings, identity]
                notes_in[name] = "nonsense" if number % 2 else notes_in[name][:3]
            path.write_text(json.dumps(document))
        elif damage == "wrong shapes":
            continue
        else:
            document = json.loads(data)
            if path.parent.name == "notes":
                for entry in document["notes"].values():
                    entry[1] = [None, 3]
            elif path.parent.name == "pages":
                document["pages"] = {page: ["nonsense"] for page in document["pages"]}
                document["files"] = {page: "big" for page in document["files"]}
            else:
                document["differ"] = [1, None]
            path.write_text(json.dumps(document))
    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    run = notes.build()
    assert run.code == 0, run.err
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_config_change_is_never_served_from_the_cache(notes: Site, tmp_path: Path) -> None:
    assert notes.build().code == 0
    config = notes.config_path.read_text()
    # Times without an offset now mean New York time, and "api" is now "API v2". The API note's
    # 11:00 becomes 15:00 UTC, after NOW: not posted yet, it has no page...
    notes.config_path.write_text(
        config.replace('"Europe/Berlin"', '"America/New_York"').replace('name = "API"', 'name = "API v2"')
    )
    assert notes.build().code == 0
    assert not (notes.out / "incidents/2026-03-20-api").exists()
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")
    # ...until a day later.
    later = "2026-03-21T12:00:00+01:00"
    assert notes.build(now=later).code == 0
    assert "API v2" in (notes.out / "incidents/2026-03-20-api/index.html").read_text()
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold-later", now=later)


def test_a_removed_component_makes_cached_notes_fail(notes: Site) -> None:
    assert notes.build().code == 0
    notes.config_path.write_text(notes.config_path.read_text().replace('id = "api"', 'id = "api2"'))
    run = notes.build()
    assert run.code == 1
    assert run.err.splitlines() == [
        "incidents/2026-03-10-typo.md:3: warning: componets: unknown setting, ignored; did you mean 'components'?",
        "incidents/2026-03-20-api.md:5: components.api: unknown component 'api'; did you mean 'api2'?",
        "incidents/2026-03-20-api.md:7: unknown component 'api'; did you mean 'api2'?",
        "incidents/2026-03-24-upgrade.md:6: components.api: unknown component 'api'; did you mean 'api2'?",
        "3 errors found; nothing was written.",
    ]


def test_every_problem_is_reported_with_the_cache_warm(notes: Site) -> None:
    assert notes.build().code == 0
    run = break_two_notes(notes)
    # The notes that parsed were cached; the broken ones were not, and are reported again.
    assert notes.build().err == run.err


def test_a_site_changed_by_hand_is_repaired_by_force(notes: Site, tmp_path: Path) -> None:
    """The site belongs to the build, which trusts its own record of it rather than looking at
    every page; `--force` trusts nothing and puts back what a hand changed or removed."""
    for _ in range(2):
        assert notes.build().code == 0
    page = notes.out / "incidents/2026-03-14-login/index.html"
    page.write_bytes(page.read_bytes().replace(b"Login page offline", b"Login page OFFLINE"))
    (notes.out / "incidents/2022-old-04/index.html").unlink()
    (notes.out / "history.atom").unlink()
    assert notes.build().code == 0
    assert (notes.out / "incidents/2022-old-04/index.html").is_file()  # the spare still had it
    assert (notes.out / "history.atom").is_file()  # the site's folder changed: nothing was trusted
    assert notes.build("--force").code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_ledger_file_from_another_save_makes_the_build_trust_none_of_it(notes: Site, tmp_path: Path) -> None:
    """The page ledger is spread over files its head names by token. One put back from an
    earlier save (by a backup or a sync tool) makes the build trust none of the ledger and
    compare every page, so a page changed by hand is put back. With every file as saved, the
    change stays, as the site belongs to the build."""
    for _ in range(2):
        assert notes.build().code == 0
    shards = notes.root / FOLDER / "pages"
    page = notes.out / "incidents/2026-03-14-login/index.html"
    original = page.read_bytes()
    earlier = {path: path.read_bytes() for path in shards.iterdir()}
    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    assert notes.build().code == 0
    rewritten = [path for path, data in earlier.items() if path.read_bytes() != data]
    assert rewritten

    def build_after_a_hand_and_an_edit(n: int) -> bytes:
        page.write_bytes(original.replace(b"Login page offline", b"Login page OFFLINE"))
        notes.note("2022-old-04.md", old_note(4).replace("Fixed.", f"Fixed, take {n}."))
        assert notes.build().code == 0
        return page.read_bytes()

    assert build_after_a_hand_and_an_edit(1) != original
    for path in rewritten:
        path.write_bytes(earlier[path])
    assert build_after_a_hand_and_an_edit(2) == original
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_rebuild_rewrites_only_the_ledger_files_whose_entries_changed(notes: Site) -> None:
    for _ in range(2):
        assert notes.build().code == 0
    shards = notes.root / FOLDER / "pages"

    def entries() -> dict[str, tuple[str, object, object]]:
        """Each path's file in the ledger, its page's key and its size in the manifest."""
        found = {}
        for shard in shards.iterdir():
            data = json.loads(shard.read_text())
            for path in data["pages"].keys() | data["files"].keys():
                found[path] = (shard.name, data["pages"].get(path), data["files"].get(path))
        return found

    before, inodes = entries(), {shard.name: shard.stat().st_ino for shard in shards.iterdir()}
    notes.note("2022-old-04.md", old_note(4).replace("Fixed.", "Fixed for good."))
    assert notes.build().code == 0
    after = entries()
    changed = {
        (after.get(path) or before[path])[0]
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    }
    rewritten = {shard.name for shard in shards.iterdir() if shard.stat().st_ino != inodes[shard.name]}
    assert rewritten == changed
    assert 0 < len(rewritten) < len(inodes) / 4  # the page, its history page, the feeds, the sitemap


@pytest.mark.parametrize("one_process", [False, True], ids=["new processes", "one process"])
def test_a_rebuild_rewrites_only_the_note_cache_files_whose_entries_changed(
    notes: Site, monkeypatch: pytest.MonkeyPatch, one_process: bool
) -> None:
    """An edited, a deleted and a new note rewrite their files of the note cache and no other,
    in one process told what changed (the preview, which keeps the other notes in bulk and finds
    each file it did not rewrite as it left it) as in new ones; a file holding a damaged entry
    is written anew without it; every file then holds exactly the notes whose file it is."""
    monkeypatch.setattr(storage, "_remembering", False)
    monkeypatch.setattr(storage, "_SEEN", {})
    if one_process:
        storage.remember()
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the notes were just written: let the index vouch for them
    folder, incidents = notes.root / FOLDER / "notes", notes.root / "incidents"

    def rebuilt(*changed: str) -> set[int]:
        inodes = {path.name: path.stat().st_ino for path in folder.iterdir()}
        if one_process:
            build.build(notes.config_path, now=NOW, changed={incidents / name for name in changed})
        else:
            assert notes.build().code == 0
        return {int(path.stem) for path in folder.iterdir() if inodes.get(path.name) != path.stat().st_ino}

    assert notes.build().code == 0
    assert rebuilt() == set()
    edited, deleted, added = "2022-old-04.md", "2022-old-17.md", "2026-03-25-new.md"
    notes.note(edited, old_note(4).replace("Fixed.", "Fixed for good."))
    (incidents / deleted).unlink()
    notes.note(added, old_note(31))
    assert rebuilt(edited, deleted, added) == {
        storage.shard_of(name, cache.SHARDS) for name in (edited, deleted, added)
    }
    damaged = folder / "05.json"
    document = json.loads(damaged.read_text())
    document["notes"]["gone.md"] = "nonsense"
    damaged.write_text(json.dumps(document))
    assert rebuilt() == {5}
    held = {int(path.stem): json.loads(path.read_text())["notes"] for path in folder.iterdir()}
    names = sorted(path.name for path in incidents.iterdir())
    assert sorted(name for shard in held.values() for name in shard) == names
    assert all(storage.shard_of(name, cache.SHARDS) == number for number, shard in held.items() for name in shard)
    text = (incidents / edited).read_bytes()
    assert held[storage.shard_of(edited, cache.SHARDS)][edited][0] == digest(text)


def test_a_page_removed_by_hand_before_a_spare_exists_asks_for_force(notes: Site, tmp_path: Path) -> None:
    assert notes.build().code == 0
    (notes.out / "incidents/2022-old-04/index.html").unlink()
    run = notes.build()
    assert run.code == 1
    assert run.err.strip().endswith(
        "incidents/2022-old-04/index.html is missing from the site; build again with --force"
    )
    assert notes.build("--force").code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_pages_that_do_not_show_the_time_keep_their_files_as_time_passes(notes: Site, tmp_path: Path) -> None:
    assert notes.build().code == 0
    resolved = notes.out / "incidents/2026-03-14-login/index.html"
    before = resolved.stat()
    later = "2026-03-20T13:30:00+01:00"
    run = notes.build(now=later)
    assert run.code == 0
    after = resolved.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert "Updated" not in resolved.read_text()
    ongoing = (notes.out / "incidents/2026-03-20-api/index.html").read_text()
    assert "2 hours 30 minutes" in ongoing  # "Ongoing for" moved on with the clock
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold", now=later)


def test_deleted_notes_leave_nothing_behind(notes: Site) -> None:
    assert notes.build().code == 0
    assert notes.build().code == 0  # now the previous site is kept as the spare
    (notes.root / "incidents" / "2022-old-05.md").unlink()
    for _ in range(2):  # the spare still has the page after the first build
        assert notes.build().code == 0
        assert not (notes.out / "incidents/2022-old-05").exists()
    spare = notes.root / ".site.spare"
    assert not (spare / "incidents/2022-old-05").exists()


def test_a_failed_build_leaves_site_and_spare_usable(notes: Site, tmp_path: Path) -> None:
    assert notes.build().code == 0
    assert notes.build().code == 0
    before = snapshot(notes.out)
    notes.note("broken.md", "---\ntitle: Broken\n---\n## 2026-03-20 10:00 · Fixing\n")
    assert notes.build().code == 1
    assert snapshot(notes.out) == before
    (notes.root / "incidents" / "broken.md").unlink()
    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    assert notes.build().code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_spare_left_half_updated_by_a_killed_build_is_repaired(notes: Site, tmp_path: Path) -> None:
    assert notes.build().code == 0
    assert notes.build().code == 0
    spare = notes.root / ".site.spare"
    (spare / "incidents/2026-03-14-login/index.html").unlink()
    (spare / "incidents/2022-old-01/index.html").unlink()  # the writer never writes through a file
    (spare / "incidents/2022-old-01/index.html").write_bytes(b"half written")
    (spare / "incidents/ghost").mkdir()
    (spare / "incidents/ghost/index.html").write_bytes(b"from a note deleted meanwhile")
    (spare / "stray.txt").write_bytes(b"?")
    assert notes.build().code == 0
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_check_reads_the_cache_but_writes_nothing(notes: Site) -> None:
    assert notes.check().code == 0
    assert not (notes.root / FOLDER).exists()
    assert notes.build().code == 0
    before = snapshot(notes.root / FOLDER)
    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    assert notes.check().code == 0
    assert snapshot(notes.root / FOLDER) == before


def test_the_status_page_does_not_grow_with_the_history(site: Site) -> None:
    # Every component watched since before the old notes: they change no bar's "no data".
    site.config(
        CONFIG.replace('name = "Website"', 'name = "Website"\nsince = 2020-01-01')
        .replace('name = "Login"', 'name = "Login"\nsince = 2020-01-01')
        .replace('name = "API"', 'name = "API"\nsince = 2020-01-01')
    )
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-20-api.md", API)
    assert site.build().code == 0
    status_page = (site.out / "index.html").read_bytes()
    for n in range(200):
        site.note(f"2022-old-{n:03d}.md", old_note(n))
    assert site.build().code == 0
    assert (site.out / "index.html").read_bytes() == status_page
    assert len(list((site.out / "incidents").iterdir())) == 202


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")
def test_worker_processes_give_the_same_site_and_the_same_errors(
    notes: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers fork only from a single-threaded process; fixtures that start threads (servers,
    # browsers) must have stopped them by now, or this test cannot tell anything.
    assert threading.active_count() == 1, f"threads left running by earlier tests: {threading.enumerate()}"
    serial = cold(notes, tmp_path / "serial")
    asked: list[int] = []
    pools: list[int] = []
    real_map, real_pool = workers.map_chunks, concurrent.futures.ProcessPoolExecutor

    def map_all(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs["minimum"])
        return real_map(*args, **{**kwargs, "minimum": 1})

    def pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        pools.append(kwargs["max_workers"])
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(workers, "map_chunks", map_all)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)  # imported when workers fork
    monkeypatch.setattr(workers, "cores", lambda: 2)
    assert cold(notes, tmp_path / "parallel") == serial
    assert asked == [content.PARALLEL_NOTES, resolve.PARALLEL_PAGES]
    assert pools == [1, 1]  # parsing and rendering both ran in a worker process, and in this one

    break_two_notes(notes)  # reported in full from the workers too


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")
def test_notes_read_by_worker_processes_are_reported_as_when_read_here(
    notes: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note the cache does not know is read by the worker that parses it: what cannot be read
    is reported just the same, and the cache keeps what did parse."""
    assert threading.active_count() == 1, f"threads left running by earlier tests: {threading.enumerate()}"
    (notes.root / "incidents" / "2026-03-01-big.md").write_text("x" * 300_000)
    (notes.root / "incidents" / "2026-03-02-utf16.md").write_bytes("---\n".encode("utf-16"))
    expected = [
        "incidents/2026-03-01-big.md: is larger than 256 kB, the limit for a note; link to long logs instead of pasting them",
        "incidents/2026-03-02-utf16.md:1: is saved as UTF-16; save the file as UTF-8",
    ]
    serial = notes.build()
    assert serial.code == 1
    assert [line for line in serial.err.splitlines() if "warning" not in line][:2] == expected
    shutil.rmtree(notes.root / FOLDER)
    real_map = workers.map_chunks
    monkeypatch.setattr(workers, "map_chunks", lambda *a, **k: real_map(*a, **{**k, "minimum": 1}))
    monkeypatch.setattr(workers, "cores", lambda: 2)
    parallel = notes.build()
    assert (parallel.code, parallel.err) == (serial.code, serial.err)
    shards = [json.loads(path.read_bytes()) for path in (notes.root / FOLDER / "notes").glob("*.json")]
    cached = {name for shard in shards for name in shard["notes"]}
    assert "2026-03-14-login.md" in cached
    assert "2026-03-01-big.md" not in cached


def test_template_errors_from_worker_processes_name_the_line(notes: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    real_map = workers.map_chunks
    monkeypatch.setattr(workers, "map_chunks", lambda *a, **k: real_map(*a, **{**k, "minimum": 1}))
    templates = notes.root / "templates"
    templates.mkdir()
    (templates / "incident.html").write_text(
        '{% extends "theme/incident.html" %}\n{% block title %}{{ 1 / 0 }}{% endblock %}\n'
    )
    run = notes.build()
    assert run.code == 1
    assert (
        run.err.strip()
        == "error: templates/incident.html:2: template error while rendering incident.html: division by zero"
    )


_HERE = os.getpid()


def _die(context: object, items: Sequence[int]) -> list[int]:
    if os.getpid() != _HERE:
        os._exit(9)  # what the kernel's out-of-memory killer does to a worker
    return list(items)


def _made_by(context: float, items: Sequence[int]) -> list[tuple[int, int]]:
    time.sleep(context)
    return [(os.getpid(), item) for item in items]


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")
@pytest.mark.parametrize("cores", [2, 3])
def test_this_process_makes_chunks_beside_the_workers_and_results_stay_in_order(
    monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """One worker fewer than the cores, as this process makes chunks itself while it waits."""
    assert threading.active_count() == 1, f"threads left running by earlier tests: {threading.enumerate()}"
    monkeypatch.setattr(workers, "cores", lambda: cores)
    switching = sys.getswitchinterval()
    chunks, made = workers.map_chunks(_made_by, 0.01, range(1000), minimum=1), []
    while len(made) < 1000:  # as `resolve` asks: never past the last chunk
        made += next(chunks)
    assert sys.getswitchinterval() == switching  # given back with the last chunk
    chunks.close()
    assert [item for _, item in made] == list(range(1000))
    makers = {pid for pid, _ in made}
    assert os.getpid() in makers and len(makers) == cores


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are forked on Linux only")
def test_a_worker_that_dies_is_an_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    with pytest.raises(BuildError) as error:
        list(workers.map_chunks(_die, None, list(range(100)), minimum=1))
    assert (
        str(error.value)
        == "a worker process died (out of memory?); nothing was written. Try again, or free some memory"
    )


def test_feeds_are_made_again_only_when_their_newest_entries_change(
    notes: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    document = feeds.document

    def counted(*args: object, **kwargs: object) -> bytes:
        made.append(str(args[3]))  # the feed's path
        return document(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds, "document", counted)
    assert notes.build().code == 0
    folders = [addresses.HOME, *(addresses.component(cid) for cid in ("web", "login", "api"))]
    assert sorted(made) == sorted(path for folder in folders for path in feeds.feed_paths(folder))
    # The oldest incident is past every feed's newest 50 updates: editing it makes no feed again.
    made.clear()
    notes.note("2022-old-00.md", old_note(0).replace("Fixed.", "Fixed for good."))
    assert notes.build().code == 0
    assert made == []
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")
    assert notes.build().code == 0  # the cold build took the page ledger with the cache
    # An edited update of the API incident is news for the site's feeds and the API's, no others.
    made.clear()
    notes.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))
    assert notes.build().code == 0
    assert sorted(made) == sorted([*feeds.feed_paths(addresses.HOME), *feeds.feed_paths(addresses.component("api"))])
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_library_versions_in_the_code_fingerprint_are_those_importlib_metadata_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """They are read from the installers' `.dist-info` names, sparing every command the import
    of importlib.metadata, which is only the fallback."""
    import importlib
    from importlib import metadata

    from statuspage import fingerprint

    expected = {name: f"{name}={metadata.version(name)}" for name in fingerprint._LIBRARIES}
    assert fingerprint._version("no-such-library-installed") == "no-such-library-installed=?"
    monkeypatch.delattr(importlib, "metadata")
    monkeypatch.setitem(sys.modules, "importlib.metadata", None)  # the fallback would fail now
    assert {name: fingerprint._version(name) for name in fingerprint._LIBRARIES} == expected


def test_an_incident_page_is_planned_again_only_when_its_incident_or_state_is_another() -> None:
    """The preview's next plan hands back the very file of an incident whose note and state are
    the very objects of the last one, by block of incidents; a block with an ongoing incident
    (its page shows how long it has gone on) is planned anew, and an edited note is another
    incident, with another key, and so is a note in the same block as one edited."""
    config = replace(make_config(), timezone=ZoneInfo("UTC"))  # one the templates can name

    def ended(n: int) -> Incident:
        return replace(incident(f"old-{n}", "2025-03-09 10:00", "2025-03-09 11:00", {"api": MAJOR}), digest=f"o{n}")

    done = replace(incident("api-down", "2026-03-09 10:00", "2026-03-09 11:00", {"api": MAJOR}), digest="d1")
    going = replace(incident("db-slow", "2026-03-10 09:00", None, {"db": MAJOR}), digest="d2")
    older = [ended(n) for n in range(recall.BLOCK)]  # the oldest block; `done` and `going` are the newest

    def planned(*incidents: Incident, now: str = "2026-03-10 12:00", config: Config = config) -> dict[str, Deferred]:
        site = at(config, sorted(incidents, key=lambda i: (i.start, i.slug), reverse=True), utc(now))
        return {path: file for path, file in pages.render(site).items() if isinstance(file, Deferred)}

    first, second = planned(done, going, *older), planned(done, going, *older)
    done_page, going_page = "incidents/api-down/index.html", "incidents/db-slow/index.html"
    old_page, oldest_page = f"incidents/old-{recall.BLOCK - 1}/index.html", "incidents/old-0/index.html"
    assert second[oldest_page] is first[oldest_page]  # a block with nothing going on
    assert second[going_page] is not first[going_page] and second[going_page].key == first[going_page].key
    assert second[done_page] is not first[done_page] and second[done_page].key == first[done_page].key
    edited = planned(replace(done, title="API down", digest="d3"), going, *older)
    assert edited[done_page].key != first[done_page].key and b"API down" in edited[done_page].make()
    assert edited[oldest_page] is first[oldest_page]
    again = planned(done, going, replace(older[0], digest="o0 edited"), *older[1:])
    assert again[old_page] is not first[old_page] and again[old_page].key == first[old_page].key
    assert again[oldest_page].key != first[oldest_page].key
    assert again[done_page].key == first[done_page].key
    # The same notes in other states: a maintenance that was ahead has taken place.
    posted = [("2026-03-09 09:00", UpdateStatus.SCHEDULED, {})]
    move = incident("move", "2026-03-10 13:00", "2026-03-10 14:00", updates=posted, kind=Kind.MAINTENANCE)
    window = replace(move, digest="m")
    ahead, later = planned(window, done, *older), planned(window, done, *older, now="2026-03-10 15:00")
    assert later[done_page] is not ahead[done_page]
    moved = addresses.file_of(addresses.incident("move"))
    assert later[moved].key != ahead[moved].key
    # Another config is another environment: the pages show the site's title.
    renamed = planned(done, going, *older, config=replace(config, title="Renamed status"))
    assert renamed[oldest_page] is not first[oldest_page] and b"Renamed status" in renamed[oldest_page].make()


def test_pages_showing_the_build_time_are_filled_in_again_not_rendered_again(
    notes: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status page and the component pages show the build time: a process that builds at
    another moment, with nothing else they show changed, fills in the new time without
    rendering them again, and every build equals one rendered afresh with the time as is."""
    notes.note(
        "2026-03-20-api.md",
        API.replace("## 2026-03-20 11:40", "## 2026-03-20 14:00 · Resolved\nFixed.\n\n## 2026-03-20 11:40"),
    )
    timed = ["index.html", *(f"components/{cid}/index.html" for cid in ("web", "login", "api"))]
    rendered: list[str] = []
    render = pages._render

    def counted(env: object, config: object, page: pages.Page, **more: object) -> bytes:
        rendered.append(page.path)
        return render(env, config, page, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "_render", counted)

    def afresh(now: str) -> dict[str, bytes]:
        """The site built elsewhere with no cache, the templates given the time itself."""
        elsewhere = tmp_path / "elsewhere"
        shutil.rmtree(elsewhere, ignore_errors=True)
        shutil.copytree(notes.root / "incidents", elsewhere / "incidents")
        shutil.copy(notes.config_path, elsewhere)
        with monkeypatch.context() as fresh:
            fresh.setattr(pages.templates, "overridden", lambda config: True)
            assert Site(elsewhere, notes._capsys).build(now=now).code == 0
        return snapshot(elsewhere / "site")

    every, growing = set(timed), {"index.html", "components/api/index.html"}
    moments = [
        ("2026-03-20T12:00:00+01:00", every),
        ("2026-03-20T12:00:30+01:00", growing),  # the API incident's downtime grows with the clock
        ("2026-03-20T14:30:00+01:00", growing),  # and it was resolved meanwhile
        ("2026-03-20T14:30:20+01:00", set()),  # the same but for the time
        ("2026-03-21T09:00:00+01:00", every),  # another day in the bars
        ("2026-03-21T09:07:05+01:00", set()),
        ("2026-03-24T22:30:00+01:00", every),  # the maintenance under way
    ]
    pages._TIMED.clear()
    for now, made in moments:
        rendered.clear()
        assert notes.build(now=now).code == 0
        assert {path for path in rendered if path in timed} == made, now
        assert snapshot(notes.out) == afresh(now), now  # the uptime API's today ends at `now`, too


def test_an_edited_template_of_the_site_is_used_by_the_next_build_in_the_same_process(
    notes: Site, tmp_path: Path
) -> None:
    """The preview keeps its template environment between builds: a template of the site's own
    that is added, edited (to the same size, within the same instant) or removed is used by the
    next build all the same, and every build equals a cold one."""
    footer = notes.root / "templates" / "custom" / "footer.html"
    assert notes.build().code == 0
    footer.parent.mkdir(parents=True)
    for text in ("<p>Footer one</p>", "<p>Footer two</p>"):
        footer.write_text(text)
        assert notes.build().code == 0
        assert text in (notes.out / "incidents/2022-old-04/index.html").read_text()
        assert snapshot(notes.out) == cold(notes, tmp_path / "cold")
    shutil.rmtree(notes.root / "templates")
    assert notes.build().code == 0
    assert "Footer" not in (notes.out / "incidents/2022-old-04/index.html").read_text()
    assert snapshot(notes.out) == cold(notes, tmp_path / "cold")


def test_a_site_with_templates_of_its_own_shows_the_build_time_however_they_show_it(notes: Site) -> None:
    """The placeholder stands for the time only where the theme shows it: a site's own template
    may show it otherwise, so its pages are rendered with the time itself, every time."""
    (notes.root / "templates" / "custom").mkdir(parents=True)
    (notes.root / "templates" / "custom" / "footer.html").write_text(
        "<p>Built {{ updated.isoformat() if updated }}</p>"
    )
    for now in ("2026-03-20T13:30:00+00:00", "2026-03-20T13:30:20+00:00"):
        assert notes.build(now=now).code == 0
        for page in ("index.html", "components/web/index.html"):
            assert f"<p>Built {now}</p>" in (notes.out / page).read_text(), page
