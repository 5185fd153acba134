"""The marks of each chart kind (bars, lines, areas, points, wedges, radar polygons) and their data labels.

Positions come from the shared layouts (`chart_axes`); labels are the spec's own formatted strings,
placed beyond a bar's end, above a point, inside a stacked segment or a wedge, or beside a slice.
"""

from __future__ import annotations

import math

from engines.charts.axes import CartesianLayout, RadialLayout
from engines.charts.spec import ChartSpec
from renderers.matplotlib import Painter
from engines.charts.palettes import GRID_COLOR, text_on

POINT_MARKERS = ("o", "s", "^", "D", "v")


class CartesianMarks:
    """Maps categories and values to pixels on a `CartesianLayout` and draws a spec's series."""

    def __init__(self, painter: Painter, spec: ChartSpec, layout: CartesianLayout) -> None:
        self.p, self.spec, self.lay = painter, spec, layout
        inner, n = layout.inner, len(spec.categories)
        self.band = (inner.height if layout.horizontal else inner.width) / n
        self.label_color = spec.style.text_color

    def center(self, i: int) -> float:
        """Pixel position of category i along the category axis."""
        inner = self.lay.inner
        return (inner.top if self.lay.horizontal else inner.left) + self.band * (i + 0.5)

    def pos(self, value: float) -> float:
        """Pixel position of a value along the value axis."""
        inner, axis = self.lay.inner, self.lay.axis
        share = (value - axis.lo) / (axis.hi - axis.lo)
        return inner.left + share * inner.width if self.lay.horizontal else inner.bottom - share * inner.height

    def draw(self) -> None:
        kind = self.spec.kind
        if kind in ("bar", "hbar", "grouped_bar"):
            self.bars(range(len(self.spec.series)))
        elif kind == "stacked_bar":
            self.stacked()
        elif kind == "bar_line":
            self.bars([0])
            self.lines([1], markers=True)
        elif kind == "area":
            self.areas()
        elif kind == "scatter":
            self.lines(range(len(self.spec.series)), markers=True, width=0)
        else:
            self.lines(range(len(self.spec.series)), markers=self.spec.style.markers)

    def _bar_box(self, c: float, w: float, v0: float, v1: float) -> tuple[float, float, float, float]:
        a, b = sorted((self.pos(v0), self.pos(v1)))
        return (a, c - w / 2, b - a, w) if self.lay.horizontal else (c - w / 2, a, w, b - a)

    def _end_label(self, text: str, c: float, value: float) -> None:
        """A data label just beyond the end of a bar (right/left of an hbar, above/below a bar)."""
        end, size = self.pos(value), self.lay.label_size
        if self.lay.horizontal:
            ha = "left" if value >= 0 else "right"
            self.p.text(end + (4 if value >= 0 else -4), c, text, size, self.label_color, ha=ha)
        else:
            va = "bottom" if value >= 0 else "top"
            self.p.text(c, end + (-3 if value >= 0 else 3), text, size, self.label_color, va=va)

    def bars(self, which) -> None:
        which = list(which)
        group = self.band * self.spec.style.bar_width
        width = group / len(which)
        boxes, colors = [], []
        for k, s in enumerate(which):
            for i, value in enumerate(self.spec.series[s].values):
                c = self.center(i) - group / 2 + width * (k + 0.5)
                boxes.append(self._bar_box(c, width * 0.92 if len(which) > 1 else width, 0.0, value))
                colors.append(self.spec.style.colors[s])
                if self.spec.data_labels:
                    self._end_label(self.spec.label(s, i), c, value)
        self.p.rects(boxes, colors)

    def stacked(self) -> None:
        width = self.band * self.spec.style.bar_width
        boxes, colors = [], []
        for i in range(len(self.spec.categories)):
            up = down = 0.0
            for s, series in enumerate(self.spec.series):
                value = series.values[i]
                base = up if value >= 0 else down
                box = self._bar_box(self.center(i), width, base, base + value)
                boxes.append(box)
                colors.append(self.spec.style.colors[s])
                if value >= 0:
                    up += value
                else:
                    down += value
                if self.spec.data_labels:
                    x, y, w, h = box
                    color = text_on(self.spec.style.colors[s])
                    self.p.text(x + w / 2, y + h / 2, self.spec.label(s, i), self.lay.label_size, color)
        self.p.rects(boxes, colors, edge=self.spec.style.background)

    def _points(self, s: int) -> list[tuple[float, float]]:
        return [(self.center(i), self.pos(v)) for i, v in enumerate(self.spec.series[s].values)]

    def lines(self, which, markers: bool, width: float | None = None) -> None:
        st = self.spec.style
        for s in which:
            points = self._points(s)
            marker = POINT_MARKERS[s % len(POINT_MARKERS)] if width == 0 else "o"
            size = (st.font_size * 0.75 if width == 0 else st.line_width * 2.5) if markers else 0
            self.p.line(points, st.colors[s], st.line_width if width is None else width,
                        marker if markers else "", size)
            if self.spec.data_labels:
                for i, (x, y) in enumerate(points):
                    self.p.text(x, y - size / 2 - 3, self.spec.label(s, i), self.lay.label_size,
                                self.label_color, va="bottom")

    def areas(self) -> None:
        base = self.pos(max(self.lay.axis.lo, 0.0))
        for s in range(len(self.spec.series)):
            points = self._points(s)
            outline = [(points[0][0], base)] + points + [(points[-1][0], base)]
            self.p.polygon(outline, self.spec.style.colors[s], alpha=0.35)
        self.lines(range(len(self.spec.series)), markers=self.spec.style.markers)


def pie(p: Painter, spec: ChartSpec, lay: RadialLayout) -> None:
    """Slices clockwise from 12 o'clock; names outside unless the legend has them; values as labels."""
    st, values = spec.style, spec.series[0].values
    total, start = sum(values), 0.0
    spans, mids = [], []
    for v in values:
        a0, a1 = 90 - (start + v) / total * 360, 90 - start / total * 360
        spans.append((a0, a1))
        mids.append(math.radians((a0 + a1) / 2))
        start += v
    ring = lay.radius - lay.inner_radius if lay.inner_radius else None
    p.wedges(lay.cx, lay.cy, lay.radius, spans, st.colors[: len(values)], width=ring, edge=st.background)
    text_h = st.font_size * 1.2
    for i, phi in enumerate(mids):
        cos, sin = math.cos(phi), -math.sin(phi)
        if not spec.legend:
            r0, r1 = lay.radius + 2, lay.radius + 14
            p.segments([[(lay.cx + r0 * cos, lay.cy + r0 * sin), (lay.cx + r1 * cos, lay.cy + r1 * sin)]],
                       st.text_color, 0.8, z=3)
            x, y = lay.cx + (r1 + 4) * cos, lay.cy + (r1 + 4) * sin
            ha = "left" if cos >= 0 else "right"
            lines = [spec.categories[i]] + ([spec.label(0, i)] if spec.data_labels else [])
            for k, line in enumerate(lines):
                p.text(x, y + (k - (len(lines) - 1) / 2) * text_h, line, st.font_size, st.text_color, ha=ha)
        elif spec.data_labels:
            r = (lay.radius + lay.inner_radius) / 2 if lay.inner_radius else lay.radius * 0.62
            p.text(lay.cx + r * cos, lay.cy + r * sin, spec.label(0, i), lay.label_size, text_on(st.colors[i]))


def radar(p: Painter, spec: ChartSpec, lay: RadialLayout, rings: int = 5) -> None:
    """Concentric polygons and spokes, one axis per category clockwise from the top, one polygon per series."""
    st, n = spec.style, len(spec.categories)
    angles = [math.pi / 2 - 2 * math.pi * k / n for k in range(n)]

    def at(share: float, k: int) -> tuple[float, float]:
        return lay.cx + share * lay.radius * math.cos(angles[k]), lay.cy - share * lay.radius * math.sin(angles[k])

    p.segments([[at(r / rings, k), at(r / rings, (k + 1) % n)] for r in range(1, rings + 1) for k in range(n)],
               GRID_COLOR, 0.8)
    p.segments([[(lay.cx, lay.cy), at(1.0, k)] for k in range(n)], GRID_COLOR, 0.8)
    for s, series in enumerate(spec.series):
        points = [at(v / lay.scale_max, k) for k, v in enumerate(series.values)]
        p.polygon(points, st.colors[s], alpha=0.2, z=2)
        p.line(points + points[:1], st.colors[s], st.line_width, "o" if st.markers else "", st.line_width * 2.5)
    for k, name in enumerate(spec.categories):
        cos, sin = math.cos(angles[k]), math.sin(angles[k])
        ha = "left" if cos > 0.2 else "right" if cos < -0.2 else "center"
        va = "bottom" if sin > 0.2 else "top" if sin < -0.2 else "center"
        x, y = at(1.0, k)
        p.text(x + 8 * cos, y - 8 * sin, name, st.font_size, st.text_color, ha=ha, va=va)
