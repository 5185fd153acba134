"""How many code lines run past their column's right edge (issue 23): over `n` generated English pages, each
code block's lines as the text layer holds them, their right edge against their column's: its text's (the Story
sets a column's text 1 em in from its box: a line past it runs into the gutter) and its box's (MuPDF draws
nothing past it: the line lost its end, and the glyph on the edge is drawn cut).

Run: PYTHONPATH=. python bench/docs_code_clip.py [n]
"""

import sys

import numpy as np
import pymupdf

from engines.base import SampleError
from engines.docs.content import _size, generate_page


def main(n: int) -> None:
    pages = lines = clipped = gutter = refused = 0
    reasons: dict[str, int] = {}
    for seed in range(n):
        try:
            made = generate_page(np.random.default_rng(seed), "en")
        except SampleError as e:
            refused += 1
            reasons[e.reason] = reasons.get(e.reason, 0) + 1
            continue
        if not made.code:
            continue
        pages += 1
        lay = made.layout
        area = lay.margin, _size(lay.paper)[0] - lay.margin
        column = (area[1] - area[0] - (lay.columns - 1) * lay.gutter) / lay.columns
        edges = [area[0] + c * (column + lay.gutter) + column for c in range(lay.columns)]
        page = pymupdf.open("pdf", made.pdf)[0]
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                x0, y0, x1, y1 = line["bbox"]
                if not any(r[0] - 1 <= x0 <= r[2] and r[1] - 1 <= (y0 + y1) / 2 <= r[3] + 1 for r in made.code):
                    continue
                lines += 1
                edge = min(e for e in edges if e >= x0)
                gutter += x1 > edge - lay.size + 0.5
                if x1 > edge + 0.5:
                    clipped += 1
                    print(f"seed {seed}: {x1 - edge:.1f} pt past: {''.join(s['text'] for s in line['spans'])!r}")
    print(f"{n} pages drawn, {refused} refused {reasons}, {pages} with code, {lines} code lines, "
          f"{gutter} past the column's text, {clipped} past its box (cut)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 80)
