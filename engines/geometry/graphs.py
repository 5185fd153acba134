"""Figures on coordinate axes: function curves (`plot` over a domain) and points with coordinates.

A curve's domain is the widest stretch of the x-axis over which it stays inside the drawn y
range, so a plot never runs off its axes; a labelled point on a curve lies on it (its y computed
from the same coefficients the `plot` expression writes, rounded as the target writes them). The
axes' origin is the picture's origin, so coordinates in the target read as the axes show them.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable

import numpy as np

from engines.base import SampleError, pick
from engines.geometry import style
from engines.geometry.clearance import PASSING, clear_side
from engines.geometry.figure import Figure
from engines.geometry.shapes import Axes, Circle, Element, Label, Plot, Polygon, Pt, Segment, anchor_towards, num

TRIES = 30  # draws of a coordinate figure's points of one count before one point fewer is tried
TRACE = 100  # points along a segment checked against the axis numbers
NAMES_APART = 0.8  # units between two curves' right ends: their names, written beside them, would overlap nearer
RIGHT_SIDES = ("right", "above right", "below right")
CURVE_TRACE = 800  # points along a curve checked against them (0.01 units apart for the widest domain)


def _coef(rng: np.random.Generator, values: tuple[float, ...]) -> float:
    return float(pick(rng, values)) * (1 if rng.random() < 0.5 else -1)


def _term(a: float, pgf: str, text: str, tex: str, first: bool) -> tuple[str, str, str]:
    """`a` times a power or function in the three notations, with its sign (none before a first positive term)."""
    sign = "-" if a < 0 else ("" if first else "+")
    if abs(a) == 1:
        return f"{sign}{pgf}", f"{sign}{text}", f"{sign}{tex}"
    return f"{sign}{num(abs(a))}*{pgf}", f"{sign}{num(abs(a))}*{text}", f"{sign}{num(abs(a))}{tex}"


def _function(rng: np.random.Generator) -> tuple[str, str, str, Callable[[np.ndarray], np.ndarray]]:
    """A function as (pgfmath expression in \\x, plain text in x, TeX for its label, numpy callable)."""
    family = ("quadratic", "cubic", "sine", "exp")[int(rng.integers(4))]
    if family == "quadratic":
        a, c = _coef(rng, (0.25, 0.5, 1.0)), float(rng.integers(-2, 3))
        terms = [(a, "\\x*\\x", "x^2", "x^2")]
        fn = lambda x: a * x * x + c  # noqa: E731
    elif family == "cubic":
        a, b, c = _coef(rng, (0.1, 0.2, 0.25)), _coef(rng, (0.5, 1.0)), 0.0
        terms = [(a, "\\x*\\x*\\x", "x^3", "x^3"), (b, "\\x", "x", "x")]
        fn = lambda x: a * x ** 3 + b * x  # noqa: E731
    elif family == "sine":
        a, k, c = _coef(rng, (1.0, 1.5, 2.0)), float(rng.choice([0.5, 1.0, 2.0])), float(rng.integers(-1, 2))
        inner = ("\\x", "x", "x") if k == 1 else (f"{num(k)}*\\x", f"{num(k)}*x", f"{num(k)}x")
        terms = [(a, f"sin({inner[0]} r)", f"sin({inner[1]})", f"\\sin({inner[2]})")]
        fn = lambda x: a * np.sin(k * x) + c  # noqa: E731
    else:
        a, k, c = float(rng.choice([0.5, 1.0])), _coef(rng, (0.5, 0.8, 1.0)), float(rng.integers(-1, 1))
        kt = {1.0: "", -1.0: "-"}.get(k, num(k))
        terms = [(a, f"exp({num(k)}*\\x)", f"exp({num(k)}*x)", f"e^{{{kt}x}}")]
        fn = lambda x: a * np.exp(k * x) + c  # noqa: E731
    parts = [_term(*t, first=i == 0) for i, t in enumerate(terms)]
    if c:
        parts.append((f"{c:+g}",) * 3)
    pgf, text, tex = ("".join(p[i] for p in parts) for i in range(3))
    return pgf, text, tex, fn


def _domain(fn: Callable[[np.ndarray], np.ndarray], x: tuple[int, int], y: tuple[int, int]) -> tuple[float, float] | None:
    """The widest interval (two decimals) of [x0, x1] where y0 < fn < y1, if at least 2 units wide."""
    xs = np.round(np.linspace(x[0] + 0.2, x[1] - 0.2, 200), 2)
    inside = (fn(xs) > y[0] + 0.1) & (fn(xs) < y[1] - 0.4)
    best, start = None, None
    for i, ok in enumerate(np.append(inside, False)):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            if best is None or i - 1 - start > best[1] - best[0]:
                best = (start, i - 1)
            start = None
    if best is None or xs[best[1]] - xs[best[0]] < 2:
        return None
    return float(xs[best[0]]), float(xs[best[1]])


def _axes(rng: np.random.Generator) -> tuple[tuple[int, int], tuple[int, int], list[Element]]:
    x = (-int(rng.integers(1, 5)), int(rng.integers(3, 6)))
    y = (-int(rng.integers(1, 4)), int(rng.integers(2, 5)))
    ticks = rng.random() < 0.8
    xt = tuple(t for t in range(x[0] + 1, x[1]) if t) if ticks else ()
    yt = tuple(t for t in range(y[0] + 1, y[1]) if t) if ticks else ()
    return x, y, [Axes((x[0] - 0.3, x[1] + 0.3), (y[0] - 0.3, y[1] + 0.3), xt, yt, style=style.line(rng, colour=0.1))]


def function(rng: np.random.Generator) -> Figure:
    """Axes with one or two function curves, their names at their ends, maybe a marked point on one.

    A name is wide, so it is written to the right of its end (above or below the first name's side for a second
    curve), away from the curve that leaves the end leftwards; the tick numbers the curves run through are not
    drawn."""
    while True:
        x, y, elements = _axes(rng)
        curves = []
        for _ in range(1 + int(rng.random() < 0.35)):
            pgf, text, tex, fn = _function(rng)
            domain = _domain(fn, x, y)
            if domain is not None and text not in [c[1] for c in curves] and \
                    all(abs(fn(domain[1]) - c[3](c[4][1])) >= NAMES_APART for c in curves):
                curves.append((pgf, text, tex, fn, domain))
        if curves:
            break
    strokes: list[Pt] = []
    for k, (pgf, text, tex, fn, (x0, x1)) in enumerate(curves):
        ys = fn(np.linspace(x0, x1, 61))
        colour = style.COLOURS[(k + int(rng.integers(len(style.COLOURS)))) % len(style.COLOURS)]
        elements.append(Plot(pgf, (x0, x1), text, (float(ys.min()), float(ys.max())),
                             style=(colour, *style.line(rng, colour=0.0))))
        end = (x1, float(fn(x1)))
        asked = "right" if k == 0 else ("above right" if end[1] >= float(curves[0][3](curves[0][4][1])) else "below right")
        elements.append(Label(end, f"$y={tex}$", curve_label_side(fn, end, asked), style=(colour,)))
        xs = np.linspace(x0, x1, CURVE_TRACE)
        strokes += [(float(a), float(b)) for a, b in zip(xs, fn(xs))]
    if rng.random() < 0.4:
        _, _, _, fn, (x0, x1) = curves[0]
        px = float(num(float(rng.uniform(x0 + 0.3, x1 - 0.3))))
        if abs(px) < PASSING:  # a point on the y-axis: its name would sit on the axis
            px = float(num(px + math.copysign(PASSING, px) if px + PASSING < x1 - 0.3 else px - PASSING))
        p = (px, float(fn(px)))
        strokes_p = curve_strokes(fn, p, (1.0, 1.0)) + [90.0 if p[1] < 0 else 270.0]  # the dashed drop to the x-axis
        side = clear_side(anchor_towards(90 if p[1] >= 0 else 270), strokes_p)
        if side is not None and abs(p[1]) >= 0.1:  # the dashed drop to the x-axis, where it has a length to draw
            elements += [Segment((px, 0.0), p, style=("dashed",)), Label(p, "$P$", side, dot=True)]
            strokes += [(px, p[1] * k / TRACE) for k in range(TRACE + 1)]
        elif side is not None:
            elements.append(Label(p, "$P$", side, dot=True))
    elements = [clear_axis_labels(e, strokes) if isinstance(e, Axes) else e for e in elements]
    return Figure("function", style.picture_options(rng), tuple(elements))


def crowded(points: list[Pt]) -> bool:
    """Whether two points share a row within two units: their coordinate labels, "A(-2,1)" about two units wide,
    would overlap (12 of 48 such figures of a 200-sample build printed "A(-2B(1)-1,1)"); single letters fit."""
    return any(abs(p[1] - q[1]) < 1 and abs(p[0] - q[0]) <= 2 for p, q in itertools.combinations(points, 2))


def axis_labels_under(points: list[Pt], axes: Axes) -> tuple[set[int], set[int], bool]:
    """The x tick numbers, y tick numbers and whether the origin's O that any of `points` falls on (boxes in picture
    units, generous: the text keeps its size while `scale` shrinks the picture)."""
    xs: set[int] = set()
    ys: set[int] = set()
    origin = False
    for px, py in points:
        if -0.6 <= px <= 0:
            origin = origin or -0.6 <= py <= 0
            ys |= {t for t in axes.yticks if abs(py - t) <= 0.25}
        if -0.55 <= py <= 0:
            xs |= {t for t in axes.xticks if abs(px - t) <= 0.3}
    return xs, ys, origin


def over_axis_labels(a: Pt, b: Pt, axes: Axes) -> bool:
    """Whether segment a-b runs through a tick number or the origin's O. Seen in review: a segment along y=1 struck
    through the y-axis "1", one through the origin over the "O"."""
    trace = [(a[0] + (b[0] - a[0]) * k / TRACE, a[1] + (b[1] - a[1]) * k / TRACE) for k in range(TRACE + 1)]
    return any(axis_labels_under(trace, axes))


def clear_axis_labels(axes: Axes, strokes: list[Pt]) -> Axes:
    """`axes` without the tick numbers (and the O) that `strokes` (points along the curves) run through: seen in
    review, curves struck through the numbers and the O; a number not drawn is not in the targets either."""
    xs, ys, origin = axis_labels_under(strokes, axes)
    return dataclasses.replace(axes, xticks=tuple(t for t in axes.xticks if t not in xs),
                               yticks=tuple(t for t in axes.yticks if t not in ys), origin=axes.origin and not origin)


def curve_strokes(fn: Callable[[np.ndarray], np.ndarray], at: Pt, reach: tuple[float, float]) -> list[float]:
    """Directions (degrees) in which a curve and the axes leave its point `at`: chords to curve points up to a
    label's width back (reach[0]) and on (reach[1]) along x, and both ways along an axis passing within PASSING."""
    steps = np.array([0.05, 0.2, 0.5, 1.0, 1.5])
    found = [math.degrees(math.atan2(float(fn(np.array([at[0] + d]))[0]) - at[1], d))
             for side, most in ((-1, reach[0]), (1, reach[1])) for d in side * steps[steps <= most]]
    if abs(at[1]) < PASSING:
        found += [0.0, 180.0]
    if abs(at[0]) < PASSING:
        found += [90.0, 270.0]
    return found


def curve_label_side(fn: Callable[[np.ndarray], np.ndarray], end: Pt, asked: str) -> str:
    """The side of a curve's name at its right end, `asked` unless the curve itself or an axis leaves the end
    through it (seen in review: a falling cubic's name written above its end, on the curve; a sine's name on the
    x-axis); always a right-hand side, since a name is wide and the curve leaves its right end leftwards."""
    return clear_side(asked, curve_strokes(fn, end, (1.5, 0.0)), RIGHT_SIDES) or asked


def _clear_points(rng: np.random.Generator, cells: list[tuple[int, int]], n: int, axes: Axes) -> list[Pt]:
    """n lattice points whose sides (the closing one included) miss the axis numbers, or fewer where n find none.

    Raises:
        SampleError: "label_crowded", not even two such points were found.
    """
    for size in range(n, 1, -1):
        for _ in range(TRIES):
            pts = [(float(i), float(j)) for i, j in (cells[k] for k in rng.choice(len(cells), size=size, replace=False))]
            if not any(over_axis_labels(a, b, axes) for a, b in zip(pts, pts[1:] + pts[:1])):
                return pts
    raise SampleError("label_crowded", f"no two lattice points of {len(cells)} clear of the axis numbers")


def coordinates(rng: np.random.Generator) -> Figure:
    """Axes with 2-4 lattice points labelled with their coordinates, joined as segments or a polygon, maybe a circle.

    Points are drawn again until no side (the polygon's closing one included) runs through a tick number (fewer
    points where a small grid allows no such set), and a
    circle (radius 1) is drawn only where no other point is near it and its points are named by letters: a
    coordinate label, about two units wide, is always crossed by it.
    """
    x, y, elements = _axes(rng)
    axes = next(e for e in elements if isinstance(e, Axes))
    n = int(rng.integers(2, 5))
    cells = [(i, j) for i in range(x[0] + 1, x[1]) for j in range(y[0] + 1, y[1]) if i and j]
    pts = _clear_points(rng, cells, min(n, len(cells)), axes)
    if len(pts) >= 3 and rng.random() < 0.5:
        elements.append(Polygon(tuple(pts), style=style.line(rng) + style.fill(rng, 0.3)))
    else:
        elements += [Segment(pts[i], pts[i + 1], style=style.line(rng)) for i in range(len(pts) - 1)]
    circled = rng.random() < 0.3 and all(math.dist(pts[0], p) > 1.8 for p in pts[1:])
    if circled:
        elements.append(Circle(pts[0], 1.0, style=style.line(rng, colour=0.6, dash=0.3)))
    letters = [chr(ord("A") + k) for k in range(len(pts))]
    show = rng.random() < 0.6 and not crowded(pts) and not circled
    for p, k in zip(pts, letters):
        text = f"${k}({num(p[0])},{num(p[1])})$" if show else f"${k}$"
        elements.append(Label(p, text, anchor_towards(math.degrees(math.atan2(p[1], p[0]))), dot=True))
    return Figure("coordinates", style.picture_options(rng), tuple(elements))


__all__ = ["axis_labels_under", "clear_axis_labels", "coordinates", "crowded", "curve_label_side", "function",
           "over_axis_labels"]
