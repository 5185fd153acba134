"""Formula reader: the target drawn again in the sample's recorded style must be its image.

Where the sample's meta records how it was drawn (`renderer` and `style`, as the formulas engine
writes), the target alone is drawn again the same way (MathJax through `renderers.mathpix`, which
accepts what MathJax accepts, plain-TeX `\\matrix{...\\cr}` included; or LaTeX in the recorded math
font and size) and compared with the image pixel for pixel (`pipelines.readers.ink.redraw_agreement`):
a right target gives the image, while one changed symbol (β2 -> β3, ≡ -> =, ≪ -> ≫) changes tens of
pixels, which the ink comparison below forgave (it moved such a score by at most 0.008).

Without a recorded style (a formula cut from elsewhere), the comparison is looser: a formulas
sample says "this image shows `\\[ F \\]`". The reader typesets F itself, with pdflatex and
Computer Modern (whatever drew the image: MathJax, or one of eleven LaTeX math fonts), and
compares the two as ink: both are cropped to their ink, brought to one height, the drawing
stretched to the image's width, and their ink masks matched with a 2-pixel tolerance (F1). The
score is that F1 times how close the two ink boxes' aspect ratios are. A target that does not
compile scores 0. Glyph shapes differ between fonts, so a right target does not reach 1; a wrong
one loses its layout (widths, heights, fraction bars, scripts) and scores far lower: the
threshold in `pipelines.readers.READERS` was set between the two on real builds
(bench/results/formatted_readers.json).

`scaled_compare` is shared with the tables reader.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from PIL import Image, ImageOps

from pipelines.readers import Reading
from pipelines.readers.ink import captured_agreement, ink, near
from renderers.errors import RenderError
from renderers.latex import LatexConfig, render_latex
from shards.format import record_meta

PREAMBLE = r"\usepackage{amsmath}\usepackage{mathtools}\usepackage{amssymb}\usepackage{bm}"
CONFIG = LatexConfig(dpi=200, margin_pt=0.0, timeout_s=30.0)


def ink_crop(image: Image.Image) -> Image.Image | None:
    """The image cropped to its ink (pixels darker than the paper); None when it has none."""
    box = Image.fromarray(ink(image).astype(np.uint8) * 255).getbbox()
    return image.crop(box) if box else None


def scaled_compare(drawn: Image.Image, image: Image.Image, height: int = 96) -> dict[str, float]:
    """Ink agreement of a re-drawn target with the sample's image, scale removed.

    Both are cropped to their ink and scaled to `height` pixels (at most), the drawing stretched to
    the image's width; score = ink F1 (2-pixel tolerance) x aspect agreement of the two ink boxes.
    """
    a, b = ink_crop(drawn), ink_crop(image)
    if a is None or b is None:
        return {"f1": 0.0, "aspect": 0.0, "score": 0.0}
    h = min(height, max(a.height, b.height))
    width = max(1, round(b.width * h / b.height))
    aspect = min(a.width / a.height, b.width / b.height) / max(a.width / a.height, b.width / b.height)
    a = ink(a.resize((width, h), Image.Resampling.BILINEAR))
    b = ink(b.resize((width, h), Image.Resampling.BILINEAR))
    precision = float((a & near(b)).sum() / max(a.sum(), 1))
    recall = float((b & near(a)).sum() / max(b.sum(), 1))
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"f1": round(f1, 4), "aspect": round(aspect, 4), "score": round(f1 * aspect, 4)}


def formula_body(target: str) -> tuple[str, bool]:
    """(LaTeX body, displayed) of a `\\[ ... \\]` or `\\( ... \\)` target."""
    text = target.strip()
    if text.startswith("\\[") and text.endswith("\\]"):
        return text[2:-2].strip(), True
    if text.startswith("\\(") and text.endswith("\\)"):
        return text[2:-2].strip(), False
    raise ValueError(f"not a Mathpix-markdown formula: {text[:60]!r}")


def typeset(targets: Sequence[str]) -> list[Image.Image | RenderError]:
    """Each formula target typeset by pdflatex in Computer Modern (one batched compile)."""
    snippets = []
    for target in targets:
        body, display = formula_body(target)
        snippets.append(f"$\\displaystyle {body}$" if display else f"${body}$")
    return [r.image if not isinstance(r, RenderError) else r for r in render_latex(snippets, PREAMBLE, CONFIG)]


def score(drawn: Image.Image | RenderError, image: Image.Image) -> Reading:
    if isinstance(drawn, RenderError):
        return Reading(0.0, {"error": f"{drawn.reason}: {drawn.excerpt[:100]}"})
    figures = scaled_compare(drawn, ImageOps.exif_transpose(image).convert("RGB"))
    return Reading(figures["score"], figures)


def compare_redraw(drawn: Image.Image | RenderError, image: Image.Image, shifted: bool,
                   meta: dict[str, Any]) -> Reading:
    """An exact redraw's agreement with the image (`redraw_agreement`; `shifted` for MuPDF-rasterised LaTeX),
    the redraw captured as the sample was (`meta["capture"]`); 0 for a target that does not draw."""
    if isinstance(drawn, RenderError):
        return Reading(0.0, {"error": f"{drawn.reason}: {drawn.excerpt[:100]}"})
    figures = captured_agreement(drawn, ImageOps.exif_transpose(image), meta, shifted)
    return Reading(figures["score"], {"redrawn": True, **figures})


def redraw(target: str, renderer: str, style: dict[str, Any]) -> Image.Image | RenderError:
    """The formula target drawn as the formulas engine drew it, with the recorded renderer and style."""
    import dataclasses

    from engines.formulas.engine import LATEX
    from engines.formulas.style import MATH_FONTS, LatexStyle
    from renderers.mathpix import MathpixStyle, render_mathpix

    if renderer == "mathpix":
        drawn = render_mathpix([target], MathpixStyle(**style))[0]
        return drawn if isinstance(drawn, RenderError) else drawn.image
    latex_style = LatexStyle(**style)
    font = MATH_FONTS[latex_style.font]
    body, display = formula_body(target)
    drawn = render_latex([latex_style.snippet(body, display)], font.preamble,
                         dataclasses.replace(LATEX, program=font.engine))[0]
    if isinstance(drawn, RenderError):
        return drawn
    return ImageOps.expand(drawn.image.convert("RGB"), latex_style.padding_px, fill="white")


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Draw the record's formula target again as recorded and compare it with the image (see the module docstring)."""
    meta = record_meta(record)
    try:
        if meta.get("style") and meta.get("renderer") in ("mathpix", "latex"):
            return compare_redraw(redraw(record["target"], meta["renderer"], meta["style"]), images[0],
                                  shifted=meta["renderer"] == "latex", meta=meta)
        drawn = typeset([record["target"]])[0]
    except ValueError as exc:
        return Reading(0.0, {"error": str(exc)})
    return score(drawn, images[0])

