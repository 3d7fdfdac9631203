"""The README's benchmark table is one run's report, put between two marks by `run.py --readme`."""

from __future__ import annotations

import sys
from pathlib import Path

README_MARKS = ("<!-- benchmark -->", "<!-- /benchmark -->")


def replace_report(readme: Path, report: str) -> None:
    """Put the report between the marks, so the README's table is always one run's output."""
    text = readme.read_text(encoding="utf-8")
    start, end = README_MARKS
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        sys.exit(f"{readme}: needs one {start} line and one {end} line after it, around the report")
    before, rest = text.split(start)
    readme.write_text(f"{before}{start}\n{report}\n{end}{rest.split(end)[1]}", encoding="utf-8")
