"""The reading order every photo target uses (`renderers.result.in_reading_order`)."""

from __future__ import annotations

import numpy as np

from renderers.result import DrawnText, box_quad, in_reading_order


def test_lines_are_read_in_rows_top_to_bottom_then_left_to_right() -> None:
    lines = [
        DrawnText("title", box_quad(40, 10, 300, 40)),
        DrawnText("left", box_quad(20, 60, 120, 84)),
        DrawnText("right, a little higher", box_quad(200, 56, 380, 76)),  # its row: "left"'s centre is within it
        DrawnText("tilted", ((30, 130), (200, 110), (202, 130), (32, 150))),
        DrawnText("last", box_quad(20, 160, 90, 180)),
    ]
    order = ["title", "left", "right, a little higher", "tilted", "last"]
    for seed in range(5):
        shuffled = [lines[i] for i in np.random.default_rng(seed).permutation(len(lines))]
        assert [t.text for t in in_reading_order(shuffled, lambda t: t.quad)] == order
    pairs = [(t.text, t.quad) for t in reversed(lines)]  # any item type, given where its corners are
    assert [text for text, _ in in_reading_order(pairs, lambda p: p[1])] == order
