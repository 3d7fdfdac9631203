"""Each channel's secrets, read from the environment variables its [[notify]] table names.

Every problem at once, each naming the variable and never its value: a message that
quoted a webhook URL or a password would put it in CI logs. Only a real run reads them, so
`--dry-run` works with none set.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.config import Channel, Config
from ..errors import ConfigError, Problem, display_path
from .channels import TYPES, apprise, webhook
from .channels.base import DeliveryError, Endpoint, is_loopback


def resolve(config: Config, config_path: Path, environ: Mapping[str, str]) -> dict[str, Endpoint]:
    """Every channel's endpoint by channel id; ConfigError naming each missing or wrong variable."""
    problems: list[str] = []
    found = {}
    for index, channel in enumerate(config.notify):
        prefix = f"notify[{index}]"
        url = _read(environ, channel.url_env, f"{prefix}.url_env", TYPES[channel.type].NEEDS, problems)
        if url is not None:
            _check_url(channel, url, f"{prefix}.url_env", problems)
        secret = None
        if channel.secret_env:
            secret = _read(environ, channel.secret_env, f"{prefix}.secret_env", "a whsec_… signing secret", problems)
            if secret is not None and webhook.decode_secret(secret) is None:
                problems.append(
                    f"{prefix}.secret_env: {channel.secret_env} is not a Standard Webhooks secret: "
                    "expected whsec_ followed by base64 (24 to 64 random bytes)"
                )
        recipients: tuple[str, ...] = ()
        if channel.to_env:
            text = _read(environ, channel.to_env, f"{prefix}.to_env", "the recipients, or a file of them", problems)
            recipients = _recipients(text, channel.to_env, f"{prefix}.to_env", problems) if text else ()
        if channel.type == "apprise":
            try:
                apprise.load()
            except DeliveryError as error:
                problems.append(f"{prefix}: {error}")
        if url is not None:
            found[channel.id] = Endpoint(url, secret, recipients)
    if problems:
        shown = display_path(config_path)
        raise ConfigError([Problem(shown, None, problem) for problem in problems])
    return found


def _read(environ: Mapping[str, str], name: str, key: str, needs: str, problems: list[str]) -> str | None:
    value = environ.get(name, "").strip()
    if value:
        return value
    problems.append(f"{key}: the environment variable {name} is not set; set it to {needs} (in CI, as a secret)")
    return None


def _check_url(channel: Channel, url: str, key: str, problems: list[str]) -> None:
    if any(character.isspace() or not character.isprintable() for character in url):
        problems.append(f"{key}: {channel.url_env} has a space or a control character in it; percent-encode it (%20)")
        return
    schemes = TYPES[channel.type].SCHEMES
    if not schemes:
        return
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        problems.append(f"{key}: {channel.url_env} is not a URL")
        return
    loopback_http = parts.scheme == "http" and "https" in schemes and is_loopback(parts.hostname or "")
    if not parts.hostname or (parts.scheme not in schemes and not loopback_http):
        wanted = " or ".join(f"{scheme}://" for scheme in schemes)
        problems.append(f"{key}: {channel.url_env} must hold a {wanted} URL: {TYPES[channel.type].NEEDS}")
    elif channel.type == "email" and not (unquote(parts.username or "") + unquote(parts.password or "")).isascii():
        # Python's SMTP login sends them as ASCII; its error would show a piece of them.
        problems.append(
            f"{key}: {channel.url_env} has a user name or password with non-ASCII characters, which SMTP cannot send"
        )


def _recipients(value: str, name: str, key: str, problems: list[str]) -> tuple[str, ...]:
    """Addresses separated by commas, semicolons or lines, or the path of a file of them (# comments)."""
    try:
        path = Path(value)
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else value
    except (OSError, ValueError):
        text = value
    source = "the file it names" if text is not value else "it"
    if "@" not in text:
        problems.append(f"{key}: {name} holds no email address, and names no file that exists")
        return ()
    found: dict[str, str] = {}
    entries = [e.strip() for line in text.splitlines() if not line.lstrip().startswith("#") for e in _split(line)]
    for number, entry in enumerate((e for e in entries if e), 1):
        address = parseaddr(entry)[1]
        if "@" not in address:
            problems.append(f"{key}: entry {number} in {source} ({name}) is not an email address")
        else:
            found.setdefault(address.lower(), address)
    return tuple(found.values())


def _split(line: str) -> list[str]:
    return line.replace(";", ",").split(",")
