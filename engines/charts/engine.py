"""The `charts` engine, after OneChart: charts drawn by matplotlib or ECharts, read back as a python-dict.

A sample is a chart image with the prompt `OCR with format: ` and, as target, the chart's data in
OneChart's dict: `{"title", "source", "x_title", "y_title", "values"}`, "None" for what the chart
does not show, `values` flat (`{label: value}`) for one series and nested (`{series: {label:
value}}`) for several. Numbers are written as the chart shows them: bare numbers as JSON number
tokens with the shown digits ("12.50"), numbers with a unit as strings ("12.5%"), so the text is
valid JSON and a valid Python literal at once.

The content comes from built-in topics (no download) or, with `--source`, from the user's CSV
tables (`engines.charts.tables`), table `index % len(tables)` for sample `index` (another table
when a retry follows a failed draw, so one table that cannot be drawn never fails an index). After
rendering, every title, label and data label the target names is looked up among the texts the
renderer reports having drawn; a chart where one is missing fails as a sample instead of
teaching the model to read what is not there; so does one whose texts the chosen font cannot
draw (empty boxes) or that needs script shaping.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engines.base import Engine, EngineConfig, Resources, Sample, SampleError, source_index
from engines.charts.content import ChartContent, content_texts, draw_content, table_content, table_kinds
from engines.charts.style import draw_spec
from engines.charts.tables import ChartTable, load_chart_tables
from engines.charts.spec import KINDS, ChartSpec
from engines.charts.echarts import EChartsRenderer
from renderers.errors import RenderError
from engines.charts.mpl_chart import MatplotlibChartRenderer
from renderers.fonts import NEEDS_SHAPING, check_drawable, covering_faces, face_keys
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

RENDERERS = ("mixed", "matplotlib", "pyecharts")
LANGS = ("mixed", "en", "zh")


@dataclass
class ChartsConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a CSV/TSV file or a folder of them to chart instead of the built-in topics: a header row "
                "(category column name, then series names), rows of a label and numbers, optional "
                "'# title:', '# source:', '# x_title:', '# y_title:' lines; unusable files are skipped and counted"})
    renderer: str = field(default="mixed", metadata={
        "help": "mixed (half matplotlib, half pyecharts, drawn per sample), matplotlib or pyecharts"})
    lang: str = field(default="mixed", metadata={
        "help": "mixed (half each), en or zh: the language of titles and labels; with --source, "
                "keeps only tables in that language"})
    kinds: str = field(default="all", metadata={
        "help": f"comma-separated chart kinds to draw, or all: {', '.join(KINDS)}"})

    @property
    def kind_list(self) -> tuple[str, ...]:
        return tuple(KINDS) if self.kinds == "all" else tuple(k.strip() for k in self.kinds.split(","))

    def validate(self) -> None:
        if self.renderer not in RENDERERS:
            raise ValueError(f"--renderer {self.renderer!r} is not one of {', '.join(RENDERERS)}; pick one of them")
        if self.lang not in LANGS:
            raise ValueError(f"--lang {self.lang!r} is not one of {', '.join(LANGS)}; pick one of them")
        unknown = [k for k in self.kind_list if k not in KINDS]
        if unknown or not self.kind_list:
            raise ValueError(f"--kinds: unknown chart kind(s) {unknown}; use 'all' or a comma-separated "
                             f"list of: {', '.join(KINDS)}")
        if self.source is not None and not Path(self.source).exists():
            raise ValueError(f"--source {self.source}: no such file or folder; give a CSV/TSV file or a folder of them")


def _value(spec: ChartSpec, series: int, index: int) -> str:
    shown = spec.label(series, index)
    return shown if spec.number_format.plain else json.dumps(shown, ensure_ascii=False)


def chart_target(spec: ChartSpec) -> str:
    """The target text: OneChart's dict, keys in order, values exactly as the chart shows them."""
    def text(value: str | None) -> str:
        return json.dumps(value or "None", ensure_ascii=False)

    def flat(s: int) -> str:
        return "{" + ", ".join(f"{text(c)}: {_value(spec, s, i)}" for i, c in enumerate(spec.categories)) + "}"

    if len(spec.series) == 1:
        values = flat(0)
    else:
        values = "{" + ", ".join(f"{text(s.name)}: {flat(k)}" for k, s in enumerate(spec.series)) + "}"
    fields = [("title", spec.title), ("source", spec.source), ("x_title", spec.x_title), ("y_title", spec.y_title)]
    return "{" + ", ".join([f'"{key}": {text(value)}' for key, value in fields] + [f'"values": {values}']) + "}"


def target_texts(spec: ChartSpec) -> Counter:
    """Every string the target names that the image must show, with how often it must appear."""
    needed = Counter(t for t in (spec.title, spec.source, spec.x_title, spec.y_title) if t)
    needed.update(spec.categories)
    if len(spec.series) > 1:
        needed.update(s.name for s in spec.series)
    if spec.data_labels:
        needed.update(spec.label(s, i) for s in range(len(spec.series)) for i in range(len(spec.categories)))
    return needed


class ChartsEngine(Engine):
    """Charts of 12 kinds in English and Chinese, rendered half by matplotlib and half by ECharts."""

    name = "charts"
    Config = ChartsConfig
    # One worker keeps about 1.3 cores busy with mixed renderers (Chromium renders beside it) and
    # peaks near 850 MiB with its browser (bench.build).
    resources = Resources(cpus=1.0, memory_mb=1024)
    packages = ("matplotlib", "pyecharts", "playwright")

    def __init__(self, config: ChartsConfig | None = None) -> None:
        super().__init__(config)
        self.tables: list[tuple[ChartTable, list[str]]] = []  # (ChartTable, kinds that can show it)
        if self.config.source:
            self._load_tables()
        self._renderers = {"matplotlib": MatplotlibChartRenderer(), "pyecharts": EChartsRenderer()}

    def _load_tables(self) -> None:
        cfg = self.config
        found = load_chart_tables(cfg.source)
        self.skipped.update(found.skipped)
        for table in found.tables:
            kinds = table_kinds(table, cfg.kind_list)
            if cfg.lang not in ("mixed", table.lang):
                self.skipped["lang_mismatch"] += 1
            elif not kinds:
                self.skipped["no_suitable_kind"] += 1
            elif why := undrawable(content_texts(table_content(np.random.default_rng(0), table, kinds))):
                self.skipped[why] += 1
            else:
                self.tables.append((table, kinds))
        if not self.tables:
            reasons = ", ".join(f"{k}={v}" for k, v in sorted(self.skipped.items()))
            raise ValueError(f"--source {cfg.source}: no table can be drawn with --lang {cfg.lang} --kinds {cfg.kinds} "
                             f"(skipped: {reasons}); widen --lang/--kinds or fix the tables")

    def _content(self, rng: np.random.Generator, index: int, attempt: int) -> tuple[ChartContent, str | None]:
        if self.tables:
            table, kinds = self.tables[source_index(len(self.tables), index, attempt)]
            return table_content(rng, table, kinds), table.name
        lang = self.config.lang if self.config.lang != "mixed" else ("zh" if rng.random() < 0.5 else "en")
        return draw_content(rng, lang, self.config.kind_list), None

    def sample(self, rng: np.random.Generator, index: int, attempt: int = 0) -> Sample:
        cfg = self.config
        renderer = cfg.renderer if cfg.renderer != "mixed" else ("pyecharts" if rng.random() < 0.5 else "matplotlib")
        content, table = self._content(rng, index, attempt)
        spec = draw_spec(rng, content)
        try:
            check_drawable(target_texts(spec), spec.style.font)
            drawn = self._renderers[renderer].render(spec)
        except RenderError as exc:
            raise SampleError(exc.reason, exc.excerpt) from exc
        _check_drawn(spec, drawn)
        meta = {"lang": content.lang, "renderer": renderer, "kind": spec.kind, "table": table,
                "spec": spec.to_dict()}
        return Sample(images=[drawn.image], prompt=PROMPT_FORMAT, target=chart_target(spec), task="format", meta=meta)

    def describe(self) -> dict[str, Any]:
        """The config, plus how many --source tables are used and how many were skipped, by reason."""
        info = super().describe()
        if self.config.source:
            info.update(tables=len(self.tables), skipped=dict(sorted(self.skipped.items())))
        return info


def undrawable(texts: list[str]) -> str | None:
    """Why no installed face can draw `texts` as written ("script_needs_shaping", "glyphs_missing"), or None."""
    if any(NEEDS_SHAPING.search(t) for t in texts):
        return "script_needs_shaping"
    if not covering_faces(texts, face_keys(cjk=False)):
        return "glyphs_missing"
    return None


def _check_drawn(spec: ChartSpec, drawn: Rendered) -> None:
    """Raise unless every text the target names was drawn (as often as the target names it)."""
    shown = Counter(t.text for t in drawn.texts)
    missing = [text for text, count in target_texts(spec).items() if shown[text] < count]
    if missing:
        raise SampleError("text_missing", repr(missing[:3]))
