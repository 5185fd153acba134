"""A user's table fitted to one chart: a kind that can show it, the series it can hold, a window of rows.

A real table rarely fits a chart as it is: 90 rows of monthly data, ten series, labels of fifty
characters. Rather than refuse it, a chart shows what it legibly can: the first series its kind
holds (the rest dropped and noted), and a contiguous window of rows (a time series stays a run of
consecutive periods, oldest first). Every value kept is the table's own, printed as a data label.
What was left out is recorded in `notes`, which the sample's meta carries.
"""

from __future__ import annotations

import re

import numpy as np

from engines.base import pick
from engines.charts.content.model import ChartContent
from engines.charts.content.values import apart
from engines.charts.source.tables import ChartTable
from engines.charts.spec import HORIZONTAL, KINDS, STACKED

# kind -> most rows a chart of that kind shows with every value labelled
ROWS = {"bar": 14, "hbar": 12, "grouped_bar": 8, "stacked_bar": 10, "hstacked_bar": 8, "line": 12,
        "multi_line": 8, "area": 10, "scatter": 10, "bar_line": 10, "pie": 7, "donut": 7}
TIME_ONLY = ("line", "multi_line", "area", "bar_line")  # a line joins points in time, not countries
POSITIVE = ("pie", "donut") + STACKED
# Words of a title or header that mark a quantity whose values do not add up across series (never stacked).
NOT_ADDITIVE = re.compile(r"average|mean|median|rate|\bper\b|index|price|ratio|°|temperature|yield|concentration|"
                          r"expectancy|growth|平均|均价|率|指数|价格|气温|浓度", re.IGNORECASE)
# How much likelier a kind is for a time series (lines, then bars) or for categories (bars first).
TIME_WEIGHTS = {"line": 4, "multi_line": 4, "area": 2, "bar_line": 2, "bar": 2, "grouped_bar": 1, "stacked_bar": 1}
CATEGORY_WEIGHTS = {"bar": 3, "hbar": 3, "grouped_bar": 2, "stacked_bar": 1, "hstacked_bar": 1, "pie": 2, "donut": 1}


def additive(table: ChartTable) -> bool:
    """Whether the table's series add up (counts, amounts) rather than being rates, averages or prices."""
    texts = [table.title or "", table.y_title or ""] + [s.name for s in table.series]
    return table.number_format.suffix != "%" and not any(NOT_ADDITIVE.search(t) for t in texts)


def table_kinds(table: ChartTable, kinds: tuple[str, ...]) -> list[str]:
    """The kinds among `kinds` that can show `table` faithfully (signs, time order, shares, apart series,
    stacks only of additive quantities).

    Radars are left out: a table's exact values need data labels, which a radar does not carry.
    """
    values = [v for s in table.series for v in s.values]
    out = []
    for kind in kinds:
        (s_lo, _), _ = KINDS[kind]
        if kind == "radar" or len(table.series) < s_lo or (kind in TIME_ONLY and not table.time):
            continue
        if kind in POSITIVE and min(values) <= 0 or (kind in STACKED and not additive(table)):
            continue
        if kind in ("pie", "donut") and (len(table.categories) > ROWS[kind] or
                                         (table.number_format.suffix == "%" and abs(sum(table.series[0].values) - 100)
                                          > 0.5)):
            continue
        if kind in ("multi_line", "area", "scatter") and not apart([s.values for s in table.series[:KINDS[kind][0][1]]],
                                                                   kind):
            continue
        out.append(kind)
    return out


def fit_table(rng: np.random.Generator, table: ChartTable, kinds: list[str]) -> ChartContent:
    """`table` as the content of one chart of a kind among `kinds` (from `table_kinds`)."""
    kind = pick(rng, kinds, [(TIME_WEIGHTS if table.time else CATEGORY_WEIGHTS).get(k, 1) for k in kinds])
    most = KINDS[kind][0][1]
    notes = dict(table.notes)
    series = table.series[:most]
    if len(table.series) > most:
        notes["dropped_series"] = notes.get("dropped_series", []) + [s.name for s in table.series[most:]]
    n = len(table.categories)
    rows = min(n, ROWS[kind] if kind != "grouped_bar" else max(3, 24 // len(series)))
    start = 0
    if rows < n:
        start = n - rows if table.time and rng.random() < 0.5 else int(rng.integers(0, n - rows + 1))
        notes["window"] = [start, start + rows]
        notes["rows"] = n
    horizontal = kind in HORIZONTAL
    cartesian = KINDS[kind][1]
    x_title, y_title = (table.y_title, table.x_title) if horizontal else (table.x_title, table.y_title)
    return ChartContent(kind, list(table.categories[start:start + rows]),
                        [type(s)(s.name, list(s.values[start:start + rows])) for s in series],
                        table.number_format, table.lang, table.title, table.source,
                        x_title if cartesian else None, y_title if cartesian else None, time=table.time, notes=notes)
