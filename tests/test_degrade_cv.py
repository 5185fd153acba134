"""`renderers.degrade_cv`: the reference effects drawn with OpenCV replay byte for byte, keep the reference's
geometry and quads, stay close to its pixels, and leave a handwriting sample replayable from its meta."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from engines.base import SampleError, make_rng
from engines.handwriting import HandwritingEngine
from engines.handwriting.builtin import KINDS, write_page
from engines.handwriting.engine import LANGS
from renderers import degrade, degrade_cv
from renderers.result import DrawnText, box_quad


def _page() -> Image.Image:
    """Ruled paper with dark marks: edges where resampling differences would show."""
    a = np.full((300, 220, 3), 235, np.uint8)
    a[20::30] = (160, 190, 225)
    for y in range(30, 280, 30):
        a[y - 12:y - 2, 20:200:7] = 30
    return Image.fromarray(a)


@pytest.mark.parametrize("preset", ["light", "scan", "photo"])
def test_same_effects_as_the_reference_and_replayed_exactly(preset: str) -> None:
    page, texts = _page(), [DrawnText("x", box_quad(20, 18, 200, 28))]
    params = degrade.DegradeParams.from_dict(json.loads(json.dumps(
        degrade.strongest(preset, seed=3).__dict__)))
    ref, fast = degrade.apply(page, params, texts), degrade_cv.apply(page, params, texts)
    assert fast.images[0].tobytes() == degrade_cv.apply(page.copy(), params, texts).images[0].tobytes()
    assert fast.images[0].size == ref.images[0].size
    assert fast.texts[0].quad == ref.texts[0].quad
    diff = np.abs(np.asarray(fast.images[0], np.float32) - np.asarray(ref.images[0], np.float32))
    assert diff.mean() < 4  # the same effects at the same strengths; resampling kernels differ a little


def test_a_handwriting_sample_replays_from_its_meta() -> None:
    """The page written again from the sample's seed, degraded by the apply and parameters its JSON meta names,
    is the sample's image, byte for byte."""
    engine = HandwritingEngine()
    attempt = next(a for a in range(10) if _draws(engine, a))
    sample = engine.sample(make_rng(0, "handwriting", 5, attempt), 5, attempt)
    meta = json.loads(json.dumps(sample.meta))
    assert meta["degrade_with"] == degrade_cv.NAME
    rng = make_rng(0, "handwriting", 5, attempt)
    lang, kind = LANGS[int(rng.integers(2))], KINDS[int(rng.integers(len(KINDS)))]
    page, _, _, _ = write_page(rng, lang, kind, (engine.config.em_min, engine.config.em_max))
    replayed = degrade_cv.apply(Image.fromarray(page), degrade.DegradeParams.from_dict(meta["degrade"]))
    assert replayed.images[0].tobytes() == sample.images[0].tobytes()


def _draws(engine: HandwritingEngine, attempt: int) -> bool:
    try:
        engine.sample(make_rng(0, "handwriting", 5, attempt), 5, attempt)
        return True
    except SampleError:
        return False
