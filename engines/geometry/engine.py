"""The `geometry` engine: TikZ figures compiled by real LaTeX, read back as the TikZ that drew them.

A sample is a figure (a triangle, a circle with chords and tangents, a quadrilateral or regular
polygon, function curves on axes, points on a grid) with the prompt `OCR with format: ` and, as
target, the normalised `\\begin{tikzpicture}...\\end{tikzpicture}` that was compiled, or with
`--target-format dict` the same figure's geometry as DeepSeek-OCR's Slow-Perception dict.

Compiling is the cost: TeX's start and TikZ's loading take most of a one-figure run, so
`sample_batch` compiles a whole batch of figures in one sandboxed pdflatex run (renderers.latex,
one page per figure), which gives each figure exactly the bytes it gets alone. With `--source`,
the pictures are the `tikzpicture` environments of the user's .tex files (engines.geometry.source):
a picture that does not compile fails its draw (counted by reason) and the retry takes another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, contained, pick
from engines.geometry.figure import Figure
from engines.geometry.graphs import coordinates, function
from engines.geometry.plane import circle, polygon, triangle
from engines.geometry.source import SourcePicture, load_pictures
from renderers.errors import RenderError
from renderers.latex import CJK_PREAMBLE, LatexConfig, render_latex_groups
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

KINDS = {"triangle": triangle, "circle": circle, "polygon": polygon, "function": function, "coordinates": coordinates}
TargetFormat = Literal["tikz", "dict"]
LIBRARIES = "arrows.meta,calc,angles,quotes,positioning"
PREAMBLE = f"\\usepackage{{amsmath}}\n\\usepackage{{tikz}}\n\\usetikzlibrary{{{LIBRARIES}}}"
# --source pictures come from papers: more libraries and pgfplots; xelatex with CJK fonts for pictures in Chinese.
SOURCE_PREAMBLE = (f"{PREAMBLE}\n\\usetikzlibrary{{shapes.geometric,shapes.misc,arrows,fit,backgrounds,patterns,"
                   f"decorations.pathreplacing}}\n\\usepackage{{pgfplots}}\\pgfplotsset{{compat=1.18}}")


@dataclass
class GeometryConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a .tex/.tikz file or a folder of them: every tikzpicture environment in them becomes a sample "
                "(file-level \\tikzstyle/\\tikzset definitions are moved into the picture); pictures that use "
                "\\input, external files or do not compile are skipped and counted"})
    target_format: TargetFormat = field(default="tikz", metadata={
        "help": "tikz (the normalised tikzpicture compiled) or dict (segments with endpoints, circles, arcs, angles, "
                "curves, axes, labels as JSON, after Slow Perception; built-in figures only)"})
    kinds: str = field(default="all", metadata={
        "help": f"comma-separated figure kinds to draw, or all: {', '.join(KINDS)}"})
    dpi: float = field(default=200.0, metadata={"help": "resolution of the images (72-600)"})
    source_hint: ClassVar[str] = "a .tex/.tikz file or a folder of them"

    @property
    def kind_list(self) -> tuple[str, ...]:
        return tuple(KINDS) if self.kinds == "all" else tuple(k.strip() for k in self.kinds.split(","))

    def validate(self) -> None:
        unknown = [k for k in self.kind_list if k not in KINDS]
        if unknown or not self.kind_list:
            raise ValueError(f"--kinds: unknown figure kind(s) {unknown}; use 'all' or a comma-separated list of: "
                             f"{', '.join(KINDS)}")
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"--dpi must be between 72 and 600, got {self.dpi}")
        if self.source is not None and self.target_format == "dict":
            raise ValueError("--target-format dict needs the built-in figures (a --source picture has no known "
                             "geometry); drop --source or use --target-format tikz")


@dataclass(frozen=True)
class _Job:
    """One draw turned into what to compile, before compiling."""

    snippet: str
    target: str
    cjk: bool
    meta: dict[str, Any]


class GeometryEngine(Engine):
    """Geometry figures (built-in generators or the user's TikZ), batched through one pdflatex run."""

    name = "geometry"
    Config = GeometryConfig
    resources = Resources(cpus=1.0, memory_mb=1024)
    packages = ("pymupdf",)
    batch_size = 32

    def __init__(self, config: GeometryConfig | None = None) -> None:
        super().__init__(config)
        self.pictures: list[SourcePicture] = []
        if self.config.source:
            self.pictures = self.use_source(load_pictures(self.config.source), "tikzpicture",
                                            "point it at .tex files holding tikzpicture environments")

    def latex_config(self, cjk: bool) -> LatexConfig:
        """How this engine compiles (the reader compiles targets again the same way)."""
        # a run of a whole batch gets 3 s per figure beyond TeX's start, so a busy machine does not time it out
        return LatexConfig(program="xelatex" if cjk else "pdflatex", dpi=self.config.dpi, margin_pt=4.0,
                           batch_size=self.batch_size, memory_mb=2048 if cjk else 1024,
                           timeout_s=30.0 + 3.0 * self.batch_size)

    def _job(self, draw: Draw) -> _Job:
        cfg = self.config
        if self.pictures:
            picture = self.source_item(self.pictures, draw.index, draw.attempt)
            meta = {"lang": "zh" if picture.cjk else "en", "kind": "source", "scale": 1.0, "tikz": "",
                    "file": picture.file}
            return _Job(picture.tikz, picture.tikz, picture.cjk, meta)
        kind = pick(draw.rng, cfg.kind_list)
        figure: Figure = KINDS[kind](draw.rng).labels_cleared()
        tikz = figure.tikz()
        target = tikz if cfg.target_format == "tikz" else figure.dict_target()
        meta = {"lang": "en", "kind": kind, "scale": figure.scale, "tikz": tikz if cfg.target_format == "dict" else ""}
        return _Job(tikz, target, False, meta)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        jobs = contained(self._job, draws)
        out: list[Sample | Exception] = list(jobs)  # type: ignore[arg-type]
        picked = [i for i, j in enumerate(jobs) if isinstance(j, _Job)]
        drawn = render_latex_groups([jobs[i].snippet for i in picked], [jobs[i].cjk for i in picked], self._setup)
        for i, result in zip(picked, drawn):
            preamble, config = self._setup(jobs[i].cjk)
            out[i] = self._finish(jobs[i], result, config, preamble)
        return out

    def _setup(self, cjk: bool) -> tuple[str, LatexConfig]:
        """The preamble and config a figure compiles with (Latin and CJK figures compile apart)."""
        preamble = (SOURCE_PREAMBLE + ("\n" + CJK_PREAMBLE if cjk else "")) if self.pictures else PREAMBLE
        return preamble, self.latex_config(cjk)

    def _finish(self, job: _Job, result: Rendered | RenderError, config: LatexConfig, preamble: str) -> Sample | Exception:
        if isinstance(result, RenderError):
            return result
        meta = {**job.meta, "target_format": self.config.target_format, "latex": config.program, "dpi": config.dpi,
                "margin_pt": config.margin_pt, "preamble": preamble, "page_pt": result.info["page_pt"]}
        return Sample(images=[result.image.convert("RGB")], prompt=PROMPT_FORMAT, target=job.target, task="format",
                      meta=meta)
