"""A status site with a channel of every type, each pointed at a receiver on 127.0.0.1, for the notify tests."""

from __future__ import annotations

import textwrap

from conftest import CONFIG, Site

#: The HTTP channel types, each with its receiver's name.
HTTP_TYPES = ("slack", "discord", "teams", "mattermost", "google_chat", "webhook")
#: A Standard Webhooks secret: whsec_ and base64 of 24 random bytes.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#: What a channel for people hears of the site below on a first run at NOW, oldest first. The
#: maintenance's "In progress" is not among them: its window was over before the run.
PEOPLE_TITLES = [
    "Investigating: Login page offline",
    "Identified: Login page offline",
    "Investigating: Slow API responses",
    "Resolved: Login page offline",
    "Completed: Database upgrade",
]

LOGIN_NOTE = """
---
title: Login page offline
components:
  login: major_outage
---

## 2026-03-20 11:40 · Resolved
Logins work again.

## 2026-03-20 11:20 · Identified (login: partial_outage)
A bad deploy; we are rolling it back.

## 2026-03-20 11:05 · Investigating
Some users cannot sign in.
"""

API_NOTE = """
---
title: Slow API responses
components:
  api: degraded_performance
---

## 2026-03-20 11:30 · Investigating
Requests take a few seconds longer than usual.
"""

OLD_NOTE = """
---
title: An old outage
components:
  web: major_outage
---

## 2026-03-10 10:30 · Resolved
Fixed.

## 2026-03-10 10:00 · Investigating
The website is down.
"""

MAINTENANCE_NOTE = """
---
title: Database upgrade
kind: maintenance
scheduled: 2026-03-20 11:45
until: 2026-03-20 11:55
components: [web]
---

## 2026-03-19 09:00 · Scheduled
The website may be read-only for a few minutes.
"""


def channel_table(kind: str, **extra: object) -> str:
    lines = [
        "[[notify]]",
        f'type = "{kind}"',
        f'id = "{kind.replace("_", "-")}-channel"',
        f'url_env = "{kind.upper()}_URL"',
    ]
    for key, value in extra.items():
        lines.append(f"{key} = {value!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


def write_site(site: Site, *tables: str, notes: bool = True) -> None:
    site.config(CONFIG + "\n" + "\n".join(textwrap.dedent(t) for t in tables))
    if notes:
        site.note("2026-03-20-login-down.md", LOGIN_NOTE)
        site.note("2026-03-20-api-slow.md", API_NOTE)
        site.note("2026-03-10-old.md", OLD_NOTE)
        site.note("2026-03-20-db-upgrade.md", MAINTENANCE_NOTE)
