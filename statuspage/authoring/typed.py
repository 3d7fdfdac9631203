"""What a person typed to post (a status, components, an impact, times, a message), read against the config.

Every refusal names the input it concerns (`field`, for a form to show it there) and is a
template whose input names each front end words its own way (errors.NAMES): the command line
says `--end`, the console "End", in the site's language.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from ..core import clock
from ..core.config import Config
from ..core.model import COMPONENT_STATUSES, STATUSES_BY_KIND, ComponentStatus, Impact, Kind, UpdateStatus
from ..core.words import N_
from ..errors import ContentError, EditError, StatusPageError
from ..notes.reader import check_component
from ..schema import CONTROL_CHARACTERS

#: A status that is not one of the note's kind, by kind (so each sentence translates whole).
_NOT_A_STATUS = {
    Kind.INCIDENT: N_("%(status)s %(given)s: not a status for an incident; use one of: %(choices)s"),
    Kind.MAINTENANCE: N_("%(status)s %(given)s: not a status for maintenance; use one of: %(choices)s"),
}
#: An unreadable time, by the input it was typed in.
_UNREADABLE = {
    "start": N_("%(start)s: %(reason)s"),
    "end": N_("%(end)s: %(reason)s"),
    "now": N_("%(now)s: %(reason)s"),
}


@contextmanager
def about(field: str, *kinds: type[StatusPageError]) -> Iterator[None]:
    """Say which input an error raised inside concerns (for a form to show it there), unless the raiser did."""
    caught = kinds or (EditError, ContentError)
    try:
        yield
    except caught as error:
        error.field = error.field or field
        raise


def time(field: str, text: str | None, zone: ZoneInfo) -> datetime:
    """A time typed in `field` ("start", "end" or "now"); none given is now (SOURCE_DATE_EPOCH, else the clock)."""
    try:
        return clock.build_time(text, zone)
    except clock.TimeError as error:
        raise EditError(_UNREADABLE[field], field=field, values={"reason": str(error)}) from None


def status(text: str | None, kind: Kind) -> UpdateStatus | None:
    if text is None:
        return None
    found = UpdateStatus.parse(text)
    if found not in STATUSES_BY_KIND[kind]:
        choices = ", ".join(s.value for s in STATUSES_BY_KIND[kind])  # as they are typed
        raise EditError(_NOT_A_STATUS[kind], field="status", values={"given": text, "choices": choices})
    return found


def impact(text: str) -> str:
    found = Impact.parse(text)
    if found is None:
        choices = ", ".join(i.value for i in Impact)
        raise EditError(
            N_("%(impact)s %(given)s: unknown impact; use one of: %(choices)s"),
            field="impact",
            values={"given": text, "choices": choices},
        )
    return found.value


def components(config: Config, given: Sequence[str], kind: Kind, *, in_update: bool) -> dict[str, ComponentStatus]:
    """Read `login=major_outage` (repeated, or comma-separated) against the config."""
    allowed = (*COMPONENT_STATUSES[kind], ComponentStatus.OPERATIONAL) if in_update else COMPONENT_STATUSES[kind]
    result: dict[str, ComponentStatus] = {}
    for item in (part.strip() for value in given for part in value.split(",")):
        if not item:
            continue
        cid, _, text = (piece.strip() for piece in item.replace(":", "=").partition("="))
        if not text:
            if kind is not Kind.MAINTENANCE or in_update:
                raise EditError(
                    N_("%(component)s %(item)s: give the status too, like %(component)s %(id)s=major_outage"),
                    field="components",
                    values={"item": item, "id": cid},
                )
            text = ComponentStatus.UNDER_MAINTENANCE.value
        problem, found = check_component(config, cid, text, allowed)
        if problem or found is None:
            raise EditError(
                N_("%(component)s %(item)s: %(problem)s"),
                field="components",
                values={"item": item, "problem": problem or ""},
            )
        result[cid] = found
    return result


def message(text: str) -> str:
    """The message as it goes into the note: its line endings made plain, its blank edges gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise EditError(N_("the message is empty; nothing was changed"), field="message", values={})
    return text


def title(text: str) -> str:
    text = text.strip()
    if not text:
        raise EditError(N_("the title must not be empty"), field="title", values={})
    control = CONTROL_CHARACTERS.search(text)
    if control:
        raise EditError(
            N_("the title contains the control character U+%(code)s; delete it"),
            field="title",
            values={"code": f"{ord(control.group()):04X}"},
        )
    return text
