"""Table reader: the target tabular compiled by real LaTeX in a default style, compared with the image.

The target is typeset as it stands (pdflatex, or XeLaTeX with CJK fonts when it holds Chinese), in
LaTeX's default font, size and spacing, whatever style drew the image, and compared as ink with
the scale removed (`pipelines.readers.formulas.scaled_compare`). A target that does not compile
scores 0; a target with other rows, columns or rules loses its layout. The threshold in
`pipelines.readers.READERS` was set on real builds (bench/results/formatted_readers.json).
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from PIL import Image

from pipelines.readers import Reading
from pipelines.readers.formulas import score
from renderers.errors import RenderError
from renderers.latex import CJK_PREAMBLE, LatexConfig, render_latex

PREAMBLE = (r"\usepackage{booktabs}\usepackage{multirow}\usepackage{amsmath}\usepackage{amssymb}"
            r"\usepackage{array}\usepackage{dcolumn}\usepackage{pifont}\usepackage{makecell}")
CJK = re.compile(r"[\u3400-\u9fff]")
CONFIG = LatexConfig(dpi=150, margin_pt=0.0, timeout_s=60.0, memory_mb=3072)


def typeset(targets: Sequence[str]) -> list[Image.Image | RenderError]:
    """Each tabular typeset in LaTeX's default style: pdflatex, or XeLaTeX with CJK fonts for Chinese."""
    out: list[Image.Image | RenderError | None] = [None] * len(targets)
    for chinese in (False, True):
        where = [i for i, t in enumerate(targets) if bool(CJK.search(t)) == chinese]
        if not where:
            continue
        config = CONFIG if not chinese else LatexConfig(**{**CONFIG.__dict__, "engine": "xelatex"})
        results = render_latex([targets[i] for i in where], PREAMBLE + (CJK_PREAMBLE if chinese else ""), config)
        for i, r in zip(where, results):
            out[i] = r.image if not isinstance(r, RenderError) else r
    return out  # type: ignore[return-value]


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Compile the record's tabular target and score its ink against the image."""
    target = record["target"]
    if not target.lstrip().startswith("\\begin{tabular}"):
        return Reading(0.0, {"error": f"not a tabular: {target[:60]!r}"})
    return score(typeset([target])[0], images[0])
