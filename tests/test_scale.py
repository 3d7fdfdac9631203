"""The benchmark's generated sites, the feed shortcut for big histories, and build progress."""

from __future__ import annotations

import heapq
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Site, snapshot

import statuspage
from statuspage.cli import TerminalProgress, main
from statuspage.cli import site as cli_site
from statuspage.inputs import gather
from statuspage.outputs import feeds

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import contenders
from generate import BUILD_TIME, generate
from readme import README_MARKS, replace_report


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(400, folder)
    return folder


def test_generated_sites_are_valid_and_believable(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(generated / "statuspage.toml"), "--now", BUILD_TIME]) == 0
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("OK: " + str(generated / "statuspage.toml") + " and 400 notes are valid.")
    )
    inputs = gather(generated / "statuspage.toml", BUILD_TIME)
    incidents = inputs.incidents
    maintenance = [i for i in incidents if i.is_maintenance]
    assert 0.02 < len(maintenance) / len(incidents) < 0.1
    assert {len(i.updates) for i in incidents if not i.is_maintenance} == {1, 2, 3, 4, 5}
    assert {len(i.component_ids) for i in incidents} == {1, 2, 3}
    assert {i.impact.value for i in incidents if not i.is_maintenance} == {"minor", "major", "critical"}
    years = {i.start.year for i in incidents}
    assert len(years) >= 5
    ongoing = [i for i in incidents if i.end is None or i.end > inputs.now]
    assert 2 <= len(ongoing) <= 5
    assert len(inputs.config.components) == 12
    assert len({c.group for c in inputs.config.components}) == 4


def test_generation_is_deterministic(generated: Path, tmp_path: Path) -> None:
    generate(400, tmp_path)
    assert snapshot(tmp_path / "incidents") == snapshot(generated / "incidents")
    assert (tmp_path / "statuspage.toml").read_bytes() == (generated / "statuspage.toml").read_bytes()


def test_feed_entries_equal_a_scan_of_every_update(generated: Path) -> None:
    inputs = gather(generated / "statuspage.toml", BUILD_TIME)
    everything = [(u.at, i.slug, u.anchor) for i in inputs.incidents for u in i.updates if u.at <= inputs.now]
    site = inputs.site()
    posted = site.summary.by_latest_update
    for limit in (1, 7, 50, 5000):
        expected = heapq.nlargest(limit, everything)
        entries = feeds.latest_entries(posted, site.summary, limit)
        assert [(e.update.at, e.incident.slug, e.update.anchor) for e in entries] == expected


def test_progress_is_one_rewritten_line() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, after=0)
    progress("Reading notes", 10, 20)
    progress("Reading notes", 20, 20)
    progress("Rendering pages", 3, 3)
    progress("Rendering pages", 1, 9)  # too soon after the last: skipped
    progress.clear()
    assert stream.getvalue() == (
        "\rReading notes: 10/20\rReading notes: 20/20\rRendering pages: 3/3\r                    \r"
    )


def test_progress_shows_only_on_a_terminal(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    site.note(
        "2026-03-14-login.md", "---\ntitle: Login\nstarted: 2026-03-14 09:00\nresolved: 2026-03-14 10:00\n---\nFixed.\n"
    )
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli_site, "PROGRESS_AFTER", 0)
    assert main(["build", "--config", str(site.config_path), "--now", "2026-03-20T12:00Z"]) == 0
    # The counter line is wiped before the summary is logged on the same line.
    shown = terminal.getvalue()
    counter = re.match(r"\rReading notes: 1/1\rRendering pages: (\d+)/\1\r( +)\rBuilt \d+ files", shown)
    assert counter, shown
    assert len(counter[2]) == len(f"Rendering pages: {counter[1]}/{counter[1]}")
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["build", "--config", str(site.config_path), "--now", "2026-03-20T12:00Z", "-q"]) == 0
    assert quiet.getvalue() == ""


def test_each_contender_runs_its_own_checkout_whatever_the_working_folder(tmp_path: Path) -> None:
    """A copy of the package in the working folder must not stand in for the checkout named."""
    impostor = tmp_path / "statuspage"
    impostor.mkdir()
    (impostor / "__main__.py").write_text("print('the working folder')\n", encoding="utf-8")
    ours = contenders.Statuspage("ours", contenders.ROOT)
    shown = subprocess.run([*ours.python, "--version"], env=ours.env, cwd=tmp_path, capture_output=True, text=True)
    assert shown.stdout.strip() == f"statuspage {statuspage.__version__}"


def test_the_readme_report_replaces_only_what_is_between_the_marks(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    start, end = README_MARKS
    readme.write_text(f"# Speed\n\n{start}\nold table\n{end}\n\nAfter.\n", encoding="utf-8")
    replace_report(readme, "| new | table |")
    assert readme.read_text(encoding="utf-8") == f"# Speed\n\n{start}\n| new | table |\n{end}\n\nAfter.\n"
    readme.write_text("no marks\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="needs one"):
        replace_report(readme, "| new | table |")
    assert readme.read_text(encoding="utf-8") == "no marks\n"


def test_the_phase_timer_times_every_phase_of_a_real_rebuild(tmp_path: Path) -> None:
    """benchmarks/phases.py wraps pipeline functions by name: a renamed one must fail here, not in a
    profiling session; the top-level phases run one after another, so they fit in the build."""
    folder = tmp_path / "site"
    generate(40, folder)
    assert main(["build", "--config", str(folder / "statuspage.toml"), "--now", BUILD_TIME, "--quiet"]) == 0
    notes = {path: path.read_bytes() for path in (folder / "incidents").glob("*.md")}
    script = Path(__file__).parents[1] / "benchmarks" / "phases.py"
    top = ("gather", "site", "render (plan)", "lint", "write (renders)")
    for mode in (["rebuild"], ["saves", "--gap", "0"], ["saves", "--gap", "0", "--clock"]):
        shown = subprocess.run(
            [sys.executable, str(script), *mode, str(folder), "--repeat", "2"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        phases = {m[1]: float(m[2]) for m in re.finditer(r"^ *(\S.*?) +([\d.]+) ms$", shown, re.M)}
        assert {"imports", "cache.open", "summary parts", "uptime sweeps", *top, "build"} - phases.keys() <= (
            set() if mode == ["rebuild"] else {"imports"}
        ), shown
        assert sum(phases[label] for label in top) <= phases["build"] * 1.01, shown
    # each mode edits the note run.py edits, and puts it back
    assert {path: path.read_bytes() for path in (folder / "incidents").glob("*.md")} == notes
    assert contenders.Statuspage("ours", folder).victim(folder) in notes
