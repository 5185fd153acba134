"""Geometry of radars and pies shared by both renderers: spokes, vertices, the radial scale, slices.

A radar's values are read from a labelled radial scale: the ring values are written along the
first spoke (straight up), each on a small opaque patch so a polygon edge passing under it cannot
strike it through; the checks in `overlap` allow that crossing and nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engines.charts.axes import RadialLayout
from engines.charts.obstacles import Obstacles, box_quad, segment_quad
from engines.charts.spec import ChartSpec

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


def scale_labels(lay: RadialLayout) -> list[ScaleLabel]:
    """The ring values, from the first ring to the rim, just right of the upward spoke."""
    scale = lay.scale
    return [ScaleLabel(label, lay.cx + 4, lay.cy - lay.radius * (t - scale.lo) / (scale.hi - scale.lo))
            for t, label in zip(scale.ticks[1:], scale.labels[1:])]


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
