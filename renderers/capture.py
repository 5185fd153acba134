"""How a rendered page is captured: scanned, photographed or screenshotted, replayed exactly from JSON.

`renderers.degrade` holds the effects every capture shares (ink, paper, skew and perspective, lighting, blur,
noise). A capture adds what real scans, phone photos and screenshots show beyond those, after Augraphy's
catalogue (BleedThrough, BookBinding's page curl, Moire, LightingGradient, DirtyScreen-free screen captures,
Faxify, binarisation) but kept as this project keeps every effect: a `CaptureParams` drawn from an rng (`draw`),
recorded as JSON in the sample's meta, and replayed by `apply` with no randomness of its own, byte for byte.
Augraphy itself draws inside each effect from global random state, so it cannot replay from recorded parameters.

Presets, in the order of what they add:
  scan: the "scan" degradation, plus a faint mirrored page showing through (bleed-through), resampling at
        100-300 dpi, and sometimes binarisation (Otsu plus an offset), sometimes as a fax (half the vertical
        resolution, 1 bit).
  photo: the "photo" degradation (rotation, perspective, shadow, vignette, blur), plus page curvature (every
        column moved up or down along a smooth curve, as a page bowing off a book's spine), uneven light (a smooth
        random gain field), and moire (the beat of two fine gratings, as a photographed print or screen).
  screen: a screenshot: scaled by a display's factor (size changes), subpixel colour fringes (ClearType-like:
        red and blue sampled a third of a pixel apart), JPEG.
  light: the "light" degradation only (small chart labels).

Geometry (curvature, the homography, screen scaling) moves text: `map_points` moves any point the way `apply`
moves pixels, so an engine's boxes and quads stay on their text. `fit` is the legibility gate: it estimates the
smallest text's height from the clean image (`text_height`, ink components, cheap) and limits every effect
that loses resolution so that height stays readable, or gives the capture up ("text_too_small");
`spare_strokes` keeps binarisation off a page whose thin strokes (comma tails, rules) it would erase.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageFilter

from renderers import degrade
from renderers.degrade import DegradeParams
from renderers.result import DrawnText, Rendered

PRESETS = ("scan", "photo", "screen", "light")
# The smallest x-height (pixels, after every resolution loss) each effect keeps legible; calibrated with PP-OCR
# on DejaVu and Noto CJK lines (tests/engines/test_capture.py reads lines at these limits through the harshest capture).
MIN_XHEIGHT = 8.0
MIN_XHEIGHT_BINARY = 10.0
MIN_XHEIGHT_FAX = 12.0
MIN_XHEIGHT_LIGHTER = 5.0  # smaller text stays clean; text between this and MIN_XHEIGHT gets `lighter`
BLUR_PER_XHEIGHT = 1 / 7  # the widest blur radius, per pixel of x-height
SEEN = 0.25  # share of the paper-to-ink contrast from which a pixel of the capture before binarisation is ink
ERASED_PX = 3  # a run of seen ink this long (px) with no binarised ink next to it is a stroke the threshold erased
FLAT_STEP = 8  # pixels between the points `flatten` maps exactly
MIN_LIGHT = 0.5  # the least share of the page's contrast that the lighting (contrast, shadow, vignette, light) leaves


@dataclass(frozen=True)
class CaptureParams:
    """One capture, fully specified; the identity by default. `asdict` of it is JSON-safe.

    Attributes:
        preset: the preset it was drawn from ("none" for no capture).
        seed: seeds the uneven light field.
        base: the shared degradation (`renderers.degrade`), its JPEG left to `jpeg` here (applied last).
        bleed: opacity of the mirrored back page showing through (0 = none).
        bleed_shift: rows the back page is offset by.
        curve: page curvature: the largest vertical displacement, as a fraction of the page's height (+ down).
        curve_skew: where along the width the bow peaks (0.5 = the middle).
        light: depth of the uneven light field (0 = none).
        moire: amplitude of the moire fringes (0-255 scale; 0 = none).
        moire_period: period of the finer grating, pixels.
        moire_angle: its direction, degrees.
        dpi: scan resolution against a 300 dpi render (0 = not resampled).
        binarize: reduced to black and white (a scanner's 1-bit mode).
        threshold: the binarisation threshold's offset from Otsu's (grey levels; + keeps more ink).
        fax: binarised at half the vertical resolution.
        screen_scale: a screenshot's display scaling (the image's size changes).
        subpixel: strength of the colour fringes (0-1).
        jpeg: JPEG quality of the final compression (0 = none).
        gated: why the legibility gate lightened the draw ("" = untouched).
    """

    preset: str = "none"
    seed: int = 0
    base: DegradeParams = field(default_factory=DegradeParams)
    bleed: float = 0.0
    bleed_shift: int = 0
    curve: float = 0.0
    curve_skew: float = 0.5
    light: float = 0.0
    moire: float = 0.0
    moire_period: float = 4.0
    moire_angle: float = 0.0
    dpi: int = 0
    binarize: bool = False
    threshold: int = 0
    fax: bool = False
    screen_scale: float = 1.0
    subpixel: float = 0.0
    jpeg: int = 0
    gated: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CaptureParams:
        """Rebuild parameters from their JSON form (`asdict`, possibly through json).

        Raises:
            TypeError: `d` has a key that is not a field (a misspelt key is never ignored).
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise TypeError(f"unknown capture parameters {unknown}; known: {sorted(names)}")
        return cls(**{**d, "base": DegradeParams.from_dict(d.get("base", {}))})

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form recorded in meta (tuples as lists, as json gives them back)."""
        d = dataclasses.asdict(self)
        d["base"] = {k: list(v) if isinstance(v, tuple) else v for k, v in d["base"].items()}
        return d

    @property
    def effects(self) -> list[str]:
        """The effects this capture applies, by name (for the realism report)."""
        on = [name for name in degrade.EFFECTS if name != "jpeg" and _base_on(self.base, name)]
        on += [name for name in ("bleed", "curve", "light", "moire", "dpi", "binarize", "fax", "subpixel", "jpeg")
               if getattr(self, name)]
        return on + (["screen_scale"] if self.screen_scale != 1 else [])

    @property
    def moves(self) -> bool:
        """Whether text moves (curvature, rotation, perspective, a screenshot's scaling)."""
        return bool(self.curve) or degrade.moves(self.base) or self.screen_scale != 1


def _base_on(p: DegradeParams, name: str) -> bool:
    value, default = getattr(p, name), getattr(DegradeParams(), name)
    return value != default


def _r(value: float, digits: int) -> float:
    """A Python float, rounded (a numpy scalar would change the precision of the arithmetic it enters)."""
    return float(round(float(value), digits))


def draw(rng: np.random.Generator, preset: str, geometry: bool = True, colour: bool = True) -> CaptureParams:
    """Draw one capture of a preset from `rng` (the same draws in the same order, whatever ends up on).

    Args:
        rng: the capture's own generator (not the engine's: drawing a capture must not change what is drawn).
        preset: one of `PRESETS`.
        geometry: False keeps every pixel where it is (a prompt that names pixels): no curvature, rotation,
            perspective or scaling.
        colour: False keeps colours (a prompt that names a colour): no binarisation or fax.

    Raises:
        ValueError: unknown preset.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown capture preset {preset!r}; known: {', '.join(PRESETS)}")
    base = degrade.draw_params(rng, "scan" if preset == "screen" else preset)
    on = rng.random(8)
    u = rng.random(8)
    seed = int(rng.integers(2**31))
    jpeg = base.jpeg
    base = dataclasses.replace(base, jpeg=0)
    if not geometry:
        base = dataclasses.replace(base, rotate=0.0, corners=(0.0,) * 8)
    p = CaptureParams(preset=preset, seed=seed, jpeg=jpeg)
    if preset == "scan":
        binary = colour and on[3] < 0.15
        return dataclasses.replace(
            p, base=base, bleed=_r(0.04 + 0.1 * u[0], 3) if on[0] < 0.3 else 0.0,
            bleed_shift=int(u[1] * 40) - 20, dpi=int(100 + 200 * u[2]) if on[2] < 0.5 else 0,
            binarize=bool(binary), threshold=int(u[3] * 41) - 20 if binary else 0, fax=bool(binary and on[4] < 0.35),
            jpeg=0 if binary else jpeg)
    if preset == "photo":
        return dataclasses.replace(
            p, base=base, curve=_r((u[0] * 0.025 + 0.005) * (1 if on[5] < 0.5 else -1), 4)
            if geometry and on[0] < 0.4 else 0.0, curve_skew=_r(0.3 + 0.4 * u[1], 3),
            light=_r(0.1 + 0.25 * u[2], 3) if on[2] < 0.5 else 0.0,
            moire=_r(4 + 6 * u[3], 2) if on[3] < 0.2 else 0.0, moire_period=_r(3 + 3 * u[4], 2),
            moire_angle=_r(180 * u[5], 1))
    if preset == "screen":
        scales = (0.8, 0.9, 1.25, 1.5, 2.0)
        scaled, fringed = geometry and on[0] < 0.6, on[1] < 0.5
        return dataclasses.replace(  # a screenshot with neither scaling nor fringes is at least re-compressed
            p, screen_scale=scales[int(u[0] * len(scales))] if scaled else 1.0,
            subpixel=_r(0.4 + 0.5 * u[1], 3) if fringed else 0.0,
            jpeg=int(60 + 35 * u[2]) if on[2] < 0.6 or not (scaled or fringed) else 0)
    return dataclasses.replace(p, base=base)


def strongest(preset: str, seed: int = 0) -> CaptureParams:
    """The harshest capture a preset can draw: every effect on at its bound (before `fit`), for the tests."""
    base = degrade.strongest("scan" if preset == "screen" else preset, seed)
    p = CaptureParams(preset=preset, seed=seed, jpeg=base.jpeg)
    base = dataclasses.replace(base, jpeg=0)
    if preset == "scan":
        return dataclasses.replace(p, base=base, bleed=0.14, bleed_shift=7, dpi=100, binarize=True, threshold=20,
                                   fax=True, jpeg=0)
    if preset == "photo":
        return dataclasses.replace(p, base=base, curve=0.03, curve_skew=0.3, light=0.35, moire=10.0, moire_period=3.0)
    if preset == "screen":
        return dataclasses.replace(p, screen_scale=0.8, subpixel=0.9, jpeg=60)
    return dataclasses.replace(p, base=base)


def text_height(image: Image.Image) -> float:
    """The x-height of the image's smallest common text, in pixels, estimated from its ink (inf for none).

    Connected components of ink (the minority side of Otsu's threshold) from 3 px to 200 px (and under 90% of the
    image) tall are taken as glyphs and strokes; convex ones are left out (`_convex`: the dashes and dots of a
    dashed or dotted line, note heads and stems, which outnumbered a figure's few labels and read as 4 px text),
    then those under half the median height (punctuation, accents); the 20th percentile of the rest is near a
    line's x-height (11-12 px for DejaVu at 22 px). A few milliseconds a page.
    """
    grey = np.asarray(image.convert("L"))
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.count_nonzero(mask) > mask.size / 2:  # light text on a dark background: ink is the minority side
        mask = 255 - mask
    if not mask.any():
        return math.inf
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h = stats[1:, cv2.CC_STAT_HEIGHT]
    keep = (h >= 3) & (h <= min(200, 0.9 * grey.shape[0])) & (stats[1:, cv2.CC_STAT_AREA] >= 4)
    glyphs = keep & ~_convex(mask, labels, stats)
    h = h[glyphs] if glyphs.sum() >= 3 else h[keep]  # text of convex strokes only (l, I, 1) is still text
    h = h[h >= np.median(h) / 2] if len(h) else h
    return float(np.percentile(h, 20)) if len(h) >= 3 else math.inf


CONVEX = 0.85  # ink over convex hull area above which a component is a convex blob (a dot, a note head)
THIN = 1.5  # ink per pixel of diagonal under which a component is one thin stroke (a dash, a stem, a hyphen)


def _convex(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray) -> np.ndarray:
    """Per component (background left out), whether it is a blob that fills its convex hull (a dot, a note head)
    or one thin straight stroke (a dash, a stem, a hyphen, with ink for under `THIN` pixels a pixel of its
    diagonal); letters (bowls, counters, arms) and Chinese characters are neither, bar a few (l, I, 1, i)."""
    out = np.zeros(len(stats) - 1, dtype=bool)
    # every component's outer boundary (RETR_CCOMP puts components inside another's hole at the top level too)
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0] if hierarchy is not None else []):
        if parent >= 0:
            continue  # a hole's boundary
        x, y = contour[0, 0]
        label = labels[y, x]
        if not label:
            continue
        left, top, w, h = cv2.boundingRect(contour)
        hull = np.zeros((h, w), dtype=np.uint8)  # the hull's pixels, counted as the ink's are
        cv2.fillConvexPoly(hull, cv2.convexHull(contour) - np.array([left, top], dtype=np.int32), 1)
        ink = stats[label, cv2.CC_STAT_AREA]
        out[label - 1] = ink >= CONVEX * int(hull.sum()) or ink <= THIN * math.hypot(w, h)
    return out


def fit(params: CaptureParams, xheight: float) -> CaptureParams:
    """The legibility gate: `params` with every resolution loss limited so text of `xheight` stays readable.

    Resolution losses (degrade's scale, scan dpi, a screenshot's downscaling) are raised until the x-height left
    is `MIN_XHEIGHT`; blur is capped at `BLUR_PER_XHEIGHT` of it; binarisation needs `MIN_XHEIGHT_BINARY` and a
    fax `MIN_XHEIGHT_FAX`, else they are dropped. Text too small for any capture gives the identity, with
    `gated="text_too_small"`; any other change is named in `gated` too (the report counts the reasons).
    """
    if params.preset == "none":
        return params
    if xheight < MIN_XHEIGHT_LIGHTER:
        return CaptureParams(gated="text_too_small")
    if xheight < MIN_XHEIGHT:
        return lighter(params)
    why = []
    least = MIN_XHEIGHT / xheight  # the smallest share of resolution that may be left
    base, dpi, scale = params.base, params.dpi, params.screen_scale
    if base.scale * (dpi / 300 if dpi else 1) * min(scale, 1) < least:
        why.append("resolution")
        scale = max(scale, 1.0)
        if dpi:
            dpi = max(dpi, min(300, math.ceil(300 * math.sqrt(least))))
        left = least / (dpi / 300 if dpi else 1)  # what degrade's scale must leave
        base = dataclasses.replace(base, scale=max(base.scale, min(1.0, _r(left + 5e-5, 4))))
    kept = xheight * base.scale * (dpi / 300 if dpi else 1) * min(scale, 1)
    if base.blur > BLUR_PER_XHEIGHT * kept:
        why.append("blur")
        base = dataclasses.replace(base, blur=round(BLUR_PER_XHEIGHT * kept, 3))
    light = params.light
    if _lit(base, light) < MIN_LIGHT:
        why.append("light")
        for k in (0.75, 0.5, 0.25, 0.0):
            dimmer = dataclasses.replace(base, shadow=_r(base.shadow * k, 4), vignette=_r(base.vignette * k, 4))
            if _lit(dimmer, light * k) >= MIN_LIGHT or k == 0:
                base, light = dimmer, _r(light * k, 3)
                break
    binarize, fax = params.binarize, params.fax
    if fax and kept < MIN_XHEIGHT_FAX:
        why.append("fax")
        fax = False
    if binarize and kept < MIN_XHEIGHT_BINARY:
        why.append("binarize")
        binarize = fax = False
    if not why:
        return params
    return dataclasses.replace(params, base=base, dpi=dpi, screen_scale=scale, binarize=binarize, fax=fax,
                               light=light, gated="+".join(why))


def spare_strokes(params: CaptureParams, images: Sequence[Image.Image]) -> CaptureParams:
    """`params`, without binarisation or fax where they would erase a stroke that the capture before them shows.

    Faded or eroded ink leaves thin strokes (a comma's tail, a 1 px table rule, a thin superscript) lighter than
    the letters' cores: Otsu's threshold then drops them and a comma reads as a period, a `c|cc` rule vanishes,
    and the target no longer says what the image shows. The gate binarises the grey capture and looks for ink
    seen in it (darker than `SEEN` of the way from paper to ink) with no binarised ink within a pixel; a run of
    it `ERASED_PX` long is a stroke lost (scattered 1-2 px fringes of letters are not). The check costs one
    capture without binarisation, on the few captures that binarise; gated "thin_strokes".
    """
    if not params.binarize:
        return params
    grey = dataclasses.replace(params, binarize=False, fax=False, threshold=0)
    if not any(_erases(apply(im, grey).image, params) for im in images):
        return params
    return dataclasses.replace(grey, gated="+".join(filter(None, (params.gated, "thin_strokes"))))


def _erases(grey: Image.Image, params: CaptureParams) -> bool:
    a = np.asarray(grey.convert("L"))
    paper, ink = np.percentile(a, 90), np.percentile(a, 0.5)
    seen = (a < paper - SEEN * (paper - ink)).astype(np.uint8)
    kept = (np.asarray(_binary(grey, params).convert("L")) < 128).astype(np.uint8)
    gone = seen & (1 - cv2.dilate(kept, np.ones((3, 3), np.uint8)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(gone, connectivity=8)
    return n > 1 and int(np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]).max()) >= ERASED_PX


def lighter(params: CaptureParams) -> CaptureParams:
    """What of a capture small text survives: paper, grain, the page's geometry, a light JPEG; no loss of
    resolution, ink, blur, noise, shadow, binarisation, moire or uneven light (gated "small_text")."""
    b = params.base
    base = DegradeParams(preset=b.preset, seed=b.seed, paper=b.paper, grain=b.grain, rotate=b.rotate,
                         corners=b.corners, background=b.background, brightness=b.brightness / 2)
    return CaptureParams(preset=params.preset, seed=params.seed, base=base, curve=params.curve,
                         curve_skew=params.curve_skew, screen_scale=max(params.screen_scale, 1.0),
                         jpeg=max(params.jpeg, 80) if params.jpeg else 0, gated="small_text")


def _lit(base: DegradeParams, light: float) -> float:
    """The share of the page's contrast left where the lighting is darkest (contrast, shadow, vignette, light)."""
    return min(base.contrast, 1.0) * (1 - base.shadow) * (1 - base.vignette / 2) * (1 - light)


# --- geometry -------------------------------------------------------------------------------------------------

def _curve_rows(params: CaptureParams, w: int, h: int) -> tuple[np.ndarray, int, int]:
    """Each column's displacement (pixels, + down), the rows added at the top, and the new height."""
    x = (np.arange(w, dtype=np.float64) + 0.5) / w
    k = params.curve_skew
    bow = np.where(x < k, x / k, (1 - x) / (1 - k))  # 0 at the edges, 1 where it peaks
    d = params.curve * h * np.sin(bow * math.pi / 2) ** 2
    top = math.ceil(max(0.0, -d.min()))
    return d + top, top, h + top + math.ceil(max(0.0, d.max()))


def _curve_at(params: CaptureParams, size: tuple[int, int], x: np.ndarray) -> np.ndarray:
    w, h = size
    d, _, _ = _curve_rows(params, w, h)
    return np.interp(x - 0.5, np.arange(w), d)


def _curved(img: Image.Image, params: CaptureParams) -> Image.Image:
    w, h = img.size
    d, _, out_h = _curve_rows(params, w, h)
    map_x = np.broadcast_to(np.arange(w, dtype=np.float32), (out_h, w))
    map_y = (np.arange(out_h, dtype=np.float32)[:, None] - d[None, :].astype(np.float32))
    fill = tuple(int(c) for c in params.base.background)
    out = cv2.remap(np.asarray(img), np.ascontiguousarray(map_x), np.ascontiguousarray(map_y), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    return Image.fromarray(out)


def map_points(points: np.ndarray, params: CaptureParams, size: tuple[int, int]) -> np.ndarray:
    """Where `apply` moves points (N x 2, pixels) of an image of `size`: curvature, homography, scaling."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2).copy()
    w, h = size
    if params.curve:
        p[:, 1] += _curve_at(params, size, p[:, 0])
        _, _, h = _curve_rows(params, w, h)
    if degrade.moves(params.base):
        hom, (w, h) = degrade.warp(params.base, (w, h))
        q = np.c_[p, np.ones(len(p))] @ hom.T
        p = q[:, :2] / q[:, 2:]
    if params.screen_scale != 1:
        out = _scaled_size((w, h), params.screen_scale)
        p *= (out[0] / w, out[1] / h)
    return p


def map_quad(quad: Sequence[Sequence[float]], params: CaptureParams, size: tuple[int, int]) -> list[list[float]]:
    """A text quad moved as `apply` moves its text; a curved page bows a line between its corners, so the quad
    is widened up and down by the bow its top and bottom edges take (sampled along them)."""
    q = np.asarray(quad, dtype=np.float64).reshape(4, 2)
    if not params.curve:
        return map_points(q, params, size).round(1).tolist()
    sag = 0.0
    for a, b in ((q[0], q[1]), (q[3], q[2])):
        t = np.linspace(0, 1, 9)[:, None]
        line = a + t * (b - a)
        bent = line[:, 1] + _curve_at(params, size, line[:, 0])
        straight = (a[1] + _curve_at(params, size, a[:1])) * (1 - t[:, 0]) + (b[1] + _curve_at(params, size, b[:1])) * t[:, 0]
        sag = max(sag, float(np.abs(bent - straight).max()))
    q[:2, 1] -= sag
    q[2:, 1] += sag
    return map_points(q, params, size).round(1).tolist()


def map_box(box: Sequence[float], params: CaptureParams, size: tuple[int, int]) -> list[float]:
    """An axis-aligned box [x0, y0, x1, y1] moved as `apply` moves its content: the box around the moved quad."""
    x0, y0, x1, y1 = box
    q = np.asarray(map_quad([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], params, size))
    return [round(float(v), 1) for v in (*q.min(axis=0), *q.max(axis=0))]


def moved_size(params: CaptureParams, size: tuple[int, int]) -> tuple[int, int]:
    """The size `apply` gives an image of `size`: the curvature's rows, the homography's frame, the screen's scale."""
    w, h = size
    if params.curve:
        _, _, h = _curve_rows(params, w, h)
    if degrade.moves(params.base):
        _, (w, h) = degrade.warp(params.base, (w, h))
    return _scaled_size((w, h), params.screen_scale) if params.screen_scale != 1 else (w, h)


def clean_size(params: CaptureParams, captured: tuple[int, int], guess: tuple[float, float]) -> tuple[int, int]:
    """The size of the clean image that `apply` turned into one of size `captured`: of the sizes within 3 pixels of
    `guess` (the drawn image's size, as the engine recorded it), the one `moved_size` takes to `captured`, else the
    nearest to it."""
    first = (round(guess[0]), round(guess[1]))
    if moved_size(params, first) == tuple(captured):
        return first
    near = [(first[0] + dx, first[1] + dy) for dx in range(-3, 4) for dy in range(-3, 4)]

    def miss(size: tuple[int, int]) -> tuple[int, float]:
        out = moved_size(params, size)
        return abs(out[0] - captured[0]) + abs(out[1] - captured[1]), abs(size[0] - guess[0]) + abs(size[1] - guess[1])

    return min(near, key=miss)


def flatten(image: Image.Image, params: CaptureParams, size: tuple[int, int]) -> Image.Image:
    """The captured `image` taken back to the clean image's pixel grid (`size`): each clean pixel is sampled where
    `apply` moved it (`map_points`), so a bowed, turned or slanted page stands flat and level again. The geometry
    only: blur, light and noise stay. A reader that replays the recorded capture reads lines as drawn, not a box
    widened by a curl's sag that holds half of the next line."""
    w, h = size
    # the map is smooth: computed every FLAT_STEP pixels and interpolated between (a 64th of the work)
    gx, gy = np.arange(0, w + FLAT_STEP, FLAT_STEP, dtype=np.float64), np.arange(0, h + FLAT_STEP, FLAT_STEP,
                                                                                  dtype=np.float64)
    xs, ys = np.meshgrid(gx + 0.5, gy + 0.5)
    moved = (map_points(np.c_[xs.ravel(), ys.ravel()], params, size) - 0.5).reshape(len(gy), len(gx), 2)
    fine_x, fine_y = np.arange(w) / FLAT_STEP, np.arange(h) / FLAT_STEP
    maps = [cv2.remap(np.ascontiguousarray(moved[..., k].astype(np.float32)),
                      *np.meshgrid(fine_x.astype(np.float32), fine_y.astype(np.float32)), cv2.INTER_LINEAR)
            for k in range(2)]
    map_x, map_y = (np.ascontiguousarray(m) for m in maps)
    out = cv2.remap(np.asarray(image.convert("RGB")), map_x, map_y, cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(out)


def unmap_box(box: Sequence[float], params: CaptureParams, size: tuple[int, int]) -> list[float]:
    """The clean image's box that `map_box` moved to `box` (Newton's method on its four numbers): a line's own box
    on the `flatten`ed image."""
    want = np.asarray(box, dtype=np.float64)
    at, jac = want.copy(), None
    for _ in range(8):
        got = np.asarray(map_box(at, params, size))
        miss = want - got
        if np.abs(miss).max() < 0.1:
            break
        if jac is None:  # the map is near linear over a box: one Jacobian serves every step (its steps long
            # enough that map_box's rounding to 0.1 px does not skew it: a 1.4 for a screen's 1.5 overshot by 7%)
            jac = np.stack([np.asarray(map_box(at + step, params, size)) - got for step in 8 * np.eye(4)], axis=1) / 8
        at = at + np.linalg.lstsq(jac, miss, rcond=None)[0]
    return [round(float(v), 1) for v in at]


def _scaled_size(size: tuple[int, int], s: float) -> tuple[int, int]:
    return max(1, round(size[0] * s)), max(1, round(size[1] * s))


# --- pixels ---------------------------------------------------------------------------------------------------

def _bleed(a: np.ndarray, params: CaptureParams) -> np.ndarray:
    """The back page, mirrored, shifted and softened through the paper, darkens the front where it has ink."""
    back = np.asarray(Image.fromarray(a[:, ::-1].astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.5)),
                      dtype=np.float32)
    back = np.roll(back, params.bleed_shift, axis=0)
    return a * (1 - params.bleed * (1 - back / 255))


def _light_and_moire(a: np.ndarray, params: CaptureParams) -> np.ndarray:
    h, w = a.shape[:2]
    if params.light:
        coarse = np.random.default_rng(params.seed).random((4, 4)).astype(np.float32)
        field_ = np.asarray(Image.fromarray(coarse).resize((w, h), Image.Resampling.BICUBIC))
        a = a * (1 - params.light * np.clip(field_, 0, 1))[..., None]
    if params.moire:
        t, f = math.radians(params.moire_angle), 2 * math.pi / params.moire_period
        x, y = np.arange(w, dtype=np.float32)[None, :], np.arange(h, dtype=np.float32)[:, None]
        fringes = (np.cos(f * (x * math.cos(t) + y * math.sin(t)))
                   * np.cos(f * 1.04 * (x * math.cos(t + 0.05) + y * math.sin(t + 0.05))))
        a = a + (params.moire * fringes)[..., None]
    return a


def _binary(img: Image.Image, params: CaptureParams) -> Image.Image:
    a = np.asarray(img.convert("L"))
    if params.fax:  # half the rows, each the darker of its pair: a one-pixel rule survives, as on a real fax
        a = np.minimum(a[0:a.shape[0] // 2 * 2:2], a[1:a.shape[0] // 2 * 2:2]) if a.shape[0] > 1 else a
    otsu, _ = cv2.threshold(a, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bw = np.where(a > otsu + params.threshold, 255, 0).astype(np.uint8)
    out = Image.fromarray(bw)
    if params.fax:
        out = out.resize(img.size, Image.Resampling.NEAREST)
    return out.convert("RGB")


def _subpixel(a: np.ndarray, s: float) -> np.ndarray:
    """ClearType-like fringes: red sampled a third of a pixel left, blue a third right."""
    k = s / 3
    out = a.copy()
    out[:, 1:, 0] = (1 - k) * a[:, 1:, 0] + k * a[:, :-1, 0]
    out[:, :-1, 2] = (1 - k) * a[:, :-1, 2] + k * a[:, 1:, 2]
    return out


def _to_image(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "RGB")


def apply(image: Image.Image, params: CaptureParams, texts: Sequence[DrawnText] = ()) -> Rendered:
    """Capture an image and move its texts with it; deterministic (same image + params, same bytes).

    Order, as light travels: the back page bleeds through, the page bows, then the shared degradation (ink,
    paper, the camera's homography, lighting, blur, resolution, noise), uneven light and moire, scan resampling
    or a screenshot's scaling and subpixel fringes, binarisation or fax, JPEG.

    Returns:
        `Rendered([captured], moved texts, {"capture": preset, "size": [w, h]})`.
    """
    img = image.convert("RGB")
    if params.preset == "none":
        return Rendered([img], list(texts), {"capture": "none", "size": list(img.size)})
    if params.bleed:
        img = _to_image(_bleed(np.asarray(img, dtype=np.float32), params))
    if params.curve:
        img = _curved(img, params)
    if any(_base_on(params.base, name) for name in degrade.EFFECTS):
        img = degrade.apply(img, params.base).image
    if params.light or params.moire:
        img = _to_image(_light_and_moire(np.asarray(img, dtype=np.float32), params))
    if params.dpi:
        s = params.dpi / 300
        small = _scaled_size(img.size, s)
        img = img.resize(small, Image.Resampling.BOX).resize(img.size, Image.Resampling.BICUBIC)
    if params.screen_scale != 1:
        filt = Image.Resampling.BILINEAR if params.screen_scale < 1 else Image.Resampling.NEAREST
        img = img.resize(_scaled_size(img.size, params.screen_scale), filt)
    if params.subpixel:
        img = _to_image(_subpixel(np.asarray(img, dtype=np.float32), params.subpixel))
    if params.binarize:
        img = _binary(img, params)
    if params.jpeg:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=params.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    moved = [DrawnText(t.text, tuple(map(tuple, map_quad(t.quad, params, image.size))), t.score, t.page)
             for t in texts] if params.moves else list(texts)
    return Rendered([img], moved, {"capture": params.preset, "size": list(img.size)})


def replay(image: Image.Image, meta: dict[str, Any]) -> Image.Image:
    """`image` (a clean redraw of a sample) captured as the sample's meta records, or as is without a capture.

    The exact-redraw readers compare this with the sample's image.
    """
    recorded = meta.get("capture")
    return apply(image, CaptureParams.from_dict(recorded)).image if recorded else image
