"""A disputed line settled by drawing it: where PP-OCR and the target differ on a short span, which of the two does
the image show?

PP-OCR misreads a few things on clean type in every look and margin: the backslash of `/\\r` dropped, `/\\` read
八, an en dash between Chinese characters read 一, 访问 read 访间 (right docs pages flagged for it alone, 5 of 200).
No fold may hide them: a target that really lost its backslash or changed a character must still fail. So a second,
independent opinion is asked of the drawing itself: each disputed span is drawn with a few characters of its line
on each side, once as the target says it and once as the reading says it, in the page's own faces (the docs engine
records them in `meta["layout"]`: body, heading and monospace families), over a range of sizes about the line's
box, and looked for in the line's crop by normalised cross-correlation (`cv2.matchTemplate`). The face and size
are those where either drawing fits best; the line is cleared only when, there, the target's drawing fits the
crop (`FIT`) and fits it clearly better than the reading's (`MARGIN`). A wrong target loses to the reading that
says what the image shows; a page whose faces are not recorded (a real PDF), a line that differs in more than
`MOST_SPANS` spans, in a span longer than `LONGEST` characters or without `CONTEXT` characters on both sides of it,
stays misread.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engines.docs import faces

CONTEXT = 3  # characters of the line drawn on each side of a disputed span (none are spaces)
MOST_SPANS = 2  # a line differing in more spans than this is no misread of a span
LONGEST = 3  # nor one whose span, on either side, is longer than this many characters
FIT = 0.7  # the correlation the target's drawing must reach in the crop
# and by how much it must beat the reading's: a right target's drawing beat PP-OCR's misreading by 0.25-0.6 on the
# docs pages it flagged; a code line cut at its column's edge (an "n" drawn as its left half, the target "then",
# docs_68 of the 200-page build) by 0.05, and one letter for another ("sed" read "sad") by as little.
MARGIN = 0.1
# Sizes tried, as shares of the line's box height (a box spans a face's ascender to descender: 0.9-1.4 em).
SIZES = tuple(np.geomspace(0.6, 1.15, 10))
FINE = 1.025  # the steps about the best of them
INKED = 0.1  # a window whose variance is under this share of the drawing's holds no ink to compare
STYLES = ("regular", "bold", "italic")  # emphasis sets a code span in prose italic
# Faces a character the page's own faces lack is drawn from (MuPDF's fallbacks are alike: a Chinese and a Latin one).
FALLBACK = (faces.CJK["noto-sans-cjk"].files["regular"], "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# MuPDF's built-in faces by the family key that names them.
BUILTIN = {"times": "/usr/share/fonts/opentype/urw-base35/NimbusRoman-{}.otf",
           "helvetica": "/usr/share/fonts/opentype/urw-base35/NimbusSans-{}.otf"}
BLURS = (0.0, 0.8, 1.5)  # Gaussian sigmas a captured page's drawing is softened by (its crop is flattened, not sharp)

Source = str | tuple[str, int]


@dataclass(frozen=True)
class Dispute:
    """One span the target and the reading differ on, each drawn with its line's characters around it."""

    target: str
    read: str


def disputes(target: str, read: str, same: Any) -> list[Dispute] | None:
    """The spans a line's target and reading differ on (whitespace ignored; `same(a, b)` says two spans are what the
    reader cannot tell apart, and those are no dispute), each with `CONTEXT` characters of the target around it; None
    when they differ in more than `MOST_SPANS` spans or one longer than `LONGEST`."""
    at = [i for i, c in enumerate(target) if not c.isspace()]
    bare, got = "".join(target[i] for i in at), "".join(read.split())
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, bare, got, autojunk=False).get_opcodes():
        if tag == "equal" or same(bare[i1:i2], got[j1:j2]):
            continue
        # a span without its full context on both sides is drawn too short to tell (a list number "2. R" fit a
        # line showing "5. R" better than "5. R" did: a digit mutation of the 40-page bench, docs_84)
        if i2 - i1 > LONGEST or j2 - j1 > LONGEST or i1 < CONTEXT or i2 + CONTEXT > len(at):
            return None
        start, end = at[max(0, i1 - CONTEXT)], at[min(len(at), i2 + CONTEXT) - 1] + 1
        cut_from = at[i1] if i1 < len(at) else len(target)
        cut_to = at[i2 - 1] + 1 if i2 > i1 else cut_from
        out.append(Dispute(target[start:end], target[start:cut_from] + got[j1:j2] + target[cut_to:end]))
    return out if len(out) <= MOST_SPANS else None


def page_faces(meta: dict[str, Any]) -> list[Source]:
    """The files of the faces the page's `meta["layout"]` records (body, heading, monospace; regular and bold), or
    none where it records none."""
    layout = meta.get("layout")
    if not isinstance(layout, dict):
        return []
    out: list[Source] = []
    for key in (layout.get("face"), layout.get("heading_face"), layout.get("mono")):
        if key in BUILTIN:
            out += [BUILTIN[key].format(s.title()) for s in STYLES]
        elif key in faces.FAMILIES:
            files = faces.FAMILIES[key].files
            out += [files.get(s, files["regular"]) for s in STYLES]
    return list(dict.fromkeys(out))


@functools.cache
def _cmap(source: Source) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    path, index = (source, 0) if isinstance(source, str) else source
    font = TTCollection(path, lazy=True).fonts[index] if path.endswith(".ttc") else TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


@functools.lru_cache(maxsize=256)
def _font(source: Source, size: float) -> ImageFont.FreeTypeFont:
    path, index = (source, 0) if isinstance(source, str) else source
    return ImageFont.truetype(path, size, index=index)


def draw(text: str, chain: Sequence[Source], size: float) -> np.ndarray:
    """The text's ink (0-1, float32) drawn character by character, each from the first face of `chain` holding it."""
    sources = [next((s for s in chain if ord(c) in _cmap(s)), chain[0]) for c in text]
    fonts = [_font(s, size) for s in sources]
    width = int(sum(f.getlength(c) for f, c in zip(fonts, text))) + 4
    canvas = Image.new("L", (max(width, 1), round(2 * size)), 0)
    pen, x = ImageDraw.Draw(canvas), 2.0
    for f, c in zip(fonts, text):
        pen.text((x, 1.4 * size), c, fill=255, font=f, anchor="ls")
        x += f.getlength(c)
    ink = np.asarray(canvas, dtype=np.float32) / 255
    rows, cols = np.nonzero(ink.sum(axis=1))[0], np.nonzero(ink.sum(axis=0))[0]
    if not len(rows):
        return ink[:0, :0]
    return ink[max(0, rows[0] - 1):rows[-1] + 2, max(0, cols[0] - 1):cols[-1] + 2]


def fits(dispute: Dispute, crop: np.ndarray, sources: Sequence[Source], height: float,
         blurs: Sequence[float] = (0.0,)) -> tuple[float, float]:
    """(the target's drawing's correlation with the crop, the reading's) in the face, size and softening where
    either fits best: every face at `SIZES`, then the best face at `FINE` steps about its best size."""
    best = (-1.0, -1.0, sources[0], SIZES[0])
    for source in sources:
        best = max(best, _fits(dispute, crop, [source, *sources], SIZES, height, blurs), key=lambda b: max(b[:2]))
    _, _, source, share = best
    near = tuple(share * FINE ** k for k in range(-3, 4))
    best = max(best, _fits(dispute, crop, [source, *sources], near, height, blurs), key=lambda b: max(b[:2]))
    return best[0], best[1]


def _fits(dispute: Dispute, crop: np.ndarray, chain: list[Source], shares: Sequence[float], height: float,
          blurs: Sequence[float]) -> tuple[float, float, Source, float]:
    """`fits` in the face `chain[0]` (the others and `FALLBACK` drawing what it lacks) at sizes `shares` of
    `height`: (target's, reading's, face, size) where either fits best."""
    best = (-1.0, -1.0, chain[0], shares[0])
    for share in shares:
        drawn = [draw(text, [*chain, *FALLBACK], max(6.0, share * height)) for text in (dispute.target, dispute.read)]
        if any(not t.size or t.shape[0] > crop.shape[0] or t.shape[1] > crop.shape[1] for t in drawn):
            continue
        for blur in blurs:
            scores = [_correlation(crop, cv2.GaussianBlur(t, (0, 0), blur) if blur else t) for t in drawn]
            if max(scores) > max(best[:2]):
                best = (scores[0], scores[1], chain[0], share)
    return best


def _correlation(crop: np.ndarray, template: np.ndarray) -> float:
    """The best normalised cross-correlation of the template in the crop, over windows that hold ink: OpenCV scores
    a blank window against any template 1.0 (its variance is 0), which cleared a target whose drawing sat there."""
    scores = cv2.matchTemplate(crop, template, cv2.TM_CCOEFF_NORMED)
    h, w = template.shape
    mean = cv2.boxFilter(crop, -1, (w, h), anchor=(0, 0), normalize=True, borderType=cv2.BORDER_CONSTANT)
    square = cv2.boxFilter(crop * crop, -1, (w, h), anchor=(0, 0), normalize=True, borderType=cv2.BORDER_CONSTANT)
    spread = (square - mean * mean)[:scores.shape[0], :scores.shape[1]]
    held = np.isfinite(scores) & (spread > INKED * max(float(template.var()), 1e-6))
    return float(scores[held].max()) if held.any() else -1.0


def line_crop(image: Image.Image, box: Sequence[Any]) -> tuple[np.ndarray, float]:
    """A line's crop as ink (0-1, float32), with a third of its height around it, and its box's height."""
    corners = [box[i:i + 2] for i in range(0, 4, 2)] if isinstance(box[0], (int, float)) else box
    xs, ys = [float(p[0]) for p in corners], [float(p[1]) for p in corners]
    height = max(ys) - min(ys)
    pad = height / 3
    region = (int(max(0, min(xs) - pad)), int(max(0, min(ys) - pad)), int(min(image.width, max(xs) + pad)),
              int(min(image.height, max(ys) + pad)))
    return 1 - np.asarray(image.convert("L").crop(region), dtype=np.float32) / 255, height


def settled(image: Image.Image, box: Sequence[Any], target: str, read: str, meta: dict[str, Any],
            same: Any) -> dict[str, Any] | None:
    """Whether the image shows the target where the reading differs: None where the drawing cannot settle it (no
    recorded faces, too many or too long spans), else {"cleared": bool, "fits": [[target's, reading's], ...]}."""
    sources = page_faces(meta)
    spans = disputes(target, read, same) if sources else None
    if not spans:
        return None
    crop, height = line_crop(image, box)
    scores = [fits(d, crop, sources, height, BLURS if meta.get("capture") else (0.0,)) for d in spans]
    cleared = all(a >= FIT and a - b >= MARGIN for a, b in scores)
    return {"cleared": cleared, "fits": [[round(a, 3), round(b, 3)] for a, b in scores],
            "spans": [[d.target, d.read] for d in spans]}
