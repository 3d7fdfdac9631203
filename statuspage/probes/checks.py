"""One attempt at a check: an HTTP(S) request or a TCP connection, timed, with a verdict.

The standard library's http.client rather than statuspage.net: a check must not retry silently
(the runner's confirmation is the only retry, and it is recorded), must keep to one deadline
for the whole exchange (deadline.py), must time exactly what it measures, and must see the
server's TLS certificate. Redirects are followed, but headers from the environment (secrets)
go to the configured host and port only, and an https address never leads to plain http.
Messages name the host, never the URL (it may carry a token).
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, urljoin, urlsplit

from ..config.probes import SECRET_HEADER
from ..core.config import HttpTarget, Probe, TcpTarget
from ..core.probes import Seen
from ..net import USER_AGENT, describe
from .deadline import Deadline, connect, cut_off

#: Redirects followed before giving up, as browsers and monitors do.
MAX_REDIRECTS = 5
#: Bytes of the answer read to look for `expect_text`; the rest is never downloaded.
BODY_LIMIT = 1 << 20
_REDIRECTS = (301, 302, 303, 307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: What a header's value can carry: no line breaks or other control characters, Latin-1 only.
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
#: Left as they are in a request's path; the rest (spaces, non-ASCII a redirect may bring) is percent-encoded.
_PATH_SAFE = "!$%&'()*+,/:;=?@[]~"


@dataclass(frozen=True)
class Outcome:
    """One attempt's verdict: "down" here is a failure not yet confirmed."""

    seen: Seen
    ms: int | None = None
    code: int | None = None
    error: str | None = None
    tls_expires: date | None = None


def check(probe: Probe, environ: Mapping[str, str]) -> Outcome:
    """One attempt at the probe's check, over by its timeout whatever the other side does."""
    deadline = Deadline(probe.timeout_s)
    if isinstance(probe.target, HttpTarget):
        return _http(probe, probe.target, environ, deadline)
    return _tcp(probe, probe.target, deadline)


def _verdict(probe: Probe, ms: int, code: int | None, tls: date | None) -> Outcome:
    if probe.degraded_ms is not None and ms > probe.degraded_ms:
        return Outcome(Seen.DEGRADED, ms, code, f"slow: {ms} ms, over {probe.degraded_ms} ms", tls)
    return Outcome(Seen.UP, ms, code, None, tls)


def _tcp(probe: Probe, target: TcpTarget, deadline: Deadline) -> Outcome:
    started = time.monotonic()
    try:
        connect(target.host, target.port, deadline).close()
        if deadline.passed:
            raise TimeoutError("timed out")
    except (OSError, ValueError) as error:
        reason = _reason(error, probe, deadline)
        return Outcome(Seen.DOWN, _ms(started), None, f"{target.host}:{target.port}: {reason}")
    return _verdict(probe, _ms(started), None, None)


def _http(probe: Probe, target: HttpTarget, environ: Mapping[str, str], deadline: Deadline) -> Outcome:
    url = environ.get(target.url_env, "") if target.url_env else target.url
    if not url:
        return Outcome(Seen.DOWN, error=f"the environment variable {target.url_env} (url_env) is not set")
    public = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    secret: dict[str, str] = {}
    for name, value, env in target.headers:
        given = value if env is None else environ.get(env)
        where = f"the environment variable {env}" if env else "its value"
        if not given:
            return Outcome(Seen.DOWN, error=f"header {name}: {where} is not set")
        if not _HEADER_VALUE.fullmatch(given):
            return Outcome(
                Seen.DOWN, error=f"header {name}: {where} holds a line break or another character a header cannot carry"
            )
        (secret if env is not None or SECRET_HEADER.search(name) else public)[name] = given
    started = time.monotonic()
    host, origin = describe(url), _origin(url)
    tls: date | None = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            headers = {**public, **secret} if _origin(url) == origin else public
            code, location, body, expires = _fetch(url, headers, deadline, bool(target.expect_text))
            tls = tls or expires
            if code not in _REDIRECTS or not location or code in target.expect_status:
                break
            following = urljoin(url, location)
            if urlsplit(url).scheme == "https" and urlsplit(following).scheme == "http":
                message = f"{host}: redirects to plain http ({describe(following)}), which is not followed"
                return Outcome(Seen.DOWN, _ms(started), code, message, tls)
            url, host = following, describe(following)
        else:
            return Outcome(Seen.DOWN, _ms(started), code, f"{host}: more than {MAX_REDIRECTS} redirects", tls)
        if deadline.passed:
            raise TimeoutError("timed out")
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Outcome(Seen.DOWN, _ms(started), None, f"{host}: {_reason(error, probe, deadline)}", tls)
    ms = _ms(started)
    if code not in target.expect_status:
        wanted = " or ".join(str(s) for s in target.expect_status)
        return Outcome(Seen.DOWN, ms, code, f"{host}: HTTP {code}, expected {wanted}", tls)
    if target.expect_text and target.expect_text.encode("utf-8") not in body:
        return Outcome(Seen.DOWN, ms, code, f"{host}: the answer does not contain {target.expect_text!r}", tls)
    return _verdict(probe, ms, code, tls)


def _origin(url: str) -> tuple[str | None, int | None]:
    """Who may see the secret headers: the host and port (http's 80 and https's 443 being one)."""
    parts = urlsplit(url)
    port = parts.port
    return parts.hostname, None if port == _DEFAULT_PORTS.get(parts.scheme) else port


def _fetch(
    url: str, headers: Mapping[str, str], deadline: Deadline, want_body: bool
) -> tuple[int, str | None, bytes, date | None]:
    """GET once, all within the deadline: status, redirect target, the body's start, the certificate's expiry."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError("not an http(s) URL")
    https = parts.scheme == "https"
    raw = connect(parts.hostname, parts.port or _DEFAULT_PORTS[parts.scheme], deadline)
    kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port)  # given the socket: it connects nothing itself
    try:
        with cut_off(raw, deadline):
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=parts.hostname) if https else raw
            connection.sock = sock
            expires = _expiry(sock) if https else None
            path = quote(parts.path or "/", safe=_PATH_SAFE) + (
                f"?{quote(parts.query, safe=_PATH_SAFE)}" if parts.query else ""
            )
            connection.request("GET", path, headers=dict(headers))
            response = connection.getresponse()
            body = b""
            while want_body and len(body) < BODY_LIMIT:
                chunk = response.read(min(65536, BODY_LIMIT - len(body)))
                if not chunk:
                    break
                body += chunk
            return response.status, response.getheader("Location"), body, expires
    finally:
        connection.close()
        raw.close()  # a no-op once TLS took the socket over


def _expiry(sock: socket.socket) -> date | None:
    certificate = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
    not_after = certificate.get("notAfter") if certificate else None
    if not isinstance(not_after, str):
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC).date()


def _reason(error: BaseException, probe: Probe, deadline: Deadline) -> str:
    """Why an attempt failed, in a few words: past the deadline, whatever broke, it timed out."""
    if deadline.passed or isinstance(error, TimeoutError):
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
    if isinstance(error, UnicodeError):
        return "the host name is not valid"
    if isinstance(error, ValueError):  # its text may quote the URL
        return "not a valid http(s) URL"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _ms(started: float) -> int:
    """Milliseconds since `started` (a time.monotonic())."""
    return max(round((time.monotonic() - started) * 1000), 0)
