"""Draw an SVG path into pixels and write them as a PNG: for the favicon's PNG fallback.

The theme's icons are a few straight lines and circular arcs on a 16-unit grid, so a small
scanline filler (non-zero winding, 4 by 4 samples a pixel) draws them exactly as browsers do,
and the standard library's zlib writes the PNG. A path command it does not know (a site's
own icons might use S, Q or T) ends the path there: the disc is drawn, the glyph may lack a part.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections.abc import Iterator, Sequence

Point = tuple[float, float]
Polygon = list[Point]
_NUMBER = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")
_ARGUMENTS = {"M": 2, "L": 2, "H": 1, "V": 1, "A": 7, "C": 6, "Z": 0}
SAMPLES = 4  # per pixel, each way


def polygons(path: str) -> list[Polygon]:
    """The closed outlines an SVG path's `d` draws, with arcs and curves as short straight lines."""
    shapes: list[Polygon] = []
    x = y = 0.0
    closed = True  # a drawing command after "z" starts a new outline where the last one began
    for letter, values in _commands(path):
        upper = letter.upper()
        dx, dy = (x, y) if letter.islower() else (0.0, 0.0)
        if upper == "Z":
            if shapes:
                x, y = shapes[-1][0]
            closed = True
            continue
        if upper == "M":
            x, y = values[0] + dx, values[1] + dy
            shapes.append([(x, y)])
            closed = False
            continue
        if closed:
            shapes.append([(x, y)])
            closed = False
        if upper == "L":
            points = [(values[0] + dx, values[1] + dy)]
        elif upper == "H":
            points = [(values[0] + dx, y)]
        elif upper == "V":
            points = [(x, values[0] + dy)]
        elif upper == "C":
            c1, c2, c3 = ((values[i] + dx, values[i + 1] + dy) for i in (0, 2, 4))
            points = list(_cubic((x, y), c1, c2, c3))
        else:
            rx, ry, rotation, large, sweep, ex, ey = values
            points = list(_arc((x, y), rx, ry, rotation, bool(large), bool(sweep), (ex + dx, ey + dy)))
        shapes[-1] += points
        x, y = points[-1]
    return [shape for shape in shapes if len(shape) > 2]


def _commands(path: str) -> Iterator[tuple[str, list[float]]]:
    """Each command with its arguments, repeats split apart ("l1 2 3 4" is two lines, "M1 2 3 4" a move
    and a line); the path ends at a command not drawn here."""
    for letter, numbers in re.findall(r"([A-Za-z])([^A-Za-z]*)", path):
        count = _ARGUMENTS.get(letter.upper())
        if count is None:
            return
        values = [float(n) for n in _NUMBER.findall(numbers)]
        if not count:
            yield letter, []
        for n in range(0, len(values) - count + 1, count) if count else ():
            repeat = {"M": "L", "m": "l"}.get(letter, letter) if n else letter
            yield repeat, values[n : n + count]


def _cubic(start: Point, c1: Point, c2: Point, end: Point, steps: int = 16) -> Iterator[Point]:
    for n in range(1, steps + 1):
        t = n / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        yield (a * start[0] + b * c1[0] + c * c2[0] + d * end[0], a * start[1] + b * c1[1] + c * c2[1] + d * end[1])


def _arc(start: Point, rx: float, ry: float, rotation: float, large: bool, sweep: bool, end: Point) -> Iterator[Point]:
    """An elliptical arc as points, by the endpoint-to-centre conversion of SVG 1.1, appendix F.6.5."""
    (x1, y1), (x2, y2) = start, end
    rx, ry = abs(rx), abs(ry)
    if not rx or not ry or start == end:
        yield end
        return
    cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    px, py = cos * hx + sin * hy, -sin * hx + cos * hy
    scale = px**2 / rx**2 + py**2 / ry**2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx**2 * ry**2 - rx**2 * py**2 - ry**2 * px**2
    factor = math.sqrt(max(0.0, numerator / (rx**2 * py**2 + ry**2 * px**2)))
    factor = -factor if large == sweep else factor
    cx_, cy_ = factor * rx * py / ry, -factor * ry * px / rx
    cx, cy = cos * cx_ - sin * cy_ + (x1 + x2) / 2, sin * cx_ + cos * cy_ + (y1 + y2) / 2
    first = math.atan2((py - cy_) / ry, (px - cx_) / rx)
    span = math.atan2((-py - cy_) / ry, (-px - cx_) / rx) - first
    if sweep and span < 0:
        span += 2 * math.pi
    elif not sweep and span > 0:
        span -= 2 * math.pi
    steps = max(2, math.ceil(abs(span) / (math.pi / 24)))
    for n in range(1, steps + 1):
        angle = first + span * n / steps
        ex, ey = rx * math.cos(angle), ry * math.sin(angle)
        yield (cos * ex - sin * ey + cx, sin * ex + cos * ey + cy)


def coverage(shapes: Sequence[Polygon], size: int, scale: float, offset: float = 0.0) -> list[list[float]]:
    """How much of each pixel (0 to 1) the shapes cover, filled by the non-zero rule; `scale`
    maps path units to pixels after `offset` path units are added to both coordinates."""
    edges = [
        ((a[0] + offset) * scale, (a[1] + offset) * scale, (b[0] + offset) * scale, (b[1] + offset) * scale)
        for shape in shapes
        for a, b in zip(shape, shape[1:] + shape[:1], strict=True)
        if a[1] != b[1]
    ]
    grid = [[0.0] * size for _ in range(size)]
    share = 1 / SAMPLES**2
    for row in range(size * SAMPLES):
        y = (row + 0.5) / SAMPLES
        crossings = sorted(
            (x1 + (y - y1) * (x2 - x1) / (y2 - y1), 1 if y2 > y1 else -1)
            for x1, y1, x2, y2 in edges
            if min(y1, y2) <= y < max(y1, y2)
        )
        winding = 0
        if not crossings:
            continue
        for (x, direction), (following, _) in zip(crossings, [*crossings[1:], (0.0, 0)], strict=True):
            winding += direction
            if not winding:
                continue
            first = max(0, math.ceil(x * SAMPLES - 0.5))
            last = min(size * SAMPLES - 1, math.ceil(following * SAMPLES - 0.5) - 1)
            for column in range(first, last + 1):
                grid[row // SAMPLES][column // SAMPLES] += share
    return grid


def png(pixels: Sequence[Sequence[tuple[int, int, int, int]]]) -> bytes:
    """An 8-bit RGBA PNG of rows of (red, green, blue, alpha)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(value for pixel in row for value in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
