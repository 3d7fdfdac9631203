"""Discord webhooks: one embed, coloured by impact, that pings nobody.

Limits (Discord's embed reference): title 256, description 4,096, 25 fields of 256/1,024,
footer 2,048, and 6,000 characters over all of them; `content` 2,000 (unused: the embed
says it all). `allowed_mentions: {parse: []}` keeps "@everyone" in a note from pinging;
`?wait=true` makes Discord answer only once the message is posted, so a failure shows.
"""

from __future__ import annotations

from ...core.config import Channel
from ...net import Client
from ..notice import Context, Notice
from .base import PEOPLE, Endpoint, Message, Parts, encode, fit, json_message, post, units, with_query

WANTS = PEOPLE
SCHEMES: tuple[str, ...] = ("https",)
NEEDS = "the URL of a Discord webhook (https://discord.com/api/webhooks/…)"
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
TOTAL = 6000
WAIT = "wait=true"


def render(notice: Notice, channel: Channel, context: Context) -> Message:
    title = fit(notice.title, TITLE)
    facts = [(fit(label, FIELD_NAME), fit(value, FIELD_VALUE)) for label, value in notice.facts[:FIELDS] if value]
    fields = [{"name": name, "value": value, "inline": True} for name, value in facts]
    footer = fit(" · ".join(notice.footer(when=False)), FOOTER)  # the embed's timestamp says when
    used = units(title) + units(footer) + sum(units(name) + units(value) for name, value in facts)
    embed: dict[str, object] = {"title": title, "url": notice.url, "color": int(notice.colour, 16)}
    if notice.text:
        embed["description"] = fit(notice.text, min(DESCRIPTION, TOTAL - used))
    embed |= {"fields": fields, "footer": {"text": footer}, "timestamp": notice.at.isoformat()}
    body = {"embeds": [embed], "allowed_mentions": {"parse": []}}
    return json_message(notice, channel, body, query=f"?{WAIT}")


def deliver(message: Message, endpoint: Endpoint, client: Client, parts: Parts) -> None:
    post(client, with_query(endpoint.url, WAIT), encode(message.body), accept=(200, 204))
