"""Colour palettes and backgrounds both chart renderers draw with, and a readable text colour on each.

Kept apart from the renderers so that a spec's colours mean the same on matplotlib and on ECharts,
and so that an engine can pick among them without knowing how either renderer works.
"""

from __future__ import annotations

# Each palette has at least 8 colours (a pie may have up to 8 slices), neighbours clearly apart
# (a chart's series take consecutive colours from a rotated palette).
PALETTES: dict[str, list[str]] = {
    "office": ["#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#70ad47", "#264478", "#9e480e"],
    "tableau": ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"],
    "echarts": ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4"],
    "pastel": ["#8dd3c7", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd"],
    "dark": ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"],
    "muted": ["#6c8ebf", "#d79b00", "#82b366", "#b85450", "#9673a6", "#56517e", "#c0a062", "#4d9fa3"],
    "warm": ["#c0392b", "#f1c40f", "#8e44ad", "#e67e22", "#b9770e", "#7b241c", "#e74c3c", "#d35400"],
    "cool": ["#1f618d", "#48c9b0", "#7d3c98", "#5dade2", "#2e4053", "#52be80", "#2874a6", "#17a589"],
}

# (background, text colour) pairs: mostly white, sometimes tinted, as real reports and slides are.
BACKGROUNDS: list[tuple[str, str]] = [
    ("#ffffff", "#333333"),
    ("#ffffff", "#000000"),
    ("#ffffff", "#404040"),
    ("#f7f7f7", "#222222"),
    ("#fbf8f1", "#3b3b3b"),
    ("#f2f5fa", "#1f2d3d"),
]


GRID_COLOR = "#d9d9d9"  # value-axis grid lines and radar rings
AXIS_COLOR = "#666666"  # axis lines


def text_on(color: str) -> str:
    """Black or white, whichever reads better on `color` (a "#rrggbb" fill), for labels inside marks."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"
