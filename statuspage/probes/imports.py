"""`statuspage probe --import gatus|kuma|prometheus FILE`: other monitors' checks into the same JSON lines.

- Gatus: the JSON of /api/v1/endpoints/statuses (a list of endpoints, or one endpoint's page),
  each result with timestamp, success, status, duration (nanoseconds) and errors.
- Uptime Kuma: heartbeats (a list, a {monitor id: [heartbeats]} map, or {"heartbeatList": …,
  "monitorList": …}), each with time (UTC), status 0 down, 1 up, 2 pending, 3 maintenance, ping, msg.
- Prometheus: a query_range answer for probe_success (resultType matrix), a series per target.

Gatus and Prometheus do not confirm a failure, so three failures in a row are needed here, as
for our own probes; a shorter run is recorded as up, its failure in the error text. Kuma's
"down" is already confirmed by its retries ("pending" meanwhile, recorded as up with its
message); maintenance heartbeats are not checks and are left out. Each series' interval is the
median time between its samples. Importing a file twice adds nothing the second time.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.probes import Seen
from ..core.words import close_match
from ..errors import EditError, display_path
from . import store
from .runner import CONFIRM


@dataclass(frozen=True)
class Sample:
    at: datetime
    ok: bool
    code: int | None = None
    ms: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Imported:
    component: str
    series: str
    added: int
    already: int


class FormatError(ValueError):
    """The file is not what the format's documentation describes; the message says where it differs."""


def import_file(
    config: Config,
    source: str,
    path: Path,
    mapping: Mapping[str, str],
    component: str | None = None,
    location: str | None = None,
) -> list[Imported]:
    """Convert `path` and append its checks to data/probes/, matching each series to a component.

    `component` takes a file of one series whatever its name; `mapping` names a component per series.
    """
    shown = display_path(path)
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise EditError(f"{shown}: cannot be read: {error.strerror}") from None
    except ValueError as error:
        raise EditError(f"{shown}: not JSON ({error}); export it again") from None
    reader, confirm = FORMATS[source]
    try:
        series = reader(document)
    except FormatError as error:
        raise EditError(f"{shown}: not a {source} export as documented: {error}") from None
    if not series:
        raise EditError(f"{shown}: no checks in it; nothing was imported")
    if component is not None:
        if len(series) != 1:
            raise EditError(
                f"{shown} has {len(series)} series ({', '.join(series)}); name each with --map NAME=COMPONENT"
            )
        mapping = {next(iter(series)): component}
    targets = _match(config, series, mapping)
    results = []
    for key, samples in series.items():
        cid = targets[key]
        probe = config.probe_of.get(cid)
        checks = _checks(samples, location or source, confirm, probe.degraded_ms if probe else None)
        fresh = _not_yet_recorded(config, cid, checks)
        store.append(config.probes_dir, cid, fresh)
        results.append(Imported(cid, key, len(fresh), len(checks) - len(fresh)))
    return results


def _match(config: Config, series: Mapping[str, object], mapping: Mapping[str, str]) -> dict[str, str]:
    """Each series' component: from --map, else the series named like a component (its id or name)."""
    for cid in mapping.values():
        if cid not in config.component_names:
            raise EditError(f"unknown component {cid!r}; known: {', '.join(config.component_ids)}")
    by_name = {c.id.lower(): c.id for c in config.components} | {c.name.lower(): c.id for c in config.components}
    targets: dict[str, str] = {}
    unmatched: list[str] = []
    for key in series:
        found = mapping.get(key) or by_name.get(key.lower())
        if found is None:
            unmatched.append(key)
        else:
            targets[key] = found
    if unmatched:
        hints = "; ".join(
            f"{key!r} (did you mean {close_match(key, list(by_name))!r}?)"
            if close_match(key, list(by_name))
            else repr(key)
            for key in unmatched
        )
        raise EditError(
            f"no component for {hints}; map each with --map 'NAME=COMPONENT' "
            f"(components: {', '.join(config.component_ids)}); nothing was imported"
        )
    return targets


def _checks(samples: Sequence[Sample], location: str, confirm: bool, degraded_ms: int | None) -> list[store.Check]:
    ordered = sorted({s.at: s for s in samples}.values(), key=lambda s: s.at)
    gaps = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(ordered)]
    interval = max(round(statistics.median(gaps)), 1) if gaps else 60
    failed = [not s.ok for s in ordered]
    result = []
    for index, sample in enumerate(ordered):
        error: str | None
        confirmed = failed[index] and (not confirm or _run_length(failed, index) >= CONFIRM)
        if confirmed:
            seen, error = Seen.DOWN, sample.error or "failed"
        elif failed[index]:
            seen, error = (
                Seen.UP,
                f"not confirmed ({_run_length(failed, index)} failure(s) in a row): {sample.error or 'failed'}",
            )
        elif degraded_ms is not None and sample.ms is not None and sample.ms > degraded_ms:
            seen, error = Seen.DEGRADED, f"slow: {sample.ms} ms, over {degraded_ms} ms"
        else:
            seen, error = Seen.UP, sample.error
        result.append(store.Check(sample.at, location, seen, interval, sample.code, sample.ms, error))
    return result


def _run_length(flags: Sequence[bool], index: int) -> int:
    """How many failures in a row the one at `index` is part of."""
    start = index
    while start > 0 and flags[start - 1]:
        start -= 1
    end = index
    while end + 1 < len(flags) and flags[end + 1]:
        end += 1
    return end - start + 1


def _not_yet_recorded(config: Config, cid: str, checks: Iterable[store.Check]) -> list[store.Check]:
    """Checks whose time and location are not in the component's files already."""
    seen: set[tuple[str, str]] = set()
    for path in store.months(config.probes_dir, cid):
        for _, line in store.lines(path.read_bytes()):
            try:
                check = store.parse(line)
            except store.BadLine:
                continue
            seen.add((check.at.isoformat(), check.location))
    return [c for c in checks if (c.at.isoformat(), c.location) not in seen]


# -- the formats -----------------------------------------------------------------------------


def gatus(document: Any) -> dict[str, list[Sample]]:
    endpoints = document if isinstance(document, list) else [document]
    series: dict[str, list[Sample]] = {}
    for number, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("results"), list):
            raise FormatError(f"endpoint {number} has no list of results")
        key = str(endpoint.get("name") or endpoint.get("key") or number)
        for result in endpoint["results"]:
            if not isinstance(result, dict) or "timestamp" not in result or "success" not in result:
                raise FormatError(f"a result of {key!r} lacks timestamp or success")
            errors = result.get("errors") or []
            failed = [
                c.get("condition")
                for c in result.get("conditionResults") or []
                if isinstance(c, dict) and not c.get("success")
            ]
            duration = result.get("duration")
            series.setdefault(key, []).append(
                Sample(
                    _time(result["timestamp"]),
                    result["success"] is True,
                    _int(result.get("status")) or None,
                    round(duration / 1_000_000) if isinstance(duration, int | float) else None,
                    "; ".join(str(e) for e in [*errors, *(f"failed: {c}" for c in failed)]) or None,
                )
            )
    return series


#: Kuma's heartbeat statuses: 0 down, 1 up, 2 pending (retrying), 3 maintenance (no check).
_KUMA = {0: False, 1: True, 2: True}


def kuma(document: Any) -> dict[str, list[Sample]]:
    names: dict[str, str] = {}
    if isinstance(document, dict) and "heartbeatList" in document:
        monitors = document.get("monitorList") or {}
        names = {str(k): str(v.get("name")) for k, v in monitors.items() if isinstance(v, dict) and v.get("name")}
        document = document["heartbeatList"]
    if isinstance(document, list):
        groups: Mapping[str, Any] = {}
        for beat in document:
            if isinstance(beat, dict):
                groups.setdefault(str(beat.get("monitorID", beat.get("monitor_id", ""))), []).append(beat)  # type: ignore[attr-defined]
    elif isinstance(document, dict):
        groups = {str(k): v for k, v in document.items()}
    else:
        raise FormatError("expected a list of heartbeats or a map of monitor id to heartbeats")
    series: dict[str, list[Sample]] = {}
    for monitor, beats in groups.items():
        if not isinstance(beats, list):
            raise FormatError(f"monitor {monitor}: expected a list of heartbeats")
        key = names.get(monitor, monitor)
        for beat in beats:
            if not isinstance(beat, dict) or "time" not in beat or beat.get("status") not in (0, 1, 2, 3):
                raise FormatError(f"monitor {monitor}: a heartbeat lacks time or a status 0-3")
            if beat["status"] == 3:
                continue
            message = str(beat.get("msg") or "") or None
            if beat["status"] == 2:
                message = f"pending: {message or 'retrying'}"
            ping = beat.get("ping")
            series.setdefault(key, []).append(
                Sample(
                    _time(beat["time"]),
                    _KUMA[beat["status"]],
                    None,
                    round(ping) if isinstance(ping, int | float) else None,
                    message,
                )
            )
    return series


def prometheus(document: Any) -> dict[str, list[Sample]]:
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict) or data.get("resultType") != "matrix" or not isinstance(data.get("result"), list):
        raise FormatError('expected {"data": {"resultType": "matrix", "result": [...]}} from /api/v1/query_range')
    series: dict[str, list[Sample]] = {}
    for item in data["result"]:
        metric = item.get("metric", {}) if isinstance(item, dict) else {}
        key = str(metric.get("instance") or metric.get("job") or metric.get("__name__") or "probe_success")
        for pair in item.get("values", []) if isinstance(item, dict) else []:
            try:
                moment = datetime.fromtimestamp(float(pair[0]), UTC).replace(microsecond=0)
                value = float(pair[1])
            except (TypeError, ValueError, IndexError, OverflowError, OSError):
                raise FormatError(f'{key}: a value is not [unix time, "0" or "1"]') from None
            series.setdefault(key, []).append(
                Sample(moment, value >= 1, error=None if value >= 1 else "probe_success 0")
            )
    return series


FORMATS: dict[str, tuple[Callable[[Any], dict[str, list[Sample]]], bool]] = {
    "gatus": (gatus, True),
    "kuma": (kuma, False),
    "prometheus": (prometheus, True),
}


def _time(value: object) -> datetime:
    """An RFC 3339 time, or Kuma's "2026-11-20 09:05:00.123" (UTC), as whole UTC seconds."""
    text = _FRACTION.sub(lambda m: m.group(0)[:7], str(value).strip().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FormatError(f"cannot read the time {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


_FRACTION = re.compile(r"\.\d+")


def _int(value: object) -> int:
    return value if type(value) is int else 0
