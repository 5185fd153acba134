"""Plot geometry shared by both chart renderers: value-axis ticks, label rotation, pie and radar sizes.

ECharts and matplotlib would each pick their own tick steps and hide category labels they find
crowded. Here the value axis gets "nice" ticks (1, 2, 2.5, 5 x 10^k) computed once, the value range
gets headroom so data labels stay inside the plot, and category labels get the smallest rotation
(0, 45 or 90 degrees) at which every one of them is drawn whole; a chart where no rotation works is
refused ("too_crowded") rather than drawn with missing labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engines.charts.layout import Box
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width

ZERO_BASED = ("bar", "hbar", "grouped_bar", "stacked_bar", "area", "bar_line")
LINE_HEIGHT = 1.2  # text box height per pixel of font size


@dataclass(frozen=True)
class ValueAxis:
    lo: float
    hi: float
    step: float
    decimals: int
    ticks: list[float]
    labels: list[str]


@dataclass(frozen=True)
class CartesianLayout:
    inner: Box  # the plotting area proper, tick labels outside it
    axis: ValueAxis
    horizontal: bool  # categories down the left side (hbar)
    rotation: int  # category label rotation, degrees
    label_size: float  # data label font size


@dataclass(frozen=True)
class RadialLayout:
    cx: float
    cy: float
    radius: float
    inner_radius: float  # 0 for a pie or a radar
    label_size: float
    scale_max: float  # the value at a radar's rim


def label_size(spec: ChartSpec) -> float:
    return max(9, spec.style.font_size - 1)


def nice_axis(lo: float, hi: float, fmt_decimals: int, target: int = 5) -> tuple[float, float, float, int]:
    """(lo, hi, step, tick decimals) covering [lo, hi] with about `target` steps of 1, 2, 2.5 or 5 x 10^k."""
    if hi <= lo:
        hi = lo + max(abs(lo) * 0.2, 10.0**-fmt_decimals)
    raw = (hi - lo) / target
    exp = math.floor(math.log10(raw))
    mantissa = next(m for m in (1, 2, 2.5, 5, 10) if m * 10.0**exp >= raw * (1 - 1e-9))
    step = mantissa * 10.0**exp
    decimals = max(0, -exp + (1 if mantissa == 2.5 else 0) - (1 if mantissa == 10 else 0))
    step = round(step, decimals)
    return (round(math.floor(lo / step + 1e-9) * step, decimals),
            round(math.ceil(hi / step - 1e-9) * step, decimals), step, decimals)


def value_axis(spec: ChartSpec, lo: float, hi: float) -> ValueAxis:
    lo, hi, step, decimals = nice_axis(lo, hi, spec.number_format.decimals)
    ticks = [round(lo + k * step, decimals) for k in range(round((hi - lo) / step) + 1)]
    labels = [spec.number_format.text(t, decimals, grouping=True) for t in ticks]
    return ValueAxis(lo, hi, step, decimals, ticks, labels)


def data_range(spec: ChartSpec) -> tuple[float, float]:
    """The span of values the value axis must show (stack totals for stacked bars)."""
    if spec.kind == "stacked_bar":
        columns = list(zip(*(s.values for s in spec.series)))
        lo = min(sum(v for v in col if v < 0) for col in columns)
        hi = max(sum(v for v in col if v > 0) for col in columns)
    else:
        lo = min(min(s.values) for s in spec.series)
        hi = max(max(s.values) for s in spec.series)
    if spec.kind in ZERO_BASED or (lo >= 0 and lo <= 0.4 * hi) or (hi <= 0 and hi >= 0.4 * lo):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return lo, hi


def cartesian_layout(spec: ChartSpec, plot: Box) -> CartesianLayout:
    """Ticks, label rotation and the inner plotting box for a chart on category and value axes.

    Raises:
        RenderError: "too_crowded" when the category labels cannot all be drawn whole.
    """
    st = spec.style
    text_h = st.font_size * LINE_HEIGHT
    horizontal = spec.kind == "hbar"
    cat_w = [text_width(c, st.font, st.font_size) for c in spec.categories]
    n = len(spec.categories)
    lo, hi = data_range(spec)
    axis = value_axis(spec, lo, hi)
    for _ in range(4):  # widen the axis until the outermost data labels fit inside the plot
        tick_w = max(text_width(t, st.font, st.font_size) for t in axis.labels)
        if horizontal:
            inner = Box(plot.left + max(cat_w) + 10, plot.top + 4,
                        plot.width - max(cat_w) - 14 - tick_w / 2, plot.height - text_h - 12)
            rotation = 0
            if inner.height / n < text_h * 1.15:
                raise RenderError("too_crowded", f"{n} category labels in {inner.height:.0f} px")
        else:
            inner, rotation = _vertical_inner(spec, plot, cat_w, tick_w, text_h)
        if not spec.data_labels or spec.kind == "stacked_bar":
            break
        need_lo, need_hi = _label_room(spec, axis, inner, horizontal)
        if axis.lo <= need_lo and need_hi <= axis.hi:
            break
        axis = value_axis(spec, min(lo, need_lo), max(hi, need_hi))
    return CartesianLayout(inner, axis, horizontal, rotation, label_size(spec))


def _vertical_inner(spec: ChartSpec, plot: Box, cat_w: list[float], tick_w: float,
                    text_h: float) -> tuple[Box, int]:
    """The inner box and the category label rotation of a chart with categories along the bottom."""
    n = len(spec.categories)
    left = tick_w + 10
    band = (plot.width - left - 12) / n
    widest = max(cat_w)
    if widest + 8 <= band:
        rotation, extent = 0, text_h
    elif text_h * 1.4 <= band:
        rotation, extent = 45, (widest + text_h) * 0.7072
        left = max(left, cat_w[0] * 0.7072 - band / 2 + 6)
        band = (plot.width - left - 12) / n
    elif text_h * 1.15 <= band:
        rotation, extent = 90, widest
    else:
        raise RenderError("too_crowded", f"{n} category labels in {plot.width:.0f} px")
    if extent > plot.height * 0.4:
        raise RenderError("too_crowded", "category labels too long for the chart's height")
    top = text_h / 2 + 2
    return Box(plot.left + left, plot.top + top, band * n, plot.height - top - extent - 10), rotation


def _label_room(spec: ChartSpec, axis: ValueAxis, inner: Box, horizontal: bool) -> tuple[float, float]:
    """The values the axis must reach so that labels beyond the marks' ends stay inside the plot."""
    size = label_size(spec)
    values = [v for s in spec.series for v in s.values]
    per_unit = (inner.width if horizontal else inner.height) / (axis.hi - axis.lo)
    if horizontal:
        need = max(text_width(spec.number_format.text(v), spec.style.font, size) for v in values) + 8
    else:
        need = size * LINE_HEIGHT + 6
    low = min(values) - need / per_unit if min(values) < 0 else min(values)
    return low, max(values) + need / per_unit


def radial_layout(spec: ChartSpec, plot: Box) -> RadialLayout:
    """Centre and radius of a pie, donut or radar, leaving room for labels outside the circle.

    Raises:
        RenderError: "too_crowded" when the labels leave too small a circle.
    """
    st = spec.style
    text_h = st.font_size * LINE_HEIGHT
    outside = spec.categories if spec.kind == "radar" or not spec.legend else []
    radius = min(plot.width, plot.height) / 2 - 8
    if outside:
        lines = 2 if spec.data_labels and spec.kind != "radar" else 1
        widest = max(text_width(t, st.font, st.font_size) for i, c in enumerate(outside)
                     for t in [c] + ([spec.label(0, i)] if lines == 2 else []))
        radius = min(plot.width / 2 - widest - 30, plot.height / 2 - lines * text_h - 14)
    if radius < 60:
        raise RenderError("too_crowded", f"radius {radius:.0f} px")
    inner = radius * 0.55 if spec.kind == "donut" else 0.0
    scale_max = nice_axis(0.0, max(max(s.values) for s in spec.series), spec.number_format.decimals)[1]
    return RadialLayout(plot.left + plot.width / 2, plot.top + plot.height / 2, radius, inner,
                        label_size(spec), scale_max)
