"""Google Chat incoming webhooks: a card, every update of one incident in one thread.

`thread.threadKey` is the incident's address, and `messageReplyOption=
REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD` makes Chat reply in that thread (starting it the first
time). Card text takes a little HTML, so the note's text is escaped and the impact's colour
set with `<font color>`. A message holds 32,000 bytes at most. `requestId` is the same for
every try of one event, and Chat answers a repeat with the message it already created: a
retry after an answer that never came posts nothing twice.
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, Parts, encode, fit_rest, json_message, post, with_query

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
    paragraph["text"] = fit_rest(notice.text, body, MAX_BYTES, escape=_escape)
    return json_message(notice, channel, body, query=f"&{_query(notice.event.id, body)}")


def _query(event_id: str, body: dict[str, Any]) -> str:
    """The reply option, and the request's id: the event's, within the site's incident thread."""
    request = uuid.uuid5(uuid.NAMESPACE_URL, f"{body['thread']['threadKey']}#{event_id}")
    return f"{REPLY}&requestId={request}"


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    url = with_query(endpoint.url, _query(message.event_id, message.body))
    post(client, url, encode(message.body), accept=(200,), dedupe="requestId")
