"""Command line: parse arguments, run a command, turn our errors into messages and exit codes.

No logic lives here. Every command returns an exit code; errors go to stderr as
`path:line: message`, never as a traceback. Each command imports only what it needs, so a
scheduled `build` does not pay for the preview server's or the editor's modules.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .core.config import CONFIG_NAME
from .errors import ProblemsError, StatusPageError, display_path
from .probes import command as probe_command

if TYPE_CHECKING:  # what each command needs is imported when it runs: a no-op build costs a glance
    from .authoring.posting import Posted
    from .core.config import Config
    from .inputs import Fetch
    from .workers import Progress

log = logging.getLogger("statuspage")

#: Seconds a build runs before it shows its progress (a small site never does).
PROGRESS_AFTER = 1.0
#: The inputs the authoring layer's errors name (errors.NAMES), as the command line takes them.
FLAGS = {
    "start": "--start",
    "end": "--end",
    "impact": "--impact",
    "status": "--status",
    "component": "--component",
    "now": "--now",
    "confirm": "pass --yes to post it ahead",
    "update": "`statuspage update %(slug)s`",
}


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
    build_cmd.add_argument(
        "--force",
        action="store_true",
        help="trust no record of the last build: render every page, compare every file (after editing site/ by hand)",
    )
    _strict_option(build_cmd)
    _offline_option(build_cmd)
    check_cmd = command("check", "Validate the config and every note; write nothing.")
    check_cmd.add_argument("--now", default=None, metavar="TIME", help="check as if it were this time")
    _strict_option(check_cmd)

    new_cmd = command("new", "Start a note for a new incident (or --maintenance) and print its path.")
    new_cmd.add_argument("title", help='what is wrong, for visitors: "Login page offline"')
    _component_option(new_cmd, "a component and its status, like login=major_outage (repeatable)")
    new_cmd.add_argument(
        "--impact", metavar="IMPACT", help="none, minor, major or critical (default: from the components)"
    )
    new_cmd.add_argument(
        "--status", metavar="STATUS", help="the first update's status (default: investigating, or scheduled)"
    )
    new_cmd.add_argument("--maintenance", action="store_true", help="schedule maintenance instead of an incident")
    new_cmd.add_argument("--start", metavar="TIME", help="when the maintenance starts, like '2026-12-02 22:00'")
    new_cmd.add_argument("--end", metavar="TIME", help="when the maintenance is planned to end")
    _post_options(new_cmd)

    update_cmd = command("update", "Add an update to a note, stamped now.")
    update_cmd.add_argument("note", metavar="SLUG", help="the note: its path, its slug, or a unique prefix of the slug")
    update_cmd.add_argument("--status", metavar="STATUS", help="identified, monitoring, … (default: the current one)")
    _component_option(update_cmd, "change a component from this update on, like login=operational (repeatable)")
    _post_options(update_cmd)

    resolve_cmd = command("resolve", "Add the Resolved update (Completed, for maintenance), which ends the impact.")
    resolve_cmd.add_argument(
        "note", metavar="SLUG", help="the note: its path, its slug, or a unique prefix of the slug"
    )
    _post_options(resolve_cmd)

    list_cmd = command("list", "Show ongoing incidents and active or upcoming maintenance.")
    _now_option(list_cmd, "list as if it were this time")

    serve_cmd = command("serve", "Preview the site on 127.0.0.1; rebuild and reload on every change.")
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    _now_option(serve_cmd, "preview as if it were this time (default: the clock, at each rebuild)")
    _offline_option(serve_cmd)
    serve_cmd.add_argument(
        "--console", action="store_true", help="add the console at /_console/: post updates from a browser"
    )
    _console_options(serve_cmd)
    console_cmd = command("console", "Post updates from a browser: serve --console, and open it for you.")
    console_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    _now_option(console_cmd, "preview and post as if it were this time (default: the clock)")
    _offline_option(console_cmd)
    _console_options(console_cmd)

    _import_options(
        command("import", "Bring in another status page's history: notes into incidents/, components into the config.")
    )
    probe_command.arguments(command("probe", "Run every component's probe and record what it saw in data/probes/."))
    _notify_command(command)

    init_cmd = commands.add_parser("init", help="Start a new status site.", description="Start a new status site.")
    init_cmd.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR", help="where (default: here)")
    init_cmd.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    _now_option(init_cmd, "date the example note as if it were this time")
    return top


def _console_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--console-host",
        metavar="ADDRESS",
        help="let other machines reach the console at this address of this machine (default: 127.0.0.1 only)",
    )


def _strict_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="treat every warning as an error, as CI should (default: `strict` in the config)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; use a number from 1 to 65535, or 0 for any free one")
    return port


def _yes_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--yes", action="store_true", help="post even though --now is later than the current time")


def _import_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("kind", metavar="KIND", help="statuspage, cstate, upptime or statusfy")
    sub.add_argument(
        "source", nargs="?", default="", metavar="SOURCE", help="the page's address, a saved export, or a site folder"
    )
    sub.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    sub.add_argument("--timezone", metavar="ZONE", help="the zone of times written without an offset (default: UTC)")
    _now_option(sub, "what counts as the future (cState's upcoming maintenance)")
    api = sub.add_argument_group("Atlassian Statuspage's management API (the whole history)")
    api.add_argument("--page-id", metavar="ID", help="the page's id; reads the management API instead of SOURCE")
    api.add_argument("--api-key-env", metavar="NAME", help="the environment variable that holds the API key")
    api.add_argument(
        "--api-url", default="https://api.statuspage.io/v1", metavar="URL", help="default: https://api.statuspage.io/v1"
    )


def _notify_command(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    sub = command("notify", "Announce new updates to the [[notify]] channels: chat, webhooks and email, once each.")
    sending = sub.add_mutually_exclusive_group()
    sending.add_argument("--dry-run", action="store_true", help="print each message that would be sent; send nothing")
    sending.add_argument(
        "--mark-sent",
        action="store_true",
        help="record the new events as announced without sending them (after importing old notes, say)",
    )
    _now_option(sub, "announce as if it were this time")
    sub.add_argument(
        "--baseline",
        default=None,
        metavar="AGE",
        help="on a first run (or for a new channel) announce only what is younger than this, e.g. 30m, 1h, 2d "
        "(default: 1h)",
    )
    sub.add_argument(
        "--ledger",
        type=Path,
        default=None,
        metavar="PATH",
        help="what was sent (default: notify.json beside the config)",
    )


def _now_option(sub: argparse.ArgumentParser, help: str) -> None:
    sub.add_argument("--now", default=None, metavar="TIME", help=f"{help} (default: SOURCE_DATE_EPOCH, else the clock)")


def _offline_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--offline",
        action="store_true",
        help="show third-party status from the snapshots in data/upstream/ only; fetch nothing",
    )


def _fetch(args: argparse.Namespace) -> Fetch | None:
    """The network's part of gathering: the vendors' summaries, unless --offline."""
    if args.offline:
        return None
    from .upstream.fetch import refresh

    return refresh


def _component_option(sub: argparse.ArgumentParser, help: str) -> None:
    sub.add_argument("-c", "--component", action="append", default=[], metavar="ID=STATUS", help=help)


def _post_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("-m", "--message", metavar="TEXT", help="the update's text (default: write it in $EDITOR)")
    _now_option(sub, "stamp the update with this time instead of now")
    _yes_option(sub)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr, force=True
    )
    commands = {
        "build": _build,
        "check": _check,
        "new": _new,
        "update": _update,
        "resolve": _resolve,
        "list": _list,
        "serve": _serve,
        "import": _import,
        "console": _serve,
        "init": _init,
        "probe": probe_command.run,
        "notify": _notify,
    }
    try:
        return commands[args.command](args)
    except ProblemsError as error:
        for problem in error.problems:
            log.error("%s", problem)
        log.error("%s", error.summary())
        return 1
    except StatusPageError as error:
        log.error("error: %s", error.worded(FLAGS))
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; nothing was written.")
        return 130


def _build(args: argparse.Namespace) -> int:
    from .publish import stamp

    started = time.perf_counter()
    done = None if args.force else stamp.unchanged(args.config, args.out, args.now, args.strict, not args.offline)
    if done is not None:
        for warning in done.warnings:
            log.warning("%s", warning)
        site = display_path((args.out or args.config.resolve().parent / "site").resolve())
        log.info(
            "Nothing to do: %s already holds what these %d notes make (%d files, %.1f kB; checked in %.2f s).",
            site,
            done.notes,
            done.files,
            done.bytes / 1000,
            time.perf_counter() - started,
        )
        return 0
    from .build import build

    with _progress(args) as progress:
        result = build(
            args.config,
            out=args.out,
            now=args.now,
            progress=progress,
            strict=args.strict,
            fetch=_fetch(args),
            force=args.force,
        )
    stamp.record(args.config, args.out, args.now, args.strict, result.site, result)
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
    log.info("Look at it with `statuspage serve` (opened as files, its links lead to folders).")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .build import check

    with _progress(args) as progress:
        inputs = check(args.config, args.now, progress, strict=args.strict)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    count = len(inputs.incidents)
    log.info("OK: %s and %d note%s are valid.", display_path(args.config), count, "" if count == 1 else "s")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .authoring import editor, posting

    config, now = _site(args)
    request = posting.NewNote(
        args.title, args.component, args.impact, args.status, args.maintenance, args.start, args.end
    )
    return _posted(args, posting.create(config, request, args.message, editor.ask, now))


def _update(args: argparse.Namespace) -> int:
    from .authoring import editor, posting
    from .authoring.find import find

    config, now = _site(args)
    path = find(config, args.note)
    return _posted(
        args,
        posting.update(
            config,
            path,
            status=args.status,
            changes=args.component,
            message=args.message,
            ask=editor.ask,
            now=now,
        ),
    )


def _resolve(args: argparse.Namespace) -> int:
    from .authoring import editor, posting
    from .authoring.find import find

    config, now = _site(args)
    path = find(config, args.note)
    return _posted(args, posting.resolve(config, path, message=args.message, ask=editor.ask, now=now))


def _site(args: argparse.Namespace) -> tuple[Config, datetime]:
    from . import config as config_module
    from .authoring import posting

    config, warnings = config_module.load(args.config)
    for warning in warnings:
        log.warning("%s", warning)
    now = posting.moment(args.now, config.timezone)
    posting.refuse_ahead(now, config, confirmed=args.yes)
    return config, now


def _posted(args: argparse.Namespace, posted: Posted) -> int:
    for warning in posted.warnings:
        log.warning("%s", warning)
    ahead = f" {posted.ahead}" if posted.ahead else ""
    log.info(
        "Posted %s at %s.%s Preview: statuspage serve. Publish: commit and push.",
        posted.status.label,
        posted.when,
        ahead,
    )
    if not args.quiet:
        print(display_path(posted.path))
    return 0


def _list(args: argparse.Namespace) -> int:
    from .authoring import listing
    from .inputs import gather

    inputs = gather(args.config, args.now)
    for warning in inputs.warnings:
        log.warning("%s", warning)
    entries = listing.entries(inputs.incidents, inputs.now, inputs.drafts)
    if not entries:
        log.info("Nothing ongoing: no open incidents, no active or upcoming maintenance.")
        return 0
    rows = [("SLUG", "STATUS", "COMPONENTS", "STARTED", "UPDATED", "TITLE")]
    rows += [(e.slug, e.status, e.components or "-", e.started, e.updated, e.title) for e in entries]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .preview import server

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


def _import(args: argparse.Namespace) -> int:
    from .importers import options, report
    from .importers.run import run

    settings = options.from_arguments(args.kind, args.timezone, args.now, args.page_id, args.api_key_env, args.api_url)
    outcome = run(args.kind, args.source, args.config, settings, dry_run=args.dry_run)
    for warning in outcome.warnings:
        log.warning("%s", warning)
    print("\n".join(report.lines(outcome, args.dry_run)))
    return 0


def _notify(args: argparse.Namespace) -> int:
    """Exit 0 when everything was delivered, 1 when something was not (the next run tries again),
    2 when the config, a note, a secret or the ledger is wrong (then nothing was sent)."""
    from .core.clock import TimeError, parse_span
    from .errors import BuildError
    from .notify import run

    try:
        baseline = parse_span(args.baseline) if args.baseline is not None else run.BASELINE
    except TimeError as error:
        log.error("--baseline: %s", error)
        return 2
    try:
        report = run.notify(
            args.config,
            now=args.now,
            baseline=baseline,
            dry_run=args.dry_run,
            mark_sent=args.mark_sent,
            ledger_path=args.ledger,
        )
    except (ProblemsError, BuildError) as error:
        for problem in getattr(error, "problems", [error]):
            log.error("%s", problem)
        log.error("Nothing was sent.")
        return 2
    except KeyboardInterrupt:
        log.error("interrupted; what was delivered is recorded in the ledger.")
        return 130
    if args.dry_run:
        print(report.shown())
    summary = report.summary(sent_nothing=args.dry_run or args.mark_sent)
    log.log(logging.INFO if report.ok else logging.ERROR, "%s", summary)
    return 0 if report.ok else 1


def _init(args: argparse.Namespace) -> int:
    from .authoring import init, posting

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
