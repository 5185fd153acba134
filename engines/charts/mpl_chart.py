"""`MatplotlibChartRenderer`: a `ChartSpec` drawn with matplotlib artists on one reused Agg Figure.

The frame (title, legend, source note, axis titles) and the axes (ticks, grid lines, category
labels) are drawn at the pixel positions the shared layouts computed, the marks by
`matplotlib_marks`; the figure is drawn once and its RGBA buffer copied out, which is several
times faster than a pyplot figure per chart saved to PNG (see `bench/charts.py`). Matplotlib's
pixels depend only on the spec, never on what the Figure drew before, so a chart renders to the
same bytes in any process and after any other chart.
"""

from __future__ import annotations

from engines.charts.axes import CartesianLayout, cartesian_layout, radial_layout
from engines.charts.layout import Frame, TextSlot, frame_layout
from engines.charts.spec import ChartSpec
from engines.charts.mpl_marks import POINT_MARKERS, CartesianMarks, pie, radar
from renderers.matplotlib import Painter
from engines.charts.palettes import AXIS_COLOR, GRID_COLOR
from renderers.legibility import check_legible
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
        frame = frame_layout(spec)
        painter = Painter(st.width, st.height, st.background, st.font)
        if spec.cartesian:
            layout = cartesian_layout(spec, frame.plot)
            _axes(painter, spec, layout)
            CartesianMarks(painter, spec, layout).draw()
        elif spec.kind == "radar":
            radar(painter, spec, radial_layout(spec, frame.plot))
        else:
            pie(painter, spec, radial_layout(spec, frame.plot))
        _frame(painter, spec, frame)
        check_legible(painter.texts, st.width, st.height)
        return Rendered([painter.image()], painter.texts)


def _slot(p: Painter, slot: TextSlot | None, color: str) -> None:
    if slot is not None:
        p.text(slot.x, slot.y, slot.text, slot.size, color, ha=slot.align, rotation=slot.rotation, bold=slot.bold)


def _frame(p: Painter, spec: ChartSpec, frame: Frame) -> None:
    """Title, source note, axis titles and legend, where `frame_layout` put them."""
    color = spec.style.text_color
    for slot in (frame.title, frame.source, frame.x_title, frame.y_title):
        _slot(p, slot, color)
    mw, mh = frame.marker_size
    for item in frame.legend:
        if item.marker == "rect":
            p.rects([(item.x, item.y - mh / 2, mw, mh)], [item.color], z=4)
        elif item.marker == "line":
            p.line([(item.x, item.y), (item.x + mw, item.y)], item.color, spec.style.line_width,
                   "o" if spec.style.markers else "", spec.style.line_width * 2.5, z=4)
        else:
            index = spec.legend_labels.index(item.label)
            p.line([(item.x + mw / 2, item.y)], item.color, 0, POINT_MARKERS[index % len(POINT_MARKERS)],
                   spec.style.font_size * 0.75, z=4)
        p.text(item.x + mw + 5, item.y, item.label, frame.legend_size, color, ha="left")


def _axes(p: Painter, spec: ChartSpec, lay: CartesianLayout) -> None:
    """Grid lines, axis lines, value ticks and category labels around the inner box."""
    st, inner, axis = spec.style, lay.inner, lay.axis
    marks = CartesianMarks(p, spec, lay)
    size, color = st.font_size, st.text_color
    if lay.horizontal:
        if st.grid:
            p.segments([[(marks.pos(t), inner.top), (marks.pos(t), inner.bottom)] for t in axis.ticks], GRID_COLOR, 0.8)
        p.segments([[(inner.left, inner.bottom), (inner.right, inner.bottom)],
                    [(marks.pos(max(axis.lo, 0.0)), inner.top), (marks.pos(max(axis.lo, 0.0)), inner.bottom)]],
                   AXIS_COLOR, 1.0, z=2.5)
        for t, label in zip(axis.ticks, axis.labels):
            p.text(marks.pos(t), inner.bottom + 6, label, size, color, va="top")
        for i, name in enumerate(spec.categories):
            p.text(inner.left - 6, marks.center(i), name, size, color, ha="right")
        return
    if st.grid:
        p.segments([[(inner.left, marks.pos(t)), (inner.right, marks.pos(t))] for t in axis.ticks], GRID_COLOR, 0.8)
    zero = marks.pos(0.0) if axis.lo < 0 < axis.hi else inner.bottom
    p.segments([[(inner.left, inner.top), (inner.left, inner.bottom)], [(inner.left, zero), (inner.right, zero)]],
               AXIS_COLOR, 1.0, z=2.5)
    for t, label in zip(axis.ticks, axis.labels):
        p.text(inner.left - 6, marks.pos(t), label, size, color, ha="right")
    ha, va = ("center", "top") if lay.rotation == 0 else ("right", "center")
    for i, name in enumerate(spec.categories):
        p.text(marks.center(i), inner.bottom + 6, name, size, color, ha=ha, va=va, rotation=lay.rotation)
