"""`FinegrainedEngine`: GOT's stage-3 box and colour prompts, asked about regions of pages and scenes.

After Fox and the paper's fine-grained data: a page comes from the `docs` engine (generated pages in
English and Chinese, or real PDFs with `--source`) or a scene from the `scene` engine (text drawn into
photos, or a user's photos pseudo-labelled with `--source`), held as parts, so a fix there fixes this
engine too; or real photos with people's boxes (`source`: a `--source` folder holding `annotations.json`). A
region is one line or a block of lines in the reading order that no other line cuts into
(`regions`; a scene's lines are its drawn quads' boxes; people's "###" boxes lie in no region); the target is
exactly the region's lines, in order. The box task asks
`[x1, y1, x2, y2] OCR: ` with the region's exact box in GOT's 0-1000 coordinates (no jitter); the
colour task draws a red, green or blue frame around it and asks `[red] OCR: `: on a page, only where the
pixels it covers hold no ink; on a photo, where it crosses no other line's box.

Drawing a page costs many times cutting a region from it, so `--regions-per-page` (4) consecutive
samples ask about one page, each its own region and prompt (bench.stage3: 2.66x the samples per
CPU-second): the page of samples 4k..4k+3 is drawn from (seed, k, attempt) alone, and a worker keeps
the last `PAGES_KEPT` pages it drew (shards hold consecutive indices; a retry draws its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageDraw

from engines.base import Draw, Engine, EngineConfig, Lang, Sample, SampleError, make_rng, one_by_one, pick
from engines.finegrained import source
from engines.finegrained.regions import CUT, Box, clear_regions, covers_ink, crosses, frame_around, union
from tokenizer.protocol import COLORS, box_coords, box_prompt, color_prompt

Task = Literal["mixed", "box", "color"]
Region = Literal["mixed", "line", "block"]
Part = Literal["mixed", "docs", "scene"]
PAGE_TRIES = 4  # page draws a group of samples makes before its samples fail
PAGES_KEPT = 4  # pages a worker keeps: a retried sample's page (next attempt) does not evict its group's
FRAME_RGB = {"red": (220, 0, 0), "green": (0, 150, 0), "blue": (0, 0, 230)}  # what readers look for, exactly


@dataclass
class FinegrainedConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "your own data for the --part asked for (docs: a PDF or a folder of PDFs; scene: a folder of "
                "photos, with people's boxes when it holds annotations.json (engines/finegrained/source.py), else "
                "pseudo-labelled by PP-OCR); default: generated pages and scenes"})
    part: Part = field(default="mixed", metadata={
        "help": "docs (document pages), scene (text in photos) or mixed (half each): what regions are cut from"})
    task: Task = field(default="mixed", metadata={
        "help": "box ([x1, y1, x2, y2] prompts), color (a red, green or blue frame drawn around the region), or "
                "mixed (half each)"})
    region: Region = field(default="mixed", metadata={
        "help": "line (one line), block (2-8 lines of one column) or mixed (half each)"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed, en or zh: the pages' and scenes' language (with --source, keeps pages in that language)"})
    regions_per_page: int = field(default=4, metadata={
        "help": "consecutive samples asking about one page or scene, each its own region (1: a page per sample)"})

    def validate(self) -> None:
        if not 1 <= self.regions_per_page <= 64:
            raise ValueError(f"--regions-per-page must be between 1 and 64, got {self.regions_per_page}")
        if self.source is not None and self.part == "mixed":
            raise ValueError(f"--source {self.source}: say what it holds with --part docs (PDFs) or --part scene "
                             f"(photos)")


class FinegrainedEngine(Engine):
    """Box and colour prompts over one line or a block of lines of a document page or a scene."""

    name = "finegrained"
    Config = FinegrainedConfig
    capture_geometry = False  # the prompt names the region's pixels: a capture moves nothing
    capture_colour = False  # a box sample may be binarised; a colour sample is never captured (engines.capture)

    def __init__(self, config: FinegrainedConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        wanted = ("docs", "scene") if cfg.part == "mixed" else (cfg.part,)
        self.by_part = {}
        for name in wanted:
            if name == "scene" and source.annotated(cfg.source):
                self.by_part[name] = source.AnnotatedPhotos(cfg.source, cfg.lang)
                self.parts.append(self.by_part[name])  # shares this engine's seed, as `part` does
                continue
            config = {"source": cfg.source, "lang": cfg.lang, **({"unit": "page"} if name == "docs" else {})}
            self.by_part[name] = self.part(name, **config)
        if cfg.source:
            self.found = self.by_part[cfg.part].found
        self._pages: dict[tuple[int, int, int], tuple[str, Sample] | SampleError] = {}  # oldest first
        self._regions: dict[tuple[tuple[int, int, int], str], list[tuple[int, int]]] = {}  # (page key, kind): runs

    def page(self, index: int, attempt: int) -> tuple[str, Sample]:
        """(part, page or scene) sample `index` asks about: drawn from (seed, its group of `--regions-per-page`,
        attempt) alone, so a group's samples share it.

        Raises:
            SampleError: the page could not be drawn (every sample of the group draws again).
        """
        group = index // self.config.regions_per_page
        key = (self.seed, group, attempt)
        if key not in self._pages:
            drawn: tuple[str, Sample] | SampleError = SampleError("no_page")
            for tried in range(attempt * PAGE_TRIES, (attempt + 1) * PAGE_TRIES):  # a refused page costs the group
                rng = make_rng(self.seed, "finegrained-page", group, tried)       # one redraw, not all its samples
                name = pick(rng, list(self.by_part))
                try:
                    drawn = (name, self.by_part[name].sample(rng, group, tried))
                    break
                except SampleError as exc:
                    drawn = exc
            self._pages[key] = drawn
            if len(self._pages) > PAGES_KEPT:
                evicted = next(iter(self._pages))
                del self._pages[evicted]
                self._regions = {k: v for k, v in self._regions.items() if k[0] != evicted}
        drawn = self._pages[key]
        if isinstance(drawn, SampleError):
            raise drawn
        return drawn

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        cfg = self.config
        part, page = self.page(index, attempt)
        lines = page.target.split("\n")
        boxes = page.meta["boxes"] if part == "docs" else [quad_box(q) for q in page.meta["quads"]]
        illegible = [quad_box(q) for q in page.meta.get("illegible", [])]  # people's "###": never in a region
        kind = cfg.region if cfg.region != "mixed" else ("line" if rng.random() < 0.5 else "block")
        task = cfg.task if cfg.task != "mixed" else ("box" if rng.random() < 0.5 else "color")
        found = (self.seed, index // cfg.regions_per_page, attempt), kind
        if found not in self._regions:  # the samples sharing a page find its regions once
            self._regions[found] = clear_regions(boxes, kind, illegible,
                                                 0.0 if page.meta.get("reader") == "people" else CUT)
        regions = self._regions[found]
        where = page.meta.get("source") or "built-in"
        if not regions:
            raise SampleError(f"no_clear_{kind}", f"{where}: no {kind} that no other line cuts into")
        # the samples sharing a page take its regions in one shuffled order, each its own: drawn independently,
        # three of four samples of a one-line scene were the same sample
        per_page = cfg.regions_per_page
        k = index % per_page
        if k >= len(regions):
            raise SampleError(f"page_has_fewer_{kind}s", f"{where}: {len(regions)} for {per_page} samples")
        order = make_rng(self.seed, "finegrained-regions", index // per_page, attempt).permutation(len(regions))
        first, last = regions[int(order[k])]
        region = union(boxes[first:last + 1])
        image = page.images[0].copy()
        width, height = image.size
        frame, color = None, ""
        if task == "color":
            color = pick(rng, COLORS)
            margin, stroke = int(rng.integers(2, 7)), int(rng.integers(2, 4))
            frame = self._frame(part, image, boxes, (first, last), region, margin, stroke, illegible)
            if frame is None:
                raise SampleError("frame_not_clear", f"{where}: lines {first}-{last}")
            ImageDraw.Draw(image).rectangle([frame[0], frame[1], frame[2] - 1, frame[3] - 1],
                                            outline=FRAME_RGB[color], width=stroke)
            prompt = color_prompt(color)
        else:
            prompt = box_prompt(region, width, height)
        origin = {k: page.meta[k] for k in ("source", "page", "columns", "dpi", "background", "reader")
                  if k in page.meta}
        meta: dict[str, Any] = {
            "lang": page.meta.get("lang") or "en", "part": part, "region": kind, "lines": [first, last],
            "region_px": [round(v, 1) for v in region], "box": box_coords(region, width, height), "color": color,
            "frame_px": [round(v, 1) for v in frame] if frame else [], "boxes": boxes[first:last + 1], **origin}
        return Sample(images=[image], prompt=prompt, target="\n".join(lines[first:last + 1]), task=task, meta=meta)

    @staticmethod
    def _frame(part: str, image: Image.Image, boxes: list[Box], lines: tuple[int, int], region: Box, margin: int,
               stroke: int, illegible: list[Box]) -> Box | None:
        """The widest frame up to `margin` pixels around `region` that is clear: of ink on a page (checked on its
        pixels: tight leading leaves a few), of the other lines' and illegible regions' boxes on a photo (whose
        texture is not ink)."""
        others = [b for k, b in enumerate(boxes) if not lines[0] <= k <= lines[1]] + illegible
        grey = np.asarray(image.convert("L")) if part == "docs" else None
        for m in range(margin, 0, -1):
            frame = frame_around(region, m, stroke, image.size)
            if frame is None:
                continue
            clear = not covers_ink(grey, frame, stroke) if grey is not None else not crosses(frame, others)
            if clear:
                return frame
        return None


def quad_box(quad: list[list[float]]) -> Box:
    """The upright box around a drawn text's quad."""
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))
