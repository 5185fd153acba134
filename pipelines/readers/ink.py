"""Ink agreement of two images of one drawing: the comparisons the redrawing readers share.

A reader that re-draws a target (LaTeX for TikZ and tables, MathJax or LaTeX for formulas, Verovio for
**kern, RDKit or smiles-drawer for molecules) compares its drawing with the sample's image as ink
masks (pixels darker than paper and light fills), not as pixels: anti-aliasing and paper tints then
do not count. Where the drawing is redone exactly as recorded (`redraw_agreement`), only
anti-aliasing (and, for MuPDF, a glyph placed a pixel off) is forgiven; where it is not (a formula
typeset in another font, `pipelines.readers.formulas`), `near` forgives `TOLERANCE_PX`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from renderers import capture

TOLERANCE_PX = 2
INK = 200  # grey level under which a pixel is ink (light fills such as blue!10 and paper tints stay above it)
CHANGED = 64  # grey levels two drawings of one target may differ by at a pixel (anti-aliasing) before it counts
CHANGE_SCALE_PX = 10  # changed pixels that bring a redraw's score to 0


def ink(image: Image.Image) -> np.ndarray:
    """The image's ink mask."""
    return np.asarray(image.convert("L")) < INK


def near(mask: np.ndarray, tolerance: int = TOLERANCE_PX) -> np.ndarray:
    """Pixels within `tolerance` pixels of the mask's ink."""
    grown = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(2 * tolerance + 1))
    return np.asarray(grown) > 0


def redraw_agreement(drawn: Image.Image, image: Image.Image, shifted: bool = False,
                     changed_levels: int = CHANGED) -> dict[str, float]:
    """Agreement of an exact redraw (same renderer, same recorded style) with the sample's image.

    A redraw of the right target is the image, so nothing is forgiven but anti-aliasing: a pixel counts
    as changed where the grey levels differ by more than `CHANGED`. With `shifted` (pages rasterised by
    MuPDF, whose glyph cache may place a glyph a pixel off when a snippet is drawn alone rather than in
    its batch), a pixel counts only where it lies outside the other side's grey range over its 3x3
    neighbourhood by that much. One changed digit, symbol, atom, note or coordinate changes from a few
    pixels (a digit in a second-level subscript) to hundreds, which an ink F1 with a tolerance, or a
    share of all the ink, rounds away. Returns the changed pixels, the ink pixels (both sides) and
    score = 1 - changed / `CHANGE_SCALE_PX`, at least 0 (0 too when the sizes differ): one changed pixel
    scores 0.9.
    """
    if drawn.size != image.size:
        return {"changed_px": -1, "ink_px": 0, "score": 0.0, "sizes": f"{drawn.size} vs {image.size}"}
    a_image, b_image = drawn.convert("L"), image.convert("L")
    a, b = np.asarray(a_image, dtype=np.int16), np.asarray(b_image, dtype=np.int16)
    differ = np.abs(a - b) > changed_levels
    if shifted and differ.any():
        # a pixel outside the other side's 3x3 range differs from the other's pixel too: only the box around the
        # pixels that differ (and its neighbours) is filtered, so a right redraw costs no filter at all
        rows, cols = np.nonzero(differ.any(axis=1))[0], np.nonzero(differ.any(axis=0))[0]
        box = (max(0, int(cols[0]) - 1), max(0, int(rows[0]) - 1), min(a.shape[1], int(cols[-1]) + 2),
               min(a.shape[0], int(rows[-1]) + 2))
        a_box, b_box = a[box[1]:box[3], box[0]:box[2]], b[box[1]:box[3], box[0]:box[2]]

        def outside(x: np.ndarray, other: Image.Image) -> np.ndarray:
            low = np.asarray(other.crop(box).filter(ImageFilter.MinFilter(3)), dtype=np.int16)
            high = np.asarray(other.crop(box).filter(ImageFilter.MaxFilter(3)), dtype=np.int16)
            return (x < low - changed_levels) | (x > high + changed_levels)
        changed = int((outside(a_box, b_image) | outside(b_box, a_image)).sum())
    else:
        changed = int(differ.sum())
    inked = int((a < INK).sum() + (b < INK).sum())
    return {"changed_px": changed, "ink_px": inked, "score": round(max(0.0, 1.0 - changed / CHANGE_SCALE_PX), 4)}


def captured_agreement(drawn: Image.Image, image: Image.Image, meta: dict[str, Any],
                       shifted: bool = False) -> dict[str, float]:
    """`redraw_agreement` of a clean redraw captured as the sample was (`meta["capture"]`, replayed exactly).

    A capture's blur and resolution loss soften the change one digit in a second-level subscript makes below
    `CHANGED` grey levels (measured: two of 41 such mutations of captured formulas scored 1.0), so a captured
    sample counts a pixel as changed from half that.
    """
    captured = (meta.get("capture") or {}).get("preset", "none") != "none"
    return redraw_agreement(capture.replay(drawn, meta).convert("RGB"), image.convert("RGB"), shifted,
                            CHANGED // 2 if captured else CHANGED)
