"""Mattermost incoming webhooks: Slack-compatible attachments, with the impact's colour as the bar.

Mattermost notifies on @-mentions even inside attachments, so an `@` that starts a word
gets an invisible word joiner after it: a note that says "@all" pings nobody. A post holds
at most 16,383 characters, counted here over the whole attachment (title, fallback, text,
fields, footer), as the strictest reading of that limit.
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
TEXT = 16383  # a post's characters (Unicode code points), all of its attachment's text together
FIELD = 1000  # a field's value: a long list of components is cut, and the text keeps its room
_MENTION = re.compile(r"@(?=\w)")


def quiet(text: str) -> str:
    return _MENTION.sub("@\u2060", text)


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    title, footer = quiet(notice.title), quiet(" · ".join(notice.footer()))
    fields = [(quiet(label), fit(value, FIELD, escape=quiet, measure=len)) for label, value in notice.facts]
    used = len(title) * 2 + len(footer) + sum(len(label) + len(value) for label, value in fields)  # title twice
    attachment = {
        "fallback": title,
        "color": f"#{notice.colour}",
        "title": title,
        "title_link": notice.url,
        "text": fit(notice.text, max(TEXT - used, 0), escape=quiet, measure=len),
        "fields": [{"short": True, "title": label, "value": value} for label, value in fields],
        "footer": footer,
    }
    return json_message(notice, channel, {"attachments": [attachment]})


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    post(client, endpoint.url, encode(message.body), accept=(200,))
