"""[[notify]] tables in statuspage.toml: every problem with its key, secrets only ever named."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, NOW, Site

from statuspage.cli import main
from statuspage.config import load
from statuspage.core.config import CHANNEL_TYPES, Channel
from statuspage.notify.channels import TYPES, webhook


def test_channels_are_read_with_their_settings(site: Site) -> None:
    site.config(
        CONFIG
        + """
[[notify]]
type = "webhook"
id = "router"
url_env = "ROUTER_URL"
secret_env = "ROUTER_SECRET"
components = ["api", "login", "api"]

[[notify]]
type = "email"
id = "subscribers"
url_env = "SMTP_URL"
from = "Test Status <status@status.test>"
to_env = "SUBSCRIBERS"
unsubscribe_url = "https://status.test/unsubscribe?list=all"
"""
    )
    config, warnings = load(site.config_path)
    assert warnings == []
    assert config.notify == (
        Channel("webhook", "router", "ROUTER_URL", ("api", "login"), secret_env="ROUTER_SECRET"),
        Channel(
            "email",
            "subscribers",
            "SMTP_URL",
            sender="Test Status <status@status.test>",
            to_env="SUBSCRIBERS",
            unsubscribe_url="https://status.test/unsubscribe?list=all",
        ),
    )


def test_every_problem_is_reported_with_its_key_and_no_secret_is_echoed(site: Site) -> None:
    site.config(
        CONFIG
        + """
[[notify]]
type = "hipchat"
id = "old"
url_env = "OLD_URL"

[[notify]]
type = "slack"
id = "ops"
url_env = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
components = ["ap"]
secret_env = "NOT_FOR_SLACK"

[[notify]]
type = "discord"
id = "ops"
url_env = "DISCORD_URL"

[[notify]]
type = "email"
id = "mail"
url_env = "SMTP_URL"
"""
    )
    result = site.run("notify", "--config", str(site.config_path), "--now", NOW, "--dry-run")
    assert result.code == 2
    assert result.err.splitlines() == [
        "statuspage.toml: notify[0].type: unknown channel type 'hipchat'; use one of: " + ", ".join(CHANNEL_TYPES),
        "statuspage.toml: notify[1].url_env: must name an environment variable, like SLACK_WEBHOOK_URL or HEALTH_TOKEN, "
        "that holds "
        "the secret; it looks like a value instead: keep secrets out of statuspage.toml",
        "statuspage.toml: notify[1].components: unknown component 'ap'; did you mean 'api'?",
        "statuspage.toml: notify[2].id: duplicate channel id 'ops'",
        "statuspage.toml: notify[3].from: is required",
        "statuspage.toml: notify[3].to_env: is required",
        "statuspage.toml: warning: notify[1].secret_env: unknown setting, ignored; known: type, id, url_env, components",
        "Nothing was sent.",
    ]
    assert "XXXXSECRET" not in result.err


def test_build_and_check_need_no_secret(site: Site) -> None:
    site.config(CONFIG + '\n[[notify]]\ntype = "slack"\nid = "ops"\nurl_env = "NOT_SET_ANYWHERE"\n')
    assert site.build().code == 0
    assert site.check().code == 0


def test_every_channel_type_has_a_module() -> None:
    assert tuple(TYPES) == CHANNEL_TYPES


def test_the_workflow_init_writes_notifies_after_deploying_and_commits_the_ledger(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "new"), "-q", "--now", NOW]) == 0
    workflow = yaml.safe_load((tmp_path / "new/.github/workflows/statuspage.yml").read_text())
    job = workflow["jobs"]["notify"]
    assert job["needs"] == "deploy" and job["permissions"] == {"contents": "write"}
    runs = [step.get("run", "") for step in job["steps"]]
    assert "statuspage notify" in runs
    notify_step = next(step for step in job["steps"] if step.get("run") == "statuspage notify")
    assert notify_step["env"]["SLACK_WEBHOOK_URL"] == "${{ secrets.SLACK_WEBHOOK_URL }}"
    commit = job["steps"][-1]
    assert commit["if"] == "always()" and "[skip ci]" in commit["run"] and "git add notify.json" in commit["run"]


@pytest.mark.parametrize(
    ("secret", "valid"),
    [
        ("whsec_" + base64.b64encode(bytes(range(24))).decode(), True),
        ("whsec_" + base64.b64encode(bytes(range(64))).decode().rstrip("="), True),  # padding may be left out
        ("whsec_YQ", False),  # one byte: far too short a key
        ("whsec_" + base64.b64encode(bytes(23)).decode(), False),
        ("whsec_" + base64.b64encode(bytes(65)).decode(), False),
        ("whsec_!!!!" + base64.b64encode(bytes(30)).decode(), False),  # not base64
        (base64.b64encode(bytes(32)).decode(), False),  # no whsec_
    ],
)
def test_a_webhook_secret_is_standard_webhooks_24_to_64_random_bytes(secret: str, valid: bool) -> None:
    assert (webhook.decode_secret(secret) is not None) is valid
