"""`FinegrainedEngine`: GOT's stage-3 box and colour prompts, asked about regions of document pages.

After Fox (the paper's fine-grained data): a page comes from the `docs` engine (generated pages in
English and Chinese, or real PDFs with `--source`), held as a part, so a fix in docs fixes this engine
too. A region is one line or a block of lines in the page's reading order that no other line cuts into
(`regions`); the target is exactly the region's lines, in order. The box task asks
`[x1, y1, x2, y2] OCR: ` with the region's exact box in GOT's 0-1000 coordinates (no jitter); the
colour task draws a red, green or blue frame around it, on pixels without ink, and asks `[red] OCR: `.

Drawing a page costs tens of times cutting a region from it, so `REGIONS_PER_PAGE` consecutive samples
ask about one page, each its own region and prompt: the page of samples 4k..4k+3 is drawn from
(seed, k, attempt) alone, and a worker keeps the last page it drew (shards hold consecutive indices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import ImageDraw

from engines.base import Engine, EngineConfig, Resources, Sample, SampleError, make_rng
from engines.finegrained.regions import clear_regions, frame_fits, union
from tokenizer.protocol import COLORS, box_coords, box_prompt, color_prompt

TASKS = ("mixed", "box", "color")
REGIONS = ("mixed", "line", "block")
LANGS = ("mixed", "en", "zh")
REGIONS_PER_PAGE = 4
FRAME_RGB = {"red": (220, 0, 0), "green": (0, 150, 0), "blue": (0, 0, 230)}  # what readers look for, exactly


@dataclass
class FinegrainedConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a PDF or a folder of PDFs whose pages the regions are cut from (as the docs engine reads them); "
                "default: generated pages"})
    task: str = field(default="mixed", metadata={
        "help": "box ([x1, y1, x2, y2] prompts), color (a red, green or blue frame drawn around the region), or "
                "mixed (half each)", "choices": TASKS})
    region: str = field(default="mixed", metadata={
        "help": "line (one line), block (2-8 lines of one column) or mixed (half each)", "choices": REGIONS})
    lang: str = field(default="mixed", metadata={
        "help": "mixed, en or zh: the pages' language (with --source, keeps pages in that language)",
        "choices": LANGS})


class FinegrainedEngine(Engine):
    """Box and colour prompts over one line or a block of lines of a document page."""

    name = "finegrained"
    Config = FinegrainedConfig
    resources = Resources(cpus=1.0, memory_mb=1024)  # the docs engine's
    packages = ("pymupdf", "pdfminer.six", "fonttools")

    def __init__(self, config: FinegrainedConfig | None = None) -> None:
        super().__init__(config)
        self.pages = self.part("docs", source=self.config.source, lang=self.config.lang, unit="page")
        self.skipped, self.source_items = self.pages.skipped, self.pages.source_items
        self._last: tuple[tuple[int, int, int], Sample | SampleError] | None = None

    def page(self, index: int, attempt: int) -> Sample:
        """The page sample `index` asks about: drawn from (seed, its group of REGIONS_PER_PAGE, attempt) alone.

        Raises:
            SampleError: the page could not be drawn (every sample of the group draws again).
        """
        group = index // REGIONS_PER_PAGE
        key = (self.seed, group, attempt)
        if self._last is None or self._last[0] != key:
            try:
                drawn: Sample | SampleError = self.pages.sample(make_rng(self.seed, "finegrained-page", group, attempt),
                                                                group, attempt)
            except SampleError as exc:
                drawn = exc
            self._last = (key, drawn)
        if isinstance(self._last[1], SampleError):
            raise self._last[1]
        return self._last[1]

    def sample(self, rng: np.random.Generator, index: int, attempt: int = 0) -> Sample:
        cfg = self.config
        page = self.page(index, attempt)
        lines, boxes = page.target.split("\n"), page.meta["boxes"]
        kind = cfg.region if cfg.region != "mixed" else ("line" if rng.random() < 0.5 else "block")
        task = cfg.task if cfg.task != "mixed" else ("box" if rng.random() < 0.5 else "color")
        regions = clear_regions(boxes, kind)
        if not regions:
            raise SampleError(f"no_clear_{kind}", f"{page.meta['source']}: no {kind} that no other line cuts into")
        first, last = regions[int(rng.integers(len(regions)))]
        region = union(boxes[first:last + 1])
        image = page.images[0].copy()
        width, height = image.size
        frame, color = None, ""
        if task == "color":
            color = COLORS[int(rng.integers(len(COLORS)))]
            margin, stroke = int(rng.integers(2, 7)), int(rng.integers(2, 4))
            grey = np.asarray(image.convert("L"))
            # the widest margin asked for that clears the neighbours' ink (tight leading leaves a few pixels)
            frame = next((f for m in range(margin, 0, -1) if (f := frame_fits(grey, region, m, stroke))), None)
            if frame is None:
                raise SampleError("frame_touches_ink", f"{page.meta['source']}: lines {first}-{last}")
            ImageDraw.Draw(image).rectangle([frame[0], frame[1], frame[2] - 1, frame[3] - 1],
                                            outline=FRAME_RGB[color], width=stroke)
            prompt = color_prompt(color)
        else:
            prompt = box_prompt(region, width, height)
        origin = {k: page.meta[k] for k in ("source", "page", "columns", "dpi") if k in page.meta}
        meta: dict[str, Any] = {
            "lang": page.meta["lang"], "region": kind, "lines": [first, last],
            "region_px": [round(v, 1) for v in region],
            "box": box_coords(region, width, height), "color": color,
            "frame_px": [round(v, 1) for v in frame] if frame else [], "boxes": boxes[first:last + 1], **origin}
        return Sample(images=[image], prompt=prompt, target="\n".join(lines[first:last + 1]), task=task, meta=meta)
