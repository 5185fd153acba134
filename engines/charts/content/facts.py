"""Real figures of the places built-in charts name, so a chart of them has the magnitudes and relations the world has.

A chart putting the UK at 6 million people, or Norway's economy growing faster than India's every
year, teaches a model nothing true. Population (2023, people: the UN's World Population Prospects
2024 for countries, the US Census Bureau's estimates for states and cities, China's National Bureau
of Statistics' year-end resident population for provinces and cities), its yearly growth rate (%,
countries), real GDP growth (2023, %, the IMF's World Economic Outlook) and electricity generation
by source (the world's, the IEA; China's, the China Electricity Council) and exports of goods (2023,
the WTO) and cities' annual mean PM2.5 (µg/m³, about 2022-2023) are rounded from those publications; countries also have their 2000 population and exports
and their 2000s' and 2010s' mean growth, and the electricity mixes figures every five years from
1995, so a chart of 1998 has 1998's magnitudes (not 2023's taken back at today's growth rates: China's
coal power 1.4 times too large). A chart's values are these figures moved by a little noise, so
relations between places hold.
"""

from __future__ import annotations

import math

from engines.charts.content import climate

YEAR = 2023  # the year the figures are for

# label -> population in 2023 (people), rounded
POPULATION: dict[str, float] = {
    # countries (en and zh labels)
    **dict.fromkeys(("China", "中国"), 1.422e9), **dict.fromkeys(("USA", "美国"), 3.43e8),
    **dict.fromkeys(("Japan", "日本"), 1.24e8), **dict.fromkeys(("Germany", "德国"), 8.45e7),
    **dict.fromkeys(("India", "印度"), 1.438e9), **dict.fromkeys(("UK", "英国"), 6.87e7),
    **dict.fromkeys(("France", "法国"), 6.62e7), **dict.fromkeys(("Italy", "意大利"), 5.9e7),
    **dict.fromkeys(("Brazil", "巴西"), 2.11e8), **dict.fromkeys(("Canada", "加拿大"), 3.9e7),
    **dict.fromkeys(("Korea", "韩国"), 5.17e7), **dict.fromkeys(("Russia", "俄罗斯"), 1.45e8),
    **dict.fromkeys(("Australia", "澳大利亚"), 2.68e7), **dict.fromkeys(("Spain", "西班牙"), 4.79e7),
    **dict.fromkeys(("Mexico", "墨西哥"), 1.29e8), **dict.fromkeys(("Indonesia", "印度尼西亚"), 2.81e8),
    **dict.fromkeys(("Turkey", "土耳其"), 8.53e7), **dict.fromkeys(("Netherlands", "荷兰"), 1.81e7),
    **dict.fromkeys(("Saudi Arabia", "沙特阿拉伯"), 3.33e7), **dict.fromkeys(("Switzerland", "瑞士"), 8.8e6),
    **dict.fromkeys(("Poland", "波兰"), 3.87e7), **dict.fromkeys(("Sweden", "瑞典"), 1.06e7),
    **dict.fromkeys(("Norway", "挪威"), 5.5e6), **dict.fromkeys(("Egypt", "埃及"), 1.13e8),
    **dict.fromkeys(("Vietnam", "越南"), 9.99e7), **dict.fromkeys(("Chile", "智利"), 1.96e7),
    **dict.fromkeys(("Nigeria", "尼日利亚"), 2.276e8),
    # US states
    "California": 3.897e7, "Texas": 3.05e7, "Florida": 2.261e7, "New York": 1.957e7, "Ohio": 1.179e7,
    "Georgia": 1.103e7, "Michigan": 1.004e7, "Arizona": 7.43e6, "Oregon": 4.23e6, "Nevada": 3.19e6,
    "Utah": 3.42e6, "Iowa": 3.21e6, "Kansas": 2.94e6, "Maine": 1.4e6, "Alaska": 7.3e5, "Virginia": 8.72e6,
    "Colorado": 5.88e6,
    # world cities (city proper)
    "London": 8.87e6, "Paris": 2.1e6, "Tokyo": 1.4e7, "Berlin": 3.76e6, "Sydney": 5.45e6, "Toronto": 2.79e6,
    "Chicago": 2.66e6, "Boston": 6.5e5, "Seattle": 7.5e5, "Madrid": 3.33e6, "Rome": 2.75e6, "Vienna": 2.0e6,
    "Dublin": 5.9e5, "Oslo": 7.1e5, "Lisbon": 5.5e5, "Prague": 1.36e6, "Denver": 7.2e5, "Austin": 9.7e5,
    # Chinese provinces and municipalities (year-end resident population)
    "北京": 2.186e7, "上海": 2.487e7, "天津": 1.364e7, "重庆": 3.191e7, "广东": 1.2706e8, "江苏": 8.526e7,
    "浙江": 6.627e7, "山东": 1.0123e8, "河南": 9.815e7, "四川": 8.368e7, "湖北": 5.838e7, "湖南": 6.568e7,
    "福建": 4.183e7, "安徽": 6.121e7, "河北": 7.393e7, "陕西": 3.952e7, "江西": 4.515e7, "辽宁": 4.182e7,
    "云南": 4.673e7, "广西": 5.027e7, "山西": 3.466e7, "贵州": 3.865e7, "吉林": 2.339e7, "甘肃": 2.465e7,
    # Chinese cities (year-end resident population)
    "广州": 1.883e7, "深圳": 1.779e7, "成都": 2.14e7, "杭州": 1.252e7, "武汉": 1.377e7, "西安": 1.307e7,
    "南京": 9.55e6, "苏州": 1.296e7, "长沙": 1.051e7, "郑州": 1.301e7, "青岛": 1.037e7, "厦门": 5.33e6,
    "昆明": 8.68e6, "大连": 7.53e6, "沈阳": 9.2e6, "合肥": 9.85e6,
}

# country label -> (population growth % a year, real GDP growth % in 2023)
GROWTH: dict[str, tuple[float, float]] = {}
for _en, _zh, _pop, _gdp in (
        ("China", "中国", -0.1, 5.2), ("USA", "美国", 0.5, 2.5), ("Japan", "日本", -0.5, 1.7),
        ("Germany", "德国", 0.3, -0.3), ("India", "印度", 0.9, 8.2), ("UK", "英国", 0.6, 0.1),
        ("France", "法国", 0.3, 0.9), ("Italy", "意大利", -0.2, 0.9), ("Brazil", "巴西", 0.5, 2.9),
        ("Canada", "加拿大", 1.2, 1.2), ("Korea", "韩国", 0.0, 1.4), ("Russia", "俄罗斯", -0.3, 3.6),
        ("Australia", "澳大利亚", 1.3, 2.0), ("Spain", "西班牙", 0.5, 2.5), ("Mexico", "墨西哥", 0.8, 3.2),
        ("Indonesia", "印度尼西亚", 0.8, 5.0), ("Turkey", "土耳其", 0.5, 4.5), ("Netherlands", "荷兰", 0.5, 0.1),
        ("Saudi Arabia", "沙特阿拉伯", 1.5, -0.8), ("Switzerland", "瑞士", 0.8, 0.7), ("Poland", "波兰", -0.3, 0.2),
        ("Sweden", "瑞典", 0.6, -0.2), ("Norway", "挪威", 0.8, 0.5), ("Egypt", "埃及", 1.7, 3.8),
        ("Vietnam", "越南", 0.7, 5.0), ("Chile", "智利", 0.6, 0.2), ("Nigeria", "尼日利亚", 2.4, 2.9)):
    GROWTH[_en] = GROWTH[_zh] = (_pop, _gdp)

# How each pool's population is written: lang -> pool -> (axis title, people per unit, decimals)
POPULATION_UNITS: dict[str, dict[str, tuple[str, float, int]]] = {
    "en": {"countries": ("Population (millions)", 1e6, 1), "regions": ("Population (thousands)", 1e3, 0),
           "cities": ("Population (thousands)", 1e3, 0)},
    "zh": {"countries": ("人口（万人）", 1e4, 0), "regions": ("常住人口（万人）", 1e4, 0),
           "cities": ("常住人口（万人）", 1e4, 0)},
}


# country label -> (population in 2000, people (the UN's World Population Prospects 2024); mean real GDP growth
# 2000-2009 and 2010-2019, % (the IMF's World Economic Outlook); exports of goods in 2000, 2008 and 2012, US$ billion
# (WTO: trade grew fastest to 2008, China's from 249 to 1,431)); real GDP growth in 2020, 2021 and 2022, % (IMF:
# the pandemic's fall and rebound)), rounded
PAST: dict[str, tuple[float, float, float, float, float, float]] = {}
RECENT: dict[str, tuple[float, float, float]] = {}
for _en, _zh, _pop, _g00, _g10, _exp, _exp08, _exp12, _recent in (
        ("China", "中国", 1.2645e9, 10.3, 7.7, 249, 1431, 2049, (2.2, 8.4, 3.0)),
        ("USA", "美国", 2.82e8, 1.9, 2.3, 782, 1287, 1546, (-2.2, 6.1, 2.5)),
        ("Japan", "日本", 1.268e8, 0.5, 1.2, 479, 782, 799, (-4.2, 2.6, 1.0)),
        ("Germany", "德国", 8.15e7, 0.8, 2.0, 552, 1466, 1407, (-4.1, 3.2, 1.8)),
        ("India", "印度", 1.0596e9, 6.9, 6.7, 42, 182, 297, (-5.8, 9.7, 7.0)),
        ("UK", "英国", 5.89e7, 1.8, 2.0, 285, 459, 474, (-10.4, 8.7, 4.3)),
        ("France", "法国", 6.09e7, 1.4, 1.4, 327, 609, 569, (-7.5, 6.4, 2.5)),
        ("Italy", "意大利", 5.69e7, 0.5, 0.3, 240, 540, 501, (-9.0, 8.3, 4.0)),
        ("Brazil", "巴西", 1.76e8, 3.3, 1.4, 55, 198, 243, (-3.3, 4.8, 3.0)),
        ("Canada", "加拿大", 3.07e7, 2.1, 2.2, 277, 456, 455, (-5.0, 5.3, 3.8)),
        ("Korea", "韩国", 4.68e7, 4.9, 3.3, 172, 422, 548, (-0.7, 4.3, 2.6)),
        ("Russia", "俄罗斯", 1.465e8, 5.5, 2.0, 105, 472, 529, (-2.7, 5.6, -1.2)),
        ("Australia", "澳大利亚", 1.92e7, 3.1, 2.6, 64, 187, 257, (-2.1, 5.2, 3.9)),
        ("Spain", "西班牙", 4.05e7, 2.7, 1.0, 114, 280, 297, (-11.2, 6.4, 5.8)),
        ("Mexico", "墨西哥", 9.86e7, 1.5, 2.7, 166, 292, 371, (-8.4, 5.7, 3.9)),
        ("Indonesia", "印度尼西亚", 2.14e8, 5.2, 5.4, 65, 137, 190, (-2.1, 3.7, 5.3)),
        ("Turkey", "土耳其", 6.4e7, 4.1, 6.0, 28, 132, 153, (1.9, 11.4, 5.5)),
        ("Netherlands", "荷兰", 1.59e7, 1.6, 1.5, 233, 634, 656, (-3.9, 6.2, 4.3)),
        ("Saudi Arabia", "沙特阿拉伯", 2.07e7, 3.5, 3.5, 78, 313, 388, (-3.6, 3.9, 7.5)),
        ("Switzerland", "瑞士", 7.2e6, 1.9, 2.0, 80, 200, 226, (-2.1, 5.4, 2.7)),
        ("Poland", "波兰", 3.85e7, 3.9, 3.6, 32, 172, 185, (-2.0, 6.9, 5.3)),
        ("Sweden", "瑞典", 8.9e6, 2.0, 2.6, 87, 184, 172, (-2.2, 6.1, 2.7)),
        ("Norway", "挪威", 4.5e6, 1.6, 1.6, 60, 172, 160, (-1.3, 3.9, 3.3)),
        ("Egypt", "埃及", 7.1e7, 4.9, 4.1, 5, 26, 29, (3.6, 3.3, 6.7)),
        ("Vietnam", "越南", 7.9e7, 6.8, 6.2, 14, 63, 115, (2.9, 2.6, 8.0)),
        ("Chile", "智利", 1.54e7, 4.2, 3.3, 19, 64, 78, (-6.1, 11.7, 2.4)),
        ("Nigeria", "尼日利亚", 1.22e8, 7.9, 3.1, 20, 82, 144, (-1.8, 3.6, 3.3))):
    PAST[_en] = PAST[_zh] = (_pop, _g00, _g10, _exp, _exp08, _exp12)
    RECENT[_en] = RECENT[_zh] = _recent
HELD = 5  # years either side of `YEAR` over which a figure without a past (a city's population) is used


def years_known(labels: list[str]) -> tuple[int, int]:
    """The years over which every place of `labels` has figures: countries from 1995, other places near `YEAR`."""
    return (1995, 2025) if all(label in PAST for label in labels) else (YEAR - HELD, YEAR + 2)


def population(label: str, year: int = YEAR) -> float:
    """People living in `label` in `year`: a country's from its 2000 and 2023 figures (then its growth rate),
    another place's from 2023's and half a per cent a year."""
    if label in PAST and year <= YEAR:
        return _between({2000: PAST[label][0], YEAR: POPULATION[label]}, year)
    rate = GROWTH.get(label, (0.5, 0.0))[0]
    return POPULATION[label] * (1 + rate / 100) ** (year - YEAR)


# Chinese province -> real GDP growth in 2023, % (the provinces' statistical communiqués, NBS). US states have no
# figures here: they take the country's (states grew within about a point of it in 2023, BEA).
PROVINCE_GROWTH: dict[str, float] = {
    "北京": 5.2, "上海": 5.0, "天津": 4.3, "重庆": 6.1, "广东": 4.8, "江苏": 5.8, "浙江": 6.0, "山东": 6.0, "河南": 4.1,
    "四川": 6.0, "湖北": 6.0, "湖南": 4.6, "福建": 4.5, "安徽": 5.8, "河北": 5.5, "陕西": 4.3, "江西": 4.1, "辽宁": 5.3,
    "云南": 4.4, "广西": 4.1, "山西": 5.0, "贵州": 4.9, "吉林": 6.3, "甘肃": 6.4}
STATES = ("California", "Texas", "Florida", "New York", "Ohio", "Georgia", "Michigan", "Arizona", "Oregon", "Nevada",
          "Utah", "Iowa", "Kansas", "Maine", "Alaska", "Virginia", "Colorado")


def has_growth(label: str) -> bool:
    """Whether `gdp_growth` knows the place: a country, a Chinese province or a US state."""
    return label in GROWTH or label in PROVINCE_GROWTH or label in STATES


def gdp_growth(label: str, year: int = YEAR) -> float:
    """Real GDP growth of a place in `year`, %: a country's 2000s' or 2010s' mean before 2020, its own in 2020-2022,
    2023's after; a province's its country's moved by how far it was from it in 2023; a state's its country's."""
    if label in PROVINCE_GROWTH:
        return gdp_growth("中国", year) + PROVINCE_GROWTH[label] - GROWTH["中国"][1]
    if label in STATES:
        return gdp_growth("USA", year)
    if year >= YEAR:
        return GROWTH[label][1]
    return RECENT[label][year - 2020] if year >= 2020 else PAST[label][1 if year < 2010 else 2]


def exports(label: str, year: int = YEAR) -> float:
    """A country's exports of goods in `year`, US$ billion, from its 2000, 2008, 2012 and 2023 figures."""
    return _between({2000: PAST[label][3], 2008: PAST[label][4], 2012: PAST[label][5], YEAR: EXPORTS[label]}, year)


# Electricity generated by source at anchor years, rounded: the world's in TWh (Ember's Yearly Electricity
# Data and the IEA's World Energy Balances), China's in 亿千瓦时 (the China Electricity Council's and the
# National Bureau of Statistics' yearbooks: thermal split into coal, gas, biomass and oil after Ember). China
# generated 11,670 亿千瓦时 in 1998 (9,390 thermal) and 94,560 in 2023; the world 15,400 TWh in 2000 and
# 29,900 in 2023. Between anchors the figure moves at a steady rate (`_between`).
ANCHOR_YEARS = (1995, 2000, 2005, 2010, 2015, 2020, 2023, 2024)
ENERGY: dict[str, dict[int, float]] = {}
for _en, _zh, _world, _china in (
        ("Coal", "煤炭", (4950, 5800, 7300, 8650, 9300, 9430, 10430, 10600),
         (7370, 10510, 19940, 33100, 40230, 49400, 57600, 58460)),
        ("Natural Gas", "天然气", (2000, 2750, 3650, 4800, 5500, 6250, 6630, 6790),
         (60, 140, 240, 690, 1450, 2470, 3000, 3100)),
        ("Nuclear", "核能", (2330, 2590, 2770, 2760, 2570, 2690, 2690, 2770),
         (128, 167, 531, 747, 1714, 3662, 4347, 4509)),
        ("Hydro", "水电", (2480, 2650, 2920, 3430, 3890, 4350, 4210, 4580),
         (1868, 2224, 3964, 7222, 11127, 13552, 12859, 14257)),
        ("Wind", "风电", (6, 31, 104, 342, 830, 1590, 2300, 2500), (1, 6, 16, 446, 1856, 4665, 8859, 9970)),
        ("Solar", "光伏", (0.5, 1, 4, 32, 250, 840, 1630, 2130), (0.1, 0.3, 0.8, 7, 395, 2611, 5833, 8390)),
        ("Biomass", "生物质能", (140, 160, 230, 360, 500, 620, 690, 700), (10, 20, 50, 250, 530, 1330, 1980, 2080)),
        ("Oil", "石油", (1300, 1200, 1100, 950, 900, 750, 700, 700), (600, 470, 240, 130, 100, 100, 100, 100))):
    ENERGY[_en], ENERGY[_zh] = dict(zip(ANCHOR_YEARS, _world)), dict(zip(ANCHOR_YEARS, _china))
_WORLD, _CHINA = tuple(s for s in ENERGY if s.isascii()), tuple(s for s in ENERGY if not s.isascii())
MIXES = {s: mix for mix in (_WORLD, _CHINA) for s in mix}  # source -> every source of its mix (world or China)
PRESENT = 0.02  # a source generating less than this share of the largest source's output is not drawn (a 1998 solar bar)


def _between(anchors: dict[int, float], year: int) -> float:
    """A figure in `year` from its figures at anchor years: at a steady rate between the two around it, and
    beyond the first or last at the rate of the nearest pair."""
    years = sorted(anchors)
    k = min(max(sum(y <= year for y in years) - 1, 0), len(years) - 2)
    (y0, v0), (y1, v1) = (years[k], anchors[years[k]]), (years[k + 1], anchors[years[k + 1]])
    return v0 * (v1 / v0) ** ((year - y0) / (y1 - y0))


def generation(source: str, year: int = YEAR) -> float:
    """Electricity generated from `source` in `year`: the world's in TWh (English labels), China's in
    亿千瓦时 (Chinese labels)."""
    return _between(ENERGY[source], year)


def present(sources: list[str], years: list[int]) -> list[str]:
    """The `sources` that generate at least `PRESENT` of the largest source's output in one of `years` (no
    source that barely existed over them: solar and wind before about 2008)."""
    def most(s: str) -> float:
        return max(generation(s, y) for y in years)

    top = max(most(s) for s in MIXES[sources[0]])
    return [s for s in sources if most(s) >= PRESENT * top]


# country label -> exports of goods in 2023, US$ billion (WTO), rounded
EXPORTS: dict[str, float] = {}
for _en, _zh, _usd in (
        ("China", "中国", 3380), ("USA", "美国", 2020), ("Japan", "日本", 717), ("Germany", "德国", 1690),
        ("India", "印度", 432), ("UK", "英国", 521), ("France", "法国", 648), ("Italy", "意大利", 677),
        ("Brazil", "巴西", 340), ("Canada", "加拿大", 569), ("Korea", "韩国", 632), ("Russia", "俄罗斯", 425),
        ("Australia", "澳大利亚", 371), ("Spain", "西班牙", 423), ("Mexico", "墨西哥", 593),
        ("Indonesia", "印度尼西亚", 259), ("Turkey", "土耳其", 256), ("Netherlands", "荷兰", 935),
        ("Saudi Arabia", "沙特阿拉伯", 322), ("Switzerland", "瑞士", 421), ("Poland", "波兰", 381),
        ("Sweden", "瑞典", 194), ("Norway", "挪威", 176), ("Egypt", "埃及", 40), ("Vietnam", "越南", 354),
        ("Chile", "智利", 95)):
    EXPORTS[_en] = EXPORTS[_zh] = _usd

# city label -> annual mean PM2.5 (µg/m³) of about 2022-2023, rounded: China's cities from the Ministry of Ecology
# and Environment's city bulletins, the others from the WHO Ambient Air Quality Database and national networks
PM25: dict[str, float] = {
    "London": 10, "Paris": 12, "Tokyo": 10, "Berlin": 11, "Sydney": 7, "Toronto": 7, "Chicago": 10, "Boston": 7,
    "Seattle": 6, "Madrid": 9, "Rome": 12, "Vienna": 11, "Dublin": 8, "Oslo": 6, "Lisbon": 8, "Prague": 13,
    "Denver": 8, "Austin": 9,
    "北京": 32, "上海": 28, "广州": 23, "深圳": 18, "成都": 39, "杭州": 29, "武汉": 38, "西安": 45, "南京": 29,
    "重庆": 35, "天津": 41, "苏州": 29, "长沙": 40, "郑州": 45, "青岛": 26, "厦门": 19, "昆明": 23, "大连": 27,
    "沈阳": 38, "合肥": 35,
}
PM25_WINTER = {"zh": 0.4, "en": 0.15}  # how far a month's mean rises above the year's in winter (heating, inversions)


def pm25(city: str, month: int | None = None) -> float:
    """Mean PM2.5 of a city in a month (0 = January; None: the year's), highest in its hemisphere's winter."""
    mean = PM25[city]
    if month is None:
        return mean
    winter = PM25_WINTER["en" if city.isascii() else "zh"]
    return mean * (1 + winter * math.cos(2 * math.pi * (month - (0 if climate.CITIES[city][2] > 0 else 6)) / 12))
