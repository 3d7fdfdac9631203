"""HTTP for the parts that talk to the network (notify, importers, probes, upstream): one way to
ask, with an explicit timeout, bounded retries for 429 and 5xx (honouring `Retry-After`),
and addresses that never appear in a message, since a webhook URL is a secret.

The standard library's client is enough for JSON over HTTPS, and keeps the dependency list
short; it verifies certificates by default.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from . import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"statuspage/{__version__} (+https://github.com/statuspage-md/statuspage)"
#: Retried: the server is busy or failing, so the same request may work a little later.
RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Retry:
    """How hard to try: attempts in all, the longest pause, and the time all attempts may take."""

    attempts: int = 4
    longest_pause: float = 30.0
    total: float = 60.0
    first_pause: float = 1.0


class NetError(Exception):
    """A request failed for good (after its retries); the message names the host, never the URL."""

    def __init__(self, message: str, status: int | None = None, response: Response | None = None):
        super().__init__(message)
        self.status = status
        self.response = response


@dataclass
class Client:
    """Sends requests; `sleep` and `clock` are parameters so tests need not wait."""

    timeout: float = 10.0
    retry: Retry = field(default_factory=Retry)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        accept: tuple[int, ...] = (200, 201, 202, 204),
    ) -> Response:
        """The response with a status in `accept` (or 304); retried on 429 and 5xx, else NetError."""
        host = describe(url)
        started = self.clock()
        pause = self.retry.first_pause
        for attempt in range(1, self.retry.attempts + 1):
            response, problem = self._once(method, url, body, headers or {})
            if response is not None and (response.status in accept or response.status == 304):
                return response
            retryable = response is None or response.status in RETRYABLE
            wait = _retry_after(response, pause, self.retry.longest_pause)
            last = attempt == self.retry.attempts or self.clock() - started + wait > self.retry.total
            if not retryable or last:
                status = response.status if response is not None else None
                raise NetError(f"{method} {host}: {problem}", status, response)
            log.info("%s %s: %s; trying again in %.0f s", method, host, problem, wait)
            self.sleep(wait)
            pause = min(pause * 2, self.retry.longest_pause)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _once(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]
    ) -> tuple[Response | None, str]:
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read()), ""
        except urllib.error.HTTPError as error:
            data = error.read() if error.fp is not None else b""
            return Response(error.code, dict(error.headers.items()), data), f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return None, f"no answer ({_words(reason)})"


class _RedirectReads(urllib.request.HTTPRedirectHandler):
    """Follow redirects of GET and HEAD only. urllib would turn a redirected POST into a GET
    without its body, and a webhook would look delivered when it was not; Statuspage's own
    webhooks count a 3xx as a failure too."""

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req: urllib.request.Request, fp, code: int, msg: str, headers, newurl: str
    ) -> urllib.request.Request | None:
        if req.get_method() not in ("GET", "HEAD"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_RedirectReads)


def describe(url: str) -> str:
    """A URL as messages may show it: scheme and host only (paths and queries carry tokens)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" if parts.hostname else "(an address that is not a URL)"


def _words(reason: object) -> str:
    text = str(reason)
    return "timed out" if "timed out" in text else text


def _retry_after(response: Response | None, pause: float, longest: float) -> float:
    """`Retry-After` in seconds or as an HTTP date, else our own backoff; never more than `longest`."""
    value = response.headers.get("Retry-After", "").strip() if response is not None else ""
    asked = _seconds_of(value) if value else None
    return min(pause if asked is None else asked, longest)


def _seconds_of(value: str) -> float | None:
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)
