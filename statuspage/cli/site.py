"""The commands that make the site: build, check, serve (and console), init."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from ..core.config import CONFIG_NAME, Config, site_root
from ..errors import Problem, StatusPageError, display_path

if TYPE_CHECKING:  # what each command needs is imported when it runs: a no-op build costs a glance
    from ..inputs import Fetch
    from ..workers import Progress

log = logging.getLogger("statuspage")

#: Seconds a build runs before it shows its progress (a small site never does).
PROGRESS_AFTER = 1.0


def build(args: argparse.Namespace) -> int:
    from ..notes.discover import listing
    from ..publish import stamp

    started = time.perf_counter()
    root = site_root(args.config)
    # The notes are looked at once: the stamp's key is made of this listing, and the build
    # finds it again (`changed=()`: nothing changed since), so what one vouches for the other builds.
    notes = [(note.name, identity) for note, identity in listing(root / "incidents")]
    seen = stamp.inputs_key(args.config, args.out, args.now, args.strict, notes)
    done = None if args.force else stamp.unchanged(seen, args.config, args.out, not args.offline)
    if done is not None:
        for warning in done.warnings:
            log.warning("%s", warning)
        site = display_path((args.out or root / "site").resolve())
        log.info(
            "Nothing to do: %s already holds what these %d notes make (%d files, %.1f kB; checked in %.2f s).",
            site,
            done.notes,
            done.files,
            done.bytes / 1000,
            time.perf_counter() - started,
        )
        return 0
    from ..build import build

    with _progress(args) as progress:
        result = build(
            args.config,
            out=args.out,
            now=args.now,
            progress=progress,
            strict=args.strict,
            fetch=_fetch(args),
            force=args.force,
            changed=(),
        )
    stamp.record(seen, args.config, result)
    for warning in result.inputs.warnings:
        log.warning("%s", warning)
    stats = result.stats
    log.info(
        "Built %d files (%d changed, %.1f kB) from %d note%s into %s in %.2f s.",
        stats.files,
        stats.changed,
        stats.bytes / 1000,
        len(result.inputs.incidents),
        "" if len(result.inputs.incidents) == 1 else "s",
        result.site,
        time.perf_counter() - started,
    )
    log.info("Look at it with `statuspage serve` (opened as files, its links lead to folders).")
    return 0


def check(args: argparse.Namespace) -> int:
    from ..build import check

    with _progress(args) as progress:
        inputs = check(args.config, args.now, progress, strict=args.strict)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    count = len(inputs.incidents)
    log.info("OK: %s and %d note%s are valid.", display_path(args.config), count, "" if count == 1 else "s")
    return 0


def serve(args: argparse.Namespace) -> int:
    from ..preview import server

    console = args.command == "console" or args.console
    if args.console_host and not console:
        raise StatusPageError("--console-host is for the console; add --console")

    def opened(link: str) -> None:
        """The link is the key: printed for whoever started the console, never logged."""
        print(f"Console: {link}", flush=True)
        if args.command == "console":
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(link,), daemon=True).start()

    server.run(
        args.config,
        args.port,
        args.now,
        _fetch(args),
        console=console,
        host=args.console_host or server.HOST,
        opened=opened,
    )
    return 0


def init(args: argparse.Namespace) -> int:
    from ..authoring import init, posting

    written = init.create(args.dir, posting.moment(args.now, init.ZONE))
    for path in written:
        if not args.quiet:
            print(display_path(path))
    config = display_path(args.dir / CONFIG_NAME)
    log.info(
        "Started a status site. Next: set the title, url, timezone and components in %s, "
        "preview with `statuspage serve --config %s`, then push to GitHub (see the README's Deploying section).",
        config,
        config,
    )
    return 0


def _fetch(args: argparse.Namespace) -> Fetch | None:
    """The network's part of gathering: the vendors' summaries, unless --offline."""
    return None if args.offline else _refresh


def _refresh(config: Config, now: datetime) -> list[Problem]:
    """`upstream.fetch.refresh`, imported (with the HTTP client under it) only by a site that
    follows vendors: for the others it was a fiftieth of a one-note rebuild."""
    if not config.upstream:
        return []
    from ..upstream.fetch import refresh

    return refresh(config, now)


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
