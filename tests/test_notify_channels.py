"""Each service's body against its documented shape and limits (tests/schemas), from real runs.

The schemas are written from each service's reference and allow only what statuspage sends;
the limits a schema cannot say (Discord's 6,000 in all, Teams' 28 KB, Google Chat's 32,000
bytes) are checked here, as JavaScript counts characters (UTF-16), with text built to break them.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from conftest import NOW, Site
from fixtures.schemas import SCHEMAS
from notify_site import HTTP_TYPES, channel_table, write_site
from receivers import Receiver
from referencing import Registry, Resource

from statuspage.core import looks

pytest_plugins = ["notify_fixtures"]

SCHEMA_OF = {
    "slack": "slack-webhook.json",
    "discord": "discord-webhook.json",
    "teams": "teams-workflow.json",
    "mattermost": "mattermost-webhook.json",
    "google_chat": "google-chat-webhook.json",
    "webhook": "statuspage-webhook.json",
}
#: A note that tries every limit and every trick: long, escapes, mentions, astral characters.
HOSTILE = ("Ping `<!here>` @everyone @all `<users/all>` & <b>bold</b> — 🔥🚒 " * 200).strip()


def validator(name: str) -> jsonschema.Draft202012Validator:
    resources = [(p.name, json.loads(p.read_text())) for p in SCHEMAS.glob("*.json")]
    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for _, schema in resources if "$id" in schema
    )
    schema = json.loads((SCHEMAS / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def notify(site: Site, now: str = NOW) -> None:
    result = site.run("notify", "--config", str(site.config_path), "--now", now)
    assert result.code == 0, result.err


def check_limits(name: str, request_body: bytes, body: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(SCHEMA_OF[name]).iter_errors(body)]
    assert errors == [], name
    if name == "discord":
        for embed in body["embeds"]:
            parts = [embed.get("title", ""), embed.get("description", ""), embed["footer"]["text"]]
            parts += [f["name"] + f["value"] for f in embed["fields"]]
            assert sum(utf16(p) for p in parts) <= 6000
            assert utf16(embed.get("description", "")) <= 4096 and utf16(embed["title"]) <= 256
        assert body["allowed_mentions"] == {"parse": []}
    if name == "slack":
        for block in body["blocks"] + body["attachments"][0]["blocks"]:
            if block["type"] == "section" and "text" in block:
                assert utf16(block["text"]["text"]) <= 3000
            if block["type"] == "section" and "fields" in block:
                assert len(block["fields"]) <= 10 and all(utf16(f["text"]) <= 2000 for f in block["fields"])
            if block["type"] == "context":
                assert len(block["elements"]) <= 10 and all(utf16(e["text"]) <= 3000 for e in block["elements"])
            if block["type"] == "header":
                assert utf16(block["text"]["text"]) <= 150
        assert utf16(body["text"]) <= 3000
    if name == "mattermost":
        # A post holds 16,383 characters; Mattermost counts its attachments' text against that too.
        attachment = body["attachments"][0]
        parts = [attachment["fallback"], attachment["title"], attachment["text"], attachment["footer"]]
        parts += [f["title"] + f["value"] for f in attachment["fields"]]
        assert sum(len(part) for part in parts) <= 16383
    if name == "teams":
        assert len(request_body) <= 28_000
    if name == "google_chat":
        assert len(request_body) <= 32_000


def send_first_update_saying(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Run notify on a site with every HTTP channel, its first update's text replaced by `text`."""
    write_site(site, *(channel_table(kind) for kind in HTTP_TYPES))
    for kind in HTTP_TYPES:
        monkeypatch.setenv(f"{kind.upper()}_URL", receivers[kind].url)
    note = (site.root / "incidents/2026-03-20-login-down.md").read_text()
    site.note("2026-03-20-login-down.md", note.replace("Some users cannot sign in.", text))
    notify(site)


@pytest.mark.parametrize("text", ["Some users cannot sign in.", HOSTILE, ""], ids=["short", "hostile", "empty"])
def test_every_body_has_its_services_shape_and_limits(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    send_first_update_saying(site, receivers, monkeypatch, text)
    for name in HTTP_TYPES:
        assert receivers[name].requests, name
        for request in receivers[name].requests:
            check_limits(name, request.body, request.json())


def test_hostile_text_pings_nobody_and_is_cut_with_an_ellipsis(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    send_first_update_saying(site, receivers, monkeypatch, HOSTILE)
    plain = receivers["webhook"].bodies()[0]["incident"]["incident_updates"][0]["body"]  # never cut
    assert plain.startswith("Ping <!here> @everyone @all <users/all> & bold — 🔥🚒 Ping")  # the note's plain text
    slack = receivers["slack"].bodies()[0]
    section = slack["blocks"][1]["text"]["text"]
    assert section.startswith("Ping &lt;!here&gt; @everyone @all &lt;users/all&gt; &amp; bold") and section.endswith(
        "…"
    )
    assert "<!here>" not in json.dumps(slack)
    mattermost = receivers["mattermost"].bodies()[0]["attachments"][0]["text"]
    assert "@\u2060all" in mattermost and "@all" not in mattermost and "@everyone" not in mattermost
    chat = receivers["google_chat"].bodies()[0]["cardsV2"][0]["card"]["sections"][0]["widgets"][1]
    assert chat["textParagraph"]["text"].startswith("Ping &lt;!here&gt; @everyone @all &lt;users/all&gt; &amp; bold")
    discord = receivers["discord"].bodies()[0]["embeds"][0]["description"]
    assert discord.endswith("…") and plain.startswith(discord[:-1]) and len(discord) > 3000


def test_messages_link_the_update_and_take_the_impacts_colour(
    every_channel: Site, receivers: dict[str, Receiver]
) -> None:
    notify(every_channel)
    link = "https://status.test/incidents/2026-03-20-login-down/#update-20260320T1005Z"
    critical, good = looks.LEVELS["critical"], looks.LEVELS["none"]
    # The login incident is critical (a major outage); its "Resolved" is green, and so is "Completed".
    discord = [b["embeds"][0] for b in receivers["discord"].bodies()]
    assert discord[0]["url"] == link and discord[0]["color"] == int(critical.light, 16)
    assert discord[3]["title"] == "Resolved: Login page offline" and discord[3]["color"] == int(good.light, 16)
    assert discord[4]["title"] == "Completed: Database upgrade" and discord[4]["color"] == int(good.light, 16)
    assert discord[0]["timestamp"] == "2026-03-20T10:05:00+00:00"
    assert {"name": "Affected", "value": "Login", "inline": True} in discord[0]["fields"]
    assert receivers["discord"].requests[0].query == {"wait": ["true"]}
    slack = receivers["slack"].bodies()[0]
    assert slack["attachments"][0]["color"] == f"#{critical.light}"
    assert f"<{link}|Test Status>" in slack["attachments"][0]["blocks"][1]["elements"][0]["text"]
    assert slack["text"].startswith("Investigating: Login page offline\nSome users cannot sign in.")
    teams = receivers["teams"].bodies()[0]["attachments"][0]["content"]
    assert teams["body"][0]["style"] == "attention" and teams["actions"][0]["url"] == link
    mattermost = receivers["mattermost"].bodies()[0]["attachments"][0]
    assert mattermost["color"] == f"#{critical.light}" and mattermost["title_link"] == link
    # Google Chat threads every message about one incident together, replying where it can.
    chats = receivers["google_chat"].requests
    keys = [r.json()["thread"]["threadKey"] for r in chats]
    assert keys[0] == keys[1] == keys[3] == "https://status.test/incidents/2026-03-20-login-down/"
    assert keys[2] == "https://status.test/incidents/2026-03-20-api-slow/"
    assert all(r.query["messageReplyOption"] == ["REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"] for r in chats)
    assert all(r.headers["content-type"] == "application/json" for r in chats)
    apprise = receivers["apprise"].bodies()
    assert apprise[0]["title"] == "Investigating: Login page offline" and apprise[0]["type"] == "failure"
    assert link in apprise[0]["message"] and apprise[3]["type"] == "success"


def test_teams_takes_a_202(site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch) -> None:
    """A Workflows URL answers 202 Accepted with no body: that is a delivery."""
    write_site(site, channel_table("teams"))
    monkeypatch.setenv("TEAMS_URL", receivers["teams"].url)
    receivers["teams"].default = (202, {}, b"")
    notify(site)
    assert len(receivers["teams"].requests) == 5
    assert "2026-03-20-login-down#update-20260320T1005Z" in (site.root / "notify.json").read_text()


def test_messages_speak_the_sites_language(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titled like the feed entries, which follow the language: "Behoben: …"."""
    write_site(site, channel_table("discord"))
    site.config_path.write_text(
        site.config_path.read_text().replace(
            'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"'
        )
    )
    monkeypatch.setenv("DISCORD_URL", receivers["discord"].url)
    notify(site)
    embeds = [b["embeds"][0] for b in receivers["discord"].bodies()]
    assert embeds[3]["title"] == "Behoben: Login page offline"
    assert [f["name"] for f in embeds[0]["fields"]] == ["Betroffen", "Beginn"]


@pytest.mark.parametrize(
    ("name", "break_it"),
    [
        ("slack", lambda b: b["blocks"][1]["text"].update(text="x" * 3001)),
        ("slack", lambda b: b["blocks"][0]["text"].update(type="mrkdwn")),  # a header takes plain_text only
        ("discord", lambda b: b["embeds"][0].update(title="x" * 257)),
        ("discord", lambda b: b["embeds"][0].update(color="#cf222e")),
        ("teams", lambda b: b["attachments"][0]["content"]["body"][0].update(style="red")),
        ("google_chat", lambda b: b["thread"].pop("threadKey")),
        ("mattermost", lambda b: b["attachments"][0].pop("fallback")),
        ("webhook", lambda b: b["page"].update(status_indicator="green")),
        ("webhook", lambda b: b["incident"]["incident_updates"][0].update(status="fixed")),
    ],
)
def test_the_schemas_catch_a_broken_body(
    every_channel: Site, receivers: dict[str, Receiver], name: str, break_it: Any
) -> None:
    """Not vacuous: each schema refuses a body that breaks one documented rule."""
    notify(every_channel)
    body = receivers[name].bodies()[0]
    assert list(validator(SCHEMA_OF[name]).iter_errors(body)) == []
    break_it(body)
    assert list(validator(SCHEMA_OF[name]).iter_errors(body)) != []


def test_each_message_shows_the_incident_as_it_stood_at_its_update(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One run sends both updates: the first must not already list what only the second says."""
    write_site(site, channel_table("slack"), channel_table("mattermost"), notes=False)
    for kind in ("slack", "mattermost"):
        monkeypatch.setenv(f"{kind.upper()}_URL", receivers[kind].url)
    site.note(
        "2026-03-20-spread.md",
        """
        ---
        title: Errors spread
        components: {login: partial_outage}
        ---
        ## 2026-03-20 11:30 · Identified (api: major_outage)
        The API fails too.

        ## 2026-03-20 11:10 · Investigating
        Logins fail.
        """,
    )
    notify(site)
    slack = [b["attachments"][0]["blocks"][0]["fields"][0]["text"] for b in receivers["slack"].bodies()]
    assert slack == ["*Affected*\nLogin", "*Affected*\nLogin, API"]
    fields = [b["attachments"][0]["fields"][0]["value"] for b in receivers["mattermost"].bodies()]
    assert fields == ["Login", "Login, API"]


def test_google_chat_names_each_request_so_a_repeat_posts_nothing_twice(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chat answers a requestId it has seen with the message it made: a resend after an answer that
    never came is harmless. The id is the event's, within the site: the same on every try."""
    write_site(site, channel_table("google_chat"))
    monkeypatch.setenv("GOOGLE_CHAT_URL", receivers["google_chat"].url)
    receivers["google_chat"].answers = [(503, {"Retry-After": "0"}, b"")]
    dry = site.run("notify", "--config", str(site.config_path), "--now", NOW, "--dry-run")
    notify(site)
    ids = [r.query["requestId"][0] for r in receivers["google_chat"].requests]
    assert ids[0] == ids[1] and len(set(ids[1:])) == len(ids) - 1 == 5
    assert all(len(i) == 36 for i in ids)  # a UUID, as Chat recommends
    assert f"&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD&requestId={ids[0]}" in dry.out


def test_slack_fields_and_footer_and_a_mattermost_post_keep_their_limits(
    site: Site, receivers: dict[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Component names long enough to break Slack's 2,000-character field and Mattermost's post."""
    long_name = "Ünïcode 🔥 component " * 120
    write_site(site, channel_table("slack"), channel_table("mattermost"))
    config = site.config_path.read_text().replace('name = "Login"', f'name = "{long_name.strip()}"')
    site.config_path.write_text(config.replace('title = "Test Status"', f'title = "{"Status " * 40}"'))
    for kind in ("slack", "mattermost"):
        monkeypatch.setenv(f"{kind.upper()}_URL", receivers[kind].url)
    note = (site.root / "incidents/2026-03-20-login-down.md").read_text()
    site.note("2026-03-20-login-down.md", note.replace("Some users cannot sign in.", HOSTILE * 2))
    notify(site)
    for request in receivers["slack"].requests:
        check_limits("slack", request.body, request.json())
    for request in receivers["mattermost"].requests:
        check_limits("mattermost", request.body, request.json())
