"""Plane-geometry figures: triangles, circles with chords and tangents, quadrilaterals and regular polygons.

Every mark means what it says: a triangle's labels sit at its vertices (pushed outwards from its
centroid), an angle mark is an arc at its vertex between the two sides it measures (the interior
side), a degree label is the true angle rounded to a degree, a right-angle square is drawn only
where the angle is right, a foot of an altitude lies on the side it is dropped on, circumcircle and
incircle are computed. Figures are built around the origin and then moved to start at (0, 0).
"""

from __future__ import annotations

import math

import numpy as np

from engines.base import pick
from engines.geometry import style
from engines.geometry.figure import Figure
from engines.geometry.shapes import Arc, Circle, Element, Label, Polygon, Pt, RightAngle, Segment, anchor_towards

GREEK = ("\\alpha", "\\beta", "\\gamma", "\\theta", "\\varphi")


def _sub(p: Pt, q: Pt) -> Pt:
    return (p[0] - q[0], p[1] - q[1])


def _angle(p: Pt) -> float:
    return math.degrees(math.atan2(p[1], p[0]))


def _unit(p: Pt) -> Pt:
    n = math.hypot(*p)
    return (p[0] / n, p[1] / n)


def _centroid(points: list[Pt]) -> Pt:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _letters(rng: np.random.Generator, n: int) -> list[str]:
    start = "AEP"[int(rng.integers(3))]  # never reaching O, the name of centres
    return [chr(ord(start) + k) for k in range(n)]


def name(letter: str, math_labels: bool) -> str:
    return f"${letter}$" if math_labels else letter


def vertex_labels(points: list[Pt], letters: list[str], math_labels: bool, dot: bool) -> list[Element]:
    """One label per vertex, on the side away from the centroid."""
    c = _centroid(points)
    return [Label(p, name(n, math_labels), anchor_towards(_angle(_sub(p, c))), dot=dot) for p, n in zip(points, letters)]


SLIVER = 30.0  # degrees: a narrower angle's label would touch both its sides (seen in review: a 27-degree "γ")
LABEL_ROOM = 0.25  # picture units between an angle label's centre and either side of its angle


def angle_mark(rng: np.random.Generator, vertex: Pt, p: Pt, q: Pt, text: str | None) -> list[Element]:
    """The interior angle p-vertex-q: a right-angle square when it is 90 degrees, else an arc (and a label).

    The label sits on the bisector, far enough out to keep LABEL_ROOM from both sides; a sliver angle
    (under SLIVER degrees) gets its arc alone."""
    a, b = _angle(_sub(p, vertex)), _angle(_sub(q, vertex))
    sweep = (b - a) % 360
    if sweep > 180:
        a, b, sweep = b, a, 360 - sweep
    size = float(rng.choice([0.3, 0.4, 0.5]))
    if abs(sweep - 90) < 0.5:
        return [RightAngle(vertex, _unit(_sub(p, vertex)), _unit(_sub(q, vertex)), size * 0.7)]
    marks: list[Element] = [Arc(vertex, size, a, a + sweep, mark=True, style=style.line(rng, colour=0.3, width=0.2))]
    if text is not None and sweep >= SLIVER:
        mid = math.radians(a + sweep / 2)
        r = max(size + 0.3, LABEL_ROOM / math.sin(math.radians(sweep / 2)))
        marks.append(Label((vertex[0] + r * math.cos(mid), vertex[1] + r * math.sin(mid)), text, "anchor=center",
                           style=("font=\\scriptsize",)))
    return marks


def _angle_text(rng: np.random.Generator, vertex: Pt, p: Pt, q: Pt, k: int) -> str | None:
    """What an angle mark says: nothing, a Greek letter, or its true size in degrees."""
    u, v = _unit(_sub(p, vertex)), _unit(_sub(q, vertex))
    degrees = round(math.degrees(math.acos(max(-1.0, min(1.0, u[0] * v[0] + u[1] * v[1])))))
    return (None, f"${GREEK[k % len(GREEK)]}$", f"${degrees}^\\circ$")[int(rng.integers(3))]


def triangle(rng: np.random.Generator) -> Figure:
    """A triangle ABC, maybe right-angled, with some of: angle marks, altitude, median, circumcircle, incircle."""
    c = float(rng.uniform(3.0, 6.0))
    right = rng.random() < 0.25
    angle_a = 90.0 if right else float(rng.uniform(35, 100))
    angle_b = float(rng.uniform(30, 170 - angle_a))
    b = c * math.sin(math.radians(angle_b)) / math.sin(math.radians(angle_a + angle_b))
    turn = math.radians(float(rng.uniform(-20, 20)) if rng.random() < 0.4 else 0.0)
    raw = [(0.0, 0.0), (c, 0.0), (b * math.cos(math.radians(angle_a)), b * math.sin(math.radians(angle_a)))]
    pts = [(x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)) for x, y in raw]
    A, B, C = pts
    math_labels = rng.random() < 0.8
    letters = _letters(rng, 3)
    elements: list[Element] = [Polygon(tuple(pts), style=style.line(rng) + style.fill(rng, 0.3))]
    extra = _letters(rng, 6)[3:]
    cevian = True  # a line from C inside its angle, where the angle's label would sit on it (seen in review)
    if rng.random() < 0.35 and angle_a < 90 and angle_b < 90:  # altitude from C, its foot D inside AB
        t = ((C[0] - A[0]) * (B[0] - A[0]) + (C[1] - A[1]) * (B[1] - A[1])) / c ** 2
        D = (A[0] + t * (B[0] - A[0]), A[1] + t * (B[1] - A[1]))
        elements += [Segment(C, D, style=style.line(rng, dash=0.7)),
                     RightAngle(D, _unit(_sub(B, D)), _unit(_sub(C, D)), 0.25),
                     Label(D, name(extra[0], math_labels), anchor_towards(_angle(_sub(D, C))), dot=rng.random() < 0.5)]
    elif rng.random() < 0.3:  # median from C to the midpoint M of AB
        M = ((A[0] + B[0]) / 2, (A[1] + B[1]) / 2)
        elements += [Segment(C, M, style=style.line(rng, dash=0.5)),
                     Label(M, name("M", math_labels), anchor_towards(_angle(_sub(M, C))), dot=True)]
    else:
        cevian = False
    if rng.random() < 0.2:
        elements += _circumcircle(rng, A, B, C, math_labels)
    elif rng.random() < 0.2:
        elements += _incircle(rng, A, B, C, math_labels)
    for k, (v, p, q) in enumerate(((A, B, C), (B, C, A), (C, A, B))):
        if (k == 0 and right) or rng.random() < 0.35:
            text = _angle_text(rng, v, p, q, k)
            elements += angle_mark(rng, v, p, q, None if k == 2 and cevian else text)
    elements += vertex_labels(pts, letters, math_labels, dot=rng.random() < 0.3)
    return Figure("triangle", style.picture_options(rng), tuple(elements)).at_origin()


def _circumcircle(rng: np.random.Generator, A: Pt, B: Pt, C: Pt, math_labels: bool) -> list[Element]:
    d = 2 * (A[0] * (B[1] - C[1]) + B[0] * (C[1] - A[1]) + C[0] * (A[1] - B[1]))
    sq = [p[0] ** 2 + p[1] ** 2 for p in (A, B, C)]
    ox = (sq[0] * (B[1] - C[1]) + sq[1] * (C[1] - A[1]) + sq[2] * (A[1] - B[1])) / d
    oy = (sq[0] * (C[0] - B[0]) + sq[1] * (A[0] - C[0]) + sq[2] * (B[0] - A[0])) / d
    O = (ox, oy)
    return [Circle(O, math.dist(O, A), style=style.line(rng, colour=0.5)), Label(O, name("O", math_labels), "below", dot=True)]


def _incircle(rng: np.random.Generator, A: Pt, B: Pt, C: Pt, math_labels: bool) -> list[Element]:
    a, b, c = math.dist(B, C), math.dist(C, A), math.dist(A, B)
    s = a + b + c
    I = ((a * A[0] + b * B[0] + c * C[0]) / s, (a * A[1] + b * B[1] + c * C[1]) / s)
    area = abs((B[0] - A[0]) * (C[1] - A[1]) - (C[0] - A[0]) * (B[1] - A[1])) / 2
    return [Circle(I, 2 * area / s, style=style.line(rng, colour=0.5)), Label(I, name("I", math_labels), "below", dot=True)]


RADIUS_APART = 15.0  # degrees: a radius nearer a chord from its point would be drawn on top of it (seen in review)


def _radius_apart(centre: Pt, p: Pt, joined: list[Pt]) -> bool:
    """Whether the radius to `p` leaves it at least RADIUS_APART degrees from every chord from `p`."""
    inward = _angle(_sub(centre, p))
    return all(abs((inward - _angle(_sub(q, p)) + 180) % 360 - 180) >= RADIUS_APART for q in joined)


def circle(rng: np.random.Generator) -> Figure:
    """A circle with centre O and 2-4 points on it: chords or an inscribed polygon, radii, a tangent, an arc."""
    r = float(rng.uniform(1.5, 3.0))
    n = int(rng.integers(2, 5))
    while True:
        angles = np.sort(rng.uniform(0, 360, n))
        gaps = np.diff(np.append(angles, angles[0] + 360))
        if gaps.min() > 40:
            break
    pts = [(r * math.cos(math.radians(a)), r * math.sin(math.radians(a))) for a in angles]
    O = (0.0, 0.0)
    math_labels = rng.random() < 0.8
    elements: list[Element] = [Circle(O, r, style=style.line(rng) + style.fill(rng, 0.15))]
    if n >= 3 and rng.random() < 0.6:
        elements.append(Polygon(tuple(pts), style=style.line(rng)))
        joined = {i: [pts[i - 1], pts[(i + 1) % n]] for i in range(n)}
    else:
        elements += [Segment(pts[i], pts[(i + 1) % n], style=style.line(rng)) for i in range(n - 1)]
        joined = {i: [pts[j] for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)}
    if rng.random() < 0.6 and _radius_apart(O, pts[0], joined[0]):
        elements.append(Segment(O, pts[0], style=style.line(rng, dash=0.4)))
    if rng.random() < 0.4:  # the tangent at the first point, perpendicular to its radius
        t = (-math.sin(math.radians(angles[0])), math.cos(math.radians(angles[0])))
        length = float(rng.uniform(1.2, 2.2))
        p0 = pts[0]
        elements += [Segment((p0[0] - length * t[0], p0[1] - length * t[1]), (p0[0] + length * t[0], p0[1] + length * t[1]),
                             kind="line", style=style.line(rng, colour=0.5)),
                     RightAngle(p0, _unit(_sub(O, p0)), t, 0.25)]
    if rng.random() < 0.4 and (angles[1] - angles[0]) < 180 and _radius_apart(O, pts[1], joined[1]):
        # the central angle of the first arc
        elements += [Segment(O, pts[1], style=style.line(rng, dash=0.4))]
        elements += angle_mark(rng, O, pts[0], pts[1], _angle_text(rng, O, pts[0], pts[1], 0))
    elif rng.random() < 0.3:
        elements.append(Arc(O, r, float(angles[0]), float(angles[1]), style=("very thick", pick(rng, style.COLOURS))))
    elements.append(Label(O, name("O", math_labels), "below", dot=True))
    letters = _letters(rng, n)
    elements += [Label(p, name(k, math_labels), anchor_towards(float(a))) for p, k, a in zip(pts, letters, angles)]
    return Figure("circle", style.picture_options(rng), tuple(elements)).at_origin()


def polygon(rng: np.random.Generator) -> Figure:
    """A rectangle, parallelogram, trapezoid or regular polygon, maybe with diagonals, their crossing and marks."""
    shape = ("rectangle", "parallelogram", "trapezoid", "regular")[int(rng.integers(4))]
    w, h = float(rng.uniform(2.5, 5.5)), float(rng.uniform(1.5, 3.5))
    if shape == "rectangle":
        pts = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
    elif shape == "parallelogram":
        s = float(rng.uniform(0.6, 1.6))
        pts = [(0.0, 0.0), (w, 0.0), (w + s, h), (s, h)]
    elif shape == "trapezoid":
        s, top = float(rng.uniform(0.3, 1.2)), float(rng.uniform(0.4, 0.8)) * w
        pts = [(0.0, 0.0), (w, 0.0), (s + top, h), (s, h)]
    else:
        n, r, turn = int(rng.choice([5, 6, 8])), float(rng.uniform(1.5, 2.8)), float(rng.uniform(0, 90))
        pts = [(r * math.cos(math.radians(turn + 360 * k / n)), r * math.sin(math.radians(turn + 360 * k / n)))
               for k in range(n)]
    math_labels = rng.random() < 0.8
    rect = shape == "rectangle" and rng.random() < 0.5
    elements: list[Element] = [Polygon(tuple(pts), as_rectangle=rect, style=style.line(rng) + style.fill(rng, 0.3))]
    diagonals = len(pts) == 4 and rng.random() < 0.5  # one runs through the angle at B, where its label would sit
    if diagonals:
        elements += [Segment(pts[0], pts[2], style=style.line(rng, dash=0.6)),
                     Segment(pts[1], pts[3], style=style.line(rng, dash=0.6))]
        if shape in ("rectangle", "parallelogram"):
            mid = ((pts[0][0] + pts[2][0]) / 2, (pts[0][1] + pts[2][1]) / 2)
            elements.append(Label(mid, name("O", math_labels), "below", dot=True))
    elif len(pts) > 4 and rng.random() < 0.5:
        elements.append(Circle(_centroid(pts), math.dist(_centroid(pts), pts[0]), style=style.line(rng, dash=0.5)))
    if shape == "rectangle" and rng.random() < 0.5:
        elements.append(RightAngle(pts[0], (1.0, 0.0), (0.0, 1.0), 0.3))
    elif rng.random() < 0.4:
        text = _angle_text(rng, pts[1], pts[2], pts[0], 1)
        elements += angle_mark(rng, pts[1], pts[2], pts[0], None if diagonals else text)
    elements += vertex_labels(pts, _letters(rng, len(pts)), math_labels, dot=rng.random() < 0.3)
    return Figure("polygon", style.picture_options(rng), tuple(elements)).at_origin()
