"""Data labels placed beside their marks: beyond a bar's end, inside a stacked segment, or on the free
side of a point (above, below, or diagonally off it), never on a line, a marker, a bar or another label.

Both renderers draw a label where `place_labels` put it (matplotlib at the predicted box, ECharts by
the same position name, distance and offset), and a chart where some label has no free place is
refused ("text_overlap") rather than drawn with a hidden value. Points try above, below, the four
diagonals, right and left, in that order: the first place no stroke or label touches wins, so a
label never sits on its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.charts.layout.frame import LINE, Box
from engines.charts.layout.geometry import Bar, PlotGeometry
from engines.charts.layout.obstacles import Obstacles, box_quad, segment_quad
from engines.charts.spec import STACKED, ChartSpec
from renderers.errors import RenderError
from renderers.fonts import text_width
from renderers.result import Quad

GAP = 3.0  # label to its mark, px (ECharts' label.distance)
# position -> (horizontal, vertical) alignment of the text at its anchor
ALIGN = {"top": ("center", "bottom"), "bottom": ("center", "top"), "right": ("left", "center"),
         "left": ("right", "center"), "inside": ("center", "center")}


@dataclass(frozen=True)
class Placed:
    """One data label: drawn at (x, y) aligned by `position`, filling `quad`."""

    series: int
    index: int
    text: str
    position: str  # a key of ALIGN
    x: float
    y: float
    quad: Quad
    offset: float = 0.0  # px right of where `position` alone puts it (ECharts' label.offset)


def mark_obstacles(spec: ChartSpec, geom: PlotGeometry) -> Obstacles:
    """Every bar, line stroke, marker and reference line of a cartesian chart."""
    marks = Obstacles()
    for bar in geom.bars():
        marks.add(box_quad(*bar.box), ("bar", bar.series, bar.index))
    half_marker = geom.marker_size() / 2 + 0.5
    for s in geom.point_series:
        points = geom.points(s)
        if spec.kind != "scatter":
            half = spec.style.line_width / 2 + 1.0
            for p, q in zip(points, points[1:]):
                marks.add(segment_quad(p, q, half), ("line", s, -1))
        if half_marker > 0.5:
            for i, (x, y) in enumerate(points):
                marks.add(box_quad(x - half_marker, y - half_marker, 2 * half_marker, 2 * half_marker),
                          ("marker", s, i))
    if spec.reference is not None:
        marks.add(segment_quad(*reference_line(spec, geom), 1.5), ("reference", -1, -1))
    return marks


def reference_line(spec: ChartSpec, geom: PlotGeometry) -> tuple[tuple[float, float], tuple[float, float]]:
    """The ends of the reference line across the plot."""
    inner, at = geom.lay.inner, geom.pos(spec.reference.value)
    if geom.lay.horizontal:
        return (at, inner.top), (at, inner.bottom)
    return (inner.left, at), (inner.right, at)


def text_quad(x: float, y: float, width: float, height: float, position: str) -> Quad:
    return aligned_quad(x, y, width, height, *ALIGN[position])


def aligned_quad(x: float, y: float, width: float, height: float, ha: str, va: str) -> Quad:
    left = x - width * {"left": 0.0, "center": 0.5, "right": 1.0}[ha]
    top = y - height * {"top": 0.0, "center": 0.5, "bottom": 1.0}[va]
    return box_quad(left, top, width, height)


def _anchor(position: str, x: float, y: float, r: float) -> tuple[float, float]:
    d = r + GAP
    return {"top": (x, y - d), "bottom": (x, y + d), "right": (x + d, y), "left": (x - d, y), "inside": (x, y)}[position]


def _point_candidates(x: float, y: float, r: float, width: float) -> list[tuple[str, float, float, float]]:
    """(position, anchor x, anchor y, horizontal offset) to try for a point's label: above, below, the four
    diagonals (the label's corner at the point: the free side of a steep line), then right and left."""
    side = width / 2 + r
    out = []
    for position, dx in (("top", 0.0), ("bottom", 0.0), ("top", side), ("top", -side), ("bottom", side),
                         ("bottom", -side), ("right", 0.0), ("left", 0.0)):
        ax, ay = _anchor(position, x, y, r)
        out.append((position, ax + dx, ay, dx))
    return out


def _in_plot(quad: Quad, inner: Box) -> bool:
    """Whether a text box lies inside the plotting area (2 px of slack)."""
    (x0, y0), _, (x1, y1), _ = quad
    return inner.left - 2 <= x0 and x1 <= inner.right + 2 and inner.top - 2 <= y0 and y1 <= inner.bottom + 2


def _bar_candidates(spec: ChartSpec, geom: PlotGeometry, bar: Bar) -> list[tuple[str, float, float]]:
    left, top, width, height = bar.box
    if spec.kind in STACKED:
        return [("inside", left + width / 2, top + height / 2)]
    value = spec.series[bar.series].values[bar.index]
    if geom.lay.horizontal:
        return [("right", left + width + GAP, top + height / 2)] if value >= 0 else \
            [("left", left - GAP, top + height / 2)]
    return [("top", left + width / 2, top - GAP)] if value >= 0 else [("bottom", left + width / 2, top + height + GAP)]


def place_labels(spec: ChartSpec, geom: PlotGeometry, marks: Obstacles) -> list[Placed]:
    """A free place for every data label of a cartesian chart; `marks` gains the placed labels.

    Raises:
        RenderError: "text_overlap" when some label has no free place (or does not fit its stacked segment).
    """
    if not spec.data_labels:
        return []
    size = geom.lay.label_size
    height, inner = size * LINE, geom.lay.inner
    placed: list[Placed] = []
    bars = {(b.series, b.index): b for b in geom.bars()}
    r = geom.marker_size() / 2
    for s in range(len(spec.series)):
        for i in range(len(spec.categories)):
            text = spec.label(s, i)
            width = text_width(text, spec.style.font, size)
            if (s, i) in bars:
                candidates = [(*c, 0.0) for c in _bar_candidates(spec, geom, bars[s, i])]
            else:
                candidates = _point_candidates(*geom.points(s)[i], r, width)
            for position, x, y, offset in candidates:
                quad = text_quad(x, y, width, height, position)
                own = ("bar", s, i)
                if _in_plot(quad, inner) and marks.hit(quad, lambda tag: position == "inside" and tag == own) is None:
                    if position == "inside" and not _fits(quad, bars[s, i].box):
                        continue
                    placed.append(Placed(s, i, text, position, x, y, quad, offset))
                    marks.add(quad, ("label", s, i))
                    break
            else:
                raise RenderError("text_overlap", f"no free place for data label {text!r}")
    return placed


def _fits(quad: Quad, box: tuple[float, float, float, float]) -> bool:
    """Whether a label lies inside a bar segment (1 px of slack for the glyph box's blank margin)."""
    (x0, y0), _, (x1, y1), _ = quad
    left, top, width, height = box
    return left - 1 <= x0 and x1 <= left + width + 1 and top - 1 <= y0 and y1 <= top + height + 1


@dataclass(frozen=True)
class ReferenceLabel:
    """The reference line's text, drawn at (x, y) aligned by (ha, va)."""

    x: float
    y: float
    ha: str
    va: str


def place_reference(spec: ChartSpec, geom: PlotGeometry, marks: Obstacles) -> ReferenceLabel | None:
    """A free place for the reference line's text at one of the line's ends, above or below it (beside it
    on a horizontal chart), after the data labels; `marks` gains it.

    Raises:
        RenderError: "text_overlap" when no end has room.
    """
    if spec.reference is None:
        return None
    size = geom.lay.label_size
    width, height = text_width(spec.reference.text, spec.style.font, size), size * LINE
    (x0, y0), (x1, y1) = reference_line(spec, geom)
    if geom.lay.horizontal:
        candidates = [(x0 + 3, y0 + 2, "left", "top"), (x0 - 3, y0 + 2, "right", "top"),
                      (x1 + 3, y1 - 2, "left", "bottom"), (x1 - 3, y1 - 2, "right", "bottom")]
    else:
        candidates = [(x1 - 2, y1 - 3, "right", "bottom"), (x1 - 2, y1 + 3, "right", "top"),
                      (x0 + 2, y0 - 3, "left", "bottom"), (x0 + 2, y0 + 3, "left", "top")]
    inner = geom.lay.inner
    for x, y, ha, va in candidates:
        quad = aligned_quad(x, y, width, height, ha, va)
        if _in_plot(quad, inner) and marks.hit(quad, lambda tag: tag[0] == "reference") is None:
            marks.add(quad, ("label", -1, -1))
            return ReferenceLabel(x, y, ha, va)
    raise RenderError("text_overlap", f"no free place for {spec.reference.text!r}")


def place_annotation(spec: ChartSpec, geom: PlotGeometry, marks: Obstacles) -> ReferenceLabel | None:
    """A free place for an annotation ("Peak: 2008") beside its point, after every other label: where a
    data label would go, else a line or two further off; `marks` gains it.

    Raises:
        RenderError: "text_overlap" when no place near the point is free.
    """
    note = spec.annotation
    if note is None:
        return None
    size = geom.lay.label_size
    width, height = text_width(note.text, spec.style.font, size), size * LINE
    x, y = geom.points(note.series)[note.index] if note.series in geom.point_series else \
        (geom.center(note.index), geom.pos(spec.series[note.series].values[note.index]))
    r = geom.marker_size() / 2
    for away in (0.0, height, 2 * height):
        for position, ax, ay, _ in _point_candidates(x, y, r + away, width):
            quad = text_quad(ax, ay, width, height, position)
            if _in_plot(quad, geom.lay.inner) and marks.hit(quad) is None:
                marks.add(quad, ("label", note.series, note.index))
                return ReferenceLabel(ax, ay, *ALIGN[position])
    raise RenderError("text_overlap", f"no free place for {note.text!r}")
