"""Where a rebuild's time goes, phase by phase: the profile `run.py`'s totals do not show.

    python benchmarks/phases.py rebuild FOLDER   # one note changed, each build a new process
    python benchmarks/phases.py saves FOLDER [--clock]   # saves in one process, as `serve` builds

FOLDER is a site from `generate.py` (built once before, so the caches are warm). Each phase
is the wall time of one function of the pipeline, summed over its calls in a build; phases
nest (`gather` holds `notes.load`, `write` renders the pages it does not keep), so they do
not add up to the build. A profiler would slow the Python-heavy phases several times over
and the C-heavy ones not at all; timing whole functions keeps their proportions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()

import contenders  # noqa: E402  (after STARTED: the imports are a phase too)
from generate import BUILD_TIME  # noqa: E402

from statuspage import build, inputs, lint, storage  # noqa: E402
from statuspage.core import status  # noqa: E402
from statuspage.notes import cache, load  # noqa: E402
from statuspage.publish import ledger  # noqa: E402

IMPORTED = time.perf_counter() - STARTED

#: (owner, attribute, label): the functions timed, in pipeline order.
PHASES: tuple[tuple[Any, str, str], ...] = (
    (build, "gather", "gather"),
    (cache.NoteCache, "open", "  cache.open"),
    (load, "listing", "  listing"),
    (load, "_parse_all", "  decode+parse"),
    (cache.NoteCache, "save", "  cache.save"),
    (inputs.Inputs, "site", "site"),
    (status, "_PARTS", "  summary parts"),
    (status._Sweeps, "uptime", "  uptime sweeps"),
    (build, "render", "render (plan)"),
    (lint, "check", "lint"),
    (ledger.PageLedger, "open", "ledger.open"),
    (build, "write", "write (renders)"),
    (ledger.PageLedger, "save", "ledger.save"),
)


def timed(seconds: dict[str, float]) -> None:
    """Wrap every phase so that its wall time is added to `seconds[label]`."""
    for owner, attribute, label in PHASES:
        original = getattr(owner, attribute)

        def wrapper(*args: Any, _original: Callable[..., Any] = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                seconds[_label] = seconds.get(_label, 0.0) + time.perf_counter() - started

        setattr(owner, attribute, wrapper)


def one_rebuild(folder: Path) -> dict[str, float]:
    """This process's one build (the note was changed before it started), by phase."""
    seconds = {"imports": IMPORTED}
    timed(seconds)
    started = time.perf_counter()
    build.build(folder / "statuspage.toml", now=BUILD_TIME)
    seconds["build"] = time.perf_counter() - started
    return seconds


def saves(folder: Path, count: int, clock: bool, gap: float) -> list[dict[str, float]]:
    """`count` saves of one note, each built in this process as `serve` does, `gap` seconds apart
    (by the clock, the pages that show today's uptime change from second to second)."""
    storage.remember()
    config, note, now = folder / "statuspage.toml", victim(folder), None if clock else BUILD_TIME
    build.build(config, now=now)
    build.build(config, now=now, changed=set())  # the preview's warming build
    runs: list[dict[str, float]] = []
    seconds: dict[str, float] = {}
    timed(seconds)
    original = note.read_bytes()
    try:
        for n in range(count):
            time.sleep(gap)
            with note.open("a", encoding="utf-8") as file:
                file.write(f"\nSaved for the phases {n}.\n")
            seconds.clear()
            started = time.perf_counter()
            build.build(config, now=now, changed={note})
            runs.append({**seconds, "build": time.perf_counter() - started})
    finally:
        note.write_bytes(original)
    return runs


def victim(folder: Path) -> Path:
    """The note `run.py` edits."""
    return contenders.Contender().victim(folder)


def report(runs: list[dict[str, float]]) -> None:
    labels = ["imports", *(label for _, _, label in PHASES), "build"]
    for label in labels:
        values = [run[label] for run in runs if label in run]
        if values:
            print(f"{label:18s} {statistics.median(values) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("rebuild", "saves", "one"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clock", action="store_true", help="saves: build by the clock, not at the pinned --now")
    parser.add_argument("--gap", type=float, default=1.1, help="saves: seconds between saves")
    args = parser.parse_args()
    folder = args.folder.resolve()
    if args.mode == "one":  # a child of `rebuild`: print this process's phases
        print(json.dumps(one_rebuild(folder)))
        return
    if args.mode == "saves":
        runs = saves(folder, args.repeat, args.clock, args.gap)
    else:
        runs, note = [], victim(folder)
        original = note.read_text(encoding="utf-8")
        try:
            for n in range(args.repeat):
                note.write_text(original + f"\nEdited for the phases {n}.\n", encoding="utf-8")
                child = [sys.executable, __file__, "one", str(folder)]
                runs.append(json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout))
        finally:
            note.write_text(original, encoding="utf-8")
    print(f"medians of {len(runs)}, {args.mode}{' by the clock' if args.clock else ''}, {folder}")
    report(runs)


if __name__ == "__main__":
    main()
