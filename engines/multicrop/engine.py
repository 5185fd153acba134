"""`MulticropEngine`: two or three pages stitched into one large image, `OCR with format upon the patch reference: `.

As the paper built its ultra-large images: pages of the `docs` engine (plain text) or the `pages`
engine (formatted) side by side as a spread, or one below the other, well over 1024 px on the long
side; the target is the pages' texts in reading order, one page after another, a blank line between.
GOT reads such an image through InternVL-style tiles (`shards.preprocess.tile_image`), which resize it
to the tile grid first: a sample whose smallest text line would be under `MIN_LINE_PX` pixels tall in
its tiles (at the loader's 1024-px tiles, at most 6) is refused as unreadable. `meta.page_px` gives
each page's place in the image and `meta.page_texts` its span of the target, so a reader checks each
page alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from transformers.models.got_ocr2.image_processing_pil_got_ocr2 import get_optimal_tiled_canvas

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, SampleError, contained
from engines.compose import ask, joined, plan, rng_choice, usable
from tokenizer.protocol import PROMPT_MULTI_CROP

PARTS = ("docs", "pages")
LAYOUTS = ("spread", "stack")
LANGS = ("mixed", "en", "zh")
TILE, MAX_TILES = 1024, 6  # the loader's defaults (shards.loader.LoaderConfig)
MIN_LINE_PX = 12.0  # a text line's height in the tiles the encoder sees
SMALLEST_PT = 8.0  # a formatted page's smallest type, for pages whose line boxes are not recorded


@dataclass
class MulticropConfig(EngineConfig):
    part: str = field(default="mixed", metadata={
        "help": "docs (plain document pages), pages (formatted pages) or mixed (half each)",
        "choices": ("mixed", *PARTS)})
    layout: str = field(default="mixed", metadata={
        "help": "spread (two pages side by side), stack (two or three pages one below the other) or mixed",
        "choices": ("mixed", *LAYOUTS)})
    lang: str = field(default="mixed", metadata={"help": "mixed, en or zh: the pages' language", "choices": LANGS})

    def validate(self) -> None:
        if self.source is not None:
            raise ValueError("--source: multicrop stitches the docs and pages engines' own pages; build those from "
                             "your data instead")


def tile_scale(width: int, height: int) -> tuple[float, list[int]]:
    """How much the tiling resizes a width x height image (the smaller axis factor), and its tile grid."""
    cols, rows = get_optimal_tiled_canvas((height, width), (TILE, TILE), 1, MAX_TILES)
    return min(cols * TILE / width, rows * TILE / height), [cols, rows]


class MulticropEngine(Engine):
    """Pages stitched as spreads or stacks, read as one text."""

    name = "multicrop"
    Config = MulticropConfig
    resources = Resources(cpus=1.0, memory_mb=2560)  # the pages engine's
    capture_geometry = False  # its tile grid and readability are checked at the drawn size: a capture keeps it
    packages = ("pymupdf", "pdfminer.six", "fonttools", "rapidfuzz")
    batch_size = 4

    def __init__(self, config: MulticropConfig | None = None) -> None:
        super().__init__(config)
        lang = self.config.lang
        self.by_part = {"docs": self.part("docs", lang=lang, unit="page"), "pages": self.part("pages", lang=lang)}

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        cfg = self.config
        choices = []
        for d in draws:
            part, layout = rng_choice(d.rng, PARTS, cfg.part), rng_choice(d.rng, LAYOUTS, cfg.layout)
            want = 2 if layout == "spread" else int(d.rng.integers(2, 4))
            gutter = int(d.rng.integers(0, 41))
            choices.append((part, layout, gutter, plan(d, want, spare=1)))
        asked: dict[int, list[Sample | Exception]] = {}
        for name, engine in self.by_part.items():
            mine = [k for k, c in enumerate(choices) if c[0] == name]
            asked.update(zip(mine, ask(engine, [choices[k][3] for k in mine])))
        return contained(lambda k: self._stitch(*choices[k][:3], usable(asked[k], choices[k][3].want)),
                         range(len(draws)))

    def _stitch(self, part: str, layout: str, gutter: int, pages: list[Sample]) -> Sample:
        sizes = [p.images[0].size for p in pages]
        if layout == "spread":
            width, height = sum(w for w, _ in sizes) + gutter * (len(pages) - 1), max(h for _, h in sizes)
        else:
            width, height = max(w for w, _ in sizes), sum(h for _, h in sizes) + gutter * (len(pages) - 1)
        canvas = Image.new("RGB", (width, height), "white")
        places, boxes, at = [], [], 0
        for page in pages:
            w, h = page.images[0].size
            x, y = (at, 0) if layout == "spread" else (0, at)
            canvas.paste(page.images[0], (x, y))
            places.append([x, y, x + w, y + h])
            boxes += [[b[0] + x, b[1] + y, b[2] + x, b[3] + y] for b in page.meta.get("boxes", [])]
            at += (w if layout == "spread" else h) + gutter
        scale, grid = tile_scale(width, height)
        line_px = (min(b[3] - b[1] for b in boxes) if boxes
                   else SMALLEST_PT / 72 * min(p.meta["dpi"] for p in pages))
        if line_px * scale < MIN_LINE_PX:
            raise SampleError("unreadable_in_tiles", f"{line_px * scale:.1f} px lines in a {grid[0]}x{grid[1]} grid")
        target, spans, lang = joined(pages)
        meta: dict[str, Any] = {"lang": lang, "part": part, "layout": layout,
                                "gutter": gutter, "page_px": places, "page_texts": spans, "tiles": grid,
                                "tile_scale": round(scale, 4), "boxes": boxes}
        return Sample(images=[canvas], prompt=PROMPT_MULTI_CROP, target=target, task="multi_crop", meta=meta)
