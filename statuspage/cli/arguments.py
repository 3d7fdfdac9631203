"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..core.config import CONFIG_NAME
from ..probes import command as probe_command


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

    list_cmd = command(
        "list", "Show ongoing incidents, active or upcoming maintenance, drafts, and notes not posted yet."
    )
    _now_option(list_cmd, "list as if it were this time")

    serve_cmd = command("serve", "Preview the site on 127.0.0.1; rebuild and reload on every change.")
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    _now_option(serve_cmd, "preview as if it were this time", "SOURCE_DATE_EPOCH, else the clock at each rebuild")
    _offline_option(serve_cmd)
    serve_cmd.add_argument(
        "--console", action="store_true", help="add the console at /_console/: post updates from a browser"
    )
    _console_options(serve_cmd)
    console_cmd = command("console", "Post updates from a browser: serve --console, and open it for you.")
    console_cmd.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    _now_option(
        console_cmd, "preview and post as if it were this time", "SOURCE_DATE_EPOCH, else the clock at each rebuild"
    )
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


def _now_option(sub: argparse.ArgumentParser, help: str, default: str = "SOURCE_DATE_EPOCH, else the clock") -> None:
    sub.add_argument("--now", default=None, metavar="TIME", help=f"{help} (default: {default})")


def _offline_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--offline",
        action="store_true",
        help="show third-party status from the snapshots in data/upstream/ only; fetch nothing",
    )


def _component_option(sub: argparse.ArgumentParser, help: str) -> None:
    sub.add_argument("-c", "--component", action="append", default=[], metavar="ID=STATUS", help=help)


def _post_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("-m", "--message", metavar="TEXT", help="the update's text (default: write it in $EDITOR)")
    _now_option(sub, "stamp the update with this time instead of now")
    _yes_option(sub)
