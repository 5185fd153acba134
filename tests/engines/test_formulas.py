"""The formulas engine: its generator against real formulas, its source reader, both renderers, the sandbox."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

import engines.formulas.engine as formulas_engine
from conftest import REPO
from engines import Draw, make_rng
from engines.base import SampleError
from engines.formulas import FormulasEngine
from engines.formulas.content import PREAMBLE, latex_tokens, random_formula
from engines.formulas.engine import FormulasConfig
from engines.formulas.source import load_formulas
from engines.formulas.style import LatexStyle
from renderers.errors import RenderError
from renderers.latex import render_latex
from renderers.mathpix import MathpixStyle, render_mathpix

FORMULAS = [random_formula(np.random.default_rng(i)) for i in range(400)]


def quantiles(values: list[int]) -> list[float]:
    return [float(np.quantile(values, q)) for q in (0.25, 0.5, 0.75, 0.9)]


@pytest.mark.slow
def test_generated_lengths_follow_real_formulas(shared_data: Path) -> None:
    real = [f.latex for f in load_formulas(str(shared_data / "tex" / "formulas.txt")).items]
    displayed = [latex_tokens(random_formula(np.random.default_rng(i), display=True)) for i in range(1500)]
    for ours, theirs in zip(quantiles(displayed), quantiles([latex_tokens(f) for f in real])):
        assert 0.75 <= ours / theirs <= 1.3, (quantiles(displayed), quantiles([latex_tokens(f) for f in real]))
    inline = [latex_tokens(random_formula(np.random.default_rng(i), display=False)) for i in range(500)]
    assert np.median(inline) < np.median(displayed) / 3


def test_generator_writes_every_construct_and_is_deterministic() -> None:
    text = "\n".join(FORMULAS)
    for construct in (r"\frac{", r"\sqrt", r"\sum_{", r"\int_", r"\prod", r"\begin{cases}", r"\begin{aligned}",
                      r"matrix}", r"\begin{array}", r"\left(", r"\right)", r"\hat{", r"\tilde{", r"\alpha", r"\Omega",
                      r"\sin", r"\text{", r"\partial", r"\mathcal{", r"\lim_{", r"\binom"):
        assert construct in text, construct
    assert re.search(r"_\{[a-z]_\{", text), "nested scripts"
    assert FORMULAS[:5] == [random_formula(np.random.default_rng(i)) for i in range(5)]
    assert len(set(FORMULAS)) >= 0.98 * len(FORMULAS)  # only the shortest inline ones repeat


@pytest.mark.slow
def test_generated_formulas_render_in_latex_and_mathpix() -> None:
    sample = FORMULAS[:24]
    latex = render_latex([f"$\\displaystyle {f}$" for f in sample], PREAMBLE)
    assert [f for f, r in zip(sample, latex) if isinstance(r, RenderError)] == []
    mathpix = render_mathpix([f"\\[ {f} \\]" for f in sample])
    assert [f for f, r in zip(sample, mathpix) if isinstance(r, RenderError)] == []


PAPER = r"""\documentclass{article}
\newcommand{\R}{\mathbb{R}}
\newcommand{\norm}[1]{\left\lVert #1 \right\rVert}
\def\half{\frac{1}{2}}
\DeclareMathOperator{\tr}{tr}
\begin{document}
Inline $x \in \R^n$ and \(\norm{v} \leq 1\), a price of \$5, and $a$.
\[ E = m c^2 \label{eq:e} \]
\begin{equation} \label{eq:first}
  y = \half \tr(A) % a comment
\end{equation}
\begin{align*}
  a &= b + c \\
  d &= e \nonumber \\
\end{align*}
\begin{gather} p = q \\ r = s \end{gather}
\begin{multline*} u + v \\ = w \end{multline*}
$$ \sum_{k=1}^n k = \frac{n(n+1)}{2} $$
Again $x \in \R^n$, see \eqref{eq:e}: $z = \ref{eq:first}$.
$\input{/etc/passwd}$ and $\immediate\write18{touch /tmp/x}$
\begin{verbatim} $not = math$ \end{verbatim}
\end{document}
"""


def test_tex_sources_are_extracted_expanded_and_normalised(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(PAPER)
    found = load_formulas(str(tmp_path / "paper.tex"))
    got = {(f.latex, f.display) for f in found.items}
    assert got == {
        (r"x \in \mathbb{R}^n", False), (r"\left\lVert v \right\rVert \leq 1", False),
        ("E = m c^2", True), (r"y = \frac{1}{2} \operatorname{tr}(A)", True),
        (r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}", True),
        (r"\begin{gathered} p = q \\ r = s \end{gathered}", True),
        (r"\begin{gathered} u + v \\ = w \end{gathered}", True),
        (r"\sum_{k=1}^n k = \frac{n(n+1)}{2}", True)}
    assert found.skipped == {"too_short": 1, "duplicate": 1, "reference": 1, "unsafe_command": 2}
    assert found.examples["unsafe_command"].startswith("paper.tex:20: ")
    assert all(f.where.startswith("paper.tex:") for f in found.items)


@pytest.mark.slow
def test_formula_list_keeps_raw_formulas_and_counts_skips(shared_data: Path) -> None:
    found = load_formulas(str(shared_data / "tex" / "formulas.txt"))
    assert len(found.items) == 691 and found.skipped == {"commented_out": 8, "too_short": 1}  # 449: a bare \label
    first = found.items[0]
    assert first.display and first.where == "formulas.txt:1" and r"\label" not in first.latex and "\t" not in first.latex
    engine = FormulasEngine(FormulasConfig(source=str(shared_data / "tex" / "formulas.txt")))
    results = engine.sample_batch([Draw(i, 0, make_rng(0, "formulas", i)) for i in range(20)])
    failed = [r for r in results if isinstance(r, Exception)]
    assert len(failed) < 5 and all(isinstance(r, SampleError) and r.reason == "mathpix_error" for r in failed)
    assert engine.describe()["skipped"] == {"commented_out": 8, "too_short": 1}


@pytest.mark.slow
def test_targets_are_mathpix_markdown_of_what_was_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formulas_engine, "latex_style", lambda rng: LatexStyle("times", 12.0, 4))  # one quick font
    engine = FormulasEngine(FormulasConfig(renderer="mixed", latex_share=0.5))
    samples = [s for s in engine.sample_batch([Draw(i, 0, make_rng(1, "formulas", i)) for i in range(6)])
               if not isinstance(s, Exception)]
    assert len(samples) >= 5 and {s.meta["renderer"] for s in samples} == {"mathpix", "latex"}
    for s in samples:
        body = s.target[3:-3]
        assert s.target == (f"\\[ {body} \\]" if s.meta["display"] else f"\\( {body} \\)")
        assert s.prompt == "OCR with format: " and s.task == "format"
        if s.meta["renderer"] == "mathpix":  # the target itself is what Mathpix drew
            again = render_mathpix([s.target], MathpixStyle(**s.meta["style"]))[0]
            assert again.image.tobytes() == s.images[0].tobytes()


DANGEROUS = {
    r"$\input{/etc/passwd}$": ("unsafe_command", {"latex_forbidden", "latex_missing_file"}),
    r"$\immediate\write18{touch /tmp/got-formula-pwned}$": ("unsafe_command", {"latex_forbidden"}),
    r"$\immediate\openout5=/tmp/got-formula-out.tex x$": ("unsafe_command", {"latex_forbidden"}),
    r"$\loop\iftrue\repeat x$": ("unsafe_command", {"render_timeout"}),
    r"$\def\spin{\spin}\spin + x$": ("macro_recursion", None),
}


@pytest.mark.slow
def test_sandbox_refuses_or_times_out_dangerous_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "\n".join(list(DANGEROUS) + [r"$\rule{400cm}{1cm} + x$", r"$a + b = c$"])
    (tmp_path / "evil.tex").write_text(f"\\begin{{document}}\n{body}\n\\end{{document}}\n")
    found = load_formulas(str(tmp_path / "evil.tex"))
    assert found.skipped == {"unsafe_command": 4, "macro_recursion": 1}  # the first fence: never rendered
    assert [f.latex for f in found.items] == [r"\rule{400cm}{1cm} + x", "a + b = c"]

    # The second fence: with the filter off, LaTeX's own sandbox refuses each, or its time runs out.
    load_formulas.cache_clear()
    monkeypatch.setattr("engines.formulas.source.UNSAFE", re.compile(r"(?!)"))
    monkeypatch.setattr(formulas_engine, "LATEX", dataclasses.replace(formulas_engine.LATEX, timeout_s=4.0))
    monkeypatch.setattr(formulas_engine, "latex_style", lambda rng: LatexStyle("computer-modern", 12.0, 4))
    engine = FormulasEngine(FormulasConfig(source=str(tmp_path / "evil.tex"), renderer="latex"))
    results = engine.sample_batch([Draw(i, 0, make_rng(0, "formulas", i)) for i in range(len(engine.formulas))])
    load_formulas.cache_clear()
    drawn = [engine.source_item(engine.formulas, i, 0) for i in range(len(engine.formulas))]
    reasons = {f.latex: (r.reason if isinstance(r, SampleError) else "ok") for f, r in zip(drawn, results)}
    for source, (_, sandbox) in DANGEROUS.items():
        latex = source.strip("$")
        if sandbox is not None:
            assert reasons[latex] in sandbox, (latex, reasons[latex])
    assert reasons[r"\rule{400cm}{1cm} + x"] == "page_too_large" and reasons["a + b = c"] == "ok"
    assert not Path("/tmp/got-formula-pwned").exists() and not Path("/tmp/got-formula-out.tex").exists()
    assert all("root:" not in r.target for r in results if not isinstance(r, Exception))


def test_config_errors_name_the_flag() -> None:
    with pytest.raises(ValueError, match="--renderer"):
        FormulasConfig(renderer="katex").check()
    with pytest.raises(ValueError, match="--latex-share"):
        FormulasConfig(latex_share=2).check()
    with pytest.raises(ValueError, match="--source /nope"):
        FormulasConfig(source="/nope").check()


def test_a_list_of_prose_is_refused_and_prose_lines_skipped(tmp_path: Path) -> None:
    """A README given as a formula list would draw italic words as "formulas"; real formulas never read as prose."""
    from engines.formulas.source import load_formulas, reads_as_prose

    readme = REPO / "README.md"
    with pytest.raises(ValueError, match=r"--source .*README.md: \d+ of \d+ lines read as prose.*give a formula list"):
        load_formulas(str(readme))
    listed = tmp_path / "mixed.lst"
    listed.write_text("a^2 + b^2 = c^2\nthe proof follows from here\n\\text{for all the rest} x > 0\n")
    found = load_formulas(str(listed))
    assert [f.latex for f in found.items] == ["a^2 + b^2 = c^2", "\\text{for all the rest} x > 0"]
    assert dict(found.skipped) == {"prose": 1}
    assert not reads_as_prose(r"\sigma ( x ) = \frac { 1 } { 2 } \mathrm { for all } x")


def test_default_mix_draws_half_in_latex_fonts_by_their_share_in_papers() -> None:
    """By default a model meets MathJax and typeset LaTeX alike: half the formulas in LaTeX, Computer Modern
    the most common math font, Times next, the OpenType math fonts of XeLaTeX papers rarer (no drawing needed)."""
    from collections import Counter

    from engines.formulas.style import MATH_FONTS

    engine = FormulasEngine()
    plans = [engine._plan(Draw(i, 0, make_rng(0, "formulas", i))) for i in range(600)]
    latex = Counter(p.style.font for p in plans if p.renderer == "latex")
    assert 0.42 < sum(latex.values()) / len(plans) < 0.58
    ranked = [font for font, _ in latex.most_common()]
    assert ranked[:2] == ["computer-modern", "times"] and len(latex) == 8
    xelatex = sum(n for font, n in latex.items() if MATH_FONTS[font].engine == "xelatex")
    assert 0.15 < xelatex / sum(latex.values()) < 0.45


def test_doc_sources_stamps_and_macro_bodies_are_skipped_not_drawn(tmp_path: Path) -> None:
    """Real LaTeX beside papers (texlive's own docs, plain-TeX macro files) holds `$...$` that is no formula."""
    (tmp_path / "scrbase-en.tex").write_text(
        "\\ProvidesFile{scrbase-en.tex}\n  [$Date: 2022-07-17 11:19:00 +0200 (So, 17. Jul 2022) $ scrbase]\n"
        "\\def\\row{\\hfil$\\displaystyle##$\\hfil}\n"
        "$\\# 1 + x = y$ and $\\{a, b\\} \\ni c$\n"
        "\\draw ($(c)-(0.15,0)$) -- ($(a)!0.5!(b)$);\n$(a+b)-(c+d)$\n"  # worldflag_VU.tex's TikZ; then real math
        "\\def\\mathon{$}\n\\vcenter{\\hbox to\\wd0{$\\hss\\scriptscriptstyle/\\hss$}}\n")  # as gkpmac.tex pairs
    found = load_formulas(str(tmp_path / "scrbase-en.tex"))
    assert [f.latex for f in found.items] == [r"\# 1 + x = y", r"\{a, b\} \ni c", "(a+b)-(c+d)"]
    assert found.skipped == {"rcs_keyword": 1, "macro_definition": 1, "unbalanced": 1, "tikz_coordinate": 2}


def test_a_source_not_in_utf8_is_skipped_not_read_as_garbage(tmp_path: Path) -> None:
    """texlive's kinsoku.tex is ISO-2022-JP: the `$` of its `ESC $ B` escapes opened "formulas" of control codes."""
    jis = "\\prebreakpenalty`\u3001=10000\n\\prebreakpenalty`\u3002=10000\n".encode("iso2022_jp")
    (tmp_path / "kinsoku.tex").write_bytes(jis)
    (tmp_path / "latin1.tex").write_bytes("$\\mathit{k\u00e4se} + 1 = 2$\n".encode("latin-1"))
    (tmp_path / "utf8.tex").write_text("$x + y = z$\n")
    found = load_formulas(str(tmp_path))
    assert [f.latex for f in found.items] == ["x + y = z"] and found.skipped["not_utf8"] == 2
