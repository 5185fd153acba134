"""A real paper's formulas checked from its page: each typeset alone and found where the target's order puts it
(`pipelines.readers.paper_formulas`). PP-OCR cannot read math, so a changed letter or digit inside `\\(...\\)` or
`\\[...\\]` passed the strict reader (4 and 5 of 9 real pages in bench/results/mutate-pages-real.json)."""

from __future__ import annotations

import pytest

from pipelines.readers.paper_formulas import check
from pipelines.readers.paper_pages import _reading
from renderers.latex import compile_document
from renderers.pymupdf import PdfDocument

# A paper's page as pdflatex prints it: 10 pt Computer Modern, a justified paragraph with inline math (its glue
# stretched), a displayed equation and an align (its number at the margin).
PAPER = r"""\documentclass{article}\usepackage{amsmath}\usepackage{amssymb}\begin{document}
Let us consider a model structure $\mathcal{M} = \{M(\theta),\; \theta \in \mathbb{R}^{n_\theta}\}$, where
$M(\theta)$ represents a dynamical model parametrized by a real-valued vector $\theta$ of length $n_\theta = 24$,
and the input $u(t)$ is known for $t \geq 0$ only. The output is
\[ y(t) = \sum_{k=1}^{n_a} a_k \, y(t-k) + b_0 u(t) + \frac{\beta_1}{1 + \alpha_2} \]
and the state equations read
\begin{align}
\dot x &= A_L x + B_L u, \\
y &= C_L x + \mathcal{N}_g(x; \theta).
\end{align}
\end{document}"""
TARGET = ("Let us consider a model structure \\(\\mathcal{M} = \\{M(\\theta),\\; \\theta \\in \\mathbb{R}^{n_\\theta}\\}\\), "
          "where \\(M(\\theta)\\) represents a dynamical model parametrized by a real-valued vector \\(\\theta\\) of "
          "length \\(n_\\theta = 24\\), and the input \\(u(t)\\) is known for \\(t \\geq 0\\) only. The output is\n\n"
          "\\[y(t) = \\sum_{k=1}^{n_a} a_k \\, y(t-k) + b_0 u(t) + \\frac{\\beta_1}{1 + \\alpha_2}\\]\n\n"
          "and the state equations read\n\n\\begin{align*}\n\\dot x &= A_L x + B_L u, \\tag{1} \\\\\n"
          "y &= C_L x + \\mathcal{N}_g(x; \\theta). \\tag{2}\n\\end{align*}")


@pytest.fixture(scope="module")
def page():
    with PdfDocument(compile_document(PAPER).pdf) as doc:
        return doc.render(0, 144.0)


def judge(target: str, image) -> dict:
    _, _, formulas = _reading(target)
    return check(formulas, image, {"dpi": 144.0}, [])


@pytest.mark.slow  # a document and 10 snippet compiles: about 40 s
def test_a_papers_formulas_are_found_as_typeset_and_a_changed_letter_or_digit_is_not(page):
    right = judge(TARGET, page)
    assert right["formulas"] == right["checked"] == 8 and right["unmatched"] == 0, right
    assert right["size"] == "10", right  # the paper's type size, read from the page
    # one letter or digit inside a formula (what PP-OCR reads as symbols no target spells the same way)
    for old, new in (("y(t-k)", "y(t-h)"), ("n_\\theta = 24", "n_\\theta = 25"), ("C_L x", "C_L z"),
                     ("\\beta_1", "\\gamma_1"), ("\\mathcal{N}_g", "\\mathcal{N}_f")):
        assert TARGET.count(old) == 1
        wrong = judge(TARGET.replace(old, new), page)
        assert wrong["unmatched"] == 1, (old, new, wrong)

