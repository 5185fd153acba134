"""Plot geometry shared by both chart renderers: value-axis ticks, category labels, pie and radar sizes.

ECharts and matplotlib would each pick their own tick steps and hide category labels they find
crowded. Here the value axis gets "nice" ticks (1, 2, 2.5, 5 x 10^k) computed once, the value range
gets headroom so data labels stay inside the plot, and category labels are fitted whole
(`categories`); a chart where nothing fits is refused ("too_crowded") rather than drawn with
missing labels.
A radar gets a labelled radial scale along its first spoke, so its values can be read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engines.charts.layout.categories import horizontal_inner, vertical_inner
from engines.charts.layout.frame import LINE, Box
from engines.charts.spec import STACKED, ChartSpec, NumberFormat
from renderers.errors import RenderError
from renderers.fonts import text_width

ZERO_BASED = ("bar", "hbar", "grouped_bar", "area", "bar_line") + STACKED
TICK_GAP = 6  # tick label to axis, px (ECharts' axisLabel.margin is set to it)


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
    horizontal: bool  # categories down the left side
    rotation: int  # category label rotation, degrees
    label_size: float  # data label font size
    category_lines: list[tuple[str, ...]]  # each category label, wrapped
    x_axis: ValueAxis | None = None  # numeric scatter plots: the x scale
    axis2: ValueAxis | None = None  # a dual-axis chart's right scale (its line series reads on it)
    end_room: float = 0.0  # px right of the inner box kept for the series names at the lines' ends


@dataclass(frozen=True)
class RadialLayout:
    cx: float
    cy: float
    radius: float
    inner_radius: float  # 0 for a pie or a radar
    label_size: float
    scale: ValueAxis | None = None  # a radar's radial scale, 0 at the centre, `scale.hi` at the rim


def x_tick_gap(spec: ChartSpec) -> float:
    """Axis to tick labels of a numeric x scale: half a line lower than `TICK_GAP`, clear of the lowest y tick."""
    return TICK_GAP + spec.style.font_size * LINE / 2


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


def make_axis(fmt: NumberFormat, lo: float, hi: float, target: int = 5) -> ValueAxis:
    lo, hi, step, decimals = nice_axis(lo, hi, fmt.decimals, target)
    ticks = [round(lo + k * step, decimals) for k in range(round((hi - lo) / step) + 1)]
    return ValueAxis(lo, hi, step, decimals, ticks, [fmt.text(t, decimals, grouping=True) for t in ticks])


def data_range(kind: str, rows: list[list[float]]) -> tuple[float, float]:
    """The span of values the value axis must show (stack totals for stacked bars)."""
    if kind in STACKED:
        columns = list(zip(*rows))
        lo = min(sum(v for v in col if v < 0) for col in columns)
        hi = max(sum(v for v in col if v > 0) for col in columns)
    else:
        lo, hi = min(min(r) for r in rows), max(max(r) for r in rows)
    if kind in ZERO_BASED or (lo >= 0 and lo <= 0.4 * hi) or (hi <= 0 and hi >= 0.4 * lo):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return lo, hi


def axis_groups(spec: ChartSpec) -> list[list[int]]:
    """The series read on each value axis: all on one, or (dual axes) the bars on the left, the line on the right."""
    right = spec.right_series
    left = [s for s in range(len(spec.series)) if s not in right]
    return [left, right] if right else [left]


def plain_axis(spec: ChartSpec, group: list[int] | None = None) -> ValueAxis:
    """The value axis of a chart without data labels (no headroom needed for them); `group` names the
    series it scales (`axis_groups`; all by default)."""
    rows = [s.values for k, s in enumerate(spec.series) if group is None or k in group]
    fmt = spec.format_of(group[0]) if group else spec.number_format
    if spec.kind == "radar":
        return make_axis(fmt, 0.0, max(max(r) for r in rows))
    return make_axis(fmt, *data_range(spec.kind, rows))


def x_axis(spec: ChartSpec) -> ValueAxis | None:
    """The x scale of a numeric scatter plot (None for category charts)."""
    if spec.x_values is None:
        return None
    return make_axis(spec.x_format, min(spec.x_values), max(spec.x_values))


def cartesian_layout(spec: ChartSpec, plot: Box, end_room: float = 0.0,
                     span: tuple[float, float] | None = None) -> CartesianLayout:
    """Ticks, label rotation and the inner plotting box for a chart on category and value axes.

    `end_room` px right of the plot are kept for the series names at the lines' ends; a dual-axis
    chart keeps room for its right scale's tick labels too. `span` sets the values the scale covers
    (a small multiple's panel: the whole chart's, so that every panel shares one scale).

    Raises:
        RenderError: "too_crowded" when the category labels cannot all be drawn whole.
    """
    st = spec.style
    text_h = st.font_size * LINE
    groups = axis_groups(spec)
    ranges = [span] if span else [data_range(spec.kind, [spec.series[s].values for s in g]) for g in groups]
    formats = [spec.format_of(g[0]) for g in groups]  # each axis writes its ticks in its own series' format
    axes = [make_axis(fmt, lo, hi) for fmt, (lo, hi) in zip(formats, ranges)]
    xs = x_axis(spec)
    for _ in range(4):  # widen the axes until the outermost data labels fit inside the plot
        tick_w = max(text_width(t, st.font, st.font_size) for t in axes[0].labels)
        right = end_room + (max(text_width(t, st.font, st.font_size) for t in axes[1].labels) + TICK_GAP
                            if len(axes) > 1 else 0.0)
        room = Box(plot.left, plot.top, plot.width - right, plot.height)
        if spec.horizontal:
            inner, rotation, lines = horizontal_inner(spec, room, tick_w, text_h)
        elif xs is not None:
            x_w = text_width(xs.labels[-1], st.font, st.font_size)
            inner = Box(room.left + tick_w + 10, room.top + text_h / 2 + 2,
                        room.width - tick_w - 10 - x_w / 2 - 4, room.height - text_h * 2 - 12)
            rotation, lines = 0, [(c,) for c in spec.categories]
        else:
            inner, rotation, lines = vertical_inner(spec, room, tick_w, text_h)
        if not spec.data_labels or spec.kind in STACKED:
            break
        needs = [_label_room(spec, axis, inner, g) for axis, g in zip(axes, groups)]
        if all(axis.lo <= lo and hi <= axis.hi for axis, (lo, hi) in zip(axes, needs)):
            break
        axes = [make_axis(fmt, min(lo, need_lo), max(hi, need_hi))
                for fmt, (lo, hi), (need_lo, need_hi) in zip(formats, ranges, needs)]
    return CartesianLayout(inner, axes[0], spec.horizontal, rotation, label_size(spec), lines, xs,
                           axes[1] if len(axes) > 1 else None, end_room)


def _label_room(spec: ChartSpec, axis: ValueAxis, inner: Box, group: list[int]) -> tuple[float, float]:
    """The values the axis must reach so that labels beyond the marks' ends stay inside the plot."""
    size = label_size(spec)
    values = [v for s in group for v in spec.series[s].values]
    per_unit = (inner.width if spec.horizontal else inner.height) / (axis.hi - axis.lo)
    if spec.horizontal:
        need = max(text_width(spec.label(s, i), spec.style.font, size) for s in group
                   for i in range(len(spec.categories))) + 8
    else:
        need = size * LINE * 2 + 10  # a point's label may sit above or below it
    low = min(values) - need / per_unit if min(values) < 0 or spec.kind in ("line", "multi_line", "scatter") \
        else min(values)
    if min(values) >= 0:
        low = max(low, 0.0)  # no negative scale for positive data: the lowest labels go above their points
    return low, max(values) + need / per_unit


def radial_layout(spec: ChartSpec, plot: Box) -> RadialLayout:
    """Centre and radius of a pie, donut or radar, leaving room for labels outside the circle.

    Raises:
        RenderError: "too_crowded" when the labels leave too small a circle.
    """
    st = spec.style
    text_h = st.font_size * LINE
    outside = spec.categories if spec.kind == "radar" or not spec.legend else []
    radius = min(plot.width, plot.height) / 2 - 8
    if outside:
        lines = 2 if spec.kind != "radar" else 1
        widest = max(text_width(t, st.font, st.font_size) for i, c in enumerate(outside)
                     for t in [c] + ([spec.label(0, i)] if lines == 2 else []))
        radius = min(plot.width / 2 - widest - 30, plot.height / 2 - lines * text_h - 14)
    if radius < 60:
        raise RenderError("too_crowded", f"radius {radius:.0f} px")
    inner = radius * 0.55 if spec.kind == "donut" else 0.0
    scale = plain_axis(spec) if spec.kind == "radar" else None
    return RadialLayout(plot.left + plot.width / 2, plot.top + plot.height / 2, radius, inner,
                        label_size(spec), scale)
