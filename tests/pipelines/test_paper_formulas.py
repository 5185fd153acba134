"""A real paper's formulas checked from its page: each typeset alone and found where the target's order puts it
(`pipelines.readers.paper_formulas`). PP-OCR cannot read math, so a changed letter or digit inside `\\(...\\)` or
`\\[...\\]` passed the strict reader (4 and 5 of 9 real pages in bench/results/mutate-pages-real.json)."""

from __future__ import annotations

import pytest

from pipelines.readers.paper_formulas import check
from pipelines.readers.paper_pages import _reading
from renderers.latex import compile_document
from renderers.pymupdf import PdfDocument

SUM = " + ".join(f"a_{{{k}}} u_{{{k}}}" for k in range(1, 25))  # a display wider than the line
# A paper's page as pdflatex prints it: 10 pt Computer Modern, a justified paragraph with inline math (its glue
# stretched), a displayed equation, one wider than the line (TeX squeezes its binary operators' spaces to nothing)
# and an align (its number at the margin). FONTS is where a paper's math font packages go.
PAPER = r"""\documentclass{article}\usepackage{amsmath}\usepackage{amssymb}FONTS\begin{document}
Let us consider a model structure $\mathcal{M} = \{M(\theta),\; \theta \in \mathbb{R}^{n_\theta}\}$, where
$M(\theta)$ represents a dynamical model parametrized by a real-valued vector $\theta$ of length $n_\theta = 24$,
and the input $u(t)$ is known for $t \geq 0$ only. The output is
\[ y(t) = \sum_{k=1}^{n_a} a_k \, y(t-k) + b_0 u(t) + \frac{\beta_1}{1 + \alpha_2} \]
and its whole past is
\[ SUM \]
and the state equations read
\begin{align}
\dot x &= A_L x + B_L u, \\
y &= C_L x + \mathcal{N}_g(x; \theta).
\end{align}
\end{document}""".replace("SUM", SUM)
TARGET = ("Let us consider a model structure \\(\\mathcal{M} = \\{M(\\theta),\\; \\theta \\in \\mathbb{R}^{n_\\theta}\\}\\), "
          "where \\(M(\\theta)\\) represents a dynamical model parametrized by a real-valued vector \\(\\theta\\) of "
          "length \\(n_\\theta = 24\\), and the input \\(u(t)\\) is known for \\(t \\geq 0\\) only. The output is\n\n"
          "\\[y(t) = \\sum_{k=1}^{n_a} a_k \\, y(t-k) + b_0 u(t) + \\frac{\\beta_1}{1 + \\alpha_2}\\]\n\n"
          f"and its whole past is\n\n\\[{SUM}\\]\n\n"
          "and the state equations read\n\n\\begin{align*}\n\\dot x &= A_L x + B_L u, \\tag{1} \\\\\n"
          "y &= C_L x + \\mathcal{N}_g(x; \\theta). \\tag{2}\n\\end{align*}")
# one letter or digit inside a formula (what PP-OCR reads as symbols no target spells the same way)
CHANGES = (("y(t-k)", "y(t-h)"), ("n_\\theta = 24", "n_\\theta = 25"), ("C_L x", "C_L z"), ("\\beta_1", "\\gamma_1"),
           ("\\mathcal{N}_g", "\\mathcal{N}_f"), ("a_{7} u_{7}", "a_{7} v_{7}"))


def printed(fonts: str = ""):
    with PdfDocument(compile_document(PAPER.replace("FONTS", fonts)).pdf) as doc:
        return doc.render(0, 144.0)


def judge(target: str, image) -> dict:
    _, _, formulas = _reading(target)
    return check(formulas, image, {"dpi": 144.0}, [])


@pytest.mark.slow  # a document and 30 snippet compiles: about 60 s
def test_a_papers_formulas_are_found_as_typeset_and_a_changed_letter_or_digit_is_not():
    page = printed()
    right = judge(TARGET, page)
    assert right["formulas"] == right["checked"] == 9 and right["unmatched"] == 0, right
    assert (right["font"], right["size"]) == ("cm", "10"), right  # the paper's math font and type size, read from
    # the page
    for old, new in CHANGES:
        assert TARGET.count(old) == 1
        wrong = judge(TARGET.replace(old, new), page)
        assert wrong["unmatched"] == 1, (old, new, wrong)


@pytest.mark.slow  # two documents and 30 snippet compiles: about 60 s
def test_a_paper_in_times_math_is_judged_in_its_own_font_and_one_in_a_font_none_reproduces_is_not_judged():
    times = printed(r"\usepackage{newtxtext}\usepackage{newtxmath}")
    target = TARGET.replace(f"and its whole past is\n\n\\[{SUM}\\]\n\n", "")  # Times' thin serifs leave up to
    # 14 changed pixels in a piece of this long display: above `CHANGED_PX`
    right = judge(target, times)
    assert right["font"] == "newtx" and right["checked"] == 8 and right["unmatched"] == 0, right
    assert judge(target.replace("C_L x", "C_L z"), times)["unmatched"] == 1
    palatino = judge(TARGET.replace("C_L x", "C_L z"), printed(r"\usepackage{mathpazo}"))
    assert palatino["formulas"] == 9 and palatino["checked"] == 0 and palatino["unmatched"] == 0, palatino
