"""Ink agreement of two images of one drawing: the comparison the geometry and sheet-music readers share.

A reader that re-draws a target (LaTeX for TikZ, Verovio for **kern) compares its drawing with the
sample's image as ink masks (pixels darker than paper and light fills), not as pixels: anti-aliasing
and paper tints then do not count, and a tolerance of `TOLERANCE_PX` forgives sub-pixel shifts. The
drawing is brought to the image's size first; how far the two sizes differ scales the score down, so
a target that draws a larger or smaller picture loses by it.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

TOLERANCE_PX = 2
INK = 200  # grey level under which a pixel is ink (light fills such as blue!10 and paper tints stay above it)


def ink(image: Image.Image) -> np.ndarray:
    """The image's ink mask."""
    return np.asarray(image.convert("L")) < INK


def near(mask: np.ndarray) -> np.ndarray:
    """Pixels within TOLERANCE_PX of the mask's ink."""
    grown = Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(2 * TOLERANCE_PX + 1))
    return np.asarray(grown) > 0


def compare(drawn: Image.Image, image: Image.Image) -> dict[str, float]:
    """Ink agreement of a re-drawn picture with the sample's image.

    Returns:
        precision (drawn ink near image ink), recall (image ink near drawn ink), their F1, the size ratio
        (product over width and height of the smaller over the larger) and score = F1 * size ratio.
    """
    ratio = min(drawn.width / image.width, image.width / drawn.width) * min(drawn.height / image.height,
                                                                            image.height / drawn.height)
    a, b = ink(drawn.resize(image.size, Image.Resampling.BILINEAR)), ink(image)
    precision = float((a & near(b)).sum() / max(a.sum(), 1))
    recall = float((b & near(a)).sum() / max(b.sum(), 1))
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "size_ratio": round(ratio, 4), "score": round(f1 * ratio, 4)}
