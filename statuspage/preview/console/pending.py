"""What the console posted and has not published yet: kept on disk, so a restart forgets nothing.

Each post is recorded in `.statuspage-cache/console.json` (the note, its title and the status
posted) as it lands; git says which of those notes are still not committed, so a note someone
committed by hand, or put back as it was, drops out. Consoles of one site share the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ... import storage
from ...core.config import Config
from ...errors import display_path
from . import git

log = logging.getLogger(__name__)

NAME = "console.json"
LOCK = "console.lock"


@dataclass(frozen=True)
class Pending:
    """The notes to commit, in the order first posted, each with the (title, status) of its posts."""

    posts: dict[Path, list[tuple[str, str]]]

    @property
    def paths(self) -> list[Path]:
        return list(self.posts)

    def message(self) -> str:
        """The commit message: each incident and the statuses posted to it, in order."""
        parts = []
        for records in self.posts.values():
            statuses = list(dict.fromkeys(status for _, status in records))
            parts.append(f"{records[-1][0]}: {', '.join(statuses)}")
        return "; ".join(parts)


def record(config: Config, path: Path, title: str, status: str) -> None:
    """Add a post to the record."""
    with _changing(config) as posts:
        posts.append({"note": _name(config, path), "title": title, "status": status})


def waiting(config: Config, tree: Path) -> Pending:
    """The recorded notes that git still shows as not committed (and that still exist)."""
    posts: dict[Path, list[tuple[str, str]]] = {}
    for entry in _read(config):
        path = config.root / entry["note"]
        posts.setdefault(path, []).append((entry["title"], entry["status"]))
    left = git.changed(tree, [path for path in posts if path.is_file()])
    return Pending({path: records for path, records in posts.items() if path in left})


def forget(config: Config, paths: Sequence[Path]) -> None:
    """Drop the posts to these notes: they are committed."""
    gone = {_name(config, path) for path in paths}
    with _changing(config) as posts:
        posts[:] = [entry for entry in posts if entry["note"] not in gone]


@contextmanager
def _changing(config: Config) -> Iterator[list[dict[str, str]]]:
    """The record, to change in place and write back, one console of the site at a time; the post
    itself has landed, so a record that cannot be kept is a warning, not a failure."""
    try:
        with storage.locked(config.cache_dir / LOCK, wait=10):
            posts = _read(config)
            yield posts
            storage.replace_json(config.cache_dir / NAME, {"posts": posts})
    except (OSError, storage.Locked) as error:
        log.warning(
            "Console: cannot keep the list of posts to publish in %s: %s", display_path(config.cache_dir), error
        )


def _read(config: Config) -> list[dict[str, str]]:
    posts = storage.read_json(config.cache_dir / NAME).get("posts")
    if not isinstance(posts, list):
        return []
    fields = ("note", "title", "status")
    return [
        {name: entry[name] for name in fields}
        for entry in posts
        if isinstance(entry, dict) and all(isinstance(entry.get(name), str) for name in fields)
    ]


def _name(config: Config, path: Path) -> str:
    """A note as the record names it: relative to the site's folder, so the folder can move."""
    return path.resolve().relative_to(config.root.resolve()).as_posix()
