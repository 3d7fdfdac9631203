"""The commands that trade with other tools: import their history, notify subscribers."""

from __future__ import annotations

import argparse
import logging

from ..errors import ProblemsError

log = logging.getLogger("statuspage")


def import_history(args: argparse.Namespace) -> int:
    from ..importers import options, report
    from ..importers.run import run

    settings = options.from_arguments(args.kind, args.timezone, args.now, args.page_id, args.api_key_env, args.api_url)
    outcome = run(args.kind, args.source, args.config, settings, dry_run=args.dry_run)
    for warning in outcome.warnings:
        log.warning("%s", warning)
    print("\n".join(report.lines(outcome, args.dry_run)))
    return 0


def notify(args: argparse.Namespace) -> int:
    """Exit 0 when everything was delivered, 1 when something was not (the next run tries again),
    2 when the config, a note, a secret or the ledger is wrong (then nothing was sent)."""
    from ..core.clock import TimeError, parse_span
    from ..errors import BuildError
    from ..notify import run

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
