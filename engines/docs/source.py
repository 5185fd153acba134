"""`--source` for the document engines: a PDF or a folder of PDFs, scanned once into usable (file, page) items.

Every page is checked when the engine starts (`engines.docs.page.read_page`, and pdfminer.six's reading when
cross-checking), so a build knows its usable pages and its skipped ones by reason before the first shard,
and `describe()` reports both in the manifest. A file that is not a PDF, is truncated, empty or encrypted
costs one counted skip (`pdf_unreadable`, `pdf_damaged`, `pdf_encrypted`), never the build. Sample `index`
then takes page `Engine.source_item(pages, index, attempt)` (a seeded shuffle), so a retry moves on to another page.

The trade-off: the scan costs about 0.3-0.9 CPU-seconds a page with MuPDF alone (its table finder: a page
with a ruled table is refused, as plain text cannot say a table's reading order) and 0.12 more with the
pdfminer cross-check, once per worker process; for a crawl of millions of pages, split it into several builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engines.docs.crosscheck import MIN_AGREEMENT, agreement, pdfminer_pages
from engines.docs.page import PageSkip, read_page
from engines.source import Found
from renderers.errors import RenderError
from renderers.pymupdf import PdfDocument


@dataclass(frozen=True)
class SourcePage:
    """One usable page: its file, its index from 0, its language."""

    path: Path
    page: int
    lang: str


def pdf_files(source: str) -> list[Path]:
    """The PDFs named by `--source`: the file itself, or every `*.pdf` under the folder, sorted."""
    root = Path(source)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def scan(source: str, lang: str, dpi: float, cross_check: bool) -> Found[SourcePage]:
    """The usable pages of `source`, and the skipped files and pages counted by reason.

    Args:
        source: a PDF or a folder of PDFs.
        lang: "en", "zh" or "mixed": pages in another language are skipped as "lang_mismatch".
        dpi: the resolution pages will be rendered at.
        cross_check: also compare each page with pdfminer.six's reading of it.

    Returns:
        The usable pages in file then page order, and the files and pages skipped, by reason.
    """
    found: Found[SourcePage] = Found()
    for path in pdf_files(source):
        try:
            doc = PdfDocument(path)
        except RenderError as exc:
            found.skip(exc.reason, path.name)
            continue
        with doc:
            others = pdfminer_pages(path) if cross_check else None
            for index in range(len(doc)):
                try:
                    text = read_page(doc, index, dpi, refuse_tables=True, mask_images=True)
                    if cross_check and (others is None or len(others) != len(doc)
                                        or agreement(text.text, others[index]) < MIN_AGREEMENT):
                        raise PageSkip("extractors_disagree")
                except PageSkip as exc:
                    found.skip(exc.reason, f"{path.name}: page {index + 1}")
                    continue
                except (RenderError, RuntimeError):  # MuPDF fails on this page's content stream
                    found.skip("page_unreadable", f"{path.name}: page {index + 1}")
                    continue
                if lang not in ("mixed", text.lang):
                    found.skip("lang_mismatch", f"{path.name}: page {index + 1}")
                    continue
                found.items.append(SourcePage(path, index, text.lang))
    return found
