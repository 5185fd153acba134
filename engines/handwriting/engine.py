"""`HandwritingEngine`: handwritten pages read as plain text (`OCR: `), from pen strokes or from a user's real lines."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

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
from engines.handwriting import content, gate, source
from renderers import degrade
from renderers.result import DrawnText, box_quad
from tokenizer.protocol import PROMPT_PLAIN

LANGS = ("en", "zh")
# Most handwriting that is read is scanned (forms, exam papers, IAM); a fifth is a phone photo of a page.
PRESETS, PRESET_WEIGHTS = ("light", "scan", "photo"), (0.3, 0.5, 0.2)


@dataclass
class HandwritingConfig(EngineConfig):
    capture: float = capture_share(0.0, "; every page is already scanned or photographed")
    lang: Lang = field(default="mixed", metadata={"help": "language of built-in pages: en, zh or mixed (half each)"})
    em_min: float = field(default=28.0, metadata={"help": "smallest pen em (letter height unit) in pixels"})
    em_max: float = field(default=44.0, metadata={"help": "largest pen em in pixels"})
    lines_min: int = field(default=6, metadata={"help": "--source: fewest real lines pasted on a page"})
    lines_max: int = field(default=8, metadata={"help": "--source: most real lines pasted on a page"})

    def validate(self) -> None:
        if not 12 <= self.em_min <= self.em_max <= 120:
            raise ValueError(f"--em-min/--em-max must satisfy 12 <= min <= max <= 120, got "
                             f"{self.em_min}, {self.em_max}")
        if not 1 <= self.lines_min <= self.lines_max <= 30:
            raise ValueError(f"--lines-min/--lines-max must satisfy 1 <= min <= max <= 30, got "
                             f"{self.lines_min}, {self.lines_max}")
        if self.source is not None:
            source.check_source(self.source)


class HandwritingEngine(Engine):
    """Plain OCR of handwritten pages: pen-stroke prose (built in) or real handwritten lines pasted on paper.

    Built in: a drawn hand writes prose on lined or plain paper, a sticky note or a letter (`content`), then the
    sheet is scanned or photographed (`renderers.degrade`); a line of a quick hand's page must read back (`gate`). With
    `--source`: 6-8 real line images with their transcripts are pasted onto a blank page, or a whole real page is
    used as it is (`source`).
    """

    name = "handwriting"
    Config = HandwritingConfig
    resources = Resources(cpus=1.0, memory_mb=1024)
    packages = ("pillow", "opencv-python-headless", "numpy", "fonttools")

    def __init__(self, config: HandwritingConfig | None = None) -> None:
        super().__init__(config)
        self.items: list[source.Item] = []
        if self.config.source is None:
            content.check_installed()
        else:
            self.items = self.use_source(source.load(self.config.source), "handwriting",
                                         "see the handwriting engine's README section for the layout it reads")

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        hand = None  # the built-in page's hand (a source page was written by people)
        if self.items:
            page, lines, meta = source.compose(self.items, rng, index, attempt, self.config.lines_min,
                                               self.config.lines_max, self.seed)
        else:
            lang = self.config.lang if self.config.lang != "mixed" else LANGS[int(rng.integers(2))]
            kind = content.KINDS[int(rng.integers(len(content.KINDS)))]
            page, lines, hand, sheet = content.write_page(rng, lang, kind, (self.config.em_min, self.config.em_max))
            meta = {"lang": lang, "source": "builtin", "kind": kind, "hand": dataclasses.asdict(hand),
                    "sheet": dataclasses.asdict(sheet)}
        if not lines:
            raise SampleError("empty_page")
        params = degrade.draw_params(rng, PRESETS[int(rng.choice(len(PRESETS), p=PRESET_WEIGHTS))])
        texts = [DrawnText(text, box_quad(*box)) for text, box in lines]
        done = degrade.apply(page, params, texts)
        spot = gate.spot_line(done.texts) if hand is not None and hand.cursive else None
        if spot is not None:
            spot = gate.tail(spot, lines[done.texts.index(spot)][1], hand)
            read = gate.share_read(done.images[0], [spot])
            if read < gate.LEGIBLE:
                raise SampleError("cursive_illegible", f"PP-OCR read {read:.2f} of {spot.text!r} back")
            meta["read_back"] = round(read, 3)
        meta.update(degrade=dataclasses.asdict(params), boxes=[[round(v, 1) for v in t.bbox] for t in done.texts])
        return Sample(images=done.images, prompt=PROMPT_PLAIN, target="\n".join(t for t, _ in lines), task="plain",
                      meta=meta)
