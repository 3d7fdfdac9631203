"""The floor: plain Jinja writing one trivial page per note, the least any generator must do.

    python benchmarks/floor.py SITE_FOLDER OUT_FOLDER

Reads each note's bytes (title from its front matter, the rest as text), renders a one-line
template with Jinja, and writes `OUT/<stem>/index.html`. No Markdown, no validation, no
shared pages: what a static generator costs before it does anything a status page needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

PAGE = jinja2.Template("<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><pre>{{ body }}</pre>\n")


def main() -> None:
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    for note in sorted((site / "incidents").glob("*.md")):
        _, front, body = note.read_text(encoding="utf-8").split("---", 2)
        title = next((line[6:].strip() for line in front.splitlines() if line.startswith("title:")), note.stem)
        page = out / note.stem / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.render(title=title, body=body), encoding="utf-8")


if __name__ == "__main__":
    main()
