"""Benchmark whole `statuspage build` runs on generated sites of growing size.

    pip install -e '.[bench]'
    python benchmarks/run.py                         # 100, 1,000, 10,000 and 100,000 notes
    python benchmarks/run.py --sizes 100,1000 --repeat 3

For each size: a cold build (no site, no cache), a rebuild with nothing changed, a rebuild
after one note changed, and one after a note was added. Each is the wall time of a whole
`statuspage build` process, the median of --repeat runs, with the CPU time and the peak
memory (proportional set size) of the process tree: the build and any workers it starts.
CPU time moves less than wall time on a busy machine. Then the live preview: the time from
saving a note to `statuspage serve` serving the changed page, as a browser reloading it sees
it (median of --repeat saves). Prints Markdown tables: the results, and the growth factors
between consecutive sizes (a per-note factor near 1 means linear).
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
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from generate import BUILD_TIME, generate

from statuspage.content import slugify

#: Seconds `statuspage serve` may take to serve its first build (a cold 100,000-note site is slow)...
STARTUP_SECONDS = 1200
#: ...and to serve a saved change.
SAVE_SECONDS = 60


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
    preview: float  # seconds from saving a note to `serve` serving the change
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

    saves = preview(folder, victim, repeat)

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
        preview=statistics.median(saves),
        peak_memory=max(r.peak_memory for r in everything),
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
        status_page=(site / "index.html").stat().st_size,
    )


def preview(folder: Path, note: Path, repeat: int) -> list[float]:
    """Save `note` `repeat` times under `statuspage serve`; the seconds until each change is served.

    Measured on the served page itself, not on the reload endpoint: that is what the browser shows.
    """
    port = _free_port()
    command = [sys.executable, "-m", "statuspage", "serve", "--config", str(folder / "statuspage.toml")]
    command += ["--port", str(port), "--now", BUILD_TIME, "--quiet"]
    page = f"http://127.0.0.1:{port}/incidents/{slugify(note.stem)}/"
    original = note.read_text(encoding="utf-8")
    with tempfile.TemporaryFile() as log:
        # A session of its own, so stopping it takes down anything it started.
        server = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        try:
            _wait_for(server, f"http://127.0.0.1:{port}/", "", STARTUP_SECONDS)
            seconds = []
            for _ in range(repeat):
                token = f"preview-{uuid.uuid4().hex}"
                saved = _save(note, original + f"\nEdited for benchmark {token}.\n")
                _wait_for(server, page, token, SAVE_SECONDS)
                seconds.append(time.perf_counter() - saved)
            return seconds
        except RuntimeError as error:
            log.seek(0)
            sys.exit(f"serve failed in {folder}: {error}\n{log.read().decode(errors='replace')}")
        finally:
            _stop(server)
            note.write_text(original, encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _save(path: Path, text: str) -> float:
    """Write as editors do (a temp file renamed over the note); return the moment of the save."""
    temp = path.with_name(f".{path.name}.tmp")  # a hidden name, which the watcher ignores
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return time.perf_counter()


def _wait_for(server: subprocess.Popen[bytes], url: str, token: str, seconds: float) -> None:
    """Fetch `url` every 20 ms until it answers 200 with `token` in the page."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        # Before its first build the server accepts connections but answers none, hence the timeout.
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if token.encode() in response.read():
                return
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not show {token or 'a page'} within {seconds} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl-C does; kill its whole session if it does not stop."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


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
        "| notes | cold build (CPU) | no change | one note changed (CPU) | one note added | preview after a save | peak memory | files | output | status page |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.notes:,} | {r.cold:.2f} s ({r.cold_cpu:.1f} s) | {r.unchanged:.2f} s "
            f"| {r.changed:.2f} s ({r.changed_cpu:.1f} s) | {r.added:.2f} s | {r.preview:.2f} s "
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
