"""`sitemap.xml` and `robots.txt`, so search engines find every page and nothing else.

robots.txt only counts at a host's root: on a site served from a sub-path it is harmless,
and the sitemap can be submitted to a search engine by hand instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ..core import addresses
from ..core.site import Site
from ..files import Files
from .pages import listed_addresses

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The sitemaps protocol's limit per file; a bigger site gets an index of several sitemaps.
MAX_URLS = 50_000


def render(site: Site) -> Files:
    """A sitemap of every page a reader may look for, and a robots.txt pointing at it.

    Up to MAX_URLS pages, `sitemap.xml` lists them; beyond, it is an index of `sitemap-1.xml`,
    `sitemap-2.xml`, … that do (search engines read either at the same address).
    """
    config = site.config
    locations = [config.url + address for address in listed_addresses(site)]
    parts = [locations[n : n + MAX_URLS] for n in range(0, len(locations), MAX_URLS)] or [[]]
    sitemap = addresses.SITEMAP
    result = {addresses.ROBOTS: f"User-agent: *\nDisallow:\n\nSitemap: {config.url}{sitemap}\n".encode()}
    if len(parts) == 1:
        result[sitemap] = _document("urlset", "url", parts[0])
        return result
    stem, suffix = sitemap.rsplit(".", 1)
    names = [f"{stem}-{number}.{suffix}" for number in range(1, len(parts) + 1)]
    result |= {name: _document("urlset", "url", part) for name, part in zip(names, parts, strict=True)}
    result[sitemap] = _document("sitemapindex", "sitemap", [config.url + name for name in names])
    return result


def _document(root: str, item: str, locations: Iterable[str]) -> bytes:
    """The document as ElementTree would indent it, written directly: a big site lists 100,000
    addresses, and building a tree of them cost a tenth of a rebuild."""
    entries = "".join(
        f"  <{item}>\n    <loc>{escape(location, quote=False)}</loc>\n  </{item}>\n" for location in locations
    )
    body = f'<{root} xmlns="{NAMESPACE}">\n{entries}</{root}>' if entries else f'<{root} xmlns="{NAMESPACE}" />'
    return f"<?xml version='1.0' encoding='utf-8'?>\n{body}\n".encode()
