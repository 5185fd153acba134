"""The `pages` engine: formatted full pages (prompt `OCR with format: `), the page image and its Mathpix markdown.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: generated documents in batches, or real papers' pages |
| `content` | WHAT a generated page says: real prose, headings, lists, formulas, the manual's tables, figures |
| `photos` | a figure's photograph: a crop of a packaged background photo, the file its LaTeX run includes |
| `quantities` | math about the quantities the text states: their working, inline or displayed |
| `blocks` | a block written twice, as LaTeX with invisible markers and as Mathpix markdown |
| `layout` | how a generated document looks, and the LaTeX of a batch of documents |
| `split` | each generated page's target, from the markers in the compiled PDF's text layer |
| `source` | the `--source` reader: real LaTeX papers compiled, converted and split per page |
| `mmd` | a paper's LaTeX source as Mathpix markdown |
| `nougat` | a paper's markdown split per page by matching the PDF's text, after Nougat |
"""

from engines.pages.engine import PagesEngine

__all__ = ["PagesEngine"]
