"""Benchmark whole `statuspage build` runs on generated sites of growing size.

    pip install -e '.[bench]'
    python benchmarks/run.py                         # 100, 1,000, 10,000 and 100,000 notes
    python benchmarks/run.py --sizes 100,1000 --repeat 3

For each size: a cold build (no site, no cache), a rebuild with nothing changed, a rebuild
after one note changed, and one after a note was added. Each is the wall time of a whole
`statuspage build` process, the median of --repeat runs, with the CPU time and the peak
memory (proportional set size) of the process tree: the build and any workers it starts.
CPU time moves less than wall time on a busy machine. Prints Markdown tables: the results,
and the growth factors between consecutive sizes (a per-note factor near 1 means linear).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from generate import BUILD_TIME, generate


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process tree
    peak_memory: int  # bytes, summed over the process tree


@dataclass
class Result:
    notes: int
    cold: float
    cold_cpu: float
    unchanged: float
    changed: float
    changed_cpu: float
    added: float
    peak_memory: int
    files: int
    bytes: int
    status_page: int


def build(folder: Path) -> Run:
    """One `statuspage build` process; its wall time and the peak RSS of its process tree."""
    command = [sys.executable, "-m", "statuspage", "build", "--config", str(folder / "statuspage.toml")]
    command += ["--now", BUILD_TIME, "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak = _watch_memory(process.pid)
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"build failed in {folder}:\n{stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(elapsed, cpu, peak())


def _memory(process: psutil.Process) -> int:
    """Proportional set size where the system has it: forked workers share pages with the build,
    and summing their RSS would count every shared page once per process."""
    try:
        return int(process.memory_full_info().pss)
    except (AttributeError, psutil.AccessDenied):
        return int(process.memory_info().rss)


def _watch_memory(pid: int):  # type: ignore[no-untyped-def]
    """Poll the summed memory of a process and its children until it exits; return a getter."""
    peak = [0]

    def poll() -> None:
        try:
            root = psutil.Process(pid)
            while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
                total = 0
                for process in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += _memory(process)
                peak[0] = max(peak[0], total)
                time.sleep(0.01)
        except psutil.Error:
            pass

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()

    def result() -> int:
        thread.join()
        return peak[0]

    return result


def measure(notes: int, work: Path, repeat: int) -> Result:
    folder = work / str(notes)
    generate(notes, folder)
    site, cache = folder / "site", folder / ".statuspage-cache"

    cold = []
    for _ in range(repeat):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(build(folder))
    unchanged = [build(folder) for _ in range(repeat)]

    victim = sorted((folder / "incidents").glob("*.md"))[notes // 2]
    original = victim.read_text(encoding="utf-8")
    changed = []
    for n in range(repeat):
        victim.write_text(original + f"\nEdited for benchmark run {n}.\n", encoding="utf-8")
        changed.append(build(folder))
    victim.write_text(original, encoding="utf-8")
    build(folder)

    added = []
    for n in range(repeat):
        note = folder / "incidents" / f"2026-11-27-benchmark-added-{n}.md"
        note.write_text(
            "---\ntitle: Added by the benchmark\ncomponents:\n  api: partial_outage\n---\n\n"
            f"## 2026-11-27 10:{n % 60:02d} · Resolved\nDone.\n\n## 2026-11-27 09:00 · Investigating\nLooking.\n",
            encoding="utf-8",
        )
        added.append(build(folder))
        note.unlink()
        build(folder)

    files = [p for p in site.rglob("*") if p.is_file()]
    everything = cold + unchanged + changed + added
    return Result(
        notes=notes,
        cold=_median(cold),
        cold_cpu=statistics.median(r.cpu for r in cold),
        unchanged=_median(unchanged),
        changed=_median(changed),
        changed_cpu=statistics.median(r.cpu for r in changed),
        added=_median(added),
        peak_memory=max(r.peak_memory for r in everything),
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
        status_page=(site / "index.html").stat().st_size,
    )


def _median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()}, Python {platform.python_version()}"


def tables(results: list[Result]) -> str:
    lines = [
        "| notes | cold build (CPU) | no change | one note changed (CPU) | one note added | peak memory | files | output | status page |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.notes:,} | {r.cold:.2f} s ({r.cold_cpu:.1f} s) | {r.unchanged:.2f} s "
            f"| {r.changed:.2f} s ({r.changed_cpu:.1f} s) | {r.added:.2f} s "
            f"| {r.peak_memory / 2**20:.0f} MB | {r.files:,} | {r.bytes / 2**20:.1f} MB | {r.status_page / 1000:.0f} kB |"
        )
    if len(results) > 1:
        lines += [
            "",
            "| growth | notes | cold build | cold build per note | memory | one note changed |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for a, b in itertools.pairwise(results):
            notes = b.notes / a.notes
            lines.append(
                f"| {a.notes:,} → {b.notes:,} | {notes:.0f}× | {b.cold / a.cold:.1f}× "
                f"| {(b.cold / b.notes) / (a.cold / a.notes):.2f}× | {b.peak_memory / a.peak_memory:.1f}× "
                f"| {b.changed / a.changed:.1f}× |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000", help="comma-separated note counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated sites (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]

    work = args.work or Path(tempfile.mkdtemp(prefix="statuspage-bench-"))
    load_before = os.getloadavg()
    results = []
    try:
        for notes in sizes:
            print(f"{notes:,} notes…", file=sys.stderr, flush=True)
            results.append(measure(notes, work, args.repeat))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    print(f"{datetime.now(UTC):%Y-%m-%d}, {machine()}")
    print(f"Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}; median of {args.repeat} runs.\n")
    print(tables(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
