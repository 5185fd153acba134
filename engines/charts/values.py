"""The numbers of a built-in chart: their format (decimals, "%", currency) and plausible values.

Values are drawn already rounded to the chart's decimals, so the number a chart shows, the number
in its target and the number stored in its spec are one and the same. A chart has one magnitude
(its largest value is drawn from the topic's range, the rest follow a trend, a season or noise
below it); parts of a whole that are percentages add up to exactly 100.
"""

from __future__ import annotations

import numpy as np

from engines.charts.topics import Topic
from engines.charts.spec import NumberFormat


def draw_format(rng: np.random.Generator, topic: Topic, lang: str, top: float) -> NumberFormat:
    """Decimals by the topic (or by the size of the largest value), "%" for percentages, maybe a currency."""
    if topic.decimals:
        decimals = int(rng.choice(topic.decimals))
    elif top >= 1000:
        decimals = 0
    elif top >= 100:
        decimals = int(rng.choice([0, 0, 1]))
    elif top >= 10:
        decimals = int(rng.choice([0, 1, 1, 2]))
    else:
        decimals = int(rng.choice([1, 2])) if top >= 1 else int(rng.choice([2, 3]))
    prefix = topic.currency[lang == "zh"] if topic.currency[0] and rng.random() < 0.35 else ""
    return NumberFormat(decimals, prefix, "%" if topic.percent else "")


def shares(rng: np.random.Generator, n: int, total: float, decimals: int) -> list[float]:
    """n positive parts of `total` (each at least ~1/(4n) of it) that add up to exactly `total` when rounded."""
    weights = 0.75 * rng.dirichlet(np.full(n, 2.0)) + 0.25 / n
    unit = 10.0**-decimals
    counts = np.floor(weights * total / unit).astype(np.int64)
    remainder = weights * total / unit - counts
    for i in np.argsort(-remainder, kind="stable")[: round(total / unit) - int(counts.sum())]:
        counts[i] += 1
    return [round(int(c) * unit, decimals) for c in counts]


def _shape(rng: np.random.Generator, n: int) -> np.ndarray:
    """One series' relative values in (0, 1]: a trend, a seasonal wave or plain noise."""
    k = np.arange(n) / max(n - 1, 1)
    pattern = rng.integers(3)
    if pattern == 0:
        a, b = rng.uniform(0.25, 1.0, size=2)
        values = (a + (b - a) * k) * (1 + 0.08 * rng.standard_normal(n))
    elif pattern == 1:
        values = (0.65 + 0.3 * np.sin(2 * np.pi * k + rng.uniform(0, 2 * np.pi))) * (1 + 0.05 * rng.standard_normal(n))
    else:
        values = rng.uniform(0.25, 1.0, size=n)
    values = np.clip(values, 0.05, None)
    return values / values.max()


def draw_values(rng: np.random.Generator, topic: Topic, kind: str, n_series: int, n: int,
                lang: str) -> tuple[list[list[float]], NumberFormat]:
    """Values for `n_series` series over `n` categories, and the format they are shown in."""
    top = float(10.0 ** rng.uniform(*topic.magnitude))
    fmt = draw_format(rng, topic, lang, top)
    if kind in ("pie", "donut") or (topic.share and topic.percent):
        total = 100.0 if topic.percent else top * n * 0.6
        return [shares(rng, n, total, fmt.decimals) for _ in range(n_series)], fmt
    rows = []
    for s in range(n_series):
        values = _shape(rng, n) * top * (1.0 if s == 0 else rng.uniform(0.45, 1.0))
        if kind == "stacked_bar":
            values = np.maximum(values, 0.2 * top)
        elif kind == "radar":
            values = np.maximum(values, 0.35 * top)
        elif topic.negatives and rng.random() < 0.6:
            values = values - top * rng.uniform(0.15, 0.6)
        rows.append(values)
    scale = top / float(max(np.abs(r).max() for r in rows))
    unit = 10.0**-fmt.decimals
    out = []
    for row in rows:
        rounded = [round(float(v) * scale, fmt.decimals) for v in row]
        if kind in ("stacked_bar", "radar"):
            rounded = [max(v, unit) for v in rounded]
        out.append([v + 0.0 for v in rounded])  # + 0.0 turns a rounded -0.0 into 0.0
    return out, fmt
