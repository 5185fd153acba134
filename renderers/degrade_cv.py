"""`renderers.degrade`'s scan and photo effects drawn with OpenCV: the same `DegradeParams`, 5-10x less CPU.

`degrade.apply` is the reference: Pillow and float numpy, one full-page pass per effect. On a handwriting page
(about 1000x1400 px) it costs about 0.2 CPU-s, most of it Pillow's bicubic PERSPECTIVE transform, its Gaussian
blur, and float passes over every pixel (the 3x3 ink filter alone is nine). This module draws the same effects
from the same parameters where an engine's pages are large: OpenCV's SIMD filters (erode/dilate for ink, bilinear
`warpPerspective` with the same homography, `GaussianBlur`, `resize`), paper tint and grain folded into one gain,
and the smooth shadow/vignette gain computed at 1/8 size and enlarged. The pixels differ slightly from the
reference's (bilinear rather than bicubic resampling, a blur kernel of OpenCV's shape) but every effect and its
strength are the same, text quads move through the same `degrade.map_texts`, and replay is exact: same image and
parameters, same bytes (noise and grain come from `params.seed`; no OpenCV random number is used).

An engine that uses it records which apply it used (the handwriting engine: `meta["degrade_with"] = "opencv"`),
so a replay from meta picks the same one.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image

from renderers.degrade import DegradeParams, _moves, map_texts, warp
from renderers.result import DrawnText, Rendered

NAME = "opencv"  # what an engine records in meta as the apply it used
GAIN_STEP = 8  # the shadow/vignette gain is computed on a grid this many times coarser, then enlarged


def _gain(h: int, w: int, params: DegradeParams) -> np.ndarray | None:
    """The shadow and vignette gain over the page (as `degrade._lighting`), or None when both are off."""
    if not (params.shadow or params.vignette):
        return None
    gh, gw = max(2, h // GAIN_STEP), max(2, w // GAIN_STEP)
    x = (np.arange(gw, dtype=np.float32) + 0.5) / gw * 2 - 1
    y = (np.arange(gh, dtype=np.float32) + 0.5) / gh * 2 - 1
    gain = np.ones((gh, gw), dtype=np.float32)
    if params.shadow:
        t = math.radians(params.shadow_angle)
        ramp = (x * (w * math.cos(t)))[None, :] + (y * (h * math.sin(t)))[:, None]
        ramp -= ramp.min()
        gain -= params.shadow * ramp / max(float(ramp.max()), 1e-6)
    if params.vignette:
        gain *= 1 - params.vignette / 2 * ((x * x)[None, :] + (y * y)[:, None])
    return cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)


def _u8(a: np.ndarray) -> np.ndarray:
    """Float pixels rounded and clipped to uint8 (in place where it can)."""
    np.add(a, 0.5, out=a)
    np.clip(a, 0, 255, out=a)
    return a.astype(np.uint8)


def apply(image: Image.Image, params: DegradeParams, texts: Sequence[DrawnText] = ()) -> Rendered:
    """Degrade an image as `degrade.apply` does, with OpenCV; deterministic (same image + params, same bytes).

    Args:
        image: the clean render (any mode; the result is RGB).
        params: from `degrade.draw_params` or `DegradeParams.from_dict(meta[...])`.
        texts: texts drawn on `image`, carried through the geometry.

    Returns:
        `Rendered([degraded], moved texts, {"degrade": params.preset, "size": [w, h], "with": "opencv"})`.
    """
    rng = np.random.default_rng(params.seed)
    a = np.ascontiguousarray(np.asarray(image.convert("RGB")))
    h, w = a.shape[:2]
    if params.ink:
        spread = (cv2.erode if params.ink > 0 else cv2.dilate)(a, np.ones((3, 3), np.uint8))
        a = cv2.addWeighted(a, 1 - abs(params.ink), spread, abs(params.ink), 0)
    if params.paper != (255, 255, 255) or params.grain:
        f = a.astype(np.float32)
        if params.grain:  # the same coarse draw as the reference, so the same blotches
            coarse = rng.standard_normal((h // 24 + 2, w // 24 + 2)).astype(np.float32)
            blotch = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
            gain = 1 + params.grain * np.clip(blotch, -2.5, 2.5) / 2.5
            f *= gain[..., None]
        if params.paper != (255, 255, 255):
            f *= np.asarray(params.paper, dtype=np.float32) / 255
        a = _u8(f)
    if _moves(params):
        hom, out = warp(params, (w, h))
        half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])  # degrade's pixel i spans [i, i+1]; OpenCV's is at i
        centred = np.linalg.inv(half) @ hom @ half
        a = cv2.warpPerspective(a, centred, out, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                borderValue=tuple(int(c) for c in params.background))
        h, w = a.shape[:2]
    gain = _gain(h, w, params)
    if params.contrast != 1 or params.brightness or gain is not None:
        f = a.astype(np.float32)
        if params.contrast != 1 or params.brightness:
            f *= params.contrast
            f += 128.0 * (1 - params.contrast) + params.brightness
        if gain is not None:
            f *= gain[..., None]
        a = _u8(f)
    if params.blur:
        a = cv2.GaussianBlur(a, (0, 0), params.blur)
    if params.scale < 1:
        small = (max(1, round(w * params.scale)), max(1, round(h * params.scale)))
        a = cv2.resize(cv2.resize(a, small, interpolation=cv2.INTER_LINEAR), (w, h), interpolation=cv2.INTER_LINEAR)
    if params.noise:
        f = rng.standard_normal((h, w, 1), dtype=np.float32)
        f *= params.noise
        a = _u8(f + a)
    img = Image.fromarray(a, "RGB")
    if params.jpeg:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=params.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return Rendered([img], map_texts(texts, params, image.size),
                    {"degrade": params.preset, "size": list(img.size), "with": NAME})
