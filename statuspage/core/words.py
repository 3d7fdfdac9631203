"""The wording shared by every message: short values, "use one of" lists, "did you mean"; and
the Statuspage words other tools' documents are read by.

One home, so the config, the notes, the CLI and the console say the same thing the same way.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Callable, Iterable
from datetime import timedelta

from .model import STATUSES_BY_KIND, Kind, UpdateStatus

#: A maintenance's statuses while the work is going on, in Statuspage's words: what its
#: `scheduled-maintenances/active.json` lists, what a vendor's summary shows as ongoing, and
#: what `embed.js` shows a banner for.
ACTIVE_MAINTENANCE = (UpdateStatus.IN_PROGRESS.value, UpdateStatus.VERIFYING.value)
#: The statuses only a maintenance has (scheduled, in_progress, verifying, completed): they tell
#: a maintenance from an incident in an export.
MAINTENANCE_ONLY = tuple(
    status.value for status in STATUSES_BY_KIND[Kind.MAINTENANCE] if status not in STATUSES_BY_KIND[Kind.INCIDENT]
)


class _Short(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        try:
            return super().repr_int(x, level)
        except ValueError:  # Python refuses to print an int of more than 4300 digits
            return "<a number too long to show>"


_SHORT = _Short()
_SHORT.maxstring = _SHORT.maxother = 80


def N_(message: str) -> str:
    """Mark a message for the catalogue (`pybabel extract`); it is translated where it is shown."""
    return message


def brief(value: object) -> str:
    """A value for a message: its repr, cut short so a huge value cannot flood the terminal."""
    return _SHORT.repr(value)


def one_of(choices: Iterable[str]) -> str:
    """ "use one of: a, b, c", listing the choices in the form the author types them there."""
    return f"use one of: {', '.join(choices)}"


def close_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` was most likely meant to be (a typo), if one is close enough; case-blind."""
    by_folded = {choice.casefold(): choice for choice in choices}
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=1)
    return by_folded[found[0]] if found else None


def suggest(word: str, choices: Iterable[str], otherwise: str = "use one of") -> str:
    """ "did you mean 'Resolved'?" for a near miss, else "use one of: …" (or another lead-in)."""
    choices = list(choices)
    close = close_match(word, choices)
    return f"did you mean {close!r}?" if close else f"{otherwise}: {', '.join(choices)}"


def distance(span: timedelta) -> str:
    """ "365 days", "3 hours", "25 minutes": how far apart two times are, in the largest whole unit."""
    seconds = abs(int(span.total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def status_title(status: str, title: str, gettext: Callable[[str], str]) -> str:
    """ "Resolved: Login page offline", in the site's language: a feed entry's title, and a notification's.
    `status` is the untranslated label."""
    return gettext("%(status)s: %(title)s") % {"status": gettext(status), "title": title}
