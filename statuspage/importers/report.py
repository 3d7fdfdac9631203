"""What `statuspage import` tells the person: the component ids, the files, and what did not map exactly."""

from __future__ import annotations

from ..errors import display_path
from .run import Outcome


def lines(outcome: Outcome, dry_run: bool) -> list[str]:
    plan, written = outcome.plan, outcome.written
    would = "Would" if dry_run else ""
    out = [f"From {outcome.label}:"]
    if plan.mapping:
        out.append("Components (new ids are made from their names):")
        out += [f"  {m.name} → {m.id} ({'new' if m.new else 'already in the config'})" for m in plan.mapping]
    if written.config_text:
        out.append(
            f"{would or 'Appended'} {'append ' if dry_run else ''}{len(plan.components)} component(s) to the config:"
        )
        out += ["  " + line if line else "" for line in written.config_text.strip("\r\n").splitlines()]
    notes = {note.path: note for note in plan.notes}
    if written.notes:
        out.append(f"{would or 'Wrote'} {'write ' if dry_run else ''}{len(written.notes)} note(s):")
        for path in written.notes:
            out.append(f"  {display_path(path)}")
            if dry_run:
                out += ["    " + line if line else "" for line in notes[path].text.rstrip("\n").split("\n")]
    for path, count in written.additions:
        verb = "Would add" if dry_run else "Added"
        out.append(f"{verb} {count} new update(s) to {display_path(path)}")
    if plan.unchanged:
        out.append(f"{plan.unchanged} incident(s) were imported before and have nothing new.")
    if not (written.notes or written.additions or written.config_text):
        out.append("Nothing new to import.")
    elif (written.notes or written.additions) and not dry_run:
        out.append("With [[notify]] channels, run `statuspage notify --mark-sent` next, or notify announces these.")
    if plan.findings:
        out.append(f"Could not be mapped exactly ({len(plan.findings)}):")
        out += [f"  {finding}" for finding in plan.findings]
    return out
