"""Real figures of the places built-in charts name, so a chart of them has the magnitudes and relations the world has.

A chart putting the UK at 6 million people, or Norway's economy growing faster than India's every
year, teaches a model nothing true. Population (2023, people: the UN's World Population Prospects
2024 for countries, the US Census Bureau's estimates for states and cities, China's National Bureau
of Statistics' year-end resident population for provinces and cities), its yearly growth rate (%,
countries), real GDP growth (2023, %, the IMF's World Economic Outlook) and electricity generation
by source (the world's, the IEA; China's, the China Electricity Council) and exports of goods (2023,
the WTO) are rounded from those publications. A chart's values are these figures moved by a little
noise (and by the growth rate over its years), so relations between places hold.
"""

from __future__ import annotations

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


def population(label: str, year: int = YEAR) -> float:
    """People living in `label` in `year`, from 2023's figure and (countries) its growth rate."""
    rate = GROWTH.get(label, (0.5, 0.0))[0]
    return POPULATION[label] * (1 + rate / 100) ** (year - YEAR)


def gdp_growth(label: str) -> float:
    """Real GDP growth of a country in 2023, %."""
    return GROWTH[label][1]

# energy source -> (world generation 2023 in TWh (IEA), China's in 亿千瓦时 (China Electricity Council),
# the world's and China's growth % a year over the last two decades), rounded
ENERGY: dict[str, tuple[float, float]] = {}
for _en, _zh, _world, _china, _rate, _china_rate in (
        ("Coal", "煤炭", 10430, 57600, 1.5, 6.0), ("Natural Gas", "天然气", 6630, 3000, 3.0, 12.0),
        ("Nuclear", "核能", 2690, 4350, 0.5, 12.0), ("Hydro", "水电", 4210, 12860, 2.0, 7.0),
        ("Wind", "风电", 2300, 8860, 15.0, 30.0), ("Solar", "光伏", 1630, 5830, 30.0, 50.0),
        ("Biomass", "生物质能", 690, 1980, 4.0, 12.0), ("Oil", "石油", 700, 100, -3.0, -5.0)):
    ENERGY[_en], ENERGY[_zh] = (_world, _rate), (_china, _china_rate)


def generation(source: str, year: int = YEAR) -> float:
    """Electricity generated from `source` in `year`: the world's in TWh (English labels), China's in
    亿千瓦时 (Chinese labels), from 2023's figure and its growth rate."""
    value, rate = ENERGY[source]
    return value * (1 + rate / 100) ** (year - YEAR)


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
