"""How real the built-in charts' content is, measured against real published tables.

    python -m bench.chart_realism [--n 400] [--seed 0]

Time series: windows of 8-16 periods (the lengths built charts have) cut from every series over
time of the real tables of `bench.chart_tables` (40 per table, so a table of 23 series weighs as
much as one of a single series), against the series of n built charts as drawn (values resampled
to their scale). Both are summarised by the median lag-1 autocorrelation and the median share of
steps at which a series changes direction; the goal is within 0.1 of the real figure on both.
Content: every cartesian chart names its unit on the value axis and every pie, donut or radar in
its title (or shows percentages); no pie of periods or places; no line joining unordered
categories; no stack of series that are not parts of one whole (plan and actual, one year and the
next), and a 100% stack's bars each exactly 100; months, weekdays, quarters and age groups in order
and complete (or from their start); a source's scope covers the chart's places.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from bench.chart_tables import write_tables
from engines.base import SampleError, make_rng, pick
from engines.charts.content.builtin import (
    NOT_PARTS,
    RUNS,
    draw_content,
    scope,
    unit_only,
)
from engines.charts.content.topics import TOPICS
from engines.charts.content.values import TIME_POOLS
from engines.charts.content.words import POOLS
from engines.charts.source.tables import load_chart_tables
from engines.charts.spec import KINDS, STACKED
from engines.charts.style import draw_spec
from renderers.errors import RenderError

RESULTS = Path(__file__).resolve().parent / "results"
TOLERANCE = 0.1  # goal: built within this of the real figure on both statistics


def lag1(values: list[float]) -> float | None:
    """The lag-1 autocorrelation of a series (the usual estimator); None for a flat one."""
    v = np.asarray(values, dtype=float)
    d = v - v.mean()
    den = float((d * d).sum())
    return float((d[:-1] * d[1:]).sum() / den) if den > 0 and len(v) > 2 else None


def turn_share(values: list[float]) -> float | None:
    """The share of steps at which a series changes direction (flat steps skipped); None under 3 moves."""
    signs = np.sign(np.diff(values))
    signs = signs[signs != 0]
    return float(np.mean(signs[1:] != signs[:-1])) if len(signs) > 2 else None


def summary(series: list[list[float]]) -> dict:
    """Median lag-1 autocorrelation and direction-change share over the series that have both."""
    pairs = [(lag1(s), turn_share(s)) for s in series]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    return {"series": len(pairs), "lag1": round(statistics.median(a for a, _ in pairs), 3),
            "direction_changes": round(statistics.median(b for _, b in pairs), 3)}


def real_windows(seed: int = 0, per_table: int = 40) -> list[list[float]]:
    """Windows of 8-16 periods from the real tables' series over time, `per_table` from each table."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        write_tables(Path(tmp))
        tables = [t for t in load_chart_tables(tmp).items if t.time]
    windows = []
    for table in tables:
        for _ in range(per_table):
            values = pick(rng, table.series).values
            n = int(rng.integers(8, 17))
            if len(values) >= n:
                start = int(rng.integers(0, len(values) - n + 1))
                windows.append(values[start : start + n])
    return windows


def built_charts(n: int, seed: int) -> list:
    """(content, spec) of n built charts, English and Chinese alternately (failed draws skipped)."""
    out = []
    for index in range(n):
        rng = make_rng(seed, "charts", index)
        try:
            content = draw_content(rng, "zh" if index % 2 else "en", tuple(KINDS))
            out.append((content, draw_spec(rng, content)))
        except (RenderError, SampleError):
            continue
    return out


def _pool_of(labels: list[str], lang: str) -> str | None:
    return next((p for p, words in POOLS.items() if set(labels) <= set(words[lang])), None)


def content_faults(content) -> list[str]:
    """What is wrong with one built chart's content (empty when nothing is)."""
    faults, kind, lang = [], content.kind, content.lang
    cartesian = KINDS[kind][1]
    value_title = content.x_title if kind in ("hbar", "hstacked_bar") else content.y_title
    if cartesian and not value_title:
        faults.append("no_unit")
    if not cartesian and content.number_format.suffix != "%" and not (content.title and unit_only(content.title)):
        faults.append("no_unit")
    pool = _pool_of(content.categories, lang)
    years = all(c.rstrip("年").isdigit() for c in content.categories)
    if kind in ("pie", "donut") and (years or pool in TIME_POOLS or pool in ("countries", "regions", "cities")):
        faults.append("pie_of_non_parts")
    if kind in ("line", "multi_line", "area", "bar_line") and not content.time and pool != "age_groups":
        faults.append("line_of_unordered")
    names = [s.name for s in content.series]
    if kind in STACKED and (_pool_of(names, lang) in NOT_PARTS or all(n.rstrip("年").isdigit() for n in names)):
        faults.append("stack_of_non_parts")
    if content.notes.get("stack") == "percent" and any(
            abs(sum(column) - 100) > 1e-6 for column in zip(*(s.values for s in content.series))):
        faults.append("percent_stack_not_100")
    if pool in RUNS and content.categories != [POOLS[pool][lang][i] for i in RUNS[pool](len(content.categories))
                                               or []]:
        faults.append("incomplete_run")
    topic = next((t for t in TOPICS if t.measure[0] == content.notes.get("topic")), None)
    if topic and content.source:
        where = scope({pool or "", _pool_of(names, lang) or ""}, lang)
        found = [s[2] for s in topic.sources if s[lang == "zh"] == content.source]
        if where and found and found[0] not in (where, "any"):
            faults.append("source_scope")
    return faults


def realism(n: int = 400, seed: int = 0) -> dict:
    charts = built_charts(n, seed)
    built = [s.values for c, spec in charts if c.time and spec.kind not in ("pie", "donut") for s in spec.series]
    real, mine = summary(real_windows(seed)), summary(built)
    faults = Counter(f for c, _ in charts for f in content_faults(c))
    return {"n": n, "seed": seed, "real": real, "built": mine, "tolerance": TOLERANCE,
            "within": all(abs(real[k] - mine[k]) <= TOLERANCE for k in ("lag1", "direction_changes")),
            "charts": len(charts), "content_faults": dict(faults)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="built charts to measure")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = realism(args.n, args.seed)
    real, built = result["real"], result["built"]
    print(f"{'':34} {'lag-1 autocorr.':>16} {'direction changes':>18} {'series':>7}")
    for name, row in (("real published tables (windows)", real), ("built charts", built)):
        print(f"{name:34} {row['lag1']:>16.3f} {row['direction_changes']:>18.3f} {row['series']:>7}")
    print(f"within {TOLERANCE} of real on both: {result['within']}")
    print(f"content faults in {result['charts']} built charts: {result['content_faults'] or 'none'}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "chart_realism.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'chart_realism.json'}")


if __name__ == "__main__":
    main()
