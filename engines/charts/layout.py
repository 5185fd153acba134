"""Where a chart's title, legend, source note and axis titles go, and the box left for the plot.

Both chart renderers place these frame elements at the same pixel positions, computed here from
text widths measured with the chart's own font, before anything is drawn. Computing the layout
once, up front, is what lets the matplotlib renderer draw a chart in a single pass (no
`tight_layout`, no second draw) and lets ECharts' grid be sized without guessing. A legend is
laid out row by row here rather than wrapped by a renderer, so no row can spill onto the plot.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width

MIN_TEXT_PX = 9  # below this a label is no longer reliably legible
MARKER_GAP = 5.0  # legend marker to label: ECharts' fixed gap, so both renderers agree


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class TextSlot:
    """One frame text: anchored at (x, y), y being the middle of the line; rotation 90 reads upwards."""

    text: str
    x: float
    y: float
    size: float
    align: str = "center"  # left | center | right
    rotation: int = 0
    bold: bool = False


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a marker of `marker` shape whose left edge is at x, centred on y, then its label."""

    label: str
    color: str
    marker: str  # rect | line | point
    x: float
    y: float


@dataclass(frozen=True)
class Frame:
    title: TextSlot | None
    source: TextSlot | None
    x_title: TextSlot | None
    y_title: TextSlot | None
    legend: list[LegendItem]
    legend_size: float
    marker_size: tuple[float, float]  # legend marker (width, height)
    plot: Box  # what remains for the plot, tick labels included


def fit_size(text: str, size: float, max_width: float, font: str, bold: bool = False) -> float:
    """The largest size <= `size` at which one line of `text` fits in `max_width` pixels."""
    width = text_width(text, font, size, bold)
    if width > max_width:
        size = int(size * max_width / width)
    if size < MIN_TEXT_PX:
        raise RenderError("text_too_long", text)
    return size


def marker_shape(spec: ChartSpec, series: int) -> str:
    """The legend marker of a series: the mark it is drawn with."""
    if spec.kind in ("line", "multi_line") or (spec.kind == "bar_line" and series == 1):
        return "line"
    return "point" if spec.kind == "scatter" else "rect"


def frame_layout(spec: ChartSpec) -> Frame:
    """Lay out the frame of `spec` from the outside in: title, source, legend, axis titles, plot.

    Raises:
        RenderError: "text_too_long" when a title cannot fit even when shrunk, "too_crowded" when
            too little room is left for the plot.
    """
    st = spec.style
    pad = round(min(st.width, st.height) * 0.025) + 4
    left, top, right, bottom = pad, pad, st.width - pad, st.height - pad
    font, size = st.font, st.font_size
    title = source = x_title = y_title = None
    if spec.title:
        tsize = fit_size(spec.title, st.title_size, right - left, font, st.title_bold)
        x = left if st.title_align == "left" else st.width / 2
        title = TextSlot(spec.title, x, top + tsize * 0.6, tsize, st.title_align, bold=st.title_bold)
        top += tsize * 1.2 + pad / 2
    if spec.source:
        ssize = fit_size(spec.source, max(MIN_TEXT_PX, size - 2), right - left, font)
        source = TextSlot(spec.source, left, bottom - ssize * 0.6, ssize, "left")
        bottom -= ssize * 1.2 + pad / 2
    marker = (round(size * 1.8), round(size * 0.9))
    legend: list[LegendItem] = []
    if spec.legend:
        legend, (left, top, right, bottom) = _legend(spec, marker, (left, top, right, bottom), pad)
    if spec.y_title:
        ysize = fit_size(spec.y_title, size + 1, bottom - top, font)
        y_title = TextSlot(spec.y_title, left + ysize * 0.6, (top + bottom) / 2, ysize, rotation=90)
        left += ysize * 1.2 + pad / 2
    if spec.x_title:
        xsize = fit_size(spec.x_title, size + 1, right - left, font)
        x_title = TextSlot(spec.x_title, (left + right) / 2, bottom - xsize * 0.6, xsize)
        bottom -= xsize * 1.2 + pad / 2
    plot = Box(left, top, right - left, bottom - top)
    if plot.width < 160 or plot.height < 120:
        raise RenderError("too_crowded", f"{plot.width:.0f}x{plot.height:.0f} px left for the plot")
    return Frame(title, source, x_title, y_title, legend, size, marker, plot)


def _legend(
    spec: ChartSpec, marker: tuple[float, float], edges: tuple[float, float, float, float], pad: float
) -> tuple[list[LegendItem], tuple[float, float, float, float]]:
    """Place legend entries in rows (top/bottom) or one column (right); return them and the edges left."""
    st = spec.style
    left, top, right, bottom = edges
    widths = [marker[0] + MARKER_GAP + text_width(label, st.font, st.font_size) for label in spec.legend_labels]
    row_h = max(marker[1], st.font_size * 1.25)
    item_gap = st.font_size
    shapes = [marker_shape(spec, i) for i in range(len(spec.series))]
    colors = st.colors

    def item(i: int, x: float, y: float) -> LegendItem:
        shape = "rect" if spec.by_category else shapes[i]
        return LegendItem(spec.legend_labels[i], colors[i], shape, x, y)

    if st.legend_position == "right":
        col_w = max(widths)
        if col_w > (right - left) * 0.4:
            raise RenderError("too_crowded", "legend labels too wide for a side legend")
        n = len(widths)
        y0 = (top + bottom) / 2 - (n * row_h + (n - 1) * item_gap / 2) / 2 + row_h / 2
        items = [item(i, right - col_w, y0 + i * (row_h + item_gap / 2)) for i in range(n)]
        return items, (left, top, right - col_w - pad, bottom)
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + item_gap + w > right - left:
            rows.append([])
            used = 0.0
        used += (item_gap if rows[-1] else 0.0) + w
        rows[-1].append(i)
    if any(widths[r[0]] > right - left for r in rows):
        raise RenderError("too_crowded", "a legend label is wider than the chart")
    band = len(rows) * row_h + (len(rows) - 1) * item_gap / 2
    y0 = top + row_h / 2 if st.legend_position == "top" else bottom - band + row_h / 2
    items = []
    for r, row in enumerate(rows):
        x = (left + right) / 2 - (sum(widths[i] for i in row) + item_gap * (len(row) - 1)) / 2
        for i in row:
            items.append(item(i, x, y0 + r * (row_h + item_gap / 2)))
            x += widths[i] + item_gap
    if st.legend_position == "top":
        return items, (left, top + band + pad / 2, right, bottom)
    return items, (left, top, right, bottom - band - pad / 2)
