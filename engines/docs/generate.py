"""The built-in source: one-page PDFs of real prose in varied layouts, laid out by MuPDF's own HTML engine (Story).

A page is drawn from (rng, lang): page size, margins, 1-3 columns and their gutter, a face and size, line
spacing, alignment; an optional title across the columns, running header and footer, section headings, lists
and a footnote; the body is consecutive paragraphs of the Debian Reference (`engines.prose`) from a random
place, with real headings between them, flowed column after column until the page is full (a paragraph the
page cuts stops where the page ends). The PDF's bytes are then read by the same path as a user's PDFs
(`engines.docs.page`), so the target comes from the PDF's text layer, not from the HTML.

Faces: DejaVu Sans/Serif and MuPDF's built-in Times and Helvetica clones for English; Noto Sans/Serif CJK SC
(Debian's fonts-noto-cjk) for Chinese. MuPDF cannot pick a face out of a `.ttc` collection, so the SC face is
copied out once per process with fontTools (about 4 s and 24 MB a face), without its GSUB table,
whose contextual forms draw some digits with glyphs that map back to no character, and with one code point per
glyph (`one_code_point_per_glyph`), so the text layer reads back the code points the prose holds; pages are
written uncompressed because deflating the embedded CJK face costs a second a page.
"""

from __future__ import annotations

import functools
import html
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import pymupdf

from engines import prose
from renderers.fonts import font_file

PAGE_SIZES = {"a4": (595, 842), "letter": (612, 792), "a5": (420, 595), "b5": (499, 709)}
FACES = {"en": ("dejavu-serif", "dejavu-sans", "times", "helvetica"), "zh": ("noto-serif-cjk", "noto-sans-cjk")}
BUILTIN = {"times": "serif", "helvetica": "sans-serif"}  # MuPDF's own Nimbus faces, by CSS generic name
LIST_MARKS = "•0123456789."  # what MuPDF draws before the items of <ul> and <ol>
MIN_COLUMN = 150  # points: narrower columns break lines every few words


@dataclass(frozen=True)
class Layout:
    """The drawn choices of one generated page (recorded in the sample's meta)."""

    paper: str
    margin: float
    columns: int
    gutter: float
    face: str
    size: float
    leading: float
    justify: bool
    title: bool
    header: bool
    footer: bool
    footnote: bool
    start: int  # first paragraph of the prose corpus

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@functools.cache
def _archive(face: str) -> tuple[pymupdf.Archive, str]:
    """(an Archive holding the face's file, the CSS font-family naming it); built-in faces need no file."""
    archive = pymupdf.Archive()
    if face in BUILTIN:
        return archive, BUILTIN[face]
    from fontTools.ttLib import TTCollection, TTFont

    path, index = font_file(face)
    # No bounding boxes recomputed: reading the cmap loads the CFF table (for glyph names), and recomputing
    # its boxes on save decodes all 65,000 glyphs (60 CPU-seconds a face); no timestamp, for the same bytes.
    keep = {"recalcBBoxes": False, "recalcTimestamp": False}
    font = TTCollection(path, **keep).fonts[index] if path.endswith(".ttc") else TTFont(path, **keep)
    if "GSUB" in font:  # its contextual forms map some digits to glyphs with no code point (U+F63C for "1")
        del font["GSUB"]
    one_code_point_per_glyph(font)
    buffer = io.BytesIO()
    font.save(buffer)
    archive.add(buffer.getvalue(), f"{face}.otf")
    return archive, face


def one_code_point_per_glyph(font: Any) -> dict[int, int]:
    """Leave each glyph of a fontTools font mapped by one code point: the lowest canonical one (NFC keeps it).

    Why: MuPDF writes a PDF's ToUnicode map by walking the face's cmap, so a glyph several code points share
    reads back as the last of them, whatever the text said. Noto CJK gives 不 (U+4E0D) the glyph of U+F967,
    a compatibility ideograph, "-" that of U+2011, "•" that of U+30FB: the drawn page's text layer said
    U+F967, U+2011, U+30FB where the prose said 不, -, •. With one code point per glyph, the others are
    drawn from MuPDF's fallback faces, whose glyphs map back to them.

    Returns:
        the code points taken out, each with the one now naming its glyph.
    """
    best = font.getBestCmap()
    keep: dict[str, int] = {}
    for code, glyph in sorted(best.items()):
        if glyph not in keep or (unicodedata.normalize("NFC", chr(keep[glyph])) != chr(keep[glyph])
                                 and unicodedata.normalize("NFC", chr(code)) == chr(code)):
            keep[glyph] = code
    dropped = {code: keep[glyph] for code, glyph in best.items() if keep[glyph] != code}
    for table in font["cmap"].tables:
        if table.format != 14:  # variation sequences name glyphs of code points, not code points of glyphs
            table.cmap = {c: g for c, g in table.cmap.items() if c not in dropped}
    return dropped


def _css(face: str, family: str, layout: Layout) -> str:
    src = "" if face in BUILTIN else f"@font-face {{font-family: {family}; src: url({face}.otf);}}\n"
    align = "justify" if layout.justify else "left"
    return (f"{src}* {{font-family: {family}; font-size: {layout.size:.1f}pt; line-height: {layout.leading:.2f};}}\n"
            f"p, li {{text-align: {align}; margin: 0 0 {layout.size * 0.5:.1f}pt 0;}}\n"
            f"h1 {{font-size: {layout.size * 1.7:.1f}pt; text-align: center; margin: 0 0 {layout.size:.1f}pt 0;}}\n"
            f"h2 {{font-size: {layout.size * 1.25:.1f}pt; "
            f"margin: {layout.size * 0.6:.1f}pt 0 {layout.size * 0.4:.1f}pt 0;}}\n"
            f".small, .small * {{font-size: {max(6.5, layout.size * 0.75):.1f}pt;}}\n")


def draw_layout(rng: np.random.Generator, lang: str, source: str) -> Layout:
    """Draw a page's layout choices."""
    paper = str(rng.choice(list(PAGE_SIZES)))
    margin = float(rng.uniform(36, 80))
    width = PAGE_SIZES[paper][0] - 2 * margin
    gutter = float(rng.uniform(14, 30))
    fits = [c for c in (1, 2, 3) if (width - (c - 1) * gutter) / c >= MIN_COLUMN]
    columns = int(rng.choice(fits, p=None if len(fits) == 1 else np.full(len(fits), 1 / len(fits))))
    return Layout(paper=paper, margin=round(margin, 1), columns=columns, gutter=round(gutter, 1),
                  face=str(rng.choice(FACES[lang])), size=round(float(rng.uniform(8.5, 12)), 1),
                  leading=round(float(rng.uniform(1.15, 1.5)), 2), justify=bool(rng.random() < 0.5),
                  title=bool(rng.random() < 0.5), header=bool(rng.random() < 0.6), footer=bool(rng.random() < 0.7),
                  footnote=bool(rng.random() < 0.4), start=int(rng.integers(len(prose.paragraphs(lang, source)))))


def _body(rng: np.random.Generator, lang: str, layout: Layout, chars: int, source: str) -> str:
    """HTML for about `chars` characters of consecutive paragraphs, with headings and the odd list."""
    paragraphs, heads = prose.paragraphs(lang, source), prose.headings(lang, source)
    parts, total, k = [], 0, layout.start
    while total < chars:
        text = paragraphs[k % len(paragraphs)]
        k += 1
        roll = rng.random()
        if roll < 0.15:
            parts.append(f"<h2>{html.escape(heads[int(rng.integers(len(heads)))])}</h2>")
        if roll > 0.88:
            items = _short(paragraphs, k, int(rng.integers(2, 5)))
            tag = "ol" if rng.random() < 0.5 else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + f"</{tag}>")
            total += sum(len(i) for i in items)
        parts.append(f"<p>{html.escape(text)}</p>")
        total += len(text)
    return "".join(parts)


def _short(paragraphs: list[str], start: int, n: int, most: int = 200) -> list[str]:
    """The first `n` paragraphs from `start` on of at most `most` characters: list items are whole paragraphs."""
    found: list[str] = []
    for k in range(start, start + len(paragraphs)):
        if len(found) == n:
            break
        if len(paragraphs[k % len(paragraphs)]) <= most:
            found.append(paragraphs[k % len(paragraphs)])
    return found


def _place(dev: pymupdf.Device, markup: str, css: str, archive: pymupdf.Archive, rect: pymupdf.Rect,
           bottom: bool = False) -> pymupdf.Rect:
    """Lay out a small HTML box in `rect` (against its bottom edge when `bottom`); returns the area it filled."""
    story = pymupdf.Story(markup, user_css=css, archive=archive)
    filled = pymupdf.Rect(story.place(rect)[1])
    if bottom:
        story = pymupdf.Story(markup, user_css=css, archive=archive)
        filled = pymupdf.Rect(rect.x0, rect.y1 - filled.height, rect.x1, rect.y1)
        story.place(filled)
    story.draw(dev)
    return filled


def generate_page(rng: np.random.Generator, lang: str, source: str = prose.DEFAULT) -> tuple[bytes, Layout, str]:
    """A one-page PDF of real prose in `lang`, and the layout it was drawn with.

    Args:
        rng: the sample's generator (the only randomness used).
        lang: "en" or "zh".
        source: the prose's source, a key of `engines.prose.SOURCES`.

    Returns:
        (the PDF's bytes, its layout, the text it draws: the characters its text layer may read back).
    """
    layout = draw_layout(rng, lang, source)
    width, height = PAGE_SIZES[layout.paper]
    archive, family = _archive(layout.face)
    face = layout.face
    css = _css(face, family, layout)
    area = pymupdf.Rect(layout.margin, layout.margin, width - layout.margin, height - layout.margin)
    # a little more than the page holds (an em square per Chinese character, about half of one per Latin letter)
    per_page = int(area.width * area.height / (layout.size ** 2 * layout.leading) * (2.5 if lang == "en" else 1.2))
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer, "")  # uncompressed: see the module docstring
    dev = writer.begin_page(pymupdf.Rect(0, 0, width, height))
    heads, paragraphs = prose.headings(lang, source), prose.paragraphs(lang, source)
    drawn: list[str] = []  # every markup placed
    top, bottom = area.y0, area.y1
    if layout.header:
        band = pymupdf.Rect(area.x0, area.y0 * 0.4, area.x1, area.y0 - 4)
        drawn.append(markup := f"<p class='small'>{html.escape(heads[layout.start % len(heads)])}</p>")
        _place(dev, markup, css, archive, band)
    if layout.footer:
        band = pymupdf.Rect(area.x0, area.y1 + 4, area.x1, height - area.y0 * 0.3)
        number = int(rng.integers(1, 400))
        drawn.append(markup := f"<p class='small' style='text-align: center'>{number}</p>")
        _place(dev, markup, css, archive, band)
    if layout.title:
        title = heads[int(rng.integers(len(heads)))]
        drawn.append(markup := f"<h1>{html.escape(title)}</h1>")
        top = _place(dev, markup, css, archive, area).y1 + layout.size
    if layout.footnote:
        note = _short(paragraphs, layout.start + 7919, 1)[0]
        drawn.append(markup := f"<p class='small'>1 {html.escape(note)}</p>")
        bottom = _place(dev, markup, css, archive,
                        pymupdf.Rect(area.x0, top, area.x1, area.y1), bottom=True).y0 - layout.size
    drawn.append(body := _body(rng, lang, layout, per_page, source))
    story = pymupdf.Story(body, user_css=css, archive=archive)
    column = (area.width - (layout.columns - 1) * layout.gutter) / layout.columns
    for c in range(layout.columns):
        x0 = area.x0 + c * (column + layout.gutter)
        more, _ = story.place(pymupdf.Rect(x0, top, x0 + column, bottom))
        story.draw(dev)
        if not more:
            break
    writer.end_page()
    writer.close()
    return buffer.getvalue(), layout, LIST_MARKS + html.unescape(prose.TAG.sub(" ", " ".join(drawn)))
