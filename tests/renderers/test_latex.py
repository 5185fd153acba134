"""renderers.latex: real pdflatex and xelatex, batches against single compiles, and the sandbox."""

from __future__ import annotations

import os

import psutil
import pytest
from PIL import ImageOps

from conftest import pixels
from renderers.errors import RenderError
from renderers.latex import CJK_PREAMBLE, LatexConfig, render_latex
from renderers.result import Rendered

PREAMBLE = r"\usepackage{amsmath}\usepackage{tikz}"
SNIPPETS = [
    r"$\int_0^1 x^2\,dx = \frac{1}{3}$",
    r"\begin{tabular}{|l|r|}\hline Name & Value\\\hline $\alpha$ & 1.5\\\hline\end{tabular}",
    r"\begin{tikzpicture}\draw[->] (0,0) -- (1.5,1) node[right]{$v$};\fill (0,0) circle (2pt);\end{tikzpicture}",
    r"\stepcounter{equation}(\theequation) $e^{i\pi}+1=0$",  # reads a counter: reset per snippet
    r"\stepcounter{equation}(\theequation) $e^{i\pi}+1=0$",
]
GOOD = r"$\sqrt{2}$ \stepcounter{equation}(\theequation)"


def reasons(results: list[Rendered | RenderError]) -> list[str]:
    return [r.reason if isinstance(r, RenderError) else "ok" for r in results]


@pytest.fixture(scope="module")
def batch() -> list[Rendered | RenderError]:
    return render_latex(SNIPPETS, PREAMBLE)


@pytest.fixture(scope="module")
def good_alone() -> bytes:
    return pixels(render_latex([GOOD])[0])


def test_batch_is_byte_identical_to_single_compiles(batch):
    assert reasons(batch) == ["ok"] * len(SNIPPETS)
    for snippet, result in zip(SNIPPETS, batch):
        assert pixels(render_latex([snippet], PREAMBLE)[0]) == pixels(result), snippet
        assert result.info["program"] == "pdflatex" and result.info["dpi"] == 200
        width, height = result.info["page_pt"]
        assert result.image.size == (pytest.approx(width * 200 / 72, abs=1), pytest.approx(height * 200 / 72, abs=1))
    assert pixels(batch[3]) == pixels(batch[4])  # the same counter value, batched or not
    in_pairs = render_latex(SNIPPETS, PREAMBLE, LatexConfig(batch_size=2))
    assert [pixels(r) for r in in_pairs] == [pixels(r) for r in batch]


def test_page_is_the_box_plus_the_margin():
    one_inch = r"\rule{72.27pt}{36.135pt}"  # 1 x 0.5 inch of black
    tight, framed = (render_latex([one_inch], config=LatexConfig(dpi=100, margin_pt=m))[0] for m in (0, 7.227))
    assert tight.image.size == (100, 50) and tight.info["page_pt"] == [72, 36]
    assert tight.image.convert("L").getextrema() == (0, 0)  # all ink, no white border
    assert framed.image.size == (120, 70)  # 0.1 inch of white on each side
    ink = ImageOps.invert(framed.image.convert("L")).getbbox()
    assert ink == pytest.approx((10, 10, 110, 60), abs=1)  # TeX's sub-pixel rounding may grey one column


def test_bad_snippets_do_not_spoil_their_batch(good_alone):
    snippets = [GOOD, r"$\undefinedmacro x$", GOOD, r"$\frac{a}{b$", GOOD, r"\iftrue x", GOOD]
    results = render_latex(snippets)
    assert reasons(results) == ["ok", "latex_error", "ok", "latex_error", "ok", "latex_error", "ok"]
    assert all(pixels(r) == good_alone for r in results[::2])
    assert str(results[1]) == r"latex_error: ! Undefined control sequence. l.22 $\undefinedmacro | $\undefinedmacro x$"
    assert "File ended while scanning use of \\frac" in results[3].excerpt
    assert "left a group or conditional open" in results[5].excerpt


def test_missing_package_fails_every_snippet_with_its_name():
    results = render_latex([GOOD, GOOD], r"\usepackage{nosuchpackage}")
    assert reasons(results) == ["latex_missing_file"] * 2
    assert "File `nosuchpackage.sty' not found" in results[0].excerpt


@pytest.mark.parametrize("snippet, excerpt", [
    (r"\input{/etc/passwd}", "Not reading from /etc/passwd"),
    (r"\input{../../../../../../etc/passwd}", "Not reading from ../../../../../../etc/passwd"),
    (r"\immediate\write18{touch pwned}x", r"runsystem\(touch pwned\)...disabled"),
    (r"x\write18{touch pwned}", r"runsystem\(touch pwned\)...disabled"),
    (r"\immediate\openout5=/tmp/pwned.txt x", "Not writing to /tmp/pwned.txt"),
    (r"\immediate\openout5=pwned.txt \immediate\write5{x}x", r"\\openout5 = `pwned.txt'"),
])
def test_sandbox_refuses_files_and_shell(snippet, excerpt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (result,) = render_latex([snippet], config=LatexConfig(tmp_root=str(tmp_path)))
    with pytest.raises(RenderError, match=f"latex_forbidden: .*{excerpt}"):
        raise result
    assert "root:" not in result.excerpt
    assert os.listdir(tmp_path) == [] and not os.path.exists("/tmp/pwned.txt")


def test_forbidden_snippet_is_isolated_in_a_batch(tmp_path, good_alone):
    results = render_latex([GOOD, r"\input{/etc/passwd}", GOOD], config=LatexConfig(tmp_root=str(tmp_path)))
    assert reasons(results) == ["ok", "latex_forbidden", "ok"]
    assert pixels(results[0]) == pixels(results[2]) == good_alone
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
def test_endless_loop_is_killed_and_its_batch_mates_render(tmp_path, good_alone):
    # the limit must exceed a good compile on a busy machine (2 s timed the good ones out under load)
    config = LatexConfig(timeout_s=15, tmp_root=str(tmp_path))
    results = render_latex([GOOD, r"\loop\iftrue\repeat", GOOD], config=config)
    assert reasons(results) == ["ok", "render_timeout", "ok"]
    assert str(results[1]) == r"render_timeout: over 15 s | \loop\iftrue\repeat"
    assert pixels(results[0]) == pixels(results[2]) == good_alone
    assert os.listdir(tmp_path) == []
    assert not [p for p in psutil.process_iter(["cwd"]) if (p.info["cwd"] or "").startswith(str(tmp_path))]


def test_huge_box_is_refused_before_rasterising():
    results = render_latex([r"\rule{10000pt}{10000pt}", r"\rule{1900pt}{1900pt}"], config=LatexConfig(dpi=600))
    assert reasons(results) == ["page_too_large"] * 2
    assert results[0].excerpt == "9967 x 9967 pt over 2000 pt"
    assert "px over the" in results[1].excerpt  # within 2000 pt, but over the pixel limit at 600 dpi


@pytest.mark.slow
def test_memory_limit_applies_to_tex():
    (result,) = render_latex([GOOD], config=LatexConfig(memory_mb=64))
    with pytest.raises(RenderError, match=r"latex_error: preamble: .*memory exhausted"):
        raise result


def test_blank_snippet_and_config_errors():
    assert reasons(render_latex(["", r"\phantom{x}"])) == ["latex_blank"] * 2
    assert render_latex([]) == []
    with pytest.raises(ValueError, match=r"program must be one of \('pdflatex', 'xelatex'\), got 'lualatex'"):
        LatexConfig(program="lualatex")
    with pytest.raises(ValueError, match="positive dpi"):
        LatexConfig(dpi=0)


@pytest.mark.slow
def test_xelatex_chinese_batch_and_missing_glyph():
    config = LatexConfig(program="xelatex", texts=True)
    chinese = r"勾股定理：$a^2+b^2=c^2$"
    results = render_latex([chinese, "script 𝒳"], CJK_PREAMBLE, config)
    assert reasons(results) == ["ok", "latex_missing_glyph"]
    assert "There is no 𝒳 (U+1D4B3) in font" in results[1].excerpt
    assert results[0].info["program"] == "xelatex"
    assert results[0].texts[0].text.startswith("勾股定理")
    assert pixels(render_latex([chinese], CJK_PREAMBLE, config)[0]) == pixels(results[0])
