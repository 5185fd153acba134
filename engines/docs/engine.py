"""The `docs` and `doc_slices` engines: plain OCR (`OCR: `) of document pages and of line and paragraph slices.

The paper's Fitz path: PDF pages rendered with PyMuPDF, their target the page's text layer in reading order.
Pages come from a user's PDFs (`--source`, scanned and checked once: `engines.docs.source`) or from generated
one-page PDFs of real prose (`engines.docs.content`), and both go through the same reader
(`engines.docs.page`). `--unit` chooses what one sample shows: the whole page, one paragraph or one line cut
out by its box (each with its own text), or `slice` (half paragraphs, half lines). `doc_slices` is the same
engine whose default unit is `slice`, so the stage-1 mix's two document sources are two builds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image, ImageDraw

from engines import prose
from engines.base import Draw, Engine, EngineConfig, Lang, Resources, Sample, SampleError, one_by_one
from engines.docs.content import Generated, generate_page
from engines.docs.page import PageText, read_page
from engines.docs.source import SourcePage, scan
from renderers.pymupdf import PdfDocument
from tokenizer.protocol import PROMPT_PLAIN

Unit = Literal["page", "paragraph", "line", "slice"]
MIN_SIDE = 16  # pixels: thinner slices are left out
MIN_LETTERS = 3  # a slice of a lone bullet or page number teaches nothing
INK_CONTRAST = 32  # grey levels between a line box's lightest and darkest pixel for its text to show


def check_columns(read: int, laid_out: int) -> None:
    """A generated page must be read in as many columns as it was laid out in: a narrow table atop the third column
    beside the second's text made one visual line of both ("program in it is executed upon Package Priority"), the
    page read in two columns and its title after the first (2 of 80 pages; the validator's order check caught both).

    Raises:
        SampleError: "columns_misread", the page is drawn again.
    """
    if read < laid_out:
        raise SampleError("columns_misread", f"{laid_out} columns read as {read}")


@dataclass
class DocsConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a PDF or a folder of PDFs to draw pages from instead of generated ones; files that are not "
                "PDFs, truncated, empty or encrypted, and pages without a usable text layer, are skipped and counted"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh: the language of generated pages; with --source, keeps only pages "
                "in that language (zh: a tenth of the characters or more are Chinese)"})
    unit: Unit = field(default="page", metadata={
        "help": "page (the whole page), paragraph, line, or slice (half paragraphs, half lines): "
                "what one sample shows"})
    prose: prose.Source = field(default=prose.DEFAULT, metadata={"help": prose.HELP})
    dpi: float = field(default=150.0, metadata={"help": "resolution pages are rendered at (72-600)"})
    cross_check: bool = field(default=True, metadata={
        "help": "with --source, also read each page with pdfminer.six and skip pages where the two extractors "
                "disagree (about 0.12 CPU-seconds a page, once per worker)"})
    source_hint: ClassVar[str] = "a PDF or a folder of PDFs"

    def validate(self) -> None:
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"--dpi must be between 72 and 600, got {self.dpi}")


@dataclass
class DocSlicesConfig(DocsConfig):
    unit: Unit = field(default="slice", metadata={
        "help": "slice (half paragraphs, half lines), paragraph, line or page: what one sample shows"})


@functools.lru_cache(maxsize=8)
def _open(path: Path) -> PdfDocument:
    """A source PDF, kept open for the next samples of the same file (the scan has already accepted it)."""
    return PdfDocument(path)


class DocsEngine(Engine):
    """Document pages (or their slices) in English and Chinese, from PDFs read by PyMuPDF."""

    name = "docs"
    Config = DocsConfig
    resources = Resources(cpus=1.0, memory_mb=1024)
    packages = ("pymupdf", "pdfminer.six", "fonttools")

    def __init__(self, config: DocsConfig | None = None) -> None:
        super().__init__(config)
        self.pages: list[SourcePage] = []
        if self.config.source:
            found = scan(self.config.source, self.config.lang, self.config.dpi, self.config.cross_check)
            self.pages = self.use_source(found, f"page with --lang {self.config.lang}",
                                         "give PDFs with a text layer, or widen --lang")

    def _page(self, rng: np.random.Generator, index: int,
              attempt: int) -> tuple[PdfDocument, int, dict[str, Any], Generated | None]:
        """The document and page sample `index` draws, what to record about where it came from, and for a
        generated page what the generator drew (None for a `--source` page)."""
        if self.pages:
            item = self.source_item(self.pages, index, attempt)
            root = Path(self.config.source)
            name = item.path.relative_to(root).as_posix() if root.is_dir() else item.path.name
            return _open(item.path), item.page, {"source": name, "page": item.page, "layout": None}, None
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        made = generate_page(rng, lang, self.config.prose)
        return PdfDocument(made.pdf), 0, {"source": "built-in", "page": 0, "layout": made.layout.to_dict()}, made

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        cfg = self.config
        doc, page, origin, made = self._page(rng, index, attempt)
        drawn = made.drawn if made else None
        try:
            text = read_page(doc, page, cfg.dpi, tables=made.tables if made else None,
                             code=made.code if made else None, mask_images=made is None)
            if made is not None:
                check_columns(text.columns, made.layout.columns)
            unit = cfg.unit if cfg.unit != "slice" else ("paragraph" if rng.random() < 0.5 else "line")
            image, target, placed = self._draw(rng, doc, page, text, unit)
            if drawn is not None and (stray := set(target) - set(drawn) - set(" \n")):
                # a generated page's text layer may only read back what was drawn: anything else is a glyph
                # the PDF maps to the wrong code point (see faces.one_code_point_per_glyph)
                raise SampleError("unmapped_glyph", " ".join(f"U+{ord(c):04X}" for c in sorted(stray)))
        finally:
            if not self.pages:
                doc.close()  # a generated page's PDF holds its whole embedded face (24 MB for CJK)
        meta = {"lang": text.lang, "unit": unit, "dpi": cfg.dpi, "columns": text.columns, "renderer": "pymupdf",
                **origin, **placed}
        return Sample(images=[image], prompt=PROMPT_PLAIN, target=target, task="plain", meta=meta)

    def _draw(self, rng: np.random.Generator, doc: PdfDocument, page: int, text: PageText,
              unit: str) -> tuple[Image.Image, str, dict[str, Any]]:
        """(image, target, meta) for the whole page or one slice of it.

        The meta holds `box`, the image's place on the page in page pixels, and `boxes`, each target line's
        box in the image's pixels (what `pipelines.readers.text` cuts out to read line by line).
        """
        scale = 72 / self.config.dpi  # page pixels -> PDF points
        if unit == "page":
            image = doc.render(page, self.config.dpi)
            draw = ImageDraw.Draw(image)
            for box in text.blank:
                draw.rectangle([box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1], fill="white")
            box, group = (0.0, 0.0, float(image.width), float(image.height)), list(range(len(text.lines)))
        else:
            slices = [(b, g) for b, g in text.slices(unit) if min(b[2] - b[0], b[3] - b[1]) >= MIN_SIDE
                      and sum(c.isalpha() for i in g for c in text.lines[i].text) >= MIN_LETTERS]
            if not slices:
                raise SampleError(f"no_{unit}_slice", "no slice can be cut without touching another line")
            box, group = slices[int(rng.integers(len(slices)))]
            image = doc.render(page, self.config.dpi, clip=tuple(v * scale for v in box))
        x0, y0 = math.floor(box[0] + 1e-6), math.floor(box[1] + 1e-6)  # the image's origin (MuPDF rounds outwards)
        boxes = {i: [round(v - o, 1) for v, o in zip(text.lines[i].bbox, (x0, y0, x0, y0))] for i in group}
        # A text layer can hold lines nothing shows (white on white, under an image): a page leaves them
        # out of its target, a slice is drawn again elsewhere. A glyph nothing shows inside a line that
        # does show (a space glyph whose text says 制) refuses the draw.
        grey = np.asarray(image.convert("L"))
        hidden = [i for i in group if _blank(grey, boxes[i])]
        if hidden and (unit != "page" or len(hidden) == len(group)):
            raise SampleError("invisible_text", text.lines[hidden[0]].text[:40])
        shown = [i for i in group if i not in hidden]
        glyphs = [(g.text, g.bbox) for g in doc.texts(page, self.config.dpi, clip=tuple(v * scale for v in box),
                                                       unit="char")]
        glyphs = [(c, b) for c, b in glyphs if b[2] - b[0] >= 1]  # MuPDF gives a ligature's second letter no width
        if glyphs and shown:
            at = np.array([b for _, b in glyphs])
            x, y = (at[:, 0] + at[:, 2]) / 2, (at[:, 1] + at[:, 3]) / 2
            lines = np.array([boxes[i] for i in shown])
            inside = ((x[:, None] >= lines[:, 0]) & (x[:, None] <= lines[:, 2])
                      & (y[:, None] >= lines[:, 1]) & (y[:, None] <= lines[:, 3])).any(axis=1)
            for (char, glyph_box), keep in zip(glyphs, inside):
                if keep and _blank(grey, glyph_box):
                    raise SampleError("invisible_glyph", char)
        target = "\n".join(text.lines[i].text for i in shown)
        return image, target, {"box": [round(v, 1) for v in box], "boxes": [boxes[i] for i in shown],
                               "invisible_lines": len(hidden)}

    def describe(self) -> dict[str, Any]:
        """The base's record (its items are --source pages), plus those pages by language."""
        info = super().describe()
        if self.config.source:
            info["pages_by_lang"] = {lang: sum(p.lang == lang for p in self.pages) for lang in ("en", "zh")}
        return info


def _blank(grey: np.ndarray, box: Sequence[float]) -> bool:
    """Whether nothing is drawn in a box of the greyscale image."""
    left, top = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    right, bottom = min(grey.shape[1], math.ceil(box[2])), min(grey.shape[0], math.ceil(box[3]))
    if right <= left or bottom <= top:
        return True
    patch = grey[top:bottom, left:right]
    return int(patch.max()) - int(patch.min()) < INK_CONTRAST


class DocSlicesEngine(DocsEngine):
    """`docs` with line and paragraph slices as its default unit (the paper's 0.8M slices)."""

    name = "doc_slices"
    Config = DocSlicesConfig
