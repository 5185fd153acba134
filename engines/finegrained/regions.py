"""Regions a box or a colour frame may ask about: runs of lines in reading order that nothing else cuts into.

A region is lines i..j of a page's target (its reading order) with their union box. It is asked only
when no other line's box reaches into it by more than `CUT` of that line's height: line boxes are a
font's full height, taller than its ink, so tightly set neighbours overlap a little without any ink
inside; more than that would put part of another line in the box, and its text would be missing from
the target. A block is 2-8 lines stacked down one column (each below the last, overlapping it
sideways); a run across a column break spans the other column and is never clear.

A colour frame is drawn `margin` pixels around the region; it may not touch any glyph. On a page that
is checked on the pixels it would cover (no ink under the stroke), not assumed from the boxes; on a
photo, whose texture varies as ink does, the frame may not reach any other line's box.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

Box = tuple[float, float, float, float]
CUT = 0.3  # how much of another line's height may lie inside a region (its box's slack above and below the ink)
BLOCK_LINES = (2, 8)
MIN_SIDE = 8.0  # pixels: a region's shortest side
INK_CONTRAST = 40  # grey levels: a strip with more spread than this holds ink


def union(boxes: Sequence[Sequence[float]]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _cuts_into(other: Sequence[float], region: Box, cut: float = CUT) -> bool:
    """Whether line box `other` reaches into `region` by more than `cut` of its height (and overlaps it sideways)."""
    overlap_x = min(other[2], region[2]) - max(other[0], region[0])
    overlap_y = min(other[3], region[3]) - max(other[1], region[1])
    return overlap_x > 0 and overlap_y > cut * (other[3] - other[1])


def _stacked(boxes: Sequence[Sequence[float]], i: int, j: int) -> bool:
    """Whether lines i..j run down one column: each starts below the last's middle and overlaps it sideways."""
    for k in range(i + 1, j + 1):
        above, below = boxes[k - 1], boxes[k]
        if below[1] < (above[1] + above[3]) / 2 or min(above[2], below[2]) <= max(above[0], below[0]):
            return False
    return True


def clear_regions(boxes: Sequence[Sequence[float]], kind: str, blocked: Sequence[Sequence[float]] = (),
                  cut: float = CUT) -> list[tuple[int, int]]:
    """Every (first, last) line run of `kind` ("line" or "block") whose union box no other line cuts into by more
    than `cut` of its height (0 for people's boxes, drawn tight to the ink) and no `blocked` box (an illegible
    region, never part of a target) touches at all."""
    n = len(boxes)
    lengths = [1] if kind == "line" else range(BLOCK_LINES[0], BLOCK_LINES[1] + 1)
    found = []
    for size in lengths:
        for i in range(n - size + 1):
            j = i + size - 1
            region = union(boxes[i:j + 1])
            if min(region[2] - region[0], region[3] - region[1]) < MIN_SIDE or not _stacked(boxes, i, j):
                continue
            if any(_cuts_into(b, region, 0.0) for b in blocked):
                continue
            if not any(_cuts_into(boxes[k], region, cut) for k in range(n) if not i <= k <= j):
                found.append((i, j))
    return found


def frame_around(region: Box, margin: int, width: int, size: tuple[int, int]) -> Box | None:
    """The outer box of a `width`-pixel frame `margin` pixels around `region`, or None when it leaves the image."""
    x0, y0 = math.floor(region[0]) - margin - width, math.floor(region[1]) - margin - width
    x1, y1 = math.ceil(region[2]) + margin + width, math.ceil(region[3]) + margin + width
    if x0 < 0 or y0 < 0 or x1 > size[0] or y1 > size[1]:
        return None
    return (float(x0), float(y0), float(x1), float(y1))


def covers_ink(grey: np.ndarray, frame: Box, width: int) -> bool:
    """Whether any side of the frame would cover ink (a strip of it spreads over INK_CONTRAST grey levels)."""
    x0, y0, x1, y1 = (int(v) for v in frame)
    sides = (grey[y0:y0 + width, x0:x1], grey[y1 - width:y1, x0:x1], grey[y0:y1, x0:x0 + width],
             grey[y0:y1, x1 - width:x1])
    return any(int(side.max()) - int(side.min()) >= INK_CONTRAST for side in sides)


def crosses(frame: Box, others: Sequence[Sequence[float]]) -> bool:
    """Whether the frame's outline crosses one of the other lines' boxes (one inside the frame counts too)."""
    return any(min(frame[2], b[2]) > max(frame[0], b[0]) and min(frame[3], b[3]) > max(frame[1], b[1])
               for b in others)
