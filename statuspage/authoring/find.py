"""Find the note a person means: by its path, its slug, or a unique start of the slug."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.addresses import slugify
from ..core.config import Config
from ..core.words import close_match
from ..errors import EditError, display_path
from ..notes.discover import discover

_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-")


def find(config: Config, query: str) -> Path:
    """A note given as a path, a slug, or a unique prefix of a slug (with or without its date)."""
    if query.endswith(".md") or "/" in query or "\\" in query:
        path = Path(query)
        if not path.is_file():
            raise EditError(f"{query}: no such note")
        return path
    wanted = slugify(query)
    found = discover(config.incidents_dir)
    exact = [note.path for note in found if note.slug == wanted]
    if exact:
        return exact[0]
    matches = [
        note.path
        for note in found
        if wanted and (note.slug.startswith(wanted) or _undated(note.slug).startswith(wanted))
    ]
    if len(matches) == 1:
        return matches[0]
    folder = display_path(config.incidents_dir)
    if not matches:
        near = _near_miss(wanted, [note.slug for note in found])
        hint = f"did you mean {near}?" if near else "`statuspage list` shows the ongoing ones"
        raise EditError(f"no note in {folder}/ matches {query!r}; {hint}")
    newest = [p.stem for p in reversed(matches)]
    shown = ", ".join(newest[:8]) + (f" and {len(newest) - 8} more" if len(newest) > 8 else "")
    raise EditError(f"{query!r} matches {len(matches)} notes: {shown}; type more of the slug")


def _undated(slug: str) -> str:
    return _DATED.sub("", slug, count=1)


def _near_miss(wanted: str, slugs: list[str]) -> str | None:
    """The newest slug whose start (with or without its date) is a typo away from `wanted`."""
    starts = {}
    for slug in slugs:  # sorted oldest first, so the newest note wins a tie
        starts[slug[: len(wanted)]] = slug
        starts[_undated(slug)[: len(wanted)]] = slug
    close = close_match(wanted, starts)
    return starts[close] if close else None
