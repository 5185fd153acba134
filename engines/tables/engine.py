"""The `tables` engine: a LaTeX `tabular` compiled and cropped tightly, read back as the tabular's source.

Prompt `OCR with format: `; target the normalised `\\begin{tabular}...\\end{tabular}` exactly as it
was compiled (its font, size and spacing are set outside it, so they are not part of the target).

Tables come from the built-in generator (`engines.tables.content`, English and Chinese) or from
`--source` (`engines.tables.source`: tabular-like environments of LaTeX sources, normalised),
table `index % n` for sample `index`, another on a retry. They are compiled as the paper did, with
LaTeX, many per run: a batch's tables are grouped by font and each group is one sandboxed compile
(`renderers.latex`, which isolates a table that fails so it fails alone), one page per table,
cropped to the table plus a border.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from PIL import ImageOps

from engines.base import Draw, Engine, EngineConfig, Lang, Resources, Sample, SampleError, contained
from engines.tables.content import random_tabular
from engines.tables.source import Table, load_tables
from engines.tables.style import TABLE_FONTS, TableStyle, table_style
from renderers.errors import RenderError
from renderers.latex import LatexConfig, render_latex_groups
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

MAX_PX = 3000
LATEX = LatexConfig(dpi=200, margin_pt=0.0, timeout_s=60.0, batch_size=64, memory_mb=3072)


@dataclass
class TablesConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a .tex file or a folder of LaTeX sources whose tabular, tabular*, tabularx, longtable and "
                "deluxetable environments are drawn (normalised to tabular) instead of generated tables"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh; with --source, keeps only tables in that language"})
    source_hint: ClassVar[str] = "a .tex file or a folder of LaTeX sources"


@dataclass
class _Plan:
    table: Table
    style: TableStyle


class TablesEngine(Engine):
    """Generated or real tables, compiled by pdflatex (English) or XeLaTeX (Chinese), with tabular targets."""

    name = "tables"
    Config = TablesConfig
    resources = Resources(cpus=1.0, memory_mb=1536)
    packages = ("pymupdf",)
    batch_size = 48

    def __init__(self, config: TablesConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        self.tables: list[Table] = []
        if cfg.source:
            found = load_tables(cfg.source).keep(lambda t: None if cfg.lang in ("mixed", t.lang) else "lang_mismatch")
            self.tables = self.use_source(found, f"table with --lang {cfg.lang}",
                                          "give .tex files holding tabular environments")

    def _plan(self, draw: Draw) -> _Plan:
        rng = draw.rng
        if self.tables:
            table = self.source_item(self.tables, draw.index, draw.attempt)
        else:
            lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
            table = Table(random_tabular(rng, lang), lang, "generator")
        return _Plan(table, table_style(rng, table.lang))

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """The batch's tables, one compile per font."""
        plans = [self._plan(d) for d in draws]
        drawn = render_latex_groups([p.style.snippet(p.table.latex) for p in plans], [p.style.font for p in plans],
                                    lambda key: (TABLE_FONTS[key].preamble,
                                                 dataclasses.replace(LATEX, program=TABLE_FONTS[key].engine)))
        return contained(lambda i: self._sample(plans[i], drawn[i]), range(len(plans)))

    def _sample(self, plan: _Plan, drawn: Rendered | RenderError) -> Sample:
        if isinstance(drawn, RenderError):
            raise drawn
        image = ImageOps.expand(drawn.image.convert("RGB"), plan.style.padding_px, fill="white")
        if max(image.size) > MAX_PX:
            raise SampleError("image_too_large", f"{image.size[0]} x {image.size[1]} px: {plan.table.latex[:80]}")
        meta = {"lang": plan.table.lang, "renderer": "latex", "source": str(self.config.source or "generator"),
                "where": plan.table.where, "rows": plan.table.latex.count("\\\\"),
                "style": dataclasses.asdict(plan.style), "drawn": drawn.info}
        return Sample(images=[image], prompt=PROMPT_FORMAT, target=plan.table.latex, task="format", meta=meta)
