"""How a formula looks: a Mathpix (MathJax) style, or a LaTeX math font and size, drawn from an rng.

LaTeX fonts come in two kinds. pdflatex with the classic math packages (Computer Modern, Times
through `mathptmx`, Palatino through `mathpazo`, `txfonts`, `pxfonts`) compiles in about 0.3
CPU-s a run; XeLaTeX with `unicode-math` and OpenType math fonts (Latin Modern Math, TeX Gyre
Termes, Pagella, Bonum, Schola and DejaVu Math) in about 1.5 CPU-s, because `unicode-math` sets up
thousands of symbols per font. A font is one preamble, so the engine compiles each font's formulas
of a batch together.

`latex_style` draws a font by its `share`: roughly how often papers set their mathematics in it.
Most arXiv papers keep Computer Modern; Times-like math (IEEE and Elsevier templates, `mathptmx`,
`txfonts`, `newtx`) comes next, then Palatino-like and the OpenType math fonts of XeLaTeX and
LuaLaTeX papers. The rare XeLaTeX faces (Bonum, Schola, DejaVu Math) get no share: at 1-2% each they
cost every batch a 1 CPU-s compile (a fifth of the default mix's time) for 4% of its LaTeX formulas; they stay
defined for `--renderer` styles recorded in older shards, which the formulas reader redraws. Every font here ships
with Debian's `texlive-latex-base`,
`texlive-fonts-recommended`, `lmodern`/`fonts-lmodern`, `fonts-texgyre`/`fonts-texgyre-math`
(recommended by `texlive-xetex` and `texlive-fonts-recommended`) and `fonts-dejavu-core`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engines.base import pick
from renderers.mathpix import MathpixStyle

_AMS = r"\usepackage{amsmath}\usepackage{mathtools}\usepackage{amssymb}\usepackage{bm}"
_AMS_NO_SYMB = r"\usepackage{amsmath}\usepackage{mathtools}\usepackage{bm}"  # txfonts/pxfonts define amssymb's
_UNICODE = (r"\usepackage{amsmath}\usepackage{mathtools}\usepackage{unicode-math}"
            r"\AtBeginDocument{\renewcommand{\boldsymbol}[1]{\symbfit{#1}}\providecommand{\bm}[1]{\symbfit{#1}}}")


@dataclass(frozen=True)
class MathFont:
    """A LaTeX math font: the TeX engine, the preamble that selects it, and its share of LaTeX-drawn formulas."""

    key: str
    engine: str
    preamble: str
    share: float


MATH_FONTS: dict[str, MathFont] = {f.key: f for f in (
    MathFont("computer-modern", "pdflatex", _AMS, 0.34),
    MathFont("times", "pdflatex", _AMS + r"\usepackage{mathptmx}", 0.16),
    MathFont("palatino", "pdflatex", _AMS + r"\usepackage{mathpazo}", 0.08),
    MathFont("txfonts", "pdflatex", _AMS_NO_SYMB + r"\usepackage{txfonts}", 0.08),
    MathFont("pxfonts", "pdflatex", _AMS_NO_SYMB + r"\usepackage{pxfonts}", 0.05),
    MathFont("latin-modern-math", "xelatex",
             _UNICODE + r"\setmathfont{latinmodern-math.otf}\setmainfont{lmroman10-regular.otf}", 0.13),
    MathFont("termes-math", "xelatex",
             _UNICODE + r"\setmathfont{texgyretermes-math.otf}\setmainfont{texgyretermes-regular.otf}", 0.08),
    MathFont("pagella-math", "xelatex",
             _UNICODE + r"\setmathfont{texgyrepagella-math.otf}\setmainfont{texgyrepagella-regular.otf}", 0.08),
    MathFont("bonum-math", "xelatex",
             _UNICODE + r"\setmathfont{texgyrebonum-math.otf}\setmainfont{texgyrebonum-regular.otf}", 0.0),
    MathFont("schola-math", "xelatex",
             _UNICODE + r"\setmathfont{texgyreschola-math.otf}\setmainfont{texgyreschola-regular.otf}", 0.0),
    MathFont("dejavu-math", "xelatex",
             _UNICODE + r"\setmathfont{texgyredejavu-math.otf}\setmainfont{DejaVuSerif.ttf}", 0.0),
)}
SHARES = np.array([f.share for f in MATH_FONTS.values()])
assert abs(SHARES.sum() - 1.0) < 1e-9, "math font shares must add up to 1"
SIZES_PT = (10.0, 10.95, 12.0, 14.4)  # the sizes LaTeX's classes declare math sizes for
INKS = ("#000000",) * 6 + ("#1a1a1a", "#202040", "#2b2b2b")
BACKGROUNDS = ("#ffffff",) * 6 + ("#fbfaf5", "#f6f6f6", "#fffef7")


@dataclass(frozen=True)
class LatexStyle:
    """A formula drawn by LaTeX: its math font, its size, and the blank border added around it."""

    font: str
    size_pt: float
    padding_px: int

    def snippet(self, latex: str, display: bool) -> str:
        """The body `renderers.latex` typesets: the formula at this size, displayed or inline."""
        math = f"$\\displaystyle {latex}$" if display else f"${latex}$"
        return f"\\fontsize{{{self.size_pt}}}{{{self.size_pt * 1.2:.2f}}}\\selectfont {math}"


def mathpix_style(rng: np.random.Generator) -> MathpixStyle:
    """A varied MathJax style: size, scale, border and colours."""
    return MathpixStyle(font_px=round(float(rng.uniform(16, 30)), 1), scale=float(pick(rng, (1.0, 1.0, 1.25, 1.5, 2.0))),
                        padding_px=int(rng.integers(4, 25)), color=pick(rng, INKS), background=pick(rng, BACKGROUNDS),
                        max_px=3000)


def latex_style(rng: np.random.Generator) -> LatexStyle:
    """A varied LaTeX style: one of `MATH_FONTS` by its share, a size, a border."""
    return LatexStyle(font=str(rng.choice(tuple(MATH_FONTS), p=SHARES)), size_pt=float(pick(rng, SIZES_PT)),
                      padding_px=int(rng.integers(4, 25)))
