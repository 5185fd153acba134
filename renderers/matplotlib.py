"""Drawing primitives on ONE reused matplotlib Figure, in image pixels with y pointing down.

Why not pyplot and Axes: creating a figure and an Axes (with its ticks, spines and title layout)
costs more than drawing a whole chart, and `savefig` draws everything a second time. The chart
renderers compute their own layout (`chart_layout`, `chart_axes`), so they only need artists placed
at pixel positions: a Figure at 72 dpi (1 pt = 1 px) with an identity transform does exactly that,
and one Figure per process is cleared and reused for every chart. Every text drawn is recorded
with its box, so the legibility check and the engine see exactly what the image shows.
"""

from __future__ import annotations

import math

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle, Wedge
from matplotlib.transforms import IdentityTransform
from PIL import Image

from renderers.fonts import line_metrics, mpl_font, text_width
from renderers.result import DrawnText

DPI = 72
_FRACTION = {"left": 0.0, "center": 0.5, "right": 1.0, "top": 0.0, "bottom": 1.0}
_canvas: FigureCanvasAgg | None = None


class _Label(Artist):
    """One line of text drawn straight through the renderer, its baseline origin already computed.

    `Figure.text` would measure the string once more to align it (a full FreeType layout per
    text, ~20% of a chart's time); the painter has measured it already, so the same numbers
    place the glyphs and the box the legibility check sees.
    """

    def __init__(self, x: float, y: float, text: str, prop, color: str, angle: float) -> None:
        super().__init__()
        self.x, self.y, self.text, self.prop, self.color, self.angle = x, y, text, prop, color, angle
        self.set_zorder(5)

    def get_text(self) -> str:
        return self.text

    def draw(self, renderer) -> None:
        gc = renderer.new_gc()
        gc.set_foreground(self.color)
        renderer.draw_text(gc, self.x, self.y, self.text, self.prop, self.angle)  # y down, baseline origin
        gc.restore()


def _shared_canvas() -> FigureCanvasAgg:
    """The process's one Figure and Agg canvas, made on first use."""
    global _canvas
    if _canvas is None:
        _canvas = FigureCanvasAgg(Figure(dpi=DPI))
    return _canvas


class Painter:
    """Clears the shared Figure to a `width` x `height` image of colour `background`, then draws on it."""

    def __init__(self, width: int, height: int, background: str, font: str) -> None:
        self.canvas = _shared_canvas()
        self.fig = self.canvas.figure
        self.fig.clear()
        self.fig.set_size_inches(width / DPI, height / DPI)
        self.fig.set_facecolor(background)
        self.width, self.height, self.font = width, height, font
        self.texts: list[DrawnText] = []
        self._identity = IdentityTransform()

    def _add(self, artist: Artist) -> None:
        artist.set_transform(self._identity)
        self.fig.add_artist(artist)

    def _xy(self, points):
        return [(x, self.height - y) for x, y in points]

    def text(self, x: float, y: float, s: str, size: float, color: str, ha: str = "center",
             va: str = "center", rotation: float = 0, bold: bool = False) -> None:
        """Draw one line of text anchored at (x, y), rotated counter-clockwise about the anchor.

        The line's box is `size * 1.2` high (its middle is where "center" aligns); the baseline
        sits in it by the face's ascent and descent, so Latin and CJK text centre alike.
        """
        w, h = text_width(s, self.font, size, bold), size * 1.2
        ascent, descent = line_metrics(self.font, size, bold)
        dx, dy = -w * _FRACTION[ha], -h * _FRACTION[va]
        cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))

        def turn(cx: float, cy: float) -> tuple[float, float]:
            return x + cx * cos + cy * sin, y - cx * sin + cy * cos

        corners = [(dx, dy), (dx + w, dy), (dx + w, dy + h), (dx, dy + h)]
        self.texts.append(DrawnText(s, tuple(turn(cx, cy) for cx, cy in corners)))
        bx, by = turn(dx, dy + h / 2 + (ascent - descent) / 2)
        self.fig.add_artist(_Label(bx, by, s, mpl_font(self.font, size, bold), color, rotation))

    def rects(self, boxes: list[tuple[float, float, float, float]], colors: list[str],
              edge: str = "none", z: float = 2) -> None:
        """Filled rectangles given as (left, top, width, height)."""
        patches = [Rectangle((x, self.height - y - h), w, h) for x, y, w, h in boxes]
        self._add(PatchCollection(patches, facecolors=colors, edgecolors=edge, linewidths=0.8, zorder=z))

    def wedges(self, cx: float, cy: float, r: float, spans: list[tuple[float, float]], colors: list[str],
               width: float | None = None, edge: str = "#ffffff") -> None:
        """Pie wedges between angles (degrees, counter-clockwise from 3 o'clock); `width` makes a ring."""
        patches = [Wedge((cx, self.height - cy), r, a, b, width=width) for a, b in spans]
        self._add(PatchCollection(patches, facecolors=colors, edgecolors=edge, linewidths=1.0, zorder=2))

    def polygon(self, points: list[tuple[float, float]], face: str, alpha: float = 1.0, edge: str = "none",
                z: float = 2) -> None:
        self._add(Polygon(self._xy(points), closed=True, facecolor=face, edgecolor=edge, alpha=alpha, zorder=z))

    def line(self, points: list[tuple[float, float]], color: str, width: float, marker: str = "",
             marker_size: float = 0, z: float = 3, dashed: bool = False) -> None:
        xs, ys = zip(*self._xy(points))
        self._add(Line2D(xs, ys, color=color, linewidth=width, marker=marker or "None", markersize=marker_size,
                         markerfacecolor=color, markeredgecolor=color, zorder=z,
                         linestyle="--" if dashed else ("-" if width else "None")))

    def segments(self, pairs: list[list[tuple[float, float]]], color: str, width: float, z: float = 1) -> None:
        """Many straight segments at once (grid lines, ticks, spokes)."""
        self._add(LineCollection([self._xy(p) for p in pairs], colors=color, linewidths=width, zorder=z))

    def image(self) -> Image.Image:
        """Draw the Figure once and copy its pixels out as an RGB image."""
        self.canvas.draw()
        size = self.canvas.get_width_height()
        return Image.frombuffer("RGBA", size, self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
