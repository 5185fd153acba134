"""The check that every text a renderer drew is legible: inside the image, overlapping no other text.

A chart's target lists labels and values that must be readable in the image. Both renderers report
every string they drew with its box (a rotated rectangle: tick labels are often slanted), and one
check, shared by both, refuses a render where a text leaves the image or runs into another text:
such a chart would teach the model to read what nobody can see. Refusing costs a retry with
another draw; the alternatives (hiding labels, as ECharts' `hideOverlap` does) would silently
make the image disagree with the target.
"""

from __future__ import annotations

from renderers.errors import RenderError
from renderers.result import DrawnText, Point


def _axes(quad: tuple[Point, ...]) -> list[Point]:
    return [(quad[i][1] - quad[(i + 1) % 4][1], quad[(i + 1) % 4][0] - quad[i][0]) for i in range(2)]


def _shrunk(quad: tuple[Point, ...], by: float) -> tuple[Point, ...]:
    """The rectangle moved `by` pixels inwards on every side (glyph boxes include some blank space)."""
    (x0, y0), (x1, y1), _, (x3, y3) = quad
    width, height = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, ((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5
    bu, bv = min(by, width * 0.45), min(by, height * 0.45)
    ux, uy = (x1 - x0) / max(width, 1e-9) * bu, (y1 - y0) / max(width, 1e-9) * bu
    vx, vy = (x3 - x0) / max(height, 1e-9) * bv, (y3 - y0) / max(height, 1e-9) * bv
    signs = ((1, 1), (-1, 1), (-1, -1), (1, -1))
    return tuple((x + su * ux + sv * vx, y + su * uy + sv * vy) for (x, y), (su, sv) in zip(quad, signs))


def quads_overlap(a: tuple[Point, ...], b: tuple[Point, ...]) -> bool:
    """Separating-axis test for two convex quadrilaterals (rectangles, possibly rotated)."""
    for ax, ay in _axes(a) + _axes(b):
        pa = [x * ax + y * ay for x, y in a]
        pb = [x * ax + y * ay for x, y in b]
        if max(pa) <= min(pb) or max(pb) <= min(pa):
            return False
    return True


def check_legible(texts: list[DrawnText], width: int, height: int, slack: float = 1.5) -> None:
    """Raise unless every text lies inside the image and no two texts overlap.

    Args:
        texts: what the renderer drew (empty strings are ignored).
        width, height: the image size in pixels.
        slack: pixels each box may shrink before testing, for the blank margin inside glyph boxes.

    Raises:
        RenderError: "text_clipped" or "text_overlap", with the offending strings as the excerpt.
    """
    boxes = []
    for t in texts:
        if t.text.strip():
            quad = _shrunk(t.quad, slack)
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            if min(xs) < 0 or min(ys) < 0 or max(xs) > width or max(ys) > height:
                raise RenderError("text_clipped", repr(t.text))
            boxes.append((min(xs), max(xs), min(ys), max(ys), t.text, quad))
    boxes.sort()
    for i, (_, x1, y0, y1, text_a, quad_a) in enumerate(boxes):
        for bx0, _, by0, by1, text_b, quad_b in boxes[i + 1 :]:
            if bx0 >= x1:
                break  # sorted by left edge: no later box reaches this one
            if by0 < y1 and y0 < by1 and quads_overlap(quad_a, quad_b):
                raise RenderError("text_overlap", f"{text_a!r} / {text_b!r}")
