"""Property: after any sequence of edits, each followed by a build that reuses the last one's
cache, stamp and site, the site is byte for byte what a cold build of the same notes makes.

The edits are the ones an editor, git or a careless hand makes: create, edit, an edit that keeps
the size (only the times tell), rename, delete, and a touch that changes nothing but the time.
The racily-clean guard is switched off here, so that the stat-first paths (a note trusted by its
size, times and inode alone; a build stopped at its stamp) are the ones under test; the guard
has tests of its own. Every build runs through the CLI, as a scheduled build would.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import CONFIG, NOW, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statuspage.cli import main
from statuspage.notes import cache
from statuspage.publish import stamp

STATUSES = ("Investigating", "Identified", "Monitoring", "Resolved")
COMPONENTS = ("web", "login", "api")
IMPACTS = ("degraded_performance", "partial_outage", "major_outage")


@st.composite
def notes(draw: st.DrawFn) -> str:
    """A valid incident note from before the build time, resolved or not."""
    day = draw(st.integers(1, 19))
    steps = draw(st.integers(1, 4))
    component = draw(st.sampled_from(COMPONENTS))
    impact = draw(st.sampled_from(IMPACTS))
    words = draw(st.text("abcdefgh ", min_size=1, max_size=30)).strip() or "x"
    updates = [
        f"## 2026-03-{day:02d} {10 + step:02d}:00 · {STATUSES[step]}\n{words} {step}.\n"
        for step in reversed(range(steps))
    ]
    return f"---\ntitle: Trouble {words}\ncomponents:\n  {component}: {impact}\n---\n" + "\n".join(updates)


NAMES = [f"2026-03-{day:02d}-{word}.md" for day in (2, 9, 16) for word in ("a", "b")]
names = st.sampled_from(NAMES)
edits = st.one_of(
    st.tuples(st.just("write"), names, notes()),
    st.tuples(st.just("same-size"), names, st.none()),
    st.tuples(st.just("rename"), names, names),
    st.tuples(st.just("delete"), names, st.none()),
    st.tuples(st.just("touch"), names, st.none()),
)


def apply(folder: Path, edit: tuple[str, str, object]) -> None:
    kind, name, extra = edit
    path = folder / name
    if kind == "write":
        path.write_text(str(extra), encoding="utf-8")
    elif not path.exists():
        return
    elif kind == "same-size":
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(".\n", "!\n", 1) if ".\n" in text else text.replace("!\n", ".\n", 1))
    elif kind == "rename":
        path.rename(folder / str(extra))
    elif kind == "delete":
        path.unlink()
    elif kind == "touch":
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def build(root: Path, *extra: str) -> None:
    code = main(["build", "-q", "--offline", "--config", str(root / "statuspage.toml"), "--now", NOW, *extra])
    assert code == 0


@contextmanager
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "statuspage.toml").write_text(CONFIG, encoding="utf-8")
        (root / "incidents").mkdir()
        yield root


def cold(root: Path) -> dict[str, bytes]:
    with project() as fresh:
        shutil.rmtree(fresh / "incidents")
        shutil.copytree(root / "incidents", fresh / "incidents")
        build(fresh)
        return snapshot(fresh / "site")


@settings(
    max_examples=25,
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(start=st.dictionaries(names, notes(), max_size=4), sequence=st.lists(edits, min_size=1, max_size=6))
def test_any_edit_sequence_builds_what_a_cold_build_makes(
    monkeypatch: pytest.MonkeyPatch, start: dict[str, str], sequence: list[tuple[str, str, object]]
) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setattr(stamp, "RACY_NS", 0)
    with project() as root:
        for name, text in start.items():
            (root / "incidents" / name).write_text(text, encoding="utf-8")
        build(root)
        for edit in sequence:
            apply(root / "incidents", edit)
            build(root)
            assert snapshot(root / "site") == cold(root), edit
