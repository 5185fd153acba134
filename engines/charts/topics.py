"""What built-in charts are about: a measure, its unit, its plausible values and the pools it uses.

A topic keeps a chart plausible as a whole: a temperature chart has months or cities, one or two
decimals, values that may go below zero, and a "Temperature (°C)" axis; a market-share chart has
percentages that add up to 100 and may be a pie. Values stay within one magnitude per chart, and
the topics together span 1e-2 to 1e6.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CARTESIAN_ALL = ("bar", "hbar", "grouped_bar", "stacked_bar", "line", "multi_line", "area", "scatter", "bar_line")
TRENDS = ("bar", "line", "multi_line", "area", "scatter", "grouped_bar", "bar_line")


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


TOPICS: tuple[Topic, ...] = (
    Topic(("Sales", "销量"), (("Units sold", "销量（件）"), ("Sales (units)", "销售量（台）")),
          ("months", "quarters", "products", "cities", "years"), ("products", "areas", "channels", "scenarios"),
          CARTESIAN_ALL + ("radar",), (2, 4.5)),
    Topic(("Revenue", "营业收入"), (("Revenue ($ million)", "营业收入（亿元）"), ("Revenue", "收入（万元）")),
          ("years", "quarters", "companies", "regions"), ("companies", "areas", "scenarios"),
          CARTESIAN_ALL, (1, 4), currency=("$", "¥")),
    Topic(("GDP growth", "GDP增速"), (("Growth rate (%)", "增长率（%）"), ("Annual change", "同比增长")),
          ("years", "countries", "regions", "quarters"), ("countries", "regions", "years"),
          ("bar", "hbar", "line", "multi_line", "grouped_bar", "scatter"), (0.5, 1.2), negatives=True,
          percent=True, decimals=(1,)),
    Topic(("Temperature", "平均气温"), (("Temperature (°C)", "气温（℃）"), ("Mean temperature (°C)", "平均气温（℃）")),
          ("months", "cities"), ("cities",), ("line", "multi_line", "bar", "area", "scatter", "grouped_bar"),
          (1, 1.5), negatives=True, decimals=(1,)),
    Topic(("Population", "常住人口"), (("Population (thousands)", "人口（万人）"), ("Residents", "常住人口（万人）")),
          ("countries", "cities", "regions", "years"), ("years", "genders"),
          ("bar", "hbar", "grouped_bar", "stacked_bar", "line", "area"), (3, 6), decimals=(0,)),
    Topic(("Market share", "市场份额"), (("Market share (%)", "市场份额（%）"),),
          ("companies", "products", "channels"), ("years",), ("pie", "donut", "bar", "hbar"), (1.3, 1.7),
          percent=True, share=True),
    Topic(("Budget", "预算"), (("Budget ($ thousand)", "预算（万元）"), ("Spending", "支出（万元）")),
          ("departments", "expenses"), ("years", "scenarios"),
          ("pie", "donut", "bar", "hbar", "grouped_bar", "stacked_bar"), (2, 4), share=True, currency=("$", "¥")),
    Topic(("Respondents", "受访者占比"), (("Share of respondents (%)", "占比（%）"),),
          ("age_groups", "channels"), ("genders", "years"),
          ("bar", "hbar", "grouped_bar", "pie", "donut", "line"), (1.3, 1.8), percent=True, share=True),
    Topic(("Score", "平均分"), (("Average score", "平均分"), ("Score", "成绩（分）")),
          ("subjects",), ("classes",), ("radar", "bar", "grouped_bar", "hbar", "line"), (1.85, 2), decimals=(0, 1)),
    Topic(("Rating", "评分"), (("Rating (0-10)", "评分（满分10分）"),),
          ("attributes",), ("products", "companies"), ("radar", "bar", "hbar", "grouped_bar"), (0.9, 1), decimals=(1,)),
    Topic(("Electricity price", "电价"), (("Price ($/kWh)", "电价（元/千瓦时）"),),
          ("months", "countries", "years"), ("scenarios", "areas"), TRENDS, (-1.3, -0.5), decimals=(2, 3)),
    Topic(("Concentration", "浓度"), (("Concentration (mg/L)", "浓度（mg/L）"), ("PM2.5 (mg/m³)", "PM2.5（mg/m³）")),
          ("months", "cities", "weekdays"), ("cities",), TRENDS + ("hbar",), (-2, -1), decimals=(3,)),
    Topic(("Rainfall", "降水量"), (("Rainfall (mm)", "降水量（毫米）"),), ("months", "cities"), ("cities",),
          TRENDS, (1.5, 2.6), decimals=(0, 1)),
    Topic(("Electricity generation", "发电量"), (("Generation (TWh)", "发电量（亿千瓦时）"),),
          ("energy", "years"), ("years", "energy"), CARTESIAN_ALL + ("pie", "donut"), (1, 3.5), share=True),
    Topic(("Visitors", "访问量"), (("Visitors", "访问量（人次）"), ("Page views", "浏览量")),
          ("weekdays", "months"), ("channels",), TRENDS + ("stacked_bar",), (3, 5.5)),
    Topic(("Net profit", "净利润"), (("Net profit ($ million)", "净利润（亿元）"),),
          ("quarters", "years", "companies"), ("companies", "scenarios"),
          ("bar", "hbar", "grouped_bar", "line", "multi_line", "bar_line"), (1, 3), negatives=True,
          currency=("$", "¥")),
    Topic(("Exports", "出口额"), (("Exports ($ billion)", "出口额（亿美元）"),),
          ("countries", "years", "products"), ("years", "products"), CARTESIAN_ALL + ("pie",), (1, 3.5), share=True),
    Topic(("Satisfaction", "满意度"), (("Satisfaction (%)", "满意度（%）"),),
          ("attributes", "departments", "quarters"), ("years", "areas"),
          ("bar", "hbar", "grouped_bar", "radar", "line"), (1.8, 2), percent=True, decimals=(0, 1)),
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
