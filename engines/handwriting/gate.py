"""The gate a quick (cursive) hand's page passes: PP-OCR reads one of its lines back.

Why a gate for these pages alone: a quick hand shortens, bends and joins strokes (`renderers.pen.cursive_strokes`),
and a character written that way can stop being the character the target names. The neat hands and the faces
were checked once, by eye and by reading (`hand`); a quick hand's forms are drawn per page, so each page is read as
the model will see it (after the scan or photo), from a line box the page already knows (recognition only, no
detection).

Why one line, and its end: PP-OCR's recogniser costs about 90 ms of CPU for a full handwritten line, 1.5 s for a
page: reading every line made a handwriting sample four times as costly. The gate reads the shortest line holding
at least `MIN_CHARS` Chinese characters (a paragraph's last line, a form's subject), and of a longer one only its
last `TAIL` characters (`tail`): the recogniser pads a crop narrower than 320x48 px to that size, so 8 characters
cost what 6 do. With one onnxruntime thread (a build's worker) that is 32 ms a quick page (37 ms for the whole
line; 9 quick pages); 30 quick pages of 60 Chinese samples read back at a mean 0.995 of the tail's characters
(0.998 of the whole line's), none refused. Whole quick pages read back at a median 0.98 of their characters (32
pages of 60 Chinese samples; lowest 0.79), so the spot check is there for a hand gone wrong, not for a character.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
from PIL import Image

from engines.handwriting import hand as hands
from renderers import ppocr
from renderers.result import DrawnText

# The share of a line's letters, digits and Chinese characters that must read back. PP-OCR reads the neat hands'
# clean pages at 0.9-0.97 of them; a handwritten character it misreads is often right on the page (己 read 已).
LEGIBLE = 0.8
MIN_CHARS = 6
TAIL = 8  # the characters of the spot line the gate reads: its last ones (a form row's writing follows its label)
MARGIN = 0.6  # ems added to the tail's nominal width: each character's own scale and place vary (`hand.write_lines`)
KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def matched(target: str, read: str) -> tuple[int, int]:
    """(how many of the target's letters, digits and Chinese characters the reading holds in order, how many it has)."""
    a, b = "".join(KEEP.findall(target)), "".join(KEEP.findall(read))
    return sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()), len(a)


def share_read(image: Image.Image, lines: list[DrawnText]) -> float:
    """The share of the lines' letters, digits and Chinese characters that PP-OCR reads back in their boxes, in
    order (each line's target matched against its reading); 1.0 for lines with none."""
    found = want = 0
    for line, got in zip(lines, ppocr.read_crops(image, [line.quad for line in lines])):
        hit, count = matched(line.text, got.text)
        found, want = found + hit, want + count
    return found / want if want else 1.0


def spot_line(lines: list[DrawnText]) -> DrawnText | None:
    """The line the gate reads: the shortest (in letters, digits and Chinese characters) holding at least
    `MIN_CHARS` Chinese characters, the quick hand's own (a form's date, its Latin digits after a printed label,
    is not one), the first of equals; None when no line does."""
    long_enough = [line for line in lines if len(HAN.findall(line.text)) >= MIN_CHARS]
    return min(long_enough, key=lambda line: len(KEEP.findall(line.text)), default=None)


def tail(line: DrawnText, box: tuple[float, float, float, float], hand: hands.Hand) -> DrawnText:
    """The last `TAIL` characters of `line` (its quad on the finished image; `box` its ink box on the written page),
    cut from its quad by their nominal width in `hand` (plus `MARGIN` ems, so that a character cut in two is the one
    before them, which the target does not name): the recogniser's cost grows with a crop's width, and a line's
    first characters say no more about a hand than its last. The whole line when it is not much longer."""
    if len(line.text) <= TAIL + 2:
        return line
    text = line.text[-TAIL:]
    share = min(1.0, (hands.advance(hand, text) + MARGIN * hand.size) / max(box[2] - box[0], 1.0))
    tl, tr, br, bl = np.asarray(line.quad, dtype=np.float64)
    quad = (tl + (1 - share) * (tr - tl), tr, br, bl + (1 - share) * (br - bl))
    return DrawnText(text, tuple((float(x), float(y)) for x, y in quad), line.score, line.page)
