"""What built-in charts are about: a measure, its unit, its plausible values, sources and the pools it uses.

A topic keeps a chart plausible as a whole: a temperature chart has months or cities, one decimal,
values that follow each city's climate (`climate`), a "Temperature (°C)" axis and a weather
service as its source; a market-share chart has percentages that add up to 100 and may be a pie.
Only additive quantities (units sold, money, people, energy) may be stacked; a rate, a price or a
temperature never is. A series over time moves within the topic's `swing` (a population by a few
per cent, sales by half); places take their real figures (`facts`); a source note publishes the
topic at the chart's scope (the world for countries, the chart language's country for its regions).
Values stay within one magnitude per chart, and the topics together span 1e-2 to 1e6. `PAIRS` are the two measures of numeric scatter plots.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CARTESIAN_ALL = ("bar", "hbar", "grouped_bar", "stacked_bar", "hstacked_bar", "line", "multi_line", "area",
                 "scatter", "bar_line")
TRENDS = ("bar", "line", "multi_line", "area", "scatter", "grouped_bar", "bar_line")
STACKS = ("stacked_bar", "hstacked_bar")
Pair = tuple[str, str]  # (English, Chinese)
SCOPES = ("world", "national", "any")


@dataclass(frozen=True)
class Topic:
    measure: tuple[str, str]  # (English, Chinese) name of the measure, also the single series' name
    units: tuple[tuple[str, str], ...]  # value-axis titles to pick from, with their unit
    categories: tuple[str, ...]  # pools (chart_text.POOLS, or "years" / "companies") for categories
    series: tuple[str, ...]  # pools for series names when there are several
    kinds: tuple[str, ...]
    magnitude: tuple[float, float]  # log10 range of the chart's largest value
    negatives: bool = False
    percent: bool = False  # values are percentages, written with "%"
    share: bool = False  # parts of one whole (a pie may show it; percentages then add up to 100)
    currency: tuple[str, str] = ("", "")  # prefix the values may carry, (English, Chinese)
    decimals: tuple[int, ...] = field(default=())  # allowed decimals; by magnitude when empty
    sources: tuple[tuple[str, str, str], ...] = ()  # (English, Chinese, scope) notes of publishers of the topic
    swing: tuple[float, float] = (0.35, 0.85)  # how far a series over time moves, as a share of its largest value
    magnitude_zh: tuple[float, float] | None = None  # a Chinese chart's own magnitude (yuan; its cities' air)
    facts: str = ""  # "population", "gdp_growth", "energy", "exports", "pm25": places take real figures (`facts`)
    additive: bool = False  # values of different series add up to a meaningful total (may stack)
    climate: str = ""  # "temperature" or "rainfall": values follow the cities' climates
    # an axis title's own magnitude: a company's revenue is tens of 亿元 but hundreds of thousands of 万元
    unit_magnitudes: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.additive and set(self.kinds) & set(STACKS):
            raise ValueError(f"{self.measure[0]}: only additive quantities may be stacked")
        if any(scope not in SCOPES for _, _, scope in self.sources):
            raise ValueError(f"{self.measure[0]}: a source's scope is one of {SCOPES}")

    def magnitude_of(self, unit: str | None, lang: str) -> tuple[float, float]:
        """The log10 range of the largest value of a chart with value axis `unit` in `lang`."""
        if unit in self.unit_magnitudes:
            return self.unit_magnitudes[unit]
        return self.magnitude_zh if lang == "zh" and self.magnitude_zh else self.magnitude


W, N, A = "world", "national", "any"  # a source's scope: the world, the chart language's country, or any
WORLD_BANK = ("Source: World Bank", "数据来源：世界银行", W)
IMF = ("Source: IMF", "数据来源：国际货币基金组织", W)
STATS_OFFICE = ("Source: national statistics office", "数据来源：国家统计局", N)

TOPICS: tuple[Topic, ...] = (
    Topic(("Sales", "销量"), (("Sales (units)", "销量（件）"), ("Sales volume (units)", "销售量（台）")),
          ("months", "quarters", "products", "cities", "years"), ("products", "areas", "channels", "scenarios"),
          CARTESIAN_ALL + ("radar",), (2, 4.5),
          sources=(("Source: company sales data", "数据来源：公司销售数据", A), ("Source: retail audit", "数据来源：零售监测", A),
                   ("Source: industry association", "数据来源：行业协会", A)), additive=True),
    Topic(("Revenue", "营业收入"), (("Revenue ($ million)", "营业收入（亿元）"), ("Revenue ($ thousand)", "收入（万元）")),
          ("years", "quarters", "companies", "regions"), ("companies", "areas", "scenarios"),
          CARTESIAN_ALL, (1, 4), currency=("$", "¥"),
          sources=(("Source: company reports", "来源：企业财报", A), ("Source: annual reports", "资料来源：公司年报", A),
                   ("Source: Wind", "数据来源：Wind", A)), additive=True,
          unit_magnitudes={"Revenue ($ thousand)": (3.5, 6.0), "收入（万元）": (4.0, 6.0)}),
    Topic(("GDP growth", "GDP增速"), (("Growth rate (%)", "增长率（%）"), ("Annual change (%)", "同比增长（%）")),
          ("years", "countries", "regions", "quarters"), ("countries", "regions", "years"),
          ("bar", "hbar", "line", "multi_line", "grouped_bar", "scatter"), (0.4, 1.0), negatives=True,
          percent=True, decimals=(1,), facts="gdp_growth",
          sources=(WORLD_BANK, IMF, ("Source: OECD", "数据来源：经济合作与发展组织", W), STATS_OFFICE)),
    Topic(("Temperature", "平均气温"), (("Temperature (°C)", "气温（℃）"), ("Mean temperature (°C)", "平均气温（℃）")),
          ("months", "cities"), ("cities",), ("line", "multi_line", "bar", "area", "scatter", "grouped_bar"),
          (1, 1.5), negatives=True, decimals=(1,),
          sources=(("Source: national weather service", "数据来源：中国气象局", N),
                   ("Source: WMO climate normals", "数据来源：世界气象组织", W),
                   ("Source: climate normals", "数据来源：气候统计资料", A)), climate="temperature"),
    Topic(("Population", "常住人口"), (("Population (thousands)", "人口（万人）"), ("Residents (thousands)", "常住人口（万人）")),
          ("countries", "cities", "regions", "years"), ("years", "genders"),
          ("bar", "hbar", "grouped_bar", "stacked_bar", "line", "area"), (3, 6), decimals=(0,), swing=(0.01, 0.08),
          facts="population",
          sources=(("Source: UN World Population Prospects", "数据来源：联合国世界人口展望", W),
                   ("Source: national census", "数据来源：人口普查", N), STATS_OFFICE,
                   ("Source: U.S. Census Bureau", "数据来源：地方统计年鉴", N)), additive=True),
    Topic(("Market share", "市场份额"), (("Market share (%)", "市场份额（%）"),),
          ("companies", "products", "channels"), ("years",), ("pie", "donut", "bar", "hbar"), (1.3, 1.7),
          percent=True, share=True,
          sources=(("Source: Statista", "数据来源：行业研究报告", A), ("Source: industry estimates", "数据来源：市场调研", A))),
    Topic(("Budget", "预算"), (("Budget ($ thousand)", "预算（万元）"), ("Spending ($ thousand)", "支出（万元）")),
          ("departments", "expenses"), ("years", "scenarios"),
          ("pie", "donut", "bar", "hbar", "grouped_bar"), (2, 4), share=True, currency=("$", "¥"),
          swing=(0.1, 0.5),
          sources=(("Source: budget office", "资料来源：财政预算报告", A),
                   ("Source: internal accounts", "数据来源：内部财务数据", A)), additive=True),
    Topic(("Respondents", "受访者占比"), (("Share of respondents (%)", "占比（%）"),),
          ("age_groups",), ("genders", "years"),  # a survey's people, not a seller's channels
          ("bar", "hbar", "grouped_bar", "pie", "donut", "line"), (1.3, 1.8), percent=True, share=True,
          sources=(("Source: internal survey", "数据来源：问卷调查", A), ("Source: online survey", "数据来源：网络调查", A))),
    Topic(("Score", "平均分"), (("Average score (points)", "平均分（分）"), ("Score (points)", "成绩（分）")),
          ("subjects",), ("classes",), ("radar", "bar", "grouped_bar", "hbar", "line"), (1.85, 2), decimals=(0, 1),
          swing=(0.05, 0.25),
          sources=(("Source: school records", "数据来源：学校教务处", A), ("Source: exam board", "数据来源：考试中心", A))),
    Topic(("Rating", "评分"), (("Rating (0-10)", "评分（满分10分）"),),
          ("attributes",), ("products", "companies"), ("radar", "bar", "hbar", "grouped_bar"), (0.9, 1), decimals=(1,),
          swing=(0.1, 0.3),
          sources=(("Source: user reviews", "数据来源：用户评价", A), ("Source: consumer survey", "数据来源：消费者调查", A))),
    Topic(("Electricity price", "电价"), (("Price ($/kWh)", "电价（元/千瓦时）"),),
          ("months", "countries", "years"), ("areas",), TRENDS, (-1.0, -0.4), decimals=(2, 3),
          magnitude_zh=(-0.3, 0.05), swing=(0.1, 0.4),
          sources=(("Source: energy regulator", "数据来源：国家能源局", N), ("Source: IEA", "数据来源：国际能源署", W),
                   ("Source: utility tariffs", "数据来源：电网公司", A))),  # in dollars: not Eurostat's EUR/kWh
    Topic(("Concentration", "浓度"), (("Concentration (mg/L)", "浓度（mg/L）"),),
          ("months", "cities", "weekdays"), ("cities",), TRENDS + ("hbar",), (-2, -1), decimals=(3,), swing=(0.3, 0.7),
          sources=(("Source: environmental agency", "数据来源：生态环境部门", N),
                   ("Source: monitoring stations", "数据来源：环境监测站", A))),
    Topic(("PM2.5", "PM2.5浓度"), (("PM2.5 (µg/m³)", "PM2.5（微克/立方米）"),),
          ("months", "cities", "weekdays"), ("cities",), TRENDS + ("hbar",), (0.9, 1.4), decimals=(0,),
          magnitude_zh=(1.4, 1.8), swing=(0.3, 0.7), facts="pm25",
          sources=(("Source: environmental agency", "数据来源：生态环境部", N),
                   ("Source: monitoring stations", "数据来源：环境监测站", A))),
    Topic(("Rainfall", "降水量"), (("Rainfall (mm)", "降水量（毫米）"),), ("months", "cities"), ("cities",),
          TRENDS, (1.5, 2.6), decimals=(0, 1),
          sources=(("Source: national weather service", "数据来源：中国气象局", N),
                   ("Source: WMO climate normals", "数据来源：世界气象组织", W),
                   ("Source: climate normals", "数据来源：气候统计资料", A)), climate="rainfall"),
    Topic(("Electricity generation", "发电量"), (("Generation (TWh)", "发电量（亿千瓦时）"),),
          ("energy", "years"), ("years", "energy"), CARTESIAN_ALL + ("pie", "donut"), (1, 3.5), share=True,
          swing=(0.1, 0.5), facts="energy",
          sources=(("Source: IEA", "数据来源：国际能源署", W), ("Source: energy statistics", "数据来源：国家能源局", N)),
          additive=True),
    Topic(("Visitors", "访问量"), (("Visitors (persons)", "访问量（人次）"), ("Page views", "浏览量（次）")),
          ("weekdays", "months"), ("channels",), TRENDS + ("stacked_bar",), (3, 5.5),
          sources=(("Source: web analytics", "数据来源：网站统计", A), ("Source: internal data", "数据来源：后台数据", A)),
          additive=True),
    Topic(("Net profit", "净利润"), (("Net profit ($ million)", "净利润（亿元）"),),
          ("quarters", "years", "companies"), ("companies", "scenarios"),
          ("bar", "hbar", "grouped_bar", "line", "multi_line", "bar_line"), (1, 3), negatives=True,
          currency=("$", "¥"),
          sources=(("Source: company reports", "来源：企业财报", A), ("Source: annual reports", "资料来源：公司年报", A))),
    Topic(("Exports", "出口额"), (("Exports ($ billion)", "出口额（亿美元）"),),
          ("countries", "years", "products"), ("years", "products"), CARTESIAN_ALL + ("pie",), (1, 2.7), share=True,
          swing=(0.2, 0.6), facts="exports",
          sources=(("Source: customs statistics", "数据来源：海关总署", N), ("Source: UN Comtrade", "数据来源：联合国商品贸易统计", W),
                   ("Source: WTO", "数据来源：世界贸易组织", W)), additive=True),
    Topic(("Satisfaction", "满意度"), (("Satisfaction (%)", "满意度（%）"),),
          ("attributes", "departments", "quarters"), ("years", "areas"),
          ("bar", "hbar", "grouped_bar", "radar", "line"), (1.8, 2), percent=True, decimals=(0, 1), swing=(0.05, 0.2),
          sources=(("Source: customer survey", "数据来源：客户满意度调查", A), ("Source: internal survey", "数据来源：内部调查", A))),
)

# Axis titles for the category axis, by pool: (English, Chinese).
CATEGORY_TITLES: dict[str, tuple[str, str]] = {
    "years": ("Year", "年份"), "months": ("Month", "月份"), "quarters": ("Quarter", "季度"),
    "weekdays": ("Day of week", "星期"), "age_groups": ("Age group", "年龄段"), "countries": ("Country", "国家"),
    "regions": ("State", "省份"), "cities": ("City", "城市"), "products": ("Product", "产品"),
    "departments": ("Department", "部门"), "channels": ("Channel", "渠道"), "companies": ("Company", "公司"),
    "energy": ("Energy source", "能源类型"), "expenses": ("Expense", "费用类别"), "subjects": ("Subject", "科目"),
    "attributes": ("Attribute", "指标"),
}

# How a title says "by <category>": (English, Chinese).
BY_CATEGORY: dict[str, tuple[str, str]] = {
    "months": ("by Month", "各月"), "quarters": ("by Quarter", "各季度"), "weekdays": ("by Day of Week", "每日"),
    "age_groups": ("by Age Group", "各年龄段"), "countries": ("by Country", "各国"), "regions": ("by State", "各省份"),
    "cities": ("by City", "各城市"), "products": ("by Product", "各产品"), "departments": ("by Department", "各部门"),
    "channels": ("by Channel", "各渠道"), "companies": ("by Company", "各公司"), "energy": ("by Source", "各能源"),
    "expenses": ("by Category", "各类"), "subjects": ("by Subject", "各科"), "attributes": ("by Attribute", "各项"),
}


@dataclass(frozen=True)
class ScatterPair:
    """Two measures a numeric scatter plot relates: y = a + b * x + noise over a plausible x range."""

    title: Pair
    x_title: Pair
    y_title: Pair
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # y at the low and at the high end of x (the slope's sign)
    noise: float  # share of the y range
    sources: tuple[Pair, ...]


PAIRS: tuple[ScatterPair, ...] = (
    ScatterPair(("Advertising spend and sales", "广告投入与销售额"), ("Advertising ($ thousand)", "广告投入（万元）"),
                ("Sales ($ thousand)", "销售额（万元）"), (5, 120), (80, 900), 0.12,
                (("Source: marketing department", "数据来源：市场部"),)),
    ScatterPair(("Study time and exam score", "学习时长与考试成绩"), ("Study time (hours/week)", "学习时长（小时/周）"),
                ("Exam score", "考试成绩（分）"), (1, 30), (45, 95), 0.1, (("Source: school records", "数据来源：学校教务处"),)),
    ScatterPair(("Price and units sold", "价格与销量"), ("Price ($)", "价格（元）"), ("Units sold", "销量（件）"),
                (10, 80), (1800, 300), 0.1, (("Source: company sales data", "数据来源：公司销售数据"),)),
    ScatterPair(("Temperature and electricity demand", "气温与用电负荷"), ("Temperature (°C)", "气温（℃）"),
                ("Demand (GW)", "用电负荷（万千瓦）"), (-5, 38), (30, 55), 0.08,
                (("Source: grid operator", "数据来源：电网公司"),)),
    ScatterPair(("Income and life expectancy", "人均收入与预期寿命"), ("GDP per capita ($ thousand)", "人均GDP（万元）"),
                ("Life expectancy (years)", "预期寿命（岁）"), (1, 60), (62, 83), 0.06,
                (("Source: World Bank", "数据来源：世界银行"),)),
    ScatterPair(("Engine size and fuel economy", "排量与油耗"), ("Engine size (L)", "排量（升）"),
                ("Fuel use (L/100 km)", "油耗（升/百公里）"), (1, 5), (5.5, 14), 0.08,
                (("Source: vehicle tests", "数据来源：汽车测评"),)),
)
