"""`favicon.svg` and `favicon.png`: the banner's colour and icon, drawn each build, so a pinned
tab shows trouble at a glance.

The icon is the theme's own (its `partials/icons.svg`, a site's override included) on a
disc of the status colour from `core.looks`; the SVG switches to the dark colours with the
browser's scheme, the PNG (for browsers without SVG icons, and the JSON Feed's favicon) is
64 pixels square in the light ones.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from ..core import addresses, looks
from ..core.site import Site
from ..files import Deferred, Files
from . import raster, templates
from .keys import page_key

SVG = "{http://www.w3.org/2000/svg}"
SIZE = 64
#: The glyph sits in the middle 70% of the disc.
_GLYPH_SCALE, _GLYPH_OFFSET = 0.7, 2.4
_DISC = "M8 0a8 8 0 1 0 0 16A8 8 0 1 0 8 0z"


def render(site: Site) -> Files:
    """Drawn only when the status level changed (the theme's icons are in every key already)."""
    look = looks.LEVELS[site.summary.level]
    env = templates.environment(site.config)
    key = page_key("favicon", site.summary.level)

    @functools.cache  # once for both files
    def glyph() -> str:
        return icon_path(env.get_template("partials/icons.svg").render(), look.icon)

    return {
        addresses.favicon("svg"): Deferred(key, lambda: svg(look, glyph())),
        addresses.favicon("png"): Deferred(key, lambda: png(look.light, glyph())),
    }


def icon_path(sprite: str, icon: str) -> str:
    """The path data of the symbol `i-<icon>` in the theme's sprite; empty when it has none."""
    try:
        root = ET.fromstring(sprite)
    except ET.ParseError:
        return ""
    for symbol in root.iter(f"{SVG}symbol"):
        if symbol.get("id") == f"i-{icon}":
            return " ".join(path.get("d", "") for path in symbol.iter(f"{SVG}path"))
    return ""


def svg(look: looks.Look, glyph: str) -> bytes:
    style = (
        f"circle{{fill:#{look.light}}}path{{fill:#fff}}"
        f"@media (prefers-color-scheme:dark){{circle{{fill:#{look.dark}}}}}"
    )
    root = ET.Element("svg", {"xmlns": SVG[1:-1], "viewBox": "0 0 16 16"})
    ET.SubElement(root, "style").text = style
    ET.SubElement(root, "circle", {"cx": "8", "cy": "8", "r": "8"})
    group = ET.SubElement(root, "g", {"transform": f"translate({_GLYPH_OFFSET} {_GLYPH_OFFSET}) scale({_GLYPH_SCALE})"})
    ET.SubElement(group, "path", {"d": glyph})
    return ET.tostring(root, encoding="unicode").encode() + b"\n"


@functools.lru_cache(maxsize=16)  # the same status is drawn again on every build
def png(colour: str, glyph: str) -> bytes:
    """The disc and its white glyph, anti-aliased, on a transparent square."""
    disc = raster.coverage(raster.polygons(_DISC), SIZE, SIZE / 16)
    scale = SIZE / 16 * _GLYPH_SCALE
    mark = raster.coverage(raster.polygons(glyph), SIZE, scale, _GLYPH_OFFSET / _GLYPH_SCALE)
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    rows = []
    for y in range(SIZE):
        row = []
        for x in range(SIZE):
            white = min(mark[y][x], 1.0)
            row.append(
                (
                    round(red + (255 - red) * white),
                    round(green + (255 - green) * white),
                    round(blue + (255 - blue) * white),
                    round(255 * min(disc[y][x], 1.0)),
                )
            )
        rows.append(row)
    return raster.png(rows)
