"""`statuspage probe`: its arguments and what it runs (the command line only parses and dispatches).

The heavy modules are imported when the command runs, so building the parser costs nothing.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..errors import StatusPageError, display_path

log = logging.getLogger(__name__)


def arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--once", action="store_true", help="check each probe once, then stop (for cron and CI)")
    sub.add_argument(
        "--open-incident", action="store_true", help="write a draft note when a component goes down; resolve it after"
    )
    sub.add_argument(
        "--location",
        metavar="NAME",
        help="where the checks run from (default: the probe's location, else the host's name)",
    )
    sub.add_argument(
        "--import",
        dest="import_",
        nargs=2,
        metavar=("FORMAT", "FILE"),
        help="bring in another monitor's data instead: gatus, kuma or prometheus, and its JSON file",
    )
    sub.add_argument(
        "--map", action="append", default=[], metavar="NAME=ID", help="with --import: a series' name and its component"
    )
    sub.add_argument("--component", metavar="ID", help="with --import: the component of a file with one series")


def run(args: argparse.Namespace) -> int:
    """Probe (once or in a loop) or import another monitor's file; 0 when checks were recorded."""
    from .. import config as config_module
    from . import imports, runner

    config, warnings = config_module.load(args.config)
    for warning in warnings:
        log.warning("%s", warning)
    if args.import_ is None:
        count = runner.probe(
            config, args.config, once=args.once, open_incident=args.open_incident, location=args.location
        )
        log.info("Recorded %d check%s in %s.", count, "" if count == 1 else "s", display_path(config.probes_dir))
        return 0
    source, file = args.import_
    if source not in imports.FORMATS:
        raise StatusPageError(f"--import {source}: unknown format; use {', '.join(imports.FORMATS)}")
    mapping = {}
    for item in args.map:
        name, equals, component = item.rpartition("=")
        if not (name and equals and component):
            raise StatusPageError(f"--map {item!r}: expected a series' name and a component id, like 'API=api'")
        mapping[name] = component
    for result in imports.import_file(config, source, Path(file), mapping, args.component, args.location):
        log.info(
            "%s: %d checks from %r added, %d already there.",
            result.component,
            result.added,
            result.series,
            result.already,
        )
    return 0
