"""**kern engraved by real Verovio, drawn by MuPDF or resvg: real scores, pages, determinism, errors, isolation."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import digest
from engines.base import make_rng
from engines.sheet_music.content import generate
from renderers.errors import RenderError
from renderers.isolated import Isolated
from renderers.pymupdf import render_svg
from renderers.svg import rasterise
from renderers.verovio import ScoreOptions, _for_mupdf, engrave, render_kern, render_kern_isolated

SCALE = "\n".join(["**kern", "*clefG2", "*k[]", "*M4/4", "=1", "4c", "4d", "4e", "4f", "=2", "2g", "4r", "4cc",
                   "==", "*-", ""])


def first_bars(kern: str, bars: int) -> str:
    """The score up to its `bars`-th barline after the first, closed with one terminator per spine."""
    lines, seen = [], 0
    for line in kern.splitlines():
        lines.append(line)
        if line.startswith("="):
            seen += 1
            if seen > bars:
                return "\n".join(lines + ["\t".join(["*-"] * len(line.split("\t")))]) + "\n"
    return kern


def crash_or_render(kern: str):
    """Abort the (child) process on "abort", else render: a stand-in for a score that crashes Verovio."""
    if kern == "abort":
        os.abort()
    return render_kern(kern)


@pytest.fixture(scope="module")
def scores(shared_data: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((shared_data / "kern").glob("*.krn"))}


@pytest.mark.slow
def test_real_scores_render(scores: dict[str, str]) -> None:
    assert len(scores) >= 10
    for name, kern in scores.items():
        result = render_kern(first_bars(kern, 4))
        assert result.info["pages"] == len(result.images) == 1, name
        assert 1 <= result.info["systems"] <= 2 and result.info["notes"] >= 8, name
        width, height = result.image.size
        assert 300 <= width <= 2100 * 0.4 + 2 * 16 and 100 <= height < width, name  # cropped to the music


def test_whole_piece_pages_and_systems(scores: dict[str, str]) -> None:
    piece = scores["chopin_prelude-op28-no07_BH"]
    paged = render_kern(piece)
    assert paged.info["systems"] == sum(paged.info["systems_per_page"]) >= 3
    assert paged.info["pages"] == len(paged.info["systems_per_page"]) == len(paged.images)
    one_line = render_kern(piece, ScoreOptions(breaks="none"))
    assert one_line.info["systems"] == one_line.info["pages"] == 1
    assert one_line.image.width > 1.5 * paged.image.width
    assert one_line.info["notes"] == paged.info["notes"] > 100


def test_same_input_same_bytes() -> None:
    options = ScoreOptions(music_font="Bravura", scale=50)
    first = render_kern(SCALE, options)
    render_kern(SCALE.replace("4cc", "4dd"), ScoreOptions(music_font="Petaluma"))  # state a toolkit could keep
    assert digest(render_kern(SCALE, options).image) == digest(first.image)


def test_options_are_applied_and_recorded() -> None:
    plain = render_kern(SCALE)
    assert plain.info["options"] == dataclasses.asdict(ScoreOptions()) and plain.info["notes"] == 6
    for change in (dict(staff_line_width=0.3), dict(music_font="Leland"), dict(bar_line_width=0.8),
                   dict(spacing_linear=0.6)):
        changed = render_kern(SCALE, ScoreOptions(**change))
        assert digest(changed.image) != digest(plain.image), change
        assert changed.info["options"] == dataclasses.asdict(ScoreOptions(**change))
    assert render_kern(SCALE, ScoreOptions(scale=80)).image.width > 1.8 * plain.image.width
    tinted = render_kern(SCALE, ScoreOptions(background="#fff8e7", margin=10))
    assert tinted.image.getpixel((0, 0)) == (255, 248, 231)
    with pytest.raises(ValueError, match="Verovio refused barLineWidth=0.95"):
        render_kern(SCALE, ScoreOptions(bar_line_width=0.95))
    with pytest.raises(ValueError, match="music_font must be one of"):
        ScoreOptions(music_font="Comic")


@pytest.mark.parametrize("kern", ["", "hello world", "**kern\n4q\n*-\n", "**kern\n*-\n"])
def test_nothing_to_draw_is_a_verovio_error(kern: str) -> None:
    with pytest.raises(RenderError, match="verovio_error: no note or rest drawn"):
        render_kern(kern)


@pytest.mark.slow
def test_isolated_child_renders_the_same_and_survives_a_crash() -> None:
    assert digest(render_kern_isolated(SCALE).image) == digest(render_kern(SCALE).image)
    with pytest.raises(RenderError, match="verovio_error"):
        render_kern_isolated("hello world")
    child = Isolated(crash_or_render, timeout_s=60, name="verovio-test")
    try:
        with pytest.raises(RenderError, match="renderer_crashed"):
            child("abort")
        assert child(SCALE).info["notes"] == 6 and child.restarts == 1
    finally:
        child.close()


@pytest.mark.slow
def test_mupdf_draws_a_score_as_resvg_draws_it() -> None:
    """MuPDF reads no CSS: Verovio's stylesheet, written into attributes, must give resvg's picture.

    Without the strokes, stems and staff lines vanish; without hiding the placeholder, a dot shows
    at the system's start (26-50 pixels apart by more than 100 grey levels on real scores).
    """
    options = ScoreOptions(background="#fbf6e9")
    kerns = [SCALE] + [generate(make_rng(3, "verovio-test", i), 4).kern(4, False) for i in range(1, 4)]
    # a tempo word (!!!OMD) is text, which goes to resvg (the test below): these pieces are drawn without it
    kerns = ["\n".join(line for line in k.splitlines() if not line.startswith("!!!OMD")) for k in kerns]
    for kern in kerns:
        svg = engrave(kern, options).pages[0]
        assert "<text" not in svg  # no measure number: words go to resvg
        assert render_kern(kern, options).info["drawn_by"] == ["mupdf"]
        ours = np.asarray(render_svg(_for_mupdf(svg, options.background)).convert("L"), float)
        theirs = np.asarray(rasterise(svg, background=options.background).convert("L"), float)
        assert ours.shape == theirs.shape
        apart = np.abs(ours - theirs)
        assert (apart > 100).sum() <= 8 and apart.mean() < 4, kern
        assert 0.9 < (ours < 128).sum() / (theirs < 128).sum() < 1.25


def test_words_and_unknown_stylesheets_are_drawn_by_resvg() -> None:
    titled = "!!!OTL: Scale\n!!!COM: Nobody\n" + SCALE
    assert render_kern(titled, ScoreOptions(header="auto")).info["drawn_by"] == ["resvg"]
    svg = engrave(SCALE).pages[0]
    assert _for_mupdf(svg) is not None
    assert _for_mupdf(svg.replace("stroke:currentColor", "stroke:red")) is None
    assert _for_mupdf(svg.replace('class="section placeholder', 'class="section')) is not None
