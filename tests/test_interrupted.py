"""Interrupted and competing builds, and disks that refuse to be written.

`site/` must always be the complete old site or the complete new one: never missing, never
half-written, never a mix. The stress tests kill real `statuspage build` processes with SIGKILL
at random moments and compare every file with reference builds.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONFIG, Site, snapshot

NOW_A = "2026-03-20T12:00Z"
NOW_B = "2026-03-20T13:00Z"  # every page shows the build time, so every page differs from A
NOTES = 100
#: Run the CLI with the two-rename swap that platforms without renameat2 get.
WITHOUT_EXCHANGE = (
    "import statuspage.output as o; o._exchange = lambda a, b: False; "
    "from statuspage.cli import main; raise SystemExit(main())"
)


def make_project(root: Path, notes: int = NOTES) -> Path:
    (root / "statuspage.toml").write_text(CONFIG)
    (root / "incidents").mkdir()
    for n in range(notes):
        day, month = 1 + n % 28, 1 + (n // 28) % 3
        (root / "incidents" / f"n{n:03d}.md").write_text(
            f"---\ntitle: Incident {n}\ncomponents:\n  api: partial_outage\n---\n"
            f"## 2026-0{month}-{day:02d} 10:00 · Investigating\nLooking.\n\n"
            f"## 2026-0{month}-{day:02d} 11:00 · Resolved\nFixed.\n"
        )
    return root


def start_build(root: Path, now: str, fallback: bool = False) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", WITHOUT_EXCHANGE] if fallback else [sys.executable, "-m", "statuspage"]
    return subprocess.Popen(
        [*command, "build", "--config", str(root / "statuspage.toml"), "--now", now, "-q"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site.") and p.name != ".site.lock")


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The complete sites A and B, built undisturbed."""
    root = make_project(tmp_path_factory.mktemp("reference"))
    result = {}
    for name, now in (("A", NOW_A), ("B", NOW_B)):
        code, err = finish(start_build(root, now))
        assert code == 0, err
        result[name] = snapshot(root / "site")
    assert result["A"].keys() == result["B"].keys() and len(result["A"]) > NOTES
    assert all(result["A"][f] != result["B"][f] for f in result["A"] if f.endswith(".html"))
    return result


def which(site: Path, references: dict[str, dict[str, bytes]]) -> str:
    current = snapshot(site)
    return next((name for name, files in references.items() if files == current), "a mix")


def wait_for_writing(process: subprocess.Popen[str], root: Path) -> float:
    """Wait until the build starts writing its staging folder; return when that was."""
    while process.poll() is None and not leftovers(root):
        time.sleep(0.001)
    return time.monotonic()


@pytest.mark.slow
@pytest.mark.parametrize("fallback", [False, True], ids=["renameat2", "two-renames"])
def test_sigkill_at_random_moments(tmp_path: Path, references: dict[str, dict[str, bytes]], fallback: bool) -> None:
    root = make_project(tmp_path)
    assert finish(start_build(root, NOW_A))[0] == 0
    # Time one undisturbed build and its writing phase, to spread the kills over both.
    started = time.monotonic()
    process = start_build(root, NOW_B)
    writing = wait_for_writing(process, root)
    assert finish(process)[0] == 0
    whole, write = time.monotonic() - started, time.monotonic() - writing
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    current, runs, mid_write, outcomes = "B", 24 if not fallback else 12, 0, []
    for run in range(runs):
        target = "A" if current == "B" else "B"
        process = start_build(root, NOW_A if target == "A" else NOW_B, fallback)
        if run % 2:  # any moment of the whole build
            time.sleep(chance.uniform(0, whole * 1.1))
        else:  # a moment while the new site is written and swapped in
            wait_for_writing(process, root)
            time.sleep(chance.uniform(0, write * 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        mid_write += bool(leftovers(root))
        if fallback and not (root / "site").exists():
            # Killed between the two renames: the old site waits beside it, and the next build restores it.
            (old,) = leftovers(root)
            assert old.startswith(".site.old-") and which(root / old, references) == current, f"seed {seed}"
            outcomes.append("between renames")
            continue
        state = which(root / "site", references)
        assert state in ("A", "B"), f"run {run}: site/ is {state} (seed {seed})"
        outcomes.append("old" if state == current else "new")
        current = state
    # Many kills landed while the new site was being written or swapped in, or this test proved nothing.
    assert mid_write >= runs // 4, (mid_write, outcomes, f"seed {seed}")
    code, err = finish(start_build(root, NOW_A, fallback))
    assert (code, err) == (0, "")
    assert which(root / "site", references) == "A"
    assert leftovers(root) == []


def test_a_second_build_waits_for_no_one_and_says_why(site: Site) -> None:
    site.note("a.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nBody.\n")
    assert site.build().code == 0
    before = snapshot(site.out)
    with open(site.root / ".site.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        run = site.build(now="2026-03-20T13:00Z")
    assert run.code == 1
    assert run.err == f"error: another build is writing {site.out} right now; wait for it to finish and try again\n"
    assert snapshot(site.out) == before
    assert site.build(now="2026-03-20T13:00Z").code == 0  # the lock is free again


@pytest.mark.slow
def test_builds_started_together_never_mix(tmp_path: Path, references: dict[str, dict[str, bytes]]) -> None:
    root = make_project(tmp_path)
    for _ in range(4):
        first, second = start_build(root, NOW_A), start_build(root, NOW_B)
        results = [finish(first), finish(second)]
        for code, err in results:
            assert code == 0 or err == (
                f"error: another build is writing {root / 'site'} right now; wait for it to finish and try again\n"
            ), err
        assert any(code == 0 for code, _ in results)  # the lock turns one away at most
        assert which(root / "site", references) in ("A", "B")
        assert leftovers(root) == []


# -- disks that refuse ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real tmpfs of 2 MB (root only): writes fail with the kernel's own errors."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_a_full_disk_leaves_the_old_site(site: Site, small_disk: Path) -> None:
    site.note("a.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nBody.\n")
    out = small_disk / "site"
    assert site.build("--out", str(out)).code == 0
    before = snapshot(out)
    filler = small_disk / "filler"
    with filler.open("wb") as handle:  # fill the disk, then free 8 kB so the next build starts writing
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    os.truncate(filler, filler.stat().st_size - 8192)
    run = site.build("--out", str(out), now="2026-03-20T13:00Z")
    assert run.code == 1
    assert run.err == f"error: cannot write {out}: No space left on device; the previous site is unchanged\n"
    assert snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [".site.lock", "filler", "site"]


def test_a_read_only_disk_leaves_the_old_site(site: Site, small_disk: Path) -> None:
    site.note("a.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nBody.\n")
    out = small_disk / "site"
    assert site.build("--out", str(out)).code == 0
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    run = site.build("--out", str(out), now="2026-03-20T13:00Z")
    assert run.code == 1
    assert run.err == f"error: cannot write {out}: Read-only file system; the previous site is unchanged\n"
    assert snapshot(out) == before
