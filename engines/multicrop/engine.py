"""`MulticropEngine`: two or three pages stitched into one large image, `OCR with format upon the patch reference: `.

As the paper built its ultra-large images: pages of the `docs` engine (plain text) or the `pages`
engine (formatted) side by side as a spread, or one below the other, well over 1024 px on the long
side; the target is the pages' texts in reading order, one page after another, a blank line between.
GOT reads such an image through InternVL-style tiles (`shards.preprocess.tile_image`), which resize it
to the tile grid first: a sample whose smallest text line would be under `MIN_LINE_PX` pixels tall in
its tiles (at the loader's 1024-px tiles, at most 6) is refused as unreadable. `meta.page_px` gives
each page's place in the image and `meta.page_texts` its span of the target, so a reader checks each
page alone.

Drawing pages is nearly all the cost, so `--reuse` (6) consecutive samples take theirs from one pool of
`--pool-pages` (6) pages of one part (`engines.compose.Pools`), each its own layout and shuffle of the pool
(a page in about 2.5 samples; at 4, bench.stage3 gave 1.6x against three pages drawn afresh a sample);
a layout the tiles cannot read is drawn again from the pool (up to `LAYOUT_TRIES` times) before the sample
is refused, as a retry would draw another.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from PIL import Image
from transformers.models.got_ocr2.image_processing_pil_got_ocr2 import get_optimal_tiled_canvas

from engines.base import Draw, Engine, EngineConfig, Lang, Sample, SampleError, contained
from engines.compose import SPREAD, Pools, joined, page_meta, picked, plan, rng_choice, usable
from tokenizer.protocol import PROMPT_MULTI_CROP

Part = Literal["docs", "pages"]
Layout = Literal["spread", "stack"]
PARTS, LAYOUTS = typing.get_args(Part), typing.get_args(Layout)  # what mixed draws from
TILE, MAX_TILES = 1024, 6  # the loader's defaults (shards.loader.LoaderConfig)
MIN_LINE_PX = 12.0  # a text line's height in the tiles the encoder sees
SMALLEST_PT = 8.0  # a formatted page's smallest type, for pages whose line boxes are not recorded
LAYOUT_TRIES = 3  # layouts a sample draws from its pool before it is refused as unreadable in its tiles
SPARE = 1  # pages a sample drawing afresh asks for beyond the ones it needs (a part refuses some)


@dataclass
class MulticropConfig(EngineConfig):
    part: Literal["mixed", Part] = field(default="mixed", metadata={
        "help": "docs (plain document pages), pages (formatted pages) or mixed (half each)"})
    layout: Literal["mixed", Layout] = field(default="mixed", metadata={
        "help": "spread (two pages side by side), stack (two or three pages one below the other) or mixed"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (each pool's pages all English or all Chinese, half and half), en or zh: the pages' language"})
    reuse: int = field(default=6, metadata={
        "help": "consecutive samples taking their pages from one pool of --pool-pages pages of one part, each its "
                "own layout and shuffle (1: every sample draws its pages afresh)"})
    pool_pages: int = field(default=6, metadata={"help": "pages drawn for a pool"})

    def validate(self) -> None:
        if self.source is not None:
            raise ValueError("--source: multicrop stitches the docs and pages engines' own pages; build those from "
                             "your data instead")
        if not 1 <= self.reuse <= 64 or not 3 <= self.pool_pages <= SPREAD:
            raise ValueError(f"--reuse {self.reuse} must be 1-64 and --pool-pages {self.pool_pages} 3-{SPREAD}")


def tile_scale(width: int, height: int) -> tuple[float, list[int]]:
    """How much the tiling resizes a width x height image (the smaller axis factor), and its tile grid."""
    cols, rows = get_optimal_tiled_canvas((height, width), (TILE, TILE), 1, MAX_TILES)
    return min(cols * TILE / width, rows * TILE / height), [cols, rows]


class MulticropEngine(Engine):
    """Pages stitched as spreads or stacks, read as one text."""

    name = "multicrop"
    Config = MulticropConfig
    capture_geometry = False  # its tile grid and readability are checked at the drawn size: a capture keeps it
    batch_size = 4

    def __init__(self, config: MulticropConfig | None = None) -> None:
        super().__init__(config)
        # a part per kind of page and language: a pool's pages are all in one language (a spread or a stack of
        # an English page and a Chinese one is no document)
        langs = ("en", "zh") if self.config.lang == "mixed" else (self.config.lang,)
        self.by_part = {f"{part}-{lang}": self.part(part, lang=lang, **({"unit": "page"} if part == "docs" else {}))
                        for part in PARTS for lang in langs}
        self.langs = langs
        self.pools = Pools(self, self.config.reuse)

    def _pool(self, rng) -> str:
        """The part a pool's pages come from ("docs-zh"): its kind of page, then its language."""
        return f"{rng_choice(rng, PARTS, self.config.part)}-{rng_choice(rng, self.langs, self.config.lang)}"

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        cfg = self.config
        keys, wanted = [], {}
        for d in draws:
            if cfg.reuse == 1:  # afresh, for it alone: its part, two pages and a spare (a stack takes the spare too)
                key = self.pools.key(d, self._pool(d.rng))
                wanted[key] = plan(d, 2 + SPARE)
            else:  # the part is the group's, drawn with its pool
                key = self.pools.key(d, self._pool(self.pools.rng(d, "part")))
                wanted[key] = self.pools.subdraws(d, cfg.pool_pages)
            keys.append(key)
        pools = self.pools.get(self.by_part, wanted)
        return contained(lambda k: self._compose(draws[k], keys[k][2].split("-")[0], pools[keys[k]]),
                         range(len(draws)))

    def _compose(self, draw: Draw, part: str, pool: list[Sample | Exception]) -> Sample:
        """A layout of the pool's pages the tiles can read, drawn from `draw.rng` (LAYOUT_TRIES tries)."""
        refused = SampleError("no_layout")
        for _ in range(LAYOUT_TRIES):
            layout = rng_choice(draw.rng, LAYOUTS, self.config.layout)
            want = 2 if layout == "spread" else int(draw.rng.integers(2, 4))
            gutter = int(draw.rng.integers(0, 41))
            try:
                return self._stitch(part, layout, gutter, usable(picked(draw.rng, pool), want))
            except SampleError as exc:
                if exc.reason not in ("unreadable_in_tiles", "one_tile"):
                    raise
                refused = exc
        raise refused

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
        if grid == [1, 1]:  # near square (two slides stacked, say): one tile, not a multi-crop sample
            raise SampleError("one_tile", f"{width}x{height} px fits one tile")
        line_px = (min(b[3] - b[1] for b in boxes) if boxes
                   else SMALLEST_PT / 72 * min(p.meta["dpi"] for p in pages))
        if line_px * scale < MIN_LINE_PX:
            raise SampleError("unreadable_in_tiles", f"{line_px * scale:.1f} px lines in a {grid[0]}x{grid[1]} grid")
        target, spans, lang = joined(pages)
        meta: dict[str, Any] = {"lang": lang, "part": part, "layout": layout,
                                "gutter": gutter, "page_px": places, "page_texts": spans, "tiles": grid,
                                "tile_scale": round(scale, 4), "boxes": boxes}
        if part == "pages":  # each page's style and drawings: an uncaptured page is redrawn as a `pages` sample is
            meta["page_meta"] = [page_meta(p) for p in pages]
        return Sample(images=[canvas], prompt=PROMPT_MULTI_CROP, target=target, task="multi_crop", meta=meta)
