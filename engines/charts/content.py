"""What a chart says (kind, labels, values, titles), drawn from a topic or taken from a user's table.

Everything here ends up in the target, so it is decided before anything about the chart's looks.
Axis titles follow the drawn axes: on a horizontal bar chart the values run along the x axis, so
the unit is the x title; pies and radars have no axes and so no axis titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from engines.charts.text import COMPANY_PARTS, ORDERED, POOLS, SOURCES
from engines.charts.topics import BY_CATEGORY, CATEGORY_TITLES, TOPICS
from engines.charts.values import draw_values
from engines.charts.tables import ChartTable
from engines.charts.spec import KINDS, NumberFormat, Series

# kind -> (fewest, most) categories a built-in chart of that kind gets
CATEGORY_COUNTS = {"bar": (3, 12), "hbar": (3, 10), "grouped_bar": (3, 6), "stacked_bar": (3, 8), "line": (4, 12),
                   "multi_line": (4, 12), "area": (4, 12), "scatter": (4, 12), "bar_line": (4, 10),
                   "pie": (3, 7), "donut": (3, 7), "radar": (5, 8)}
TIME_POOLS = ("years", "months", "quarters", "weekdays", "age_groups")
PLACES = ("countries", "regions", "cities", "areas")
# How often each kind is drawn: bars and lines dominate real reports, but every kind is common enough.
KIND_WEIGHTS = {"bar": 3, "hbar": 2, "grouped_bar": 2, "stacked_bar": 2, "line": 2, "multi_line": 2, "area": 1,
                "scatter": 1, "bar_line": 1, "pie": 2, "donut": 1, "radar": 1}
TITLES = {"en": ["{m} {by}", "{m} {by}, {y}", "{y} {m} {by}", "{m} {by} ({y})", "{m} {by} in {y}"],
          "zh": ["{by}{m}", "{y}年{by}{m}", "{y}年{by}{m}统计", "{by}{m}对比", "{y}年{by}{m}情况"]}


def _pairs(categories: str, series: str) -> bool:
    """Whether series from one pool make sense over categories from another (not cities by country)."""
    return categories != series and not {categories, series} <= set(PLACES)


@dataclass
class ChartContent:
    """Everything a chart's target says, plus its kind and language; the looks come later."""

    kind: str
    categories: list[str]
    series: list[Series]
    number_format: NumberFormat
    lang: str
    title: str | None = None
    source: str | None = None
    x_title: str | None = None
    y_title: str | None = None


def content_texts(content: ChartContent) -> list[str]:
    """Every text of the content a chart may draw: titles, labels and series names."""
    texts = [t for t in (content.title, content.source, content.x_title, content.y_title) if t]
    return texts + list(content.categories) + [s.name for s in content.series]


def pool_size(pool: str, lang: str) -> int:
    """How many distinct labels a pool can give (years and quarters are generated)."""
    if pool in ("years", "quarters"):
        return 24
    return len(COMPANY_PARTS[lang][0]) * len(COMPANY_PARTS[lang][1]) if pool == "companies" else len(POOLS[pool][lang])


def labels(rng: np.random.Generator, pool: str, n: int, lang: str) -> list[str]:
    """n distinct labels from a pool: a consecutive run for time-like pools, a random pick otherwise."""
    zh = lang == "zh"
    if pool == "years":
        start = int(rng.integers(2000, 2026 - n))
        suffix = "年" if zh and rng.random() < 0.5 else ""
        return [f"{year}{suffix}" for year in range(start, start + n)]
    if pool == "quarters" and n > 4:
        start = int(rng.integers(2015 * 4, 2025 * 4 - n))
        return [f"{q // 4}Q{q % 4 + 1}" if zh else f"Q{q % 4 + 1} {q // 4}" for q in range(start, start + n)]
    if pool == "companies":
        first, second = COMPANY_PARTS[lang]
        picks = rng.choice(len(first) * len(second), size=n, replace=False)
        return [f"{first[i // len(second)]}{'' if zh else ' '}{second[i % len(second)]}" for i in picks]
    words = POOLS[pool][lang]
    if pool in ORDERED:
        start = int(rng.integers(0, len(words) - n + 1))
        return words[start : start + n]
    return [words[i] for i in rng.choice(len(words), size=n, replace=False)]


def _title(rng: np.random.Generator, measure: str, pool: str, categories: list[str], lang: str) -> str:
    if pool == "years":
        first, last = categories[0].rstrip("年"), categories[-1].rstrip("年")
        return f"{first}-{last}年{measure}" if lang == "zh" else f"{measure}, {first}-{last}"
    templates = TITLES[lang]
    if re.search(r"\d{4}", categories[0]):
        templates = [t for t in templates if "{y}" not in t]  # the categories already name their years
    template = templates[int(rng.integers(len(templates)))]
    return template.format(m=measure, by=BY_CATEGORY[pool][lang == "zh"], y=int(rng.integers(2015, 2025)))


def draw_content(rng: np.random.Generator, lang: str, kinds: tuple[str, ...]) -> ChartContent:
    """A built-in chart's content: a topic, a kind it suits, labels from its pools and plausible values."""
    zh = lang == "zh"
    weights = np.array([KIND_WEIGHTS[k] for k in kinds], dtype=float)
    kind = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
    topics = [t for t in TOPICS if kind in t.kinds]
    topic = topics[int(rng.integers(len(topics)))]
    (s_lo, s_hi), cartesian = KINDS[kind]
    c_lo, c_hi = CATEGORY_COUNTS[kind]
    pools = [p for p in topic.categories if pool_size(p, lang) >= c_lo
             and (s_lo == 1 or any(_pairs(p, q) and pool_size(q, lang) >= s_lo for q in topic.series))]
    if kind in ("line", "multi_line", "area") and set(pools) & set(TIME_POOLS):
        pools = [p for p in pools if p in TIME_POOLS]  # a line joins points in time, not countries
    pool = pools[int(rng.integers(len(pools)))]
    n = int(rng.integers(c_lo, min(c_hi, pool_size(pool, lang)) + 1))
    categories = labels(rng, pool, n, lang)
    names = [topic.measure[zh]]
    if s_hi > 1:
        series_pools = [p for p in topic.series if _pairs(pool, p) and pool_size(p, lang) >= max(s_lo, 2)]
        n_series = int(rng.integers(s_lo, s_hi + 1))
        if series_pools and n_series > 1:
            series_pool = series_pools[int(rng.integers(len(series_pools)))]
            names = labels(rng, series_pool, min(n_series, pool_size(series_pool, lang)), lang)
    values, fmt = draw_values(rng, topic, kind, len(names), n, lang)
    title = _title(rng, topic.measure[zh], pool, categories, lang) if rng.random() < 0.85 else None
    source = SOURCES[lang][int(rng.integers(len(SOURCES[lang])))] if rng.random() < 0.35 else None
    cat_title = CATEGORY_TITLES[pool][zh] if cartesian and rng.random() < 0.5 else None
    unit = topic.units[int(rng.integers(len(topic.units)))][zh] if cartesian and rng.random() < 0.6 else None
    x_title, y_title = (unit, cat_title) if kind == "hbar" else (cat_title, unit)
    return ChartContent(kind, categories, [Series(m, v) for m, v in zip(names, values)], fmt, lang,
                        title, source, x_title, y_title)


def table_kinds(table: ChartTable, kinds: tuple[str, ...]) -> list[str]:
    """The kinds among `kinds` that can show `table` faithfully (series count, signs, sizes)."""
    n_series, n = len(table.series), len(table.categories)
    values = [v for s in table.series for v in s.values]
    out = []
    for kind in kinds:
        (s_lo, s_hi), _ = KINDS[kind]
        if not s_lo <= n_series <= s_hi:
            continue
        if kind in ("pie", "donut") and (min(values) <= 0 or n > 8 or
                                         (table.number_format.suffix == "%" and abs(sum(values) - 100) > 0.5)):
            continue
        if (kind == "radar" and (min(values) < 0 or not 3 <= n <= 10)) or (kind == "stacked_bar" and min(values) < 0):
            continue
        if (kind == "grouped_bar" and n * n_series > 24) or (kind == "hbar" and n > 12):
            continue
        out.append(kind)
    return out


def table_content(rng: np.random.Generator, table: ChartTable, kinds: list[str]) -> ChartContent:
    """A user's table as chart content, in one of the kinds that suit it (`table_kinds`)."""
    kind = kinds[int(rng.integers(len(kinds)))]
    cartesian = KINDS[kind][1]
    x_title, y_title = (table.y_title, table.x_title) if kind == "hbar" else (table.x_title, table.y_title)
    return ChartContent(kind, list(table.categories), [Series(s.name, list(s.values)) for s in table.series],
                        table.number_format, table.lang, table.title, table.source,
                        x_title if cartesian else None, y_title if cartesian else None)
