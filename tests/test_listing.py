"""The preview lists and loads incidents/ from the watcher's changed paths: after any edits, what
it lists and loads is what a fresh look at the whole folder finds, and the real watcher reports
every path that needs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CONFIG, PATIENCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statuspage import config as config_module
from statuspage.errors import ContentError
from statuspage.fingerprint import code_fingerprint
from statuspage.notes import discover
from statuspage.notes import load as notes_load
from statuspage.notes.cache import NoteCache
from statuspage.preview import watch

#: The last one takes the first one's web address: which of the two is told so, the order says.
NAMES = ["2026-03-02-a.md", "2026-03-02-b.md", "2026-03-09-c.md", "notes.txt", ".hidden.md", "2026-03-02-A.md"]
names = st.sampled_from(NAMES)
edits = st.one_of(
    st.tuples(st.just("write"), names, st.text("abc\n", max_size=20)),
    st.tuples(st.just("rename"), names, names),
    st.tuples(st.just("delete"), names, st.none()),
    st.tuples(st.just("touch"), names, st.none()),
    st.tuples(st.just("link"), names, st.none()),  # a note that is a link to a file outside
    st.tuples(st.just("folder"), names, st.none()),  # a folder with a note's name
)


def apply(folder: Path, outside: Path, edit: tuple[str, str, str | None]) -> set[Path]:
    """Make the edit; the paths a watcher reports for it (the file, or both names of a rename)."""
    kind, name, argument = edit
    path = folder / name
    if kind == "write":
        if path.is_dir() and not path.is_symlink():
            return set()
        temp = folder / f".{name}.tmp"
        temp.write_text(argument or "", encoding="utf-8")
        os.replace(temp, path)  # as editors save
        return {path, temp}
    if kind == "rename" and (path.exists() or path.is_symlink()) and argument != name:
        target = folder / (argument or name)
        if any(p.is_dir() and not p.is_symlink() for p in (path, target)):
            return set()  # folders are made and deleted, not renamed, here
        os.replace(path, target)
        return {path, target}
    if kind == "delete" and (path.exists() or path.is_symlink()):
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        return {path}
    if kind == "touch" and path.exists():
        os.utime(path, ns=(time.time_ns(), time.time_ns()))
        return {path}
    if kind == "link" and not (path.exists() or path.is_symlink()):
        path.symlink_to(outside)
        return {path}
    if kind == "folder" and not (path.exists() or path.is_symlink()):
        path.mkdir()
        return {path}
    return set()


@contextmanager
def folders() -> Iterator[tuple[Path, Path]]:
    with tempfile.TemporaryDirectory() as where:
        root = Path(where).resolve()
        (root / "incidents").mkdir()
        (root / "outside.md").write_text("outside", encoding="utf-8")
        (root / "statuspage.toml").write_text(CONFIG, encoding="utf-8")
        yield root / "incidents", root / "outside.md"


def fresh(folder: Path) -> list[tuple[discover.NoteFile, discover.Identity | None]]:
    discover._LISTED.clear()
    return discover.listing(folder)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edits, min_size=1, max_size=4), min_size=1, max_size=5))
def test_a_listing_from_the_changed_paths_is_the_whole_folders(rounds: list[list[tuple[str, str, str | None]]]) -> None:
    with folders() as (folder, outside):
        discover.listing(folder)  # the listing the first build makes
        for edits_of_round in rounds:
            changed: set[Path] = set()
            for edit in edits_of_round:
                changed |= apply(folder, outside, edit)
            if any(edit[0] == "write" for edit in edits_of_round):
                outside.write_text(f"outside {time.time_ns()}", encoding="utf-8")  # a link's target, unseen
            listed = discover.listing(folder, frozenset(changed))
            assert listed == fresh(folder)


def note(title: str, extra: str = "", status: str = "web: partial_outage") -> str:
    return f"---\ntitle: {title}\n{extra}components:\n  {status}\n---\n## 2026-03-02 10:00 · Resolved\nFixed.\n"


#: What an edit may write into a note: sound, with a warning, broken, and not a note at all.
TEXTS = [note("Web down"), note("Web slow", "componets: []\n"), note("Typo", status="wbe: major_outage"), "abc\n"]
note_edits = st.one_of(
    st.tuples(st.just("write"), names, st.sampled_from(TEXTS)),
    *(st.tuples(st.just(kind), names, st.none()) for kind in ("delete", "touch", "link", "folder")),
    st.tuples(st.just("rename"), names, names),
)


def loaded(folder: Path, changed: frozenset[Path] | None) -> tuple[object, ...]:
    """What a build's load gives: the incidents and warnings, or the problems."""
    config, _ = config_module.load(folder.parent / "statuspage.toml")
    cache = NoteCache.open(config, code_fingerprint())
    try:
        return tuple(notes_load.load(config, cache, changed=changed))
    except ContentError as error:
        return ("problems", [str(problem) for problem in error.problems])
    finally:
        cache.save()


def loaded_afresh(folder: Path) -> tuple[object, ...]:
    """What a load with no earlier listing, load or cache gives; the preview's memory left as it was."""
    listed, known = dict(discover._LISTED), dict(notes_load._LOADED)
    discover._LISTED.clear()
    notes_load._LOADED.clear()
    config, _ = config_module.load(folder.parent / "statuspage.toml")
    try:
        return tuple(notes_load.load(config))
    except ContentError as error:
        return ("problems", [str(problem) for problem in error.problems])
    finally:
        discover._LISTED.clear()
        discover._LISTED.update(listed)
        notes_load._LOADED.clear()
        notes_load._LOADED.update(known)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(note_edits, min_size=1, max_size=3), min_size=1, max_size=5))
def test_a_load_from_the_changed_paths_is_a_fresh_load(rounds: list[list[tuple[str, str, str | None]]]) -> None:
    """The preview's load finds again what notes the watcher saw no change to gave; anything
    else is read again. After any edits, it gives what a fresh load gives."""
    with folders() as (folder, outside):
        for text, name in zip(TEXTS[:2], NAMES, strict=False):
            (folder / name).write_text(text, encoding="utf-8")
        loaded(folder, None)  # the first build's
        for edits_of_round in rounds:
            changed: set[Path] = set()
            for edit in edits_of_round:
                changed |= apply(folder, outside, edit)
            outside.write_text(note(f"Outside {time.time_ns()}"), encoding="utf-8")  # a link's target, unseen
            assert loaded(folder, frozenset(changed)) == loaded_afresh(folder)


def test_a_load_from_the_changed_paths_looks_only_at_them(monkeypatch: pytest.MonkeyPatch) -> None:
    with folders() as (folder, _):
        for name, title in zip(NAMES[:3], ("Web down", "Web slow", "Web gone"), strict=True):
            (folder / name).write_text(note(title), encoding="utf-8")
        first = loaded(folder, None)
        edited = folder / NAMES[1]
        edited.write_text(note("Web slower"), encoding="utf-8")

        def vouch(cache: NoteCache, name: str, identity: object) -> str | None:
            assert name == edited.name, f"{name} was looked at again"
            return None

        monkeypatch.setattr(NoteCache, "known_digest", vouch)
        again = loaded(folder, frozenset({edited}))
        assert again[0] is not first[0] and [i.title for i in again[0]] == ["Web gone", "Web slower", "Web down"]
        assert all(a is b for a, b in zip(again[0], first[0], strict=True) if a.title != "Web slower")


def test_without_changed_paths_or_when_the_folder_itself_changed_the_whole_folder_is_listed() -> None:
    with folders() as (folder, _):
        discover.listing(folder)
        (folder / "2026-03-02-a.md").write_text("unseen", encoding="utf-8")
        assert [note.name for note, _ in discover.listing(folder, frozenset())] == []  # trusted: nothing reported
        assert [note.name for note, _ in discover.listing(folder)] == ["2026-03-02-a.md"]
        (folder / "2026-03-02-b.md").write_text("unseen", encoding="utf-8")
        listed = discover.listing(folder, frozenset({folder}))  # incidents/ itself replaced, say
        assert [note.name for note, _ in listed] == ["2026-03-02-a.md", "2026-03-02-b.md"]


def test_the_watcher_reports_every_path_a_listing_needs(tmp_path: Path) -> None:
    """Real saves, renames, deletes and folders under a real watcher: the paths it hands over
    bring the listing up to date."""
    root = tmp_path.resolve()
    (root / "statuspage.toml").write_text("")
    folder = root / "incidents"
    folder.mkdir()
    changes = watch.Changes()
    watcher = watch.Watcher(root / "statuspage.toml", (folder,), changes)
    watcher.start()
    discover.listing(folder)
    try:
        steps = [
            lambda: (folder / "2026-03-02-a.md").write_text("one", encoding="utf-8"),
            lambda: _save(folder / "2026-03-02-a.md", "two, as editors save"),
            lambda: os.replace(folder / "2026-03-02-a.md", folder / "2026-03-09-b.md"),
            lambda: (folder / "2026-03-09-b.md").write_text("three, the same size", encoding="utf-8"),
            lambda: (folder / "2026-03-16-c.md").mkdir(),
            lambda: (folder / "2026-03-09-b.md").unlink(),
        ]
        for step in steps:
            step()
            changed = _reported(changes)
            assert changed is not None
            assert discover.listing(folder, changed) == fresh(folder)
    finally:
        watcher.stop()


def test_a_flood_of_events_or_a_change_without_paths_lists_everything() -> None:
    changes = watch.Changes()
    changes.mark([Path("/site/incidents/a.md")])
    changes.mark([Path("/site/incidents/b.md")])
    assert changes.take() == {Path("/site/incidents/a.md"), Path("/site/incidents/b.md")}
    assert changes.take() == frozenset()
    changes.mark()  # the console posted
    changes.mark([Path("/site/incidents/a.md")])
    assert changes.take() is None
    for _ in range(watch.FLOOD + 1):
        changes.saw()
    changes.mark([Path("/site/incidents/a.md")])
    assert changes.take() is None
    assert changes.take() == frozenset()  # the count starts again


@pytest.mark.parametrize("config_change", [True, False])
def test_a_change_to_the_config_lists_everything(tmp_path: Path, config_change: bool) -> None:
    root = tmp_path.resolve()
    config = root / "statuspage.toml"
    config.write_text("")
    (root / "incidents").mkdir()
    changes = watch.Changes()
    watcher = watch.Watcher(config, (root / "incidents",), changes)
    watcher.start()
    try:
        (config if config_change else root / "incidents" / "a.md").write_text("title = 'x'\n")
        assert (_reported(changes) is None) is config_change
    finally:
        watcher.stop()


def _save(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _reported(changes: watch.Changes) -> frozenset[Path] | None:
    """What the watcher reported of the change just made, once its events have stopped coming."""
    deadline = time.monotonic() + PATIENCE
    while not changes.coming():
        assert time.monotonic() < deadline, "the watcher reported nothing"
    while changes.coming():
        changes.wait()
        time.sleep(0.3)  # a save's late events
    return changes.take()


def test_a_finished_save_out_of_quiet_is_rebuilt_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    changes = watch.Changes()
    slept: list[float] = []
    real_sleep = time.sleep
    monkeypatch.setattr(watch.time, "sleep", slept.append)  # the wait spins instead, and says it would sleep
    changes.mark([Path("/site/incidents/a.md")])  # a file being written
    assert changes.wait() and slept
    slept.clear()
    real_sleep(2 * watch.QUIET)
    changes.mark([Path("/site/incidents/a.md")])  # out of quiet: someone saving
    changes.mark([Path("/site/incidents/a.md")], saved=True)  # closed, or renamed into place
    assert changes.wait() and not slept
    changes.mark([Path("/site/incidents/a.md")], saved=True)  # at once again: a burst of saves
    assert changes.wait() and slept


def test_the_watcher_says_which_changes_are_finished_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path.resolve()
    (root / "statuspage.toml").write_text("")
    folder = root / "incidents"
    folder.mkdir()
    changes = watch.Changes()
    marks: list[bool] = []
    monkeypatch.setattr(changes, "mark", lambda paths=None, saved=False: marks.append(saved))
    watcher = watch.Watcher(root / "statuspage.toml", (folder,), changes)
    watcher.start()
    try:
        for save, finished in [
            (lambda: _save(folder / "a.md", "renamed into place"), True),
            (lambda: (folder / "a.md").write_text("written in place"), True),  # closed after writing
            (lambda: os.replace(folder / "a.md", folder / "a.md~"), False),  # vim's backup: the note is gone
            (lambda: (folder / "b").mkdir(), False),
        ]:
            marks.clear()
            save()
            deadline = time.monotonic() + PATIENCE
            while not marks and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)
            assert marks and any(marks) is finished
    finally:
        watcher.stop()
