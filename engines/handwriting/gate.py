"""The gate a quick (cursive) hand's page passes: PP-OCR reads its lines back.

Why a gate for these pages alone: a quick hand shortens, bends and joins strokes (`renderers.pen.cursive_strokes`),
and a character written that way can stop being the character the target names. The neat hands and the faces
were checked once, by eye and by reading (`hand`); a quick hand's forms are drawn per page, so each page is read as
the model will see it (after the scan or photo), line by line from the boxes the page already knows (recognition
only, no detection: about a tenth of reading the page whole), and refused when too little of it reads back.
"""

from __future__ import annotations

import difflib
import re

from PIL import Image

from renderers import ppocr
from renderers.result import DrawnText

# The share of a page's letters, digits and Chinese characters that must read back. PP-OCR reads the neat hands'
# clean pages at 0.9-0.97 of them; a handwritten character it misreads is often right on the page (己 read 已).
LEGIBLE = 0.8
KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def share_read(image: Image.Image, lines: list[DrawnText]) -> float:
    """The share of the lines' letters, digits and Chinese characters that PP-OCR reads back in their boxes, in
    order (a matching of each line's target against its reading); 1.0 for lines with none."""
    read = ppocr.read_crops(image, [line.quad for line in lines])
    want = matched = 0
    for line, got in zip(lines, read):
        a, b = "".join(KEEP.findall(line.text)), "".join(KEEP.findall(got.text))
        want += len(a)
        matched += sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / want if want else 1.0
