"""Other monitors' exports read into samples, every value checked: a file that is not what its
format's documentation describes raises FormatError saying where, never anything else.

- Gatus: the JSON of /api/v1/endpoints/statuses (a list of endpoints, or one endpoint's page),
  each result with timestamp, success, status, duration (nanoseconds) and errors.
- Uptime Kuma: heartbeats (a list, a {monitor id: [heartbeats]} map, or {"heartbeatList": …,
  "monitorList": …}, the monitors as a map or, as backups write them, a list), each with time
  (UTC), status 0 down, 1 up, 2 pending, 3 maintenance, ping (ms) and msg.
- Prometheus: a query_range answer for probe_success (resultType matrix), a series per target.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..core.words import brief

#: Longer than this is no response time but a broken value (a day, in milliseconds).
LONGEST_MS = 86_400_000
#: Checks before this are a broken time (and would not fit the files' four-digit years).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Sample:
    at: datetime
    ok: bool
    code: int | None = None
    ms: int | None = None
    error: str | None = None


class FormatError(ValueError):
    """The file is not what the format's documentation describes; the message says where it differs."""


Series = dict[str, list[Sample]]


def gatus(document: Any) -> Series:
    endpoints = document if isinstance(document, list) else [document]
    series: Series = {}
    for number, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("results"), list):
            raise FormatError(f"endpoint {number} has no list of results")
        key = _name(endpoint.get("name")) or _name(endpoint.get("key")) or str(number)
        for index, result in enumerate(endpoint["results"]):
            where = f"{key!r}, result {index}"
            if not isinstance(result, dict) or "timestamp" not in result or not isinstance(result.get("success"), bool):
                raise FormatError(f"{where}: lacks a timestamp, or success as true or false")
            errors = _list(result.get("errors"), f"{where}: errors")
            conditions = _list(result.get("conditionResults"), f"{where}: conditionResults")
            failed = [c.get("condition") for c in conditions if isinstance(c, dict) and not c.get("success")]
            series.setdefault(key, []).append(
                Sample(
                    _time(result["timestamp"], where),
                    result["success"],
                    _code(result.get("status")),
                    _ms(result.get("duration"), f"{where}: duration", per_ms=1_000_000),
                    "; ".join(str(e) for e in [*errors, *(f"failed: {c}" for c in failed)]) or None,
                )
            )
    return series


#: Kuma's heartbeat statuses: 0 down, 1 up, 2 pending (retrying), 3 maintenance (no check).
_KUMA = {0: False, 1: True, 2: True}


def kuma(document: Any) -> Series:
    names: dict[str, str] = {}
    if isinstance(document, dict) and ("heartbeatList" in document or "monitorList" in document):
        names = _kuma_names(document.get("monitorList"))
        if "heartbeatList" not in document:
            raise FormatError("a monitorList without a heartbeatList: a Kuma backup holds no heartbeats")
        document = document["heartbeatList"]
    groups: dict[str, list[Any]] = {}
    if isinstance(document, list):
        for number, beat in enumerate(document):
            monitor = beat.get("monitorID", beat.get("monitor_id")) if isinstance(beat, dict) else None
            if _name(monitor) is None:
                raise FormatError(f"heartbeat {number} has no monitorID")
            groups.setdefault(str(monitor), []).append(beat)
    elif isinstance(document, dict):
        groups = {str(k): _list(v, f"monitor {k}: its heartbeats") for k, v in document.items()}
    else:
        raise FormatError("expected a list of heartbeats or a map of monitor id to heartbeats")
    series: Series = {}
    for monitor, beats in groups.items():
        key = names.get(monitor, monitor)
        for index, beat in enumerate(beats):
            where = f"monitor {monitor}, heartbeat {index}"
            status = beat.get("status") if isinstance(beat, dict) else None
            if (
                not isinstance(beat, dict)
                or "time" not in beat
                or type(status) is not int
                or status not in (0, 1, 2, 3)
            ):
                raise FormatError(f"{where}: lacks time or a status 0-3")
            if status == 3:
                continue
            message = _text(beat.get("msg"))
            if status == 2:
                message = f"pending: {message or 'retrying'}"
            ms = _ms(beat.get("ping"), f"{where}: ping")
            series.setdefault(key, []).append(Sample(_time(beat["time"], where), _KUMA[status], None, ms, message))
    return series


def _kuma_names(monitors: object) -> dict[str, str]:
    """Monitor names by id, from a {id: monitor} map or a list of monitors with their ids."""
    if monitors is None:
        return {}
    if isinstance(monitors, dict):
        pairs = [(k, v.get("name")) for k, v in monitors.items() if isinstance(v, dict)]
    elif isinstance(monitors, list):
        pairs = [(m.get("id"), m.get("name")) for m in monitors if isinstance(m, dict)]
    else:
        raise FormatError(f"monitorList must be a map or a list of monitors, got {brief(monitors)}")
    return {str(k): name for k, name in pairs if _name(k) is not None and isinstance(name, str) and name}


def prometheus(document: Any) -> Series:
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict) or data.get("resultType") != "matrix" or not isinstance(data.get("result"), list):
        raise FormatError('expected {"data": {"resultType": "matrix", "result": [...]}} from /api/v1/query_range')
    series: Series = {}
    for number, item in enumerate(data["result"]):
        if not isinstance(item, dict):
            raise FormatError(f"result {number} is not an object with metric and values")
        metric = item.get("metric", {})
        if not isinstance(metric, dict):
            raise FormatError(f"result {number}: metric must be a map of labels, got {brief(metric)}")
        labels = (metric.get(label) for label in ("instance", "job", "__name__"))
        key = next((label for label in labels if isinstance(label, str) and label), "probe_success")
        for pair in _list(item.get("values"), f"{key}: values"):
            if not isinstance(pair, list) or len(pair) != 2:
                raise FormatError(f'{key}: a value is not [unix time, "0" or "1"]: {brief(pair)}')
            moment = _unix(pair[0], key)
            value = _number(pair[1])
            if value is None:
                raise FormatError(f'{key}: a value is not [unix time, "0" or "1"]: {brief(pair)}')
            series.setdefault(key, []).append(
                Sample(moment, value >= 1, error=None if value >= 1 else "probe_success 0")
            )
    return series


#: Each format's reader, and whether its failures still need confirming (three in a row).
FORMATS: dict[str, tuple[Callable[[Any], Series], bool]] = {
    "gatus": (gatus, True),
    "kuma": (kuma, False),
    "prometheus": (prometheus, True),
}


# -- the values ------------------------------------------------------------------------------


def _time(value: object, where: str) -> datetime:
    """An RFC 3339 time, or Kuma's "2026-11-20 09:05:00.123" (UTC), as whole UTC seconds."""
    if not isinstance(value, str):
        raise FormatError(f"{where}: the time {brief(value)} is not text")
    text = _FRACTION.sub(lambda m: m.group(0)[:7], value.strip().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise FormatError(f"{where}: cannot read the time {brief(value)}") from None
    return _checked(moment, where)


_FRACTION = re.compile(r"\.\d+")


def _unix(value: object, where: str) -> datetime:
    seconds = _number(value)
    try:
        moment = datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        raise FormatError(f"{where}: {brief(value)} is not a unix time")
    return _checked(moment, where)


def _checked(moment: datetime, where: str) -> datetime:
    if moment < EARLIEST:
        raise FormatError(f"{where}: {moment:%Y-%m-%d} is before 1970, not a time a check ran")
    return moment.replace(microsecond=0)


def _number(value: object) -> float | None:
    """A finite number, given as a number or as text (as Prometheus gives values)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _ms(value: object, where: str, per_ms: int = 1) -> int | None:
    """A response time in whole milliseconds (None when not given); `per_ms`: the file's units in one."""
    if value is None:
        return None
    number = _number(value) if not isinstance(value, str) else None
    if number is None or not 0 <= number / per_ms <= LONGEST_MS:
        raise FormatError(f"{where}: {brief(value)} is not a response time")
    return round(number / per_ms)


def _code(value: object) -> int | None:
    """An HTTP status, or None (Gatus says 0 when there was no answer)."""
    return value if type(value) is int and 100 <= value <= 599 else None


def _name(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return str(value)


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _list(value: object, what: str) -> list[Any]:
    """A list, or none given; anything else is not the format."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{what} must be a list, got {brief(value)}")
    return value
