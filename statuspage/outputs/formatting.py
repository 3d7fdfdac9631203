"""Dates, times, durations and percentages for readers, in the site's zone and language.

Babel knows every locale's patterns; this resolves each one once and remembers what it
formatted, because a big site shows the same moments on many pages.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, get_datetime_format, match_skeleton, parse_pattern
from babel.numbers import format_percent
from babel.units import format_unit
from markupsafe import Markup, escape

from . import i18n

#: Stands for the build's own time in pages rendered once and shown at other moments (see
#: `outputs/pages.py`). Told apart by identity: an update posted at the very same time is not it.
BUILD_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: What `when` shows for `BUILD_TIME`: random, so that no note, config or vendor can show it.
BUILD_TIME_SHOWN = Markup(f"<build-time {secrets.token_hex(16)}>")


class Formatter:
    """Dates, times, durations and percentages in the site's zone and language.

    Babel resolves a skeleton to a pattern on every call; resolving each once and
    remembering formatted times (a time shows on several pages) keeps big builds fast.
    """

    def __init__(self, zone: ZoneInfo, language: str, gettext: Callable[[str], str]):
        self.zone = zone
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
        self._percents: dict[str, str] = {}
        self._days: dict[tuple[str, dt.date | dt.time], str] = {}

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def datetime(self, moment: dt.datetime) -> str:
        """ "Mar 14, 2026, 09:41 CET": always with the zone named."""
        shown = self._datetimes.get(moment)
        if shown is None:
            local = self.local(moment)
            # The day's fields come from the date and the clock's from hour and minute alone,
            # so both are remembered: a site has few distinct days and at most 1,440 clock times.
            day = self._format("yMMMd", local.date())
            clock = self._format("Hm", dt.time(local.hour, local.minute))
            shown = f"{self._pattern.replace('{1}', day).replace('{0}', clock)} {local.tzname()}"
            self._datetimes[moment] = shown
        return shown

    def date(self, day: dt.date) -> str:
        return self._format("yMMMd", day)

    def short_date(self, day: dt.date) -> str:
        """ "Nov 28": for the uptime bars, where the year is plain from the neighbours."""
        return self._format("MMMd", day)

    def long_date(self, day: dt.date) -> str:
        return self._format("yMMMMd", day)

    def month(self, day: dt.date) -> str:
        return self._format("yMMMM", day)

    def _format(self, skeleton: str, value: dt.date | dt.time) -> str:
        """What babel's format_skeleton gives, with the skeleton resolved once; days and clock
        times remembered (aware local times are not: two instants in a DST fold compare equal)."""
        if type(value) is dt.date or type(value) is dt.time:
            key = (skeleton, value)
            if key not in self._days:
                self._days[key] = self._apply(skeleton, value)
            return self._days[key]
        return self._apply(skeleton, value)

    def _apply(self, skeleton: str, value: dt.date | dt.time) -> str:
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
        show thousands (a macro call costs more than the text it makes). `BUILD_TIME` itself
        gives its placeholder, for the build's own time to be filled in later."""
        if moment is BUILD_TIME:
            return BUILD_TIME_SHOWN
        shown = self._whens.get(moment)
        if shown is None:
            # Escaped as Markup.format escapes, without its string.Formatter: an incident page shows a dozen.
            shown = Markup(f'<time datetime="{escape(moment.isoformat())}">{escape(self.datetime(moment))}</time>')
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
            self._units[key] = format_unit(count, unit, length="long", locale=self.locale)
        return self._units[key]

    def percent(self, value: Decimal) -> str:
        """ "99.92%", "100.00%" (German "99,92 %"), in the language's own percent pattern;
        remembered, as most of a page's hundreds of days show the same few values."""
        key = str(value)  # not the Decimal: 100 and 100.00 are equal, and a pattern may show their digits
        shown = self._percents.get(key)
        if shown is None:
            shown = self._percents[key] = format_percent(value / 100, format=self._percent, locale=self.locale)
        return shown


@functools.lru_cache(maxsize=4)
def formatter(zone: ZoneInfo, language: str) -> Formatter:
    """One per zone and language for the life of the process: it remembers what it formatted,
    and the preview server builds again and again."""
    return Formatter(zone, language, i18n.translations(language).gettext)


def css_string(text: str) -> Markup:
    """A quoted CSS string that is also safe inside a <style> element."""
    escaped = text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{escaped}"')
