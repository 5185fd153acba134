"""The `docs` and `doc_slices` engines: plain OCR of document pages and their line/paragraph slices (the Fitz path).

Modules: `engine` (Config, the two engines), `source` (`--source` PDFs scanned into usable pages),
`content` (built-in one-page PDFs of real prose), `page` (one page's checked text layer and its slices),
`layout` (reading order from line boxes), `crosscheck` (pdfminer.six as a second extractor).
"""

from engines.docs.engine import DocsEngine, DocSlicesEngine

__all__ = ["DocSlicesEngine", "DocsEngine"]
