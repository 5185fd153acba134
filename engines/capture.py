"""A share of every engine's samples goes through the capture a real document meets: one mechanism for all.

`Engine.draw_batch` (what the pipeline calls) hands each drawn sample to `captured`. Whether a sample is captured,
how (`renderers.capture`: scan, photo, screen, light) and with which parameters is drawn from the sample's own
capture rng, `make_rng(seed, "<engine>:capture", index, attempt)`: a capture never changes what the engine draws,
and the captured sample stays a pure function of (seed, engine, index, attempt), alone or in a batch. The share
is each engine's `--capture` (`EngineConfig.capture`), the presets its `capture_presets`. Stage-3 engines call
their parts' `sample`, not `draw_batch`, so a part is never captured on its own; the composed image is.

The parameters go to `meta["capture"]` (the readers replay them on a redraw), and every box and quad the meta
holds in image pixels (`BOX_KEYS`, `QUAD_KEYS`) moves with the text. Before any pixel changes, the legibility gate
(`renderers.capture.fit`) limits the draw to what the sample's smallest text survives, and names what it
lightened in `meta["capture"]["gated"]`; `renderers.capture.spare_strokes` drops a binarisation that would erase
a thin stroke (a comma's tail, a table rule).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from renderers import capture

if TYPE_CHECKING:
    from engines.base import Engine, Sample

BOX_KEYS = ("boxes", "page_px")  # meta keys holding [x0, y0, x1, y1] boxes (one or a list) in image pixels
QUAD_KEYS = ("quads",)  # meta keys holding a list of quads [[x, y] * 4] in image pixels


def pick(rng: np.random.Generator, share: float, presets: dict[str, float]) -> str:
    """The preset a sample is captured with, or "none" (two draws, always)."""
    names = list(presets)
    weights = np.array([presets[n] for n in names], dtype=np.float64)
    on, which = rng.random(2)
    if on >= share:
        return "none"
    return names[int(np.searchsorted(np.cumsum(weights / weights.sum()), which, side="right").clip(0, len(names) - 1))]


def _moved(meta: dict[str, Any], params: capture.CaptureParams, size: tuple[int, int]) -> dict[str, Any]:
    out = dict(meta)
    for key in BOX_KEYS:
        value = meta.get(key)
        if value and isinstance(value[0], (int, float)):
            out[key] = capture.map_box(value, params, size)
        elif value:
            out[key] = [capture.map_box(b, params, size) for b in value]
    for key in QUAD_KEYS:
        if meta.get(key):
            out[key] = [capture.map_quad(q, params, size) for q in meta[key]]
    return out


def captured(engine: Engine, sample: Sample, index: int, attempt: int) -> Sample:
    """`sample`, captured as its capture rng draws (itself, untouched, for the share left clean)."""
    rng = capture_rng(engine, index, attempt)
    preset = pick(rng, engine.config.capture, engine.capture_presets)
    # A colour prompt names the frame's colour: lighting, tint and blur change it (after a photo capture, 2 of 18
    # frames were no longer found by the validator), so a colour sample stays as drawn.
    if preset == "none" or sample.task == "color":
        return sample
    single = len(sample.images) == 1
    params = capture.draw(rng, preset, geometry=engine.capture_geometry and single, colour=engine.capture_colour)
    params = capture.fit(params, min(capture.text_height(im) for im in sample.images))
    params = capture.spare_strokes(params, sample.images)
    images = [capture.apply(im, params).image for im in sample.images]
    meta = _moved(sample.meta, params, sample.images[0].size) if params.moves else dict(sample.meta)
    meta["capture"] = params.to_dict()
    return dataclasses.replace(sample, images=images, meta=meta)


def capture_rng(engine: Engine, index: int, attempt: int) -> np.random.Generator:
    """The generator a sample's capture is drawn from, apart from the engine's own."""
    from engines.base import make_rng

    return make_rng(engine.seed, f"{engine.name}:capture", index, attempt)
