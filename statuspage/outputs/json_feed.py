"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the Atom and RSS feeds' entries as JSON.

`outputs.feeds` picks the entries (one per posted update, newest first) and hands them here
for each feed it writes, so the three formats always carry the same updates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..core import addresses
from ..core.config import Config

VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Item:
    link: str  # the update on its incident's page: also the item's id
    title: str
    html: str
    text: str
    at: datetime
    tags: tuple[str, ...]


def document(config: Config, items: Sequence[Item], *, title: str, folder: str) -> bytes:
    """The feed of a page's folder ("" for the site, or a component's)."""
    feed = {
        "version": VERSION,
        "title": title,
        "home_page_url": config.url + folder,
        "feed_url": config.url + addresses.json_feed(folder),
        "description": config.description or title,
        "favicon": config.url + addresses.favicon("png"),
        "authors": [{"name": config.title, "url": config.url}],
        "language": config.language,
        "items": [
            {
                "id": item.link,
                "url": item.link,
                "title": item.title,
                "content_html": item.html,
                "content_text": item.text,
                "date_published": _time(config, item.at),
                "date_modified": _time(config, item.at),
                "tags": list(item.tags),
            }
            for item in items
        ],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _time(config: Config, moment: datetime) -> str:
    """RFC 3339 with the offset of the site's zone, as the API writes times."""
    return moment.astimezone(config.timezone).isoformat(timespec="seconds")
