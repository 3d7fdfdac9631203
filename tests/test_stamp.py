"""A build whose inputs are those of the last build stops at once, and never when anything
that shapes the site changed: every such case still builds, and builds what a cold build makes."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, Site, snapshot
from fixtures.notes import API, LOGIN

import statuspage.build
from statuspage.core.config import CACHE_FOLDER
from statuspage.notes import cache as note_cache
from statuspage.publish import stamp

WARNS = LOGIN.replace("title:", "componets: []\ntitle:")


@pytest.fixture
def built(site: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A site built once, its stamp trusted at once (the racy-file guard has its own test)."""
    monkeypatch.setattr(stamp, "RACY_NS", 0)
    site.note("2026-03-14-login.md", WARNS)
    site.note("2026-03-20-api.md", API)
    (site.root / "templates").mkdir()
    (site.root / "templates" / "footer.html").write_text("<p>Hello</p>\n", encoding="utf-8")
    run = site.build()
    assert run.code == 0, run.err
    return site


def skipped(site: Site, *extra: str, now: str = NOW) -> bool:
    """Whether the build stopped at the stamp (and then it printed the stamped warnings)."""
    run = site.build(*extra, now=now)
    assert run.code == 0, run.err
    assert "componets: unknown setting" in run.err  # warnings are reported either way
    return "Nothing to do" in run.err


def cold(site: Site, tmp_path: Path, now: str = NOW) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    cache = site.root / CACHE_FOLDER
    kept = tmp_path / "kept-cache"
    shutil.copytree(cache, kept)
    shutil.rmtree(cache)
    assert site.build("--out", str(out), now=now).code == 0
    shutil.rmtree(cache)
    shutil.copytree(kept, cache)
    shutil.rmtree(kept)
    return snapshot(out)


def test_an_unchanged_build_does_not_build(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(built.out)
    page = (built.out / "index.html").stat()

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build ran")

    monkeypatch.setattr(statuspage.build, "build", fail)
    assert skipped(built)
    assert snapshot(built.out) == before
    assert (built.out / "index.html").stat().st_mtime_ns == page.st_mtime_ns
    with pytest.raises(AssertionError, match="the build ran"):
        built.build("--force")


def _edit_note(site: Site) -> None:
    site.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica failed."))


def _same_size_edit(site: Site) -> None:
    """The same size and the same modification time: only the inode and ctime tell."""
    path = site.root / "incidents" / "2026-03-20-api.md"
    info = path.stat()
    text = path.read_text(encoding="utf-8").replace("failing", "FAILING")
    path.unlink()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _add_note(site: Site) -> None:
    site.note("2026-03-19-new.md", LOGIN.replace("2026-03-14", "2026-03-19"))


def _remove_note(site: Site) -> None:
    (site.root / "incidents" / "2026-03-20-api.md").unlink()


def _rename_note(site: Site) -> None:
    folder = site.root / "incidents"
    (folder / "2026-03-20-api.md").rename(folder / "2026-03-20-api-down.md")


def _edit_template(site: Site) -> None:
    (site.root / "templates" / "footer.html").write_text("<p>Hello again</p>\n", encoding="utf-8")


def _add_static(site: Site) -> None:
    (site.root / "static").mkdir(exist_ok=True)
    (site.root / "static" / "hello.txt").write_text("Hello\n", encoding="utf-8")


def _edit_config(site: Site) -> None:
    site.config_path.write_text(site.config_path.read_text().replace("Test Status", "Sample Status"), encoding="utf-8")


def _delete_page_by_hand(site: Site) -> None:
    """The site's folder changes with it: the site is no longer the one the stamp vouched for."""
    (site.out / "history.atom").unlink()


@pytest.mark.parametrize(
    "change",
    [
        _edit_note,
        _same_size_edit,
        _add_note,
        _remove_note,
        _rename_note,
        _edit_template,
        _add_static,
        _edit_config,
        _delete_page_by_hand,
    ],
)
def test_any_change_builds_what_a_cold_build_makes(built: Site, tmp_path: Path, change: Callable[[Site], None]) -> None:
    change(built)
    assert not skipped(built)
    assert snapshot(built.out) == cold(built, tmp_path)
    assert skipped(built)  # and the new build is stamped in turn


def test_force_puts_back_a_page_edited_by_hand(built: Site, tmp_path: Path) -> None:
    page = built.out / "incidents" / "2026-03-14-login" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Login page offline", b"Login page OFFLINE"))
    assert skipped(built)  # the site is the build's: it is not looked at page by page
    assert not skipped(built, "--force")
    assert snapshot(built.out) == cold(built, tmp_path)


def test_another_time_or_option_builds(built: Site) -> None:
    assert not skipped(built, now="2026-03-20T12:01:00+01:00")
    run = built.build("--strict")  # which fails on the note's warning
    assert run.code == 1 and "Nothing to do" not in run.err
    assert not skipped(built, "--out", str(built.root / "elsewhere"))


def test_a_removed_site_is_built_again(built: Site) -> None:
    shutil.rmtree(built.out)
    assert not skipped(built)
    assert (built.out / "index.html").is_file()


def test_without_a_fixed_time_every_build_runs(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock moves, and the pages show it: there is nothing a stamp could vouch for."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    for _ in range(2):
        run = built.build(now=None)
        assert run.code == 0 and "Nothing to do" not in run.err


def test_a_file_changed_as_the_stamp_was_taken_is_not_trusted(site: Site) -> None:
    """git's racily-clean rule: a note modified within the stamp's own tick may change again
    without its size or time changing, so the build runs until the note is older than that."""
    site.note("2026-03-14-login.md", WARNS)
    assert site.build().code == 0
    assert not skipped(site)  # written a moment ago: not trusted
    old = time.time() - 60
    for path in (site.root / "incidents").iterdir():
        os.utime(path, (old, old))
    assert not skipped(site)  # ctime still says just now
    time.sleep(stamp.RACY_NS / 1e9 + 0.1)
    assert not skipped(site)  # the last stamp was taken within a tick of the change
    assert skipped(site)  # this one was taken well after it


def test_a_failed_build_leaves_the_last_stamp(built: Site) -> None:
    built.note("2026-03-20-api.md", API.replace("Identified", "Fixing"))
    assert built.build().code == 1
    assert built.build().code == 1  # never served from a stamp
    built.note("2026-03-20-api.md", API)
    assert not skipped(built)


def test_a_note_changed_while_the_build_ran_is_built_next_time(
    built: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stamp vouches for the inputs as the build saw them, not as they are when it ends."""
    real = statuspage.build.build

    def edit_while_building(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        _edit_note(built)  # saved after the build read the notes, before it was stamped
        return result

    built.note("2026-03-20-api.md", API.replace("A replica is failing.", "A replica is down."))
    monkeypatch.setattr(statuspage.build, "build", edit_while_building)
    assert not skipped(built)
    monkeypatch.setattr(statuspage.build, "build", real)
    assert not skipped(built)
    assert snapshot(built.out) == cold(built, tmp_path)


def test_a_config_behind_a_link_stamps_the_notes_beside_the_link(built: Site, tmp_path: Path) -> None:
    """The site is the folder of the config's path, as the config's loader takes it, not the
    folder of the file a link there leads to: a note edited beside the link is built."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(built.config_path, shared / "statuspage.toml")
    built.config_path.symlink_to(shared / "statuspage.toml")
    assert skipped(built)  # the same config and notes: the stamp beside the link still holds
    _edit_note(built)
    assert not skipped(built)
    assert snapshot(built.out) == cold(built, tmp_path)
    assert skipped(built)
    assert not (shared / CACHE_FOLDER).exists()


def test_a_build_looks_at_each_unchanged_note_once(built: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamp's key and the build's note index are made of one listing of the notes."""
    monkeypatch.setattr(note_cache, "RACY_NS", 0)  # the notes were just written: trust them at once
    for n in range(5):
        built.note(f"2026-03-0{n + 1}-extra.md", LOGIN.replace("2026-03-14", f"2026-03-0{n + 1}"))
    assert not skipped(built)
    _edit_note(built)
    looked: list[str] = []
    real = os.stat
    folder = os.path.realpath(built.root / "incidents")

    def counting(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.path.dirname(os.path.realpath(str(path))) == folder:
            looked.append(os.path.basename(str(path)))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", counting)
    assert not skipped(built)
    monkeypatch.setattr(os, "stat", real)
    notes = sorted(p.name for p in (built.root / "incidents").glob("*.md"))
    assert sorted(set(looked)) == notes
    unchanged = [name for name in looked if name != "2026-03-20-api.md"]
    assert sorted(unchanged) == [name for name in notes if name != "2026-03-20-api.md"]  # once each
    assert looked.count("2026-03-20-api.md") == 2  # listed, then read: its identity as read is kept


def test_equal_inputs_give_one_key_however_their_objects_are_shared(site: Site) -> None:
    """The key depends on the inputs' values only: a listing whose equal entries are one object,
    or strings the interpreter interned, must not look like a change (a needless rebuild)."""
    ident = (120, 1_700_000_000_000_000_000, 1_700_000_000_000_000_000, 42)
    shared = [("a.md", ident), ("b.md", ident)]
    apart = [("".join(["a", ".md"]), tuple(list(ident))), ("b.md", tuple(list(ident)))]
    interned = [(sys.intern("".join(["a", ".md"])), ident), ("b.md", ident)]
    keys = {stamp.inputs_key(site.config_path, None, NOW, None, notes) for notes in (shared, apart, interned)}
    assert len(keys) == 1 and None not in keys
