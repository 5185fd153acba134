"""Pen strokes to pixels: single-stroke glyph data (Hershey and EMS fonts, Make Me a Hanzi medians) and a pen.

Why strokes and not an outline font: a font draws every "a" the same, and a model trained on fonts learns fonts.
A pen path can be bent per character (slant, size, rotation, wobble) and drawn with a varying width, so no two
letters are alike, as in real handwriting. The stroke data ships with two npm packages (installed by `make setup`
with the project's other JavaScript assets, read here as plain files, no browser involved):

* `hersheytext` (MIT code, public-domain Hershey data): SVG fonts of single-line glyphs, the Hershey script faces
  and the EMS faces (SIL OFL), Allura-like script among them. Units: 1000 per em, y up, baseline at 0. They cover
  printable ASCII (and a few Latin-1 letters); `glyph` returns None for anything else.
* `hanzi-writer-data` (Arphic Public License, derived from Make Me a Hanzi): 9,500 Chinese characters, each with
  its strokes' medians (the centre line of each brush stroke, in writing order) in a 1024 box, y up, top at 900.
  It holds no punctuation, so the full-width marks Chinese prose uses are drawn from `CJK_PUNCT` below.

Coordinates returned here are em units, x right, y DOWN, baseline at y = 0 (a glyph's ink is mostly at y < 0).
`draw_strokes` turns pixel-space polylines into an anti-aliased ink mask with OpenCV (its thick lines with round
ends are a pen nib; Pillow's lines have no round joins), drawn at three times the size and reduced by area: at the
page's own size a 1-2 px nib comes out beaded (each segment's round caps show, and widths jump in whole pixels).
The reduction is the anti-aliasing (ten levels of coverage), so the lines themselves are drawn aliased: OpenCV's
anti-aliased thick lines at twice the size looked no better and cost 1.45x as much (29 vs 20 ms a pen page).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
HERSHEY_DIR = NODE_MODULES / "hersheytext" / "svg_fonts"
HANZI_DIR = NODE_MODULES / "hanzi-writer-data"
SUPERSAMPLE = 3  # draw at this multiple of the size, then reduce (see the module docstring)
INK_GAP = 4  # blank rows that part two bands of ink `ink_onto` lays separately

# Full-width punctuation as pen strokes in a 1-em cell (x right, y down, baseline 0, top -0.88): hanzi-writer-data
# has none. Each mark is drawn where a Chinese font puts it (comma and stop low left, quotes high).
CJK_PUNCT: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {
    "，": (((0.20, -0.06), (0.24, -0.02), (0.23, 0.04), (0.16, 0.10)),),
    "。": (((0.22, -0.14), (0.14, -0.12), (0.11, -0.05), (0.14, 0.01), (0.22, 0.02), (0.28, -0.03), (0.28, -0.10),
           (0.22, -0.14)),),
    "、": (((0.14, -0.12), (0.22, -0.04), (0.25, 0.01)),),
    "：": (((0.45, -0.52), (0.47, -0.49)), ((0.45, -0.12), (0.47, -0.09))),
    "；": (((0.45, -0.52), (0.47, -0.49)), ((0.47, -0.12), (0.48, -0.06), (0.42, 0.04))),
    "！": (((0.50, -0.78), (0.49, -0.22)), ((0.49, -0.06), (0.50, -0.03))),
    "？": (((0.32, -0.62), (0.38, -0.74), (0.52, -0.78), (0.64, -0.70), (0.64, -0.56), (0.52, -0.44), (0.50, -0.26)),
           ((0.50, -0.08), (0.51, -0.05))),
    "（": (((0.78, -0.86), (0.64, -0.66), (0.60, -0.38), (0.64, -0.10), (0.78, 0.10)),),
    "）": (((0.22, -0.86), (0.36, -0.66), (0.40, -0.38), (0.36, -0.10), (0.22, 0.10)),),
    "“": (((0.78, -0.80), (0.70, -0.72), (0.68, -0.62)), ((0.92, -0.80), (0.84, -0.72), (0.82, -0.62))),
    "”": (((0.10, -0.80), (0.16, -0.72), (0.12, -0.62)), ((0.24, -0.80), (0.30, -0.72), (0.26, -0.62))),
    "《": (((0.70, -0.74), (0.42, -0.38), (0.70, -0.02)), ((0.88, -0.74), (0.60, -0.38), (0.88, -0.02))),
    "》": (((0.12, -0.74), (0.40, -0.38), (0.12, -0.02)), ((0.30, -0.74), (0.58, -0.38), (0.30, -0.02))),
}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GLYPH = re.compile(r"<glyph\b([^>]*)/?>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


@dataclass(frozen=True)
class Glyph:
    """One character as pen strokes: polylines in em units (x right, y down, baseline 0), and its advance in ems."""

    strokes: tuple[np.ndarray, ...]
    advance: float


def hershey_fonts() -> list[str]:
    """The single-stroke SVG fonts `hersheytext` ships, by file stem (e.g. "HersheyScript1", "EMSAllure")."""
    return sorted(p.stem for p in HERSHEY_DIR.glob("*.svg"))


def _cubic(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray, p3: np.ndarray, n: int = 8) -> list[np.ndarray]:
    t = np.linspace(0, 1, n + 1)[1:, None]
    return list((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3)


def parse_path(d: str) -> list[np.ndarray]:
    """The polylines of an SVG path made of M, L, C and Z commands (absolute, as the Hershey SVG fonts write them)."""
    strokes: list[list[np.ndarray]] = []
    for cmd, args in re.findall(r"([MLCZmlcz])([^MLCZmlcz]*)", d):
        nums = [float(v) for v in _NUMBER.findall(args)]
        pts = [np.array(nums[i:i + 2]) for i in range(0, len(nums) - 1, 2)]
        if cmd in "Mm":
            strokes.append(pts[:1])
            strokes[-1].extend(pts[1:])  # implicit line-tos after a move
        elif cmd in "Ll" and strokes:
            strokes[-1].extend(pts)
        elif cmd in "Cc" and strokes:
            for i in range(0, len(pts) - 2, 3):
                strokes[-1].extend(_cubic(strokes[-1][-1], pts[i], pts[i + 1], pts[i + 2]))
        elif cmd in "Zz" and strokes:
            strokes[-1].append(strokes[-1][0])
    return [np.array(s, dtype=np.float32) for s in strokes if len(s) >= 1]


@functools.cache
def hershey_font(name: str) -> dict[str, Glyph]:
    """Every glyph of the single-stroke font `name` (see `hershey_fonts`), read once per process.

    Raises:
        FileNotFoundError: the font (or the npm package) is missing; the message says how to install it.
    """
    path = HERSHEY_DIR / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"no pen font {path}: run `make setup` (npm install puts hersheytext in node_modules)")
    glyphs: dict[str, Glyph] = {}
    for m in _GLYPH.finditer(path.read_text(encoding="utf-8")):
        attrs = dict(_ATTR.findall(m[1]))
        char = html.unescape(attrs.get("unicode", ""))
        if len(char) != 1:
            continue
        strokes = tuple(s * np.float32([1, -1]) / 1000 for s in parse_path(attrs.get("d", "")))
        glyphs[char] = Glyph(strokes, float(attrs.get("horiz-adv-x", 500)) / 1000)
    return glyphs


@functools.cache
def hanzi_chars() -> frozenset[str]:
    """The Chinese characters with stroke data, and the full-width punctuation of `CJK_PUNCT`.

    Raises:
        FileNotFoundError: hanzi-writer-data is not installed (the message says how).
    """
    if not HANZI_DIR.is_dir():
        raise FileNotFoundError(f"no {HANZI_DIR}: run `make setup` (npm ci puts hanzi-writer-data in node_modules)")
    return frozenset(p.stem for p in HANZI_DIR.glob("?.json")) | frozenset(CJK_PUNCT)


@functools.lru_cache(maxsize=8192)
def hanzi_glyph(char: str) -> Glyph | None:
    """The stroke medians of one Chinese character (1 em wide), or None if it has no stroke data."""
    if char in CJK_PUNCT:
        return Glyph(tuple(np.array(s, dtype=np.float32) for s in CJK_PUNCT[char]), 1.0)
    if char not in hanzi_chars():
        return None
    medians = json.loads((HANZI_DIR / f"{char}.json").read_text(encoding="utf-8"))["medians"]
    # 1024 box, y up, top at 900: to em units, y down, box bottom 0.12 em under the baseline.
    strokes = tuple((np.array(m, dtype=np.float32) * np.float32([1, -1]) + np.float32([0, -124])) / 1024
                    + np.float32([0, 0.12]) for m in medians)
    return Glyph(strokes, 1.0)


def draw_strokes(size: tuple[int, int], points: np.ndarray, widths: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """An ink mask (uint8, 255 = full ink) of pixel-space polylines drawn with a round nib of varying width.

    Every segment takes the mean width of its two ends; segments of one (supersampled, whole-pixel) width are
    drawn by one OpenCV call, so a page of tens of thousands of segments costs a few calls.

    Args:
        size: (width, height) of the mask.
        points: the polylines' points one after another, an (n, 2) array of pixel coordinates (flat: a page's
            thousands of strokes are not split into arrays of their own only to be joined here again).
        widths: the nib width in pixels at each point.
        lengths: how many points each polyline has, in order.

    Returns:
        the (height, width) mask; a one-point stroke is a dot of its width.
    """
    w, h = size
    mask = np.zeros((h, w), dtype=np.uint8)
    if not len(points):
        return mask
    # only the ink's box (whole output pixels, so the area reduction's 3x3 blocks fall where they would on the page)
    pts = np.asarray(points, dtype=np.float64)
    wid = np.asarray(widths, dtype=np.float64)
    reach = float(wid.max()) / 2 + 2
    x0, y0 = (max(0, int(np.floor(v - reach))) for v in pts.min(axis=0))
    x1, y1 = (min(n, int(np.ceil(v + reach))) for v, n in zip(pts.max(axis=0), (w, h)))
    if x1 <= x0 or y1 <= y0:
        return mask
    canvas = np.zeros(((y1 - y0) * SUPERSAMPLE, (x1 - x0) * SUPERSAMPLE), dtype=np.uint8)  # 1 = ink
    shift = 4  # OpenCV's fixed-point sub-pixel bits
    pts = (pts - (x0, y0)) * (SUPERSAMPLE * (1 << shift))
    wid *= SUPERSAMPLE
    lens = np.asarray(lengths)
    ids = np.repeat(np.arange(len(lens)), lens)
    pts = pts.round().astype(np.int32)
    seg = np.flatnonzero(ids[1:] == ids[:-1])  # segment k joins points k and k + 1 of one stroke
    thick = np.maximum(1, ((wid[seg] + wid[seg + 1]) / 2).round().astype(int))
    # runs of a stroke's consecutive segments of one width, each drawn as one polyline: OpenCV caps every segment
    # of a polyline at its end and the first also at its start, so a run gives the pixels its segments drawn one
    # by one give, for a third of the arrays handed over
    new = np.ones(len(seg), bool)
    new[1:] = (seg[1:] != seg[:-1] + 1) | (thick[1:] != thick[:-1])
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(seg)) - 1
    # the runs grouped by width (a stable sort keeps each group in stroke order), sliced with Python integers:
    # numpy's integer scalars made building the thousands of slices cost as much as drawing them
    width = thick[first]
    order = np.argsort(width, kind="stable")
    runs = [pts[a:b] for a, b in zip(seg[first][order].tolist(), (seg[last][order] + 2).tolist())]
    used = np.flatnonzero(np.bincount(width))  # the widths in use (np.unique hashes: 10x the time)
    ends = np.searchsorted(width[order], used, side="right").tolist()
    for t, a, b in zip(used.tolist(), [0] + ends[:-1], ends):
        cv2.polylines(canvas, runs[a:b], False, 1, t, cv2.LINE_8, shift)
    starts = np.cumsum(lens) - lens
    for j in starts[lens == 1].tolist():  # dots
        centre = tuple(int(v) for v in pts[j])
        cv2.circle(canvas, centre, max(1, int(wid[j] / 2)) << shift, 1, -1, cv2.LINE_8, shift)
    # reduced band by band of output rows that hold ink (the rows between lines stay 0 without being reduced)
    s = SUPERSAMPLE
    inked = np.flatnonzero(cv2.reduce(canvas, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)) // s
    split = np.flatnonzero(np.diff(inked) > 1)
    for top, bottom in zip(inked[np.r_[0, split + 1]].tolist(), (inked[np.r_[split, len(inked) - 1]] + 1).tolist()):
        mask[y0 + top:y0 + bottom, x0:x1] = _coverage(canvas[top * s:bottom * s])
    return mask


def _coverage(canvas: np.ndarray) -> np.ndarray:
    """A 0/1 canvas `SUPERSAMPLE` times the size reduced by area: each pixel the share of its block that is ink,
    0-255.

    The values `cv2.resize(255 * canvas, INTER_AREA)` gives (a 3x3 block with k inked sub-pixels is
    round(255 k / 9), never a tie, so both round alike; tests/engines/test_handwriting.py checks it), at 60% of its
    cost: a block's rows are added as whole planes of the canvas, then its columns by one weighted channel sum.
    """
    s = SUPERSAMPLE
    h, w = canvas.shape[0] // s, canvas.shape[1] // s
    planes = canvas.reshape(h, s, w * s)
    rows = planes[:, 0]
    for k in range(1, s):
        rows = cv2.add(rows, planes[:, k])
    return cv2.transform(rows.reshape(h, w, s), np.full((1, s), 255 / s**2))


def ink_onto(page: np.ndarray, mask: np.ndarray, ink: tuple[int, int, int]) -> None:
    """Lay `ink` onto `page` (h, w, 3 uint8, changed in place) where `mask` says, as ink soaks into paper
    (multiplied, not pasted).

    One lookup table per channel turns the mask into the paper's transmission, then one multiply: integer
    OpenCV work, several times cheaper than the same arithmetic in float numpy on a whole page, and only where
    the ink is: band by band of rows that hold ink (the blank rows between a page's lines, a third of its
    height, are left as they are: a transmission of 255 would give back the same pixels), each band over the
    columns its ink covers, in place.
    """
    x, y, w, h = cv2.boundingRect(mask)  # only where there is ink
    if not w:
        return
    level = np.arange(256, dtype=np.float32) / 255
    tables = [np.round(255 - level * (255 - value)).astype(np.uint8) for value in ink]
    inked = np.flatnonzero(cv2.reduce(mask[y:y + h, x:x + w], 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S))  # rows with ink
    split = np.flatnonzero(np.diff(inked) > INK_GAP)  # bands of them, apart where INK_GAP blank rows or more lie
    for top, bottom in zip(inked[np.r_[0, split + 1]].tolist(), (inked[np.r_[split, len(inked) - 1]] + 1).tolist()):
        band = mask[y + top:y + bottom, x:x + w]
        left, _, width, _ = cv2.boundingRect(band)
        ink_here = band[:, left:left + width]
        # the three channels' transmissions side by side, so that one multiply covers the band (a channel at a
        # time reads and writes strided memory, which OpenCV copies first: 2x the cost)
        passes = cv2.merge([cv2.LUT(ink_here, table) for table in tables])
        box = page[y + top:y + bottom, x + left:x + left + width]
        cv2.multiply(box, passes, dst=box, scale=1 / 255)


def stamp(mask: np.ndarray, patch: np.ndarray, x: int, y: int) -> None:
    """Lay an ink patch (uint8 alpha) onto `mask` with its top-left at (x, y), clipped to the mask; ink adds up."""
    h, w = mask.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + patch.shape[1]), min(h, y + patch.shape[0])
    if x1 > x0 and y1 > y0:
        region = mask[y0:y1, x0:x1]
        np.maximum(region, patch[y0 - y:y1 - y, x0 - x:x1 - x], out=region)


@dataclass(frozen=True)
class Cursive:
    """How quickly a hand writes Chinese (a quick pen hand, 行书-like, not a brush's grass script).

    Attributes:
        reach: the farthest (ems) from one stroke's end to the next one's start that the pen travels without lifting:
            the two strokes are written as one line, joined by a thin, quick hairline.
        trim: the largest share of a stroke's length cut from each of its ends (a quick hand stops short).
        bow: the spread (ems) of the bend of a stroke at its middle, across its chord (a quick hand's strokes curve).
    """

    reach: float
    trim: float
    bow: float


CURSIVE_STEP = 0.08  # ems between a cursive stroke's points (arc length): the neat strokes' `hand.STEP`
HAIRLINE = 0.45  # the nib's share on a join: the pen is moving fast and barely pressing
FAST = 0.35  # how much thinner a stroke's quick middle is than its slow ends (a pen's speed thins its line)


def _resample(flat: np.ndarray, lengths: np.ndarray, start: np.ndarray, end: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each polyline (`lengths` points of `flat` one after another) between two shares of its arc length, resampled
    every `CURSIVE_STEP` ems, all in one numpy pass (a form's few dozen small strokes cost more in per-call overhead
    than in arithmetic when done one by one).

    Returns:
        (the points one polyline after another, float64; each polyline's number of points: 1 for a polyline of no
        length, else at least 2; each point's position along its polyline, 0 to 1).
    """
    which = np.repeat(np.arange(len(lengths)), lengths)
    first = np.cumsum(lengths) - lengths
    seg = np.hypot(*np.diff(flat, axis=0).T)
    seg[first[1:] - 1] = 0.0  # no length from one polyline's end to the next one's start
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    arc -= arc[first][which]
    total = arc[first + lengths - 1]
    counts = np.where(total < 1e-6, 1, np.maximum(2, np.ceil((end - start) * total / CURSIVE_STEP).astype(int) + 1))
    offset = np.cumsum(total + 1.0) - (total + 1.0)  # polylines laid end to end, 1 em apart, on one axis
    at = np.repeat(np.arange(len(counts)), counts)
    u = (np.arange(int(counts.sum())) - (np.cumsum(counts) - counts)[at]) / np.maximum(counts - 1, 1)[at]
    s = (start[at] + (end - start)[at] * u) * total[at] + offset[at]
    axis = arc + offset[which]
    return np.stack([np.interp(s, axis, flat[:, 0]), np.interp(s, axis, flat[:, 1])], axis=1), counts, u


def cursive_strokes(strokes: Sequence[np.ndarray], style: Cursive, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A character's strokes as a quick hand writes them: each stroke shortened at its ends and bowed, and
    consecutive strokes joined where the pen would not lift (the next one starts within `style.reach` of where
    this one ends) by a hairline: a quadratic curve that leaves in the first stroke's direction of travel (the pen
    overshoots, then turns to the next stroke).

    Returns:
        (the polylines' points one after another, in em units, float64; each polyline's number of points; the nib's
        share at each point: about 1 at a stroke's slow ends, `1 - FAST` at its quick middle, `HAIRLINE` on a join).
    """
    lengths = np.array([len(st) for st in strokes], dtype=np.int64)
    cut = rng.uniform(0, style.trim, (len(lengths), 2))
    bend = rng.normal(0, style.bow, len(lengths))
    part, counts, u = _resample(np.concatenate(strokes).astype(np.float64), lengths, cut[:, 0], 1 - cut[:, 1])
    at = np.repeat(np.arange(len(counts)), counts)
    first, last = np.cumsum(counts) - counts, np.cumsum(counts) - 1
    chord = part[last] - part[first]
    normal = np.stack([-chord[:, 1], chord[:, 0]], axis=1) / np.maximum(np.hypot(*chord.T), 1e-6)[:, None]
    bowed = (counts > 2)[at]
    part += np.where(bowed, np.sin(np.pi * u) * bend[at], 0.0)[:, None] * normal[at]
    weight = np.where(bowed, 1.05 - FAST * np.sin(np.pi * u), 1.0)
    # the joins: from each stroke's end to the next one's start, where that is within reach
    ends, starts = part[last[:-1]], part[first[1:]]
    gap = np.hypot(*(starts - ends).T)
    joined = np.flatnonzero(gap <= style.reach)
    bridges, spans = np.zeros((0, 2)), np.zeros(len(lengths), dtype=np.int64)
    if len(joined):
        j_end, j_gap = ends[joined], gap[joined][:, None]
        heading = np.where((counts[joined] > 1)[:, None], part[last[joined]] - part[np.maximum(last[joined] - 1, 0)],
                           starts[joined] - j_end)
        control = j_end + heading / np.maximum(np.hypot(*heading.T), 1e-6)[:, None] * 0.35 * j_gap
        t = np.linspace(0, 1, 17)[None, :, None]
        curves = (1 - t) ** 2 * j_end[:, None] + 2 * (1 - t) * t * control[:, None] + t ** 2 * starts[joined][:, None]
        n = len(joined)
        full, made, _ = _resample(curves.reshape(-1, 2), np.full(n, 17), np.zeros(n), np.ones(n))
        keep = np.ones(len(full), dtype=bool)  # without each curve's two end points (the strokes' own)
        keep[np.cumsum(made) - made] = keep[np.cumsum(made) - 1] = False
        bridges, spans[joined] = full[keep], np.maximum(made - 2, 0)
    # each stroke's points, then its bridge's (stored after all strokes' points): gathered in one index
    begin = np.stack([first, len(part) + np.cumsum(spans) - spans], axis=1).ravel()
    size = np.stack([counts, spans], axis=1).ravel()
    order = np.repeat(begin - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))
    points = np.concatenate([part, bridges])[order]
    nibs = np.concatenate([weight, np.full(len(bridges), HAIRLINE)])[order]
    ends_line = np.concatenate([np.flatnonzero(gap > style.reach), [len(lengths) - 1]])  # strokes a line ends with
    line_ends = np.cumsum(counts + spans)[ends_line]
    return points, np.diff(line_ends, prepend=0), nibs
