"""The quick (cursive) Chinese pen hand: strokes joined where the pen would not lift, shortened and bent, thin where
the pen moves fast; and the gate that reads each of its pages back."""

from __future__ import annotations

import dataclasses

import numpy as np
from PIL import Image

from engines import get_engine, make_rng
from engines.handwriting import gate
from engines.handwriting import hand as hands
from engines.handwriting.content import write_page
from renderers import pen
from renderers.result import DrawnText, box_quad

SIZE = (30.0, 34.0)


def _length(line: np.ndarray) -> float:
    return float(np.hypot(*np.diff(line, axis=0).T).sum())


def test_strokes_join_where_the_pen_does_not_lift_and_stop_short() -> None:
    """口 is three strokes (left, top-and-right, bottom): each starts within 0.6 em of where the one before ends, so
    a reach of 0.6 writes one line; no reach, three. The joins are hairlines; every stroke is shorter than drawn."""
    strokes = pen.hanzi_glyph("口").strokes
    assert len(strokes) == 3
    rng = np.random.default_rng(0)
    points, lengths, _ = pen.cursive_strokes(strokes, pen.Cursive(0.0, 0.15, 0.0), rng)
    apart = np.split(points, np.cumsum(lengths)[:-1])
    points, lengths, weights = pen.cursive_strokes(strokes, pen.Cursive(0.6, 0.15, 0.0), rng)
    joined, weights = np.split(points, np.cumsum(lengths)[:-1]), np.split(weights, np.cumsum(lengths)[:-1])
    assert len(apart) == 3 and len(joined) == 1
    assert all(_length(a) < _length(s) for a, s in zip(apart, strokes))
    assert np.isclose(weights[0].min(), pen.HAIRLINE) and weights[0].max() > 0.9
    step = np.hypot(*np.diff(joined[0], axis=0).T)
    assert step.max() <= pen.CURSIVE_STEP * 1.01  # the hairline is a drawn curve, not one long jump


def test_a_quick_hand_writes_each_character_in_its_own_forms() -> None:
    """A quick hand's 的 differs between two of its forms and from the neat medians; its punctuation and Latin
    letters are the neat ones; the neat hand's glyphs are as before (its widths the old swell along each stroke)."""
    neat = hands._pen_glyph(hands.HANZI, "的")
    forms = [hands._cursive_glyph("的", 2, v) for v in range(hands.VARIANTS)]
    assert len({f.points.tobytes() for f in forms}) == hands.VARIANTS
    assert all(len(f.lengths) <= len(neat.lengths) for f in forms) and any(len(f.lengths) < len(neat.lengths)
                                                                           for f in forms)
    hand = hands.Hand("zh", "HersheyScript1", True, 32.0, 0.1, 1.6, 0.6, 2.0, 0.0, (0, 0, 0), cursive=2)
    text = "的，A"
    written = hands.write_lines(hand, [(text, 10, 50)], np.random.default_rng(1))
    neat_lens = [len(g.lengths) for g in (hands.glyph(hand, c) for c in "，A")]
    assert len(written.lengths) in {len(f.lengths) + sum(neat_lens) for f in forms}
    t = np.arange(5) / 4
    assert np.allclose(hands._swell(np.array([5]))[:5], 0.7 + 0.3 * np.sin(np.pi * t))


def test_a_quick_hand_page_reads_back_and_the_gate_refuses_a_wrong_target() -> None:
    """A quick hand's sticky note reads back above the gate's floor (PP-OCR on each line's box); the gate's line
    (the shortest of at least `MIN_CHARS`) with other characters as its target does not: the gate can fail."""
    seed = next(s for s in range(200) if hands.draw_hand(np.random.default_rng(s), "zh", SIZE).cursive == 3)
    page, lines, hand, _ = write_page(np.random.default_rng(seed), "zh", "note", SIZE)
    assert hand.cursive == 3
    drawn = [DrawnText(text, box_quad(*box)) for text, box in lines]
    image = Image.fromarray(page)
    assert gate.share_read(image, drawn) >= gate.LEGIBLE
    spot = gate.spot_line(drawn)
    assert spot is not None and len(gate.HAN.findall(spot.text)) >= gate.MIN_CHARS
    assert all(len(gate.KEEP.findall(d.text)) >= len(gate.KEEP.findall(spot.text)) for d in drawn
               if len(gate.HAN.findall(d.text)) >= gate.MIN_CHARS)
    assert gate.spot_line([DrawnText("日期：2028年7月30日", drawn[0].quad)]) is None  # five: a form's date
    wrong = dataclasses.replace(spot, text="".join(reversed(spot.text))[::2] + "鹦鹉螺")
    assert gate.share_read(image, [wrong]) < gate.LEGIBLE
    # the gate reads a long line's last characters, cut from the right of its box, and they read back
    k = max(range(len(drawn)), key=lambda i: len(drawn[i].text))
    tail = gate.tail(drawn[k], lines[k][1], hand)
    assert len(drawn[k].text) > gate.TAIL + 2 and tail.text == drawn[k].text[-gate.TAIL:]
    (left, top, right, bottom), (t_left, t_top, t_right, t_bottom) = drawn[k].bbox, tail.bbox
    assert (t_top, t_right, t_bottom) == (top, right, bottom) and left < t_left < right - (right - left) * 0.2
    assert gate.share_read(image, [tail]) >= gate.LEGIBLE


def test_a_quick_hand_sample_records_its_style_and_what_read_back() -> None:
    engine = get_engine("handwriting")(get_engine("handwriting").Config(lang="zh"))
    for index in range(20):
        sample = engine.sample(make_rng(0, "handwriting", index), index)
        if sample.meta["hand"]["cursive"]:
            assert sample.meta["read_back"] >= gate.LEGIBLE and sample.meta["hand"]["pen"]
            return
    raise AssertionError("no quick hand in 20 Chinese samples")
