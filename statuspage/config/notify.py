"""[[notify]] tables: where `statuspage notify` announces updates, and only the names of the
environment variables that hold their secrets."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..core.config import CHANNEL_TYPES, Channel
from ..core.words import brief, close_match, one_of
from ..schema import Reader
from . import checks

_CHANNEL_KEYS = ("type", "id", "url_env", "components")
#: Settings only some types of channel have.
_CHANNEL_EXTRA_KEYS = {"webhook": ("secret_env", "unsubscribe_url"), "email": ("from", "to_env", "unsubscribe_url")}


def read_channels(reader: Reader, value: object, component_ids: set[str]) -> tuple[Channel, ...]:
    """The [[notify]] tables: an explicit type each, and only the names of the variables holding secrets."""
    channels = []
    seen: set[str] = set()
    for prefix, table in reader.tables(value, "notify", "write each channel as a [[notify]] table"):
        kind = reader.get(table, "type", str, prefix=prefix, check=_check_channel_type)
        reader.known_keys(table, prefix, _CHANNEL_KEYS + _CHANNEL_EXTRA_KEYS.get(kind, ()))
        cid = checks.unique_id(reader, table, prefix, seen, "channel")
        url_env = reader.get(table, "url_env", str, prefix=prefix, check=checks.env_name)
        components = _read_channel_components(reader, table.get("components"), f"{prefix}.components", component_ids)
        extra = {}
        if kind == "webhook":
            extra["secret_env"] = reader.get(
                table, "secret_env", str, prefix=prefix, default=None, check=checks.env_name
            )
        if kind == "email":
            extra["sender"] = reader.get(table, "from", str, prefix=prefix, check=_check_address)
            extra["to_env"] = reader.get(table, "to_env", str, prefix=prefix, check=checks.env_name)
        if kind in ("webhook", "email"):
            extra["unsubscribe_url"] = reader.get(
                table, "unsubscribe_url", str, prefix=prefix, default=None, check=_check_unsubscribe
            )
        if kind is not None and cid is not None and url_env is not None:
            channels.append(Channel(kind, cid, url_env, components, **extra))
    return tuple(channels)


def _read_channel_components(reader: Reader, value: object, key: str, known: set[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        reader.error(key, 'expected a list of component ids, like ["api", "login"]')
        return ()
    for cid in value:
        if cid not in known:
            close = close_match(cid, known)
            reader.error(key, f"unknown component {cid!r}" + (f"; did you mean {close!r}?" if close else ""))
    return tuple(dict.fromkeys(value))


def _check_channel_type(value: str) -> str | None:
    return None if value in CHANNEL_TYPES else f"unknown channel type {brief(value)}; {one_of(CHANNEL_TYPES)}"


def _check_address(value: str) -> str | None:
    from email.utils import parseaddr  # here: it brings in the socket module, which only a site with email needs

    _, address = parseaddr(value)
    if "@" not in address:
        return f'expected an email address like "Acme Status <status@acme.example>", got {brief(value)}'
    return None


def _check_unsubscribe(value: str) -> str | None:
    parts = urlsplit(value)
    if (parts.scheme == "mailto" and "@" in parts.path) or (parts.scheme in ("http", "https") and parts.netloc):
        return None
    return f"expected an http(s):// or mailto: address, got {brief(value)}"
