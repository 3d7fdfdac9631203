"""One message catalogue for every theme string; a site in German, French or Spanish, dates included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from babel import Locale
from babel.dates import format_skeleton, get_datetime_format
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import CONFIG, Site, text_of
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage import config as config_module
from statuspage.core.model import ComponentStatus, Impact, UpdateStatus
from statuspage.core.status import describe
from statuspage.outputs.formatting import Formatter
from statuspage.outputs.i18n import DOMAIN_MESSAGES, LOCALE_DIR, translations

ROOT = Path(__file__).parent.parent
LANGUAGES = ("de", "fr", "es")

LOGIN = """
---
title: Login page offline
components:
  login: major_outage
---
## 2026-03-14 09:41 · Resolved
Working normally.

## 2026-03-14 09:05 · Investigating
Some users cannot log in.
"""
API = """
---
title: API errors
components:
  api: partial_outage
---
## 2026-03-20 11:00 · Investigating
Requests fail.
"""


def extracted() -> set[str | tuple[str, str]]:
    """The messages `pybabel extract -F babel.cfg` finds in the code and templates now."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map)}


def catalogue(language: str) -> dict[str | tuple[str, str], tuple[str, ...]]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], f"{language}: fuzzy translations"
    return {m.id: (m.string if isinstance(m.string, tuple) else (m.string,)) for m in catalog if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_theme_string(language: str) -> None:
    messages = catalogue(language)
    # Every message the code and templates use is in the catalogue (extra entries are harmless:
    # some are translated ahead of templates arriving from other branches).
    assert extracted() <= set(messages), "run the pybabel extract/update commands in docs/configuration.md"
    untranslated = [msgid for msgid, strings in messages.items() if not all(strings)]
    assert untranslated == []
    # Translations keep every placeholder, so a page never shows "%(name)s" or loses a value.
    for msgid, strings in messages.items():
        placeholders = {
            part.split(")")[0]
            for text in ([msgid] if isinstance(msgid, str) else msgid)
            for part in text.split("%(")[1:]
        }
        for text in strings:
            assert {part.split(")")[0] for part in text.split("%(")[1:]} <= placeholders, (language, msgid)


def test_every_domain_word_is_in_the_catalogue() -> None:
    labels = {s.label for s in ComponentStatus} | {s.label for s in UpdateStatus}
    banners = {
        describe(impact, maintenance, statuses)
        for impact in Impact
        for maintenance in (False, True)
        for statuses in ([], [ComponentStatus.DEGRADED_PERFORMANCE])
    }
    assert labels | banners == set(DOMAIN_MESSAGES)


def formatter(language: str) -> Formatter:
    path = Path("statuspage.toml")
    path.write_text(f'language = "{language}"\n' + CONFIG)
    config = config_module.load(path)[0]
    return Formatter(config.timezone, config.language, translations(language).gettext)


@pytest.mark.parametrize(
    ("language", "minutes", "text"),
    [
        ("en", 0, "less than a minute"),
        ("en", 1, "1 minute"),
        ("en", 61, "1 hour 1 minute"),
        ("en", 120, "2 hours"),
        ("en", 24 * 60 + 59, "1 day"),
        ("en", 51 * 60 + 5, "2 days 3 hours"),
        ("de", 51 * 60, "2 Tage 3 Stunden"),
        ("de", 0, "weniger als eine Minute"),
        ("fr", 90, "1\xa0heure 30 minutes"),
        ("es", 36, "36 minutos"),
    ],
)
def test_durations_in_words_with_plurals(language: str, minutes: int, text: str) -> None:
    assert formatter(language).duration(timedelta(minutes=minutes)) == text


def test_percentages_follow_the_language() -> None:
    assert [formatter("en").percent(Decimal(v)) for v in ("100.00", "99.97", "97.50")] == [
        "100.00%",
        "99.97%",
        "97.50%",
    ]
    assert formatter("de").percent(Decimal("99.97")) == "99,97\xa0%"


def language_site(site: Site, language: str, days: int = 90) -> Site:
    site.config(
        CONFIG.replace('timezone = "Europe/Berlin"', f'timezone = "Europe/Berlin"\nlanguage = "{language}"')
        + f"\n[uptime]\ndays = {days}\n"
    )
    site.note("2026-03-14-login.md", LOGIN)
    site.note("2026-03-20-api.md", API)
    run = site.build()
    assert run.code == 0, run.err
    return site


def theme_text(site: Site) -> set[str]:
    """Every text node of every page, as a reader meets them."""
    return {
        " ".join(node.split())
        for page in site.out.rglob("*.html")
        for node in site.html(page.relative_to(site.out).as_posix()).body.find_all(string=True)
        if node.strip()
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_theme_string_is_left(site: Site, language: str) -> None:
    language_site(site, language)
    shown = theme_text(site)
    english = {
        msgid
        for msgid, (text, *_) in catalogue(language).items()
        if isinstance(msgid, str) and "%(" not in msgid and text != msgid
    }
    assert shown & english == set()
    assert site.html().html["lang"] == language


EXPECTED = {
    # banner, a component status, a long date, an update status, a duration, a day's uptime
    # (as read with whitespace collapsed: the no-break spaces Babel puts in French and German read as spaces)
    "de": ("Teilweiser Systemausfall", "Teilausfall", "20. März 2026", "Behoben", "Dauer: 36 Minuten", "97,50 %"),
    "fr": ("Panne partielle des systèmes", "Panne partielle", "20 mars 2026", "Résolu", "après 36 minutes", "97,50 %"),
    "es": (
        "Interrupción parcial del sistema",
        "Interrupción parcial",
        "20 de marzo de 2026",
        "Resuelto",
        "tras 36 minutos",
        "97,50 %",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_site_in_the_language(site: Site, language: str) -> None:
    banner, status, day, resolved, duration, uptime = EXPECTED[language]
    language_site(site, language)
    page = site.html()
    assert text_of(page.select_one("#banner-text")) == banner
    assert status in [text_of(s) for s in page.select(".component .state")]
    assert text_of(page.select_one("h3.day")) == day
    login = next(c for c in page.select(".component") if "Login" in text_of(c.select_one("h3, h4")))
    assert text_of(login.select_one("tbody td:nth-child(2)")) == uptime
    incident = site.html("incidents/2026-03-14-login/index.html")
    assert text_of(incident.select_one(".update-status")) == resolved
    assert f"({duration})" in text_of(incident.select_one(".facts"))


@pytest.mark.parametrize(
    ("language", "days", "hint"),
    [
        ("en", 1, "Uptime over the last day"),
        ("en", 90, "Uptime over the last 90 days"),
        ("de", 1, "Verfügbarkeit am letzten Tag"),
        ("de", 30, "Verfügbarkeit der letzten 30 Tage"),
        ("fr", 1, "Disponibilité du dernier jour"),
        ("es", 2, "Disponibilidad de los últimos 2 días"),
    ],
)
def test_plural_forms(site: Site, language: str, days: int, hint: str) -> None:
    language_site(site, language, days)
    assert text_of(site.html().select_one(".hint")) == hint


def test_feeds_translate_words_but_not_machine_fields(site: Site, tmp_path: Path) -> None:
    language_site(site, "en")
    english = feedparser.parse((site.out / "history.atom").read_bytes())
    language_site(site, "de")
    german = feedparser.parse((site.out / "history.atom").read_bytes())
    machine = [(e.id, e.link, e.published, e.updated) for e in english.entries]
    assert [(e.id, e.link, e.published, e.updated) for e in german.entries] == machine
    assert [e.title for e in german.entries] == [
        "Wird untersucht: API errors",
        "Behoben: Login page offline",
        "Wird untersucht: Login page offline",
    ]
    assert "Betroffen: Login" in german.entries[1].content[0].value
    assert german.feed.language == "de"
    rss = feedparser.parse((site.out / "history.rss").read_bytes())
    assert rss.entries[0].title == "Wird untersucht: API errors"


def test_a_language_without_a_catalogue_warns_and_keeps_english_words(site: Site) -> None:
    language_site(site, "it")
    run = site.build()
    warning = (
        "statuspage.toml: warning: language 'it': the theme has no translation for it yet; its text stays in English"
    )
    assert run.err.splitlines().count(warning) == 1
    strict = site.build("--strict")
    assert strict.code == 1 and warning.replace("warning: ", "", 1) in strict.err
    page = site.html()
    assert text_of(page.select_one("#banner-text")) == "Partial System Outage"
    assert text_of(page.select_one("h3.day")) == "20 marzo 2026"  # dates still follow the language


def test_one_process_builds_each_site_in_its_own_language(site: Site) -> None:
    """Compiled templates are kept between builds of one process (the preview server), and
    Jinja folds `{{ 100 | percent }}` into them: an English build after a German one must
    not inherit the German "100,00 %"."""
    styles = {}
    for language in ("de", "en", "de"):
        language_site(site, language)
        styles[language] = site.html().select_one("style").string
    assert '--up:"100,00\xa0%"' in styles["de"]  # with a no-break space, as German writes it
    assert '--up:"100.00%"' in styles["en"]


_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from(_ZONES),
    language=st.sampled_from(["en", "de", "fr", "es", "en_AU", "ja", "ar"]),
)
def test_times_read_as_babel_writes_them(moment: datetime, zone: str, language: str) -> None:
    """The formatter remembers days and clock times apart; together they must still say what
    babel says of the whole moment (12-hour locales, odd offsets, DST folds included)."""
    fmt = Formatter(ZoneInfo(zone), language, lambda text: text)
    local = moment.astimezone(ZoneInfo(zone))
    locale = Locale.parse(language)
    day = format_skeleton("yMMMd", local, locale=locale)
    clock = format_skeleton("Hm", local, locale=locale)
    combined = str(get_datetime_format("medium", locale)).replace("{1}", day).replace("{0}", clock)
    assert fmt.datetime(moment) == f"{combined} {local.tzname()}"
    fmt.datetime(moment + timedelta(days=1))  # remembered pieces must not leak into another moment
    assert fmt.datetime(moment) == f"{combined} {local.tzname()}"
