"""How a generated document looks (paper, margins, font, size, spacing) and the LaTeX of a batch of them.

The trade-off: TeX's start-up and preamble cost most of a short compile, so a batch of documents is
compiled as ONE LaTeX file, each document on fresh pages with its own page size, text area, font and
spacing set at its start (`\\newgeometry`, `\\pdfpagewidth`, `\\fontsize`), and nothing carried over from
the one before (explicit list labels, unnumbered headings). A document's pages are then the same
alone and in any batch. One preamble serves every document of an engine (pdflatex for English, xelatex
with Noto CJK for Chinese), so the font choices are the families that preamble can select.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from engines.formulas.generator import PREAMBLE as FORMULA_PREAMBLE
from engines.pages.blocks import MARKER, Block
from engines.tables.generator import PREAMBLE as TABLE_PREAMBLE
from renderers.latex import CJK_PREAMBLE

PAPERS = {"a4": (595.0, 842.0), "letter": (612.0, 792.0), "b5": (499.0, 709.0)}
# psnfss families in texlive-fonts-recommended: Latin Modern, Times, Palatino, New Century, Charter, Helvetica.
FAMILIES = {"en": ("lmr", "ptm", "ppl", "pnc", "bch", "phv"), "zh": ("rm", "sf")}
ENGINE = {"en": "pdflatex", "zh": "xelatex"}
_COMMON = (r"\usepackage{xcolor}\usepackage[a4paper]{geometry}\usepackage{adjustbox}" "\n"
           rf"{FORMULA_PREAMBLE}{TABLE_PREAMBLE}{MARKER}" "\n"
           r"\pagestyle{empty}\tracinglostchars=3\sloppy\hyphenpenalty=10000\exhyphenpenalty=10000"
           r"\relpenalty=10000\binoppenalty=10000")
PREAMBLES = {"en": r"\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage{textcomp}" "\n" + _COMMON,
             "zh": CJK_PREAMBLE + "\n" + _COMMON}


@dataclass(frozen=True)
class PageStyle:
    """One document's look; recorded in each sample's meta.

    Attributes:
        paper: a key of `PAPERS`.
        margins: left, right, top, bottom, in points.
        family: the text font family (a psnfss family for English; "rm" or "sf" for Chinese).
        size: font size in points; `leading` the baseline distance over the size.
        parindent, parskip: paragraph indent and extra space between paragraphs, in points.
    """

    paper: str
    margins: tuple[float, float, float, float]
    family: str
    size: float
    leading: float
    parindent: float
    parskip: float

    @property
    def text_box(self) -> tuple[float, float]:
        """Width and height of the text area, in points."""
        width, height = PAPERS[self.paper]
        left, right, top, bottom = self.margins
        return width - left - right, height - top - bottom

    def capacity(self, lang: str) -> float:
        """About how many characters of prose fill the text area."""
        width, height = self.text_box
        per_line = width / (self.size * (0.47 if lang == "en" else 1.0))
        return per_line * height / (self.size * self.leading) * 0.9

    def setup(self) -> str:
        """The LaTeX that starts a document on a fresh page in this style."""
        width, height = PAPERS[self.paper]
        (left, _, top, _), (text_w, text_h) = self.margins, self.text_box
        family = f"\\{self.family}family" if self.family in ("rm", "sf") else f"\\fontfamily{{{self.family}}}"
        return (f"\\clearpage\\pdfpagewidth={width}pt\\pdfpageheight={height}pt\\paperwidth={width}pt"
                f"\\paperheight={height}pt\n\\newgeometry{{left={left}pt,top={top}pt,textwidth={text_w}pt,"
                f"textheight={text_h}pt}}\n{family}\\fontsize{{{self.size}}}{{{self.size * self.leading:.2f}}}"
                f"\\selectfont\\setlength\\parindent{{{self.parindent}pt}}\\setlength\\parskip{{{self.parskip}pt}}")

    def to_dict(self) -> dict:
        return asdict(self)


def draw_style(rng: np.random.Generator, lang: str) -> PageStyle:
    """A page style drawn from what papers, reports and books use."""
    side, top = float(rng.integers(50, 91)), float(rng.integers(50, 91))
    parindent = float(rng.choice([0.0, 15.0, 20.0]))
    return PageStyle(paper=str(rng.choice(list(PAPERS))), margins=(side, side, top, top),
                     family=str(rng.choice(FAMILIES[lang])), size=float(rng.choice([10.0, 10.95, 12.0])),
                     leading=float(rng.choice([1.2, 1.25, 1.4])), parindent=parindent,
                     parskip=float(rng.choice([0.0, 4.0])) if parindent else 6.0)  # paragraphs stay apart


def document_latex(index: int, setup: str, blocks: list[Block]) -> str:
    """One document's LaTeX (document `index` of its batch): its set-up, then its blocks, items in lists."""
    out, in_list = [setup], False
    for b, block in enumerate(blocks):
        if in_list and (block.kind != "item" or block.opens):
            out.append("\\end{itemize}")
            in_list = False
        if block.kind == "item" and not in_list:
            out.append("\\begin{itemize}")
            in_list = True
        out.append(block.latex(index, b))
    if in_list:
        out.append("\\end{itemize}")
    return "\n\n".join(out) + "\n"


def batch_latex(lang: str, documents: list[str]) -> str:
    """The LaTeX file compiling a batch of documents (from `document_latex`), each on its own pages."""
    return (f"\\documentclass{{article}}\n{PREAMBLES[lang]}\n\\begin{{document}}\n" + "".join(documents)
            + "\\end{document}\n")
