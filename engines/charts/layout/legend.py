"""A chart's legend laid out here, entry by entry, rather than by a renderer.

ECharts wraps its own legend rows where the shared layout cannot see them, and a row could spill
onto the plot; laid out here, top and bottom legends fill rows across the chart, a right legend is
one column, and a series name too long for the room (real tables name series in 25-60 characters)
wraps over up to three lines. Both renderers draw each entry where it is put: its marker (the mark
the series is drawn with), then its label.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.wrap import LINE, wrap
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width

MARKER_GAP = 5.0  # legend marker to label: ECharts' fixed gap, so both renderers agree


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a marker whose left edge is at x, centred on y, then its (wrapped) label."""

    lines: tuple[str, ...]
    index: int  # the series (or, for a pie, the slice) it stands for
    marker: str  # rect | line | point
    x: float
    y: float


def marker_shape(spec: ChartSpec, series: int) -> str:
    """The legend marker of a series: the mark it is drawn with."""
    if spec.kind in ("line", "multi_line") or (spec.kind == "bar_line" and series == 1):
        return "line"
    return "point" if spec.kind == "scatter" else "rect"


def legend_layout(
    spec: ChartSpec, marker: tuple[float, float], edges: tuple[float, float, float, float], pad: float
) -> tuple[list[LegendItem], tuple[float, float, float, float]]:
    """Place legend entries in rows (top/bottom) or one column (right); return them and the edges left.

    A label wider than the room a legend may take wraps over up to 3 lines.
    """
    st = spec.style
    left, top, right, bottom = edges
    side = st.legend_position == "right"
    room = (right - left) * (0.3 if side else 0.45) - marker[0] - MARKER_GAP
    labels = []
    for label in spec.legend_labels:
        lines = wrap(label, room, st.font, st.font_size)
        if lines is None or len(lines) > 3:
            raise RenderError("too_crowded", f"legend label {label[:40]!r}")
        labels.append(tuple(lines))
    widths = [marker[0] + MARKER_GAP + max(text_width(t, st.font, st.font_size) for t in lines) for lines in labels]
    heights = [max(marker[1], len(lines) * st.font_size * LINE) for lines in labels]
    gap = st.font_size

    def item(i: int, x: float, y: float) -> LegendItem:
        return LegendItem(labels[i], i, "rect" if spec.by_category else marker_shape(spec, i), x, y)

    if side:
        col_w = max(widths)
        total = sum(heights) + gap / 2 * (len(heights) - 1)
        y, items = (top + bottom) / 2 - total / 2, []
        for i, h in enumerate(heights):
            items.append(item(i, right - col_w, y + h / 2))
            y += h + gap / 2
        return items, (left, top, right - col_w - pad, bottom)
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + gap + w > right - left:
            rows.append([])
            used = 0.0
        used += (gap if rows[-1] else 0.0) + w
        rows[-1].append(i)
    row_h = [max(heights[i] for i in row) for row in rows]
    band = sum(row_h) + (len(rows) - 1) * gap / 2
    y = top if st.legend_position == "top" else bottom - band
    items = []
    for row, h in zip(rows, row_h):
        x = (left + right) / 2 - (sum(widths[i] for i in row) + gap * (len(row) - 1)) / 2
        for i in row:
            items.append(item(i, x, y + h / 2))
            x += widths[i] + gap
        y += h + gap / 2
    if st.legend_position == "top":
        return items, (left, top + band + pad / 2, right, bottom)
    return items, (left, top, right, bottom - band - pad / 2)
