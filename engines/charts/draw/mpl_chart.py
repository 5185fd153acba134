"""`MatplotlibChartRenderer`: a `ChartSpec` drawn with matplotlib artists on one reused Agg Figure.

The frame (title, legend, source note, axis titles) and the axes (ticks, grid lines, category
labels) are drawn at the pixel positions the chart's plan computed, the marks by `mpl_marks`; the
figure is drawn once and its RGBA buffer copied out, which is several times faster than a pyplot
figure per chart saved to PNG (see `bench/charts.py`). Matplotlib's pixels depend only on the
spec, never on what the Figure drew before, so a chart renders to the same bytes in any process
and after any other chart.
"""

from __future__ import annotations

from engines.charts.draw import mpl_marks
from engines.charts.draw.mpl_text import block
from engines.charts.layout.axes import TICK_GAP, x_tick_gap
from engines.charts.layout.frame import Frame
from engines.charts.layout.geometry import PlotGeometry
from engines.charts.layout.legend import MARKER_GAP
from engines.charts.layout.plan import ChartPlan, plan_chart, verify
from engines.charts.spec import ChartSpec
from renderers.matplotlib import Painter
from renderers.result import Rendered


class MatplotlibChartRenderer:
    """Draws chart specs with matplotlib; cheap to construct (the Figure is shared per process)."""

    name = "matplotlib"

    def render(self, spec: ChartSpec) -> Rendered:
        """Draw `spec` and return its image and texts.

        Raises:
            RenderError: the chart cannot be drawn legibly ("too_crowded", "text_too_long",
                "text_overlap", "text_clipped").
        """
        st = spec.style
        plan = plan_chart(spec)
        painter = Painter(st.width, st.height, st.background, st.font)
        if plan.panels:  # small multiples: each panel drawn as the one-line chart it is planned as
            for panel in plan.panels:
                _axes(painter, panel)
                mpl_marks.cartesian(painter, panel)
                _frame(painter, panel.spec, panel.frame)
        elif spec.cartesian:
            _axes(painter, plan)
            mpl_marks.cartesian(painter, plan)
        elif spec.kind == "radar":
            mpl_marks.radar(painter, plan)
        else:
            mpl_marks.pie(painter, plan)
        _frame(painter, spec, plan.frame)
        verify(plan, painter.texts)
        return Rendered([painter.image()], painter.texts)


def _frame(p: Painter, spec: ChartSpec, frame: Frame) -> None:
    """Title, subtitle, source note, axis titles and legend, where `frame_layout` put them."""
    st = spec.style
    for slot in frame.slots:
        block(p, slot.x, slot.y, slot.lines, slot.size, st.text_color, ha=slot.align, rotation=slot.rotation,
              bold=slot.bold)
    mw, mh = frame.marker_size
    for item in frame.legend:
        color = st.colors[item.index]
        if item.marker == "rect":
            p.rects([(item.x, item.y - mh / 2, mw, mh)], [color], z=4)
        elif item.marker == "line":
            p.line([(item.x, item.y), (item.x + mw, item.y)], color, st.line_width, "", 0, z=4,
                   dashed=st.dashes[item.index] == "dashed")
            if st.markers or spec.kind == "bar_line":
                p.line([(item.x + mw / 2, item.y)], color, 0, mpl_marks.MPL_MARKERS[st.symbols[item.index]],
                       st.line_width * 2.5, z=4)
        else:
            p.line([(item.x + mw / 2, item.y)], color, 0, mpl_marks.MPL_MARKERS[st.symbols[item.index]],
                   st.font_size * 0.75, z=4)
        block(p, item.x + mw + MARKER_GAP, item.y, item.lines, frame.legend_size, st.text_color, ha="left")


def _axes(p: Painter, plan: ChartPlan) -> None:
    """Grid lines, axis lines, value ticks and category labels around the inner box."""
    spec, lay, geom = plan.spec, plan.cartesian, plan.geometry
    st, inner, axis = spec.style, lay.inner, lay.axis
    size, color = st.font_size, st.text_color
    if lay.horizontal:
        if st.grid:
            p.segments([[(geom.pos(t), inner.top), (geom.pos(t), inner.bottom)] for t in axis.ticks], st.grid_color, 0.8)
        p.segments([[(inner.left, inner.bottom), (inner.right, inner.bottom)],
                    [(geom.baseline, inner.top), (geom.baseline, inner.bottom)]], st.axis_color, 1.0, z=2.5)
        for t, label in zip(axis.ticks, axis.labels):
            p.text(geom.pos(t), inner.bottom + TICK_GAP, label, size, color, va="top")
        for i, lines in enumerate(lay.category_lines):
            block(p, inner.left - TICK_GAP, geom.center(i), lines, size, color, ha="right")
        return
    if st.grid:
        p.segments([[(inner.left, geom.pos(t)), (inner.right, geom.pos(t))] for t in axis.ticks], st.grid_color, 0.8)
    zero = geom.pos(0.0) if axis.lo < 0 < axis.hi else inner.bottom
    p.segments([[(inner.left, inner.top), (inner.left, inner.bottom)], [(inner.left, zero), (inner.right, zero)]],
               st.axis_color, 1.0, z=2.5)
    for t, label in zip(axis.ticks, axis.labels):
        p.text(inner.left - TICK_GAP, geom.pos(t), label, size, color, ha="right")
    if lay.axis2 is not None:  # the right scale of a dual-axis chart (its line series reads on it)
        p.segments([[(inner.right, inner.top), (inner.right, inner.bottom)]], st.axis_color, 1.0, z=2.5)
        for t, label in zip(lay.axis2.ticks, lay.axis2.labels):
            p.text(inner.right + TICK_GAP, geom.pos(t, right=True), label, size, color, ha="left")
    if lay.x_axis is not None:
        _numeric_x(p, plan, geom)
        return
    ha, va = ("center", "top") if lay.rotation == 0 else ("right", "center")
    for i, lines in enumerate(lay.category_lines):
        block(p, geom.center(i), inner.bottom + TICK_GAP, lines, size, color, ha=ha, va=va, rotation=lay.rotation)


def _numeric_x(p: Painter, plan: ChartPlan, geom: PlotGeometry) -> None:
    """The x scale of a numeric scatter plot: ticks, and grid lines when the chart has them."""
    st, lay = plan.spec.style, plan.cartesian
    inner, xs = lay.inner, lay.x_axis
    xpos = [inner.left + (t - xs.lo) / (xs.hi - xs.lo) * inner.width for t in xs.ticks]
    if st.grid:
        p.segments([[(x, inner.top), (x, inner.bottom)] for x in xpos], st.grid_color, 0.8)
    for x, label in zip(xpos, xs.labels):
        p.text(x, inner.bottom + x_tick_gap(plan.spec), label, st.font_size, st.text_color, va="top")
