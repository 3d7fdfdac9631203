"""`sitemap.xml` and `robots.txt`, so search engines find every page and nothing else.

robots.txt only counts at a host's root: on a site served from a sub-path it is harmless,
and the sitemap can be submitted to a search engine by hand instead.

A sitemap changes only when a page comes or goes, so each file is keyed by the addresses it
lists and written only when they changed: at 10,000 notes, writing it out on every preview
save cost 15-25 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from html import escape

from ..core import addresses
from ..core.site import Site
from ..files import Deferred, Files
from .keys import page_key
from .pages import listed_addresses

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The sitemaps protocol's limit per file; a bigger site gets an index of several sitemaps.
MAX_URLS = 50_000


def render(site: Site) -> Files:
    """A sitemap of every page a reader may look for, and a robots.txt pointing at it.

    Up to MAX_URLS pages, `sitemap.xml` lists them; beyond, it is an index of `sitemap-1.xml`,
    `sitemap-2.xml`, … that do (search engines read either at the same address).
    """
    url = site.config.url
    listed = list(listed_addresses(site))
    parts = [listed[n : n + MAX_URLS] for n in range(0, len(listed), MAX_URLS)] or [[]]
    sitemap = addresses.SITEMAP
    result: dict[str, bytes | Deferred] = {
        addresses.ROBOTS: f"User-agent: *\nDisallow:\n\nSitemap: {url}{sitemap}\n".encode()
    }
    if len(parts) == 1:
        result[sitemap] = _keyed("urlset", "url", url, parts[0])
        return result
    stem, suffix = sitemap.rsplit(".", 1)
    names = [f"{stem}-{number}.{suffix}" for number in range(1, len(parts) + 1)]
    result |= {name: _keyed("urlset", "url", url, part) for name, part in zip(names, parts, strict=True)}
    result[sitemap] = _keyed("sitemapindex", "sitemap", url, names)
    return result


def _keyed(root: str, item: str, url: str, listed: Sequence[str]) -> Deferred:
    """The document listing these addresses below `url`, keyed by them (the site's address is
    in the config, which no key holds: a change to it makes every file again)."""
    return Deferred(page_key(root, "\n".join(listed)), partial(_document, root, item, url, listed))


def _document(root: str, item: str, url: str, listed: Sequence[str]) -> bytes:
    """The document as ElementTree would indent it, written directly: a big site lists 100,000
    addresses, and building a tree of them cost a tenth of a rebuild."""
    entries = "".join(
        f"  <{item}>\n    <loc>{escape(url + address, quote=False)}</loc>\n  </{item}>\n" for address in listed
    )
    body = f'<{root} xmlns="{NAMESPACE}">\n{entries}</{root}>' if entries else f'<{root} xmlns="{NAMESPACE}" />'
    return f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n".encode()
