"""Where a cartesian chart's marks fall, in image pixels, for both renderers and for the overlap check.

matplotlib draws the marks at these positions; ECharts gets a grid equal to the layout's inner box,
explicit bar widths and gaps, so that it puts its bars and points at the very same pixels (a test
compares ECharts' own item layouts with these). Knowing every mark before drawing is what lets the
data labels be placed beside their marks, never on a line, a marker or another bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.axes import CartesianLayout
from engines.charts.spec import BAR_KINDS, STACKED, ChartSpec

BAR_FILL = 0.92  # share of its slot a bar fills when several series share a category
BAR_GAP = 1 / BAR_FILL - 1  # the gap between two bars of a category, as a share of a bar's width (ECharts' barGap)


@dataclass(frozen=True)
class Bar:
    series: int
    index: int
    left: float
    top: float
    width: float
    height: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.left, self.top, self.width, self.height


class PlotGeometry:
    """Maps categories and values to pixels on a `CartesianLayout`."""

    def __init__(self, spec: ChartSpec, layout: CartesianLayout) -> None:
        self.spec, self.lay = spec, layout
        inner, n = layout.inner, len(spec.categories)
        self.band = (inner.height if layout.horizontal else inner.width) / n
        self.bar_series = [s for s in range(len(spec.series)) if spec.kind in BAR_KINDS or
                           (spec.kind == "bar_line" and s == 0)]
        self.point_series = [s for s in range(len(spec.series)) if s not in self.bar_series]

    def center(self, i: int) -> float:
        """Pixel position of category i along the category axis (its x value on a numeric scatter plot)."""
        inner, xs = self.lay.inner, self.lay.x_axis
        if xs is not None:
            return inner.left + (self.spec.x_values[i] - xs.lo) / (xs.hi - xs.lo) * inner.width
        return (inner.top if self.lay.horizontal else inner.left) + self.band * (i + 0.5)

    def pos(self, value: float, right: bool = False) -> float:
        """Pixel position of a value along the value axis (`right`: a dual-axis chart's right scale)."""
        inner, axis = self.lay.inner, self.lay.axis2 if right else self.lay.axis
        share = (value - axis.lo) / (axis.hi - axis.lo)
        return inner.left + share * inner.width if self.lay.horizontal else inner.bottom - share * inner.height

    @property
    def baseline(self) -> float:
        """Where bars and areas start: the value 0, or the axis end nearest to it."""
        axis = self.lay.axis
        return self.pos(min(max(0.0, axis.lo), axis.hi))

    def points(self, s: int) -> list[tuple[float, float]]:
        """Series s's points, on the value axis it reads on."""
        right = s in self.spec.right_series
        return [(self.center(i), self.pos(v, right)) for i, v in enumerate(self.spec.series[s].values)]

    def marker_size(self) -> float:
        """Diameter of a point's marker in px (0 when the chart draws none)."""
        st = self.spec.style
        if self.spec.kind == "scatter":
            return st.font_size * 0.75
        return st.line_width * 2.5 if st.markers or self.spec.kind == "bar_line" else 0.0

    @property
    def group_width(self) -> float:
        return self.band * self.spec.style.bar_width

    @property
    def bar_width(self) -> float:
        """Width of one bar: the whole group for one bar series (or a stack), else a slot less its gap."""
        n = 1 if self.spec.kind in STACKED else len(self.bar_series)
        return self.group_width if n == 1 else self.group_width / n * BAR_FILL

    def _box(self, c: float, w: float, v0: float, v1: float) -> tuple[float, float, float, float]:
        a, b = sorted((self.pos(v0), self.pos(v1)))
        return (a, c - w / 2, b - a, w) if self.lay.horizontal else (c - w / 2, a, w, b - a)

    def bars(self) -> list[Bar]:
        """Every bar (or stacked segment), series by series."""
        out: list[Bar] = []
        if self.spec.kind in STACKED:
            up = [0.0] * len(self.spec.categories)
            down = list(up)
            for s, series in enumerate(self.spec.series):
                for i, v in enumerate(series.values):
                    base = up[i] if v >= 0 else down[i]
                    out.append(Bar(s, i, *self._box(self.center(i), self.bar_width, base, base + v)))
                    if v >= 0:
                        up[i] += v
                    else:
                        down[i] += v
            return out
        slot = self.group_width / len(self.bar_series) if self.bar_series else 0.0
        for k, s in enumerate(self.bar_series):
            for i, v in enumerate(self.spec.series[s].values):
                c = self.center(i) - self.group_width / 2 + slot * (k + 0.5)
                out.append(Bar(s, i, *self._box(c, self.bar_width, 0.0, v)))
        return out
