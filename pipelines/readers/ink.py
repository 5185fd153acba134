"""Ink agreement of two images of one drawing: the comparisons the redrawing readers share.

A reader that re-draws a target (LaTeX for TikZ and tables, MathJax or LaTeX for formulas, Verovio for
**kern, RDKit or smiles-drawer for molecules) compares its drawing with the sample's image as ink
masks (pixels darker than paper and light fills), not as pixels: anti-aliasing and paper tints then
do not count. Where the drawing is redone exactly as recorded (`redraw_agreement`), only a 1-pixel
shift is forgiven; where it is not (a formula typeset in another font, `pipelines.readers.formulas`),
`near` forgives `TOLERANCE_PX`.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

TOLERANCE_PX = 2
INK = 200  # grey level under which a pixel is ink (light fills such as blue!10 and paper tints stay above it)


def ink(image: Image.Image) -> np.ndarray:
    """The image's ink mask."""
    return np.asarray(image.convert("L")) < INK


def near(mask: np.ndarray, tolerance: int = TOLERANCE_PX) -> np.ndarray:
    """Pixels within `tolerance` pixels of the mask's ink."""
    grown = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(2 * tolerance + 1))
    return np.asarray(grown) > 0


def redraw_agreement(drawn: Image.Image, image: Image.Image) -> dict[str, float]:
    """Agreement of an exact redraw (same renderer, same recorded style) with the sample's image.

    A redraw of the right target is the image up to where a rasteriser put a glyph: MuPDF's glyph
    cache may place one a pixel off when a page is drawn alone rather than in a batch. So only that
    is forgiven: ink of either side farther than 1 pixel from ink of the other counts as changed.
    One changed digit, symbol, atom, note or coordinate changes tens of such pixels, which an ink F1
    with a wider tolerance rounds away. Returns the changed and ink pixels (both sides) and
    score = 1 - changed / ink (0 when the sizes differ).
    """
    if drawn.size != image.size:
        return {"changed_px": -1, "ink_px": 0, "score": 0.0, "sizes": f"{drawn.size} vs {image.size}"}
    a, b = ink(drawn), ink(image)
    changed = int((a & ~near(b, 1)).sum() + (b & ~near(a, 1)).sum())
    inked = int(a.sum() + b.sum())
    return {"changed_px": changed, "ink_px": inked, "score": round(max(0.0, 1.0 - changed / max(inked, 1)), 5)}
