"""Badges: SVGs parsed as XML (accessible name, colour, text), and the shields.io endpoint JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import CONFIG, Site
from fixtures.notes import NOTES, write_notes
from fixtures.schemas import SCHEMAS

from statuspage.core.looks import BY_NAME
from statuspage.outputs.badges import LABEL_COLOUR

COLOURS = {name: look.light for name, look in BY_NAME.items()}

SVG = "{http://www.w3.org/2000/svg}"


def read_svg(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{SVG}svg"
    return root


def facts(root: ET.Element) -> tuple[str, str, list[str], str]:
    """(title, aria-label, the two texts, the message background colour)."""
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    rects = root.findall(f"{SVG}rect")
    return title.text, root.get("aria-label", ""), texts, rects[-1].get("fill", "")


@pytest.fixture
def built(site: Site) -> Site:
    write_notes(site)
    assert site.build().code == 0
    return site


def test_site_and_component_badges(built: Site) -> None:
    root = read_svg(built.out / "badge.svg")
    assert root.get("role") == "img"
    assert facts(root) == (
        "Test Status: Partial System Outage",
        "Test Status: Partial System Outage",
        ["Test Status", "Partial System Outage"],
        "#" + COLOURS["major"],
    )
    assert facts(read_svg(built.out / "components/api/badge.svg")) == (
        "API: Partial outage",
        "API: Partial outage",
        ["API", "Partial outage"],
        "#" + COLOURS["partial_outage"],
    )
    assert facts(read_svg(built.out / "components/login/badge.svg"))[2:] == (
        ["Login", "Under maintenance"],
        "#" + COLOURS["under_maintenance"],
    )


def test_badge_box_fits_its_text(built: Site) -> None:
    """Each text is drawn at a fixed length that fits inside its half of the badge."""
    root = read_svg(built.out / "badge.svg")
    width = int(root.get("width", "0"))
    rects = root.findall(f"{SVG}rect")
    assert int(rects[0].get("width", "0")) + int(rects[1].get("width", "0")) == width
    for rect, text in zip(rects, root.iter(f"{SVG}text"), strict=True):
        assert 0 < int(text.get("textLength", "0")) < int(rect.get("width", "0"))


def test_shields_endpoint_json(built: Site) -> None:
    schema = json.loads((SCHEMAS / "shields-endpoint.json").read_text())
    for path in [built.out / "badge.json", *sorted(built.out.glob("components/*/badge.json"))]:
        endpoint = json.loads(path.read_text())
        jsonschema.validate(endpoint, schema)
        svg_title = facts(read_svg(path.with_suffix(".svg")))[0]
        assert f"{endpoint['label']}: {endpoint['message']}" == svg_title
        assert "#" + endpoint["color"] == facts(read_svg(path.with_suffix(".svg")))[3]
    assert json.loads((built.out / "components/web/badge.json").read_text()) == {
        "schemaVersion": 1,
        "label": "Website",
        "message": "Under maintenance",
        "color": COLOURS["under_maintenance"],
    }


def test_all_clear_and_awkward_names(site: Site) -> None:
    site.config(CONFIG.replace('title = "Test Status"', 'title = "Ben & Jerry\'s <\\"Status\\">"'))
    site.note("2026-03-14-login.md", NOTES["2026-03-14-login.md"])
    assert site.build().code == 0
    title, label, texts, colour = facts(read_svg(site.out / "badge.svg"))
    assert title == label == 'Ben & Jerry\'s <"Status">: All Systems Operational'
    assert texts == ['Ben & Jerry\'s <"Status">', "All Systems Operational"]
    assert colour == "#" + COLOURS["none"]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", sorted({*COLOURS.values(), LABEL_COLOUR}))
def test_white_text_is_readable_on_every_badge_colour(colour: str) -> None:
    """WCAG AA for normal text: a contrast of at least 4.5:1 against the white letters."""
    assert (1.05) / (relative_luminance(colour) + 0.05) >= 4.5
