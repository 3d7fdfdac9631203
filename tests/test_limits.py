"""Resource limits: notes built to exhaust memory or time are refused with a clear message.

Each case runs `statuspage check` in a child process whose address space is capped, so a note
that made the build balloon would end in a MemoryError traceback and fail the test. The timeout
is only a hang guard for the test run, not a speed measurement (see docs/robustness.md).
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, NOW

MEMORY_CAP = 768 * 1024 * 1024
HANG_GUARD = 120  # seconds
HEADER = "---\ntitle: Big\nstarted: 2026-03-14 09:00\n---\n"


def check(root: Path) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "statuspage", "check", "--now", NOW],
        cwd=root,
        preexec_fn=cap,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "statuspage.toml").write_text(CONFIG)
    (tmp_path / "incidents").mkdir()
    return tmp_path


BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
    + "title: *i\n---\n"
)


def _sparse_note(path: Path) -> None:
    """A 50 MB note: a real header, then a hole the filesystem fills with zeros."""
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(50_000_000)


CASES = {
    # 9**9 = 387 million strings once expanded; without the refusal this takes gigabytes.
    "yaml alias bomb": (
        lambda path: path.write_text(BILLION_LAUGHS),
        "incidents/note.md:10: the front matter uses a YAML alias (&name and *name); write the value out each time instead",
    ),
    "50 MB note": (
        _sparse_note,
        "incidents/note.md: is larger than 256 kB, the limit for a note; link to long logs instead of pasting them",
    ),
    "100,000-line note": (
        lambda path: path.write_text(HEADER + "x\n" * 100_000),
        "incidents/note.md: has 100,004 lines; the limit is 10,000: link to long logs instead of pasting them",
    ),
    "10,000-level list in the front matter": (
        lambda path: path.write_text("---\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n---\n"),
        "incidents/note.md:2: the front matter is nested more than 8 levels deep; a note needs two at most",
    ),
    # Nesting is refused past 20 levels, before any HTML is made: no note needs it, and a page
    # of 10,000 nested lists is an attack on its readers' browsers.
    "10,000-level list in Markdown": (
        lambda path: path.write_text(HEADER + "- " * 10_000 + "deep\n"),
        "incidents/note.md:5: lists or quotes are nested more than 20 levels deep; a note needs a few at most",
    ),
    "10,000-level quote in Markdown": (
        lambda path: path.write_text(HEADER + "> " * 10_000 + "deep\n"),
        "incidents/note.md:5: lists or quotes are nested more than 20 levels deep; a note needs a few at most",
    ),
    # Inputs crafted against Python-Markdown's inline patterns (20 s and 150 s there).
    "25 kB of nested links": (lambda path: path.write_text(HEADER + "[" * 5_000 + "a" + "](b)" * 5_000 + "\n"), None),
    "30 kB of unclosed brackets": (lambda path: path.write_text(HEADER + "*[" * 15_000 + "\n"), None),
}


@pytest.mark.slow
@pytest.mark.parametrize(("make", "message"), CASES.values(), ids=CASES.keys())
def test_hostile_sizes_are_refused_in_bounded_memory(project: Path, make, message: str | None) -> None:  # type: ignore[no-untyped-def]
    make(project / "incidents" / "note.md")
    run = check(project)
    assert "Traceback" not in run.stderr
    if message is None:
        assert run.returncode == 0, run.stderr
    else:
        assert run.returncode == 1
        assert run.stderr.splitlines() == [message, "1 error found; nothing was written."]


@pytest.mark.slow
def test_big_real_notes_within_the_limits_build(project: Path) -> None:
    # A postmortem with a pasted log of 3,900 lines (about 250 kB) is within the limits.
    log = "".join(
        f"2026-03-14T09:{n % 60:02d}:00Z worker-{n % 7} request failed: timeout after 30s\n" for n in range(3900)
    )
    (project / "incidents" / "note.md").write_text(HEADER + "## Log\n\n```\n" + log + "```\n")
    assert (project / "incidents" / "note.md").stat().st_size > 245_000
    run = check(project)
    assert run.returncode == 0, run.stderr
    assert run.stderr == "OK: statuspage.toml and 1 note are valid.\n"


def test_huge_values_are_named_briefly(project: Path) -> None:
    """A number past Python's 4,300 digits is refused in words, and a long value is cut to
    about 80 characters in its message, so neither floods the terminal."""
    (project / "incidents" / "a.md").write_text(HEADER.replace("---\n", "---\nimpact: " + "1" * 5_000 + "\n", 1))
    (project / "incidents" / "b.md").write_text(
        HEADER.replace("---\n", "---\ncomponents:\n  web: " + "x" * 600 + "\n", 1)
    )
    run = check(project)
    assert run.returncode == 1
    first, second, summary = run.stderr.splitlines()
    assert (
        first
        == "incidents/a.md:2: the front matter has a value that cannot be read: a number has more than 4300 digits"
    )
    assert second.startswith("incidents/b.md:3: components.web: unknown component status 'xxx")
    shown = second.split("'")[1]
    assert "x...x" in shown and len(shown) <= 80
    assert summary == "2 errors found; nothing was written."
