"""Checks on single values shared by the tables: URLs, ids, dates, languages, number ranges, variable names."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import SplitResult, urlsplit

from babel import Locale, UnknownLocaleError

from ..core.words import brief
from ..schema import Reader

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _http(value: str) -> SplitResult | None:
    """The parts of an http(s) address with a host, else None."""
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unclosed "[", or a port that is not a number from 1 to 65535
        return None
    return parts if valid else None


def url(value: str) -> str | None:
    parts = _http(value)
    if parts is None:
        return f'expected an absolute http(s) URL like "https://status.example.com/", got {value!r}'
    if parts.query or parts.fragment:
        return "must not contain a query (?…) or fragment (#…)"
    return None


def language(value: str) -> str | None:
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return f'unknown language {value!r}; use a code like "en", "de" or "pt-BR"'
    return None


def slug(value: str) -> str | None:
    if not SLUG_PATTERN.fullmatch(value):
        return f"{value!r} is not a valid id: use lowercase letters, digits, '-' and '_' (it appears in URLs)"
    return None


def a_date(value: object) -> str | None:
    if isinstance(value, date):
        return None if not hasattr(value, "hour") else "expected a date like 2026-01-31, without a time"
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return f"expected a date like 2026-01-31, got {value!r}"
    return None


def between(low: float, high: float):  # type: ignore[no-untyped-def]
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}, got {brief(value)}"

    return check


def request_url(value: str) -> str | None:
    """An address a request goes to: http(s) with a host; a query is fine, a user or password is not."""
    parts = _http(value)
    if parts is None:
        return f'expected an http(s) URL like "https://acme.example/health", got {brief(value)}'
    if parts.password or parts.username:
        return 'must not carry a user or password: use url_env = "NAME", or a header from the environment'
    return None


def env_name(value: str) -> str | None:
    """The name of an environment variable, never its value: a URL or secret pasted here is
    refused without being echoed."""
    if ENV_NAME.fullmatch(value):
        return None
    return (
        "must name an environment variable, like SLACK_WEBHOOK_URL or HEALTH_TOKEN, that holds the secret; "
        "it looks like a value instead: keep secrets out of statuspage.toml"
    )


def unique_id(reader: Reader, table: dict[str, Any], prefix: str, seen: set[str], what: str) -> str | None:
    """A table's `id`: a valid slug, and not one an earlier table of the same array has."""
    ident: str | None = reader.get(table, "id", str, prefix=prefix, check=slug)
    if ident is not None:
        if ident in seen:
            reader.error(f"{prefix}.id", f"duplicate {what} id {ident!r}")
        seen.add(ident)
    return ident
