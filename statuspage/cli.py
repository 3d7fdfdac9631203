"""Command line: parse arguments, run a command, turn our errors into messages and exit codes.

No logic lives here. Every command returns an exit code; errors go to stderr as
`path:line: message`, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import build, gather
from .config import CONFIG_NAME
from .content import Progress
from .errors import ProblemsError, StatusPageError, display_path

log = logging.getLogger("statuspage")

#: Seconds a build runs before it shows its progress (a small site never does).
PROGRESS_AFTER = 1.0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="statuspage", description="Turn Markdown incident notes into a static status site."
    )
    top.add_argument("--version", action="version", version=f"statuspage {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument(
            "--config",
            type=Path,
            default=Path(CONFIG_NAME),
            metavar="PATH",
            help=f"the site's config (default: ./{CONFIG_NAME})",
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        return sub

    build_cmd = command("build", "Build the site into site/ (or --out).")
    build_cmd.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output folder (default: site/ beside the config)"
    )
    build_cmd.add_argument(
        "--now",
        default=None,
        metavar="TIME",
        help="build as if it were this time, e.g. 2026-03-14T09:41Z (default: SOURCE_DATE_EPOCH, else the clock)",
    )
    check_cmd = command("check", "Validate the config and every note; write nothing.")
    check_cmd.add_argument("--now", default=None, metavar="TIME", help="check as if it were this time")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr, force=True
    )
    try:
        if args.command == "build":
            return _build(args)
        return _check(args)
    except ProblemsError as error:
        for problem in error.problems:
            log.error("%s", problem)
        count = error.error_count
        log.error("%d error%s found; nothing was written.", count, "" if count == 1 else "s")
        return 1
    except StatusPageError as error:
        log.error("error: %s", error)
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; nothing was written.")
        return 130


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with _progress(args) as progress:
        result = build(args.config, out=args.out, now=args.now, progress=progress)
    for warning in result.inputs.warnings:
        log.warning("%s", warning)
    stats = result.stats
    log.info(
        "Built %d files (%d changed, %.1f kB) from %d notes into %s in %.2f s.",
        stats.files,
        stats.changed,
        stats.bytes / 1000,
        len(result.inputs.incidents),
        result.site,
        time.perf_counter() - started,
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    with _progress(args) as progress:
        inputs = gather(args.config, args.now, progress)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    count = len(inputs.incidents)
    log.info("OK: %s and %d note%s are valid.", display_path(args.config), count, "" if count == 1 else "s")
    return 0


class TerminalProgress:
    """ "Rendering pages: 4,000/10,405" on one rewritten line, for builds that take a while."""

    def __init__(self, stream: TextIO, after: float):
        self.stream = stream
        self.started = time.monotonic()
        self.after = after
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, what: str, done: int, total: int) -> None:
        moment = time.monotonic()
        if moment - self.started < self.after or (moment - self.shown_at < 0.1 and done < total):
            return
        self.shown_at = moment
        text = f"{what}: {done:,}/{total:,}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


@contextmanager
def _progress(args: argparse.Namespace) -> Iterator[Progress | None]:
    """Progress on stderr when a person is watching it; nothing in logs, pipes or with --quiet."""
    if args.quiet or not sys.stderr.isatty():
        yield None
        return
    progress = TerminalProgress(sys.stderr, PROGRESS_AFTER)
    try:
        yield progress
    finally:
        progress.clear()
