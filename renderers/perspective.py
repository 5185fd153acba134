"""Text placed INTO a photograph: flat regions, a fitted orientation, contrasting colour, a warped paste, crops.

SynthText places text where a photo is smooth (its depth and segmentation nets find planes); here the plane is
approximated from the pixels alone, which needs no model: a region is "flat" when its mean gradient magnitude is
low (an integral image answers that for any box in O(1)), and the text's baseline follows the region's dominant
edge direction (the structure tensor) when the region has one, so text lies along a plank, a horizon or a leaf
rather than across it. The trade-off: no true 3-D plane, so the perspective is a small random keystone around
that fitted orientation, never the plane's real foreshortening. Colour is chosen against the pixels actually
under the text, with a floor on the WCAG contrast ratio against both the region's mean and its extremes (its
lightest pixels for light text, its darkest for dark), so text never vanishes into a bright petal or a dark
shadow of its region.

Pasting is one homography per text (OpenCV's warpPerspective of an RGBA patch drawn by Pillow), and the same
homography maps the ink boxes of the patch's lines to quads in the photo: what `meta` records is where the
pixels went. `crop_quad` cuts a quad back out, rectified (the scene_crops engines' unit).
"""

from __future__ import annotations

import colorsys
from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image

from renderers.result import Quad

RGB = tuple[int, int, int]


def luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(a: float, b: float) -> float:
    """WCAG contrast ratio of two luminances (1 = none, 21 = black on white)."""
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


class FlatMap:
    """How textured a photo is at every box: an integral image of its gradient magnitude, and its structure tensor.

    Built once per background crop (a few ms at 1000 px); `texture(box)` and `orientation(box)` are O(1).
    """

    def __init__(self, image: Image.Image) -> None:
        grey = np.asarray(image.convert("L"), dtype=np.float32)
        gx, gy = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
        self.size = image.size
        self._mag = cv2.integral(np.sqrt(gx * gx + gy * gy) / 8.0)  # grey levels per pixel
        self._xx, self._yy, self._xy = cv2.integral(gx * gx), cv2.integral(gy * gy), cv2.integral(gx * gy)

    @staticmethod
    def _sum(table: np.ndarray, box: Sequence[int]) -> float:
        left, top, right, bottom = box
        return float(table[bottom, right] - table[top, right] - table[bottom, left] + table[top, left])

    def _clip(self, box: Sequence[float]) -> tuple[int, int, int, int]:
        w, h = self.size
        left, top = int(max(0, min(w - 1, box[0]))), int(max(0, min(h - 1, box[1])))
        return left, top, int(max(left + 1, min(w, box[2]))), int(max(top + 1, min(h, box[3])))

    def texture(self, box: Sequence[float]) -> float:
        """Mean gradient magnitude in the box, in grey levels per pixel (about 0-2 for sky or bokeh, 10+ for grass)."""
        b = self._clip(box)
        return self._sum(self._mag, b) / ((b[2] - b[0]) * (b[3] - b[1]))

    def orientation(self, box: Sequence[float]) -> tuple[float, float]:
        """(angle in degrees of the box's dominant edge direction, counter-clockwise from +x; coherence 0-1).

        Coherence near 0 means no direction dominates (text there gets a random small angle instead).
        """
        b = self._clip(box)
        jxx, jyy, jxy = self._sum(self._xx, b), self._sum(self._yy, b), self._sum(self._xy, b)
        spread = np.hypot(jxx - jyy, 2 * jxy)
        coherence = float(spread / (jxx + jyy)) if jxx + jyy > 1e-6 else 0.0
        gradient = 0.5 * np.degrees(np.arctan2(2 * jxy, jxx - jyy))  # the direction intensity changes along
        edge = gradient + 90.0  # edges run across it; image y points down, so negate for counter-clockwise
        return float(((-edge + 90.0) % 180.0) - 90.0), coherence


def region_colours(image: Image.Image, box: Sequence[float]) -> tuple[RGB, float, float]:
    """(mean colour, 2nd and 98th percentile luminance) of the pixels in a box (one glyph of a ten-character
    line covers a tenth of it, so a dark or light patch the size of one glyph shows in these)."""
    left, top, right, bottom = (int(round(v)) for v in box)
    patch = np.asarray(image.crop((left, top, right, bottom)).convert("RGB"), dtype=np.float64).reshape(-1, 3)
    lum = patch @ np.array([0.2126, 0.7152, 0.0722]) / 255.0
    lum = np.where(lum <= 0.03928, lum / 12.92, ((lum + 0.055) / 1.055) ** 2.4)  # approximate, per pixel
    low, high = np.percentile(lum, [2, 98])
    mean = tuple(int(v) for v in patch.mean(axis=0))
    return mean, float(low), float(high)


def contrasting_colour(rng: np.random.Generator, under: tuple[RGB, float, float], floor: float) -> RGB | None:
    """A text colour of random hue whose contrast with the region's mean is >= `floor` and with its extreme tenth
    (its lightest pixels for light text, its darkest for dark text) is >= 2, or None when no lightness reaches it.

    Args:
        rng: the sample's generator.
        under: `region_colours` of the pixels the text will cover.
        floor: the WCAG contrast ratio required against the region's mean (4.5 is the web's body-text floor).
    """
    mean, low, high = under
    base = luminance(mean)
    hue, sat = float(rng.random()), float(rng.choice([0.0, 0.3, 0.7, 1.0]))
    light_first = base < 0.18
    for lightness in (np.linspace(0.55, 1.0, 10) if light_first else np.linspace(0.45, 0.0, 10)):
        rgb = tuple(int(round(c * 255)) for c in colorsys.hls_to_rgb(hue, float(lightness), sat))
        lum = luminance(rgb)
        worst = high if lum > base else low  # light text vanishes on the region's lightest pixels
        if contrast_ratio(lum, base) >= floor and contrast_ratio(lum, worst) >= 2.0:
            return rgb
    return None


def fit_quad(size: tuple[int, int], center: tuple[float, float], angle: float,
             keystone: Sequence[float]) -> np.ndarray:
    """The 3x3 homography taking a (w, h) patch to a quad centred at `center`, turned by `angle` degrees
    (counter-clockwise) and keystoned: `keystone` moves each corner (tl, tr, br, bl) by (dx, dy) fractions of h."""
    w, h = size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    local = src - np.array([w / 2, h / 2], dtype=np.float32) + np.asarray(keystone, np.float32).reshape(4, 2) * h
    t = np.radians(angle)
    rot = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]], dtype=np.float32)  # y down: ccw on screen
    dst = local @ rot.T + np.asarray(center, dtype=np.float32)
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def map_points(matrix: np.ndarray, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points moved by a homography."""
    out = cv2.perspectiveTransform(np.asarray(points, dtype=np.float64).reshape(-1, 1, 2), matrix)
    return [(float(x), float(y)) for x, y in out.reshape(-1, 2)]


def paste(photo: np.ndarray, patch: Image.Image, matrix: np.ndarray, opacity: float = 1.0) -> None:
    """Alpha-blend an RGBA patch into an RGB photo array in place, through a homography.

    Only the patch's bounding box in the photo is warped (cost grows with the text, not the photo).
    """
    h, w = photo.shape[:2]
    pw, ph = patch.size
    corners = np.array(map_points(matrix, [(0, 0), (pw, 0), (pw, ph), (0, ph)]))
    left, top = (int(max(0, np.floor(v))) for v in corners.min(axis=0))
    right, bottom = int(min(w, np.ceil(corners[:, 0].max()) + 1)), int(min(h, np.ceil(corners[:, 1].max()) + 1))
    if right <= left or bottom <= top:
        return
    shift = np.array([[1, 0, -left], [0, 1, -top], [0, 0, 1]], dtype=np.float64) @ matrix
    warped = cv2.warpPerspective(np.asarray(patch), shift, (right - left, bottom - top), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0)).astype(np.float32)
    alpha = warped[:, :, 3:4] / 255.0 * opacity
    region = photo[top:bottom, left:right].astype(np.float32)
    photo[top:bottom, left:right] = np.clip(region * (1 - alpha) + warped[:, :, :3] * alpha + 0.5, 0, 255).astype(
        np.uint8)


def grow_quad(quad: Quad, pad: float) -> Quad:
    """The quad grown by `pad` of its height on every side (along its own axes)."""
    p = np.asarray(quad, dtype=np.float64)
    across, down = p[1] - p[0], p[3] - p[0]
    height = float(np.linalg.norm(down))
    u = across / max(float(np.linalg.norm(across)), 1e-6) * pad * height
    v = down / max(height, 1e-6) * pad * height
    grown = p + np.array([-u - v, u - v, u + v, -u + v])
    return tuple((float(x), float(y)) for x, y in grown)  # type: ignore[return-value]


def overlap(a: Quad, b: Quad) -> float:
    """The area, in square pixels, that two convex quads share."""
    area, _ = cv2.intersectConvexConvex(np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32))
    return float(area)


def crop_quad(image: Image.Image, quad: Quad, pad: float = 0.15) -> Image.Image:
    """A quad cut out of an image and rectified to an upright rectangle, grown by `pad` line heights per side.

    Args:
        image: the whole image.
        quad: four corners, clockwise from the text's top-left.
        pad: margin, in the quad's heights, kept around the text (the detector's own boxes carry one too).

    Returns:
        the rectified crop (RGB), at the quad's own resolution.
    """
    p = np.asarray(quad, dtype=np.float64)
    height, width = float(np.linalg.norm(p[3] - p[0])), float(np.linalg.norm(p[1] - p[0]))
    src = np.asarray(grow_quad(quad, pad), dtype=np.float32)
    out_w, out_h = max(1, int(round(width + 2 * pad * height))), max(1, int(round(height * (1 + 2 * pad))))
    dst = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    rgb = np.asarray(image.convert("RGB"))
    crop = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(src, dst), (out_w, out_h), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(crop)
