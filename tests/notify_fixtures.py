"""Fixtures of the notify tests (a plugin: `pytest_plugins = ["notify_fixtures"]`): receivers,
and a site with a channel of every type pointed at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Site
from notify_site import HTTP_TYPES, SECRET, channel_table, write_site
from receivers import Receiver, serve


@pytest.fixture
def receivers() -> Iterator[dict[str, Receiver]]:
    yield from serve(*HTTP_TYPES, "apprise", "second")


@pytest.fixture
def every_channel(site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch) -> Site:
    """A site with one channel of every HTTP type plus Apprise, their URLs in the environment."""
    tables = [channel_table(kind) for kind in HTTP_TYPES] + [channel_table("apprise")]
    tables[HTTP_TYPES.index("webhook")] = channel_table("webhook", secret_env="WEBHOOK_SECRET")
    write_site(site, *tables)
    for kind in HTTP_TYPES:
        monkeypatch.setenv(f"{kind.upper()}_URL", receivers[kind].url)
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("APPRISE_URL", receivers["apprise"].url.replace("http://", "json://"))
    return site


@pytest.fixture
def webhook_only(site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch) -> Site:
    """The same site with one unsigned webhook channel, the one that hears component changes."""
    write_site(site, channel_table("webhook"))
    monkeypatch.setenv("WEBHOOK_URL", receivers["webhook"].url)
    return site
