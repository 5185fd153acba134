"""Figures on coordinate axes: function curves (`plot` over a domain) and points with coordinates.

A curve's domain is the widest stretch of the x-axis over which it stays inside the drawn y
range, so a plot never runs off its axes; a labelled point on a curve lies on it (its y computed
from the same coefficients the `plot` expression writes, rounded as the target writes them). The
axes' origin is the picture's origin, so coordinates in the target read as the axes show them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from engines.base import SampleError
from engines.geometry import style
from engines.geometry.figure import Figure
from engines.geometry.shapes import Axes, Circle, Element, Label, Plot, Polygon, Pt, Segment, anchor_towards, num

TRIES = 30  # draws of a coordinate figure's points of one count before one point fewer is tried
TRACE = 100  # points along a segment checked against the axis numbers


def _coef(rng: np.random.Generator, values: tuple[float, ...]) -> float:
    return float(values[int(rng.integers(len(values)))]) * (1 if rng.random() < 0.5 else -1)


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
    """Axes with one or two function curves, their names at their ends, maybe a marked point on one."""
    while True:
        x, y, elements = _axes(rng)
        curves = []
        for _ in range(1 + int(rng.random() < 0.35)):
            pgf, text, tex, fn = _function(rng)
            domain = _domain(fn, x, y)
            if domain is not None and text not in [c[1] for c in curves]:
                curves.append((pgf, text, tex, fn, domain))
        if curves:
            break
    for k, (pgf, text, tex, fn, (x0, x1)) in enumerate(curves):
        ys = fn(np.linspace(x0, x1, 61))
        colour = style.COLOURS[(k + int(rng.integers(len(style.COLOURS)))) % len(style.COLOURS)]
        elements.append(Plot(pgf, (x0, x1), text, (float(ys.min()), float(ys.max())),
                             style=(colour, *style.line(rng, colour=0.0))))
        end = (x1, float(fn(x1)))
        elements.append(Label(end, f"$y={tex}$", "right" if k == 0 else "above", style=(colour,)))
    if rng.random() < 0.4:
        _, _, _, fn, (x0, x1) = curves[0]
        px = float(num(float(rng.uniform(x0 + 0.3, x1 - 0.3))))
        p = (px, float(fn(px)))
        elements += [Segment((px, 0.0), p, style=("dashed",)), Label(p, "$P$", anchor_towards(90 if p[1] >= 0 else 270),
                                                                      dot=True)]
    return Figure("function", style.picture_options(rng), tuple(elements))


def crowded(points: list[Pt]) -> bool:
    """Whether two points share a row within two units: their coordinate labels, "A(-2,1)" about two units wide,
    would overlap (12 of 48 such figures of a 200-sample build printed "A(-2B(1)-1,1)"); single letters fit."""
    return any(abs(p[1] - q[1]) < 1 and abs(p[0] - q[0]) <= 2 for p, q in itertools.combinations(points, 2))


def over_axis_labels(a: Pt, b: Pt, axes: Axes) -> bool:
    """Whether segment a-b runs through a tick number or the origin's O (boxes in picture units, generous: the
    text keeps its size while `scale` shrinks the picture). Seen in review: a segment along y=1 struck through
    the y-axis "1", one through the origin over the "O"."""
    for k in range(TRACE + 1):
        px, py = a[0] + (b[0] - a[0]) * k / TRACE, a[1] + (b[1] - a[1]) * k / TRACE
        if -0.6 <= px <= 0 and (-0.6 <= py <= 0 or any(abs(py - t) <= 0.25 for t in axes.yticks)):
            return True
        if -0.55 <= py <= 0 and any(abs(px - t) <= 0.3 for t in axes.xticks):
            return True
    return False


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


__all__ = ["coordinates", "crowded", "function", "over_axis_labels"]
