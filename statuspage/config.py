"""Read and validate statuspage.toml into the core's frozen `Config`, reporting every problem at once."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from .core.config import DEFAULT_WEIGHTS, FEED_ENTRIES, HISTORY_PER_PAGE, UPTIME_DAYS, Config, ConsoleConfig
from .core.model import Component, ComponentStatus
from .core.words import brief
from .errors import ConfigError, Problem, display_path
from .schema import Reader, unreadable

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")

_TOP_KEYS = (
    "title",
    "url",
    "description",
    "timezone",
    "language",
    "homepage",
    "uptime",
    "feeds",
    "history",
    "strict",
    "components",
    "console",
)
_COMPONENT_KEYS = ("id", "name", "group", "description", "since")


def load(path: Path) -> tuple[Config, list[Problem]]:
    """Read `path` into a Config plus warnings; raise ConfigError listing every problem."""
    shown = display_path(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            [Problem(shown, None, "not found; run `statuspage init` to start a site, or pass --config")]
        ) from None
    except UnicodeDecodeError as error:
        bad_line = error.object.count(b"\n", 0, error.start) + 1
        byte = f"byte 0x{error.object[error.start]:02x} at offset {error.start}"
        raise ConfigError([Problem(shown, bad_line, f"is not UTF-8 text ({byte}); save it as UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_of(str(error))
        raise ConfigError([Problem(shown, line, f"invalid TOML: {error.args[0] if error.args else error}")]) from None
    except ValueError as error:
        raise ConfigError([Problem(shown, None, f"invalid TOML: {unreadable(error)}")]) from None
    except RecursionError:
        raise ConfigError([Problem(shown, None, "invalid TOML: values are nested too deeply")]) from None
    except OSError as error:
        raise ConfigError([Problem(shown, None, f"cannot be read: {error.strerror}")]) from None

    reader = Reader()
    config = _read(reader, data, path.parent.resolve())
    warnings = [Problem(shown, None, f"{key}: {message}", warning=True) for key, message in reader.warnings]
    if reader.errors or config is None:
        # Warnings too: a misspelt key often explains a "required" error.
        raise ConfigError([Problem(shown, None, f"{key}: {message}") for key, message in reader.errors] + warnings)
    return config, warnings


def _line_of(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _read(reader: Reader, data: dict[str, Any], root: Path) -> Config | None:
    reader.known_keys(data, "", _TOP_KEYS)
    title = reader.get(data, "title", str)
    url = reader.get(data, "url", str, check=_check_url)
    description = reader.get(data, "description", str, default="")
    zone = _read_zone(reader, data)
    language = reader.get(data, "language", str, default="en", check=_check_language)
    homepage = reader.get(data, "homepage", str, default=None, check=_check_url)

    uptime = reader.table(data.get("uptime"), "uptime")
    reader.known_keys(uptime, "uptime", ("days", "weights"))
    days = reader.get(uptime, "days", int, prefix="uptime", default=UPTIME_DAYS, check=_between(1, 366))
    weights = _read_weights(reader, uptime.get("weights"))

    feeds = reader.table(data.get("feeds"), "feeds")
    reader.known_keys(feeds, "feeds", ("entries",))
    entries = reader.get(feeds, "entries", int, prefix="feeds", default=FEED_ENTRIES, check=_between(1, 1000))

    history = reader.table(data.get("history"), "history")
    reader.known_keys(history, "history", ("per_page",))
    per_page = reader.get(history, "per_page", int, prefix="history", default=HISTORY_PER_PAGE, check=_between(1, 1000))

    strict = reader.get(data, "strict", bool, default=False)
    components = _read_components(reader, data.get("components"))
    console = _read_console(reader, data.get("console"))
    if reader.errors:
        return None
    return Config(
        root=root,
        title=title,
        url=url if url.endswith("/") else url + "/",
        description=description,
        timezone=zone,
        language=language,
        homepage=homepage,
        components=components,
        uptime_days=days,
        weights=weights,
        feed_entries=entries,
        history_per_page=per_page,
        strict=strict,
        console=console,
    )


def _read_zone(reader: Reader, data: dict[str, Any]) -> ZoneInfo:
    name = reader.get(data, "timezone", str, default="UTC")
    if name is None:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.error("timezone", f'unknown time zone {name!r}; use an IANA name like "Europe/Berlin" or "UTC"')
        return ZoneInfo("UTC")


def _read_weights(reader: Reader, value: object) -> tuple[tuple[ComponentStatus, float], ...]:
    table = reader.table(value, "uptime.weights")
    reader.known_keys(table, "uptime.weights", (s.value for s in DEFAULT_WEIGHTS))
    weights = []
    for status, default in DEFAULT_WEIGHTS.items():
        weight = reader.get(
            table, status.value, (int, float), prefix="uptime.weights", default=default, check=_between(0, 1)
        )
        weights.append((status, float(weight)))
    return tuple(weights)


def _read_console(reader: Reader, value: object) -> ConsoleConfig:
    """`[console]`: the git remote and branch the console's Publish pushes to."""
    table = reader.table(value, "console")
    reader.known_keys(table, "console", ("remote", "branch"))
    default = ConsoleConfig()
    remote = reader.get(table, "remote", str, prefix="console", default=default.remote, check=_check_git_name)
    branch = reader.get(table, "branch", str, prefix="console", default=default.branch, check=_check_git_name)
    return ConsoleConfig(remote, branch)


def _check_git_name(value: str) -> str | None:
    """A remote or branch name, never an option: the console passes it to git as an argument."""
    if value.startswith("-") or any(c.isspace() for c in value):
        return f"{value!r} is not a git remote or branch name"
    return None


def _read_components(reader: Reader, value: object) -> tuple[Component, ...]:
    if value is None or value == []:
        reader.error("components", "add at least one [[components]] table with an id and a name")
        return ()
    if not isinstance(value, list):
        reader.error("components", "write each component as a [[components]] table")
        return ()
    components = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        prefix = f"components[{index}]"
        table = reader.table(item, prefix)
        reader.known_keys(table, prefix, _COMPONENT_KEYS)
        cid = reader.get(table, "id", str, prefix=prefix, check=_check_slug)
        if cid is not None:
            if cid in seen:
                reader.error(f"{prefix}.id", f"duplicate component id {cid!r}")
            seen.add(cid)
        name = reader.get(table, "name", str, prefix=prefix)
        group = reader.get(table, "group", str, prefix=prefix, default=None)
        description = reader.get(table, "description", str, prefix=prefix, default="")
        since = reader.get(table, "since", (date, str), prefix=prefix, default=None, check=_check_date)
        if isinstance(since, str):
            since = date.fromisoformat(since)
        if cid is not None and name is not None:
            components.append(Component(cid, name, group, description, since))
    return tuple(components)


def _check_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f'expected an absolute http(s) URL like "https://status.example.com/", got {value!r}'
    if parts.query or parts.fragment:
        return "must not contain a query (?…) or fragment (#…)"
    return None


def _check_language(value: str) -> str | None:
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return f'unknown language {value!r}; use a code like "en", "de" or "pt-BR"'
    return None


def _check_slug(value: str) -> str | None:
    if not SLUG_PATTERN.fullmatch(value):
        return f"{value!r} is not a valid id: use lowercase letters, digits, '-' and '_' (it appears in URLs)"
    return None


def _check_date(value: object) -> str | None:
    if isinstance(value, date):
        return None if not hasattr(value, "hour") else "expected a date like 2026-01-31, without a time"
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return f"expected a date like 2026-01-31, got {value!r}"
    return None


def _between(low: float, high: float):  # type: ignore[no-untyped-def]
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}, got {brief(value)}"

    return check
