"""The import, read top to bottom: read the source, plan against the site, then write (or only show)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import config as config_module
from ..errors import Problem
from . import IMPORTERS
from .plan import Plan, plan
from .records import Options
from .write import Written, component_tables, write


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    written: Written
    label: str  # the source, as messages name it
    warnings: list[Problem]


def run(kind: str, source: str, config_path: Path, options: Options, dry_run: bool = False) -> Outcome:
    """Import SOURCE into the site of `config_path`; with `dry_run`, work out everything and write nothing."""
    config, warnings = config_module.load(config_path)
    read, _ = IMPORTERS[kind]
    export = read(source, options)
    planned = plan(config, kind, export)
    if dry_run:
        preview = component_tables(planned.components, kind) if planned.components else ""
        written = Written(
            preview, [n.path for n in planned.notes], [(a.path, len(a.updates)) for a in planned.additions]
        )
    else:
        written = write(planned, config_path, kind)
    return Outcome(planned, written, export.label or source, warnings)
