"""Ask each vendor for its summary and keep what it says; the only part of a build on the network.

A vendor that is down, slow or answering nonsense costs a warning, never the build: its last
good snapshot stays, and the pages show it "as of" when it was taken. Requests are
conditional (the stored ETag in If-None-Match), so an unchanged summary costs a 304; but
only while the stored snapshot was cut for the components the config asks for now, and
matched all of them.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

from .. import net, storage
from ..core import clock
from ..core.config import Config, UpstreamSource
from ..core.words import close_match
from ..errors import Problem, display_path
from . import document, store

log = logging.getLogger(__name__)

TIMEOUT = 10.0
#: One more try after a failure or a 429/5xx: a build should not wait long on someone else's outage.
RETRY = net.Retry(attempts=2, longest_pause=5.0, total=25.0)
#: A summary bigger than this is not one (Cloudflare's, with hundreds of components, is about 250 kB).
LARGEST = 5_000_000
#: A build as of a time further back than this cannot learn that time's status from a vendor.
PAST = timedelta(minutes=5)


def refresh(config: Config, now: datetime, client: net.Client | None = None) -> list[Problem]:
    """Fetch every `[[upstream]]` summary (in parallel) and store it; each failure is a warning."""
    if not config.upstream:
        return []
    wall = datetime.now(UTC).replace(microsecond=0)
    if now < wall - PAST:
        log.info("Building as of an earlier time: third-party status comes from the stored snapshots.")
        return []
    client = client or net.Client(timeout=TIMEOUT, retry=RETRY)
    moment = min(wall, now.astimezone(UTC))  # never after the build's `now`, which would hide it
    with ThreadPoolExecutor(max_workers=min(4, len(config.upstream))) as pool:
        results = pool.map(partial(_refresh, client, config, moment), config.upstream)
        return [problem for problems in results for problem in problems]


def _refresh(client: net.Client, config: Config, moment: datetime, source: UpstreamSource) -> list[Problem]:
    where = display_path(store.folder(config, source))
    try:
        with storage.locked(config.cache_dir / f"upstream-{source.id}.lock"):
            return _fetch(client, config, moment, source, where)
    except storage.Locked:
        log.info("%s: another run is fetching it; using the stored snapshot", where)
        return []


def _fetch(client: net.Client, config: Config, moment: datetime, source: UpstreamSource, where: str) -> list[Problem]:
    previous = store.latest(config, source)
    etag = store.etag(previous, source)
    headers = {"Accept": "application/json", **({"If-None-Match": etag} if etag else {})}
    try:
        response = client.request("GET", source.url + "api/v2/summary.json", headers=headers, accept=(200,))
        unchanged = response.status == 304 and previous is not None and etag is not None
        if not unchanged:
            if len(response.body) > LARGEST:
                raise document.NotASummary(f"{len(response.body):,} bytes, more than any summary")
            summary = document.summary(json.loads(response.body))
    except net.NetError as error:
        return [_fallback(config, source, where, f"could not fetch it ({error})")]
    except (ValueError, RecursionError, document.NotASummary) as error:  # JSONDecodeError is a ValueError
        problem = f"{net.describe(source.url)} answered with something that is not a Statuspage summary ({error})"
        return [_fallback(config, source, where, problem)]
    if unchanged:
        assert previous is not None
        store.record(config, source, previous["summary"], etag, moment)
        return []
    missing = document.unmatched(summary, source)
    # While an entry matches nothing, no ETag is kept: a 304 would hide the warning in the next build.
    kept = None if missing else response.headers.get("ETag")
    store.record(config, source, document.trim(summary, source), kept, moment)
    return [Problem(where, None, _unmatched(source, entry, names), warning=True) for entry, names in missing]


def _fallback(config: Config, source: UpstreamSource, where: str, problem: str) -> Problem:
    previous = store.latest(config, source)
    checked = document.time(previous.get("checked")) if previous else None
    shown = (
        f"showing its snapshot as of {clock.show(checked, config.timezone)}"
        if checked
        else "there is no snapshot yet, so its components show as unknown"
    )
    return Problem(where, None, f"{source.name}: {problem}; {shown}", warning=True)


def _unmatched(source: UpstreamSource, entry: str, names: list[str]) -> str:
    close = close_match(entry, names)
    hint = f"did you mean {close!r}?" if close else "it has: " + ", ".join(names[:20])
    return f"{source.name} has no component or group {entry!r} (upstream {source.id!r}, components); {hint}"
