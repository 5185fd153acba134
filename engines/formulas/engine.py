"""The `formulas` engine: one formula per image, drawn by Mathpix-markdown-it or LaTeX, read back as Mathpix markdown.

Prompt `OCR with format: `; target the formula in Mathpix markdown, `\\[ ... \\]` when displayed and
`\\( ... \\)` inline, with exactly the LaTeX that was drawn (a Mathpix drawing is of the target
text itself; a LaTeX drawing is of the same body in `$\\displaystyle ...$` or `$...$`).

Formulas come from the built-in generator (`engines.formulas.content`) or from `--source`
(`engines.formulas.source`: arXiv-style `.tex` files, or a list), formula `index % n` for sample
`index`, another on a retry. Renderers: Mathpix-markdown-it in Chromium (the paper's), LaTeX (11
math fonts, `engines.formulas.style`, each by its share in papers), or `mixed`, the default:
`--latex-share` (half) of the samples by LaTeX, the rest by MathJax, as a model meets formulas in
both rendered web pages and typeset PDFs. A batch's Mathpix formulas are drawn in one browser call and its LaTeX formulas in one
compile per font; either renderer isolates a formula that fails, so it fails alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from PIL import ImageOps

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, SampleError, contained
from engines.formulas.content import latex_tokens, random_formula
from engines.formulas.source import Formula, load_formulas
from engines.formulas.style import MATH_FONTS, LatexStyle, latex_style, mathpix_style
from renderers.errors import RenderError
from renderers.latex import LatexConfig, render_latex_groups
from renderers.mathpix import MathpixStyle, render_mathpix
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

Renderer = Literal["mathpix", "latex", "mixed"]
Display = Literal["mixed", "display", "inline"]
MAX_PX = 3000  # longest side of an image; wider formulas are illegible at GOT's 1024 px
LATEX = LatexConfig(dpi=200, margin_pt=0.0, timeout_s=60.0, batch_size=64)


@dataclass
class FormulasConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a .tex file or a folder of LaTeX sources (every formula in them, simple macros expanded), or a "
                "file of formulas, one per line, instead of the built-in generator"})
    renderer: Renderer = field(default="mixed", metadata={
        "help": "mathpix (Mathpix-markdown-it in Chromium, the paper's), latex (11 math fonts) or mixed (both)"})
    latex_share: float = field(default=0.5, metadata={"help": "with --renderer mixed: the share drawn by LaTeX"})
    display: Display = field(default="mixed", metadata={
        "help": "mixed, display or inline: which formulas to draw (the generator draws 60%% display when mixed)"})
    source_hint: ClassVar[str] = "a .tex file, a folder of LaTeX sources or a file with one formula per line"

    def validate(self) -> None:
        if not 0.0 <= self.latex_share <= 1.0:
            raise ValueError(f"--latex-share must be between 0 and 1, got {self.latex_share}")


def formula_target(latex: str, display: bool) -> str:
    """The Mathpix-markdown target of a formula body."""
    return f"\\[ {latex} \\]" if display else f"\\( {latex} \\)"


@dataclass
class _Plan:
    formula: Formula
    renderer: str
    style: MathpixStyle | LatexStyle

    @property
    def target(self) -> str:
        return formula_target(self.formula.latex, self.formula.display)


class FormulasEngine(Engine):
    """Generated or real formulas, in MathJax's or one of 11 LaTeX math fonts, with Mathpix-markdown targets."""

    name = "formulas"
    Config = FormulasConfig
    # Chromium beside the worker, and TeX runs for the LaTeX share.
    resources = Resources(cpus=1.0, memory_mb=1536)
    packages = ("playwright", "pymupdf")
    batch_size = 40

    def __init__(self, config: FormulasConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        self.formulas: list[Formula] = []
        if cfg.source:
            keep = {"mixed": (True, False), "display": (True,), "inline": (False,)}[cfg.display]
            found = load_formulas(cfg.source).keep(lambda f: None if f.display in keep else "display_filtered")
            self.formulas = self.use_source(found, f"formula with --display {cfg.display}",
                                            "give .tex files or a formula list (one formula per line)")
        if cfg.renderer != "mathpix":  # a compile per font: bigger batches share each font's start-up
            self.batch_size = 320

    def _formula(self, draw: Draw) -> Formula:
        if self.formulas:
            return self.source_item(self.formulas, draw.index, draw.attempt)
        display = {"mixed": bool(draw.rng.random() < 0.6), "display": True, "inline": False}[self.config.display]
        return Formula(random_formula(draw.rng, display), display, "generator")

    def _plan(self, draw: Draw) -> _Plan:
        cfg, rng = self.config, draw.rng
        formula = self._formula(draw)
        renderer = cfg.renderer if cfg.renderer != "mixed" else ("latex" if rng.random() < cfg.latex_share
                                                                 else "mathpix")
        style = mathpix_style(rng) if renderer == "mathpix" else latex_style(rng)
        return _Plan(formula, renderer, style)

    def _draw_latex(self, plans: list[_Plan], where: list[int]) -> dict[int, Rendered | RenderError]:
        """The LaTeX plans, one compile (of as many runs as errors need) per font."""
        out: dict[int, Rendered | RenderError] = {}
        results = render_latex_groups(
            [plans[i].style.snippet(plans[i].formula.latex, plans[i].formula.display) for i in where],
            [plans[i].style.font for i in where],
            lambda key: (MATH_FONTS[key].preamble, dataclasses.replace(LATEX, program=MATH_FONTS[key].engine)))
        for i, result in zip(where, results):
            if isinstance(result, Rendered):
                pad = plans[i].style.padding_px
                result = Rendered([ImageOps.expand(result.image.convert("RGB"), pad, fill="white")], [],
                                  {**result.info, "font": plans[i].style.font})
            out[i] = result
        return out

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """Every Mathpix formula of the batch in one browser call, the LaTeX ones in one compile per font."""
        plans = [self._plan(d) for d in draws]
        drawn: dict[int, Rendered | RenderError] = {}
        browser = [i for i, p in enumerate(plans) if p.renderer == "mathpix"]
        if browser:
            results = render_mathpix([plans[i].target for i in browser], [plans[i].style for i in browser])
            drawn.update(zip(browser, results))
        drawn.update(self._draw_latex(plans, [i for i, p in enumerate(plans) if p.renderer == "latex"]))
        return contained(lambda i: self._sample(plans[i], drawn[i]), range(len(plans)))

    def _sample(self, plan: _Plan, drawn: Rendered | RenderError) -> Sample:
        if isinstance(drawn, RenderError):
            raise drawn
        image = drawn.image
        if max(image.size) > MAX_PX:
            raise SampleError("image_too_large", f"{image.size[0]} x {image.size[1]} px: {plan.formula.latex[:80]}")
        meta = {"lang": "en", "renderer": plan.renderer, "display": plan.formula.display,
                "source": str(self.config.source or "generator"), "where": plan.formula.where,
                "tokens": latex_tokens(plan.formula.latex), "style": dataclasses.asdict(plan.style),
                "drawn": drawn.info}
        return Sample(images=[image], prompt=PROMPT_FORMAT, target=plan.target, task="format", meta=meta)
