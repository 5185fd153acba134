"""The `sheet_music` engine, after GrandStaff: one system of piano grand staff, read back as the **kern that drew it.

A sample is an excerpt of a few bars (built-in: generated in GrandStaff's vocabulary; `--source`:
cut from real scores by engines.sheet_music.source) engraved by Verovio with GrandStaff's ranges
of layout options (page width 2100, bar lines 0.3-0.8, beam slope 10-20, staff lines 0.1-0.3,
staff spacing 1-12) plus a music font, a scale and sometimes a title and composer line (built-in
excerpts: invented titles and invented composers, never a real composer's name on made-up music) and a
tempo word over the first bar (`!!!OMD`, in the target like the title), on a
paper-coloured background, cropped to the music and lightly degraded (renderers.degrade). Prompt
`OCR with format: `; target the excerpt's **kern, or with `--target-format bekern` GrandStaff's
tokenisation of it.

What is drawn is checked before a sample is made: Verovio must lay the excerpt out on exactly one
system (else the excerpt is drawn again with fewer bars) and must draw every note the kern holds
(Verovio silently drops tokens it does not know: such a draw fails as "notes_dropped"). Verovio
engraves in a child process (renderers.verovio.engrave_isolated), so an input that crashes it
costs one counted draw; only the engraving kept is drawn.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np

from engines.base import (
    Draw,
    Engine,
    EngineConfig,
    Resources,
    Sample,
    SampleError,
    capture_share,
    one_by_one,
    pick,
)
from engines.sheet_music.content import generate
from engines.sheet_music.excerpt import (
    Excerpt,
    count_notes,
    keep_drawn_curves,
    to_bekern,
)
from engines.sheet_music.source import Piece, excerpt, load_pieces, stretch_bars
from renderers import degrade
from renderers.verovio import MUSIC_FONTS, ScoreOptions, draw, engrave_isolated
from tokenizer.protocol import PROMPT_FORMAT

TargetFormat = Literal["kern", "bekern"]
Degrade = Literal["none", "light", "scan"]
PAPERS = ("#ffffff", "#fdfbf5", "#fbf6e9", "#f6f1e3", "#f9f9f4", "#f3efe2")
TEXT_FONTS = ("dejavu-serif", "dejavu-sans")


@dataclass
class SheetMusicConfig(EngineConfig):
    capture: float = capture_share(0.0, "; every score is already lightly degraded (--degrade)")
    source: str | None = field(default=None, metadata={
        "help": "a .krn file or a folder of them (real piano scores with two **kern spines): cut into excerpts of "
                "a few bars that fit one system; unusable files are skipped and counted"})
    target_format: TargetFormat = field(default="kern", metadata={
        "help": "kern (Humdrum **kern, what Verovio reads) or bekern (GrandStaff's tokenisation: **ekern_1.0 "
                "headers, token elements joined by '·')"})
    max_bars: int = field(default=5, metadata={"help": "most bars per excerpt (1-12); fewer when one system "
                                                      "cannot hold them"})
    title: float = field(default=0.3, metadata={"help": "share of samples with a title and composer line (0-1)"})
    degrade: Degrade = field(default="light", metadata={
        "help": "scan/photo effects on the paper: none, light or scan"})
    source_hint: ClassVar[str] = "a .krn file or a folder of them"

    def validate(self) -> None:
        if not 1 <= self.max_bars <= 12:
            raise ValueError(f"--max-bars must be between 1 and 12, got {self.max_bars}")
        if not 0 <= self.title <= 1:
            raise ValueError(f"--title is a share between 0 and 1, got {self.title}")


def draw_options(rng: np.random.Generator, header: bool) -> ScoreOptions:
    """Verovio's layout at GrandStaff's ranges, a music font, a scale and a paper colour.

    Floors keep every sign legible: at scale 30 a staff space is about 5 px and a time signature's
    digits 11 px, and staves 1-5 units apart sat 5-8 px from each other (seen in review).
    """
    return ScoreOptions(
        page_width=2100, scale=int(rng.integers(34, 46)), music_font=pick(rng, MUSIC_FONTS),
        text_font=pick(rng, TEXT_FONTS), spacing_staff=int(rng.integers(6, 15)),
        bar_line_width=round(float(rng.uniform(0.3, 0.8)), 2), staff_line_width=round(float(rng.uniform(0.1, 0.3)), 2),
        beam_max_slope=int(rng.integers(10, 21)), background=pick(rng, PAPERS),
        margin=int(rng.integers(8, 33)), header="auto" if header else "none")


class SheetMusicEngine(Engine):
    """Single-system piano excerpts in **kern, engraved by Verovio."""

    name = "sheet_music"
    Config = SheetMusicConfig
    resources = Resources(cpus=1.0, memory_mb=512)  # 190 MiB peak measured (worker + Verovio child)
    packages = ("verovio", "pymupdf", "resvg-py")

    def __init__(self, config: SheetMusicConfig | None = None) -> None:
        super().__init__(config)
        self.starts: list[tuple[int, int]] = []  # (piece, cut) of every excerpt a --source offers
        self.pieces: list[Piece] = []
        if self.config.source:
            found = load_pieces(self.config.source)
            self.pieces = found.items
            # round-robin over pieces, so that any run of consecutive indices draws from every score
            starts = sorted(((p, c) for p, piece in enumerate(self.pieces) for c in range(len(piece.cuts) - 1)),
                            key=lambda pc: (pc[1], pc[0]))
            # voices split over more bars than an excerpt may hold: no cut there
            fit = found.with_items(starts).keep(lambda pc: None if stretch_bars(self.pieces[pc[0]], pc[1])
                                                <= self.config.max_bars else "excerpt_starts_over_max_bars")
            self.starts = self.use_source(fit, "score excerpt", "give piano scores with two **kern spines (.krn files)")

    def describe(self) -> dict[str, Any]:
        """The base's record (its items are excerpt starts), plus how many scores they are cut from."""
        info = super().describe()
        if self.config.source:
            info["scores"] = len(self.pieces)
        return info

    def _excerpt(self, rng: np.random.Generator, index: int, attempt: int) -> Excerpt:
        bars = int(rng.integers(2, self.config.max_bars + 1)) if self.config.max_bars > 1 else 1
        if not self.starts:
            return generate(rng, bars)
        p, cut = self.source_item(self.starts, index, attempt)
        return excerpt(self.pieces[p], cut, bars)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        cfg = self.config
        music = self._excerpt(rng, index, attempt)
        header = rng.random() < cfg.title and bool(music.title)
        options = draw_options(rng, header)
        params = degrade.draw_params(rng, cfg.degrade) if cfg.degrade != "none" else None
        for n_bars in range(len(music.bars), 0, -1):
            kern = music.kern(n_bars, header)
            engraved = engrave_isolated(kern, options)
            if engraved.info["systems"] == 1:
                break
        else:
            raise SampleError("not_one_system",
                              f"{music.origin}: its first bar takes {engraved.info['systems']} systems")
        if engraved.info["notes"] != count_notes(kern):
            raise SampleError("notes_dropped", f"{music.origin}: Verovio drew {engraved.info['notes']} of "
                                               f"{count_notes(kern)} notes")
        kern = keep_drawn_curves(kern, engraved.info["curves"])  # an excerpt's slur halves draw nothing
        drawn = draw(engraved)
        image = drawn.image if params is None else degrade.apply(drawn.image, params).image
        target = kern if cfg.target_format == "kern" else to_bekern(kern)
        meta: dict[str, Any] = {"lang": "en", "origin": music.origin, "bars": music.barlines(n_bars),
                                "header": header, "target_format": cfg.target_format,
                                "options": dataclasses.asdict(options),
                                "degrade": dataclasses.asdict(params) if params else {},
                                "notes": engraved.info["notes"], "drawn_by": drawn.info["drawn_by"][0]}
        return Sample(images=[image], prompt=PROMPT_FORMAT, target=target, task="format", meta=meta)
