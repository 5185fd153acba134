"""What a text on a chart must not cover: lines, markers, bars, reference lines and other texts.

The legibility check shared by every renderer (`renderers.legibility`) keeps texts apart from each
other; a chart also has marks a label can hide or be struck through by (a data label crossed by its
own line, a line label on a neighbouring bar). Every mark becomes a convex quad here (a line
segment is a thin rotated rectangle as wide as the stroke, a marker a square), tagged with what it
is; a numpy box test finds the few candidates a text may touch, the separating-axis test of
`renderers.legibility` decides. The same set serves placing labels before drawing and checking the
drawn texts afterwards.
"""

from __future__ import annotations

import math

import numpy as np

from renderers.legibility import quads_overlap
from renderers.result import Quad

Tag = tuple[str, int, int]  # (what, series, index); index -1 for a whole line


def box_quad(left: float, top: float, width: float, height: float) -> Quad:
    return ((left, top), (left + width, top), (left + width, top + height), (left, top + height))


def segment_quad(p: tuple[float, float], q: tuple[float, float], half: float) -> Quad:
    """The stroke of segment p-q, `half` px on each side (and beyond each end, for its round cap)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length * half, dy / length * half
    nx, ny = -uy, ux
    return ((p[0] - ux + nx, p[1] - uy + ny), (q[0] + ux + nx, q[1] + uy + ny),
            (q[0] + ux - nx, q[1] + uy - ny), (p[0] - ux - nx, p[1] - uy - ny))


def shrink(quad: Quad, by: float) -> Quad:
    """An axis-aligned quad moved `by` px inwards (glyph boxes carry blank space); others unchanged."""
    (x0, y0), _, (x1, y1), _ = quad
    if by <= 0 or quad[1][1] != y0:
        return quad
    by = min(by, (x1 - x0) * 0.45, (y1 - y0) * 0.45)
    return box_quad(x0 + by, y0 + by, x1 - x0 - 2 * by, y1 - y0 - 2 * by)


class Obstacles:
    """A growing set of tagged quads, with `hit` telling which of them a quad overlaps."""

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        self.tags: list[Tag] = []
        self._boxes = np.empty((0, 4))
        self._pending: list[tuple[float, float, float, float]] = []

    def add(self, quad: Quad, tag: Tag) -> None:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        self.quads.append(quad)
        self.tags.append(tag)
        self._pending.append((min(xs), min(ys), max(xs), max(ys)))

    def hit(self, quad: Quad, allowed=lambda tag: False) -> Tag | None:
        """The tag of the first obstacle `quad` overlaps, skipping those `allowed(tag)` accepts; None if clear."""
        if self._pending:
            self._boxes = np.vstack([self._boxes, np.asarray(self._pending)])
            self._pending = []
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        b = self._boxes
        near = np.flatnonzero((b[:, 0] < max(xs)) & (b[:, 2] > min(xs)) & (b[:, 1] < max(ys)) & (b[:, 3] > min(ys)))
        for k in near:
            if not allowed(self.tags[k]) and quads_overlap(quad, self.quads[k]):
                return self.tags[k]
        return None
