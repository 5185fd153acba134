"""Category labels fitted whole: wrapped over lines, turned 45 or 90 degrees, or the chart refused.

ECharts and matplotlib would each hide category labels they find crowded, and a target would then
name labels the image lacks. Here every label is drawn whole: along the bottom it first wraps over
up to three lines within its band; when a word is wider than the band it turns 45 degrees (then
90), wrapped over up to two lines; down the left side (horizontal bars) it wraps within 30% of the
chart's width. What cannot fit raises "too_crowded", and the draw is retried with another chart.
"""

from __future__ import annotations

from engines.charts.layout.frame import Box
from engines.charts.layout.wrap import wrap
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width


def _wrapped(spec: ChartSpec, width: float, max_lines: int) -> list[tuple[str, ...]] | None:
    out = []
    for c in spec.categories:
        lines = wrap(c, width, spec.style.font, spec.style.font_size)
        if lines is None or len(lines) > max_lines:
            return None
        out.append(tuple(lines))
    return out


def _widest(spec: ChartSpec, lines: list[tuple[str, ...]]) -> float:
    return max(text_width(t, spec.style.font, spec.style.font_size) for block in lines for t in block)


def horizontal_inner(spec: ChartSpec, plot: Box, tick_w: float,
                      text_h: float) -> tuple[Box, int, list[tuple[str, ...]]]:
    """The inner box of a chart with categories down the left side, labels wrapped to 30% of the width."""
    n = len(spec.categories)
    lines = _wrapped(spec, plot.width * 0.3, 3)
    if lines is None:
        raise RenderError("too_crowded", "a category label is too long for the chart's width")
    cat_w = _widest(spec, lines)
    inner = Box(plot.left + cat_w + 10, plot.top + 4, plot.width - cat_w - 14 - tick_w / 2, plot.height - text_h - 12)
    if inner.height / n < text_h * (max(len(b) for b in lines) + 0.15):
        raise RenderError("too_crowded", f"{n} category labels in {inner.height:.0f} px")
    return inner, 0, lines


def vertical_inner(spec: ChartSpec, plot: Box, tick_w: float,
                    text_h: float) -> tuple[Box, int, list[tuple[str, ...]]]:
    """The inner box, category label rotation and wrapped labels of a chart with categories along the bottom."""
    n = len(spec.categories)
    left = tick_w + 10
    band = (plot.width - left - 12) / n
    lines = _wrapped(spec, band - 8, 3)
    if lines is not None:
        rotation, extent = 0, max(len(b) for b in lines) * text_h
    else:
        room = plot.height * 0.38
        lines = _wrapped(spec, room / 0.7072 - 2 * text_h, 2)
        depth = max(len(b) for b in lines) * text_h if lines else 0
        if lines is not None and depth * 1.4 <= band:
            rotation, extent = 45, (_widest(spec, lines) + depth) * 0.7072
            left = max(left, _widest(spec, lines[:1]) * 0.7072 - band / 2 + 6)
            band = (plot.width - left - 12) / n
        elif (lines := _wrapped(spec, room, 2)) is not None and max(len(b) for b in lines) * text_h * 1.15 <= band:
            rotation, extent = 90, _widest(spec, lines)
        else:
            raise RenderError("too_crowded", f"{n} category labels in {plot.width:.0f} px")
    if extent > plot.height * 0.4:
        raise RenderError("too_crowded", "category labels too long for the chart's height")
    top = text_h / 2 + 2
    return Box(plot.left + left, plot.top + top, band * n, plot.height - top - extent - 10), rotation, lines
