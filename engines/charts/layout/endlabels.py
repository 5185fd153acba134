"""Series named at their lines' ends, as the World Bank and statistics offices draw long series: no legend.

Each name goes just right of the plot, level with its line's last point, in a column kept free for
it (`cartesian_layout`'s `end_room`), so no mark can be under it. Names whose lines end close
together are pushed apart, but never more than `MAX_SHIFT` lines from their own point: a name
further off would no longer say which line it names, and the draw is refused instead
("text_overlap"). A long name wraps over two lines at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.geometry import PlotGeometry
from engines.charts.layout.obstacles import box_quad
from engines.charts.layout.wrap import LINE, wrap
from engines.charts.spec import ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width
from renderers.result import Quad

GAP = 6.0  # plot edge to the names, px
SHARE = 0.2  # of the chart's width a name may take before it wraps
MAX_SHIFT = 1.0  # lines a name may move off its point to clear another name
SPACING = 2.0  # px between two names' blocks


@dataclass(frozen=True)
class EndLabel:
    """One series' name, its block's left edge at x, centred on y."""

    series: int
    lines: tuple[str, ...]
    x: float
    y: float
    quad: Quad


def end_label_lines(spec: ChartSpec) -> list[tuple[str, ...]]:
    """Each series name wrapped for the end column (none when the chart names its series in a legend).

    Raises:
        RenderError: "too_crowded" when a name needs more than two lines.
    """
    if not spec.style.end_labels:
        return []
    st, out = spec.style, []
    for series in spec.series:
        lines = wrap(series.name, st.width * SHARE, st.font, st.font_size)
        if lines is None or len(lines) > 2:
            raise RenderError("too_crowded", f"end label {series.name[:40]!r}")
        out.append(tuple(lines))
    return out


def end_room(spec: ChartSpec, lines: list[tuple[str, ...]]) -> float:
    """The px the end column takes right of the plot (0 without end labels)."""
    if not lines:
        return 0.0
    return GAP + 2 + max(text_width(t, spec.style.font, spec.style.font_size) for block in lines for t in block)


def place_end_labels(spec: ChartSpec, geom: PlotGeometry, lines: list[tuple[str, ...]]) -> list[EndLabel]:
    """Each name level with its line's last point, pushed apart from its neighbours within the plot's height.

    Raises:
        RenderError: "text_overlap" when two names cannot be told apart within MAX_SHIFT lines of their points.
    """
    if not lines:
        return []
    st, inner = spec.style, geom.lay.inner
    line_h = st.font_size * LINE
    want = {s: geom.points(s)[-1][1] for s in range(len(spec.series))}
    heights = {s: len(lines[s]) * line_h for s in want}
    order = sorted(want, key=lambda s: want[s])
    tops, floor = {}, inner.top - line_h / 2
    for s in order:  # top down: each name below the one above it
        tops[s] = max(want[s] - heights[s] / 2, floor)
        floor = tops[s] + heights[s] + SPACING
    ceiling = inner.bottom + line_h / 2
    for s in reversed(order):  # bottom up: back inside the plot's height
        tops[s] = min(tops[s], ceiling - heights[s])
        ceiling = tops[s] - SPACING
    out = []
    for s in range(len(spec.series)):
        y = tops[s] + heights[s] / 2
        if abs(y - want[s]) > MAX_SHIFT * line_h:
            raise RenderError("text_overlap", f"end label {spec.series[s].name[:40]!r} too far from its line")
        width = max(text_width(t, st.font, st.font_size) for t in lines[s])
        x = inner.right + GAP
        out.append(EndLabel(s, lines[s], x, y, box_quad(x, tops[s], width, heights[s])))
    return out
