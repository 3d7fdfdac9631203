"""The commands that post: new, update, resolve, and list what is going on."""

from __future__ import annotations

import argparse
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import display_path

if TYPE_CHECKING:
    from ..authoring.posting import Posted
    from ..core.config import Config

log = logging.getLogger("statuspage")


def new(args: argparse.Namespace) -> int:
    from ..authoring import editor, posting

    config, now = _site(args)
    request = posting.NewNote(
        args.title, args.component, args.impact, args.status, args.maintenance, args.start, args.end
    )
    return _posted(args, posting.create(config, request, args.message, editor.ask, now))


def update(args: argparse.Namespace) -> int:
    from ..authoring import editor, posting
    from ..authoring.find import find

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


def resolve(args: argparse.Namespace) -> int:
    from ..authoring import editor, posting
    from ..authoring.find import find

    config, now = _site(args)
    path = find(config, args.note)
    return _posted(args, posting.resolve(config, path, message=args.message, ask=editor.ask, now=now))


def _site(args: argparse.Namespace) -> tuple[Config, datetime]:
    from .. import config as config_module
    from ..authoring import posting

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


def list_ongoing(args: argparse.Namespace) -> int:
    from ..authoring import listing
    from ..inputs import gather

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
