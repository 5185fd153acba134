"""The strict reader of real papers' pages (`pipelines.readers.paper_pages`): what it judges of a line placed over
inline math, a line the target dropped between two it holds, and markup in the prose. Each was a mutation of
bench/results/mutate-pages-real.json that passed."""

from __future__ import annotations

from pipelines.readers.paper_pages import PLACE, _find, _prose_exact, _reading, _side_by_side, layout, prose_markup
from pipelines.readers.text import blind

TARGET = ("Previously we wrote the model. Therefore, in the case of an explicit ODE solver, the derivatives of the "
          "loss \\(J(\\theta, x_0)\\) with respect to \\(\\theta\\) can be obtained by back-propagation.")


def place(target: str, line: str) -> bool:
    """Whether a detected line, placed where it stands in the target's text (as `_find` places it), is exact."""
    text, mask = _reading(target)[:2]
    score, start, end = _find(blind(line), text)
    assert score >= PLACE and any(mask[start:end])
    return _prose_exact(blind(line), text, mask, start, end)


def test_a_changed_letter_before_a_lines_first_formula_is_a_misread():
    """The prose before a line's first formula and after its last was never compared (a place found by its
    formulas' letters may begin on the line before): "explicit UDE solver" passed for "explicit ODE solver"."""
    line = "in the case of an explicit ODE solver, the derivatives of the loss J(θ, x0) with respect to θ can"
    assert place(TARGET, line)
    assert not place(TARGET.replace("ODE", "UDE"), line)
    assert place(TARGET, "the case of an explicit ODE solver, the derivatives of the loss J(θ, x0) with respect")


def test_a_line_between_two_the_target_holds_side_by_side_is_dropped():
    """A code line (`pages={612--626},`) reads as no prose, so it was never looked for; printed between two lines
    the target holds next to each other, it is one the target dropped."""
    text, mask = _reading("```\n  number={4},\n  year={2021},\n```\n\nas \\(x\\) and then")[:2]
    year = text.find("year")
    assert _side_by_side(text, mask, (0, year, False), (year, year + 10, False))
    x = text.find("and")
    assert not _side_by_side(text, mask, (0, x - 3, False), (x, x + 3, False))  # a formula between them


def test_latex_markup_in_the_prose_is_a_problem():
    """A display's row moved past its `\\end{align*}` is prose holding `\\mathcal` and `\\tag`: no page prints it."""
    moved = "\\begin{align*}\n\\dot x_1 &= u \\tag{7a} \\\\\n\\end{align*}\n\\dot x_2 &= \\mathcal{N}(x) \\tag{7b}"
    assert prose_markup(moved) == ["\\dot", "&=", "\\mathcal", "\\tag"]
    assert not prose_markup("R&D costs 5\\% and \\(\\mathcal{N}\\) and ```\\textit{x}``` is code")  # not prose
    judged = {"out_of_order": 0, "missing": 0, "misread": 0, "unprinted": 0, "tags_missing": 0, "split": 0}
    assert layout({**judged, "markup": 3}) < 0.85 <= layout(judged)
