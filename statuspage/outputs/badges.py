"""Status badges: a small SVG per site and component, and the shields.io endpoint JSON beside each.

The SVG is built with ElementTree, so a quote or an ampersand in a name cannot break it. It
names itself in a <title> and `aria-label` for screen readers, and draws white text on the
theme's status colours (`core.looks`), which all keep a contrast of at least 4.5:1.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from ..core import addresses, looks
from ..core.site import Site
from ..files import Files

SVG = "http://www.w3.org/2000/svg"
LABEL_COLOUR = "555555"
_HEIGHT = 20
_PADDING = 6
#: Rough advance widths of 11 px Verdana; `textLength` makes the text fit the box exactly anyway.
_NARROW, _WIDE, _AVERAGE = set("fijlrtI.,:;!'|() "), set("mwMW@%"), 7.0


def render(site: Site) -> Files:
    """A badge for the site, and one in each component's folder; in the theme's light colours."""
    summary = site.summary
    result = _pair(addresses.HOME, site.config.title, summary.description, looks.LEVELS[summary.level].light)
    for c in summary.components.values():
        colour = looks.of_status(c.status).light
        result |= _pair(addresses.component(c.component.id), c.component.name, c.status.label, colour)
    return result


def _pair(folder: str, label: str, message: str, colour: str) -> dict[str, bytes]:
    endpoint = {"schemaVersion": 1, "label": label, "message": message, "color": colour}
    return {
        addresses.badge(folder, "svg"): svg(label, message, colour),
        addresses.badge(folder, "json"): (json.dumps(endpoint, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def text_width(text: str) -> int:
    return round(sum(4.0 if ch in _NARROW else 10.0 if ch in _WIDE else _AVERAGE for ch in text))


def svg(label: str, message: str, colour: str) -> bytes:
    """A flat two-part badge: the label on grey, the message on the status colour."""
    left, right = text_width(label) + 2 * _PADDING, text_width(message) + 2 * _PADDING
    name = f"{label}: {message}"
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG,
            "width": str(left + right),
            "height": str(_HEIGHT),
            "viewBox": f"0 0 {left + right} {_HEIGHT}",
            "role": "img",
            "aria-label": name,
        },
    )
    ET.SubElement(root, "title").text = name
    ET.SubElement(root, "rect", {"width": str(left), "height": str(_HEIGHT), "fill": f"#{LABEL_COLOUR}"})
    ET.SubElement(root, "rect", {"x": str(left), "width": str(right), "height": str(_HEIGHT), "fill": f"#{colour}"})
    texts = ET.SubElement(
        root,
        "g",
        {"fill": "#fff", "font-family": "Verdana,DejaVu Sans,sans-serif", "font-size": "11", "text-anchor": "middle"},
    )
    for x, width, text in ((left / 2, left, label), (left + right / 2, right, message)):
        attributes = {"x": f"{x:g}", "y": "14", "textLength": str(width - 2 * _PADDING), "lengthAdjust": "spacing"}
        ET.SubElement(texts, "text", attributes).text = text
    return ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
