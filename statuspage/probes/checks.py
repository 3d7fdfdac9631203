"""One attempt at a check: an HTTP(S) request or a TCP connection, timed, with a verdict.

The standard library's http.client rather than statuspage.net: a check must not retry silently
(the runner's confirmation is the only retry, and it is recorded), must keep to one deadline
for the whole exchange, must time exactly what it measures, and must see the server's TLS
certificate. Messages name the host, never the URL (it may carry a token).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

from ..core.config import HttpTarget, Probe, TcpTarget
from ..core.probes import Seen
from ..net import USER_AGENT, describe

#: Redirects followed before giving up, as browsers and monitors do.
MAX_REDIRECTS = 5
#: Bytes of the answer read to look for `expect_text`; the rest is never downloaded.
BODY_LIMIT = 1 << 20
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Outcome:
    """One attempt's verdict: "down" here is a failure not yet confirmed."""

    seen: Seen
    ms: int | None = None
    code: int | None = None
    error: str | None = None
    tls_expires: date | None = None


Clock = Callable[[], float]


def check(probe: Probe, environ: Mapping[str, str], clock: Clock = time.monotonic) -> Outcome:
    """One attempt at the probe's check."""
    if isinstance(probe.target, HttpTarget):
        return _http(probe, probe.target, environ, clock)
    return _tcp(probe, probe.target, clock)


def _verdict(probe: Probe, ms: int, code: int | None, tls: date | None) -> Outcome:
    if probe.degraded_ms is not None and ms > probe.degraded_ms:
        return Outcome(Seen.DEGRADED, ms, code, f"slow: {ms} ms, over {probe.degraded_ms} ms", tls)
    return Outcome(Seen.UP, ms, code, None, tls)


def _tcp(probe: Probe, target: TcpTarget, clock: Clock) -> Outcome:
    started = clock()
    try:
        with socket.create_connection((target.host, target.port), timeout=probe.timeout_s):
            ms = _ms(clock() - started)
    except OSError as error:
        return Outcome(Seen.DOWN, _ms(clock() - started), None, f"{target.host}:{target.port}: {_reason(error, probe)}")
    return _verdict(probe, ms, None, None)


def _http(probe: Probe, target: HttpTarget, environ: Mapping[str, str], clock: Clock) -> Outcome:
    url = environ.get(target.url_env, "") if target.url_env else target.url
    if not url:
        return Outcome(Seen.DOWN, error=f"the environment variable {target.url_env} (url_env) is not set")
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    for name, value, env in target.headers:
        given = value if env is None else environ.get(env)
        if not given:
            return Outcome(Seen.DOWN, error=f"header {name}: the environment variable {env} is not set")
        headers[name] = given
    started = clock()
    deadline = started + probe.timeout_s
    host = describe(url)
    tls: date | None = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            code, location, body, expires = _fetch(url, headers, deadline, clock, len(target.expect_text or "") > 0)
            tls = tls or expires
            if code in _REDIRECTS and location and code not in target.expect_status:
                url = urljoin(url, location)
                host = describe(url)
                continue
            break
        else:
            return Outcome(Seen.DOWN, _ms(clock() - started), code, f"{host}: more than {MAX_REDIRECTS} redirects", tls)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Outcome(Seen.DOWN, _ms(clock() - started), None, f"{host}: {_reason(error, probe)}", tls)
    ms = _ms(clock() - started)
    if code not in target.expect_status:
        wanted = " or ".join(str(s) for s in target.expect_status)
        return Outcome(Seen.DOWN, ms, code, f"{host}: HTTP {code}, expected {wanted}", tls)
    if target.expect_text and target.expect_text.encode("utf-8") not in body:
        return Outcome(Seen.DOWN, ms, code, f"{host}: the answer does not contain {target.expect_text!r}", tls)
    return _verdict(probe, ms, code, tls)


def _fetch(
    url: str, headers: Mapping[str, str], deadline: float, clock: Clock, want_body: bool
) -> tuple[int, str | None, bytes, date | None]:
    """GET once, all within the deadline: status, redirect target, the body's start, the certificate's expiry."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")

    def left() -> float:
        remaining = deadline - clock()
        if remaining <= 0:
            raise TimeoutError("timed out")
        return remaining

    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=left(), context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=left())
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=dict(headers))
        sock = connection.sock  # the connection lets go of it once the answer is in
        assert sock is not None
        expires = _expiry(sock) if parts.scheme == "https" else None
        sock.settimeout(left())
        response = connection.getresponse()
        body = b""
        while want_body and len(body) < BODY_LIMIT:
            left()  # each read waits at most the time that was left when the answer began
            chunk = response.read(min(65536, BODY_LIMIT - len(body)))
            if not chunk:
                break
            body += chunk
        return response.status, response.getheader("Location"), body, expires
    finally:
        connection.close()


def _expiry(sock: socket.socket) -> date | None:
    certificate = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
    not_after = certificate.get("notAfter") if certificate else None
    if not isinstance(not_after, str):
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC).date()


def _reason(error: BaseException, probe: Probe) -> str:
    """Why an attempt failed, in a few words."""
    if isinstance(error, TimeoutError | socket.timeout):
        return f"timed out after {probe.timeout_s:g} s"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS: {error.verify_message or 'certificate not trusted'}"
    if isinstance(error, ssl.SSLError):
        return f"TLS: {error.reason or error}"
    if isinstance(error, socket.gaierror):
        return "cannot resolve the host name"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected):
        return "the connection was closed before an answer"
    if isinstance(error, http.client.HTTPException):
        return "not a valid HTTP answer"
    if isinstance(error, ValueError):  # its text may quote the URL
        return "not a valid http(s) URL"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _ms(seconds: float) -> int:
    return max(round(seconds * 1000), 0)
