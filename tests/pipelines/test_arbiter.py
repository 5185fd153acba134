"""The drawing's opinion on a disputed line: a right target beats PP-OCR's misreading of it, a wrong target loses.

Each line is drawn by MuPDF (the docs engine's renderer) in a docs face at the page's dpi, and the disputes are the
misreadings PP-OCR made of right docs pages in every look (the backslash of `/\\r` dropped, `/\\` read 八).
"""

from __future__ import annotations

import pymupdf
import pytest
from PIL import Image

from engines.docs import faces
from pipelines.readers import arbiter
from pipelines.readers.text import _same

DPI = 150


def drawn_line(text: str, family: str, size: float = 11.0) -> tuple[Image.Image, list[float]]:
    """The line drawn by MuPDF in `family`'s regular face at `size` points, and its box in pixels."""
    font = pymupdf.Font(fontfile=faces.FAMILIES[family].files["regular"])  # a plain font file, not a collection
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=40)
    writer = pymupdf.TextWriter(page.rect)
    writer.append((10, 25), text, font=font, fontsize=size)
    writer.write_text(page)
    pix = page.get_pixmap(dpi=DPI)
    zoom = DPI / 72
    width = font.text_length(text, fontsize=size)
    box = [10 * zoom, (25 - font.ascender * size) * zoom, (10 + width) * zoom, (25 - font.descender * size) * zoom]
    return Image.frombytes("RGB", (pix.width, pix.height), pix.samples), box


META = {"layout": {"face": "kaiti", "heading_face": "noto-sans-cjk", "mono": "liberation-mono"}}


@pytest.mark.parametrize(("right", "misread"), [
    ("sed -e '/\\r$/!s/$/\\r/'", "sed -e '/r$/!s/$/\\r/'"),  # the backslash PP-OCR drops in every look
    ('排除 ".*/\\.git"', '排除 ".*八.git"'),  # "/\\" read 八
])
def test_a_right_target_beats_the_misreading_and_a_wrong_one_loses(right: str, misread: str) -> None:
    family = "kaiti" if any(ord(c) > 0x2000 for c in right) else "liberation-mono"
    image, box = drawn_line(right, family)
    cleared = arbiter.settled(image, box, right, misread, META, _same)
    assert cleared is not None and cleared["cleared"], cleared
    # the image shows what the reading says, the target is wrong: the drawing sides with the reading
    image, box = drawn_line(misread, family)
    kept = arbiter.settled(image, box, right, misread, META, _same)
    assert kept is not None and not kept["cleared"], kept


def test_a_changed_letter_is_not_cleared() -> None:
    """A target with one letter changed ("sad" for the "sed" the image shows) loses to a reading of the image; at a
    line's start, without its context on both sides, it is not arbitrated at all."""
    image, box = drawn_line("run sed -e 's/a/b/' file", "liberation-mono")
    got = arbiter.settled(image, box, "run sad -e 's/a/b/' file", "run sed -e 's/a/b/' file", META, _same)
    assert got is not None and not got["cleared"], got


def test_no_opinion_without_the_pages_faces_or_on_a_long_difference() -> None:
    image, box = drawn_line("sed -e '/\\r$/!s/$/\\r/'", "liberation-mono")
    assert arbiter.settled(image, box, "sed -e '/\\r$/'", "sed -e '/r$/'", {}, _same) is None  # a real PDF's page
    assert arbiter.disputes("the whole line differs", "nothing alike here", _same) is None
    assert arbiter.disputes("a (b) c", "a(b)c", _same) == []  # what the reader cannot tell apart is no dispute


def test_a_span_without_context_on_both_sides_is_not_arbitrated() -> None:
    """A list number at a line's start ("2. Run" against a reading "5. Run") is drawn too short to tell: a digit
    mutation of the 40-page bench was cleared that way."""
    assert arbiter.disputes('2. Run "aptitude update".', '5. Run "aptitude update".', _same) is None
