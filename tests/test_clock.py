"""Reading times: offsets, the site's zone, DST gaps and overlaps, and the build clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from statuspage.core.clock import TimeError, build_time, parse_time

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14 09:41", datetime(2026, 3, 14, 8, 41, tzinfo=UTC)),  # CET = UTC+1
        ("2026-07-14 09:41", datetime(2026, 7, 14, 7, 41, tzinfo=UTC)),  # CEST = UTC+2
        ("2026-03-14T09:41:30", datetime(2026, 3, 14, 8, 41, 30, tzinfo=UTC)),
        ("2026-3-4 9:05", datetime(2026, 3, 4, 8, 5, tzinfo=UTC)),
        ("2026-03-14 09:41Z", datetime(2026, 3, 14, 9, 41, tzinfo=UTC)),
        ("2026-03-14 09:41 UTC", datetime(2026, 3, 14, 9, 41, tzinfo=UTC)),
        ("2026-03-14 09:41 -05:00", datetime(2026, 3, 14, 14, 41, tzinfo=UTC)),
        ("2026-03-14 09:41+0530", datetime(2026, 3, 14, 4, 11, tzinfo=UTC)),
        ("2026-03-14 09:41:00.750", datetime(2026, 3, 14, 8, 41, tzinfo=UTC)),  # whole seconds only
    ],
)
def test_parse_text(text: str, expected: datetime) -> None:
    assert parse_time(text, BERLIN) == expected


def test_parse_yaml_values() -> None:
    # PyYAML turns "2026-03-14 09:41:00" into a naive datetime, with an offset into an aware one.
    assert parse_time(datetime(2026, 3, 14, 9, 41), BERLIN) == datetime(2026, 3, 14, 8, 41, tzinfo=UTC)
    aware = datetime(2026, 3, 14, 9, 41, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert parse_time(aware, BERLIN) == datetime(2026, 3, 14, 0, 41, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "cannot read the time 'yesterday'; write it like 2026-03-14 09:41 (optionally +01:00 or Z)"),
        ("2026-02-30 10:00", "'2026-02-30 10:00' is not a real time: day is out of range for month"),
        (date(2026, 3, 14), "2026-03-14 has no time of day; write it like 2026-03-14 09:41"),
        (581, "expected a time like 2026-03-14 09:41, got 581"),
        (
            "2026-03-29 02:30",
            "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks jump forward then); "
            "check the time, or give an offset like 2026-03-29 02:30+01:00",
        ),
        (
            "2026-10-25 02:30",
            "2026-10-25 02:30 happens twice in Europe/Berlin (the clocks go back then); "
            "add the offset: 2026-10-25 02:30+02:00 or 2026-10-25 02:30+01:00",
        ),
    ],
)
def test_unreadable_and_ambiguous_times(value: object, message: str) -> None:
    with pytest.raises(TimeError) as caught:
        parse_time(value, BERLIN)
    assert str(caught.value) == message


def test_ambiguous_time_with_offset_is_fine() -> None:
    assert parse_time("2026-10-25 02:30+01:00", BERLIN) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert parse_time("2026-10-25 02:30+02:00", BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_build_time_prefers_flag_then_source_date_epoch() -> None:
    env = {"SOURCE_DATE_EPOCH": "1773481260"}  # 2026-03-14 09:41:00 UTC
    assert build_time("2026-01-01 00:00Z", BERLIN, env) == datetime(2026, 1, 1, tzinfo=UTC)
    assert build_time(None, BERLIN, env) == datetime(2026, 3, 14, 9, 41, tzinfo=UTC)
    before = datetime.now(UTC).replace(microsecond=0)
    assert before <= build_time(None, BERLIN, {}) <= datetime.now(UTC)
    with pytest.raises(TimeError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        build_time(None, BERLIN, {"SOURCE_DATE_EPOCH": "soon"})
