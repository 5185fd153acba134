"""A geometry figure: picture options plus elements, and its two targets (normalised TikZ, Slow-Perception dict).

The TikZ target is normalised so that one picture has one text: one command per line, no
comments, no indentation, options in a fixed order. The dict target lists the figure's geometry
by section in a fixed order (points, segments, circles, arcs, angles, right_angles, curves, axes,
labels), omitting empty sections, as compact JSON.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from engines.geometry.clearance import clear_labels
from engines.geometry.shapes import Element, Pt, opts

_POSITIONS = ("a", "b", "center", "at", "vertex")  # fields holding one point (directions u, v do not move)
SECTIONS = ("points", "segments", "circles", "arcs", "angles", "right_angles", "curves", "axes", "labels")


@dataclass(frozen=True)
class Figure:
    """What one sample draws.

    Attributes:
        kind: the generator that made it (triangle, circle, polygon, function, coordinates).
        options: the tikzpicture's options (scale, font).
        elements: drawn in order (fills first, labels last, so labels stay on top).
    """

    kind: str
    options: tuple[str, ...]
    elements: tuple[Element, ...]

    @property
    def scale(self) -> float:
        """The picture's `scale` option (centimetres per coordinate unit), 1 when it has none."""
        return next((float(o[6:]) for o in self.options if o.startswith("scale=")), 1.0)

    def tikz(self) -> str:
        """The normalised `\\begin{tikzpicture}...\\end{tikzpicture}` that draws the figure."""
        lines = [line for element in self.elements for line in element.tikz()]
        return "\n".join([f"\\begin{{tikzpicture}}{opts(self.options)}", *lines, "\\end{tikzpicture}"])

    def record(self) -> dict[str, list[Any]]:
        """The Slow-Perception dict: each section's entries in drawing order."""
        merged: dict[str, list[Any]] = {}
        for element in self.elements:
            for section, entries in element.record().items():
                merged.setdefault(section, []).extend(entries)
        return {section: merged[section] for section in SECTIONS if section in merged}

    def dict_target(self) -> str:
        """`record()` as compact JSON (readable by `json.loads`)."""
        return json.dumps(self.record(), ensure_ascii=False, separators=(", ", ": "))

    def extent(self) -> tuple[Pt, Pt]:
        """Lower-left and upper-right corners of everything the elements reach."""
        points = [p for element in self.elements for p in element.extent()]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys)), (max(xs), max(ys))

    def labels_cleared(self) -> Figure:
        """The same figure with every point label moved off the strokes through its point (`clearance`)."""
        return dataclasses.replace(self, elements=clear_labels(self.elements))

    def at_origin(self) -> Figure:
        """The same figure moved so that the lower-left corner of what it reaches is (0, 0)."""
        (x0, y0), _ = self.extent()

        def move(p: Pt) -> Pt:
            return (p[0] - x0, p[1] - y0)

        def moved(element: Element) -> Element:
            changes: dict[str, Any] = {f.name: move(getattr(element, f.name))
                                       for f in dataclasses.fields(element) if f.name in _POSITIONS}
            if hasattr(element, "points"):
                changes["points"] = tuple(move(p) for p in element.points)
            return dataclasses.replace(element, **changes)

        return dataclasses.replace(self, elements=tuple(moved(e) for e in self.elements))
