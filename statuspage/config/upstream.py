"""[[upstream]] tables: third-party status pages whose components the site shows."""

from __future__ import annotations

from typing import Any

from ..core.config import UPSTREAM_GROUP, UpstreamSource
from ..core.model import Component
from ..core.words import close_match
from ..schema import Reader
from . import checks

_UPSTREAM_KEYS = ("id", "name", "url", "components", "group")


def read_names(reader: Reader, table: dict[str, Any], key: str, prefix: str) -> tuple[str, ...]:
    """A list of names (text), in order and without repeats."""
    value = reader.get(table, key, list, prefix=prefix, default=[])
    names = [reader.get({f"{key}[{n}]": item}, f"{key}[{n}]", str, prefix=prefix) for n, item in enumerate(value)]
    return tuple(dict.fromkeys(name for name in names if name is not None))


def read_upstream(reader: Reader, value: object) -> tuple[UpstreamSource, ...]:
    """`[[upstream]]` tables: the vendors whose Statuspage-compatible pages we show."""
    sources = []
    seen: set[str] = set()
    for prefix, table in reader.tables(
        value, "upstream", "write each third-party status page as an [[upstream]] table"
    ):
        reader.known_keys(table, prefix, _UPSTREAM_KEYS)
        uid = checks.unique_id(reader, table, prefix, seen, "upstream")
        name = reader.get(table, "name", str, prefix=prefix)
        url = reader.get(table, "url", str, prefix=prefix, check=checks.url)
        components = read_names(reader, table, "components", prefix)
        group = reader.get(table, "group", str, prefix=prefix, default=UPSTREAM_GROUP)
        if uid is not None and name is not None and url is not None:
            sources.append(UpstreamSource(uid, name, _status_page_address(url), components, group))
    return tuple(sources)


def _status_page_address(url: str) -> str:
    """The page's address, also when the summary's own address was given."""
    url = url.removesuffix("summary.json").removesuffix("api/v2/")
    return url if url.endswith("/") else url + "/"


def _ids(tables: object) -> list[str]:
    """The ids of the [[upstream]] tables, valid or not: a component may name one whose url is wrong."""
    return (
        [t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str)]
        if isinstance(tables, list)
        else []
    )


def check_depends_on(reader: Reader, components: tuple[Component, ...], upstream_tables: object) -> None:
    """Every `depends_on` names an [[upstream]] table (valid or not: its own errors are its own),
    and no third-party group is a group of our own components."""
    tables = [t for t in upstream_tables if isinstance(t, dict)] if isinstance(upstream_tables, list) else []
    known = [t["id"] for t in tables if isinstance(t.get("id"), str)]
    for index, component in enumerate(components):
        for name in component.depends_on:
            if name not in known:
                close = close_match(name, known)
                hint = f"did you mean {close!r}?" if close else "add an [[upstream]] table with this id"
                reader.error(f"components[{index}].depends_on", f"unknown upstream {name!r}; {hint}")
    ours = {c.group for c in components if c.group}
    for index, table in enumerate(tables):
        if table.get("group") in ours:
            reader.error(
                f"upstream[{index}].group",
                f"{table['group']!r} is a group of your own components; give third-party components a group of their own",
            )
