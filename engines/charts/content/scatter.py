"""Numeric scatter plots: points relating two measures, both read off labelled value scales.

Real reports plot one measure against another (advertising against sales, income against life
expectancy); a category axis cannot show that. Each point's x is drawn on a grid of the x scale's
reading unit (`readable.settle`), so the x a target gives a point under is the x a reader finds on
the scale; y follows the pair's relation (`topics.PAIRS`) with noise.
"""

from __future__ import annotations

import numpy as np

from engines.base import pick
from engines.charts.content.model import ChartContent
from engines.charts.content.topics import PAIRS
from engines.charts.layout.axes import make_axis
from engines.charts.layout.readable import decimals_of, settle
from engines.charts.spec import NumberFormat, Series


def numeric_scatter(rng: np.random.Generator, lang: str) -> ChartContent:
    """Points relating two measures (`topics.PAIRS`), x on a labelled value scale, one value per point."""
    zh = lang == "zh"
    pair = pick(rng, PAIRS)
    lo, hi = pair.x_range
    raw = np.sort(rng.uniform(lo, hi, int(rng.integers(8, 21))))
    (snapped,), step = settle([list(raw)], lambda rows: make_axis(NumberFormat(), min(rows[0]), max(rows[0])))
    xs = np.array(sorted(set(snapped)))  # points snapped onto one reading unit become one
    y0, y1 = pair.y_range
    ys = y0 + (xs - lo) / (hi - lo) * (y1 - y0) + rng.normal(0, pair.noise * abs(y1 - y0), len(xs))
    decimals = decimals_of(step)
    x_format = NumberFormat(decimals)
    top = float(np.abs(ys).max())
    fmt = NumberFormat(0 if top >= 100 else 1 if top >= 10 else 2)
    x_values = [round(float(x), decimals) + 0.0 for x in xs]
    title = pair.title[zh] if rng.random() < 0.85 else None
    source = pick(rng, pair.sources)[zh] if rng.random() < 0.4 else None
    return ChartContent("scatter", [x_format.text(x) for x in x_values],
                        [Series(pair.y_title[zh], [round(float(y), fmt.decimals) + 0.0 for y in ys])], fmt, lang,
                        title, source, pair.x_title[zh], pair.y_title[zh], x_values=x_values, x_format=x_format,
                        notes={"scatter": "numeric"})
