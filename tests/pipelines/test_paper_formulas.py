"""A real paper's formulas checked from its page: each typeset alone and found where the target's order puts it
(`pipelines.readers.paper_formulas`). PP-OCR cannot read math, so a changed letter or digit inside `\\(...\\)` or
`\\[...\\]` passed the strict reader (4 and 5 of 9 real pages in bench/results/mutate-pages-real.json); a
changed subscript (4-10 changed pixels, under the check's floor for a piece) passed the check (letters 17 and digits
18 of 22 real pages)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipelines.readers.paper_formulas import check
from pipelines.readers.paper_pages import _at_margin, _reading, layout
from renderers.latex import compile_document
from renderers.pymupdf import PdfDocument

SUM = " + ".join(f"a_{{{k}}} u_{{{k}}}" for k in range(1, 25))  # a display wider than the line
# A paper's page as pdflatex prints it: 10 pt Computer Modern, a justified paragraph with inline math (its glue
# stretched), a displayed equation, one wider than the line (TeX squeezes its binary operators' spaces to nothing),
# an align (its numbers at the margin) and one whose two column pairs stand as far apart as the line is wide.
# FONTS is where a paper's math font packages go.
PAPER = r"""\documentclass{article}\usepackage{amsmath}\usepackage{amssymb}FONTS\begin{document}
Let us consider a model structure $\mathcal{M} = \{M(\theta),\; \theta \in \mathbb{R}^{n_\theta}\}$, where
$M(\theta)$ represents a dynamical model parametrized by a real-valued vector $\theta$ of length $n_\theta = 24$,
and the input $u(t)$ is known for $t \geq 0$ only. The model is trained on the whole record at once, and no
state of the system is measured: every sample of the output is compared with the simulated one. The output is
\[ y(t) = \sum_{k=1}^{n_a} a_k \, y(t-k) + b_0 u(t) + \frac{\beta_1}{1 + \alpha_2} \]
and its whole past is
\[ SUM \]
and the state equations read
\begin{align}
\dot x &= A_L x + B_L u, \\
y &= C_L x + \mathcal{N}_g(x; \theta).
\end{align}
which is the convolution
\begin{align}
\mathbf{y}_i &= (\mathbf{g} * \mathbf{u})_i, & i &= 0,1,\dots,T-1 \\
&= (b * \mathbf{u})_i, & i &= 0,1,\dots,T-1.
\end{align}
\end{document}""".replace("SUM", SUM)
TARGET = ("Let us consider a model structure \\(\\mathcal{M} = \\{M(\\theta),\\; \\theta \\in \\mathbb{R}^{n_\\theta}\\}\\), "
          "where \\(M(\\theta)\\) represents a dynamical model parametrized by a real-valued vector \\(\\theta\\) of "
          "length \\(n_\\theta = 24\\), and the input \\(u(t)\\) is known for \\(t \\geq 0\\) only. The model is trained "
          "on the whole record at once, and no state of the system is measured: every sample of the output is "
          "compared with the simulated one. The output is\n\n"
          "\\[y(t) = \\sum_{k=1}^{n_a} a_k \\, y(t-k) + b_0 u(t) + \\frac{\\beta_1}{1 + \\alpha_2}\\]\n\n"
          f"and its whole past is\n\n\\[{SUM}\\]\n\n"
          "and the state equations read\n\n\\begin{align*}\n\\dot x &= A_L x + B_L u, \\tag{1} \\\\\n"
          "y &= C_L x + \\mathcal{N}_g(x; \\theta). \\tag{2}\n\\end{align*}\n\nwhich is the convolution\n\n"
          "\\begin{align*}\n\\mathbf{y}_i &= (\\mathbf{g} * \\mathbf{u})_i,  &i&=0,1,\\dots,T-1 \\tag{3} \\\\\n"
          "&= (b * \\mathbf{u})_i,  &i&=0,1,\\dots,T-1. \\tag{4}\n\\end{align*}")
# one letter or digit inside a formula (what PP-OCR reads as symbols no target spells the same way); the last four
# are subscripts, which the check missed while it counted changed pixels only
CHANGES = (("y(t-k)", "y(t-h)"), ("n_\\theta = 24", "n_\\theta = 25"), ("C_L x", "C_L z"), ("\\beta_1", "\\gamma_1"),
           ("\\mathcal{N}_g", "\\mathcal{N}_f"), ("a_{7} u_{7}", "a_{7} v_{7}"), ("b_0 u(t)", "b_6 u(t)"),
           ("a_k \\, y", "a_h \\, y"), ("1 + \\alpha_2", "1 + \\alpha_3"), ("a_{3} u_{3}", "a_{3} u_{8}"))


NO_PROBLEM = {"out_of_order": 0, "missing": 0, "misread": 0, "unprinted": 0, "tags_missing": 0, "split": 0}


def printed(fonts: str = ""):
    with PdfDocument(compile_document(PAPER.replace("FONTS", fonts)).pdf) as doc:
        return doc.render(0, 144.0)


def lines(image) -> list[tuple[int, int, tuple[float, float, float, float]]]:
    """The first paragraph's lines as the strict reader places them (PP-OCR's boxes, here the ink's): they tell the
    check where the page's lines start and end."""
    ink = np.asarray(image.convert("L")) < 200
    rows = np.flatnonzero(ink.any(axis=1))
    runs = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)[:4]
    boxes = []
    for run in runs:
        cols = np.flatnonzero(ink[run[0]:run[-1] + 1].any(axis=0))
        boxes.append((float(cols[0]), float(run[0]), float(cols[-1] + 1), float(run[-1] + 1)))
    return [(0, 0, box) for box in boxes]


def judge(target: str, image) -> dict:
    _, _, formulas = _reading(target)
    return check(formulas, image, {"dpi": 144.0}, lines(image))


@pytest.mark.slow  # a document and 40 snippet compiles: about 90 s
def test_a_papers_formulas_are_found_as_typeset_and_a_changed_letter_or_digit_is_not():
    page = printed()
    right = judge(TARGET, page)
    assert right["formulas"] == right["checked"] == 10 and right["unmatched"] == 0, right  # the second align
    # typeset at the page's line width (its column pairs stand 60 px further apart in a paragraph as wide as
    # standalone's)
    assert (right["font"], right["size"]) == ("cm", "10"), right  # the paper's math font and type size, read from
    # the page
    assert right["numbers"] == ["(1)", "(2)", "(3)", "(4)"], right  # each equation number typeset and found right
    # of its formula
    for old, new in CHANGES:
        assert TARGET.count(old) == 1
        wrong = judge(TARGET.replace(old, new), page)
        assert wrong["unmatched"] == 1, (old, new, wrong)
    assert judge(TARGET.replace("\\tag{4}", "\\tag{7}"), page)["numbers"] == ["(1)", "(2)", "(3)"]


@pytest.mark.slow  # two documents and 30 snippet compiles: about 60 s
def test_a_paper_in_times_math_is_judged_in_its_own_font_and_one_in_a_font_none_reproduces_is_not_judged():
    times = printed(r"\usepackage{newtxtext}\usepackage{newtxmath}")
    target = TARGET.replace(f"and its whole past is\n\n\\[{SUM}\\]\n\n", "")  # Times' thin serifs leave up to
    # 14 changed pixels in a piece of this long display: above `CHANGED_PX`
    right = judge(target, times)
    assert right["font"] == "newtx" and right["checked"] == 9 and right["unmatched"] == 0, right
    assert judge(target.replace("C_L x", "C_L z"), times)["unmatched"] == 1
    palatino = judge(TARGET.replace("C_L x", "C_L z"), printed(r"\usepackage{mathpazo}"))
    assert palatino["formulas"] == 10 and palatino["checked"] == 0 and palatino["unmatched"] == 0, palatino


def test_an_equation_number_is_read_at_the_margin_and_a_figures_label_inside_the_column_is_not():
    """A figure's label `(31)` read by PP-OCR inside the column was taken for an equation number the target lacks
    (a right real page flagged); an equation's number ends where the column's lines end (or starts where they
    start, `leqno`)."""
    column = [(0, 0, (314.0, 100.0 + 30 * k, 907.0 + k % 3, 120.0 + 30 * k)) for k in range(12)]
    column.append((0, 0, (265.0, 500.0, 956.0, 520.0)))  # a wide table's line stands out of the column
    assert _at_margin((859.0, 461.0, 910.0, 490.0), column)  # (31a), at the right margin
    assert _at_margin((314.0, 461.0, 350.0, 490.0), column)  # (2), at the left margin (leqno)
    assert not _at_margin((530.0, 902.0, 561.0, 922.0), column)  # a diagram's label mid-column
    assert not _at_margin((859.0, 461.0, 910.0, 490.0), [])  # no line placed across it: nothing to tell


def test_a_formula_in_a_footnote_is_typeset_at_the_footnote_size():
    """A footnote's `x_1` is printed at 8 pt in a 10 pt paper: typeset at 10 pt it differed in its script (a right
    real page flagged). The target says a footnote by its mark, `\\({ }^{3}\\)`, opening the paragraph."""
    target = "We set \\(x\\) here.\\({ }^{3}\\)\n\n\\({ }^{3}\\) The subscript of \\(x_1\\) names it."
    assert [(f.latex, f.note) for f in _reading(target)[2]] == [("x", False), ("{ }^{3}", False), ("{ }^{3}", True),
                                                               ("x_1", True)]


def test_a_formula_latex_refuses_is_a_problem_and_a_cell_opening_dots_is_not_refused():
    """A prose line moved into a display (`\\begin{aligned}... where \\(\\sigma\\) denotes...`) is a formula LaTeX
    refuses alone: nothing a page prints, where it went unjudged (4 swapped or interleaved real pages passed). A right
    real page's `&\\dots` opening an `aligned` cell, which MathJax prints and amsmath's lookahead stops on, is typeset
    (it was refused, and its page's 22 formulas' neighbour went unjudged)."""
    right = "Then\n\n\\[\\begin{aligned}&a_0 = b_0, \\qquad \\\\\n &\\dots, \\qquad a_2 = b_2.\\end{aligned}\\]\n\nso."
    moved = "Then\n\n\\[\\begin{aligned}r &= \\sigma(\\rho)\\\\\nwhere \\(\\sigma\\) is the sigmoid\\end{aligned}\\]"
    blank = Image.new("RGB", (1224, 1584), "white")  # no font fits: the formulas are not judged, but typeset
    assert check(_reading(right)[2], blank, {"dpi": 144.0}, [])["untypeset"] == 0
    wrong = check(_reading(moved)[2], blank, {"dpi": 144.0}, [])
    assert wrong["untypeset"] == 1 and wrong["untypeset_first"][0].startswith("\\begin{aligned}r"), wrong
    assert layout({**NO_PROBLEM, "formulas_untypeset": 1}) < 0.85 <= layout(NO_PROBLEM)
