"""`sitemap.xml` and `robots.txt`, so search engines find every page and nothing else.

robots.txt only counts at a host's root: on a site served from a sub-path it is harmless,
and the sitemap can be submitted to a search engine by hand instead.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from .config import Config

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def render(config: Config, url_paths: Iterable[str]) -> dict[str, bytes]:
    """A sitemap of these page addresses (relative to the site root), and a robots.txt pointing at it."""
    urlset = ET.Element("urlset", {"xmlns": NAMESPACE})
    for path in url_paths:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = config.url + path
    ET.indent(urlset)
    sitemap = ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
    robots = f"User-agent: *\nDisallow:\n\nSitemap: {config.url}sitemap.xml\n"
    return {"sitemap.xml": sitemap, "robots.txt": robots.encode("utf-8")}
