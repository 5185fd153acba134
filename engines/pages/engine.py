"""The `pages` engine: formatted full pages, the page image and its Mathpix markdown (prompt `OCR with format: `).

Built-in: a generated document per sample (`engines.pages.content`, in a style from
`engines.pages.layout`), compiled with pdflatex (English) or xelatex with Noto CJK (Chinese); the sample
is the document's first page, whose target `engines.pages.split` reads off the compiled PDF: the blocks
the page shows, in reading order, a block the page's bottom cuts cut where the page cuts it. A batch of
draws is one LaTeX run (a run per language); when the run fails, each document is compiled alone, so a
bad document fails only its own draw. `document_batch` gives every page of each draw's document instead, each
page a sample with its place in its document (`page_index` of `pages_in_document`, the page number it prints,
whether it opens inside a paragraph the page before began): the `multipage` engine's consecutive pages.
`--page-tokens` draws styles whose page holds about that many tokens (roomier type and margins).

With `--source`, pages of real papers (`engines.pages.source`): LaTeX source folders compiled in the
sandbox, converted to Mathpix markdown and split per page by Nougat's matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from engines import prose
from engines.base import Draw, Engine, EngineConfig, Lang, Resources, Sample, SampleError, source_index
from engines.pages.blocks import Document
from engines.pages.content import PARAGRAPHS_PER_PAGE, Walk, draw_blocks
from engines.pages.layout import CAP_HEIGHT, ENGINE, batch_latex, document_latex, draw_style
from engines.pages.source import PaperPage, load_papers
from engines.pages.split import FURNITURE, PageText, split_pages
from engines.photos import compile_with_photos
from renderers.errors import RenderError
from renderers.latex import LatexConfig
from renderers.pymupdf import PdfDocument
from renderers.result import DrawnText
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
    page_tokens: int = field(default=0, metadata={
        "help": "about the most Qwen tokens a generated page holds: its style (paper, margins, type, columns) drawn "
                "again until its text area holds about that many (multipage asks 600, so most pages stay under 650); "
                "0: any style"})
    timeout: float = field(default=300.0, metadata={
        "help": "seconds one LaTeX run may take (a batch of documents, or one pass of a paper)"})

    def validate(self) -> None:
        if not 50 <= self.dpi <= 400:
            raise ValueError(f"--dpi must be between 50 and 400, got {self.dpi}")
        if not 0 <= self.shrink_floor <= 40:
            raise ValueError(f"--shrink-floor must be between 0 and 40 pixels, got {self.shrink_floor}")
        if not 0.3 <= self.fill <= 32:
            raise ValueError(f"--fill must be between 0.3 and 32 pages, got {self.fill}")
        if self.page_tokens < 0:
            raise ValueError(f"--page-tokens must be 0 (any style) or positive, got {self.page_tokens}")
        if self.timeout <= 0:
            raise ValueError(f"--timeout must be positive, got {self.timeout}")
        if self.source is not None and not Path(self.source).is_dir():
            raise ValueError(f"--source {self.source}: no such folder; give a folder of LaTeX source folders")


def running_heads(document: Document, pages: list[PageText]) -> list[str]:
    """The running head of each of a document's pages: the chapter in force at the page's end (LaTeX's `\\leftmark`),
    the style's head until a chapter's heading on a page (`Block.mark`) sets its own."""
    heads, head = [], document.style.head
    for page in pages:
        head = next((document.blocks[b].mark for b in reversed(page.blocks) if document.blocks[b].mark), head)
        heads.append(head)
    return heads


def _units(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def printed_furniture(texts: list[DrawnText]) -> list[str]:
    """What a page's text layer prints as furniture (running head, page number: each between `\\gotx{A}` and
    `\\gotx{Z}`), spaces left out, in the layer's order."""
    return [_units(m[0][len("GOTXA."):-len("GOTXZ.")]) for m in FURNITURE.finditer("\n".join(t.text for t in texts))]


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
            return [self._paper_page(self.source_item(self.pages, d.index, d.attempt)) for d in draws]
        return [r if isinstance(r, Exception) else r[0] for r in self._typeset(draws, every_page=False)]

    def document_batch(self, draws: list[Draw], most: int = 16) -> list[list[Sample | Exception] | Exception]:
        """Each draw's document, every page a sample in page order (a page refused, as `sample_batch` would
        refuse it, in its place): consecutive pages of one document, for stage 3's multi-page samples.

        Built-in, the draw's generated document (`--fill` pages of content, all of it); with `--source`, the
        consecutive kept pages of a paper around the page the draw picks (a page the paper does not keep ends the
        run), at most `most` of them, from the picked page's run's start or as near it as `most` allows.
        """
        if not self.pages:
            return self._typeset(draws, every_page=True)
        out: list[list[Sample | Exception] | Exception] = []
        for d in draws:
            at = source_index(len(self.pages), d.index, d.attempt, self.seed)
            start, stop = at, at + 1
            while start and self._follows(start - 1, start):
                start -= 1
            while stop < len(self.pages) and self._follows(stop - 1, stop):
                stop += 1
            start = max(start, min(at, stop - most))
            out.append([self._paper_page(page) for page in self.pages[start:min(stop, start + most)]])
        return out

    def _follows(self, before: int, after: int) -> bool:
        """Whether kept page `after` is the page right after kept page `before` in one paper."""
        a, b = self.pages[before], self.pages[after]
        return (a.paper, a.page + 1) == (b.paper, b.page)

    def _typeset(self, draws: list[Draw], every_page: bool) -> list[list[Sample | Exception] | Exception]:
        """Each draw's generated document compiled (a LaTeX run per language): its first page, or `every_page`."""
        documents = [self._document(d.rng) for d in draws]
        out: dict[int, list[Sample | Exception] | Exception] = {}
        for lang in ("en", "zh"):
            group = [i for i, doc in enumerate(documents) if doc.lang == lang]
            if group:
                out.update(zip(group, self._compile_pages([documents[i] for i in group], every_page)))
        return [out[i] for i in range(len(draws))]

    def _document(self, rng: np.random.Generator) -> Document:
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        walk = Walk(rng, lang, self.config.prose, ahead=round(self.config.fill * PARAGRAPHS_PER_PAGE[lang]))
        floor = self.config.shrink_floor / CAP_HEIGHT * 72 / self.config.dpi  # points
        style = draw_style(rng, lang, head=walk.chapter(), shrink_floor=round(floor, 2), tokens=self.config.page_tokens)
        blocks = draw_blocks(rng, walk, style.capacity(lang) * self.config.fill, style.numbered, style.columns,
                             fits=style.table_fits, display_tokens=style.display_tokens)
        return Document(lang, style.setup(), blocks, style)

    def _compile(self, documents: list[Document]) -> list[Sample | Exception]:
        """Documents of one language compiled in one run: each one's first page, or why it has none."""
        return [r if isinstance(r, Exception) else r[0] for r in self._compile_pages(documents, every_page=False)]

    def _compile_pages(self, documents: list[Document], every_page: bool) -> list[list[Sample | Exception] | Exception]:
        """Compile documents of one language in one run, or one by one when the run fails: each one's first page
        (or `every_page`), or why it has none."""
        lang = documents[0].lang
        tex = batch_latex(lang, [document_latex(k, d.setup, d.blocks) for k, d in enumerate(documents)])
        try:
            pdf = compile_with_photos(tex, self._latex(lang))
        except RenderError as exc:
            if len(documents) == 1:
                return [exc]
            return [r for d in documents for r in self._compile_pages([d], every_page)]
        with PdfDocument(pdf) as doc:
            split = split_pages(doc, documents)
            out: list[list[Sample | Exception] | Exception] = []
            for k, document in enumerate(documents):
                pages = split.get(k)
                if isinstance(pages, Exception):
                    out.append(SampleError("page_text_mismatch", str(pages)))
                elif not pages:
                    out.append(SampleError("page_empty", f"document {k} has no page"))
                else:
                    heads = running_heads(document, pages)
                    out.append([self._page(doc, k, document, pages, at, heads[at])
                                for at in range(len(pages) if every_page else 1)])
            return out

    def _page(self, pdf: PdfDocument, k: int, document: Document, pages: list[PageText], at: int,
              head: str) -> Sample | Exception:
        """Page `at` of document k, printing running head `head`, as a Sample, or why it cannot be one."""
        page = pages[at]
        width, height = pdf.page_size(page.page)
        texts = pdf.texts(page.page, dpi=72)
        outside = [t.text for t in texts if min(t.bbox[:2]) < -0.5 or t.bbox[2] > width + 0.5 or t.bbox[3] > height + 0.5]
        if outside:
            return SampleError("text_outside_page", outside[0][:60])
        printed = "".join(t.text for t in texts)
        for flag, what in (("GOTW.", "table"), ("GOTD.", "display")):
            if flag in printed:
                return SampleError(f"{what}_illegible", f"document {k}'s page shrinks a {what} under "
                                                        f"{self.config.shrink_floor} px capitals (--shrink-floor)")
        if document.style.head and _units(head) not in printed_furniture(texts):
            return SampleError("head_mismatch", f"document {k}'s page {at + 1} prints the running head "
                                                f"{printed_furniture(texts)}, not its chapter {head!r}")
        if not page.markdown.strip():
            return SampleError("page_empty", f"document {k}'s page {at + 1} shows no block")
        if page.opens_in not in ("", "paragraph", "item"):  # what its reader can typeset the page opening inside
            return SampleError("page_opens_inside", f"document {k}'s page {at + 1} opens inside a {page.opens_in}, "
                                                    "which a redraw of the page alone cannot set")
        style = document.style
        if style.page:  # the number it prints
            style = replace(style, page=style.page + at)
        if style.head:  # its chapter's
            style = replace(style, head=head)
        shown = [b.kind for b in document.blocks]
        meta = {"lang": document.lang, "source": None, "engine": ENGINE[document.lang], "dpi": self.config.dpi,
                "style": style.to_dict(), "pages_in_document": len(pages), "page_index": at,
                "continued": document.blocks[0].continued if at == 0 else bool(page.opens_in),
                "opens_in": page.opens_in or ("paragraph" if document.blocks[0].continued else ""),
                "document_blocks": {kind: shown.count(kind) for kind in sorted(set(shown))},
                # a figure's drawing, which its target (the caption) does not say: the pages reader redraws it
                "pictures": [document.blocks[b].picture for b in page.blocks if document.blocks[b].kind == "figure"]}
        return Sample(images=[pdf.render(page.page, self.config.dpi)], prompt=PROMPT_FORMAT,
                      target=style.framed(page.markdown), task="format", meta=meta)

    def _paper_page(self, page: PaperPage) -> Sample | Exception:
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
