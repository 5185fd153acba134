"""The `scene` and `scene_crops` engines: plain OCR (`OCR: `) of text in photographs, and of its cropped lines.

The paper's Laion/Wukong + PaddleOCR path. Built in (no `--source`): synthetic scenes, English words and Chinese
phrases drawn into real photos that ship in Debian (`engines.scene.content`). With `--source DIR`: the user's
photos, pseudo-labelled by PP-OCR and kept only where the reader is sure of every legible line
(`engines.scene.source`); a photo that cannot be opened or labelled is a failed draw with its reason, and the build
moves on to another photo (`Engine.source_item`). `scene_crops` (the paper's 1M crops) emits one line of such a scene
(a drawn line, or a kept pseudo-label) cut out by its quad and rectified, with that line's text as its target. A
crop needs only its own line sure, so its lines come also from photos refused as whole scenes for the text they
leave out (a crop shows one line, not the photo's other text); it never reaches into another detected line, kept or
not.

Every sample's meta holds `quads` (one per target line, four [x, y] corners clockwise from the text's top-left,
in the image's pixels; the fine-grained engine prompts with them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from PIL import Image

from engines.base import (
    Draw,
    Engine,
    EngineConfig,
    Lang,
    Resources,
    Sample,
    SampleError,
    capture_share,
    one_by_one,
)
from engines.scene import content, source
from engines.source import Found
from renderers import perspective
from renderers.result import Quad
from renderers.scripts import text_lang
from tokenizer.protocol import PROMPT_PLAIN

CROP_PAD = (0.1, 0.35)  # a crop keeps this margin around its line, in line heights (drawn per sample)
MIN_PAD = 0.03  # the margin a crop falls back to when the drawn one would reach into a neighbouring line
# A detector's box carries a margin (about a quarter of its height on each side, more than a receipt's line gap), so
# a crop may show the tips of a neighbour's ascenders, never this much of the neighbour's box from each side.
CORE = 0.35


@dataclass
class SceneConfig(EngineConfig):
    capture: float = capture_share(0.0, "; every scene is already a photo")
    source: str | None = field(default=None, metadata={
        "help": "a folder of photos to pseudo-label with PP-OCR instead of drawing synthetic scenes; a photo is "
                "used only when the reader is sure of every legible line in it; unreadable files are skipped"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh: the language of the built-in scenes' text (not used with --source)"})
    source_hint: ClassVar[str] = "a folder of photos"


class SceneEngine(Engine):
    """Text in photographs: synthetic scenes drawn into packaged photos, or a user's photos pseudo-labelled."""

    name = "scene"
    Config = SceneConfig
    resources = Resources(cpus=1.0, memory_mb=1536)
    packages = ("pillow", "opencv-python", "rapidocr", "onnxruntime")
    whole_scene: ClassVar[bool] = True  # a sample names every legible line of its photo (a crop: only its own)

    def __init__(self, config: SceneConfig | None = None) -> None:
        super().__init__(config)
        self.files: list[Path] = []
        # photo -> why it gives no sample: a photo's verdict is a function of its pixels alone, so it is read once
        # per worker; the retries that walk a folder of mostly textless photos (`source_index`) then cost nothing
        self.refused: dict[Path, SampleError] = {}
        if self.config.source:  # photos are read when drawn: one that cannot be labelled is a failed draw
            self.files = self.use_source(Found(source.image_files(self.config.source)), "photo",
                                         f"give photos ({', '.join(source.SUFFIXES)})")

    def scene(self, rng: np.random.Generator, index: int, attempt: int) -> tuple[Image.Image, list[tuple[str, Quad]],
                                                                                    dict[str, Any]]:
        """(image, [(line text, quad)] in reading order, meta) of sample `index`'s whole scene."""
        if self.files:
            path = self.source_item(self.files, index, attempt)
            root = Path(self.config.source)
            name = path.relative_to(root).as_posix() if root.is_dir() else path.name
            if path in self.refused:
                raise self.refused[path]
            try:
                image = source.open_photo(path)
                labelled = source.label(image)
                if labelled.refused and (self.whole_scene or not labelled.kept):
                    raise SampleError(labelled.refused, name)
            except SampleError as refusal:
                self.refused[path] = refusal
                raise
            lines = [(t.text, t.quad) for t in labelled.kept]
            return image, lines, {"source": name, "lang": text_lang(" ".join(t for t, _ in lines)),
                                  "reader": "rapidocr",
                                  "scores": [round(t.score, 4) for t in labelled.kept],
                                  "line_verdicts": dict(sorted(Counter(labelled.verdicts).items())),
                                  "photo_refused": labelled.refused or "",
                                  "detected": [content.round_quad(t.quad) for t in labelled.read]}
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        image, drawn, meta = content.compose(rng, lang)
        return image, [(d.text, d.quad) for d in drawn], {"source": "built-in", **meta}

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        image, lines, meta = self.scene(rng, index, attempt)
        quads = [content.round_quad(q) for _, q in lines]
        return Sample(images=[image], prompt=PROMPT_PLAIN, target="\n".join(t for t, _ in lines), task="plain",
                      meta={**meta, "quads": quads})


class SceneCropsEngine(SceneEngine):
    """One line of a scene, cut out by its quad and rectified, with that line as its target."""

    name = "scene_crops"
    whole_scene = False

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        image, lines, meta = self.scene(rng, index, attempt)
        k = int(rng.integers(len(lines)))
        text, quad = lines[k]
        if "detected" in meta:  # a photo: every other line the detector found, kept or not, by its ink's core
            others = [perspective.grow_quad(q, -CORE) for q in meta["detected"] if q != content.round_quad(quad)]
        else:
            others = [q for i, (_, q) in enumerate(lines) if i != k]
        pad = float(rng.uniform(*CROP_PAD))
        for margin in (pad, MIN_PAD):  # a neighbouring line's ink must not show in the crop
            if not any(perspective.overlap(perspective.grow_quad(quad, margin), q) > 0 for q in others):
                break
        else:
            raise SampleError("crop_touches_line", text[:40])
        pad = margin
        crop = perspective.crop_quad(image, quad, pad)
        if min(crop.size) < 8:
            raise SampleError("crop_too_small", text[:40])
        w, h = crop.size
        m = pad * h / (1 + 2 * pad)  # the margin in crop pixels, the same on every side
        inner = content.round_quad(((m, m), (w - m, m), (w - m, h - m), (m, h - m)))
        keep = {k2: v for k2, v in meta.items() if k2 in ("source", "lang", "background", "reader", "photo_refused")}
        return Sample(images=[crop], prompt=PROMPT_PLAIN, target=text, task="plain",
                      meta={**keep, "line": k, "scene_quad": content.round_quad(quad), "pad": round(pad, 3),
                            "quads": [inner]})
