"""Jinja environment and page contexts: turn the computed summary into HTML pages.

Template lookup order: the site's own `templates/`, then the built-in theme. The theme is
also reachable as `theme/<name>`, so an override can extend the original it replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import DateTimePattern, get_datetime_format, match_skeleton, parse_pattern

from .cache import page_key
from .config import Config
from .model import Incident
from .status import IncidentState, Phase, Summary

THEME = Path(__file__).parent / "templates"


class Formatter:
    """Dates, times and durations in the site's zone and language.

    Babel resolves a skeleton to a pattern on every call; resolving each once and
    remembering formatted times (a time shows on several pages) keeps big builds fast.
    """

    def __init__(self, config: Config):
        self.zone = config.timezone
        self.locale = Locale.parse(config.language.replace("-", "_"))
        self._pattern = str(get_datetime_format("medium", self.locale))
        self._skeletons: dict[str, DateTimePattern] = {}
        self._datetimes: dict[dt.datetime, str] = {}

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
        """What babel's format_skeleton gives, with the skeleton resolved once per build."""
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

    @staticmethod
    def duration(span: dt.timedelta) -> str:
        """ "2 d 3 h", "1 h 5 min", "36 min": precise enough for an incident, never "about"."""
        minutes = max(int(span.total_seconds()) // 60, 0)
        days, minutes = divmod(minutes, 1440)
        hours, minutes = divmod(minutes, 60)
        if days:
            return f"{days} d {hours} h" if hours else f"{days} d"
        if hours:
            return f"{hours} h {minutes} min" if minutes else f"{hours} h"
        return f"{minutes} min" if minutes else "< 1 min"


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
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    fmt = Formatter(config)
    env.filters.update(
        datetime=fmt.datetime,
        time=fmt.time,
        date=fmt.date,
        short_date=fmt.short_date,
        long_date=fmt.long_date,
        month=fmt.month,
        iso=fmt.iso,
        duration=fmt.duration,
    )
    # Globals, not page context: imported macros see globals only. Only what the config
    # determines goes here: a page is kept between builds when its own context is unchanged.
    env.globals.update(config=config, Phase=Phase, components={c.id: c for c in config.components})
    return env


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
    return page_key(incident.digest, incident.slug, state.phase.value, state.status.value, len(state.updates), *more)


def render(env: jinja2.Environment, config: Config, page: Page) -> bytes:
    # The 404 page is served at any depth, so it links from the site's absolute path.
    root = config.base_path if page.path == "404.html" else _root(page.path)
    context = {**page.context, "root": root, "page_url": config.url + page.url_path, "page_path": page.path}
    return env.get_template(page.template).render(context).encode("utf-8")


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
