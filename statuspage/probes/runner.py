"""`statuspage probe`: run every probe (in parallel, each within its timeout) and record each check.

A failed attempt is tried again CONFIRM - 1 more times, RETRY_PAUSE seconds apart (as Upptime
does); only when every attempt fails is the check "down". A failure that recovers on a later
attempt is recorded as what it recovered to, with the failure in its error text, so a flap
is visible but never downtime. Without --once each probe runs again every interval_s until
Ctrl-C or SIGTERM; a check cut short by the stop writes nothing.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..core.clock import show
from ..core.config import Config, Probe
from ..core.probes import Seen
from ..errors import StatusPageError
from . import checks, store

log = logging.getLogger(__name__)

#: Attempts that must all fail before a check is "down".
CONFIRM = 3
#: Seconds between those attempts.
RETRY_PAUSE = 5.0
#: A TLS certificate that expires within this many days is warned about at every check.
CERTIFICATE_WARNING_DAYS = 14

#: Called after each recorded check, under one lock (opening or resolving a draft note).
Follow = Callable[[Probe, store.Check], None]


@dataclass
class Runner:
    config: Config
    environ: Mapping[str, str]
    location: str | None = None
    follow: Follow | None = None
    pause: float = RETRY_PAUSE
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    stop: threading.Event = field(default_factory=threading.Event)
    recorded: list[store.Check] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, once: bool) -> list[store.Check]:
        """Every probe in its own thread; with `once`, one check each, else until `stop` is set."""
        threads = [
            threading.Thread(target=self._loop, args=(probe, once), name=f"probe-{probe.component}", daemon=True)
            for probe in self.config.probes
        ]
        for thread in threads:
            thread.start()
        try:
            while any(thread.is_alive() for thread in threads):
                for thread in threads:
                    thread.join(timeout=0.2)
        except KeyboardInterrupt:
            log.info("Stopping: letting the checks under way finish…")
            self.stop.set()
            for thread in threads:
                thread.join()
        return self.recorded

    def _loop(self, probe: Probe, once: bool) -> None:
        while not self.stop.is_set():
            began = time.monotonic()
            try:
                result = self.confirmed(probe)
                if result is not None:
                    self._record(probe, result)
            except Exception as error:  # a bug or a full disk stops this check, never the other probes
                log.error("%s: the check could not be run or recorded: %s", probe.component, error)
            if once:
                return
            self.stop.wait(max(probe.interval_s - (time.monotonic() - began), 0))

    def confirmed(self, probe: Probe) -> store.Check | None:
        """One check, its failure confirmed by CONFIRM attempts in a row; None if stopped before the end."""
        at = self.clock().astimezone(UTC).replace(microsecond=0)
        first_error: str | None = None
        for attempt in range(1, CONFIRM + 1):
            outcome = checks.check(probe, self.environ)
            if outcome.seen is not Seen.DOWN or attempt == CONFIRM:
                break
            first_error = first_error or outcome.error
            if self.stop.wait(self.pause):
                return None  # an unconfirmed failure is not a verdict
        error = outcome.error
        if outcome.seen is not Seen.DOWN and first_error:
            error = f"recovered on attempt {attempt} of {CONFIRM}; first: {first_error}"
            if outcome.error:
                error = f"{outcome.error}; {error}"
        expires = outcome.tls_expires.isoformat() if outcome.tls_expires else None
        location = self.location or probe.location or socket.gethostname()
        return store.Check(
            at, location, outcome.seen, probe.interval_s, outcome.code, outcome.ms, error, attempt, expires
        )

    def _record(self, probe: Probe, result: store.Check) -> None:
        with self._lock:  # one note edit at a time; appends lock their own files
            store.append(self.config.probes_dir, probe.component, [result])
            self.recorded.append(result)
            _report(self.config, probe, result)
            if self.follow is not None:
                self.follow(probe, result)


def _report(config: Config, probe: Probe, result: store.Check) -> None:
    when = show(result.at, config.timezone)
    timing = f"{result.ms} ms" if result.ms is not None else "no timing"
    detail = f": {result.error}" if result.error else ""
    level = logging.WARNING if result.seen is not Seen.UP else logging.INFO
    log.log(level, "%s %s at %s (%s)%s", probe.component, result.seen.value, when, timing, detail)
    if result.tls_expires:
        left = date.fromisoformat(result.tls_expires) - result.at.date()
        if left <= timedelta(days=CERTIFICATE_WARNING_DAYS):
            log.warning(
                "%s: the TLS certificate expires on %s, in %d days; renew it",
                probe.component,
                result.tls_expires,
                left.days,
            )


@contextmanager
def stopping_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd, CI cancelling a job) stops the loop as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def probe(config: Config, config_path: Path, *, once: bool, open_incident: bool, location: str | None) -> int:
    """`statuspage probe`: the number of checks recorded."""
    if not config.probes:
        raise StatusPageError(
            'no component has a probe; add one to a [[components]] table, like probe = { type = "http", url = "https://…" }'
        )
    follow = None
    if open_incident:
        from .incidents import IncidentOpener  # the authoring layer only when it is asked for

        follow = IncidentOpener(config_path)
    runner = Runner(config, dict(os.environ), location, follow)
    with stopping_on_sigterm(runner.stop):
        return len(runner.run(once))
