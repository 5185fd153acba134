"""Small multiples: a multi-line chart drawn as one small panel per series, all on one shared value scale.

Statistics offices and newspapers draw several series this way when one chart would tangle them:
each panel is a one-line chart of its own (ticks, category labels, line), its series named in bold
over it, and every panel's scale covers the values of all of them, so panels compare at a glance
and each value reads off its own panel's scale as off one chart's. Each panel is planned as a
one-series line chart in its cell (`cartesian_layout` with the shared span), so both renderers
draw a panel exactly as they draw any line chart; the chart's frame (title, axis titles, source)
is laid out once around the grid.
"""

from __future__ import annotations

import dataclasses

from engines.charts.layout.axes import CartesianLayout, cartesian_layout, data_range
from engines.charts.layout.frame import Box, Frame, TextSlot, fit_text
from engines.charts.layout.geometry import PlotGeometry
from engines.charts.layout.wrap import LINE
from engines.charts.spec import ChartSpec

GRIDS = {2: (1, 2), 3: (1, 3), 4: (2, 2), 5: (2, 3), 6: (2, 3)}  # panels -> (rows, columns)


def panel_spec(spec: ChartSpec, s: int) -> ChartSpec:
    """Series s alone as a line chart in the chart's looks, named over its panel."""
    st = spec.style
    style = dataclasses.replace(st, colors=[st.colors[s]], dashes=[st.dashes[s]], symbols=[st.symbols[s]],
                                panels=False, end_labels=False)
    return ChartSpec("line", spec.categories, [spec.series[s]], spec.number_format, spec.series[s].name,
                     style=style, legend=False, data_labels=False)


def plan_panels(spec: ChartSpec, plot: Box) -> list[tuple[ChartSpec, Frame, CartesianLayout, PlotGeometry]]:
    """A panel per series in a grid over `plot`, each named over its cell (its frame's title), all on the
    chart's one scale: (its one-line chart, frame, layout, geometry).

    Raises:
        RenderError: "text_too_long" (a name that cannot fit over its panel) or "too_crowded" (a panel
            too small for its category labels).
    """
    st = spec.style
    rows, cols = GRIDS[len(spec.series)]
    gap = st.font_size * 1.5
    width, height = (plot.width - gap * (cols - 1)) / cols, (plot.height - gap * (rows - 1)) / rows
    span = data_range(spec.kind, [s.values for s in spec.series])  # the scale of the chart as one
    size = st.font_size + 1
    panels = []
    for s in range(len(spec.series)):
        row, col = divmod(s, cols)
        left, top = plot.left + col * (width + gap), plot.top + row * (height + gap)
        lines, tsize = fit_text(spec.series[s].name, size, width, st.font, 2, bold=True)
        block = len(lines) * tsize * LINE
        title = TextSlot(lines, left + width / 2, top + block / 2, tsize, bold=True)
        cell = Box(left, top + block + 2, width, height - block - 2)
        sub = panel_spec(spec, s)
        lay = cartesian_layout(sub, cell, span=span)
        frame = Frame(title, None, None, None, None, [], st.font_size, (0.0, 0.0), cell)
        panels.append((sub, frame, lay, PlotGeometry(sub, lay)))
    return panels
