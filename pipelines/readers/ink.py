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
    if shifted:
        def outside(x: np.ndarray, other: Image.Image) -> np.ndarray:
            low = np.asarray(other.filter(ImageFilter.MinFilter(3)), dtype=np.int16)
            high = np.asarray(other.filter(ImageFilter.MaxFilter(3)), dtype=np.int16)
            return (x < low - changed_levels) | (x > high + changed_levels)
        changed = int((outside(a, b_image) | outside(b, a_image)).sum())
    else:
        changed = int((np.abs(a - b) > changed_levels).sum())
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
