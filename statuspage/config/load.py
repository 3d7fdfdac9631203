"""statuspage.toml: the file, its site-wide settings, and the tables read by the modules beside this."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.config import DEFAULT_WEIGHTS, FEED_ENTRIES, HISTORY_PER_PAGE, UPTIME_DAYS, Config, site_root
from ..core.model import ComponentStatus
from ..errors import ConfigError, Problem, display_path
from ..schema import Reader, unreadable
from . import checks
from .components import read_components, read_probes
from .console import read_console
from .notify import read_channels
from .upstream import check_depends_on, read_upstream

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
    "notify",
    "upstream",
    "console",
)


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
    config = _read(reader, data, site_root(path))
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
    url = reader.get(data, "url", str, check=checks.url)
    description = reader.get(data, "description", str, default="")
    zone = _read_zone(reader, data)
    language = reader.get(data, "language", str, default="en", check=checks.language)
    homepage = reader.get(data, "homepage", str, default=None, check=checks.url)

    uptime = reader.table(data.get("uptime"), "uptime")
    reader.known_keys(uptime, "uptime", ("days", "weights"))
    days = reader.get(uptime, "days", int, prefix="uptime", default=UPTIME_DAYS, check=checks.between(1, 366))
    weights = _read_weights(reader, uptime.get("weights"))

    feeds = reader.table(data.get("feeds"), "feeds")
    reader.known_keys(feeds, "feeds", ("entries",))
    entries = reader.get(feeds, "entries", int, prefix="feeds", default=FEED_ENTRIES, check=checks.between(1, 1000))

    history = reader.table(data.get("history"), "history")
    reader.known_keys(history, "history", ("per_page",))
    per_page = reader.get(
        history, "per_page", int, prefix="history", default=HISTORY_PER_PAGE, check=checks.between(1, 1000)
    )

    strict = reader.get(data, "strict", bool, default=False)
    components = read_components(reader, data.get("components"))
    probes = read_probes(reader, data.get("components"))
    notify = read_channels(reader, data.get("notify"), {c.id for c in components})
    upstream = read_upstream(reader, data.get("upstream"))
    check_depends_on(reader, components, data.get("upstream"))
    console = read_console(reader, data.get("console"))
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
        probes=probes,
        notify=notify,
        upstream=upstream,
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
            table, status.value, (int, float), prefix="uptime.weights", default=default, check=checks.between(0, 1)
        )
        weights.append((status, float(weight)))
    return tuple(weights)
