"""[[components]] tables, with their `probe` and `depends_on`."""

from __future__ import annotations

from datetime import date

from ..core.config import Probe
from ..core.model import Component
from ..schema import Reader
from . import checks
from .probes import read_probe
from .upstream import read_names

_COMPONENT_KEYS = ("id", "name", "group", "description", "since", "probe", "depends_on")


def read_components(reader: Reader, value: object) -> tuple[Component, ...]:
    if value is None or value == []:
        reader.error("components", "add at least one [[components]] table with an id and a name")
        return ()
    components = []
    seen: set[str] = set()
    for prefix, table in reader.tables(value, "components", "write each component as a [[components]] table"):
        reader.known_keys(table, prefix, _COMPONENT_KEYS)
        cid = checks.unique_id(reader, table, prefix, seen, "component")
        name = reader.get(table, "name", str, prefix=prefix)
        group = reader.get(table, "group", str, prefix=prefix, default=None)
        description = reader.get(table, "description", str, prefix=prefix, default="")
        since = reader.get(table, "since", (date, str), prefix=prefix, default=None, check=checks.a_date)
        if isinstance(since, str):
            since = date.fromisoformat(since)
        depends_on = read_names(reader, table, "depends_on", prefix)
        if cid is not None and name is not None:
            components.append(Component(cid, name, group, description, since, depends_on))
    return tuple(components)


def read_probes(reader: Reader, value: object) -> tuple[Probe, ...]:
    """Each component's `probe = { … }` (probes.py reads one)."""
    if not isinstance(value, list):
        return ()
    probes = []
    for index, item in enumerate(value):
        if isinstance(item, dict) and "probe" in item and isinstance(item.get("id"), str):
            probe = read_probe(reader, item["probe"], f"components[{index}].probe", item["id"])
            if probe is not None:
                probes.append(probe)
    return tuple(probes)
