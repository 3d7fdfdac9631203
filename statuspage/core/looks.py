"""How each status looks: its level (the colour class), icon and colours, in one table.

The theme's stylesheet, its icons, the badges and the chat colours all read this table, so a
status can never be green in one place and amber in another. Colours keep a contrast of at
least 4.5:1 against white (light) and the dark theme's background (dark).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import ComponentStatus


@dataclass(frozen=True)
class Look:
    level: str  # the CSS class suffix: l-<level>, and the name of its colour variable
    icon: str  # the symbol in the theme's icons.svg: #i-<icon>
    light: str  # hex colour, without "#"
    dark: str


#: By level, in order from good to bad (the stylesheet lists its colours in this order), then the
#: looks that are not levels of our own status.
LEVELS = {
    "none": Look("none", "ok", "1a7f37", "3fb950"),
    "minor": Look("minor", "minor", "9a6700", "d29922"),
    "major": Look("major", "major", "bc4c00", "db6d28"),
    "critical": Look("critical", "critical", "cf222e", "f85149"),
    "maintenance": Look("maintenance", "maintenance", "0969da", "4493f8"),
    # Not levels of our own status: a vendor's status we cannot read, and our component
    # shown beside a vendor's trouble. Neither is ever the banner's.
    "unknown": Look("unknown", "unknown", "59636e", "9198a1"),
    "third_party": Look("third_party", "third-party", "8250df", "ab7df8"),
}

#: A component status looks like the page indicator it implies; maintenance has its own look.
_STATUS_LEVELS = {
    status: "maintenance" if status is ComponentStatus.UNDER_MAINTENANCE else status.impact.value
    for status in ComponentStatus
}


def of_status(status: ComponentStatus) -> Look:
    return LEVELS[_STATUS_LEVELS[status]]


#: Every name a template may ask about: a level ("minor") or a component status ("partial_outage").
BY_NAME = {**LEVELS, **{status.value: of_status(status) for status in ComponentStatus}}

#: By level, the nearest of the few colours some chat cards take by name rather than by value
#: (Adaptive Cards' container styles; Apprise's message types follow them).
NAMED = {"none": "good", "minor": "warning", "major": "attention", "critical": "attention", "maintenance": "accent"}
