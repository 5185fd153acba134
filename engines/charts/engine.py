"""The `charts` engine, after OneChart: charts drawn by matplotlib or ECharts, read back as a python dict.

A sample is a chart image with the prompt `OCR with format: ` and, as target, the chart's data in
the chosen `--target-format` (`targets`): OneChart's dict by default, or an HTML or Markdown table
as GOT's successors train on. Every value in the target can be read from the image: it is printed
as a data label, or the chart's values were resampled to what its labelled scale can tell.

The package's folders hold its jobs: `content` (what a chart says: built-in topics with real magnitudes),
`source` (a user's CSV tables, read by `source.tables` and fitted to a chart by `source.fit`), `layout` (where
every mark and text goes) and `draw` (matplotlib and ECharts). With `--source`, the tables are walked in the
build's seeded order (`Engine.source_item`: another table when a retry follows a failed draw, so one table that
cannot be drawn never fails an index). After rendering, every title, label and data label the target names is looked up among
the texts the renderer reports having drawn, and the plan's checks refuse a chart where any text
covers a mark or another text; a chart failing either fails as a sample instead of teaching the
model to read what is not there; so does one whose texts the chosen font cannot draw (empty
boxes) or that needs script shaping. A share of charts is then captured (`--capture`, `engines.capture`:
light, scan, photo or screen), the parameters kept in meta["capture"].
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from PIL import Image

from engines.base import Draw, Engine, EngineConfig, Lang, Resources, Sample, SampleError, one_by_one
from engines.charts.content.builtin import draw_content
from engines.charts.content.model import ChartContent, content_texts
from engines.charts.draw.echarts import EChartsRenderer
from engines.charts.draw.mpl_chart import MatplotlibChartRenderer
from engines.charts.layout.wrap import squash
from engines.charts.source.fit import fit_table, table_kinds
from engines.charts.source.tables import ChartTable, load_chart_tables
from engines.charts.spec import KINDS, ChartSpec, Looks
from engines.charts.style import draw_spec
from engines.charts.targets import Format, chart_target, target_texts
from renderers import capture
from renderers.fonts import NEEDS_SHAPING, check_drawable, covering_faces, face_keys
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

Renderer = Literal["mixed", "matplotlib", "pyecharts"]


@dataclass
class ChartsConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a CSV/TSV file or a folder of them to chart instead of the built-in topics: a header row "
                "(category column name, then series names, a unit in brackets becomes the axis title), rows "
                "of a label and numbers, optional '# title:', '# source:', '# x_title:', '# y_title:' lines; "
                "long tables are charted a window of rows at a time; unusable files are skipped and counted"})
    renderer: Renderer = field(default="mixed", metadata={
        "help": "mixed (half matplotlib, half pyecharts, drawn per sample), matplotlib or pyecharts"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh: the language of titles and labels; with --source, "
                "keeps only tables in that language"})
    kinds: str = field(default="all", metadata={
        "help": f"comma-separated chart kinds to draw, or all: {', '.join(KINDS)}"})
    looks: Looks = field(default="mixed", metadata={
        "help": "how often publishers' looks are drawn (a portal's or a development bank's style, "
                "end labels, small multiples, dual axes, annotations): mixed (each at its share), always (on every "
                "chart that can take one) or never"})
    target_format: Format = field(default="onechart", metadata={
        "help": "onechart (OneChart's python dict, as GOT trains), html (an HTML table, as DeepSeek-OCR) "
                "or markdown (a Markdown table, as PaddleOCR-VL)"})

    @property
    def kind_list(self) -> tuple[str, ...]:
        return tuple(KINDS) if self.kinds == "all" else tuple(k.strip() for k in self.kinds.split(","))

    source_hint: ClassVar[str] = "a CSV/TSV file or a folder of them"

    def validate(self) -> None:
        unknown = [k for k in self.kind_list if k not in KINDS]
        if unknown or not self.kind_list:
            raise ValueError(f"--kinds: unknown chart kind(s) {unknown}; use 'all' or a comma-separated "
                             f"list of: {', '.join(KINDS)}")


class ChartsEngine(Engine):
    """Charts of 13 kinds in English and Chinese, rendered half by matplotlib and half by ECharts."""

    name = "charts"
    Config = ChartsConfig
    # One worker keeps about 1.3 cores busy with mixed renderers (Chromium renders beside it) and
    # peaks near 850 MiB with its browser (bench.build).
    resources = Resources(cpus=1.0, memory_mb=1024)
    packages = ("matplotlib", "pyecharts", "playwright")
    # tick labels are small: "light" keeps them legible where a scan or photo would not (renderers.degrade)
    capture_presets: ClassVar[dict[str, float]] = {"light": 0.3, "scan": 0.3, "photo": 0.2, "screen": 0.2}
    capture_colour = False  # series are told apart by colour: a binarised chart would lose which is which

    def __init__(self, config: ChartsConfig | None = None) -> None:
        super().__init__(config)
        self.tables: list[tuple[ChartTable, list[str]]] = []  # (ChartTable, kinds that can show it)
        if self.config.source:
            self._load_tables()
        self._renderers = {"matplotlib": MatplotlibChartRenderer(), "pyecharts": EChartsRenderer()}

    def _load_tables(self) -> None:
        cfg = self.config

        def why_not(table: ChartTable) -> str | None:
            kinds = table_kinds(table, cfg.kind_list)
            if cfg.lang not in ("mixed", table.lang):
                return "lang_mismatch"
            if not kinds:
                return "no_suitable_kind"
            return undrawable(content_texts(fit_table(np.random.default_rng(0), table, kinds)))

        found = load_chart_tables(cfg.source).keep(why_not)
        self.tables = [(table, table_kinds(table, cfg.kind_list)) for table in self.use_source(
            found, f"table for --lang {cfg.lang} --kinds {cfg.kinds}",
            "each file needs a header row of series names, then rows of a category label and one number per "
            "series; or widen --lang/--kinds")]

    def _content(self, rng: np.random.Generator, index: int, attempt: int) -> tuple[ChartContent, str | None]:
        if self.tables:
            table, kinds = self.source_item(self.tables, index, attempt)
            return fit_table(rng, table, kinds), table.name
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        return draw_content(rng, lang, self.config.kind_list, self.config.looks), None

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        return one_by_one(self._sample_one, draws)

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        cfg = self.config
        renderer = cfg.renderer if cfg.renderer != "mixed" else ("pyecharts" if rng.random() < 0.5 else "matplotlib")
        content, table = self._content(rng, index, attempt)
        spec = draw_spec(rng, content, exact=table is not None, looks=cfg.looks)
        check_drawable(target_texts(spec), spec.style.font)
        drawn = self._renderers[renderer].render(spec)
        _check_drawn(spec, drawn)
        meta = {"lang": content.lang, "renderer": renderer, "kind": spec.kind, "table": table,
                "target_format": cfg.target_format, "notes": content.notes, "spec": spec.to_dict()}
        return Sample(images=[drawn.image], prompt=PROMPT_FORMAT, target=chart_target(spec, cfg.target_format),
                      task="format", meta=meta)


def redraw(meta: dict[str, Any]) -> Image.Image:
    """A sample's image again, from its meta alone: the spec drawn by its renderer, then its capture."""
    return redrawn(meta).image


def redrawn(meta: dict[str, Any]) -> Rendered:
    """`redraw`, with the texts drawn and where (moved with the image where it was captured)."""
    renderer = MatplotlibChartRenderer() if meta["renderer"] == "matplotlib" else EChartsRenderer()
    drawn = renderer.render(ChartSpec.from_dict(meta["spec"]))
    if not meta.get("capture"):
        return drawn
    return capture.apply(drawn.image, capture.CaptureParams.from_dict(meta["capture"]), drawn.texts)


def undrawable(texts: list[str]) -> str | None:
    """Why no installed face can draw `texts` as written ("script_needs_shaping", "glyphs_missing"), or None."""
    if any(NEEDS_SHAPING.search(t) for t in texts):
        return "script_needs_shaping"
    if not covering_faces(texts, face_keys(cjk=False)):
        return "glyphs_missing"
    return None


def _check_drawn(spec: ChartSpec, drawn: Rendered) -> None:
    """Raise unless every text the target names was drawn (as often as the target names it).

    A text drawn over several lines counts as itself and as each of its lines (a pie's "name\\nvalue").
    """
    shown = Counter(squash(t.text) for t in drawn.texts)
    shown.update(squash(line) for t in drawn.texts if "\n" in t.text for line in t.text.split("\n"))
    missing = [text for text, count in target_texts(spec).items() if shown[text] < count]
    if missing:
        raise SampleError("text_missing", repr(missing[:3]))
