"""One PDF page's text layer, checked against what the page shows, in reading order; its line and paragraph slices.

A text layer is a claim about the pixels, and real PDFs break it in known ways: no text at all (a scan),
text that is not drawn (the invisible OCR layer over a scan, transparent text), glyphs mapped to nothing
(U+FFFD, private-use code points), glyphs drawn twice (fake bold), text over text (a word overflowing its
column, a formula's stacked sub- and superscripts, which have no reading order in plain text), vertical
writing, scripts the engine does not teach (GOT's documents are English and Chinese: kana, Hangul,
Cyrillic ... are refused; PP-OCR does not read Korean at all), text the page crops away, and ruled tables
(a text layer reads their cells column by column) unless the caller knows the table's cells. `read_page`
refuses such a page with a stable reason (`PageSkip.reason`), or returns its lines in reading order
(`engines.docs.layout`). A few stray vertical lines (an arXiv stamp, a margin note) do not refuse a page:
they are left out of the target and painted over in the image, so the image still shows exactly the target.

Built-in pages pass the same checks; a `--source` page is also compared with pdfminer.six's reading of it
(`engines.docs.crosscheck`) when the source is scanned.

Tables and code, where the caller knows where they are (a generated page's Story reports each cell and code
block it placed): a table is read row by row, one row a target line, its cells left to right one space apart (a
cell's own lines joined by a space, an empty cell left out), as a reader reads a table aloud; a code block's
lines keep the indentation the image shows, in spaces of the block's monospace advance.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from statistics import median

from engines.base import SampleError
from engines.docs.layout import Box, reading_order
from renderers.pymupdf import PdfDocument
from renderers.result import DrawnText, box_quad
from renderers.scripts import HAN, HAN_RANGES, PAGE_SHARE, text_lang

MIN_CHARS = 20  # a page with less text is a cover or a figure page, not a document page
MIN_IMAGE_SIDE = 3.0  # points: a thinner raster image is a rule (holds no text) and is left as drawn
MAX_STRAY = 0.10  # share of characters in non-horizontal lines above which a page is "vertical_text"
# pdfTeX (OT1 fonts) draws \\"u as a spacing accent, then the letter: text layers say "K¨uttler" for Küttler,
# sometimes with a space between ("Sch¨ olkopf"), and put the accent on a dotless i ("na¨ıve").
SPACING_ACCENTS = {"\u00a8": "\u0308", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u02c7": "\u030c",
                   "\u02d8": "\u0306", "\u02d9": "\u0307", "\u00af": "\u0304", "\u02da": "\u030a", "\u02dd": "\u030b"}
DETACHED_ACCENT = re.compile(f"(?P<before>[^\\W\\d_]?)([{''.join(SPACING_ACCENTS)}])(?P<gap> ?)([^\\W\\d_])")
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})


def _look_alikes() -> dict[int, str]:
    """Code points drawn with the very glyph of another, mapped to that other: CJK compatibility ideographs (their
    canonical decomposition, which NFC applies: U+F967 is 不), Kangxi and CJK radicals that have an ideograph
    of the same shape (NFKC's mapping, taken one character at a time: NFKC as a whole would also turn ² into 2
    and full-width letters into narrow ones, which look different), and the non-breaking hyphen."""
    table = {0x2011: "-"}
    for code in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
        if (canonical := unicodedata.normalize("NFC", chr(code))) != chr(code):
            table[code] = canonical
    for code in range(0x2E80, 0x2FE0):
        if len(same := unicodedata.normalize("NFKC", chr(code))) == 1 and same != chr(code):
            table[code] = same
    return table


LOOK_ALIKES = _look_alikes()
# No Unicode (U+FFFD, a private-use code, pdfminer's "(cid:N)") or a control code: glyphs whose meaning is lost
# (a symbol font's check mark came out as U+0017).
GARBLED = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f-\x9f]|\\(cid:\\d+\\)")
# Letters of the scripts the engine teaches: Latin (with accents), Greek (symbols in formulas), Chinese.
TAUGHT = re.compile("[\u0000-\u024f\u0370-\u03ff\u1e00-\u1eff\u2000-\u2bff\u2e80-\u2fdf\u3000-\u303f"
                    f"{HAN_RANGES}\ufe30-\ufe4f\uff00-\uffef]")


class PageSkip(SampleError):
    """A page whose text layer cannot be a target; `reason` is the stable slug it is counted under (a skipped
    --source page when the scan meets it, a failed draw when a draw does)."""


@dataclass(frozen=True)
class PageText:
    """A page's checked text, in pixels of the page rendered at `dpi`.

    Attributes:
        lines: the kept lines, in reading order.
        paragraphs: runs of `lines` indices, in reading order.
        blank: boxes of what the target leaves out (stray vertical text, raster images), to paint over.
        lang: "zh" when at least a tenth of the target's characters are Chinese, else "en" (`text_lang`, `PAGE_SHARE`).
        columns: the most columns of any stretch of the page.
    """

    lines: list[DrawnText]
    paragraphs: list[list[int]]
    blank: list[Box]
    lang: str
    columns: int

    @property
    def text(self) -> str:
        """The page's target: its lines in reading order, one per line."""
        return "\n".join(t.text for t in self.lines)

    def slices(self, unit: str, pad: float = 0.3) -> list[tuple[Box, list[int]]]:
        """The line or paragraph slices that can be cut out alone, each with its box and its lines.

        A slice's box is its lines' box grown by `pad` line heights, and cut back where a neighbour line is
        nearer (halfway into the overlap where the two boxes overlap: a line's box is its font's full height,
        taller than its ink, so the boxes of tightly set lines overlap while their ink does not). A slice that
        would still take in more than a fifth of another line's height, or lose more than a fifth of its
        own, or touch a painted-over line, is left out.

        Args:
            unit: "line" or "paragraph".
            pad: margin around the text, in line heights.

        Returns:
            (box in page pixels, indices of its `lines`) per usable slice, in reading order.
        """
        groups = [[i] for i in range(len(self.lines))] if unit == "line" else self.paragraphs
        every = [t.bbox for t in self.lines]
        out = []
        for group in groups:
            own = [every[i] for i in group]
            box = (min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own), max(b[3] for b in own))
            height = min(b[3] - b[1] for b in own)
            others = [b for k, b in enumerate(every) if k not in group]
            crop = _cut_back(box, pad * height, others)
            if (crop and not any(_overlap(crop, b) for b in self.blank)
                    and all(_intrusion(crop, b) <= 0.2 * (b[3] - b[1]) for b in others)
                    and all(_intrusion(crop, b) >= 0.8 * (b[3] - b[1]) for b in own)):
                out.append((crop, group))
        return out


def _intrusion(crop: Box, b: Box) -> float:
    """How much of box `b`'s height lies inside `crop` (0 when they do not overlap side to side)."""
    if min(crop[2], b[2]) <= max(crop[0], b[0]):
        return 0.0
    return max(0.0, min(crop[3], b[3]) - max(crop[1], b[1]))


def _cut_back(box: Box, margin: float, others: list[Box]) -> Box | None:
    """`box` grown by `margin`, each side cut back to its nearest neighbour (halfway into an overlap), or None
    when a neighbour on the same row overlaps it."""
    left, top, right, bottom = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    for b in others:
        if min(right, b[2]) <= max(left, b[0]) or min(bottom, b[3]) <= max(top, b[1]):
            continue  # not in the grown box at all
        centre = (b[1] + b[3]) / 2
        if centre < box[1]:
            top = max(top, b[3] if b[3] <= box[1] else (b[3] + box[1]) / 2)
        elif centre > box[3]:
            bottom = min(bottom, b[1] if b[1] >= box[3] else (b[1] + box[3]) / 2)
        elif b[2] <= box[0]:
            left = max(left, b[2])
        elif b[0] >= box[2]:
            right = min(right, b[0])
        else:
            return None
    return left, top, right, bottom


def _overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _check_overlaps(lines: list[DrawnText]) -> None:
    """Raise when two lines share ink: the same text twice (glyphs drawn twice) or text over text.

    Raises:
        PageSkip: "duplicated_glyphs" or "overlapping_text".
    """
    by_top = sorted(lines, key=lambda t: t.bbox[1])
    for k, a in enumerate(by_top):
        ax0, ay0, ax1, ay1 = a.bbox
        for b in by_top[k + 1:]:
            bx0, by0, bx1, by1 = b.bbox
            if by0 >= ay1:
                break
            shared = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - by0)
            if shared > 0.2 * min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0)):
                raise PageSkip("duplicated_glyphs" if a.text == b.text else "overlapping_text", a.text[:40])


def clean(text: str) -> str:
    """A line as a reader sees it: ligatures spelt out, accents on their letters, look-alike code points as the
    ones they look like (`LOOK_ALIKES`), runs of spaces as one, no soft hyphens."""
    text = DETACHED_ACCENT.sub(_attach_accent, text)
    return " ".join(text.translate(LIGATURES).translate(LOOK_ALIKES).replace("\u00ad", "").split())


def _attach_accent(m: re.Match) -> str:
    """A detached accent put on its letter; a spaced-out one only right after a letter (not "price ¨ tag")."""
    if m["gap"] and not m["before"]:
        return m[0]
    letter = "i" if m[4] == "\u0131" else m[4]
    return m["before"] + unicodedata.normalize("NFC", letter + SPACING_ACCENTS[m[2]])


def _horizontal(t: DrawnText) -> bool:
    (x0, y0), (x1, y1) = t.quad[0], t.quad[1]
    return x1 > x0 and abs(y1 - y0) <= 0.05 * (x1 - x0)


def read_page(doc: PdfDocument, index: int, dpi: float, refuse_tables: bool = False,
              tables: list[list[list[Box]]] | None = None, code: list[Box] | None = None,
              mask_images: bool = False) -> PageText:
    """Check page `index` of `doc` and put its text in reading order.

    Args:
        doc: an open PDF.
        index: the page, from 0.
        dpi: the resolution the page will be rendered at (boxes are in its pixels).
        refuse_tables: refuse a page with a ruled table (`PdfDocument.table_count`; its cells have no plain-text
            order), as a `--source` scan does once per page.
        tables: the page's tables, each its rows, each its cells' boxes left to right (points): read row by row.
        code: the boxes of the page's code blocks (points): their lines keep their indentation.
        mask_images: paint the page's raster images over (a real PDF's figures and logos may draw text of their
            own; a generated page's figures draw none), refusing a page whose text stands on one.

    Returns:
        the page's checked text.

    Raises:
        PageSkip: the page's text layer cannot be its target; `reason` says why.
    """
    texts = [DrawnText(clean(t.text), t.quad, t.score, t.page) for t in doc.texts(index, dpi, gaps=True)]
    texts = [t for t in texts if t.text]
    chars = sum(len(t.text.replace(" ", "")) for t in texts)
    if chars < MIN_CHARS:
        raise PageSkip("no_text_layer" if chars == 0 else "too_little_text", f"{chars} characters")
    if garbled := next((t.text for t in texts if GARBLED.search(t.text)), None):
        raise PageSkip("garbled_text_layer", garbled[:40])
    if symbols := doc.picture_font_letters(index):
        raise PageSkip("garbled_text_layer", f"picture-font glyphs read as {symbols[:20]!r}")
    hidden, total = doc.hidden_chars(index)
    if hidden > 0.01 * total:
        raise PageSkip("invisible_text", f"{hidden} of {total} characters are not drawn")
    if doc.image_coverage(index) > 0.5:
        raise PageSkip("scanned_page", "images cover over half of the page")
    stray = [t for t in texts if not _horizontal(t)]
    if sum(len(t.text) for t in stray) > MAX_STRAY * chars:
        raise PageSkip("vertical_text", f"{len(stray)} of {len(texts)} lines are not horizontal")
    kept = [t for t in texts if _horizontal(t)]
    width, height = (side * dpi / 72 for side in doc.page_size(index))
    if any(b[0] < -1 or b[1] < -1 or b[2] > width + 1 or b[3] > height + 1 for b in (t.bbox for t in kept)):
        raise PageSkip("clipped_text", "a line reaches outside the page")
    letters = [c for t in kept for c in t.text if unicodedata.category(c)[0] == "L"]
    foreign = [c for c in letters if not TAUGHT.match(c)]
    if len(foreign) > 0.01 * max(1, len(letters)):
        raise PageSkip("unsupported_script", "".join(dict.fromkeys(foreign))[:10])
    _check_overlaps(kept)
    if refuse_tables and (tables := doc.table_count(index)):
        raise PageSkip("table", f"{tables} ruled tables")
    blank = [t.bbox for t in stray]
    if any(_overlap(b, t.bbox) for b in blank for t in kept):
        raise PageSkip("vertical_text", "vertical text crosses horizontal lines")
    zoom = dpi / 72
    # a hairline drawn as an image holds no text and no place
    pictures = [_scaled(b, zoom) for b in doc.image_boxes(index) if min(b[2] - b[0], b[3] - b[1]) >= MIN_IMAGE_SIDE]
    if mask_images:
        # painted over like stray lines: what a figure or a logo draws in its pixels ("Figure 1 to paragraph
        # (h)(2)", a logo's "NEE") is in no text layer
        if on := next((t.text for b in pictures for t in kept if _overlap(b, t.bbox)), None):
            raise PageSkip("text_over_image", on[:40])
        blank += pictures
    if code:
        kept = _indented(doc, index, dpi, kept, [_scaled(b, zoom) for b in code])
    if tables:
        kept = _table_rows(kept, [[[_scaled(c, zoom) for c in row] for row in table] for table in tables])
    ordered = reading_order([t.bbox for t in kept], pictures)
    lines = [_join([kept[i] for i in row]) for row in ordered.rows]
    lang = text_lang("\n".join(t.text for t in lines), PAGE_SHARE)
    return PageText(lines, ordered.paragraphs, blank, lang, ordered.columns)


def _join(pieces: list[DrawnText], tight: bool = False) -> DrawnText:
    """One visual line from the pieces the text layer cut it into (left to right), a space between two (none when
    `tight`: the lines of a Chinese table cell)."""
    if len(pieces) == 1:
        return pieces[0]
    boxes = [t.bbox for t in pieces]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    text = ("" if tight else " ").join(t.text for t in pieces)
    return DrawnText(text, box_quad(*box), pieces[0].score, pieces[0].page)


def _scaled(box: Box, zoom: float) -> Box:
    return box[0] * zoom, box[1] * zoom, box[2] * zoom, box[3] * zoom


def _inside(box: Box, cell: Box) -> bool:
    """Whether a box's centre lies in `cell`."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]


def _table_rows(lines: list[DrawnText], tables: list[list[list[Box]]]) -> list[DrawnText]:
    """The lines with every table's lines replaced by one line per row: its cells left to right, one space apart,
    each cell's lines top to bottom (pieces of one baseline left to right).

    Raises:
        PageSkip: "table_overflow": a line lies across cells, its centre in none (two cramped header cells'
            "2023 年度" and "2022 年度" touching their rule, one line of the text layer, were left out of their
            row and written as a line of their own).
    """
    cells = [c for table in tables for row in table for c in row]
    out = [t for t in lines if not any(_inside(t.bbox, c) for c in cells)]
    for t in out:
        b = t.bbox
        if any(min(b[2], c[2]) > max(b[0], c[0]) and min(b[3], c[3]) - max(b[1], c[1]) > 0.5 * (b[3] - b[1])
               for c in cells):
            raise PageSkip("table_overflow", f"{t.text[:40]!r} lies across a table's cells")
    for table in tables:
        for row in table:
            cells = [sorted((t for t in lines if _inside(t.bbox, cell)), key=lambda t: (round(t.bbox[1]), t.bbox[0]))
                     for cell in row]
            pieces = [_join(cell, HAN.search(cell[0].text[-1:]) is not None) for cell in cells if cell]
            if pieces:
                out.append(_join(pieces))
    return out


def _indented(doc: PdfDocument, index: int, dpi: float, lines: list[DrawnText], code: list[Box]) -> list[DrawnText]:
    """The lines of code blocks with their indentation as spaces: the text layer draws it as leading spaces that
    a line's text loses, so it is measured from where the line's first glyph stands in its block, in the block's
    monospace advance."""
    glyphs = [g.bbox for g in doc.texts(index, dpi, unit="char")]
    out = []
    for t in lines:
        block = next((b for b in code if _inside(t.bbox, b)), None)
        own = [g for g in glyphs if _inside(g, t.bbox)] if block else []
        if not own:
            out.append(t)
            continue
        advance = median(g[2] - g[0] for g in own)
        indent = round((min(g[0] for g in own) - block[0]) / advance)
        out.append(DrawnText(" " * max(0, indent) + t.text, t.quad, t.score, t.page))
    return out
