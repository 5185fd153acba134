"""How a table looks: its font (one preamble, so one compile per font and batch), size, spacing, border.

English tables are set by pdflatex in Computer Modern, Times (`mathptmx`) or Palatino
(`mathpazo`), serif or sans; Chinese ones by XeLaTeX with Noto Serif or Sans CJK
(`renderers.latex.CJK_PREAMBLE`). Size, row stretch and column gap vary per table inside the
compile, so they cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.base import pick
from engines.tables.content import PREAMBLE
from renderers.latex import CJK_PREAMBLE

_EXTRA = r"\usepackage{array}\usepackage{dcolumn}\usepackage{pifont}\usepackage{makecell}"


@dataclass(frozen=True)
class TableFont:
    key: str
    engine: str
    preamble: str
    lang: str


TABLE_FONTS: dict[str, TableFont] = {f.key: f for f in (
    TableFont("computer-modern", "pdflatex", PREAMBLE + _EXTRA, "en"),
    TableFont("times", "pdflatex", PREAMBLE + _EXTRA + r"\usepackage{mathptmx}", "en"),
    TableFont("palatino", "pdflatex", PREAMBLE + _EXTRA + r"\usepackage{mathpazo}", "en"),
    TableFont("noto-cjk", "xelatex", PREAMBLE + _EXTRA + CJK_PREAMBLE, "zh"),
)}
SIZES_PT = (10.0, 10.95, 12.0)


@dataclass(frozen=True)
class TableStyle:
    """A table's look; `snippet` wraps the tabular without changing it."""

    font: str
    sans: bool
    size_pt: float
    row_stretch: float
    column_gap_pt: float
    padding_px: int

    def snippet(self, tabular: str) -> str:
        family = "\\sffamily" if self.sans else ""
        return (f"\\fontsize{{{self.size_pt}}}{{{self.size_pt * 1.2:.2f}}}\\selectfont{family}"
                f"\\renewcommand{{\\arraystretch}}{{{self.row_stretch}}}\\setlength{{\\tabcolsep}}{{{self.column_gap_pt}pt}}%\n"
                f"{tabular}")


def table_style(rng: np.random.Generator, lang: str) -> TableStyle:
    """A varied style for a table in `lang` ("en" or "zh")."""
    fonts = [k for k, f in TABLE_FONTS.items() if f.lang == lang]
    return TableStyle(font=pick(rng, fonts), sans=bool(rng.random() < 0.25),
                      size_pt=float(pick(rng, SIZES_PT)),
                      row_stretch=round(float(rng.uniform(1.0, 1.5)), 2),
                      column_gap_pt=round(float(rng.uniform(4.0, 9.0)), 1), padding_px=int(rng.integers(6, 30)))
