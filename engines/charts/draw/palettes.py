"""Colour palettes and backgrounds both chart renderers draw with, and a readable text colour on each.

Kept apart from the renderers so that a spec's colours mean the same on matplotlib and on ECharts,
and so that an engine can pick among them without knowing how either renderer works. Palettes
follow the tools and publications charts come from (Office, Tableau, ECharts, ColorBrewer,
Okabe-Ito, newspapers, viridis); backgrounds include tinted and dark themes, with the grid and
axis colours derived from them so that a dark chart keeps faint grid lines.
"""

from __future__ import annotations

from engines.charts.draw.colors import delta_e, mix
from engines.charts.spec import ChartStyle

# Each palette has at least 8 colours (a pie may have up to 8 slices); `colors.distinct` picks
# the chart's colours from a rotated palette, skipping any too close to one already picked.
PALETTES: dict[str, list[str]] = {
    "office": ["#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#70ad47", "#264478", "#9e480e"],
    "tableau": ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"],
    "echarts": ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4"],
    "pastel": ["#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd"],
    "dark": ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"],
    "muted": ["#6c8ebf", "#d79b00", "#82b366", "#b85450", "#9673a6", "#56517e", "#c0a062", "#4d9fa3"],
    "warm": ["#c0392b", "#f1c40f", "#8e44ad", "#e67e22", "#b9770e", "#7b241c", "#e74c3c", "#d35400"],
    "cool": ["#1f618d", "#48c9b0", "#7d3c98", "#5dade2", "#2e4053", "#52be80", "#2874a6", "#17a589"],
    "okabe_ito": ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442", "#000000"],
    "set1": ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"],
    "newspaper": ["#006ba2", "#3ebcd2", "#379a8b", "#ebb434", "#b4ba39", "#9a607f", "#d1b07c", "#db444b"],
    "viridis": ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"],
    "grey_accent": ["#c0392b", "#7f7f7f", "#1f4e79", "#bfbfbf", "#e6a23c", "#404040", "#5b8db8", "#999999"],
}

# (background, text colour) pairs: mostly white, sometimes tinted or dark, as reports, slides and dashboards are.
BACKGROUNDS: list[tuple[str, str]] = [
    ("#ffffff", "#333333"),
    ("#ffffff", "#000000"),
    ("#ffffff", "#404040"),
    ("#f7f7f7", "#222222"),
    ("#fbf8f1", "#3b3b3b"),
    ("#f2f5fa", "#1f2d3d"),
    ("#eaeaf2", "#262626"),
    ("#1f1f24", "#e6e6e6"),
    ("#10243e", "#f0f0f0"),
]
BACKGROUND_WEIGHTS = [8, 2, 2, 1, 1, 1, 1, 1, 1]


def grid_color(background: str, text: str) -> str:
    """Faint grid lines and radar rings: 18% of the way from the background to the text colour."""
    return mix(background, text, 0.18)


def axis_color(background: str, text: str) -> str:
    """Axis lines: half way from the background to the text colour."""
    return mix(background, text, 0.55)


def text_on(color: str) -> str:
    """Black or white, whichever reads better on `color` (a "#rrggbb" fill), for labels inside marks."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


READABLE = 35.0  # CIEDE2000 from the background a coloured text needs to read as well as the text colour


def end_label_color(style: ChartStyle, series: int) -> str:
    """A series name at its line's end takes the line's colour where that reads as text on the background
    (World Bank style), else the text colour."""
    color = style.colors[series]
    return color if delta_e(color, style.background) >= READABLE else style.text_color
