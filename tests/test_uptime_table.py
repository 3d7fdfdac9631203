"""The daily-uptime table behind each component's bars: what it tells screen-reader users must be
true of every day it speaks for, days without data and maintenance included."""

from __future__ import annotations

from conftest import CONFIG, Site, text_of
from fixtures.notes import FEED_NOTES

# conftest's NOW is 2026-03-20; the window is 90 days, 2025-12-21 to 2026-03-20. Without a
# `since`, a component's history starts at the site's first note (03-14): 83 days without data
# before it (11 in December, 31, 28, 13), 7 days with data.
#: Login down 09:05-09:41 on 03-14 (shared with the feed tests).
LOGIN = FEED_NOTES["2026-03-14-login.md"]

WHOLE_DAY_MAINTENANCE = """\
---
kind: maintenance
title: Data centre move
scheduled: 2026-03-16 00:00
until: 2026-03-17 00:00
components: [api]
---
"""


def details(site: Site, component: str):
    return site.html(f"components/{component}/index.html").select_one("details")


def test_the_sentence_after_the_table_leaves_out_days_without_data_and_counts_them(site: Site) -> None:
    site.note("2026-03-14-login.md", LOGIN)
    assert site.build().code == 0
    table = details(site, "login")
    caption = text_of(table.select_one("caption"))
    assert caption == "Days with downtime, degraded performance, maintenance, incidents or missing data for Login"
    # Major 09:05-09:41 = 2160 s: 1 - 2160/86400 = 97.50.
    assert [text_of(td) for td in table.select("tbody td")][:2] == ["Mar 14, 2026", "97.50%"]
    sentences = [text_of(p) for p in table.select("p")]
    assert sentences == ["Every other day with data: 100.00% uptime, no incidents.", "83 days without data."]


def test_a_quiet_component_says_how_many_days_it_speaks_for(site: Site) -> None:
    site.note("2026-03-14-login.md", LOGIN)
    assert site.build().code == 0
    sentences = [text_of(p) for p in details(site, "web").select("p")]
    assert sentences == ["No downtime and no incidents on the 7 days with data.", "83 days without data."]


def test_a_component_without_any_data_claims_nothing(site: Site) -> None:
    assert site.build().code == 0  # no notes, no `since`: nothing is known about any day
    assert [text_of(p) for p in details(site, "web").select("p")] == ["No data for the last 90 days."]


def test_a_day_all_in_maintenance_is_listed_without_a_percentage(site: Site) -> None:
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-16-move.md", WHOLE_DAY_MAINTENANCE)
    assert site.build().code == 0
    rows = [[text_of(td) for td in tr.select("td")] for tr in details(site, "api").select("tbody tr")]
    assert rows == [["Mar 16, 2026", "Under maintenance", "Under maintenance", "Data centre move"]]
    bar = site.html("components/api/index.html").select(".bars i")[-5]  # 03-16
    assert bar["class"] == ["d-under_maintenance"] and bar["data-t"] == "Under maintenance · Data centre move"


def test_the_sentences_are_translated(site: Site) -> None:
    # test_languages checks every language has every string; here one of them, read in place.
    site.config(CONFIG.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"'))
    site.note("2026-03-14-login.md", LOGIN)
    assert site.build().code == 0
    table = details(site, "login")
    assert text_of(table.select_one("caption")) == (
        "Tage mit Ausfällen, eingeschränkter Leistung, Wartung, Störungen oder fehlenden Daten bei Login"
    )
    assert [text_of(p) for p in table.select("p")] == [
        "Alle anderen Tage mit Daten: 100,00 % Verfügbarkeit, keine Störungen.",
        "83 Tage ohne Daten.",
    ]
