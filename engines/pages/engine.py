"""The `pages` engine: formatted full pages, the page image and its Mathpix markdown (prompt `OCR with format: `).

Built-in: a generated document per sample (`engines.pages.content`, in a style from
`engines.pages.layout`), compiled with pdflatex (English) or xelatex with Noto CJK (Chinese); the sample
is the document's first page, whose target `engines.pages.split` reads off the compiled PDF: the blocks
the page shows, in reading order, a block the page's bottom cuts cut where the page cuts it. A batch of
draws is one LaTeX run (a run per language); when the run fails, each document is compiled alone, so a
bad document fails only its own draw.

With `--source`, pages of real papers (`engines.pages.source`): LaTeX source folders compiled in the
sandbox, converted to Mathpix markdown and split per page by Nougat's matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engines import prose
from engines.base import Draw, Engine, EngineConfig, Lang, Resources, Sample, SampleError
from engines.pages.blocks import Document
from engines.pages.content import Walk, draw_blocks
from engines.pages.layout import CAP_HEIGHT, ENGINE, batch_latex, document_latex, draw_style
from engines.pages.photos import compile_with_photos
from engines.pages.source import PaperPage, load_papers
from engines.pages.split import SplitError, split_pages
from renderers.errors import RenderError
from renderers.latex import LatexConfig
from renderers.pymupdf import PdfDocument
from tokenizer.protocol import PROMPT_FORMAT


@dataclass
class PagesConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a folder of LaTeX source folders (arXiv style: one paper per folder, its main .tex holding "
                "\\documentclass) to draw real pages from instead of generated documents; papers that fail to "
                "compile (missing class or package, errors, timeouts) or whose pages do not match are skipped "
                "and counted"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh: the language of generated documents; with --source, keeps only "
                "papers in that language"})
    prose: prose.Source = field(default=prose.DEFAULT, metadata={"help": prose.HELP})
    dpi: float = field(default=144.0, metadata={"help": "resolution of the page images (144: an A4 page is "
                                                        "1191 x 1684 px)"})
    shrink_floor: float = field(default=9.0, metadata={
        "help": "the smallest height, in pixels at --dpi, of a capital letter in a generated page's table or "
                "displayed formula: one too wide for its line is set smaller (tables) or shrunk down to it, never "
                "under (one that would be is drawn again, or its page refused: table_illegible, "
                "display_illegible); 0 shrinks them to the line whatever their size"})
    fill: float = field(default=1.3, metadata={
        "help": "content per generated document, in pages (over 1 so a block usually breaks at the page's end)"})
    timeout: float = field(default=300.0, metadata={
        "help": "seconds one LaTeX run may take (a batch of documents, or one pass of a paper)"})

    def validate(self) -> None:
        if not 50 <= self.dpi <= 400:
            raise ValueError(f"--dpi must be between 50 and 400, got {self.dpi}")
        if not 0 <= self.shrink_floor <= 40:
            raise ValueError(f"--shrink-floor must be between 0 and 40 pixels, got {self.shrink_floor}")
        if not 0.3 <= self.fill <= 4:
            raise ValueError(f"--fill must be between 0.3 and 4 pages, got {self.fill}")
        if self.timeout <= 0:
            raise ValueError(f"--timeout must be positive, got {self.timeout}")
        if self.source is not None and not Path(self.source).is_dir():
            raise ValueError(f"--source {self.source}: no such folder; give a folder of LaTeX source folders")


class PagesEngine(Engine):
    """Formatted full pages: generated English and Chinese documents, or real papers' pages."""

    name = "pages"
    Config = PagesConfig
    # The worker (PyMuPDF, prose, page images) plus one TeX process, capped at 2 GiB (xelatex with CJK fonts
    # needs about 1 GiB).
    resources = Resources(cpus=1.0, memory_mb=2560)
    packages = ("pymupdf", "rapidfuzz")
    batch_size = 8

    def __init__(self, config: PagesConfig | None = None) -> None:
        super().__init__(config)
        self.pages: list[PaperPage] = []
        if self.config.source:
            self.pages = self.use_source(load_papers(self.config.source, self.config.lang, self._latex), "paper page",
                                         "install the missing TeX packages (make setup-papers) or point at other papers")

    def _latex(self, lang: str) -> LatexConfig:
        return LatexConfig(program=ENGINE[lang], timeout_s=self.config.timeout, memory_mb=2048)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        if self.pages:
            return [self._paper_page(d) for d in draws]
        documents = [self._document(d.rng) for d in draws]
        out: dict[int, Sample | Exception] = {}
        for lang in ("en", "zh"):
            group = [i for i, doc in enumerate(documents) if doc.lang == lang]
            if group:
                out.update(zip(group, self._compile([documents[i] for i in group])))
        return [out[i] for i in range(len(draws))]

    def _document(self, rng: np.random.Generator) -> Document:
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        walk = Walk(rng, lang, self.config.prose)
        floor = self.config.shrink_floor / CAP_HEIGHT * 72 / self.config.dpi  # points
        style = draw_style(rng, lang, head=walk.chapter(), shrink_floor=round(floor, 2))
        blocks = draw_blocks(rng, walk, style.capacity(lang) * self.config.fill, style.numbered, style.columns,
                             fits=style.table_fits, display_tokens=style.display_tokens)
        return Document(lang, style.setup(), blocks, style)

    def _compile(self, documents: list[Document]) -> list[Sample | Exception]:
        """Compile documents of one language in one run, or one by one when the run fails."""
        lang = documents[0].lang
        tex = batch_latex(lang, [document_latex(k, d.setup, d.blocks) for k, d in enumerate(documents)])
        try:
            pdf = compile_with_photos(tex, self._latex(lang))
        except RenderError as exc:
            if len(documents) == 1:
                return [exc]
            return [r for d in documents for r in self._compile([d])]
        with PdfDocument(pdf) as doc:
            pages = split_pages(doc, documents)
            return [self._first_page(doc, k, documents[k], pages.get(k)) for k in range(len(documents))]

    def _first_page(self, pdf: PdfDocument, k: int, document: Document,
                    pages: list[tuple[int, str]] | SplitError | None) -> Sample | Exception:
        """Document k's first page as a Sample, or why it cannot be one."""
        if isinstance(pages, Exception):
            return SampleError("page_text_mismatch", str(pages))
        if not pages:
            return SampleError("page_empty", f"document {k} has no page")
        page, target = pages[0]
        width, height = pdf.page_size(page)
        texts = pdf.texts(page, dpi=72)
        outside = [t.text for t in texts if min(t.bbox[:2]) < -0.5 or t.bbox[2] > width + 0.5 or t.bbox[3] > height + 0.5]
        if outside:
            return SampleError("text_outside_page", outside[0][:60])
        printed = "".join(t.text for t in texts)
        for flag, what in (("GOTW.", "table"), ("GOTD.", "display")):
            if flag in printed:
                return SampleError(f"{what}_illegible", f"document {k}'s page shrinks a {what} under "
                                                        f"{self.config.shrink_floor} px capitals (--shrink-floor)")
        if not target.strip():
            return SampleError("page_empty", f"document {k}'s first page shows no block")
        shown = [b.kind for b in document.blocks]
        meta = {"lang": document.lang, "source": None, "engine": ENGINE[document.lang], "dpi": self.config.dpi,
                "style": document.style.to_dict(),
                "pages_in_document": len(pages), "continued": document.blocks[0].continued,
                "document_blocks": {kind: shown.count(kind) for kind in sorted(set(shown))},
                # a figure's drawing, which its target (the caption) does not say: the pages reader redraws it
                "pictures": [b.picture for b in document.blocks if b.kind == "figure"]}
        return Sample(images=[pdf.render(page, self.config.dpi)], prompt=PROMPT_FORMAT, target=document.style.framed(target),
                      task="format", meta=meta)

    def _paper_page(self, draw: Draw) -> Sample | Exception:
        page = self.source_item(self.pages, draw.index, draw.attempt)
        try:
            image = page.render(self.config.dpi)
        except RenderError as exc:
            return exc
        meta = {"lang": page.lang, "source": page.paper, "engine": page.engine, "dpi": self.config.dpi,
                "page": page.page, "match_score": page.score, "date": page.date}
        return Sample(images=[image], prompt=PROMPT_FORMAT, target=page.markdown, task="format", meta=meta)

    def describe(self) -> dict[str, Any]:
        """The base's record (its items are --source pages), plus how many papers they come from."""
        info = super().describe()
        if self.config.source:
            info["papers"] = len({p.paper for p in self.pages})
        return info
