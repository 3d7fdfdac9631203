"""Apprise: the long tail of services (ntfy, Matrix, Telegram, Mastodon, …) through one URL.

An optional extra, imported only when a run sends; `url_env` holds an Apprise URL such as
`ntfys://ntfy.sh/topic`. Apprise makes its own requests and does not retry: a failure is
retried on the next run. Its type follows the impact's look, which some services show as a
colour or an icon.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, DeliveryError, Endpoint, Failure, Message, Parts

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ()  # Apprise knows its own
NEEDS = "an Apprise URL, like ntfys://ntfy.sh/your-topic (see Apprise's list of services)"
INSTALL = "the apprise package is not installed: install the `apprise` extra of statuspage (or `pip install apprise`)"
#: Apprise's message types by the look's named colour.
_TYPES = {"good": "success", "warning": "warning", "attention": "failure", "accent": "info"}


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    body = "\n".join(notice.plain_lines()).strip()
    note = {"title": notice.title, "body": body, "type": _TYPES[notice.named_colour]}
    shown = f"Apprise ${channel.url_env} ({note['type']})\n{note['title']}\n\n{note['body']}"
    return Message(notice.event.id, notice.title, note, shown)


def load() -> Any:
    """The apprise module, or DeliveryError saying how to install it."""
    try:
        return importlib.import_module("apprise")
    except ImportError:
        raise DeliveryError(INSTALL, Failure.CHANNEL) from None


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    apprise = load()
    # Apprise logs the URLs it sends to at debug level, and they hold tokens: keep its log to warnings.
    logging.getLogger("apprise").setLevel(logging.WARNING)
    sender = apprise.Apprise()
    if not sender.add(endpoint.url):
        raise DeliveryError("Apprise does not know the URL's service (see its list of supported URLs)", Failure.CHANNEL)
    note = message.body
    if not sender.notify(title=note["title"], body=note["body"], notify_type=note["type"], body_format="text"):
        raise DeliveryError("Apprise could not deliver it (its warnings above say why)")
