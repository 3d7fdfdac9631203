"""A component's daily response times as a small inline SVG: median and 95th percentile per day.

No script and no web font: two polylines (broken where a day has no checks) in a viewBox that
scales to the column, coloured by the stylesheet. It is a picture for sighted readers; the page
carries the same numbers in a table, and the SVG's title says what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..core.uptime import Day

#: The drawing's size in the viewBox; it scales to the column keeping this shape (10:1).
WIDTH = 600
HEIGHT = 60
_PAD = 3


def scale_top(days: Sequence[Day]) -> int:
    """The top of the scale in ms: the highest 95th percentile rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    highest = max((d.probes.latency.p95_ms for d in days if d.probes and d.probes.latency), default=0)
    step = 1
    while True:
        for factor in (10, 20, 25, 50):
            if highest <= step * factor:
                return step * factor
        step *= 10


def sparkline(days: Sequence[Day], label: str) -> Markup:
    """The SVG, or nothing when no day has response times."""
    if not any(d.probes and d.probes.latency for d in days):
        return Markup("")
    top = scale_top(days)
    step = WIDTH / len(days)

    def lines(field: str) -> list[str]:
        segments: list[list[str]] = [[]]
        for index, day in enumerate(days):
            value = getattr(day.probes.latency, field) if day.probes and day.probes.latency else None
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            x = index * step + step / 2
            y = HEIGHT - _PAD - (HEIGHT - 2 * _PAD) * value / top
            segments[-1].append(f"{x:.1f},{y:.1f}")
        return [" ".join(points) for points in segments if points]

    shapes = [
        f'<polyline class="{css}" points="{points}"/>'
        for field, css in (("p95_ms", "p95"), ("median_ms", "median"))
        for points in lines(field)
    ]
    return Markup(
        f'<svg class="spark" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(shapes)}</svg>'
    )
