"""Scan and photo degradation of a rendered image, replayed exactly from JSON-safe parameters.

Split as synthtiger splits `sample` from `apply`: an ENGINE draws a `DegradeParams` from its own numpy rng
(`draw_params`) and records `asdict(params)` in the sample's meta; `apply` replays them with no randomness of
its own (noise and paper grain come from `params.seed`), so the JSON alone re-renders the sample, byte for
byte on the same software stack. The trade-off is a small closed set of effects with bounded strengths
(`PRESETS`) instead of an open augmentation library: every effect stays legible to PP-OCR at its bound
(`strongest` gives those parameters; the tests read text back through them), and a geometry change
(rotation, perspective) is one homography that `map_texts` applies to the text quads, so box targets stay right.
Measured with PP-OCR line crops of DejaVu Sans at the strongest "scan"/"photo": CER under 0.04 from 16 px up,
about 0.06 at 14 px, 0.15 at 12 px (typical "scan" draws read perfectly down to 12 px); give text smaller than
14 px (chart tick labels) "light", which stays at CER 0 there.

Effects, in the physical order they are applied: ink bleed or erosion (printing), paper tint and grain,
geometry (skew on a scanner bed, a hand-held camera's rotation and perspective, surface showing around the
page), lighting (contrast, brightness, a cast shadow, lens vignetting), optical blur, resolution loss, sensor
noise, JPEG re-compression. OpenCV (which rapidocr installs) draws them with SIMD filters: erode/dilate for
the ink, one bilinear `warpPerspective` for the geometry, `GaussianBlur`, `resize`, and the smooth shadow/vignette
gain computed at 1/8 size and enlarged; the pixel arithmetic stays in uint8 (a per-channel multiply for the tint,
a lookup table for contrast and brightness, one saturating OpenCV multiply or add for grain, shadow and noise) and
OpenCV's libjpeg-turbo does the JPEG round trip. The sensor noise and the paper grain are not drawn per image:
each is a window, at an offset the image's seed draws, of a 2048 px field made once per process from a fixed seed
(`_pool`), so a build pays for the field once, not per sample. About 0.03 CPU-s for a handwriting page of 1 Mpx,
against 0.23-0.28 for the same effects written plainly (Pillow filters, float numpy, fields drawn per image;
bench.handwriting's baseline); no OpenCV random number is used, so replay stays exact.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from statistics import NormalDist

import cv2
import numpy as np
from PIL import Image

from renderers.result import DrawnText, Rendered

RGB = tuple[int, int, int]
JPEG_BEST = 95  # the highest JPEG quality a draw re-compresses at
GAIN_STEP = 8  # the shadow/vignette gain is computed on a grid this many times coarser, then enlarged
POOL, POOL_SEED, POOL_UNIT = 2048, 20240611, 1000  # the noise and grain pools: side, seed, int16 steps per unit
LIT_STEPS = 8  # steps per grey level of the contrast lookup under a shadow (int16)
EFFECTS = ("ink", "paper", "grain", "rotate", "corners", "contrast", "brightness", "shadow", "vignette", "blur",
           "scale", "noise", "jpeg")


@dataclass(frozen=True)
class DegradeParams:
    """One degradation, fully specified; the identity by default. `asdict` of it is JSON-safe.

    Attributes:
        preset: the preset it was drawn from (a label for meta; no effect reads it).
        seed: seeds where the noise and the paper grain are read from their pools (`_pool`).
        ink: > 0 ink bleed (strokes thicken), < 0 erosion (strokes thin): blend weight of a 3x3 min/max filter.
        paper: paper colour the page is multiplied by (white = none).
        grain: amplitude of the paper's blotchy texture, as a fraction of brightness.
        rotate: in-plane rotation in degrees, counter-clockwise; the canvas grows to hold the turned page.
        corners: perspective: each page corner (top-left, top-right, bottom-right, bottom-left) moved by
            (dx, dy), fractions of the page's width and height.
        background: the surface colour showing around a rotated or warped page.
        contrast: multiplies the distance from mid-grey.
        brightness: added to every channel (0-255 scale).
        shadow: darkening at the shadowed edge of a linear shadow (0 = none, 1 = black).
        shadow_angle: the direction the shadow deepens towards, in degrees (0 = to the right).
        vignette: darkening at the image's corners (radial, 0 = none).
        blur: Gaussian blur radius in pixels.
        scale: resolution loss: the image is shrunk by this factor and enlarged back (1 = none).
        noise: standard deviation of additive Gaussian sensor noise (0-255 scale).
        jpeg: JPEG quality of a final re-compression (0 = none).
    """

    preset: str = "none"
    seed: int = 0
    ink: float = 0.0
    paper: RGB = (255, 255, 255)
    grain: float = 0.0
    rotate: float = 0.0
    corners: tuple[float, ...] = (0.0,) * 8
    background: RGB = (255, 255, 255)
    contrast: float = 1.0
    brightness: float = 0.0
    shadow: float = 0.0
    shadow_angle: float = 0.0
    vignette: float = 0.0
    blur: float = 0.0
    scale: float = 1.0
    noise: float = 0.0
    jpeg: int = 0

    @classmethod
    def from_dict(cls, d: dict) -> DegradeParams:
        """Rebuild parameters from their JSON form (lists back to tuples).

        Args:
            d: `dataclasses.asdict(params)`, possibly through `json.dumps`/`json.loads`.

        Returns:
            the equal `DegradeParams`.

        Raises:
            TypeError: `d` has a key that is not a field (a misspelt key is never ignored).
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise TypeError(f"unknown degrade parameters {unknown}; known: {sorted(names)}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


@dataclass(frozen=True)
class Preset:
    """The bounds `draw_params` draws each effect within; each effect is on with probability `p`."""

    p: float
    ink: float
    paper: float  # how far from white the paper may yellow or grey (fraction)
    grain: float
    rotate: float
    corners: float
    contrast: float  # contrast lies in [1 - contrast, 1 + contrast / 2]
    brightness: float
    shadow: float
    vignette: float
    blur: float
    scale: float  # lowest scale
    noise: float
    jpeg: int  # lowest JPEG quality (0 = never re-compress)


PRESETS: dict[str, Preset] = {
    "light": Preset(p=0.5, ink=0.3, paper=0.04, grain=0.02, rotate=0.3, corners=0.0, contrast=0.1,
                    brightness=8, shadow=0.0, vignette=0.0, blur=0.5, scale=0.9, noise=4, jpeg=85),
    "scan": Preset(p=0.6, ink=0.5, paper=0.12, grain=0.05, rotate=1.2, corners=0.0, contrast=0.25,
                   brightness=20, shadow=0.15, vignette=0.0, blur=0.8, scale=0.8, noise=10, jpeg=50),
    "photo": Preset(p=0.7, ink=0.3, paper=0.1, grain=0.04, rotate=4.0, corners=0.04, contrast=0.3,
                    brightness=25, shadow=0.45, vignette=0.35, blur=1.0, scale=0.75, noise=8, jpeg=50),
}


def _preset(name: str) -> Preset:
    if name not in PRESETS:
        raise ValueError(f"unknown degrade preset {name!r}; known: {sorted(PRESETS)}")
    return PRESETS[name]


def _paper(yellow: float) -> RGB:
    """Aged paper: blue fades fastest, red slowest."""
    return tuple(int(round(255 * (1 - yellow * k))) for k in (0.3, 0.5, 1.0))


def draw_params(rng: np.random.Generator, preset: str = "scan") -> DegradeParams:
    """Draw one degradation inside a preset's bounds (the engine's rng; nothing else is random).

    Every call makes the same draws in the same order, whichever effects end up on.

    Args:
        rng: the sample's numpy Generator.
        preset: "light" (clean digital render, barely touched), "scan" (flatbed scan: skew, paper, ink, noise)
            or "photo" (hand-held camera: rotation, perspective, shadow, vignette, blur).

    Returns:
        the parameters, to record in meta and pass to `apply`.

    Raises:
        ValueError: unknown preset.
    """
    b = _preset(preset)
    on = dict(zip(EFFECTS, rng.random(len(EFFECTS)) < b.p))  # which effects this sample gets
    u = dict(zip(EFFECTS, rng.random(len(EFFECTS))))  # how strong each is, as a fraction of its bound
    sign = np.where(rng.random(3) < 0.5, -1.0, 1.0)  # ink bleed/erosion, rotation, brightness
    corners = rng.uniform(-b.corners, b.corners, 8)
    background = np.clip(rng.integers(40, 191) + rng.integers(-15, 16, 3), 0, 255)  # a greyish surface
    shadow_angle = float(round(360 * rng.random(), 1))
    seed = int(rng.integers(2**31))

    def pick(effect: str, value: float, off: float = 0.0, digits: int = 4) -> float:
        return float(round(value, digits)) if on[effect] else off

    return DegradeParams(
        preset=preset,
        seed=seed,
        ink=pick("ink", sign[0] * u["ink"] * b.ink),
        paper=_paper(u["paper"] * b.paper) if on["paper"] else (255, 255, 255),
        grain=pick("grain", u["grain"] * b.grain),
        rotate=pick("rotate", sign[1] * u["rotate"] * b.rotate, digits=3),
        corners=tuple(float(round(c, 4)) for c in corners) if on["corners"] and b.corners else (0.0,) * 8,
        background=tuple(int(c) for c in background) if b.corners else (255, 255, 255),
        contrast=pick("contrast", 1 + b.contrast * (1.5 * u["contrast"] - 1), off=1.0),
        brightness=pick("brightness", sign[2] * u["brightness"] * b.brightness, digits=2),
        shadow=pick("shadow", u["shadow"] * b.shadow),
        shadow_angle=shadow_angle,
        vignette=pick("vignette", u["vignette"] * b.vignette),
        blur=pick("blur", u["blur"] * b.blur, digits=3),
        scale=pick("scale", 1 - u["scale"] * (1 - b.scale), off=1.0),
        noise=pick("noise", u["noise"] * b.noise, digits=3),
        jpeg=int(b.jpeg + u["jpeg"] * (JPEG_BEST - b.jpeg)) if on["jpeg"] and b.jpeg else 0,
    )


def strongest(preset: str = "scan", seed: int = 0) -> DegradeParams:
    """The harshest parameters a preset can draw: every effect on at its bound.

    Engines use it to check that a font size still reads; the tests check PP-OCR reads through it.

    Args:
        preset: a name in `PRESETS`.
        seed: the noise and grain seed.

    Returns:
        the parameters (ink erosion, the darker end of contrast and brightness, shadow deepening to the right,
        perspective pinching the right edge, a dark surface around the page).

    Raises:
        ValueError: unknown preset.
    """
    b = _preset(preset)
    c = b.corners
    return DegradeParams(
        preset=preset, seed=seed, ink=-b.ink, paper=_paper(b.paper), grain=b.grain, rotate=b.rotate,
        corners=(0.0, 0.0, -c, c, -c, -c, 0.0, 0.0), background=(40, 40, 40) if c else (255, 255, 255),
        contrast=1 - b.contrast, brightness=-b.brightness, shadow=b.shadow, shadow_angle=0.0,
        vignette=b.vignette, blur=b.blur, scale=b.scale, noise=b.noise, jpeg=b.jpeg,
    )


def warp(params: DegradeParams, size: tuple[int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """The geometry of `params` on an image of `size`: where each input pixel lands.

    Args:
        params: the degradation.
        size: the input image's (width, height).

    Returns:
        (H, out_size): the 3x3 homography mapping input to output pixel coordinates (continuous, pixel i
        spans [i, i+1]), and the output (width, height), just large enough to hold the whole page.
    """
    w, h = size
    src = np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=np.float64)
    dst = src + np.asarray(params.corners, dtype=np.float64).reshape(4, 2) * (w, h)
    a = math.radians(params.rotate)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])  # counter-clockwise, y down
    center = np.array([w / 2, h / 2])
    dst = (dst - center) @ rot.T + center
    low = np.floor(dst.min(axis=0))
    dst -= low
    out = (int(math.ceil(dst[:, 0].max())), int(math.ceil(dst[:, 1].max())))
    rows = []
    for (x, y), (u, v) in zip(src, dst):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]]
    m = np.array(rows)
    coeffs = np.linalg.solve(m[:, :8], m[:, 8])
    return np.append(coeffs, 1.0).reshape(3, 3), out


def map_texts(texts: Sequence[DrawnText], params: DegradeParams, size: tuple[int, int]) -> list[DrawnText]:
    """Move text quads through the geometry `apply` gives an image of `size` (the identity leaves them as is).

    Args:
        texts: texts drawn on the input image.
        params: the degradation.
        size: the input image's (width, height).

    Returns:
        the same texts with their quads in the output image's pixels (a homography keeps a quad a quad, corners
        in the same order).
    """
    if not moves(params):
        return list(texts)
    hom, _ = warp(params, size)
    moved = []
    for t in texts:
        p = np.c_[np.asarray(t.quad, dtype=np.float64), np.ones(4)] @ hom.T
        quad = tuple((float(x), float(y)) for x, y in p[:, :2] / p[:, 2:])
        moved.append(DrawnText(t.text, quad, t.score, t.page))
    return moved


def moves(params: DegradeParams) -> bool:
    """Whether the geometry is other than the identity."""
    return params.rotate != 0 or any(params.corners)


def _gain(h: int, w: int, params: DegradeParams) -> np.ndarray | None:
    """The shadow and vignette gain over the page, (h, w, 3) float32, or None when both are off; smooth, so it is
    computed on a grid `GAIN_STEP` times coarser and enlarged."""
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
    # enlarged as one channel, then copied to three: the same values (bilinear works channel by channel), and
    # a fifth less CPU than enlarging three
    return cv2.merge([cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)] * 3)


def _scaled(a: np.ndarray, gain: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Pixels (h, w, 3; uint8, or int16 in units of `scale`) times a float32 gain, per pixel (h, w) or per pixel and
    channel (h, w, 3), rounded and saturated to uint8 by OpenCV in one pass (numpy's float32 round trip of the whole
    image costs about 6x as much)."""
    return cv2.multiply(a, gain if gain.ndim == 3 else cv2.merge([gain, gain, gain]), scale=scale, dtype=cv2.CV_8U)


@functools.cache
def _gaussian_table() -> np.ndarray:
    """The standard normal's quantiles at the centres of 65,536 equal slices of probability (float32): indexed by
    uniform 16-bit integers, Gaussian noise at a third of `standard_normal`'s cost (tails cut at 4.3 sigma)."""
    inv = NormalDist().inv_cdf
    return np.array([inv((k + 0.5) / 65536) for k in range(65536)], dtype=np.float32)


def _white(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Standard normal noise, (h, w) float32, through `_gaussian_table`."""
    return np.take(_gaussian_table(), rng.integers(0, 65536, (h, w), dtype=np.uint16))


def _blotches(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """Paper grain's shape, (h, w) float32 in [-1, 1]: a normal field 24 times coarser, enlarged (cubic), clipped
    at 2.5 and divided by it, so its blotches are about 24 px across whatever the image's size."""
    coarse = rng.standard_normal((h // 24 + 2, w // 24 + 2)).astype(np.float32)
    field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    np.clip(field, -2.5, 2.5, out=field)
    return field / 2.5


@functools.cache
def _pool(kind: str) -> np.ndarray:
    """A field drawn once per process from a fixed seed, that every image no larger reads a window of instead of
    drawing its own: "noise" (`_white`) or "grain" (`_blotches`), as (POOL, POOL, 3) int16 in units of 1/`POOL_UNIT`,
    the value repeated on the three channels so that one OpenCV pass adds or multiplies it into an RGB image.

    Why a pool: drawing and shaping a fresh full-page field was about a third of `apply` on a handwriting page
    (bench.handwriting); a window at an offset the sample's seed draws is as random to a model (windows of one
    page-sized image overlap in other places, and a field has no structure to recognise), and replay stays exact
    because the pool is a function of the constant seed alone. 24 MiB each, built in about 0.1 CPU-s when first used.
    """
    rng = np.random.default_rng([POOL_SEED, ("noise", "grain").index(kind)])
    field = (_white if kind == "noise" else _blotches)(rng, POOL, POOL)
    one = np.clip(np.rint(field * POOL_UNIT), -32767, 32767).astype(np.int16)
    return cv2.merge([one, one, one])


def _window(kind: str, rng: np.random.Generator, h: int, w: int) -> np.ndarray | None:
    """An (h, w, 3) window of `_pool(kind)` at an offset drawn from `rng`, or None when the image is larger than
    the pool (the caller then draws its own field)."""
    if h > POOL or w > POOL:
        return None
    y, x = (int(v) for v in rng.integers(0, (POOL - h + 1, POOL - w + 1)))
    return _pool(kind)[y:y + h, x:x + w]


def apply(image: Image.Image | np.ndarray, params: DegradeParams, texts: Sequence[DrawnText] = ()) -> Rendered:
    """Degrade an image and move its texts with it; deterministic (same image + params, same bytes).

    Args:
        image: the clean render: a PIL image of any mode (the result is RGB, alpha dropped), or (h, w, 3) uint8
            RGB pixels, which it does not change.
        params: from `draw_params`, `strongest`, or `DegradeParams.from_dict(meta[...])`.
        texts: texts drawn on `image`, to carry through the geometry (see `map_texts`).

    Returns:
        `Rendered([degraded], moved texts, {"degrade": params.preset, "size": [w, h]})`.
    """
    rng = np.random.default_rng(params.seed)
    if isinstance(image, np.ndarray):  # an engine's RGB pixels, spared a PIL image made and read back
        a = image
    else:
        a = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))  # every step below makes a new array
    h, w = a.shape[:2]
    size = (w, h)
    if params.ink:  # blend with the 3x3 minimum (bleed, ink > 0) or maximum (erosion, ink < 0), edges replicated
        spread = (cv2.erode if params.ink > 0 else cv2.dilate)(a, np.ones((3, 3), np.uint8),
                                                               borderType=cv2.BORDER_REPLICATE)
        a = cv2.addWeighted(a, 1 - abs(params.ink), spread, abs(params.ink), 0)
    if params.paper != (255, 255, 255):  # a tint: each channel times its paper level / 255, rounded
        # (v * p / 255 never lies halfway between integers, so OpenCV's rounding is the one rounding; a multiply by
        # a per-channel scalar is 3x as fast as a lookup with a table per channel)
        a = cv2.multiply(a, (*params.paper, 0), scale=1 / 255)
    if params.grain:  # a + a * grain * blotches, the blotches a window of the pool
        field = _window("grain", rng, h, w)
        if field is None:
            field = cv2.merge([_blotches(rng, h, w) * POOL_UNIT] * 3)
        # the sum by addWeighted: its float sum of two integers is exact, and it reads uint8 beside int16
        # without the mixed-type copy cv2.add makes
        a = cv2.addWeighted(a, 1.0, cv2.multiply(a, field, scale=params.grain / POOL_UNIT, dtype=cv2.CV_16S), 1.0, 0,
                            dtype=cv2.CV_8U)
    if moves(params):
        hom, out = warp(params, (w, h))
        half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])  # degrade's pixel i spans [i, i+1]; OpenCV's is at i
        centred = np.linalg.inv(half) @ hom @ half
        warp_with = cv2.warpAffine if not any(params.corners) else cv2.warpPerspective  # a turn alone: same pixels
        a = warp_with(a, centred[:2] if not any(params.corners) else centred, out, flags=cv2.INTER_LINEAR,
                      borderMode=cv2.BORDER_CONSTANT, borderValue=tuple(int(c) for c in params.background))
        h, w = a.shape[:2]
    gain = _gain(h, w, params)
    if params.contrast != 1 or params.brightness:  # a function of the value alone: one lookup
        lut = np.arange(256, dtype=np.float32) * params.contrast + (128 * (1 - params.contrast) + params.brightness)
        # under a shadow the lookup stays unclipped (in eighths of a level, int16: half float32's memory traffic):
        # the light falls before the sensor saturates
        a = cv2.LUT(a, np.rint(lut * LIT_STEPS).astype(np.int16) if gain is not None
                    else np.clip(np.floor(lut + 0.5), 0, 255).astype(np.uint8))
    if gain is not None:
        a = _scaled(a, gain, 1 / LIT_STEPS if a.dtype == np.int16 else 1.0)
    if params.blur:
        a = cv2.GaussianBlur(a, (0, 0), params.blur)
    if params.scale < 1:
        small = (max(1, round(w * params.scale)), max(1, round(h * params.scale)))
        a = cv2.resize(cv2.resize(a, small, interpolation=cv2.INTER_LINEAR), (w, h), interpolation=cv2.INTER_LINEAR)
    if params.noise:  # grey sensor noise, the same on every channel: a window of the pool, added in one pass
        f = _window("noise", rng, h, w)
        if f is None:
            f = cv2.merge([_white(rng, h, w) * POOL_UNIT] * 3)
        a = cv2.addWeighted(a, 1.0, f, params.noise / POOL_UNIT, 0, dtype=cv2.CV_8U)
    if params.jpeg:  # OpenCV's codec (libjpeg-turbo, 4:2:0 as Pillow's): no PIL image made and read back
        _, buf = cv2.imencode(".jpg", cv2.cvtColor(a, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, params.jpeg])
        a = cv2.imdecode(buf, cv2.IMREAD_COLOR_RGB)  # libjpeg-turbo writes RGB itself: no BGR copy to swap
    img = Image.fromarray(a, "RGB")
    return Rendered([img], map_texts(texts, params, size), {"degrade": params.preset, "size": list(img.size)})
