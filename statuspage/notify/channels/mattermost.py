"""Mattermost incoming webhooks: Slack-compatible attachments, with the impact's colour as the bar.

Mattermost notifies on @-mentions even inside attachments, so an `@` that starts a word
gets an invisible word joiner after it: a note that says "@all" pings nobody. A post holds
at most 16,383 characters.
"""

from __future__ import annotations

import re

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, Parts, encode, fit, json_message, post

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL of a Mattermost incoming webhook (https://…/hooks/…)"
TEXT = 16383
_MENTION = re.compile(r"@(?=\w)")


def quiet(text: str) -> str:
    return _MENTION.sub("@\u2060", text)


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    attachment = {
        "fallback": quiet(notice.title),
        "color": f"#{notice.colour}",
        "title": quiet(notice.title),
        "title_link": notice.url,
        "text": fit(notice.text, TEXT, escape=quiet),
        "fields": [{"short": True, "title": quiet(label), "value": quiet(value)} for label, value in notice.facts],
        "footer": quiet(" · ".join(notice.footer())),
    }
    return json_message(notice, channel, {"attachments": [attachment]})


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    post(client, endpoint.url, encode(message.body), accept=(200,))
