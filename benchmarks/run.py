"""Benchmark whole `statuspage build` runs on generated sites, side by side with other builders.

    pip install -e '.[bench]'
    python benchmarks/run.py                                  # 1,000 and 10,000 notes: ours, Pelican, the floor
    python benchmarks/run.py --sizes 1000 --repeat 3 --only ours
    python benchmarks/run.py --against /tmp/base              # ours against another checkout (git worktree)

Every contender builds the same generated history in a folder of its own, and the runs are
interleaved (A B A B …) across contenders and sizes, so a machine that slows down mid-run
slows them all alike: read the ratios, which one run measures together, rather than the
absolute times.

For each size and contender: a cold build (no output, no cache), a rebuild with nothing
changed, a rebuild after one note changed and after one note was added (each a whole
process: wall time, CPU time of the process tree, peak memory as proportional set size),
and for statuspage the live preview: the time from saving a note to `statuspage serve`
serving the changed page, at the builds' `--now` and by the clock (then the pages showing
the time are made again on every save, as when an author previews). Prints Markdown tables: the results, the ratios to ours, and the
growth between sizes (a per-note factor near 1 means linear).
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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
import contenders
from generate import BUILD_TIME, generate
from readme import README_MARKS, replace_report

#: Seconds `statuspage serve` may take to serve its first build (a cold 100,000-note site is slow)...
STARTUP_SECONDS = 1200
#: ...and to serve a saved change.
SAVE_SECONDS = 60
KINDS = ("cold", "unchanged", "changed", "added")


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process tree
    peak_memory: int  # bytes, summed over the process tree


@dataclass
class Result:
    contender: str
    notes: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    preview: list[float] = field(default_factory=list)  # seconds from saving a note to serving it, at --now
    preview_clock: list[float] = field(default_factory=list)  # the same, served by the clock
    files: int = 0
    bytes: int = 0
    status_page: int = 0

    def median(self, kind: str) -> float:
        return statistics.median(r.seconds for r in self.runs[kind]) if self.runs.get(kind) else float("nan")

    def cpu(self, kind: str) -> float:
        return statistics.median(r.cpu for r in self.runs[kind]) if self.runs.get(kind) else float("nan")

    @property
    def peak_memory(self) -> int:
        return max((r.peak_memory for runs in self.runs.values() for r in runs), default=0)


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """One process: its wall time, its tree's CPU time and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=cwd)
    peak = _watch_memory(process.pid)
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(elapsed, cpu, peak())


def _memory(process: psutil.Process) -> int:
    """Proportional set size where the system has it: forked workers share pages with the build,
    and summing their RSS would count every shared page once per process."""
    try:
        return int(process.memory_full_info().pss)
    except (AttributeError, psutil.AccessDenied):
        return int(process.memory_info().rss)


def _watch_memory(pid: int) -> Callable[[], int]:
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


def measure(sizes: list[int], work: Path, chosen: list[contenders.Contender], repeat: int) -> list[Result]:
    """Every measurement for every size, sizes and contenders taking turns within each repetition:
    the growth from one size to the next is a ratio too, and a machine that slows down mid-run
    must not pass for a build that grows faster than its notes."""
    sites: dict[tuple[int, str], Path] = {}
    for notes in sizes:
        source = work / f"{notes}-notes"
        if not source.exists():
            generate(notes, source)
        for c in chosen:
            sites[notes, c.name] = c.prepare(source, work / f"{notes}-{c.name}")
    results = {(notes, name): Result(name, notes, {kind: [] for kind in KINDS}) for notes, name in sites}
    every = [(notes, contender) for notes in sizes for contender in chosen]

    def each(kind: str, step: Callable[[contenders.Contender, Path, int], None]) -> None:
        print(f"{kind}: {', '.join(f'{notes:,} {c.name}' for notes, c in every)}…", file=sys.stderr, flush=True)
        for n, (notes, contender) in itertools.product(range(repeat), every):
            folder = sites[notes, contender.name]
            step(contender, folder, n)
            results[notes, contender.name].runs[kind].append(run(*contender.build_command(folder)))

    def build_each(step: Callable[[contenders.Contender, Path], None]) -> None:
        for notes, contender in every:
            step(contender, folder := sites[notes, contender.name])
            run(*contender.build_command(folder))

    each("cold", lambda c, folder, n: c.clean(folder))
    each("unchanged", lambda c, folder, n: None)
    each("changed", lambda c, folder, n: c.edit(folder, n))
    build_each(lambda c, folder: c.restore(folder))
    each("added", lambda c, folder, n: c.add(folder, n))
    build_each(lambda c, folder: c.remove_added(folder))
    for notes, contender in every:
        folder, result = sites[notes, contender.name], results[notes, contender.name]
        if contender.serves:
            result.preview = preview(contender, folder, repeat)
            result.preview_clock = preview(contender, folder, repeat, pinned=False)
        output = contender.output(folder)
        files = [p for p in output.rglob("*") if p.is_file()]
        result.files, result.bytes = len(files), sum(p.stat().st_size for p in files)
        status_page = output / "index.html"
        result.status_page = status_page.stat().st_size if status_page.exists() else 0
    return list(results.values())


def preview(contender: contenders.Contender, folder: Path, repeat: int, pinned: bool = True) -> list[float]:
    """Save a note `repeat` times under `statuspage serve`; the seconds until each change is served.

    Measured on the served page itself, not on the reload endpoint: that is what the browser shows.
    Each save waits until the server is idle, so it measures a save, not the start-up's work.
    `pinned`: served at the builds' `--now`; else by the clock, as an author previews.
    """
    port = _free_port()
    command, env = contender.serve_command(folder, port, pinned)
    note = contender.victim(folder)
    page = f"http://127.0.0.1:{port}/{contender.page_of(note)}"
    original = note.read_text(encoding="utf-8")
    with tempfile.TemporaryFile() as log:
        # A session of its own, so stopping it takes down anything it started.
        server = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True, env=env)
        try:
            _wait_for(server, f"http://127.0.0.1:{port}/", "", STARTUP_SECONDS)
            seconds = []
            for _ in range(repeat):
                _settle(server)
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
    """Fetch `url` every 10 ms until it answers 200 with `token` in the page."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        # Before its first build the server accepts connections but answers none, hence the timeout.
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if token.encode() in response.read():
                return
        time.sleep(0.01)
    raise RuntimeError(f"{url} did not show {token or 'a page'} within {seconds} s")


def _settle(server: subprocess.Popen[bytes]) -> None:
    """Wait until the server is idle (under 5 % of a core for half a second), as it is when an
    author saves: not still busy with its start-up or with the last save's rebuild."""
    process = psutil.Process(server.pid)
    deadline = time.monotonic() + STARTUP_SECONDS
    while process.cpu_percent(interval=0.5) >= 5 and time.monotonic() < deadline:
        pass


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl-C does; kill its whole session if it does not stop."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


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


def _seconds(value: float) -> str:
    return "–" if value != value else f"{value:.2f} s"  # NaN: not measured


def tables(results: list[Result]) -> str:
    lines = [
        "| notes | builder | cold build (CPU) | no change | one note changed (CPU) | one note added | preview after a save (by the clock) | peak memory | files | status page |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        preview = (
            f"{statistics.median(r.preview):.2f} s ({statistics.median(r.preview_clock):.2f} s)" if r.preview else "–"
        )
        lines.append(
            f"| {r.notes:,} | {r.contender} | {_seconds(r.median('cold'))} ({r.cpu('cold'):.1f} s) "
            f"| {_seconds(r.median('unchanged'))} | {_seconds(r.median('changed'))} ({r.cpu('changed'):.1f} s) "
            f"| {_seconds(r.median('added'))} | {preview} | {r.peak_memory / 2**20:.0f} MB | {r.files:,} "
            f"| {r.status_page / 1000:.0f} kB |"
        )
    ours = {r.notes: r for r in results if r.contender == "ours"}
    others = [r for r in results if r.contender != "ours" and r.notes in ours]
    if others:
        lines += [
            "",
            "| notes | ours ÷ builder | cold build | cold CPU | no change | one note changed | one note added |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in others:
            mine = ours[r.notes]
            ratios = [mine.median(k) / r.median(k) for k in ("cold",)] + [mine.cpu("cold") / r.cpu("cold")]
            ratios += [mine.median(k) / r.median(k) for k in ("unchanged", "changed", "added")]
            lines.append(f"| {r.notes:,} | {r.contender} | " + " | ".join(f"{x:.2f}×" for x in ratios) + " |")
    mine = sorted(ours.values(), key=lambda r: r.notes)
    if len(mine) > 1:
        lines += [
            "",
            "| growth (ours) | notes | cold build | cold build per note (CPU) | memory per note | one note changed |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for a, b in itertools.pairwise(mine):
            notes = b.notes / a.notes
            lines.append(
                f"| {a.notes:,} → {b.notes:,} | {notes:.0f}× | {b.median('cold') / a.median('cold'):.1f}× "
                f"| {b.median('cold') / a.median('cold') / notes:.2f}× ({b.cpu('cold') / a.cpu('cold') / notes:.2f}×) "
                f"| {b.peak_memory / a.peak_memory / notes:.2f}× | {b.median('changed') / a.median('changed'):.1f}× |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated note counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--only", default=None, help=f"comma-separated contenders (of: {', '.join(contenders.NAMES)})")
    parser.add_argument("--against", type=Path, default=None, help="also time the statuspage checkout in this folder")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated sites (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help=f"put the report between the lines {' and '.join(README_MARKS)} of this file",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    chosen = contenders.choose(args.only.split(",") if args.only else None, args.against)

    work = args.work or Path(tempfile.mkdtemp(prefix="statuspage-bench-"))
    load_before = os.getloadavg()
    try:
        results = measure(sizes, work, chosen, args.repeat)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    report = (
        f"{datetime.now(UTC):%Y-%m-%d}, {machine()}\n"
        f"Load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}; "
        f"median of {args.repeat} runs, contenders and sizes interleaved; built as of {BUILD_TIME}.\n\n{tables(results)}"
    )
    print(report)
    if args.readme:
        replace_report(args.readme, report)
    if args.json:
        raw = [{**asdict(r), "medians": {k: r.median(k) for k in KINDS}} for r in results]
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
