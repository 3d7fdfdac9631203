"""`statuspage probe --import gatus|kuma|prometheus FILE`: other monitors' checks into the same JSON lines.

The formats are read by formats.py. Gatus and Prometheus do not confirm a failure, so three failures in a row are needed here, as
for our own probes; a shorter run is recorded as up, its failure in the error text. Kuma's
"down" is already confirmed by its retries ("pending" meanwhile, recorded as up with its
message); maintenance heartbeats are not checks and are left out. Each series' interval is the
median time between its samples. Importing a file twice adds nothing the second time.
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.config import Config
from ..core.probes import Seen
from ..core.words import close_match
from ..errors import EditError, display_path
from . import store
from .formats import FORMATS, FormatError, Sample
from .runner import CONFIRM

__all__ = ["FORMATS", "Imported", "import_file"]


@dataclass(frozen=True)
class Imported:
    component: str
    series: str
    added: int
    already: int


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
    except RecursionError:
        raise EditError(f"{shown}: nested too deeply to be an export; export it again") from None
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
        try:
            store.append(config.probes_dir, cid, fresh)
        except OSError as error:
            raise EditError(f"{display_path(config.probes_dir / cid)}: cannot be written: {error.strerror}") from None
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
