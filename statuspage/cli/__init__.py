"""Command line: parse arguments, run a command, turn our errors into messages and exit codes.

No logic lives here. Every command returns an exit code; errors go to stderr as
`path:line: message`, never as a traceback. Each command imports only what it needs, so a
scheduled `build` does not pay for the preview server's or the editor's modules.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from ..errors import ProblemsError, StatusPageError
from ..probes import command as probe_command
from . import exchange, posting, site
from .arguments import parser
from .site import TerminalProgress

__all__ = ["FLAGS", "TerminalProgress", "main"]

log = logging.getLogger("statuspage")

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


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.ERROR if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr, force=True
    )
    commands = {
        "build": site.build,
        "check": site.check,
        "serve": site.serve,
        "console": site.serve,
        "init": site.init,
        "new": posting.new,
        "update": posting.update,
        "resolve": posting.resolve,
        "list": posting.list_ongoing,
        "import": exchange.import_history,
        "notify": exchange.notify,
        "probe": probe_command.run,
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
