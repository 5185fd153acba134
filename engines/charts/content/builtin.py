"""What a built-in chart says (kind, labels, values, titles), drawn from a topic.

Everything here ends up in the target, so it is decided before anything about the chart's looks.
Axis titles follow the drawn axes: on a horizontal bar chart the values run along the x axis, so
the unit is the x title; pies and radars have no axes and so no axis titles. Titles agree with the
data (a chart whose categories or series are years never gets another year in its title), the
source note is one that publishes the topic, and only additive topics are ever stacked.
"""

from __future__ import annotations

import re

import numpy as np

from engines.base import SampleError, pick
from engines.charts.content import facts
from engines.charts.content.model import ChartContent
from engines.charts.content.scatter import numeric_scatter
from engines.charts.content.topics import BY_CATEGORY, CATEGORY_TITLES, TOPICS, Topic
from engines.charts.content.values import TIME_POOLS, draw_values, rounded_parts
from engines.charts.content.words import COMPANY_PARTS, ORDERED, POOLS
from engines.charts.source.tables import UNIT
from engines.charts.spec import KINDS, STACKED, Annotation, NumberFormat, Reference, Series, look_share

# kind -> (fewest, most) categories a built-in chart of that kind gets
CATEGORY_COUNTS = {"bar": (3, 12), "hbar": (3, 10), "grouped_bar": (3, 6), "stacked_bar": (3, 8),
                   "hstacked_bar": (3, 7), "line": (6, 16), "multi_line": (6, 14), "area": (6, 14),
                   "scatter": (5, 12), "bar_line": (4, 10), "pie": (3, 7), "donut": (3, 7), "radar": (5, 8)}
# kind -> (fewest, most) periods a chart over time gets: published series are long (10-90 rows), and a
# trend or a season only shows over enough of them
TIME_COUNTS = {"bar": (8, 14), "hbar": (6, 10), "grouped_bar": (5, 8), "stacked_bar": (6, 10), "hstacked_bar": (5, 7),
               "line": (8, 16), "multi_line": (8, 14), "area": (8, 14), "scatter": (8, 12), "bar_line": (8, 10)}
LINE_KINDS = ("line", "multi_line", "area")
PLACES = ("countries", "regions", "cities", "areas")
NOT_PARTS = ("scenarios",) + TIME_POOLS  # series that never add up: plan and actual, one year and the next
# How often each kind is drawn: bars and lines dominate real reports, but every kind is common enough.
KIND_WEIGHTS = {"bar": 3, "hbar": 2, "grouped_bar": 2, "stacked_bar": 2, "hstacked_bar": 1, "line": 2,
                "multi_line": 2, "area": 1, "scatter": 2, "bar_line": 1, "pie": 2, "donut": 1, "radar": 1}
TITLES = {"en": ["{m} {by}", "{m} {by}, {y}", "{y} {m} {by}", "{m} {by} ({y})", "{m} {by} in {y}"],
          "zh": ["{by}{m}", "{y}年{by}{m}", "{y}年{by}{m}统计", "{by}{m}对比", "{y}年{by}{m}情况"]}
SUBTITLES = {"en": ["Preliminary figures", "Latest available data", "Selected categories", "Estimates"],
             "zh": ["初步统计数据", "最新可得数据", "部分类别", "估算值"]}
TIME_SUBTITLES = {"years": ("Annual data", "年度数据"), "months": ("Monthly averages", "月度数据"),
                  "quarters": ("Quarterly data", "季度数据"), "weekdays": ("Daily averages", "日均数据")}
SHARE_UNIT = ("Share of total (%)", "占比（%）")
# A yearbook's note on how a topic's figures were made: (English, Chinese); empty: the general note
NOTES = {"GDP growth": ("Note: growth at constant prices.", "注：增长速度按可比价格计算。"),
         "Population": ("", "注：年末常住人口。"),  # China's yearbooks count at year end, the UN and Census mid-year
         "Revenue": ("Note: at current prices.", "注：按当年价格计算。"),
         "Exports": ("Note: at current prices.", "注：按当年价格计算。"),
         "": ("Note: latest figures are provisional.", "注：最新数据为初步统计数。")}
YEAR = re.compile(r"(19|20)\d\d")
DUAL_AXES = 0.5  # share of bar+line charts over periods drawn as a quantity (bars) and its growth (line, right axis)
PERIODS = ("years", "quarters", "months")  # what a quantity grows over, period on period
ANNOTATED = 0.3  # share of one-line charts over time whose peak or low is annotated, as news graphics do
GROWTH = {"en": ("Growth rate", "Growth rate (%)"), "zh": ("增长率", "增长率（%）")}  # (series name, right axis title)
EXTREMES = {"en": ("Peak: ", "Low: "), "zh": ("峰值：", "低点：")}


def _pairs(categories: str, series: str) -> bool:
    """Whether series from one pool make sense over categories from another (not cities by country, nor
    speakers by country: a country's figures break down by year, not by a shop's products)."""
    return categories != series and not {categories, series} <= set(PLACES) and \
        not (categories == "countries" and series == "products")


def pool_size(pool: str, lang: str) -> int:
    """How many distinct labels a pool can give (years and quarters are generated)."""
    if pool in ("years", "quarters"):
        return 24
    return len(COMPANY_PARTS[lang][0]) * len(COMPANY_PARTS[lang][1]) if pool == "companies" else len(POOLS[pool][lang])


# Ordered pools a real chart shows whole, or from their start: n -> the run of labels (a year's twelve months:
# "by Month in 2020" stopping at November says nothing of December, a working week or the whole week, every
# quarter of a year, adults or every age group).
RUNS = {"months": lambda n: range(n) if n == 12 else None, "weekdays": lambda n: range(n) if n in (5, 7) else None,
        "quarters": lambda n: range(4) if n == 4 else None,
        "age_groups": lambda n: range(7 - n, 7) if n in (6, 7) else None}


def run_lengths(pool: str, lo: int, hi: int) -> list[int]:
    """The lengths in [lo, hi] a chart of `pool` may have (every length for pools shown in any window)."""
    if pool == "quarters" and hi > 4:
        return [n for n in range(lo, hi + 1) if n > 4]  # a window of quarters over several years
    return [n for n in range(lo, hi + 1) if pool not in RUNS or RUNS[pool](n) is not None]


def labels(rng: np.random.Generator, pool: str, n: int, lang: str, years: tuple[int, int] = (1995, 2025)) -> list[str]:
    """n distinct labels from a pool: a consecutive run for time-like pools (`years` within the first and
    last year given), a random pick otherwise."""
    zh = lang == "zh"
    if pool == "years":
        start = int(rng.integers(years[0], max(years[1] + 2 - n, years[0] + 1)))
        suffix = "年" if zh and rng.random() < 0.5 else ""
        return [f"{year}{suffix}" for year in range(start, start + n)]
    if pool == "quarters" and n > 4:
        start = int(rng.integers(2012 * 4, 2025 * 4 - n))
        return [f"{q // 4}Q{q % 4 + 1}" if zh else f"Q{q % 4 + 1} {q // 4}" for q in range(start, start + n)]
    if pool == "companies":
        first, second = COMPANY_PARTS[lang]
        picks = rng.choice(len(first) * len(second), size=n, replace=False)
        return [f"{first[i // len(second)]}{'' if zh else ' '}{second[i % len(second)]}" for i in picks]
    words = POOLS[pool][lang]
    if pool == "energy":  # a mix keeps its big parts: the largest three sources, then any others
        big = sorted(words, key=lambda w: -facts.generation(w))[: min(n, 3)]
        rest = [w for w in words if w not in big]
        picked = set(big) | {rest[i] for i in rng.choice(len(rest), size=n - len(big), replace=False)}
        return [w for w in words if w in picked]
    if pool in RUNS and RUNS[pool](n) is not None:
        return [words[i] for i in RUNS[pool](n)]
    if pool in ORDERED:
        start = int(rng.integers(0, len(words) - n + 1))
        return words[start : start + n]
    return [words[i] for i in rng.choice(len(words), size=n, replace=False)]


def scope(pools: set[str], lang: str) -> str | None:
    """Where a chart's places are: "world" (countries; the English pool's cities are the world's),
    "national" (the chart language's country: US states or Chinese provinces and cities), None (no place)."""
    if "countries" in pools or (lang == "en" and "cities" in pools):
        return "world"
    return "national" if pools & {"regions", "cities"} else None


def source_note(rng: np.random.Generator, topic: Topic, where: str | None, lang: str) -> str | None:
    """A publisher of the topic whose scope covers the chart's places (none when no such publisher); an
    official one (a statistics office, an international body) now and then with a yearbook's note."""
    fits = [s for s in topic.sources if where is None or s[2] in (where, "any")]
    if not fits:
        return None
    picked = pick(rng, fits)
    official = picked[2] != "any" and not topic.climate
    return with_note(picked[lang == "zh"], topic, lang) if official and rng.random() < 0.4 else picked[lang == "zh"]


def unit_only(title: str) -> str | None:
    """The unit an axis title gives in brackets ("Revenue ($ million)" -> "$ million"), else None."""
    match = UNIT.match(title)
    return match.group(2).strip() if match else None


def _title(rng: np.random.Generator, measure: str, pool: str, categories: list[str], names: list[str],
           lang: str, year: int | None = None, dated: bool = True) -> str:
    """A title that names the measure and the breakdown, and a year only where the data has none and is of
    one year (`dated`; climate normals are the mean of thirty years, not "Rainfall by Month in 2020")."""
    if pool == "years":
        first, last = categories[0].rstrip("年"), categories[-1].rstrip("年")
        return f"{first}-{last}年{measure}" if lang == "zh" else f"{measure}, {first}-{last}"
    templates = TITLES[lang]
    if not dated or any(YEAR.search(t) for t in categories + names):
        templates = [t for t in templates if "{y}" not in t]  # the data already names its years
    template = pick(rng, templates)
    year = year or int(rng.integers(2015, 2025))
    return template.format(m=measure, by=BY_CATEGORY[pool][lang == "zh"], y=year)


def draw_content(rng: np.random.Generator, lang: str, kinds: tuple[str, ...], looks: str = "mixed") -> ChartContent:
    """A built-in chart's content: a topic, a kind it suits, labels from its pools and plausible values;
    `looks` (`spec.Looks`) says how often a publisher's look that is content (dual axes, an annotation) is drawn."""
    kind = pick(rng, kinds, [KIND_WEIGHTS[k] for k in kinds])
    if kind == "scatter" and rng.random() < 0.5:
        return numeric_scatter(rng, lang)
    zh = lang == "zh"
    (s_lo, s_hi), cartesian = KINDS[kind]
    c_lo, c_hi = CATEGORY_COUNTS[kind]

    def lengths(pool: str) -> list[int]:
        lo, hi = TIME_COUNTS[kind] if pool in TIME_POOLS and kind in TIME_COUNTS else (c_lo, c_hi)
        return run_lengths(pool, min(lo, pool_size(pool, lang)), min(hi, pool_size(pool, lang)))

    def series_pools(topic: Topic, pool: str) -> list[str]:
        return [p for p in topic.series if _pairs(pool, p) and pool_size(p, lang) >= max(s_lo, 2)
                and (kind not in STACKED or p not in NOT_PARTS)]  # a stack's series are parts of a whole

    def usable(topic: Topic, pool: str) -> bool:
        if kind in ("pie", "donut") and (pool in TIME_POOLS or pool in PLACES):
            return False  # a pie's slices are parts of one whole: not years, nor a few of the world's places
        if kind in LINE_KINDS + ("bar_line",) and pool not in ORDERED + TIME_POOLS:
            return False  # a line joins points in an order (time, age), not subjects or countries
        return bool(lengths(pool)) and (s_lo == 1 or bool(series_pools(topic, pool)))

    topic = pick(rng, [t for t in TOPICS if kind in t.kinds and any(usable(t, p) for p in t.categories)])
    pools = [p for p in topic.categories if usable(topic, p)]
    pool = pick(rng, pools)
    categories = labels(rng, pool, pick(rng, lengths(pool)), lang)
    names, series_pool = [topic.measure[zh]], None
    n_series = int(rng.integers(s_lo, s_hi + 1))
    if s_hi > 1 and n_series > 1 and series_pools(topic, pool):
        series_pool = pick(rng, series_pools(topic, pool))
        known = facts.years_known(categories) if topic.facts and pool in PLACES else (1995, 2025)
        names = labels(rng, series_pool, min(n_series, pool_size(series_pool, lang)), lang, known)
    by_city = bool(topic.climate) or topic.facts == "pm25"  # the weather and the air are a city's
    if by_city and pool in ("months", "weekdays") and len(names) == 1:
        names, series_pool = labels(rng, "cities", 1, lang), "cities"  # one city's year or week, named
    if topic.facts == "energy":
        categories, names = generating(rng, pool, categories, names, c_lo if pool == "energy" else s_lo)
    # one country's people or exports over the years: its figures, its name in the title
    one_country = pool == "years" and (topic.facts == "population" or (topic.facts == "exports" and len(names) == 1))
    place = labels(rng, "countries", 1, lang)[0] if one_country else None
    axis = pick(rng, topic.units)[zh]
    values, fmt, unit = draw_values(rng, topic, kind, pool, categories, names, lang, place, axis)
    unit = unit or axis
    percent_stack = False
    if kind in STACKED and not fmt.suffix and rng.random() < 0.25:  # a 100% stack: each bar's parts as shares
        decimals = int(rng.integers(0, 2))
        if not topic.facts or "products" in (pool, series_pool):  # drawn parts, alike in size: some made larger
            weights = 0.3 + rng.dirichlet(np.full(len(values), 1.2))  # (a real mix keeps its own shares)
            values = [[v * w for v in row] for row, w in zip(values, weights)]
        shares = as_shares(values, decimals)
        if min(min(row) for row in shares) > 0:  # every part still drawn
            values, fmt, unit, percent_stack = shares, NumberFormat(decimals, "", "%"), SHARE_UNIT[zh], True
    where = scope({pool, series_pool or ""} | ({"countries"} if place else set()), lang)  # a country's people: world
    order = None
    if kind in ("bar", "hbar") and len(names) == 1 and pool not in TIME_POOLS and pool not in ORDERED \
            and rng.random() < 0.5:  # OECD-style: places or items sorted by value, often with their average
        order = np.argsort(-np.array(values[0]), kind="stable")
        categories, values = [categories[i] for i in order], [[values[0][i] for i in order]]
    year = facts.YEAR if topic.facts else None  # real figures are of their year
    title = _title(rng, topic.measure[zh], pool, categories, names, lang, year, dated=not topic.climate) \
        if not cartesian or rng.random() < 0.85 else None
    if by_city and series_pool == "cities" and len(names) == 1:  # one city's climate or air: the title names it
        place = names[0]
    if place:  # a chart of one place over time: its title names it
        title = f"{place}{title or topic.measure[zh]}" if zh else f"{place}: {title or topic.measure[zh]}"
    percent_pie = None  # the decimals a pie's percentages take, when it shows percentages
    if kind in ("pie", "donut") and not fmt.suffix and rng.random() < 0.5:
        fits = [d for d in (0, 1) if min(rounded_parts(np.array(values[0]), 100.0, d)) > 0]  # no slice at 0%
        percent_pie = pick(rng, fits) if fits else None
    if title and not cartesian and not fmt.suffix and percent_pie is None and unit_only(unit):
        # no axis: the title gives the unit ("Budget by Category (2021, $ thousand)")
        title = title[:-1] + f", {unit_only(unit)})" if title.endswith(")") else \
            title + (f"（{unit_only(unit)}）" if zh else f" ({unit_only(unit)})")
    source = source_note(rng, topic, where, lang) if rng.random() < 0.4 else None
    cat_title = CATEGORY_TITLES[pool][zh] if cartesian and rng.random() < 0.5 else None
    x_title, y_title = (unit, cat_title) if kind in ("hbar", "hstacked_bar") else (cat_title, unit)
    if not cartesian:
        x_title = y_title = None
    content = ChartContent(kind, categories, [Series(m, v) for m, v in zip(names, values)], fmt, lang,
                           title, source, x_title, y_title, time=pool in TIME_POOLS, notes={"topic": topic.measure[0]})
    if order is not None:
        content.notes["sorted"] = True
    if year and pool not in TIME_POOLS and series_pool not in TIME_POOLS:
        content.notes["year"] = year  # the year real figures are of, named in the title or not
    if percent_stack:
        content.notes["stack"] = "percent"
    if title and rng.random() < 0.2:
        content.subtitle = TIME_SUBTITLES[pool][zh] if pool in TIME_SUBTITLES else pick(rng, SUBTITLES[lang])
    if percent_pie is not None:
        as_percentages(content, percent_pie)
    if cartesian and len(names) == 1 and rng.random() < (0.6 if order is not None else 0.15):
        content.reference = average_line(content.series[0].values, content.number_format, lang)
    # a quantity that grows (sales, money, energy), not a rate, the weather or a concentration
    grows = pool in PERIODS and fmt.plain and (topic.additive or bool(topic.currency[0])) and not topic.percent
    if kind == "bar_line" and grows and rng.random() < look_share(looks, DUAL_AXES):
        with_growth(content, rng, None if topic.facts else topic.measure[zh])
    if kind in LINE_KINDS and len(names) == 1 and pool in TIME_POOLS and rng.random() < look_share(looks, ANNOTATED):
        content.annotation = extreme_note(content.series[0].values, categories, lang, rng.random() < 0.3)
    return content


def generating(rng: np.random.Generator, pool: str, categories: list[str], names: list[str],
               fewest: int) -> tuple[list[str], list[str]]:
    """An electricity chart's categories and series with only the sources that generated over its years (no
    empty solar group in 1998): one that did not is replaced by another that did, or dropped.

    Raises:
        SampleError: "source_absent" when fewer than `fewest` sources remain (none so far: the largest
            sources, coal, hydro and oil or gas, generated in every year).
    """
    sources, years = (categories, names) if pool == "energy" else (names, categories)
    if sources[0] not in facts.ENERGY:
        return categories, names
    years_drawn = [int(YEAR.search(y).group(0)) if YEAR.search(y) else facts.YEAR for y in years]
    mix = list(facts.MIXES[sources[0]])
    kept = facts.present(sources, years_drawn)
    spare = [s for s in facts.present(mix, years_drawn) if s not in kept]
    extra = [spare[i] for i in rng.permutation(len(spare))[: len(sources) - len(kept)]]
    chosen = [s for s in mix if s in kept or s in extra]  # in the pool's order
    if len(chosen) < fewest:
        raise SampleError("source_absent", f"{sources} over {years}")
    return (chosen, names) if pool == "energy" else (categories, chosen)


def as_shares(rows: list[list[float]], decimals: int) -> list[list[float]]:
    """Each category's values as percentages of the category's total, adding up to exactly 100."""
    columns = [rounded_parts(np.array(column), 100.0, decimals) for column in zip(*rows)]
    return [list(row) for row in zip(*columns)]


def with_note(source: str, topic: Topic, lang: str) -> str:
    """A statistical yearbook's note before the source ("注：按当年价格计算。资料来源：国家统计局")."""
    zh = lang == "zh"
    note = NOTES.get(topic.measure[0], NOTES[""])[zh] or NOTES[""][zh]
    if zh:
        return note + "资料来源：" + re.sub(r"^(数据来源|资料来源|来源)：", "", source)
    return f"{note} {source}"


def as_percentages(content: ChartContent, decimals: int) -> None:
    """Show a pie's parts as percentages of the whole (adding up to exactly 100); the target gives them."""
    values = content.series[0].values
    content.series[0].values = rounded_parts(np.array(values), 100.0, decimals)
    content.number_format = NumberFormat(decimals, "", "%")
    content.notes["pie_labels"] = "percent"


def average_line(values: list[float], fmt: NumberFormat, lang: str) -> Reference:
    """A dashed line at the average of `values`, labelled with it in `fmt` ("Average: 45.2").

    `draw_spec` draws it again from the values as finally drawn: a chart without data labels has its
    values resampled to its scale, and the label must print the mean of what the chart shows.
    """
    mean = sum(values) / len(values)
    word = "平均值：" if lang == "zh" else "Average: "
    return Reference(round(mean, fmt.decimals) + 0.0, word + fmt.text(mean))


def with_growth(content: ChartContent, rng: np.random.Generator, measure: str | None = None) -> None:
    """A dual-axis chart: the bars keep the quantity and its format (left axis), named `measure` when given (drawn
    values) else by their series (a source's real figures), the line becomes its growth on
    the period before in per cent, read on a right axis titled with its unit and written to a tenth of a per
    cent (each axis in its own format: not "36000.0" units beside "5.2")."""
    values = content.series[0].values
    if min(values) <= 0:
        return
    steps = [b / a - 1 for a, b in zip(values, values[1:])]
    before = values[0] / (1 + float(np.median(steps)) + rng.normal(0, 0.01))  # the period before the first
    growth = [100 * (b / a - 1) for a, b in zip([before] + values, values)]
    rate = NumberFormat(1)
    name, axis = GROWTH[content.lang]
    bars = measure or content.series[0].name  # real figures keep their name (coal's generation is not the total's)
    content.series = [Series(bars, values), Series(name, [round(g, rate.decimals) + 0.0 for g in growth])]
    content.y2_format, content.y2_title = rate, axis
    content.notes["axes"] = "dual"


def extreme_note(values: list[float], categories: list[str], lang: str, low: bool = False) -> Annotation | None:
    """A news graphic's note on a line's peak (or low): "Peak: 2008" at that point; None when two
    points share the extreme (the note would not say which).

    `draw_spec` makes it again from the values as finally drawn, as it does an average line.
    """
    extreme = min(values) if low else max(values)
    if values.count(extreme) != 1:
        return None
    index = values.index(extreme)
    return Annotation(EXTREMES[lang][low] + categories[index], 0, index)
