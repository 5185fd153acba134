"""The one thing every renderer returns: the images it drew, and every text on them with its box.

Engines check their targets against `texts` (what a target names must have been drawn, legibly)
and record `info` in a sample's meta; a reader such as PP-OCR returns the same type, with its
confidence in `score`, so "what was drawn" and "what was read" compare without conversion.
Coordinates are image pixels, y pointing down, corners clockwise from the text's top-left, so a
rotated text is a rotated rectangle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from PIL import Image

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]
T = TypeVar("T")


@dataclass(frozen=True)
class DrawnText:
    """One line (or word, or symbol) of text on an image.

    Attributes:
        text: the string, exactly as drawn (or as read).
        quad: its four corners in image pixels, clockwise from the top-left of the text.
        score: a reader's confidence in [0, 1]; 1.0 for text a renderer drew itself.
        page: which of the result's images it lies on.
    """

    text: str
    quad: Quad
    score: float = 1.0
    page: int = 0

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The axis-aligned box (left, top, right, bottom) around the quad."""
        xs, ys = [p[0] for p in self.quad], [p[1] for p in self.quad]
        return min(xs), min(ys), max(xs), max(ys)


def box_quad(left: float, top: float, right: float, bottom: float) -> Quad:
    """The quad of an axis-aligned box."""
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def in_reading_order(lines: list[T], quad: Callable[[T], Quad]) -> list[T]:
    """`lines` in the order a target lists a photo's lines: rows top to bottom (a line joins a row when its centre
    lies within the height of the row's first line), then left to right within a row.

    One rule for every target of text in a photo (drawn into a scene, pseudo-labelled, annotated by people), so
    a model never learns two orders for the same picture. `quad(line)` gives a line's corners.
    """
    def centre(line: T, axis: int) -> float:
        return sum(p[axis] for p in quad(line)) / 4

    rows: list[list[T]] = []
    for line in sorted(lines, key=lambda t: centre(t, 1)):
        ys = [p[1] for p in quad(rows[-1][0])] if rows else []
        if ys and min(ys) <= centre(line, 1) <= max(ys):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda t: centre(t, 0))]


@dataclass
class Rendered:
    """A renderer's output.

    Attributes:
        images: what was drawn; one for most renders, one per page for a multi-page document.
        texts: every text drawn (or read), with its box; empty when the tool cannot say.
        info: JSON-safe facts about the render that an engine may record in a sample's meta
            (fonts, sizes, the tool's version-dependent choices).
    """

    images: list[Image.Image]
    texts: list[DrawnText] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def image(self) -> Image.Image:
        """The first (for most renders, the only) image."""
        return self.images[0]
