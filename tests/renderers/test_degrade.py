"""Scan/photo degradation: replayed byte for byte from its JSON, bounded by its presets, and still legible.

Legibility is checked with the real PP-OCR reader (`renderers.ppocr`) on lines drawn here, after the harshest
parameters each preset can draw; boxes are checked by following pixels through the geometry.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from conftest import LINES, draw_lines
from renderers import degrade, ppocr
from renderers.degrade import DegradeParams
from renderers.result import DrawnText, box_quad


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, list[DrawnText]]:
    return draw_lines(LINES)


@pytest.mark.parametrize("preset", sorted(degrade.PRESETS))
def test_same_params_same_bytes(page, preset: str) -> None:
    image, texts = page
    params = degrade.draw_params(np.random.default_rng(11), preset)
    assert params == degrade.draw_params(np.random.default_rng(11), preset)
    replayed = DegradeParams.from_dict(json.loads(json.dumps(dataclasses.asdict(params))))
    assert replayed == params
    first, second = degrade.apply(image, params, texts), degrade.apply(image.copy(), replayed, texts)
    assert first.image.tobytes() == second.image.tobytes() and first.image.size == second.image.size
    assert first.texts == second.texts
    harsh = degrade.strongest(preset, seed=5)
    harsh_bytes = degrade.apply(image, harsh).image.tobytes()
    assert harsh_bytes == degrade.apply(image, harsh).image.tobytes()
    assert harsh_bytes != degrade.apply(image, dataclasses.replace(harsh, seed=6)).image.tobytes()


@pytest.mark.parametrize("preset", sorted(degrade.PRESETS))
def test_draws_stay_inside_the_preset_and_vary(preset: str) -> None:
    bounds = degrade.PRESETS[preset]
    draws = [degrade.draw_params(np.random.default_rng(seed), preset) for seed in range(200)]
    for p in draws:
        assert abs(p.ink) <= bounds.ink and p.grain <= bounds.grain and abs(p.rotate) <= bounds.rotate
        assert max(map(abs, p.corners)) <= bounds.corners and p.blur <= bounds.blur and p.noise <= bounds.noise
        assert 1 - bounds.contrast <= p.contrast <= 1 + bounds.contrast / 2 and abs(p.brightness) <= bounds.brightness
        assert p.shadow <= bounds.shadow and p.vignette <= bounds.vignette and bounds.scale <= p.scale <= 1
        assert p.jpeg == 0 or bounds.jpeg <= p.jpeg <= degrade.JPEG_BEST
        assert min(p.paper) >= 255 * (1 - bounds.paper) - 1
    for name in ("ink", "rotate", "blur", "noise", "jpeg", "scale"):
        values = {getattr(p, name) for p in draws}
        if getattr(bounds, name) not in (0, 1.0):
            assert len(values) > (10 if name == "jpeg" else 50), f"{name} barely varies over 200 draws"
            assert getattr(DegradeParams(), name) in values, f"{name} is never off"
    assert len({p.seed for p in draws}) == len(draws)


def test_identity_changes_nothing(page) -> None:
    image, texts = page
    out = degrade.apply(image, DegradeParams(), texts)
    assert out.image.tobytes() == image.tobytes() and out.texts == texts


def test_each_effect_does_what_its_parameter_says() -> None:
    """On a flat grey page: noise has the standard deviation asked, grey on every channel; tint, contrast and
    brightness move values as their formulas say; a shadow darkens the side it deepens towards, past saturation."""
    grey = Image.new("RGB", (400, 300), (128, 128, 128))
    noisy = np.asarray(degrade.apply(grey, DegradeParams(seed=3, noise=8.0)).image, dtype=np.float64)
    assert abs(noisy[..., 0].std() - 8.0) < 0.2 and abs(noisy.mean() - 128) < 0.2
    assert (noisy[..., 0] == noisy[..., 1]).all() and (noisy[..., 1] == noisy[..., 2]).all()
    tinted = degrade.apply(grey, DegradeParams(paper=(255, 204, 102), contrast=1.5, brightness=-10.0)).image
    assert tinted.getpixel((7, 7)) == (118, 79, 3)  # 128 * (1, 0.8, 0.4) = (128, 102, 51), then (v - 128) * 1.5 + 118
    bright = Image.new("RGB", (400, 300), (250, 250, 250))
    shaded = np.asarray(degrade.apply(bright, DegradeParams(contrast=1.3, shadow=0.4)).image, dtype=np.float64)
    # lit, 250 * 1.3 - 38.4 = 286.6 saturates; in the shadow (gain 0.6) it is 172, not the 153 of 255 * 0.6
    assert shaded[:, :20].mean() > 254 and 165 < shaded[:, -20:].mean() < 180


def test_bad_names_are_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown degrade preset 'fax'; known: \['light', 'photo', 'scan'\]"):
        degrade.draw_params(np.random.default_rng(0), "fax")
    with pytest.raises(TypeError, match=r"unknown degrade parameters \['blurr'\]"):
        DegradeParams.from_dict({"blurr": 1.0})


def test_text_quads_follow_the_pixels() -> None:
    """Black squares drawn at known quads are still under their mapped quads after rotation + perspective."""
    image = Image.new("RGB", (500, 360), "white")
    draw, marks = ImageDraw.Draw(image), []
    for x, y in [(20, 20), (440, 30), (230, 160), (40, 300), (430, 290)]:
        draw.rectangle((x, y, x + 39, y + 39), fill="black")
        marks.append(DrawnText(f"{x},{y}", box_quad(x, y, x + 40, y + 40)))
    params = DegradeParams(rotate=-4.0, corners=(0.03, -0.02, -0.04, 0.04, -0.04, -0.03, 0.02, 0.03))
    out = degrade.apply(image, params, marks)
    hom, size = degrade.warp(params, image.size)
    assert out.image.size == size and out.info["size"] == list(size)
    a = np.asarray(out.image.convert("L"), dtype=np.float32)
    for before, after in zip(marks, out.texts):
        assert after.text == before.text and after.quad != before.quad
        cx, cy = np.mean(after.quad, axis=0)
        assert a[int(cy) - 3:int(cy) + 4, int(cx) - 3:int(cx) + 4].max() < 60, after
        (x0, y0), (x1, y1) = after.quad[0], after.quad[2]  # just inside opposite corners: still black
        assert a[int(round(y0 + 0.2 * (y1 - y0))), int(round(x0 + 0.2 * (x1 - x0)))] < 60
        assert a[int(round(y1 - 0.2 * (y1 - y0))), int(round(x1 - 0.2 * (x1 - x0)))] < 60
    assert degrade.map_texts(marks, params, image.size) == out.texts


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["scan", "photo"])
def test_pp_ocr_reads_through_the_strongest_preset(page, preset: str) -> None:
    """The harshest draw of each preset stays legible: PP-OCR reads every line by its moved box."""
    image, texts = page
    out = degrade.apply(image, degrade.strongest(preset, seed=1), texts)
    read = ppocr.read_crops(out.image, [t.quad for t in out.texts])
    for (lang, text), got in zip(LINES, read):
        error = Levenshtein.distance(got.text, text) / len(text)
        assert error <= (0.1 if lang == "en" else 0.2), (preset, text, got.text)
    if preset == "scan":  # whole-image reading too: detection still finds the first line
        found = [t.text for t in ppocr.read(out.image, ppocr.ReadOptions(det_side=960, det_limit="max")).texts]
        assert any(Levenshtein.distance(t, LINES[0][1]) <= 3 for t in found), found
