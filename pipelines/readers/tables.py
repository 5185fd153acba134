"""Table reader: the target tabular compiled again in the sample's recorded style must be its image.

Where the meta records the style (`style`, as the tables engine writes: font, size, column gap,
padding), the target alone is compiled again in it and compared with the image pixel for pixel
(`pipelines.readers.formulas.compare_redraw`): one changed number, swapped headers or a dropped row
change hundreds of pixels, where the ink comparison below scored such targets 0.58-0.72, inside the
range of right ones.

Without a recorded style, the target is typeset as it stands (pdflatex, or XeLaTeX with CJK fonts when it holds Chinese), in
LaTeX's default font, size and spacing, whatever style drew the image, and compared as ink with
the scale removed (`pipelines.readers.formulas.scaled_compare`). A target that does not compile
scores 0; a target with other rows, columns or rules loses its layout. The threshold in
`pipelines.readers.READERS` was set on real builds (bench/results/formatted_readers.json).
"""

from __future__ import annotations

from typing import Any, Sequence

from PIL import Image, ImageOps

from pipelines.readers import Reading
from pipelines.readers.formulas import compare_redraw, score
from renderers.errors import RenderError
from renderers.latex import CJK_PREAMBLE, LatexConfig, render_latex
from renderers.scripts import CJK
from shards.format import record_meta

PREAMBLE = (r"\usepackage{booktabs}\usepackage{multirow}\usepackage{amsmath}\usepackage{amssymb}"
            r"\usepackage{array}\usepackage{dcolumn}\usepackage{pifont}\usepackage{makecell}")
CONFIG = LatexConfig(dpi=150, margin_pt=0.0, timeout_s=60.0, memory_mb=3072)


def typeset(targets: Sequence[str]) -> list[Image.Image | RenderError]:
    """Each tabular typeset in LaTeX's default style: pdflatex, or XeLaTeX with CJK fonts for Chinese."""
    out: list[Image.Image | RenderError | None] = [None] * len(targets)
    for chinese in (False, True):
        where = [i for i, t in enumerate(targets) if bool(CJK.search(t)) == chinese]
        if not where:
            continue
        config = CONFIG if not chinese else LatexConfig(**{**CONFIG.__dict__, "program": "xelatex"})
        results = render_latex([targets[i] for i in where], PREAMBLE + (CJK_PREAMBLE if chinese else ""), config)
        for i, r in zip(where, results):
            out[i] = r.image if not isinstance(r, RenderError) else r
    return out  # type: ignore[return-value]


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Compile the record's tabular target and score its ink against the image."""
    target = record["target"]
    if not target.lstrip().startswith("\\begin{tabular}"):
        return Reading(0.0, {"error": f"not a tabular: {target[:60]!r}"})
    meta = record_meta(record)
    if meta.get("style"):
        return compare_redraw(redraw(target, meta["style"]), images[0], shifted=True, meta=meta)
    return score(typeset([target])[0], images[0])


def redraw(tabular: str, style: dict[str, Any]) -> Image.Image | RenderError:
    """The tabular compiled as the tables engine compiled it, in the recorded style, with its padding."""
    import dataclasses

    from engines.tables.engine import LATEX
    from engines.tables.style import TABLE_FONTS, TableStyle

    table_style = TableStyle(**style)
    font = TABLE_FONTS[table_style.font]
    config = dataclasses.replace(LATEX, program=font.engine)
    drawn = render_latex([table_style.snippet(tabular)], font.preamble, config)[0]
    if isinstance(drawn, RenderError):
        return drawn
    return ImageOps.expand(drawn.image.convert("RGB"), table_style.padding_px, fill="white")
