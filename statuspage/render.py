"""Jinja environment and page contexts: turn the computed summary into HTML pages.

Template lookup order: the site's own `templates/`, then the built-in theme. The theme is
also reachable as `theme/<name>`, so an override can extend the original it replaces.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import DateTimePattern, get_datetime_format, match_skeleton, parse_pattern
from babel.numbers import format_percent
from babel.units import format_unit
from markupsafe import Markup

from . import i18n
from .cache import page_key
from .config import Config
from .model import ComponentStatus, Incident
from .status import MONTHS, IncidentState, Phase, Summary

THEME = Path(__file__).parent / "templates"


class Formatter:
    """Dates, times, durations and percentages in the site's zone and language.

    Babel resolves a skeleton to a pattern on every call; resolving each once and
    remembering formatted times (a time shows on several pages) keeps big builds fast.
    """

    def __init__(
        self, zone: ZoneInfo, language: str, gettext: Callable[[str], str], units: Literal["long", "narrow"] = "long"
    ):
        self.zone = zone
        self.units = units  # Babel's unit length: "long" on pages ("2 hours"), "narrow" in a terminal ("2h")
        self.locale = Locale.parse(language.replace("-", "_"))
        self._pattern = str(get_datetime_format("medium", self.locale))
        # Uptime always shows two decimals ("100.00%", "99.90%"): the value is floored to
        # hundredths, so the digits are exact and a perfect score is told apart from 99.99.
        percent_pattern = self.locale.percent_formats[None].pattern
        self._percent = percent_pattern.replace("#,##0", "#,##0.00", 1)
        self.gettext = gettext
        self._skeletons: dict[str, DateTimePattern] = {}
        self._datetimes: dict[dt.datetime, str] = {}
        self._whens: dict[dt.datetime, Markup] = {}
        self._units: dict[tuple[int, str], str] = {}
        self._days: dict[tuple[str, dt.date], str] = {}

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def datetime(self, moment: dt.datetime) -> str:
        """ "Mar 14, 2026, 09:41 CET": always with the zone named."""
        shown = self._datetimes.get(moment)
        if shown is None:
            local = self.local(moment)
            day, clock = self._format("yMMMd", local), self._format("Hm", local)
            shown = f"{self._pattern.replace('{1}', day).replace('{0}', clock)} {local.tzname()}"
            self._datetimes[moment] = shown
        return shown

    def time(self, moment: dt.datetime) -> str:
        local = self.local(moment)
        return f"{self._format('Hm', local)} {local.tzname()}"

    def date(self, day: dt.date) -> str:
        return self._format("yMMMd", day)

    def short_date(self, day: dt.date) -> str:
        """ "Nov 28": for the uptime bars, where the year is plain from the neighbours."""
        return self._format("MMMd", day)

    def long_date(self, day: dt.date) -> str:
        return self._format("yMMMMd", day)

    def month(self, day: dt.date) -> str:
        return self._format("yMMMM", day)

    def _format(self, skeleton: str, value: dt.date) -> str:
        """What babel's format_skeleton gives, with the skeleton resolved once; days remembered
        (local times are not: two instants in a DST fold compare equal)."""
        if type(value) is dt.date:
            key = (skeleton, value)
            if key not in self._days:
                self._days[key] = self._apply(skeleton, value)
            return self._days[key]
        return self._apply(skeleton, value)

    def _apply(self, skeleton: str, value: dt.date) -> str:
        pattern = self._skeletons.get(skeleton)
        if pattern is None:
            skeletons = self.locale.datetime_skeletons
            key = skeleton if skeleton in skeletons else (match_skeleton(skeleton, skeletons) or skeleton)
            pattern = parse_pattern(skeletons[key])
            self._skeletons[skeleton] = pattern
        return str(pattern.apply(value, self.locale))

    @staticmethod
    def iso(moment: dt.datetime | dt.date) -> str:
        return moment.isoformat()

    def when(self, moment: dt.datetime) -> Markup:
        """`<time datetime="…">Mar 14, 2026, 09:41 CET</time>`: a filter, not a macro, as pages
        show thousands (a macro call costs more than the text it makes)."""
        shown = self._whens.get(moment)
        if shown is None:
            shown = Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), self.datetime(moment))
            self._whens[moment] = shown
        return shown

    def duration(self, span: dt.timedelta) -> str:
        """ "2 days 3 hours", "1 hour 5 minutes": precise enough for an incident, never "about"."""
        minutes = max(int(span.total_seconds()) // 60, 0)
        days, minutes = divmod(minutes, 1440)
        hours, minutes = divmod(minutes, 60)
        # The two largest units: an incident's length to the minute only matters within a day.
        parts = (
            [(days, "duration-day"), (hours, "duration-hour")]
            if days
            else [(hours, "duration-hour"), (minutes, "duration-minute")]
        )
        return " ".join(self._unit(n, unit) for n, unit in parts if n) or self.gettext("less than a minute")

    def _unit(self, count: int, unit: str) -> str:
        """ "3 hours": Babel's `format_unit`, remembered (a site shows few distinct counts)."""
        key = (count, unit)
        if key not in self._units:
            self._units[key] = format_unit(count, unit, length=self.units, locale=self.locale)
        return self._units[key]

    def percent(self, value: Decimal) -> str:
        """ "99.92%", "100.00%" (German "99,92 %"), in the language's own percent pattern."""
        return format_percent(value / 100, format=self._percent, locale=self.locale)


@functools.lru_cache(maxsize=4)
def _formatter(zone: ZoneInfo, language: str) -> Formatter:
    """One per zone and language for the life of the process: it remembers what it formatted,
    and the preview server builds again and again."""
    return Formatter(zone, language, i18n.translations(language).gettext)


def css_string(text: str) -> Markup:
    """A quoted CSS string that is also safe inside a <style> element."""
    escaped = text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{escaped}"')


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the life of the process: the preview server
    rebuilds on every save and need not compile them again. Jinja checks each entry against
    the template's source, so an edited template is compiled afresh. Jinja also folds filters
    applied to constants (`{{ 100 | percent }}`) into the code, so each zone and language has
    its own (see `_compiled`)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@functools.lru_cache(maxsize=4)
def _compiled(zone: ZoneInfo, language: str) -> _CompiledTemplates:
    return _CompiledTemplates()


def environment(config: Config) -> jinja2.Environment:
    """Build the environment once per build; templates are compiled once and cached."""
    theme = jinja2.FileSystemLoader(THEME)
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(config.templates_dir))
    loaders += [theme, jinja2.PrefixLoader({"theme": theme})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # compiled once per build; no mtime check per include and page
        bytecode_cache=_compiled(config.timezone, config.language),
    )
    i18n.warn_if_untranslated(config.language)
    translations = i18n.translations(config.language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _translator(translations.gettext)
    fmt = _formatter(config.timezone, config.language)
    env.filters.update(
        datetime=fmt.datetime,
        time=fmt.time,
        date=fmt.date,
        short_date=fmt.short_date,
        long_date=fmt.long_date,
        month=fmt.month,
        iso=fmt.iso,
        when=fmt.when,
        duration=fmt.duration,
        percent=fmt.percent,
        css_string=css_string,
    )
    # Globals, not page context: imported macros see globals only. Only what the config
    # determines goes here: a page is kept between builds when its own context is unchanged.
    env.globals.update(
        config=config, Phase=Phase, ComponentStatus=ComponentStatus, components={c.id: c for c in config.components}
    )
    return env


def _translator(gettext: Callable[[str], str]) -> Callable[..., Markup]:
    """`_()` as Jinja's new-style gettext has it (the text is markup, values are escaped into
    it), with each constant text translated once: pages call it tens of thousands of times."""
    constant: dict[str, Markup] = {}

    def translate(text: str, **values: object) -> Markup:
        if values:
            return Markup(gettext(text)) % values
        if text not in constant:
            constant[text] = Markup(gettext(text)) % {}
        return constant[text]

    return translate


@dataclass(frozen=True)
class Page:
    """One output page: where it goes, the template that renders it, and all it shows.

    `key` sums up the context (with the config, templates and code, it decides the bytes),
    so a page whose key did not change since the last build need not be rendered again.
    None: render every time.
    """

    path: str  # relative to the site root, e.g. "incidents/login/index.html"
    template: str
    context: dict[str, Any]
    key: str | None = None

    @property
    def url_path(self) -> str:
        """The page's address relative to the site root ("incidents/login/")."""
        return self.path.removesuffix("index.html")


def _root(path: str) -> str:
    """The relative prefix from a page back to the site root, so sub-path hosting just works."""
    return "../" * path.count("/")


def pages(config: Config, incidents: Sequence[Incident], summary: Summary) -> Iterator[Page]:
    """Every HTML page of the site, with its context.

    Only the status page shows the build time ("Updated …"); other pages change only when
    what they show changes, so their files (and mtimes) stay put between scheduled builds.
    """
    titles = {i.slug: i.title for i in incidents}
    yield Page("index.html", "index.html", {"summary": summary, "titles": titles, "updated": summary.now})
    for incident in incidents:
        yield _incident_page(incident, summary)
    yield from _history_pages(config, incidents, summary)
    yield from _component_pages(incidents, summary, titles)
    yield Page("404.html", "404.html", {"updated": None}, key=page_key("404"))


def _incident_page(incident: Incident, summary: Summary) -> Page:
    state = summary.states[incident.slug]
    ongoing_for = summary.now - incident.start if state.phase is Phase.ONGOING else None
    context = {"incident": incident, "state": state, "ongoing_for": ongoing_for, "updated": None}
    return Page(
        f"incidents/{incident.slug}/index.html", "incident.html", context, _state_key(incident, state, ongoing_for)
    )


def _state_key(incident: Incident, state: IncidentState, *more: object) -> str | None:
    """The key of a page about this incident in this state; None for an incident not read from a note."""
    if not incident.digest:
        return None
    return page_key(incident.digest, incident.slug, state.phase, state.status, len(state.updates), *more)


def render(env: jinja2.Environment, config: Config, page: Page) -> bytes:
    # The 404 page is served at any depth, so it links from the site's absolute path.
    root = config.base_path if page.path == "404.html" else _root(page.path)
    context = {**page.context, "root": root, "page_url": config.url + page.url_path, "page_path": page.path}
    return env.get_template(page.template).render(context).encode("utf-8")


def _component_pages(incidents: Sequence[Incident], summary: Summary, titles: dict[str, str]) -> Iterator[Page]:
    """A page per component: its status, bars, monthly uptime, and the incidents that touched it."""
    for c in summary.components.values():
        cid = c.component.id
        current = [i for i in summary.ongoing + summary.active_maintenance if cid in i.component_ids]
        touched = {slug for month in c.months for slug in month.incidents}
        context = {
            "summary": summary,
            "c": c,
            "current": current,
            "upcoming": [i for i in summary.upcoming_maintenance if cid in i.component_ids],
            "past": [i for i in incidents if i.slug in touched and i not in current],
            "months": MONTHS,
            "titles": titles,
            "updated": summary.now,
        }
        yield Page(f"components/{cid}/index.html", "component.html", context)


@dataclass(frozen=True)
class Month:
    first_day: date
    incidents: tuple[Incident, ...]


def _history_pages(config: Config, incidents: Sequence[Incident], summary: Summary) -> Iterator[Page]:
    """Past and ongoing incidents by month, `history_per_page` incidents a page, empty months shown."""
    listed = [i for i in incidents if summary.states[i.slug].phase is not Phase.UPCOMING]
    per_page = config.history_per_page
    chunks = [listed[n : n + per_page] for n in range(0, len(listed), per_page)] or [[]]
    top = _month_of(summary.now, config)
    for number, chunk in enumerate(chunks, start=1):
        bottom = _month_of(chunk[-1].start, config) if chunk else top
        months = _months(top, bottom, chunk, config)
        path = "history/index.html" if number == 1 else f"history/{number}/index.html"
        states = {i.slug: summary.states[i.slug] for i in chunk}
        keys = [_state_key(i, states[i.slug]) for i in chunk]
        key = (
            None
            if None in keys
            else page_key("history", number, len(chunks), top.isoformat(), bottom.isoformat(), *keys)
        )
        context = {"months": months, "number": number, "pages": len(chunks), "states": states, "updated": None}
        yield Page(path, "history.html", context, key)
        if number < len(chunks):
            following = _month_of(chunks[number][0].start, config)
            top = bottom if following == bottom else _previous_month(bottom)


def _month_of(moment: datetime, config: Config) -> date:
    return moment.astimezone(config.timezone).date().replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _months(top: date, bottom: date, chunk: Sequence[Incident], config: Config) -> tuple[Month, ...]:
    by_month: dict[date, list[Incident]] = {}
    for incident in chunk:
        by_month.setdefault(_month_of(incident.start, config), []).append(incident)
    months = []
    month = top
    while month >= bottom:
        months.append(Month(month, tuple(by_month.get(month, ()))))
        month = _previous_month(month)
    return tuple(months)
