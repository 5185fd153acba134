"""Geometry of radars and pies shared by both renderers: spokes, vertices, the radial scale, slices.

A radar's values are read from a labelled radial scale: the ring values are written along the
first spoke (straight up; or down, where there is a spoke there too), right of it or, where a series
line runs through that side, left of it, each on a small opaque patch of the background; a radar
whose lines cross every side is refused (a ring value drawn over a series line hides a piece of the
line and reads as struck through).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engines.charts.layout.axes import RadialLayout
from engines.charts.layout.obstacles import Obstacles, box_quad, segment_quad
from engines.charts.layout.wrap import LINE
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width

SCALE_PAD = 2.0  # px of opaque patch around a scale label


@dataclass(frozen=True)
class ScaleLabel:
    text: str
    x: float  # left edge of the text
    y: float  # middle of the line


def angles(n: int) -> list[float]:
    """Spoke angles (radians, counter-clockwise from 3 o'clock), clockwise from 12 o'clock."""
    return [math.pi / 2 - 2 * math.pi * k / n for k in range(n)]


def at(lay: RadialLayout, share: float, angle: float) -> tuple[float, float]:
    """The point `share` of the radius out along the spoke at `angle` (image pixels, y down)."""
    return lay.cx + share * lay.radius * math.cos(angle), lay.cy - share * lay.radius * math.sin(angle)


def vertices(spec: ChartSpec, lay: RadialLayout, s: int) -> list[tuple[float, float]]:
    turns = angles(len(spec.categories))
    return [at(lay, v / lay.scale.hi, turns[k]) for k, v in enumerate(spec.series[s].values)]


def scale_labels(spec: ChartSpec, lay: RadialLayout) -> list[ScaleLabel]:
    """The ring values, from the first ring to the rim, beside the upward spoke (or, with an even number of
    spokes, the downward one), on the first side no series line crosses: right, then left.

    Raises:
        RenderError: "text_overlap" when series lines run through the ring values on every side.
    """
    scale, size = lay.scale, lay.label_size
    shares = [(t - scale.lo) / (scale.hi - scale.lo) for t in scale.ticks[1:]]
    widths = [text_width(label, spec.style.font, size) for label in scale.labels[1:]]
    marks = radar_obstacles(spec, lay)
    for up in (1, -1) if len(spec.categories) % 2 == 0 else (1,):
        for side in (1, -1):
            placed = [ScaleLabel(label, lay.cx + 4 if side > 0 else lay.cx - 4 - w, lay.cy - up * lay.radius * share)
                      for label, share, w in zip(scale.labels[1:], shares, widths)]
            if all(marks.hit(scale_patch(label, w, size)) is None for label, w in zip(placed, widths)):
                return placed
    raise RenderError("text_overlap", "series lines cross the radar's ring values on every side of the spoke")


def scale_patch(label: ScaleLabel, width: float, size: float) -> tuple:
    """The opaque patch a ring value is drawn on, as a quad."""
    h = size * LINE
    return box_quad(label.x - SCALE_PAD, label.y - h / 2 - SCALE_PAD / 2, width + 2 * SCALE_PAD, h + SCALE_PAD)


def marker_size(spec: ChartSpec) -> float:
    return spec.style.line_width * 2.5 if spec.style.markers else 0.0


def radar_obstacles(spec: ChartSpec, lay: RadialLayout) -> Obstacles:
    """Every polygon edge and vertex marker of a radar."""
    marks = Obstacles()
    half, r = spec.style.line_width / 2 + 1.0, marker_size(spec) / 2 + 0.5
    for s in range(len(spec.series)):
        points = vertices(spec, lay, s)
        for p, q in zip(points, points[1:] + points[:1]):
            marks.add(segment_quad(p, q, half), ("line", s, -1))
        if r > 0.5:
            for i, (x, y) in enumerate(points):
                marks.add(box_quad(x - r, y - r, 2 * r, 2 * r), ("marker", s, i))
    return marks


def pie_spans(values: list[float]) -> list[tuple[float, float]]:
    """Each slice's (start, end) in degrees counter-clockwise from 3 o'clock, drawn clockwise from 12."""
    total, start, out = sum(values), 0.0, []
    for v in values:
        out.append((90 - (start + v) / total * 360, 90 - start / total * 360))
        start += v
    return out
