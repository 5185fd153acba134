"""HOW to draw: one module per tool, shared by every engine that uses the tool.

| module | tool |
| --- | --- |
| `chromium` | headless Chromium through Playwright (ECharts, Mathpix-markdown-it, HTML pages) |
| `matplotlib` | matplotlib artists on one reused Agg canvas, in image pixels |
| `pil` | lines of text drawn with Pillow |
| `latex` | pdflatex / xelatex, sandboxed, many snippets per compile |
| `pymupdf` | PDF pages to images, and their text with boxes |
| `rdkit` | molecules from SMILES |
| `verovio` | Humdrum **kern to engraved music |
| `svg` | SVG to pixels |
| `degrade` | scan and photo effects |
| `ppocr` | PaddleOCR's PP-OCR models (through rapidocr), the independent reader |
| `fonts` | the installed faces, text measurement, glyph coverage |
| `legibility` | the check that drawn texts stay inside the image and apart |
| `isolated` | a child process for C libraries that may crash or hang |

Every renderer returns `result.Rendered` (images, the texts drawn with their boxes, info) and
raises `errors.RenderError` (a counted reason and an excerpt) when the content cannot be drawn.
Nothing here imports `engines/`: engine-specific layout (a chart's axes, a page's columns) lives
in the engine's package. Tools are long-lived per worker process (a browser, a loaded OCR model).
"""
