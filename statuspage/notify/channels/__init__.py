"""One module per type of channel, all with the same shape (`base.ChannelType`).

Adding one: a module here with `WANTS`, `SCHEMES`, `NEEDS`, a pure `render` and a
`deliver`, its name in `core.config.CHANNEL_TYPES`, and a line below.
"""

from __future__ import annotations

from . import apprise, discord, google_chat, mail, mattermost, slack, teams, webhook
from .base import ChannelType

TYPES: dict[str, ChannelType] = {
    "slack": slack,
    "discord": discord,
    "teams": teams,
    "mattermost": mattermost,
    "google_chat": google_chat,
    "webhook": webhook,
    "email": mail,
    "apprise": apprise,
}
