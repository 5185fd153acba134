"""Where a chart's title, subtitle, legend, source note and axis titles go, and the box left for the plot.

Both chart renderers place these frame elements at the same pixel positions, computed here from
text widths measured with the chart's own font, before anything is drawn. Computing the layout
once, up front, is what lets the matplotlib renderer draw a chart in a single pass (no
`tight_layout`, no second draw) and lets ECharts' grid be sized without guessing. Long texts (the
titles and series names of real tables) wrap over a few lines (`wrap`) rather than shrink below
legibility; a legend is laid out row by row here rather than wrapped by a renderer, so no row can
spill onto the plot.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.legend import LegendItem, legend_layout
from engines.charts.layout.wrap import LINE, fit_lines
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError

MIN_TEXT_PX = 9  # below this a label is no longer reliably legible


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
    """One frame text of one or more lines: anchored at (x, y), y being the middle of the block;
    rotation 90 reads upwards."""

    lines: tuple[str, ...]
    x: float
    y: float
    size: float
    align: str = "center"  # left | center | right
    rotation: int = 0
    bold: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Frame:
    title: TextSlot | None
    subtitle: TextSlot | None
    source: TextSlot | None
    x_title: TextSlot | None
    y_title: TextSlot | None
    legend: list[LegendItem]
    legend_size: float
    marker_size: tuple[float, float]  # legend marker (width, height)
    plot: Box  # what remains for the plot, tick labels included
    y2_title: TextSlot | None = None  # a dual-axis chart's right axis title

    @property
    def slots(self) -> list[TextSlot]:
        return [s for s in (self.title, self.subtitle, self.source, self.x_title, self.y_title, self.y2_title)
                if s is not None]


def fit_text(text: str, size: float, max_width: float, font: str, max_lines: int, bold: bool = False,
             shrink: float = 0.75) -> tuple[tuple[str, ...], float]:
    """Lines and size for `text` within `max_width`: at most `max_lines` lines, shrunk at most to `shrink` x size.

    Raises:
        RenderError: "text_too_long" when it cannot fit legibly.
    """
    fit = fit_lines(text, max_width, font, size, max(MIN_TEXT_PX, round(size * shrink)), max_lines, bold)
    if fit is None:
        raise RenderError("text_too_long", text[:80])
    return tuple(fit[0]), fit[1]


def frame_layout(spec: ChartSpec) -> Frame:
    """Lay out the frame of `spec` from the outside in: title, subtitle, source, legend, axis titles, plot.

    Raises:
        RenderError: "text_too_long" when a title cannot fit even wrapped and shrunk, "too_crowded" when
            too little room is left for the plot.
    """
    st = spec.style
    pad = round(min(st.width, st.height) * 0.025) + 4
    left, top, right, bottom = pad, pad, st.width - pad, st.height - pad
    font, size = st.font, st.font_size
    title = subtitle = source = x_title = y_title = None
    x = left if st.title_align == "left" else st.width / 2
    if spec.title:
        lines, tsize = fit_text(spec.title, st.title_size, right - left, font, 3, st.title_bold)
        title = TextSlot(lines, x, top + len(lines) * tsize * LINE / 2, tsize, st.title_align, bold=st.title_bold)
        top += len(lines) * tsize * LINE + pad / 2
    if spec.subtitle:
        lines, ssize = fit_text(spec.subtitle, size, right - left, font, 2)
        subtitle = TextSlot(lines, x, top + len(lines) * ssize * LINE / 2, ssize, st.title_align)
        top += len(lines) * ssize * LINE + pad / 2
    if spec.source:
        lines, ssize = fit_text(spec.source, max(MIN_TEXT_PX, size - 2), right - left, font, 2, shrink=1.0)
        source = TextSlot(lines, left, bottom - len(lines) * ssize * LINE / 2, ssize, "left")
        bottom -= len(lines) * ssize * LINE + pad / 2
    marker = (round(size * 1.8), round(size * 0.9))
    legend: list[LegendItem] = []
    if spec.legend:
        legend, (left, top, right, bottom) = legend_layout(spec, marker, (left, top, right, bottom), pad)
    if spec.y_title:
        lines, ysize = fit_text(spec.y_title, size + 1, bottom - top, font, 2)
        block = len(lines) * ysize * LINE
        y_title = TextSlot(lines, left + block / 2, (top + bottom) / 2, ysize, rotation=90)
        left += block + pad / 2
    y2_title = None
    if spec.y2_title:
        lines, ysize = fit_text(spec.y2_title, size + 1, bottom - top, font, 2)
        block = len(lines) * ysize * LINE
        y2_title = TextSlot(lines, right - block / 2, (top + bottom) / 2, ysize, rotation=90)
        right -= block + pad / 2
    if spec.x_title:
        lines, xsize = fit_text(spec.x_title, size + 1, right - left, font, 2)
        block = len(lines) * xsize * LINE
        x_title = TextSlot(lines, (left + right) / 2, bottom - block / 2, xsize)
        bottom -= block + pad / 2
    plot = Box(left, top, right - left, bottom - top)
    if plot.width < 160 or plot.height < 120:
        raise RenderError("too_crowded", f"{plot.width:.0f}x{plot.height:.0f} px left for the plot")
    return Frame(title, subtitle, source, x_title, y_title, legend, size, marker, plot, y2_title)
