"""What a real paper's page prints outside its text block (running head, page number, a foot line), as the target says it.

A target must say everything its page shows, so a kept page's markdown opens with the lines printed above
its text block (top to bottom) and closes with those printed below it, each row its own paragraph, as
generated pages do (`engines.pages.layout.PageStyle.framed`). A line is furniture when it is one
Nougat's matching leaves out (`nougat.furniture_lines`: digits alone, or recurring on many pages) and lies
wholly above the page's first body line or below its last, a body line's height or more away, and outside the
paper's text block (a figure's tick labels above its first line are the body's). What such a
band or the margins beside the text hold that a target cannot write exactly refuses the page: rotated text (an arXiv side stamp,
"furniture_rotated"), a picture (a logo, "furniture_picture"), or characters no source text holds
(`pipelines.readers.codepoints`, "furniture_codepoints").
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from engines.pages.nougat import furniture_lines
from pipelines.readers.codepoints import suspicious
from renderers.pymupdf import PdfDocument
from renderers.result import DrawnText


@dataclass(frozen=True)
class Furniture:
    """One page's furniture: rows printed above its text block and below it (top to bottom), or why it is refused."""

    head: list[str]
    foot: list[str]
    refused: str = ""

    def frame(self, body: str) -> str:
        """The page's target: the head's rows, the body, the foot's rows, each its own paragraph."""
        return "\n\n".join([*self.head, body, *self.foot])


def _upright(line: DrawnText) -> bool:
    (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
    return x1 > x0 and abs(y1 - y0) < 0.01 * (x1 - x0) + 0.5


def _rows(lines: list[DrawnText]) -> list[str]:
    """Lines grouped into printed rows (boxes overlapping in height), each row's lines left to right."""
    rows: list[list[DrawnText]] = []
    for line in sorted(lines, key=lambda t: t.bbox[1]):
        top, bottom = line.bbox[1], line.bbox[3]
        if rows and top < rows[-1][0].bbox[3] and bottom > rows[-1][0].bbox[1]:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [" ".join(t.text for t in sorted(row, key=lambda t: t.bbox[0])) for row in rows]


def _outside(box: tuple[float, float, float, float], block: tuple[float, float, float, float]) -> bool:
    return box[2] <= block[0] or box[0] >= block[2] or box[3] <= block[1] or box[1] >= block[3]


def page_furniture(pdf: PdfDocument) -> list[Furniture]:
    """Each page's furniture (see the module's docstring).

    Pictures count when they lie wholly outside the paper's text block (the median of its pages' body
    extents), rotated text when it lies in the outer half of a margin (an arXiv stamp): a figure's rotated
    axis label, even one reaching into the margin, or a figure at a page's top is the body's.
    """
    pages = [pdf.texts(p, dpi=72) for p in range(len(pdf))]
    may_be = furniture_lines([[t.text.strip() for t in lines] for lines in pages])
    bodies = [[t.bbox for t in lines if _upright(t) and not may_be(t.text.strip())] for lines in pages]
    extents = [(min(b[0] for b in body), min(b[1] for b in body), max(b[2] for b in body), max(b[3] for b in body))
               for body in bodies if body]
    block = tuple(median(e[k] for e in extents) for k in range(4)) if extents else (0.0, 0.0, 0.0, 0.0)
    out = []
    for index, (lines, body) in enumerate(zip(pages, bodies)):
        if not body:
            out.append(Furniture([], []))
            continue
        gap = median(b[3] - b[1] for b in body)
        top, bottom = min(b[1] for b in body), max(b[3] for b in body)
        head = [t for t in lines if _upright(t) and may_be(t.text.strip()) and t.bbox[3] <= min(top - gap, block[1])]
        foot = [t for t in lines if _upright(t) and may_be(t.text.strip()) and t.bbox[1] >= max(bottom + gap, block[3])]
        frame = Furniture(_rows(head), _rows(foot))
        width, height = pdf.page_size(index)
        margins = ((block[0] / 2, block[1] / 2, (block[2] + width) / 2, (block[3] + height) / 2))
        if any(_outside(t.bbox, margins) for t in lines if not _upright(t)):
            frame = Furniture([], [], "furniture_rotated")
        elif any(_outside(b, block) for b in pdf.image_boxes(index)):
            frame = Furniture([], [], "furniture_picture")
        elif any(suspicious(row) for row in frame.head + frame.foot):
            frame = Furniture([], [], "furniture_codepoints")
        out.append(frame)
    return out
