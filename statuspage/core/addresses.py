"""Where each thing lives in the built site: the one home of every output address.

Addresses are relative to the site root and end in "/" for pages ("incidents/login/"), so
they join the site's URL, a page's relative `root` or a file path alike. Pages, feeds, the
API, the calendar, badges, the sitemap and the templates all take them from here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Container

HOME = ""
HISTORY = "history/"
FEED = "history"  # <folder>history.atom and .rss: the names Statuspage uses, where clients look
BADGE = "badge"  # <folder>badge.svg and badge.json
API = "api/v2/"
UPTIME = "api/uptime.json"
CALENDAR = "maintenance.ics"
NOT_FOUND = "404.html"
#: Written into every built site, so a later build knows the folder is its own to replace.
MARKER = ".statuspage"
FAVICON = "favicon"  # favicon.svg, and favicon.png for browsers without SVG icons
EMBED_STATUS = "embed/status.html"  # for an <iframe> on other sites
EMBED_INCIDENTS = "embed/incident.html"
EMBED_SCRIPT = "embed.js"  # a banner in another site's page while something is going on
MARKDOWN = "index.md"  # the status page as Markdown, for terminals and language models
LLMS = "llms.txt"  # the llmstxt.org index of what machines can read here
SITEMAP = "sitemap.xml"  # or, past the protocol's limit, the index of sitemap-1.xml, sitemap-2.xml, …
ROBOTS = "robots.txt"


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # every note's, on every build of a preview
def slugify(stem: str) -> str:
    """A URL-safe slug: ASCII letters and digits joined by single hyphens."""
    if _SLUG.fullmatch(stem):  # most note names already are one: a quarter of the cost
        return stem
    return _made_slug(stem)


def _made_slug(stem: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def unique(wanted: str, taken: Container[str], key: Callable[[str], str] = str) -> str:
    """`wanted`, else `wanted-2`, `wanted-3`, …: the first whose key `taken` does not hold, so two
    things of one name both get an address. The caller adds it to `taken` once it is used."""
    candidate, n = wanted, 2
    while key(candidate) in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def incident(slug: str) -> str:
    return f"incidents/{slug}/"


def update(slug: str, anchor: str) -> str:
    return f"incidents/{slug}/#{anchor}"


def component(cid: str) -> str:
    return f"components/{cid}/"


def history(number: int = 1) -> str:
    """The history's pages: the newest at history/, older ones at history/2/, history/3/, …"""
    return HISTORY if number == 1 else f"{HISTORY}{number}/"


def feed(folder: str, kind: str) -> str:
    """A feed of a page's folder ("" for the site, or a component's): `kind` is atom or rss."""
    return f"{folder}{FEED}.{kind}"


def badge(folder: str, kind: str) -> str:
    """A badge of the site ("") or a component's folder: `kind` is svg or json (shields.io)."""
    return f"{folder}{BADGE}.{kind}"


def favicon(kind: str) -> str:
    """`kind` is svg or png."""
    return f"{FAVICON}.{kind}"


def json_feed(folder: str) -> str:
    """The JSON Feed beside a page's Atom and RSS feeds."""
    return f"{folder}feed.json"


def component_embed(cid: str) -> str:
    return f"{component(cid)}embed.html"


def file_of(address: str) -> str:
    """The file a page address is served from: "incidents/login/" -> "incidents/login/index.html"."""
    return address + "index.html" if not address or address.endswith("/") else address


def address_of(path: str) -> str:
    """The page address of a file: the inverse of `file_of`."""
    return path.removesuffix("index.html")


def root_of(path: str) -> str:
    """The relative prefix from a file back to the site root, so sub-path hosting just works."""
    return "../" * path.count("/")
