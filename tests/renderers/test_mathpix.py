"""renderers.mathpix: Mathpix-markdown-it's own bundle in the real Chromium, offline, one image per snippet."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageOps

from conftest import pixels
from renderers.chromium import shared
from renderers.errors import RenderError
from renderers.mathpix import PAGE, MathpixStyle, page_html, render_mathpix
from renderers.result import Rendered

GOOD = [r"\[ \int_0^1 x^2 \, dx = \frac{1}{3} \]", r"\( e^{i\pi} + 1 = 0 \)",
        r"\[ \begin{pmatrix} a & b \\ c & d \end{pmatrix} \]", "<smiles>OC(=O)c1cc(Cl)cs1</smiles>"]
BAD = {r"\[ \undefinedmacro{x} \]": "mathpix_error", r"\[ \frac{a}{ \]": "mathpix_error",
       "<smiles>C1CC(</smiles>": "mathpix_error", r"\[ \def\foo{y} \foo \]": "mathpix_defines_macro",
       r"\( a \) and \( b \)": "mathpix_not_one_drawing", "just words": "mathpix_not_one_drawing"}


def ink_box(result: Rendered) -> tuple[int, int, int, int]:
    return ImageOps.invert(result.image.convert("L")).getbbox()


def test_snippets_draw_offline_and_bad_ones_fail_alone() -> None:
    before = shared().blocked_requests
    mixed = [s for pair in zip(GOOD, BAD) for s in pair] + list(BAD)[len(GOOD):]
    results = render_mathpix(mixed)
    for snippet, result in zip(mixed, results):
        if snippet in BAD:
            assert isinstance(result, RenderError) and result.reason == BAD[snippet], (snippet, result)
        else:
            assert pixels(result) == pixels(render_mathpix([snippet])[0]), snippet  # the same alone
            assert result.info["renderer"] == "mathpix"
    assert shared().blocked_requests == before  # the page asked the network for nothing


def test_a_macro_defined_by_one_snippet_cannot_reach_the_next() -> None:
    first, second = render_mathpix([r"\[ \def\gotx{y} \gotx \]", r"\[ \gotx \]"])
    assert first.reason == "mathpix_defines_macro"
    assert isinstance(second, RenderError) and "gotx" in second.excerpt


@pytest.mark.slow
def test_style_scales_pads_and_colours() -> None:
    small, large = render_mathpix([GOOD[0]] * 2, [MathpixStyle(padding_px=0), MathpixStyle(scale=2, padding_px=10)])
    assert large.image.width == pytest.approx(2 * small.image.width + 20, abs=3)
    left, top, right, bottom = ink_box(large)
    assert left >= 9 and top >= 9 and right <= large.image.width - 9
    red = render_mathpix([GOOD[1]], MathpixStyle(color="#ff0000", background="#ffffe0"))[0].image
    colours = {c for _, c in red.getcolors(1 << 16)}
    assert (255, 255, 224) in colours and any(r > 200 and g < 60 and b < 60 for r, g, b in colours)


def test_size_limit_and_style_validation() -> None:
    wide = r"\[ " + " + ".join(f"x_{{{i}}}" for i in range(400)) + r" \]"
    result = render_mathpix([wide], MathpixStyle(max_px=1000))[0]
    assert isinstance(result, RenderError) and result.reason == "image_too_large"
    with pytest.raises(ValueError, match="smiles_rings"):
        MathpixStyle(smiles_rings="hexagons")
    with pytest.raises(ValueError, match="3 snippets but 2 styles"):
        render_mathpix(GOOD[:3], [MathpixStyle()] * 2)


@pytest.mark.slow
def test_paths_drawn_on_the_canvas_match_the_svg_drawn_as_an_image() -> None:
    """MathJax's paths and rects go straight onto the canvas; the browser's own SVG drawing agrees."""
    snippets = [GOOD[0], GOOD[2],
                r"\[ \sqrt[3]{\frac{\alpha_1}{\overline{x}^2}} \left\{ \begin{array}{c|c} a & b \\ \hline c & d"
                r" \end{array} \right. \]", r"\( {\color{red} x} + \phantom{y} \hat{z} \)",
                r"\[ \Bigg( \sum_{k=0}^{\infty} \binom{n}{k} \Bigg) \]"]
    styles = [MathpixStyle(), MathpixStyle(scale=1.7, color="#202080"), MathpixStyle(font_px=31),
              MathpixStyle(background="#fff8e0"), MathpixStyle(scale=0.8)]
    fast = render_mathpix(snippets, styles)
    shared().call(PAGE, page_html(), "() => { window.gotVectorOff = true; }")
    try:
        slow = render_mathpix(snippets, styles)
    finally:
        shared().call(PAGE, page_html(), "() => { window.gotVectorOff = false; }")
    assert [r.info["drawn_as"] for r in slow] == ["image"] * len(snippets)
    assert sum(r.info["drawn_as"] == "paths" for r in fast) >= 3  # a <line> or nested <svg> goes the image way
    for snippet, a, b in zip(snippets, fast, slow):
        assert a.image.size == b.image.size, snippet
        fast_px, slow_px = (np.asarray(r.image.convert("L"), dtype=float) for r in (a, b))
        difference = np.abs(fast_px - slow_px)
        # Anti-aliasing differs by tens of levels at most; a missing fraction bar is 28 pixels off by 200 or more.
        assert (difference > 100).sum() == 0 and difference.mean() < 0.5, snippet


@pytest.mark.slow
def test_the_page_can_collect_the_last_calls_images() -> None:
    """Calls collect decoded SVG images with `window.gc()`: without it, they pile up and the page slows by half."""
    assert shared().call(PAGE, page_html(), "() => typeof window.gc") == "function"
