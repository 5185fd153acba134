"""Drawing styles of geometry figures: line widths, dashes, colours, fills, picture scale and label fonts.

Kept apart from the figures (engines.geometry.figures) so that every kind of figure draws its
look from the same small vocabulary, the one school and paper figures use: named TikZ widths,
`dashed`/`dotted`, xcolor's base colours and their tints for fills.
"""

from __future__ import annotations

import numpy as np

from engines.base import pick

WIDTHS = ("thin", "semithick", "thick", "very thick")
COLOURS = ("blue", "red", "teal", "violet", "orange", "green!50!black", "brown", "cyan!60!black", "magenta")
FILLS = ("blue!10", "red!10", "yellow!20", "green!10", "gray!15", "orange!15", "cyan!10")
DASHES = ("dashed", "dotted", "densely dashed")
SCALES = (0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4)
FONTS = ("", "\\small", "\\footnotesize", "\\large", "\\sffamily", "\\sffamily\\small", "\\bfseries")


def line(rng: np.random.Generator, colour: float = 0.3, dash: float = 0.0, width: float = 0.6) -> tuple[str, ...]:
    """TikZ options of one stroke: a width (with probability `width`), a colour, a dash pattern."""
    style = [pick(rng, WIDTHS)] if rng.random() < width else []
    if rng.random() < colour:
        style.append(pick(rng, COLOURS))
    if rng.random() < dash:
        style.append(pick(rng, DASHES))
    return tuple(style)


def fill(rng: np.random.Generator, p: float) -> tuple[str, ...]:
    """A light fill, with probability `p`."""
    return (f"fill={pick(rng, FILLS)}",) if rng.random() < p else ()


def picture_options(rng: np.random.Generator) -> tuple[str, ...]:
    """The tikzpicture's options: a scale (coordinates only; text keeps its size) and the labels' font."""
    scale, font = pick(rng, SCALES), pick(rng, FONTS)
    options = [] if scale == 1.0 else [f"scale={scale}"]
    if font:
        options.append(f"font={font}")
    if rng.random() < 0.3:
        options.append("line join=round")
    return tuple(options)
