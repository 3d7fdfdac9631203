"""A component's `probe = { … }` table in statuspage.toml, read into the core's `Probe`.

Every problem is reported with its key (`components[1].probe.url`); unknown keys warn. Secrets
(a token in a header or in the URL) come from environment variables named here, never from the
file: a header or URL given in plain text is refused where it is the kind that carries one.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.config import HttpTarget, Probe, TcpTarget
from ..schema import Reader
from .checks import between, env_name, request_url

TYPES = ("http", "tcp")
_COMMON = ("type", "timeout_s", "interval_s", "sets_status", "location")
_KEYS = {
    "http": (*_COMMON, "url", "url_env", "expect_status", "expect_text", "degraded_ms", "headers"),
    "tcp": (*_COMMON, "host", "port", "degraded_ms"),
}
#: Header names that carry credentials: their values must come from the environment.
SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|key|password|signature", re.IGNORECASE)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def read_probe(reader: Reader, value: object, prefix: str, component: str) -> Probe | None:
    """The probe of one component, or None (with every problem recorded in `reader`)."""
    table = reader.table(value, prefix)
    if not table:
        return None
    kind = reader.get(table, "type", str, prefix=prefix, check=_one_of(TYPES))
    if kind is None:
        return None
    reader.known_keys(table, prefix, _KEYS[kind])
    timeout = reader.get(table, "timeout_s", (int, float), prefix=prefix, default=10, check=between(0.1, 120))
    interval = reader.get(table, "interval_s", int, prefix=prefix, default=300, check=between(10, 86400))
    degraded = reader.get(table, "degraded_ms", int, prefix=prefix, default=None, check=between(1, 600_000))
    sets_status = reader.get(table, "sets_status", bool, prefix=prefix, default=False)
    location = reader.get(table, "location", str, prefix=prefix, default=None)
    target = _http(reader, table, prefix) if kind == "http" else _tcp(reader, table, prefix)
    if target is None:
        return None
    if degraded is not None and degraded >= timeout * 1000:
        reader.error(f"{prefix}.degraded_ms", f"must be below timeout_s ({timeout} s), got {degraded} ms")
    return Probe(component, target, float(timeout), interval, degraded, sets_status, location)


def _http(reader: Reader, table: dict[str, Any], prefix: str) -> HttpTarget | None:
    url = reader.get(table, "url", str, prefix=prefix, default=None, check=request_url)
    url_env = reader.get(table, "url_env", str, prefix=prefix, default=None, check=env_name)
    if (url is None) == (url_env is None):
        reader.error(f"{prefix}.url", 'give url = "https://…", or url_env = "NAME" when the URL carries a token')
    statuses = reader.get(table, "expect_status", list, prefix=prefix, default=[200], check=_check_statuses)
    text = reader.get(table, "expect_text", str, prefix=prefix, default=None)
    headers = _headers(reader, table.get("headers"), f"{prefix}.headers")
    if url is None and url_env is None:
        return None
    return HttpTarget(url or "", tuple(statuses or [200]), text, headers, url_env)


def _tcp(reader: Reader, table: dict[str, Any], prefix: str) -> TcpTarget | None:
    host = reader.get(table, "host", str, prefix=prefix)
    port = reader.get(table, "port", int, prefix=prefix, check=between(1, 65535))
    return TcpTarget(host, port) if host is not None and port is not None else None


def _headers(reader: Reader, value: object, prefix: str) -> tuple[tuple[str, str | None, str | None], ...]:
    headers = []
    for name, given in reader.table(value, prefix).items():
        key = f"{prefix}.{name}"
        if not _HEADER_NAME.fullmatch(str(name)):
            reader.error(key, f"{name!r} is not a header name")
        elif isinstance(given, dict):
            reader.known_keys(given, key, ("env",))
            env = reader.get(given, "env", str, prefix=key, check=env_name)
            if env is not None:
                headers.append((str(name), None, env))
        elif isinstance(given, str) and not SECRET_HEADER.search(str(name)):
            headers.append((str(name), reader.get({name: given}, name, str, prefix=prefix), None))
        elif isinstance(given, str):
            reader.error(
                key, f'carries a secret: name an environment variable instead, like {name} = {{ env = "HEALTH_TOKEN" }}'
            )
        else:
            reader.error(key, 'expected text, or { env = "NAME" } for a value from the environment')
    return tuple(h for h in headers if h[1] is not None or h[2] is not None)


def _check_statuses(value: list[Any]) -> str | None:
    if not value or not all(type(v) is int and 100 <= v <= 599 for v in value):
        return "expected HTTP status codes like [200, 204]"
    return None


def _one_of(choices: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def check(value: str) -> str | None:
        return None if value in choices else f"unknown probe type {value!r}; use {' or '.join(choices)}"

    return check
