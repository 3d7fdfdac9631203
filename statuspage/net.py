"""HTTP for the parts that talk to the network (notify, importers, upstream): one way to
ask, with an explicit timeout, bounded retries for 429 and 5xx (honouring `Retry-After`),
and addresses that never appear in a message, since a webhook URL is a secret.

A failure is always a `NetError`, whatever went wrong on the way (a refused connection, a
garbled or cut answer, an address http.client cannot send), and says what in a few fixed
words, never echoing the URL. A request that never left (the connection failed) is safe to
try again; one that left and got no answer may have been acted on, so a POST is then not
sent again: `NetError.unsure` says so, and the caller decides what a later run does.

The standard library's client is enough for JSON over HTTPS, and keeps the dependency list
short; it verifies certificates by default.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import socket
import ssl
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
#: Asking again does no more than asking once: sent again after an answer that never came.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})


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
    """A request failed for good (after its retries); the message names the host, never the URL.
    `unsure`: it was sent and no answer came, so the service may have acted on it."""

    def __init__(
        self, message: str, status: int | None = None, response: Response | None = None, *, unsure: bool = False
    ):
        super().__init__(message)
        self.status = status
        self.response = response
        self.unsure = unsure


@dataclass(frozen=True)
class _NoAnswer:
    """Why an attempt got no HTTP answer, and whether the request had gone out."""

    reason: str
    sent: bool  # the connection was made and the request written: the service may have it
    final: bool = False  # the same request can never work (the URL cannot be sent)


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
            answer = self._once(method, url, body, headers or {})
            if isinstance(answer, Response):
                if answer.status in accept or answer.status == 304:
                    return answer
                response, problem, retryable = answer, f"HTTP {answer.status}", answer.status in RETRYABLE
            else:
                response, problem = None, answer.reason
                retryable = not answer.final and (not answer.sent or method in IDEMPOTENT)
                if answer.sent and not retryable:
                    raise NetError(f"{method} {host}: sent, but {answer.reason}; it may have arrived", unsure=True)
            wait = _retry_after(response, pause, self.retry.longest_pause)
            last = attempt == self.retry.attempts or self.clock() - started + wait > self.retry.total
            if not retryable or last:
                status = response.status if response is not None else None
                raise NetError(f"{method} {host}: {problem}", status, response)
            log.info("%s %s: %s; trying again in %.0f s", method, host, problem, wait)
            self.sleep(wait)
            pause = min(pause * 2, self.retry.longest_pause)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _once(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> Response | _NoAnswer:
        """One attempt. urllib wraps what fails while connecting and sending in URLError; what fails
        after (reading the answer) comes through as it is."""
        try:
            request = urllib.request.Request(
                url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers}
            )
            with _OPENER.open(request, timeout=self.timeout) as answer:
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers.items()), _body(error))
        except urllib.error.URLError as error:
            if isinstance(error.reason, str):  # urllib's own words: an unknown scheme, no host
                return _NoAnswer(CANNOT_ASK, sent=False, final=True)
            return _NoAnswer(f"no answer ({_reason(error.reason)})", sent=False)
        except (http.client.InvalidURL, ValueError):  # their words quote the URL
            return _NoAnswer(CANNOT_ASK, sent=False, final=True)
        except http.client.HTTPException as error:  # an answer came, but not one to read
            return _NoAnswer(_reason(error), sent=True)
        except OSError as error:
            return _NoAnswer(f"no answer ({_reason(error)})", sent=True)


CANNOT_ASK = "not a URL that can be asked"


def _body(error: urllib.error.HTTPError) -> bytes:
    """An error answer's body, as much of it as came."""
    try:
        return error.read() if error.fp is not None else b""
    except http.client.IncompleteRead as cut:
        return cut.partial
    except (OSError, http.client.HTTPException):
        return b""


def _reason(error: BaseException) -> str:
    """Why there was no answer, in fixed words: an exception's own text may quote the URL."""
    if isinstance(error, TimeoutError):  # socket.timeout too
        return "timed out"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS: {error.verify_message or 'the certificate is not trusted'}"
    if isinstance(error, ssl.SSLError):
        return f"TLS: {error.reason or 'the handshake failed'}"
    if isinstance(error, socket.gaierror):
        return "cannot resolve the host name"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the connection was closed before an answer"
    if isinstance(error, ConnectionResetError | BrokenPipeError):
        return "the connection was reset"
    if isinstance(error, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(error, http.client.HTTPException):
        return "the answer is not HTTP"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__


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
