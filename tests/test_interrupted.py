"""Interrupted and competing builds, and disks that refuse to be written.

`site/` must always be the complete old site or the complete new one: never missing, never
half-written, never a mix. The stress tests kill real `statuspage build` processes with SIGKILL
at random moments and compare every file with reference builds.

The writer keeps the site replaced by each build as `.site.spare` and updates it in place into
the next site (files whose bytes did not change are hard-linked from `site/`), then swaps it in.
So the builds cycle through sites chosen to make that hard. A, B and C have different components
(whole folders of pages come and go) and differ in every common file but the marker (the title,
URL and component names, which every file shows). Each is rebuilt an hour later ("A+1h"), as a
scheduled build does, which rewrites only the few files that show the time and hard-links the
rest. So the spare (two states back) never already holds the target, every kill while writing
interrupts a real, partial update of it, and after each "+1h" build the spare shares most of its
files with `site/`: the next build must replace them, never write through them.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Site, snapshot

from statuspage import storage
from statuspage.core.addresses import MARKER

NOW, LATER = "2026-03-20T12:00Z", "2026-03-20T13:00Z"
#: The sites the builds cycle through, as (config, --now), in order.
STATES = {
    "A": ("a", NOW),
    "A+1h": ("a", LATER),
    "B": ("b", NOW),
    "B+1h": ("b", LATER),
    "C": ("c", NOW),
    "C+1h": ("c", LATER),
}
#: Each site's components: between sites, component pages come and go (the spare must lose them).
COMPONENTS = {"a": ("web", "login", "api"), "b": ("web", "api", "db"), "c": ("web", "login", "api", "db")}
NOTES = 100
SPARE = ".site.spare"
#: Run the CLI with the two-rename swap that platforms without renameat2 get.
WITHOUT_EXCHANGE = "import statuspage.publish.writer as o; o._exchange = lambda a, b: False"
#: ... and die right after moving the old site aside, before the new one moves in.
#: Holds the lock a while before swapping: a build takes a few milliseconds to write, and two
#: builds started together must meet at the lock however fast the machine.
SLOW_SWAP = """
import time, statuspage.publish.writer as o
swap = o._swap
o._swap = lambda staging, site: (time.sleep(0.5), swap(staging, site))[1]
"""
DIE_BETWEEN_RENAMES = f"""{WITHOUT_EXCHANGE}
import os, signal
rename = os.rename
def rename_then_die(source, destination):
    rename(source, destination)
    if ".site.old-" in str(destination):
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename_then_die
"""
#: Die just before the page ledger's temporary file replaces `.statuspage-cache/pages.json`.
DIE_BEFORE_SAVING_THE_LEDGER = """
import os, signal
replace = os.replace
def die_before_the_ledger(source, destination):
    if str(destination).endswith("pages.json"):
        os.kill(os.getpid(), signal.SIGKILL)
    replace(source, destination)
os.replace = die_before_the_ledger
"""
LOCKED = "error: another build is writing {} right now; wait for it to finish and try again\n"

References = dict[str, dict[str, bytes]]


def make_project(root: Path, notes: int = NOTES) -> Path:
    """One set of notes and a config per site (`a.toml`, …), all building into `root/site`."""
    root.mkdir(exist_ok=True)
    for name, components in COMPONENTS.items():
        (root / f"{name}.toml").write_text(
            f'title = "Status {name.upper()}"\nurl = "https://{name}.status.test/"\ntimezone = "Europe/Berlin"\n'
            + "".join(f'\n[[components]]\nid = "{c}"\nname = "{name.upper()} {c}"\n' for c in components)
        )
    (root / "incidents").mkdir()
    for n in range(notes):
        day, month = 1 + n % 28, 1 + (n // 28) % 3
        (root / "incidents" / f"n{n:03d}.md").write_text(
            f"---\ntitle: Incident {n}\ncomponents:\n  api: partial_outage\n---\n"
            f"## 2026-0{month}-{day:02d} 10:00 · Investigating\nLooking.\n\n"
            f"## 2026-0{month}-{day:02d} 11:00 · Resolved\nFixed.\n"
        )
    return root


def following(state: str) -> str:
    names = list(STATES)
    return names[(names.index(state) + 1) % len(names)]


def start_build(root: Path, state: str, patch: str = "") -> subprocess.Popen[str]:
    """`statuspage build` of one state in a new process, with `patch` run first if given."""
    config, now = STATES[state]
    command = (
        ["-c", f"{patch}\nfrom statuspage.cli import main\nraise SystemExit(main())"] if patch else ["-m", "statuspage"]
    )
    return subprocess.Popen(
        [sys.executable, *command, "build", "--config", str(root / f"{config}.toml"), "--now", now, "-q"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def leftovers(root: Path) -> list[str]:
    """What a killed build leaves for the next one to remove: a fresh staging folder, or the old
    site moved aside for a two-rename swap. The spare and the lock file are kept on purpose."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site.tmp-", ".site.old-")))


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> References:
    """Every state's complete site, each built undisturbed into a fresh folder (no spare)."""
    result = {}
    for state in STATES:
        root = make_project(tmp_path_factory.mktemp(f"reference-{state}"))
        assert finish(start_build(root, state)) == (0, "")
        result[state] = snapshot(root / "site")
    for x, y in itertools.combinations(STATES, 2):
        same = [f for f in result[x].keys() & result[y].keys() if result[x][f] == result[y][f]]
        if STATES[x][0] == STATES[y][0]:  # an hour later: the status page changed, the incident pages did not
            assert result[x].keys() == result[y].keys() and "index.html" not in same and len(same) > NOTES, (x, y)
        else:  # another site: other component pages, and no file the same but the marker and the
            # favicons, which show only the status
            assert result[x].keys() != result[y].keys(), (x, y)
            assert set(same) <= {MARKER, "favicon.svg", "favicon.png"} and MARKER in same, (x, y)
    return result


def which(folder: Path, references: References) -> str:
    current = snapshot(folder)
    return next((name for name, files in references.items() if files == current), "a mix")


def _identity(path: Path) -> tuple[int, int] | None:
    """Inode and mtime, which a rewrite or a new link changes even when the bytes stay the same."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def identities(folder: Path) -> dict[str, tuple[int, int] | None]:
    return {str(p.relative_to(folder)): _identity(p) for p in folder.rglob("*") if p.is_file()}


def staged(root: Path, path: str) -> tuple[int, int] | None:
    """The identity of `path` in the staging folder: the spare, or a fresh one when there is none."""
    folder = root / SPARE if (root / SPARE).is_dir() else next(root.glob(".site.tmp-*"), None)
    return None if folder is None else _identity(folder / path)


def wait_until_staged(process: subprocess.Popen[str], root: Path, path: str) -> None:
    """Wait until the build begins writing a new `path` into its staging folder (or has swapped or ended)."""
    before, site = staged(root, path), _identity(root / "site")
    while process.poll() is None and staged(root, path) in (before, None) and _identity(root / "site") == site:
        time.sleep(0.0002)


def wait_until_swapped(process: subprocess.Popen[str], root: Path, site: tuple[int, int] | None) -> None:
    """Wait until `site/` is another folder than the one whose identity was `site` (or the build ended)."""
    while process.poll() is None and _identity(root / "site") in (site, None):
        time.sleep(0.0002)


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
@pytest.mark.parametrize("fallback", [False, True], ids=["renameat2", "two-renames"])
def test_sigkill_at_random_moments(tmp_path: Path, references: References, fallback: bool) -> None:
    root, patch = make_project(tmp_path), WITHOUT_EXCHANGE if fallback else ""
    assert finish(start_build(root, "A", patch)) == (0, "")
    common = set.intersection(*(set(files) for files in references.values())) - {MARKER}
    last = max(common, key=lambda f: os.stat(root / "site" / f).st_mtime_ns)  # (among) the last written
    assert finish(start_build(root, "A+1h", patch)) == (0, "")
    # Time one undisturbed build, and from when it begins writing its last file until the swap.
    started, site = time.monotonic(), _identity(root / "site")
    process = start_build(root, "B", patch)
    wait_until_staged(process, root, last)
    late = time.monotonic()
    wait_until_swapped(process, root, site)
    swap = time.monotonic() - late
    assert finish(process) == (0, "")
    whole = time.monotonic() - started
    assert (which(root / "site", references), which(root / SPARE, references), leftovers(root)) == ("B", "A+1h", [])
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    current, runs, outcomes = "B", 24 if not fallback else 12, []
    for run in itertools.count():  # the last run kills mid-update, leaving a half-updated spare
        # Whether a kill lands while the spare is half updated is up to timing, and there is no
        # spare to update from a run that removes it until a build ends: so up to 8 runs more,
        # each killed mid-update (or let finish if the spare is missing or complete), until
        # enough of them did.
        topping_up = run >= runs
        if topping_up and (outcomes.count("old, spare partial") >= runs // 12 or run >= runs + 8):
            break
        if run % 8 == 4 and not topping_up:  # no spare, as before a site's first swap: the build stages afresh
            shutil.rmtree(root / SPARE, ignore_errors=True)
        target, had_spare, left_before = following(current), (root / SPARE).is_dir(), leftovers(root)
        spare_before = identities(root / SPARE) if had_spare else {}
        # A page it has to write or link anew (after a killed attempt the spare may hold some already).
        pages = sorted(f for f in references[target] if f.endswith(".html"))  # each rendered as it is written
        todo = [f for f in pages if _identity(root / SPARE / f) != _identity(root / "site" / f)]
        moment = "mid-update" if topping_up else ("any", "swap", "mid-update")[run % 3]
        if topping_up and not (had_spare and which(root / SPARE, references) != target):
            moment = "none"  # let it finish, for a spare to update next
        path = last if moment == "swap" else chance.choice(todo or pages)
        process = start_build(root, target, patch)
        if moment == "none":
            assert finish(process) == (0, ""), f"run {run}, seed {seed}"
        elif moment == "any":  # any moment of the whole build
            time.sleep(chance.uniform(0, whole * 1.1))
        elif moment == "swap":  # around the swap: a moment after it begins writing its last file
            wait_until_staged(process, root, path)
            time.sleep(chance.uniform(0, swap * 2))
        else:  # mid-update: just after it begins writing a random one of its pages
            wait_until_staged(process, root, path)
        kill(process)
        context = f"run {run}, {current} → {target}, {path}, seed {seed}, so far {outcomes}"
        left = leftovers(root)
        if not (root / "site").exists():
            # Killed between the two renames: the old site waits beside the complete new one,
            # and the next build puts the old one back first.
            assert fallback, context
            old = [name for name in left if name.startswith(".site.old-")]
            staging = root / SPARE if had_spare else root / next(n for n in left if n.startswith(".site.tmp-"))
            assert len(old) == 1 and len(left) == (1 if had_spare else 2), (left, context)
            assert (which(root / old[0], references), which(staging, references)) == (current, target), context
            outcomes.append("between renames")
            continue
        state = which(root / "site", references)
        assert state in (current, target), f"site/ is {state}: {context}"
        if state == target:
            # The replaced site is kept whole: as the spare, or as a leftover the next build removes.
            replaced = left or [SPARE]
            assert [which(root / r, references) for r in replaced] == [current], (replaced, context)
            outcomes.append("new, swapping" if left else "new")
            current = target
        elif had_spare and identities(root / SPARE) != spare_before:
            complete = which(root / SPARE, references) == target
            outcomes.append("old, spare complete" if complete else "old, spare partial")
        elif left and left != left_before:  # a fresh staging folder, for the next build to remove
            outcomes.append("old, staging folder left")
        else:
            outcomes.append("old, not writing yet")
    # Many kills landed while the new site was being written or swapped in, and many of them
    # left a half-updated spare for a later build to repair, or this test proved nothing.
    mid_write = [o for o in outcomes if o.startswith(("old, s", "new, swapping", "between"))]
    assert len(mid_write) >= runs // 4, (outcomes, f"seed {seed}")
    assert outcomes.count("old, spare partial") >= runs // 12, (outcomes, f"seed {seed}")
    assert any(o.startswith("new") for o in outcomes), (outcomes, f"seed {seed}")
    # The next build cleans up after it all and leaves a complete spare, which the one after uses.
    for _ in range(2):
        target = following(current)
        assert finish(start_build(root, target, patch)) == (0, "")
        assert which(root / "site", references) == target
        assert which(root / SPARE, references) == current
        assert leftovers(root) == []
        current = target


def test_a_build_killed_between_the_two_renames_is_repaired_by_the_next(tmp_path: Path) -> None:
    """Without renameat2 the old site is moved aside before the new one moves in; a kill in
    between leaves no `site/` for a moment, and the next build puts the old site back first."""
    root = make_project(tmp_path / "project", notes=3)
    sites = {}
    for state in ("A", "B", "C"):
        fresh = make_project(tmp_path / state, notes=3)
        assert finish(start_build(fresh, state)) == (0, "")
        sites[state] = snapshot(fresh / "site")
    for state in ("A", "B"):
        assert finish(start_build(root, state)) == (0, "")
    process = start_build(root, "C", DIE_BETWEEN_RENAMES)
    assert finish(process) == (-signal.SIGKILL, "")
    assert not (root / "site").exists()
    assert leftovers(root) == [f".site.old-{process.pid}"]
    assert snapshot(root / f".site.old-{process.pid}") == sites["B"]
    assert snapshot(root / SPARE) == sites["C"]  # the new site, complete but not yet in place
    assert finish(start_build(root, "C", WITHOUT_EXCHANGE)) == (0, "")
    assert snapshot(root / "site") == sites["C"]
    assert snapshot(root / SPARE) == sites["B"]  # put back in place, then replaced by the swap
    assert leftovers(root) == []


def test_a_build_killed_while_saving_its_cache_leaves_nothing_behind(tmp_path: Path) -> None:
    """The page ledger and the note cache are saved through a temporary file and a rename."""
    root = make_project(tmp_path, notes=3)
    process = start_build(root, "A", DIE_BEFORE_SAVING_THE_LEDGER)
    assert finish(process) == (-signal.SIGKILL, "")
    assert finish(start_build(root, "A")) == (0, "")
    assert sorted(p.name for p in (root / ".statuspage-cache").iterdir()) == [
        "notes",
        "pages",
        "pages.json",
        "stamp.json",
        "templates",
    ]


def test_a_second_build_waits_for_no_one_and_says_why(site: Site) -> None:
    site.note("a.md", "---\ntitle: T\nstarted: 2026-03-14 09:00\n---\nBody.\n")
    assert site.build().code == 0
    before = snapshot(site.out)
    with open(site.root / ".site.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        run = site.build(now="2026-03-20T13:00Z")
    assert run.code == 1
    assert run.err == LOCKED.format(site.out)
    assert snapshot(site.out) == before
    assert site.build(now="2026-03-20T13:00Z").code == 0  # the lock is free again


@pytest.mark.slow
def test_builds_started_together_never_mix(tmp_path: Path, references: References) -> None:
    root = make_project(tmp_path)
    assert finish(start_build(root, "A")) == (0, "")
    current, refused = "A", 0
    for _ in range(6):
        first, second = following(current), following(following(current))
        processes = {state: start_build(root, state, SLOW_SWAP) for state in (first, second)}
        results = {state: finish(process) for state, process in processes.items()}
        built = [state for state, (code, _) in results.items() if code == 0]
        for code, err in results.values():
            assert (code, err) in ((0, ""), (1, LOCKED.format(root / "site"))), err
        assert built, results  # the lock turns one away at most
        site, spare = which(root / "site", references), which(root / SPARE, references)
        if len(built) == 1:  # the other was turned away and changed nothing
            assert (site, spare) == (built[0], current)
        else:  # one after the other: each replaced a complete site
            assert {site, spare} == {first, second}
        assert leftovers(root) == []
        refused += len(built) == 1
        current = site
    assert refused, "the two builds never overlapped, so the lock was never tested"


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


def test_the_temporary_files_of_dead_saves_are_removed_and_no_others(tmp_path: Path) -> None:
    """One listing of the folder serves every file given (the note cache has 64 shards)."""
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()  # its pid now belongs to no one
    names = [
        f".00.json.{gone.pid}.x1",
        f".01.json.{gone.pid}.x2",
        f".00.json.{os.getpid()}.x3",
        f".02.json.{gone.pid}.x4",
    ]
    for name in names:
        (tmp_path / name).write_text("half a save")
    storage.remove_orphans(tmp_path / "00.json", tmp_path / "01.json", tmp_path / "missing" / "00.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".00.json.{os.getpid()}.x3", f".02.json.{gone.pid}.x4"]
