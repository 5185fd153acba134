"""`SmokeEngine`: lines of words from a small built-in vocabulary, drawn by `renderers.pil`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, one_by_one, pick
from renderers.pil import TextStyle, draw_lines
from tokenizer.protocol import PROMPT_PLAIN

WORDS = ("the", "data", "engine", "renders", "every", "kind", "of", "sample", "into", "shards", "model", "reads",
         "text", "from", "images", "page", "table", "chart", "line", "word", "first", "second", "small", "large",
         "open", "real", "fast", "clear", "light", "dark", "north", "south", "river", "city", "paper", "number")
FONTS = ("dejavu-sans", "dejavu-serif")


@dataclass
class SmokeConfig(EngineConfig):
    lines: int = field(default=3, metadata={"help": "most lines of text per image (1 or more)"})
    font_size: int = field(default=18, metadata={"help": "font size in pixels"})

    def validate(self) -> None:
        if self.source is not None:
            raise ValueError("--source: the smoke engine draws built-in words only; drop --source")
        if self.lines < 1:
            raise ValueError(f"--lines must be at least 1, got {self.lines}")
        if not 8 <= self.font_size <= 96:
            raise ValueError(f"--font-size must be between 8 and 96, got {self.font_size}")


class SmokeEngine(Engine):
    """Plain OCR of 1..`lines` lines of 2-6 words, in one of two faces."""

    name = "smoke"
    Config = SmokeConfig
    resources = Resources(cpus=1.0, memory_mb=512)
    packages = ("pillow",)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """The one method an engine writes. Pillow draws no faster in bulk, so each draw is made alone; an engine
        whose tool is cheaper per sample in bulk (a LaTeX compile, a browser page) draws `draws` together."""
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        """Sample `index` (its `attempt`-th try), drawn with `rng` alone; its choices recorded in `meta`."""
        n_lines = int(rng.integers(1, self.config.lines + 1))
        lines = [" ".join(WORDS[i] for i in rng.choice(len(WORDS), size=int(rng.integers(2, 7))))
                 for _ in range(n_lines)]
        style = TextStyle(font=pick(rng, FONTS), size=self.config.font_size)
        drawn = draw_lines(lines, style)
        meta = {"lang": "en", "font": style.font, "boxes": [list(t.bbox) for t in drawn.texts]}
        return Sample(images=drawn.images, prompt=PROMPT_PLAIN, target="\n".join(lines), task="plain", meta=meta)
