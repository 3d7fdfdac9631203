"""Microsoft Teams through a Workflows (Power Automate) webhook: an Adaptive Card.

The Office 365 connectors' incoming webhooks are retired; a Workflows URL ("Post to a
channel when a webhook request is received") takes a message whose attachment is an
Adaptive Card, and answers 202 Accepted. Adaptive Cards name their colours rather than
take values: the impact's look gives the container's style. A message holds 28 KB at most.
"""

from __future__ import annotations

from typing import Any

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, Parts, encode, fit_rest, json_message, post

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL of a Teams Workflows webhook (https://….logic.azure.com/… or ….powerplatform.com/…)"
MAX_BYTES = 28_000
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD = "application/vnd.microsoft.card.adaptive"
VERSION = "1.4"  # what Teams renders on every client


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    text_block: dict[str, Any] = {"type": "TextBlock", "text": "", "wrap": True}
    card = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "msteams": {"width": "Full"},
        "body": [
            {
                "type": "Container",
                "style": notice.named_colour,
                "bleed": True,
                "items": [
                    {"type": "TextBlock", "text": notice.title, "weight": "Bolder", "size": "Medium", "wrap": True},
                    {"type": "TextBlock", "text": notice.subtitle, "isSubtle": True, "spacing": "None", "wrap": True},
                ],
            },
            *([text_block] if notice.text else []),
            {"type": "FactSet", "facts": [{"title": label, "value": value} for label, value in notice.facts]},
            {"type": "TextBlock", "text": notice.when, "isSubtle": True, "size": "Small", "wrap": True},
        ],
        "actions": [{"type": "Action.OpenUrl", "title": notice.site_title, "url": notice.url}],
    }
    body = {"type": "message", "attachments": [{"contentType": CARD, "contentUrl": None, "content": card}]}
    text_block["text"] = fit_rest(notice.text, body, MAX_BYTES)
    return json_message(notice, channel, body)


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    post(client, endpoint.url, encode(message.body), accept=(200, 202))
