"""PDF pages to pixels and boxed text with PyMuPDF (MuPDF): the one PDF rasteriser every engine shares.

The trade-off: MuPDF renders in-process, from bytes, in milliseconds, and reads the text layer with
exact boxes, where poppler's `pdftoppm` costs a process and a file round trip per page (LaTeX
batches of 40 snippets would pay it 40 times) and gives no text. The price is C code in our
process: a PDF that crashes MuPDF takes its caller down, so a reader of untrusted PDFs at scale
wraps its calls in `renderers.isolated.Isolated`. Our own LaTeX output is trusted enough to
render directly.

Coordinates: `clip` is in PDF points on the page as displayed (its /Rotate applied, y down, origin
at the top-left of the crop box), the space PyMuPDF calls `page.rect`; texts come back in pixels
of the image that `render` draws for the same (dpi, clip), so a box drawn on that image frames its
text. A line's quad starts at the text's own top-left (a line written upwards starts at the bottom
left), its box axis-aligned; text at other than quarter-turn angles gets its axis-aligned box.

Output is deterministic: the same PDF, page, dpi and clip give the same pixels (no alpha, RGB,
MuPDF's default anti-aliasing, which nothing here changes).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import pymupdf
from PIL import Image

from renderers.errors import RenderError
from renderers.result import DrawnText, Quad, Rendered
from renderers.scripts import CJK

Clip = tuple[float, float, float, float]  # left, top, right, bottom in points, y down
TEXT_UNITS = ("line", "word", "char")
# Fonts whose glyphs are pictures (stars, arrows, hands): a glyph's code is a letter slot, so without a ToUnicode map
# the text layer says "$" for a drawn star (texlive's ctex.pdf: every option's "☆" reads "$" in Dingbats).
PICTURE_FONTS = ("dingbat", "zapf", "wingding", "webding", "pzd")
# ems: a wider gap between two glyphs that no space glyph holds shows as a space (a space glyph is 0.25 em; TeX sets
# 0.28 around a relation, 0.22 around a binary operator; an italic f's overhang leaves under 0.18 before a bracket)
GAP = 0.2
CJK_GAP = 0.5  # ems between two Chinese glyphs: a heading's "第一节  重要提示"; a justified line spreads them far less


@dataclass(frozen=True)
class PdfConfig:
    """How pages are rasterised and which documents are accepted.

    Attributes:
        dpi: default resolution (72 dpi is one pixel per point; zoom = dpi / 72).
        max_pixels: a page (or clip) larger than this at the asked dpi is refused as "page_too_large"
            rather than allocating gigabytes (a 200 x 200 inch page at 300 dpi is 3.6 gigapixels).
        allow_repaired: accept a document MuPDF had to repair (broken cross-reference table, often a
            truncated file); off by default because a repaired file may silently lose content.
    """

    dpi: float = 150.0
    max_pixels: int = 60_000_000
    allow_repaired: bool = False

    def __post_init__(self) -> None:
        if not (self.dpi > 0 and self.max_pixels > 0):
            raise ValueError(f"PdfConfig needs dpi > 0 and max_pixels > 0, got dpi={self.dpi}, "
                             f"max_pixels={self.max_pixels}")


def _source_name(source: bytes | str | os.PathLike) -> str:
    return f"{len(source)} bytes" if isinstance(source, (bytes, bytearray)) else os.fspath(source)


class PdfDocument:
    """An open PDF whose pages render to PIL images and whose text comes back as `DrawnText`s.

    Args:
        source: the PDF's bytes, or a path to it.
        config: rasterising defaults and limits.

    Raises:
        RenderError: "pdf_unreadable" for data that is not a PDF or has no pages, "pdf_encrypted"
            for a document that needs a password, "pdf_damaged" for one MuPDF had to repair
            (unless `config.allow_repaired`).
        FileNotFoundError: `source` is a path that does not exist.
    """

    def __init__(self, source: bytes | str | os.PathLike, config: PdfConfig | None = None) -> None:
        self.config = config or PdfConfig()
        name = _source_name(source)
        if not isinstance(source, (bytes, bytearray)) and not os.path.isfile(source):
            raise FileNotFoundError(f"no PDF at {name}")
        try:
            if isinstance(source, (bytes, bytearray)):
                self._doc = pymupdf.open(stream=bytes(source), filetype="pdf")
            else:
                self._doc = pymupdf.open(os.fspath(source), filetype="pdf")
        except (pymupdf.FileDataError, RuntimeError) as exc:
            raise RenderError("pdf_unreadable", f"{name}: {exc}") from None
        if not self._doc.is_pdf:  # MuPDF sniffs the content and opens images and e-books too
            self.close()
            raise RenderError("pdf_unreadable", f"{name} is not a PDF but {self._doc.metadata['format']}")
        if self._doc.needs_pass:
            self.close()
            raise RenderError("pdf_encrypted", f"{name} needs a password")
        if self._doc.is_repaired and not self.config.allow_repaired:
            self.close()
            raise RenderError("pdf_damaged", f"{name} is damaged (MuPDF repaired its cross-references)")
        if self._doc.page_count == 0:
            self.close()
            raise RenderError("pdf_unreadable", f"{name} has no pages")

    def __len__(self) -> int:
        return self._doc.page_count

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release MuPDF's document; the object is unusable afterwards."""
        self._doc.close()

    def page_size(self, index: int) -> tuple[float, float]:
        """The page's (width, height) in points, as displayed (rotation applied)."""
        rect = self._doc[index].rect
        return rect.width, rect.height

    def _frame(self, page: pymupdf.Page, dpi: float | None, clip: Clip | None) -> tuple[pymupdf.Rect, pymupdf.Matrix]:
        """The (clip rectangle in displayed points, zoom matrix) of a render, checked against the limits."""
        zoom = (dpi or self.config.dpi) / 72.0
        rect = page.rect if clip is None else pymupdf.Rect(clip) & page.rect
        if rect.is_empty:
            raise ValueError(f"clip {clip} does not overlap the page {tuple(page.rect)}")
        matrix = pymupdf.Matrix(zoom, zoom)
        pixels = (rect * matrix).irect
        if pixels.width * pixels.height > self.config.max_pixels:
            raise RenderError("page_too_large", f"page {page.number}: {pixels.width}x{pixels.height} px "
                                                f"over the {self.config.max_pixels} px limit")
        return rect, matrix

    def render(self, index: int, dpi: float | None = None, clip: Clip | None = None) -> Image.Image:
        """Rasterise one page (or the part of it inside `clip`).

        Args:
            index: the page, from 0.
            dpi: resolution; `config.dpi` when None.
            clip: the part to draw, in displayed points; the whole page when None.

        Returns:
            An RGB image, (clip width x dpi / 72) by (clip height x dpi / 72) pixels, rounded outwards.

        Raises:
            RenderError: "page_too_large" when the image would exceed `config.max_pixels`.
            ValueError: `clip` misses the page.
        """
        page = self._doc[index]
        rect, matrix = self._frame(page, dpi, clip)
        pix = page.get_pixmap(matrix=matrix, clip=rect, alpha=False, colorspace=pymupdf.csRGB)
        return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)

    def hidden_chars(self, index: int) -> tuple[int, int]:
        """How much of the page's text layer is not drawn: (invisible characters, all characters).

        Invisible means text render mode 3 (the OCR layer laid over a scanned image) or full transparency:
        such text is in the text layer but not in the pixels.

        Args:
            index: the page, from 0.

        Returns:
            (characters drawn invisibly or transparently, characters in the text layer).
        """
        hidden = total = 0
        for span in self._doc[index].get_texttrace():
            n = len(span["chars"])
            total += n
            if span["type"] == 3 or span["opacity"] == 0:
                hidden += n
        return hidden, total

    def picture_font_letters(self, index: int) -> str:
        """The ASCII characters the page's text layer gives for glyphs of a picture font (`PICTURE_FONTS`): each is
        a symbol the page draws and the text layer names wrongly; a mapped one (a star as U+2606) is not ASCII."""
        return "".join(chr(c[0]) for span in self._doc[index].get_texttrace()
                       if any(name in span["font"].lower() for name in PICTURE_FONTS)
                       for c in span["chars"] if 32 < c[0] < 127)

    def image_coverage(self, index: int) -> float:
        """The share of the page's area covered by raster images (summed, capped at 1): near 1 for a scan."""
        page = self._doc[index]
        area = abs(page.rect) or 1.0
        covered = sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info())
        return min(1.0, covered / area)

    def image_boxes(self, index: int) -> list[tuple[float, float, float, float]]:
        """The boxes (x0, y0, x1, y1, in points from the page's top-left, clipped to it) of the page's raster
        images: a figure or logo may hold text of its own that the text layer does not (a scanned chart, a logo)."""
        page = self._doc[index]
        return [tuple(pymupdf.Rect(info["bbox"]) & page.rect) for info in page.get_image_info()
                if not (pymupdf.Rect(info["bbox"]) & page.rect).is_empty]

    def figure_boxes(self, index: int) -> list[tuple[float, float, float, float]]:
        """The boxes (as `image_boxes`) of the page's drawn figures: raster images, and clusters of vector graphics
        (`Page.cluster_drawings`, an included PDF's and a TikZ picture's alike) that hold a curve or a slanted line,
        as a plot or a diagram's arrows do; a table's rules, a fraction bar or a radical's rule never does."""
        page = self._doc[index]
        drawings = page.get_drawings()
        drawn = [pymupdf.Rect(d["rect"]) for d in drawings if any(_figure_like(item) for item in d["items"])]
        clusters = page.cluster_drawings(drawings=drawings) if drawn else []
        boxes = [tuple(c & page.rect) for c in clusters if any(c.intersects(r) or c.contains(r) for r in drawn)]
        return self.image_boxes(index) + [b for b in boxes if not pymupdf.Rect(b).is_empty]

    def table_count(self, index: int) -> int:
        """How many ruled tables MuPDF's table finder (`Page.find_tables`, the pdfplumber algorithm) sees on the
        page: a table's cells have no plain-text reading order (its text layer reads them column by column,
        header cells glued), so a plain-text reader refuses such a page. About 0.3-0.9 CPU-seconds a page."""
        return len(self._doc[index].find_tables().tables)

    def texts(self, index: int, dpi: float | None = None, clip: Clip | None = None,
              unit: str = "line", page: int = 0, gaps: bool = False) -> list[DrawnText]:
        """The page's text layer, in pixels of `render(index, dpi, clip)`.

        Args:
            index: the page, from 0.
            dpi: resolution of the image the boxes refer to; `config.dpi` when None.
            clip: as for `render`; only text overlapping it is returned, whole: a text the clip cuts
                keeps its full box, which then reaches outside the image (the caller decides).
            unit: "line" (MuPDF's lines), "word" (MuPDF's words: runs between spaces) or "char" (each
                glyph, with the box MuPDF gives it: its advance by the font's full height).
            page: the `DrawnText.page` to record (the image's place in the caller's result).
            gaps: a line says a space where the page shows one and no space glyph holds it (`_spaced`); off by
                default, as the text layer says.

        Returns:
            One `DrawnText` per non-blank line, word or character, in the PDF's content order.

        Raises:
            ValueError: an unknown `unit`, or a `clip` that misses the page.
        """
        if unit not in TEXT_UNITS:
            raise ValueError(f"unit must be one of {TEXT_UNITS}, got {unit!r}")
        pdf_page = self._doc[index]
        rect, matrix = self._frame(pdf_page, dpi, clip)
        origin = (rect * matrix).irect
        to_pixels = pdf_page.rotation_matrix * matrix * pymupdf.Matrix(1, 0, 0, 1, -origin.x0, -origin.y0)
        textpage = pdf_page.get_textpage(clip=rect * pdf_page.derotation_matrix)
        if unit == "line" and gaps:
            items = [(_spaced(line), line["bbox"], line["dir"]) for b in textpage.extractRAWDICT()["blocks"]
                     for line in b.get("lines", [])]
        elif unit == "line":
            items = [("".join(s["text"] for s in line["spans"]), line["bbox"], line["dir"])
                     for b in textpage.extractDICT()["blocks"] for line in b.get("lines", [])]
        elif unit == "char":
            items = [(c["c"], c["bbox"], line["dir"]) for b in textpage.extractRAWDICT()["blocks"]
                     for line in b.get("lines", []) for span in line["spans"] for c in span["chars"]]
        else:
            lines = {(b["number"], n): line for b in textpage.extractDICT()["blocks"]
                     for n, line in enumerate(b.get("lines", []))}
            items = [(w[4], w[:4], lines[(w[5], w[6])]["dir"]) for w in textpage.extractWORDS()]
        return [DrawnText(text.strip(), _quad(bbox, direction, to_pixels), page=page)
                for text, bbox, direction in items if text.strip()]


def _figure_like(item: tuple) -> bool:
    """Whether a drawing's path item is a curve or a slanted line (a quad or a rectangle is neither)."""
    if item[0] == "c":
        return True
    if item[0] != "l":
        return False
    (x0, y0), (x1, y1) = item[1], item[2]
    return abs(x1 - x0) > 0.5 and abs(y1 - y0) > 0.5


def _spaced(line: dict) -> str:
    """A text layer line's text, with a space where the page shows one that no space glyph holds: "2018 年04 月"
    drawn as "2018 年 04 月" (a gap of a quarter em after 年, a positioned move), a real paper's "S ⊂Range(κ)" and
    "trading it oﬀagainst" (TeX's math spacing, and a word space after a ligature, are moves, not glyphs). Two Chinese
    glyphs are parted only by a gap of `CJK_GAP` or more: a justified Chinese line spreads its glyphs a little apart,
    and a reader writes no space there."""
    chars = [c for span in line["spans"] for c in span["chars"]]
    size = max((span["size"] for span in line["spans"]), default=0.0)
    out = [c["c"] for c in chars[:1]]
    for before, c in zip(chars, chars[1:]):
        if " " not in (before["c"], c["c"]):
            gap = CJK_GAP if CJK.match(before["c"]) and CJK.match(c["c"]) else GAP
            if c["bbox"][0] - before["bbox"][2] >= gap * size:
                out.append(" ")
        out.append(c["c"])
    return "".join(out)


def _quad(bbox: tuple[float, ...], direction: tuple[float, float], to_pixels: pymupdf.Matrix) -> Quad:
    """The box's corners in pixels, clockwise from the text's top-left (its direction rounded to quarter turns)."""
    x0, y0, x1, y1 = bbox
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # top-left first for left-to-right text
    turns = round(math.degrees(math.atan2(direction[1], direction[0])) / 90) % 4
    a, b, c, d, e, f = to_pixels  # plain arithmetic: pymupdf.Point * Matrix costs 30 us, a page has 3,000 glyphs
    return tuple((round(a * x + c * y + e, 2), round(b * x + d * y + f, 2))
                 for x, y in corners[turns:] + corners[:turns])


def render_pdf(source: bytes | str | os.PathLike, pages: list[int] | None = None, dpi: float | None = None,
               clip: Clip | None = None, unit: str = "line", config: PdfConfig | None = None) -> Rendered:
    """Rasterise pages of a PDF with their text layer, in one call.

    Args:
        source: the PDF's bytes, or a path to it.
        pages: which pages (from 0); all when None.
        dpi: resolution; `config.dpi` when None.
        clip: the same part of every page, in displayed points; whole pages when None.
        unit: "line" or "word", as for `PdfDocument.texts`.
        config: rasterising defaults and limits.

    Returns:
        One image per page, every text with its box on the image it lies on (`DrawnText.page`), and
        `info` holding the dpi and each page's size in points.

    Raises:
        RenderError: as `PdfDocument` and `PdfDocument.render` raise it.
    """
    with PdfDocument(source, config) as doc:
        indices = list(range(len(doc))) if pages is None else pages
        dpi = dpi or doc.config.dpi
        images = [doc.render(i, dpi, clip) for i in indices]
        texts = [t for k, i in enumerate(indices) for t in doc.texts(i, dpi, clip, unit, page=k)]
        sizes = [list(doc.page_size(i)) for i in indices]
    return Rendered(images, texts, {"renderer": "pymupdf", "dpi": dpi, "pages_pt": sizes})


def render_svg(svg: str) -> Image.Image:
    """Draw an SVG document on white, one pixel per SVG pixel (an SVG wanting another colour paints it).

    Why beside `renderers.svg` (resvg): MuPDF drew Verovio's scores about ten times faster (5 vs 56
    ms a system, same run) and hands back raw pixels where resvg-py encodes a PNG. The price: MuPDF reads
    no CSS (`<style>`, `class`), draws no dashes (`stroke-dasharray`) and draws words only in its
    own built-in faces, so it is for SVG whose looks are all in attributes and that has no words
    to draw in a chosen font; the caller translates what it must (see `renderers.verovio`,
    `renderers.rdkit`). Drawing on white rather than compositing onto a colour keeps a third of
    the time: a caller puts its background in the SVG as a rect.

    Raises:
        RenderError: "svg_invalid" when MuPDF cannot read the document.
    """
    try:
        # No filetype: MuPDF recognises SVG by its content, and PyMuPDF then skips converting the whole
        # document to PDF to vet it (its guard against broken SVG files; here twice the drawing's time).
        # So this is for SVG a program of ours wrote, not for untrusted files.
        with pymupdf.open(stream=svg.encode()) as doc:
            if doc.metadata.get("format") != "SVG":
                raise ValueError(f"not an SVG document (MuPDF read it as {doc.metadata.get('format')})")
            pixmap = doc[0].get_pixmap(alpha=False)
    except (RuntimeError, ValueError) as exc:  # MuPDF's errors are RuntimeErrors
        raise RenderError("svg_invalid", f"{exc}: {svg[:80]}") from None
    return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
