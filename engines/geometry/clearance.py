"""Point labels clear of the strokes through their point: a label is never crossed by its own lines.

A label sits on one of eight sides of its point (TikZ's `right`, `above right`, ...). The strokes that
start at, end at or pass through the point leave it in some directions, and a label on a side within
`CLEARANCE` degrees of one of them is crossed by it (seen in review in 7 of 17 figures: a circumcentre's
"O" below it on a right triangle's hypotenuse, a centre's "O" on the radius drawn down from it). Such
a label moves to the side farthest from every stroke, the nearest to the side first asked among equals;
where no side is clear (a centre crowded by radii and an angle mark) the figure is refused and drawn
again. The targets follow, since a label's side is part of the TikZ that draws it.
"""

from __future__ import annotations

import dataclasses
import math

from engines.base import SampleError
from engines.geometry.shapes import Arc, Circle, Element, Label, Polygon, Pt, RightAngle, Segment

SIDES = ("right", "above right", "above", "above left", "left", "below left", "below", "below right")  # 0, 45, ...
CLEARANCE = 40.0  # degrees between a label's side and the nearest stroke leaving its point
PASSING = 0.3  # picture units: a line passing this near a point runs through its label (a label is ~0.3 cm tall)
_NEAR = 1e-6


def _direction(p: Pt, q: Pt) -> float:
    return math.degrees(math.atan2(q[1] - p[1], q[0] - p[0]))


def _apart(a: float, b: float) -> float:
    """The angle between two directions, in [0, 180]."""
    return abs((a - b + 180) % 360 - 180)


def _along_segment(p: Pt, a: Pt, b: Pt) -> list[float]:
    """Directions in which segment a-b leaves p: one from an end, two from a point it passes within PASSING of
    (seen in review: a chord missing a centre by 0.12 ran through the "O" below it), none elsewhere."""
    if math.dist(p, a) < _NEAR:
        return [_direction(a, b)]
    if math.dist(p, b) < _NEAR:
        return [_direction(b, a)]
    length = math.dist(a, b)
    t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / length ** 2
    off = abs((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) / length
    return [_direction(a, b), _direction(b, a)] if 0 < t < 1 and off < PASSING else []


def strokes_at(p: Pt, elements: tuple[Element, ...]) -> list[float]:
    """The directions (degrees) in which the figure's strokes leave point `p`."""
    found: list[float] = []
    for e in elements:
        if isinstance(e, Segment):
            found += _along_segment(p, e.a, e.b)
        elif isinstance(e, Polygon):
            n = len(e.points)
            for i in range(n):
                found += _along_segment(p, e.points[i], e.points[(i + 1) % n])
        elif isinstance(e, RightAngle) and math.dist(p, e.vertex) < _NEAR:
            found += [math.degrees(math.atan2(d[1], d[0])) for d in (e.u, e.v, (e.u[0] + e.v[0], e.u[1] + e.v[1]))]
        elif isinstance(e, Arc) and math.dist(p, e.center) < _NEAR:  # an angle mark fills its sweep
            found += [e.start + (e.end - e.start) * k / 4 for k in range(5)]
        elif isinstance(e, (Circle, Arc)) and abs(math.dist(p, e.center) - e.radius) < 1e-3:
            radial = _direction(e.center, p)
            found += [radial + 90, radial - 90]
    return found


def clear_side(asked: str, strokes: list[float], sides: tuple[str, ...] = SIDES) -> str | None:
    """`asked`, or where a stroke leaves within CLEARANCE of it, the one of `sides` farthest from every stroke (the
    nearest to `asked` among equals); None where none is clear."""
    want = 45.0 * SIDES.index(asked)

    def gap(side: float) -> float:
        return min((_apart(side, d) for d in strokes), default=180.0)

    if gap(want) >= CLEARANCE:
        return asked
    best = max((45.0 * SIDES.index(s) for s in sides), key=lambda d: (round(gap(d)), -_apart(d, want)))
    return SIDES[round(best / 45)] if gap(best) >= CLEARANCE else None


def clear_labels(elements: tuple[Element, ...]) -> tuple[Element, ...]:
    """`elements` with every point label moved off the strokes through its point (see the module's docstring).

    Raises:
        SampleError: "label_crowded", no side of some label's point is clear of its strokes.
    """
    out = []
    for e in elements:
        if isinstance(e, Label) and e.anchor in SIDES:
            side = clear_side(e.anchor, strokes_at(e.at, elements))
            if side is None:
                raise SampleError("label_crowded", f"{e.text} at {e.at}")
            e = dataclasses.replace(e, anchor=side)
        out.append(e)
    return tuple(out)
