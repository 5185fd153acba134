"""The elements of a geometry figure, each able to write itself as TikZ and as a Slow-Perception record.

One element, two targets: the TikZ line(s) that draw it (what GOT reads a figure as) and its
geometry in the structured form DeepSeek-OCR trains on after Slow Perception (segments with their
endpoints, circles, arcs, curves, labels). Both come from the same numbers, written with the same
`num` (two decimals, no trailing zeros), so the two targets of a figure always describe one picture.
Coordinates are TikZ's own (centimetres before the picture's `scale`), origin at the lower-left of
the figure's points, or the axes' origin when the figure has axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

Pt = tuple[float, float]


def num(value: float) -> str:
    """A coordinate as written in both targets: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pt(p: Pt) -> str:
    """A TikZ coordinate `(x,y)`."""
    return f"({num(p[0])},{num(p[1])})"


def rounded(p: Pt) -> list[float]:
    """A point as the dict target writes it (the same rounding as `num`)."""
    return [float(num(p[0])), float(num(p[1]))]


def opts(options: tuple[str, ...]) -> str:
    """`[a, b]`, or nothing for no options."""
    return f"[{', '.join(options)}]" if options else ""


def anchor_towards(angle_deg: float) -> str:
    """The TikZ placement (above, below left, ...) that puts a label on the side `angle_deg` points to."""
    names = ("right", "above right", "above", "above left", "left", "below left", "below", "below right")
    return names[int(((angle_deg % 360) + 22.5) // 45) % 8]


@dataclass(frozen=True)
class Element:
    """Base of every element: drawing options (line width, dash, colour, fill) in TikZ's words."""

    style: tuple[str, ...] = field(default=(), kw_only=True)

    def tikz(self) -> list[str]:
        raise NotImplementedError

    def record(self) -> dict[str, list[Any]]:
        """This element's entries of the dict target, keyed by section."""
        raise NotImplementedError

    def extent(self) -> list[Pt]:
        """Points the element reaches (for the figure's frame)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Segment(Element):
    a: Pt
    b: Pt
    kind: str = "segment"  # "segment", or "line" (a line drawn past the points that define it)

    def tikz(self) -> list[str]:
        return [f"\\draw{opts(self.style)} {pt(self.a)} -- {pt(self.b)};"]

    def record(self) -> dict[str, list[Any]]:
        return {"segments": [{"type": self.kind, "points": [rounded(self.a), rounded(self.b)]}]}

    def extent(self) -> list[Pt]:
        return [self.a, self.b]


@dataclass(frozen=True)
class Polygon(Element):
    """A closed polygon (triangle, quadrilateral, regular n-gon), `rectangle` syntax for axis-aligned boxes."""

    points: tuple[Pt, ...]
    as_rectangle: bool = False

    def tikz(self) -> list[str]:
        command = "\\filldraw" if any(o.startswith("fill=") for o in self.style) else "\\draw"
        if self.as_rectangle:
            return [f"{command}{opts(self.style)} {pt(self.points[0])} rectangle {pt(self.points[2])};"]
        return [f"{command}{opts(self.style)} " + " -- ".join(pt(p) for p in self.points) + " -- cycle;"]

    def record(self) -> dict[str, list[Any]]:
        n = len(self.points)
        return {"segments": [{"type": "segment", "points": [rounded(self.points[i]), rounded(self.points[(i + 1) % n])]}
                             for i in range(n)]}

    def extent(self) -> list[Pt]:
        return list(self.points)


@dataclass(frozen=True)
class Circle(Element):
    center: Pt
    radius: float

    def tikz(self) -> list[str]:
        command = "\\filldraw" if any(o.startswith("fill=") for o in self.style) else "\\draw"
        return [f"{command}{opts(self.style)} {pt(self.center)} circle ({num(self.radius)});"]

    def record(self) -> dict[str, list[Any]]:
        return {"circles": [{"center": rounded(self.center), "radius": float(num(self.radius))}]}

    def extent(self) -> list[Pt]:
        (x, y), r = self.center, self.radius
        return [(x - r, y - r), (x + r, y + r)]


@dataclass(frozen=True)
class Arc(Element):
    """An arc of a circle, counter-clockwise from `start` to `end` degrees; `mark` for an angle mark."""

    center: Pt
    radius: float
    start: float
    end: float
    mark: bool = False

    def tikz(self) -> list[str]:
        s = math.radians(self.start)
        begin = (self.center[0] + self.radius * math.cos(s), self.center[1] + self.radius * math.sin(s))
        return [f"\\draw{opts(self.style)} {pt(begin)} arc ({num(self.start)}:{num(self.end)}:{num(self.radius)});"]

    def record(self) -> dict[str, list[Any]]:
        entry = {"center": rounded(self.center), "radius": float(num(self.radius)),
                 "start": float(num(self.start)), "end": float(num(self.end))}
        return {"angles" if self.mark else "arcs": [entry]}

    def extent(self) -> list[Pt]:
        (x, y), r = self.center, self.radius
        steps = [self.start + (self.end - self.start) * k / 8 for k in range(9)]
        return [(x + r * math.cos(math.radians(a)), y + r * math.sin(math.radians(a))) for a in steps]


@dataclass(frozen=True)
class RightAngle(Element):
    """The small square that marks a right angle at `vertex` between unit directions `u` and `v`."""

    vertex: Pt
    u: Pt
    v: Pt
    size: float

    def corners(self) -> tuple[Pt, Pt, Pt]:
        (x, y), s = self.vertex, self.size
        return ((x + s * self.u[0], y + s * self.u[1]), (x + s * (self.u[0] + self.v[0]), y + s * (self.u[1] + self.v[1])),
                (x + s * self.v[0], y + s * self.v[1]))

    def tikz(self) -> list[str]:
        return [f"\\draw{opts(self.style)} " + " -- ".join(pt(p) for p in self.corners()) + ";"]

    def record(self) -> dict[str, list[Any]]:
        return {"right_angles": [{"vertex": rounded(self.vertex), "points": [rounded(p) for p in self.corners()]}]}

    def extent(self) -> list[Pt]:
        return list(self.corners())


@dataclass(frozen=True)
class Label(Element):
    """A text node at a point, placed on one side; `dot` also draws the point itself."""

    at: Pt
    text: str  # TeX, e.g. "$A$" or "$60^\\circ$"
    anchor: str = "above"
    dot: bool = False

    def tikz(self) -> list[str]:
        node = f"node[{self.anchor}] {{{self.text}}}"
        if self.dot:
            return [f"\\fill{opts(self.style)} {pt(self.at)} circle (1.5pt) {node};"]
        return [f"\\node[{', '.join((self.anchor, *self.style))}] at {pt(self.at)} {{{self.text}}};"]

    def record(self) -> dict[str, list[Any]]:
        entry = {"text": self.text, "at": rounded(self.at)}
        return {"points": [entry]} if self.dot else {"labels": [entry]}

    def extent(self) -> list[Pt]:
        return [self.at]


@dataclass(frozen=True)
class Plot(Element):
    """The graph of y = f(x) over a domain; `expr` in pgfmath with `\\x` (e.g. `0.5*\\x*\\x-1`, `sin(2*\\x r)`)."""

    expr: str
    domain: tuple[float, float]
    text: str  # the function as the dict target names it, e.g. "0.5*x^2-1"
    reach: tuple[float, float]  # lowest and highest y over the domain

    def tikz(self) -> list[str]:
        options = (f"domain={num(self.domain[0])}:{num(self.domain[1])}", "samples=60", "smooth", "variable=\\x",
                   *self.style)
        return [f"\\draw{opts(options)} plot (\\x, {{{self.expr}}});"]

    def record(self) -> dict[str, list[Any]]:
        return {"curves": [{"function": self.text, "domain": [float(num(d)) for d in self.domain]}]}

    def extent(self) -> list[Pt]:
        return [(self.domain[0], self.reach[0]), (self.domain[1], self.reach[1])]


@dataclass(frozen=True)
class Axes(Element):
    """x and y axes with arrow tips, unit ticks with their numbers, axis names and the origin O."""

    x: tuple[float, float]
    y: tuple[float, float]
    xticks: tuple[int, ...]
    yticks: tuple[int, ...]
    origin: bool = True  # whether the origin is named O (not where a curve runs through the O)

    def tikz(self) -> list[str]:
        arrow = opts(("->", *self.style))
        lines = [f"\\draw{arrow} {pt((self.x[0], 0))} -- {pt((self.x[1], 0))} node[right] {{$x$}};",
                 f"\\draw{arrow} {pt((0, self.y[0]))} -- {pt((0, self.y[1]))} node[above] {{$y$}};"]
        if self.xticks:
            ticks = ",".join(str(t) for t in self.xticks)
            lines.append(f"\\foreach \\t in {{{ticks}}} \\draw (\\t,0.08) -- (\\t,-0.08) node[below] {{\\scriptsize $\\t$}};")
        if self.yticks:
            ticks = ",".join(str(t) for t in self.yticks)
            lines.append(f"\\foreach \\t in {{{ticks}}} \\draw (0.08,\\t) -- (-0.08,\\t) node[left] {{\\scriptsize $\\t$}};")
        if self.origin:
            lines.append("\\node[below left] at (0,0) {$O$};")
        return lines

    def record(self) -> dict[str, list[Any]]:
        return {"axes": [{"x": [float(num(v)) for v in self.x], "y": [float(num(v)) for v in self.y],
                          "xticks": list(self.xticks), "yticks": list(self.yticks)}]}

    def extent(self) -> list[Pt]:
        return [(self.x[0], self.y[0]), (self.x[1], self.y[1])]
