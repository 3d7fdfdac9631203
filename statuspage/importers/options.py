"""The command line's words for an import, checked and turned into `Options`."""

from __future__ import annotations

import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core import clock
from ..errors import EditError
from . import IMPORTERS
from .records import Options


def from_arguments(
    kind: str, timezone: str | None, now: str | None, page_id: str | None, api_key_env: str | None, api_url: str
) -> Options:
    if kind not in IMPORTERS:
        raise EditError(f"unknown kind {kind!r}; use one of: {', '.join(IMPORTERS)}")
    if (page_id or api_key_env) and kind != "statuspage":
        raise EditError("--page-id and --api-key-env are for `statuspage import statuspage`")
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise EditError(f'--timezone {timezone}: unknown time zone; use an IANA name like "Europe/Berlin"') from None
    try:
        moment = clock.build_time(now, zone)
    except clock.TimeError as error:
        raise EditError(f"--now: {error}") from None
    return Options(
        zone=zone,
        now=moment,
        environ=dict(os.environ),
        api_key_env=api_key_env,
        page_id=page_id,
        api_url=api_url,
    )
