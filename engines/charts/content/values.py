"""The numbers of a built-in chart: their format (decimals, "%", currency) and plausible values.

Values are drawn already rounded to the chart's decimals, so the number a chart shows, the number
in its target and the number stored in its spec are one and the same. Over time (years, quarters,
months, weekdays) a series is a trend plus a seasonal cycle plus autocorrelated noise, as
published series are (`bench.chart_realism`: windows of the real tables have a median lag-1
autocorrelation of about 0.6 and turn at a third of steps); across places or products values are
independent. A chart has one magnitude: all its series are mapped jointly into the topic's range by one affine map (from a positive
smallest value, a topic's `swing` below the largest, for quantities that cannot be negative), so no
value is ever clipped to a floor. Places with real figures take them (`facts`). Temperatures and
rainfall follow the cities' climates (`climate`). Parts of a whole that are percentages add up to
exactly 100.
"""

from __future__ import annotations

import math
import re

import numpy as np

from engines.base import SampleError, pick
from engines.charts.content import climate, facts
from engines.charts.content.topics import Topic
from engines.charts.content.words import POOLS
from engines.charts.spec import ChartSpec, NumberFormat
from renderers.errors import RenderError

PERIODS = {"months": 12, "quarters": 4, "weekdays": 7}
TIME_POOLS = ("years", "months", "quarters", "weekdays")
LINES = ("line", "multi_line", "area", "scatter", "radar")  # kinds whose series could hide each other
HIDE = 0.01  # share of the value range within which two points of a chart as drawn lie on top of each other
YEAR = re.compile(r"(19|20)\d\d")
HIDE_DRAW = 0.02  # the same, for values still to be resampled (which moves each by up to ~1% of the range)


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


def finer(fmt: NumberFormat, span: float) -> NumberFormat:
    """`fmt` with enough decimals that a chart's range holds at least 40 steps of its last digit."""
    needed = math.ceil(-math.log10(span / 40)) if span > 0 else 0
    return fmt if needed <= fmt.decimals else NumberFormat(min(needed, 6), fmt.prefix, fmt.suffix)


def shares(rng: np.random.Generator, n: int, total: float, decimals: int) -> list[float]:
    """n positive parts of `total` (each at least ~1/(4n) of it) that add up to exactly `total` when rounded."""
    return rounded_parts(0.75 * rng.dirichlet(np.full(n, 2.0)) + 0.25 / n, total, decimals)


def rounded_parts(weights: np.ndarray, total: float, decimals: int) -> list[float]:
    """`total` split in proportion to `weights`, rounded to `decimals` so the parts still add up (largest remainder)."""
    unit = 10.0**-decimals
    exact = np.asarray(weights, dtype=float) / float(np.sum(weights)) * total / unit
    counts = np.floor(exact).astype(np.int64)
    for i in np.argsort(-(exact - counts), kind="stable")[: round(total / unit) - int(counts.sum())]:
        counts[i] += 1
    return [round(int(c) * unit, decimals) for c in counts]


def time_shapes(rng: np.random.Generator, n: int, pool: str, n_series: int) -> np.ndarray:
    """(n_series, n) unitless series over time: a shared trend and season, each with its own level and noise.

    The noise's size and persistence are set so that built series, as charts show them, match the
    real published tables on lag-1 autocorrelation and the share of steps that change direction
    (`bench.chart_realism`; a smoother series would turn at a quarter of steps, real ones at a third).
    """
    t = np.arange(n, dtype=float)
    period = PERIODS.get(pool) or float(rng.uniform(5, 10))  # years: a business cycle
    amp = {"months": rng.uniform(0.2, 0.7), "quarters": rng.uniform(0.0, 0.2), "weekdays": rng.uniform(0.2, 0.6)}.get(
        pool, rng.uniform(0.0, 0.35))  # a quarterly season flips sign every other step: kept mild
    season = amp * np.sin(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi))
    trend = rng.choice([-1.0, 1.0]) * rng.uniform(0.6, 2.0) * t / max(n - 1, 1)
    rows = []
    for _ in range(n_series):
        noise = np.zeros(n)
        shocks = rng.normal(0, rng.uniform(0.06, 0.25), n)
        for k in range(n):
            noise[k] = 0.55 * (noise[k - 1] if k else 0.0) + shocks[k]
        own = rng.normal(0, 0.4) * t / max(n - 1, 1)
        rows.append(rng.normal(0, 0.6) + trend + own + season * rng.uniform(0.6, 1.2) + noise)
    return np.array(rows)


def _climate(topic: Topic, pool: str, categories: list[str], names: list[str], lang: str,
             rng: np.random.Generator) -> np.ndarray:
    """Each series' values from the cities' climates: months of one city per series, or one value per city."""
    value = climate.temperature if topic.climate == "temperature" else climate.rainfall
    spread = 0.8 if topic.climate == "temperature" else 0.12
    if pool == "months":
        months = [POOLS["months"][lang].index(c) for c in categories]
        rows = [[value(city, m) for m in months] for city in names]
    else:
        rows = [[value(city, None) for city in categories]]
    base = np.array(rows, dtype=float)
    noise = rng.normal(0, spread, base.shape) * (1 if topic.climate == "temperature" else np.abs(base))
    return base + noise


def _joint(rng: np.random.Generator, z: np.ndarray, top: float, positive: bool, negatives: bool,
           swing: tuple[float, float]) -> np.ndarray:
    """One affine map of every series into the chart's range: the largest value becomes `top`, the
    smallest `top` less a `swing` share of it (or a negative value, for quantities that may be)."""
    low = top * (1 - rng.uniform(*swing)) if positive or not negatives else -top * rng.uniform(0.15, 0.8)
    return low + (z - z.min()) / (float(z.max() - z.min()) or 1.0) * (top - low)


def apart(rows: list[list[float]], kind: str) -> bool:
    """Whether no two series could be mistaken for one another (they rarely lie within 3% of the range)
    and none hides another (`hiding`, with a margin of 2% for the resampling still to come)."""
    if kind not in LINES or len(rows) < 2:
        return True
    a = np.array(rows)
    tol = 0.03 * (float(a.max() - a.min()) or 1.0)
    return (all(np.mean(np.abs(a[i] - a[j]) < tol) < 0.34 for i in range(len(a)) for j in range(i + 1, len(a)))
            and hiding(rows, kind, HIDE_DRAW) is None)


def hiding(rows: list[list[float]], kind: str, share: float = HIDE) -> tuple[int, int, int] | None:
    """(series, series, category) where one series of points would hide another, or None.

    Two scatter points within `share` of the value range at one category lie on top of each other;
    two lines (areas, radar polygons) within it at two neighbouring categories run on top of each other
    for a whole segment, so one of them is not seen there. Lines merely crossing at a point stay apart.
    """
    if kind not in LINES or len(rows) < 2:
        return None
    a = np.array(rows)
    close_at = np.abs(a[:, None, :] - a[None, :, :]) <= share * (float(a.max() - a.min()) or 1.0)
    if kind != "scatter":
        after = np.roll(close_at, -1, axis=2) if kind == "radar" else np.concatenate(
            [close_at[:, :, 1:], np.zeros_like(close_at[:, :, :1])], axis=2)
        close_at &= after
    for i, j, k in zip(*np.nonzero(close_at)):
        if i < j:
            return int(i), int(j), int(k)
    return None


def check_apart(spec: ChartSpec) -> None:
    """Raise unless no series of the chart as drawn (values resampled to its scale) hides another.

    Raises:
        RenderError: "series_overlap", naming the two series and the category.
    """
    found = hiding([s.values for s in spec.series], spec.kind)
    if found is not None:
        i, j, k = found
        raise RenderError("series_overlap", f"{spec.series[i].name!r} and {spec.series[j].name!r} "
                                            f"at {spec.categories[k]!r}")


def year_of(label: str) -> int:
    """The year a label names ("2015", "2015年", "Q3 2015", "2015Q3"), else the year of the figures."""
    found = YEAR.search(label)
    return int(found.group(0)) if found else facts.YEAR


def _facts(rng: np.random.Generator, topic: Topic, pool: str, categories: list[str], names: list[str],
           lang: str, place: str | None = None) -> tuple[np.ndarray, NumberFormat, str] | None:
    """Values from the places' real figures (`facts`), their format and axis title; None where the chart
    names no place with figures (exports of products). `place` is the country a chart over years is of."""
    if topic.facts == "population" and pool == "years" and place:  # one country's people over the years
        title, per, decimals = facts.POPULATION_UNITS[lang]["countries"]
        men = rng.uniform(0.485, 0.515) + rng.normal(0, 0.0005, len(categories))  # the share of men drifts little
        gender = {POOLS["genders"][lang][0]: men, POOLS["genders"][lang][1]: 1 - men}
        rows = [np.array([facts.population(place, year_of(c)) for c in categories]) * gender.get(name, 1.0)
                for name in names]
        return np.array(rows) * np.exp(rng.normal(0, 0.001, (len(names), len(categories)))) / per, \
            NumberFormat(decimals), title
    if topic.facts == "population" and pool in facts.POPULATION_UNITS[lang]:
        title, per, decimals = facts.POPULATION_UNITS[lang][pool]
        men = rng.uniform(0.485, 0.515, len(categories))  # the share of men
        gender = {POOLS["genders"][lang][0]: men, POOLS["genders"][lang][1]: 1 - men}
        rows = [np.array([facts.population(c, year_of(name)) for c in categories]) * gender.get(name, 1.0)
                for name in names]
        return np.array(rows) * np.exp(rng.normal(0, 0.003, (len(names), len(categories)))) / per, \
            NumberFormat(decimals), title
    if topic.facts == "energy":
        return _energy(rng, pool, categories, names, lang)
    if topic.facts == "pm25":
        return _pm25(rng, pool, categories, names, lang)
    if topic.facts == "exports":
        per = 0.1 if lang == "zh" else 1.0  # 亿美元 or $ billion
        if pool == "years" and place:  # one country's exports over the years
            return np.array([[facts.exports(place, year_of(c)) / per * np.exp(rng.normal(0, 0.04))
                              for c in categories]]), NumberFormat(0), None
        if pool != "countries":
            return None
        drift = {name: rng.normal(0, 0.08) for name in names}  # one year's trade off the steady path
        rows = [[facts.exports(c, year_of(name)) / per * np.exp(drift[name] + rng.normal(0, 0.03)) for c in categories]
                for name in names]
        return np.array(rows), NumberFormat(0), None
    if topic.facts != "gdp_growth":
        return None
    if pool in ("countries", "regions"):  # one value per place and series (2023's, or a year's)
        spread = [(0.3 if name == topic.measure[lang == "zh"] else 1.5) for name in names]
        rows = [[facts.gdp_growth(c, year_of(name)) + rng.normal(0, s + (c in facts.STATES)) for c in categories]
                for name, s in zip(names, spread)]  # a state only has its country's figure: a point either side
    elif pool in TIME_POOLS and all(facts.has_growth(name) for name in names):
        z = time_shapes(rng, len(categories), pool, len(names))
        z = (z - z.mean(axis=1, keepdims=True)) / (z.std(axis=1, keepdims=True) + 1e-9)
        rows = [np.array([facts.gdp_growth(name, year_of(c)) for c in categories]) + rng.uniform(0.8, 2.0) * row
                for name, row in zip(names, z)]
    else:
        return None
    return np.array(rows), NumberFormat(1, "", "%"), _pick_unit(rng, topic, lang)


def _energy(rng: np.random.Generator, pool: str, categories: list[str], names: list[str],
            lang: str) -> tuple[np.ndarray, NumberFormat, None] | None:
    """Generation by source from its real figures (`facts.ENERGY`): sources over years as they grew (solar
    from nearly nothing, coal slowly), sources in one year in the real mix, the total over years as the
    mix's sum; 1.5% of noise (a year off the steady path: a total rose every year but 2009, not 3% up and down)."""
    if pool == "energy":
        rows = [[facts.generation(c, year_of(name)) for c in categories] for name in names]
    elif pool == "years" and all(name in facts.ENERGY for name in names):
        rows = [[facts.generation(name, year_of(c)) for c in categories] for name in names]
    elif pool == "years" and len(names) == 1:  # the total: the world's (English) or China's (Chinese) mix
        mix = facts.MIXES["煤炭" if lang == "zh" else "Coal"]
        rows = [[sum(facts.generation(s, year_of(c)) for s in mix) for c in categories]]
    else:
        return None
    return np.array(rows) * np.exp(rng.normal(0, 0.015, (len(names), len(categories)))), NumberFormat(0), None


def _pm25(rng: np.random.Generator, pool: str, categories: list[str], names: list[str],
          lang: str) -> tuple[np.ndarray, NumberFormat, None] | None:
    """Cities' PM2.5 from their annual means (`facts.PM25`: London about 10 µg/m³, not 16; Beijing 32): one value
    per city, or each city's months (higher in winter) or weekdays, with 8% of noise; None where no city is named."""
    if pool == "cities":
        rows = [[facts.pm25(c) for c in categories] for _ in names]
    elif pool in ("months", "weekdays") and all(name in facts.PM25 for name in names):
        months = [POOLS["months"][lang].index(c) if pool == "months" else None for c in categories]
        rows = [[facts.pm25(name, m) for m in months] for name in names]
    else:
        return None
    return np.array(rows) * np.exp(rng.normal(0, 0.08, (len(names), len(categories)))), NumberFormat(0), None


def _pick_unit(rng: np.random.Generator, topic: Topic, lang: str) -> str:
    return pick(rng, topic.units)[lang == "zh"]


def draw_values(rng: np.random.Generator, topic: Topic, kind: str, pool: str, categories: list[str],
                names: list[str], lang: str, place: str | None = None,
                axis: str | None = None) -> tuple[list[list[float]], NumberFormat, str | None]:
    """Values for series `names` over `categories` (from `pool`), the format they are shown in, and
    the value axis title when the values fix it (a population in millions), else None; `place` is the one
    place a chart over time is of (its figures then); `axis` the value axis title picked, whose unit sets
    the magnitude (`Topic.magnitude_of`)."""
    n, n_series = len(categories), len(names)
    top = float(10.0 ** rng.uniform(*topic.magnitude_of(axis, lang)))
    found = _facts(rng, topic, pool, categories, names, lang) if topic.facts and kind in ("pie", "donut") else None
    if found is not None:  # a real mix's parts, in the topic's unit
        return [[round(float(v), found[1].decimals) + 0.0 for v in row] for row in found[0]], found[1], found[2]
    if kind in ("pie", "donut") or (topic.share and topic.percent):
        fmt = draw_format(rng, topic, lang, top)
        total = 100.0 if topic.percent else top * n * 0.6
        return [shares(rng, n, total, fmt.decimals) for _ in range(n_series)], fmt, None
    for _ in range(8):
        unit = None
        found = _facts(rng, topic, pool, categories, names, lang, place) if topic.facts else None
        if found is not None:
            values, fmt, unit = found
        elif topic.climate:
            values = _climate(topic, pool, categories, names, lang, rng)
        else:
            if pool in TIME_POOLS:
                z = time_shapes(rng, n, pool, n_series)
            else:
                z = rng.normal(0, 0.5, (n_series, n)) + rng.normal(0, 0.3, (n_series, 1))
            positive = kind in ("stacked_bar", "hstacked_bar", "radar") or not topic.negatives or rng.random() < 0.4
            values = _joint(rng, z, top, positive, topic.negatives, topic.swing)
        if found is None:
            fmt = draw_format(rng, topic, lang, float(np.abs(values).max()))
        fmt = finer(fmt, float(values.max() - values.min()))
        rows = [[round(float(v), fmt.decimals) + 0.0 for v in row] for row in values]
        if apart(rows, kind) and (min(min(r) for r in rows) > 0 or kind not in ("stacked_bar", "hstacked_bar",
                                                                                   "radar")):
            return rows, fmt, unit
    raise SampleError("series_indistinct", f"{names} of {topic.measure[0]} keep lying on top of each other")
