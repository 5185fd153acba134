"""Multi-line text on the matplotlib painter, reported as ONE drawn text, as ECharts reports it.

`renderers.matplotlib.Painter.text` draws and records one line. A wrapped title or label is a
block of lines drawn one under the other (turned with the block when it is rotated), and the
block is recorded as a single `DrawnText`, its lines joined by "\\n" inside the rectangle that
holds them all, so the engine's checks see the same thing from either renderer.
"""

from __future__ import annotations

import math

from engines.charts.layout.frame import LINE
from renderers.matplotlib import Painter
from renderers.result import DrawnText

_SHIFT = {"top": 0.5, "center": 0.0, "bottom": -0.5}


def block(p: Painter, x: float, y: float, lines: tuple[str, ...] | list[str], size: float, color: str,
          ha: str = "center", va: str = "center", rotation: float = 0, bold: bool = False) -> None:
    """Draw `lines` as one block anchored at (x, y) by `ha`/`va`, rotated counter-clockwise about it."""
    if len(lines) == 1:
        p.text(x, y, lines[0], size, color, ha=ha, va=va, rotation=rotation, bold=bold)
        return
    cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
    down = (sin, cos)  # the direction the next line goes, in image pixels (y down)
    h = size * LINE
    k = len(lines)
    cx, cy = x + down[0] * _SHIFT[va] * k * h, y + down[1] * _SHIFT[va] * k * h
    for j, line in enumerate(lines):
        off = (j - (k - 1) / 2) * h
        p.text(cx + down[0] * off, cy + down[1] * off, line, size, color, ha=ha, va="center",
               rotation=rotation, bold=bold)
    drawn = p.texts[-k:]
    del p.texts[-k:]
    p.texts.append(DrawnText("\n".join(lines), _hull([pt for t in drawn for pt in t.quad], cos, sin)))


def _hull(points: list[tuple[float, float]], cos: float, sin: float) -> tuple:
    """The rectangle along the text direction (cos, -sin) that holds all `points`, corners clockwise."""
    u, v = (cos, -sin), (sin, cos)
    us = [px * u[0] + py * u[1] for px, py in points]
    vs = [px * v[0] + py * v[1] for px, py in points]

    def corner(a: float, b: float) -> tuple[float, float]:
        return a * u[0] + b * v[0], a * u[1] + b * v[1]

    return (corner(min(us), min(vs)), corner(max(us), min(vs)), corner(max(us), max(vs)), corner(min(us), max(vs)))
