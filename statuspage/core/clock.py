"""The one clock, and the times people write in notes: reading them, and writing them back.

Times without an offset are wall-clock times in the site's zone. A local time that
happens twice (clocks go back) or never (clocks go forward) is refused rather than
silently shifted: the message says which offsets to choose from.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .words import brief

#: "2026-03-14 09:41", "2026-03-14T09:41:00", "2026-03-14 09:41 +01:00", "… Z", "… UTC".
TIME_PATTERN = (
    r"\d{4}-\d{1,2}-\d{1,2}[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?))?"
)
_TIME = re.compile(
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2})[T ]\s*(?P<clock>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<zone>Z|UTC|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
EXAMPLE = "2026-03-14 09:41"
YEARS = range(1970, 3000)


class TimeError(ValueError):
    """A time that cannot be read; the message says how to write it."""


def parse_time(value: object, zone: ZoneInfo) -> datetime:
    """Turn a note's time (text, or what YAML made of it) into an aware UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise TimeError(f"{value.isoformat()} has no time of day; write it like {value.isoformat()} 09:41")
    elif isinstance(value, str):
        moment = _parse_text(value.strip())
    else:
        raise TimeError(f"expected a time like {EXAMPLE}, got {brief(value)}")
    _check_year(moment)
    if moment.tzinfo is None:
        moment = localize(moment, zone)
    # Whole seconds keep the uptime arithmetic exact and the output stable.
    return moment.astimezone(UTC).replace(microsecond=0)


def _check_year(moment: datetime) -> None:
    """Refuse years no status page has; the bounds also keep date arithmetic far from datetime's limits."""
    if moment.year not in YEARS:
        raise TimeError(f"the year {moment.year} is out of range; use a year from {YEARS[0]} to {YEARS[-1]}")


def _parse_text(text: str) -> datetime:
    match = _TIME.fullmatch(text)
    if not match:
        raise TimeError(f"cannot read the time {text!r}; write it like {EXAMPLE} (optionally +01:00 or Z)")
    zone_text = (match["zone"] or "").upper()
    if zone_text in ("Z", "UTC"):
        zone_text = "+00:00"
    elif zone_text and ":" not in zone_text:
        zone_text = zone_text[:3] + ":" + (zone_text[3:] or "00")
    try:
        return datetime.fromisoformat(f"{_pad_date(match['date'])}T{_pad_clock(match['clock'])}{zone_text}")
    except ValueError as error:
        raise TimeError(f"{text!r} is not a real time: {error}") from None


def _pad_date(text: str) -> str:
    if len(text) == 10:
        return text  # nearly every time is written so: 2026-03-14
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _pad_clock(text: str) -> str:
    if text[2:3] == ":":
        return text
    hour, rest = text.split(":", 1)
    return f"{int(hour):02d}:{rest}"


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach the site's zone to a wall-clock time, refusing ambiguous or skipped times."""
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        shown = naive.strftime("%Y-%m-%d %H:%M")
        round_trip = early.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != naive:
            raise TimeError(
                f"{shown} does not exist in {zone.key} (the clocks jump forward then); "
                f"check the time, or give an offset like {shown}{_offset(early)}"
            )
        raise TimeError(
            f"{shown} happens twice in {zone.key} (the clocks go back then); "
            f"add the offset: {shown}{_offset(early)} or {shown}{_offset(late)}"
        )
    return early


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset() or timedelta(0)
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def build_time(given: str | None, zone: ZoneInfo, environ: dict[str, str] | None = None) -> datetime:
    """`--now`, else SOURCE_DATE_EPOCH, else the system clock: the build's single `now`."""
    environ = dict(os.environ) if environ is None else environ
    if given:
        return parse_time(given, zone)
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise TimeError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from None
        _check_year(moment)
        return moment
    return datetime.now(UTC).replace(microsecond=0)


def write_time(moment: datetime, zone: ZoneInfo, seconds: bool = False) -> str:
    """A time as people write it in notes, in the site's zone; with its offset only when the clocks go back."""
    local = moment.astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    try:
        localize(local.replace(tzinfo=None), zone)
    except TimeError:  # this wall-clock time happens twice: say which one
        text += f" {_offset(local)}"
    return text


def show(moment: datetime, zone: ZoneInfo) -> str:
    """A time for a message: as a note would have it, with the zone's abbreviation ("2026-03-14 09:05 CET")."""
    return f"{write_time(moment, zone)} {moment.astimezone(zone).tzname()}"


def short_duration(span: timedelta) -> str:
    """ "3d 4h", "2h 5m", "7m": a terminal's compact duration, the two largest units."""
    minutes = max(int(span.total_seconds()) // 60, 0)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "d"), (hours, "h")] if days else [(hours, "h"), (minutes, "m")]
    return " ".join(f"{n}{unit}" for n, unit in parts if n) or "less than a minute"


_SPAN = re.compile(r"(\d+)\s*([smhdw])")
_SPAN_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_span(text: str) -> timedelta:
    """A span of time as people type it on a command line: "90m", "1h", "2d", "1h30m", "0"."""
    compact = text.strip().lower().replace(" ", "")
    if compact == "0":
        return timedelta(0)
    parts = _SPAN.findall(compact)
    if not parts or "".join(n + unit for n, unit in parts) != compact:
        raise TimeError(f"cannot read the span {brief(text)}; write it like 90m, 1h, 2d or 1h30m")
    try:
        return sum((timedelta(**{_SPAN_UNITS[unit]: int(n)}) for n, unit in parts), timedelta(0))
    except OverflowError:
        raise TimeError(f"the span {brief(text)} is too long") from None
