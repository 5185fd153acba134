"""After drawing: no text on a chart covers a mark it could hide or be hidden by.

`renderers.legibility.check_legible` already keeps texts inside the image and apart from each
other; this adds the chart's marks, with the texts as the renderer reports having drawn them (so
ECharts' own label placement is checked too, not only our prediction of it):
- cartesian charts: no text touches a line stroke, a marker, a reference line or a bar, except a
  stacked segment's own label inside it;
- radars: no text, the radial scale's ring values included, touches a series line or marker;
- pies and donuts: a label drawn inside a slice stays inside that slice.
A violation is a failed draw ("text_overlap"), retried with another draw.
"""

from __future__ import annotations

import math

from engines.charts.layout.axes import RadialLayout
from engines.charts.layout.labels import Placed
from engines.charts.layout.obstacles import Obstacles, shrink
from engines.charts.layout.radial import pie_spans
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.result import DrawnText

SLACK = 1.5  # px a glyph box may shrink before testing (its blank margin)


def _center(quad) -> tuple[float, float]:
    return sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4


def _fail(text: str, tag: tuple[str, int, int]) -> None:
    raise RenderError("text_overlap", f"{text!r} covers a {tag[0]} (series {tag[1]})")


def check_cartesian(texts: list[DrawnText], marks: Obstacles, placed: list[Placed]) -> None:
    """Raise unless no drawn text touches a mark, a stacked label its own segment aside."""
    inside = {p.text: [] for p in placed if p.position == "inside"}
    for p in placed:
        if p.position == "inside":
            inside[p.text].append(p)
    for t in texts:
        if not t.text.strip():
            continue
        quad = shrink(t.quad, SLACK)
        own = None
        if t.text in inside:
            cx, cy = _center(t.quad)
            near = min(inside[t.text], key=lambda p: abs(_center(p.quad)[0] - cx) + abs(_center(p.quad)[1] - cy))
            own = ("bar", near.series, near.index)
        hit = marks.hit(quad, lambda tag: tag == own)
        if hit is not None:
            _fail(t.text, hit)


def check_radar(texts: list[DrawnText], marks: Obstacles) -> None:
    """Raise unless no text, ring values included, touches a series line or marker."""
    for t in texts:
        if not t.text.strip():
            continue
        hit = marks.hit(shrink(t.quad, SLACK))
        if hit is not None:
            _fail(t.text, hit)


def check_pie(spec: ChartSpec, texts: list[DrawnText], lay: RadialLayout) -> None:
    """Raise unless every value label drawn inside the pie lies within its own slice."""
    if not spec.legend:
        return  # names and values sit outside, joined to their slices by leader lines
    spans = pie_spans(spec.series[0].values)
    wanted: dict[str, list[tuple[float, float]]] = {}
    for i, span in enumerate(spans):
        wanted.setdefault(spec.label(0, i), []).append(span)
    for t in texts:
        if t.text not in wanted:
            continue
        corners = shrink(t.quad, SLACK)
        turns = [math.degrees(math.atan2(lay.cy - y, x - lay.cx)) for x, y in corners]
        radii = [math.hypot(x - lay.cx, y - lay.cy) for x, y in corners]
        inside = max(radii) <= lay.radius + 1 and min(radii) >= lay.inner_radius - 1
        if not inside or not any(all(_within(a, a0, a1) for a in turns) for a0, a1 in wanted[t.text]):
            raise RenderError("text_overlap", f"value label {t.text!r} runs out of its slice")


def _within(angle: float, a0: float, a1: float) -> bool:
    return any(a0 - 0.5 <= angle + turn <= a1 + 0.5 for turn in (-360, 0, 360))
