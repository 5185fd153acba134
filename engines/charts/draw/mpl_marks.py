"""The marks of each chart kind drawn with matplotlib: bars, lines, areas, points, wedges, radar polygons.

Positions come from the chart's plan (`plan`, `geometry`, `radial`); data labels are drawn where
`labels.place_labels` put them, so what is checked before drawing is what is drawn. Lines go in
front of bars (a bar-and-line chart never hides its line), labels in front of everything.
"""

from __future__ import annotations

import math

from engines.charts.draw.mpl_text import block
from engines.charts.draw.palettes import end_label_color, text_on
from engines.charts.layout.axes import RadialLayout
from engines.charts.layout.labels import ALIGN, reference_line
from engines.charts.layout.plan import ChartPlan
from engines.charts.layout.radial import (
    SCALE_PAD,
    angles,
    at,
    marker_size,
    pie_spans,
    scale_labels,
    vertices,
)
from engines.charts.spec import STACKED
from renderers.fonts import text_width
from renderers.matplotlib import Painter

MPL_MARKERS = {"circle": "o", "rect": "s", "triangle": "^", "diamond": "D"}


def cartesian(p: Painter, plan: ChartPlan) -> None:
    spec, geom, st = plan.spec, plan.geometry, plan.spec.style
    bars = geom.bars()
    if bars:
        p.rects([b.box for b in bars], [st.colors[b.series] for b in bars],
                edge=st.background if spec.kind in STACKED else "none")
    if spec.reference is not None:
        p.line(list(reference_line(spec, geom)), st.axis_color, 1.2, z=2.6, dashed=True)
    size = geom.marker_size()
    for s in geom.point_series:
        points = geom.points(s)
        if spec.kind == "area":
            outline = [(points[0][0], geom.baseline)] + points + [(points[-1][0], geom.baseline)]
            p.polygon(outline, st.colors[s], alpha=0.35)
        width = 0 if spec.kind == "scatter" else st.line_width
        p.line(points, st.colors[s], width, MPL_MARKERS[st.symbols[s]] if size else "", size,
               dashed=st.dashes[s] == "dashed")
    for label in plan.labels:
        ha, va = ALIGN[label.position]
        color = text_on(st.colors[label.series]) if label.position == "inside" else st.text_color
        p.text(label.x, label.y, label.text, plan.cartesian.label_size, color, ha=ha, va=va)
    if plan.reference is not None:
        ref = plan.reference
        p.text(ref.x, ref.y, spec.reference.text, plan.cartesian.label_size, st.text_color, ha=ref.ha, va=ref.va)
    if plan.annotation is not None:
        note = plan.annotation
        p.text(note.x, note.y, spec.annotation.text, plan.cartesian.label_size, st.text_color, ha=note.ha, va=note.va)
    for end in plan.end_labels:
        block(p, end.x, end.y, end.lines, st.font_size, end_label_color(st, end.series), ha="left")


def pie(p: Painter, plan: ChartPlan) -> None:
    """Slices clockwise from 12 o'clock; names outside unless the legend has them; values as labels."""
    spec, lay, st = plan.spec, plan.radial, plan.spec.style
    spans = pie_spans(spec.series[0].values)
    ring = lay.radius - lay.inner_radius if lay.inner_radius else None
    p.wedges(lay.cx, lay.cy, lay.radius, spans, st.colors[: len(spans)], width=ring, edge=st.background)
    for i, (a0, a1) in enumerate(spans):
        mid = math.radians((a0 + a1) / 2)
        if not spec.legend:
            r1 = lay.radius + 14
            (x0, y0), (x1, y1) = _polar(lay, lay.radius + 2, mid), _polar(lay, r1, mid)
            p.segments([[(x0, y0), (x1, y1)]], st.text_color, 0.8, z=3)
            x, y = _polar(lay, r1 + 4, mid)
            ha = "left" if x >= lay.cx else "right"
            block(p, x, y, [spec.categories[i], spec.label(0, i)], st.font_size, st.text_color, ha=ha)
        else:
            r = (lay.radius + lay.inner_radius) / 2 if lay.inner_radius else lay.radius * 0.62
            x, y = _polar(lay, r, mid)
            p.text(x, y, spec.label(0, i), lay.label_size, text_on(st.colors[i]))


def _polar(lay: RadialLayout, r: float, angle: float) -> tuple[float, float]:
    return at(lay, r / lay.radius, angle)


def radar(p: Painter, plan: ChartPlan) -> None:
    """Rings and spokes, one polygon per series, category names outside, ring values up the first spoke."""
    spec, lay, st = plan.spec, plan.radial, plan.spec.style
    turns, rings = angles(len(spec.categories)), lay.scale.ticks[1:]
    shares = [(t - lay.scale.lo) / (lay.scale.hi - lay.scale.lo) for t in rings]
    n = len(turns)
    p.segments([[at(lay, r, turns[k]), at(lay, r, turns[(k + 1) % n])] for r in shares for k in range(n)],
               st.grid_color, 0.8)
    p.segments([[(lay.cx, lay.cy), at(lay, 1.0, a)] for a in turns], st.grid_color, 0.8)
    size = marker_size(spec)
    for s in range(len(spec.series)):
        points = vertices(spec, lay, s)
        p.polygon(points, st.colors[s], alpha=0.2, z=2)
        p.line(points + points[:1], st.colors[s], st.line_width, MPL_MARKERS[st.symbols[s]] if size else "", size,
               dashed=st.dashes[s] == "dashed")
    for k, name in enumerate(spec.categories):
        cos, sin = math.cos(turns[k]), math.sin(turns[k])
        ha = "left" if cos > 0.2 else "right" if cos < -0.2 else "center"
        va = "bottom" if sin > 0.2 else "top" if sin < -0.2 else "center"
        x, y = at(lay, 1.0, turns[k])
        p.text(x + 8 * cos, y - 8 * sin, name, st.font_size, st.text_color, ha=ha, va=va)
    h = lay.label_size * 1.2
    for label in scale_labels(spec, lay):
        w = text_width(label.text, st.font, lay.label_size)
        p.rects([(label.x - SCALE_PAD, label.y - h / 2 - SCALE_PAD / 2, w + 2 * SCALE_PAD, h + SCALE_PAD)],
                [st.background], z=4.5)
        p.text(label.x, label.y, label.text, lay.label_size, st.text_color, ha="left")
