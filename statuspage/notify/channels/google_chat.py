"""Google Chat incoming webhooks: a card, every update of one incident in one thread.

`thread.threadKey` is the incident's address, and `messageReplyOption=
REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD` makes Chat reply in that thread (starting it the first
time). Card text takes a little HTML, so the note's text is escaped and the impact's colour
set with `<font color>`. A message holds 32,000 bytes at most.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, encode, fit, json_message, json_size, post, with_query

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL of a Google Chat space's webhook (https://chat.googleapis.com/v1/spaces/…)"
MAX_BYTES = 32_000
REPLY = "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"


def _escape(text: str) -> str:
    return escape(text, quote=False)


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    paragraph: dict[str, Any] = {"text": ""}
    widgets: list[dict[str, Any]] = [
        {"textParagraph": {"text": f'<font color="#{notice.colour}"><b>{_escape(notice.subtitle)}</b></font>'}},
        *([{"textParagraph": paragraph}] if notice.text else []),
        *({"decoratedText": {"topLabel": label, "text": _escape(value)}} for label, value in notice.facts),
        {"buttonList": {"buttons": [{"text": notice.site_title, "onClick": {"openLink": {"url": notice.url}}}]}},
    ]
    card = {"header": {"title": notice.title, "subtitle": notice.when}, "sections": [{"widgets": widgets}]}
    body = {
        "fallbackText": notice.title,
        "cardsV2": [{"cardId": "status-update", "card": card}],
        "thread": {"threadKey": notice.thread},
    }
    paragraph["text"] = fit(notice.text, MAX_BYTES - len(encode(body)), escape=_escape, measure=json_size)
    return json_message(notice, channel, body, query=f"&{REPLY}")


def deliver(message: Message, endpoint: Endpoint, client: Client) -> None:
    post(client, with_query(endpoint.url, REPLY), encode(message.body), accept=(200,))
