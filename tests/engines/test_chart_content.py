"""What built-in charts say, against published figures: magnitudes of their years, no empty series, and a
dual-axis chart's two formats (issue 27). Content only (no rendering); the properties over a thousand draws
are in the slow tier."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engines.base import SampleError, make_rng
from engines.charts.content import facts
from engines.charts.content.builtin import draw_content, with_growth, with_note
from engines.charts.content.model import ChartContent
from engines.charts.content.topics import TOPICS
from engines.charts.content.values import year_of
from engines.charts.spec import NumberFormat, Series
from engines.charts.style import draw_spec
from renderers.errors import RenderError

YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def contents(n: int, kinds: tuple[str, ...], seed: int = 0, looks: str = "mixed") -> list[ChartContent]:
    """n drawn contents (alternately English and Chinese), draws that fail skipped."""
    out = []
    for index in range(n):
        try:
            out.append(draw_content(make_rng(seed, "charts", index), "zh" if index % 2 else "en", kinds, looks))
        except (SampleError, RenderError):
            continue
    return out


@pytest.mark.parametrize(("mix", "year", "total", "published"), [
    ("煤炭", 1998, 11670, "China, NBS yearbook"), ("煤炭", 2010, 42072, "China, CEC"),
    ("煤炭", 2023, 94564, "China, CEC"), ("Coal", 2000, 15400, "world, IEA"), ("Coal", 2023, 29900, "world, Ember")])
def test_electricity_totals_are_the_published_ones_of_their_year(mix: str, year: int, total: float,
                                                                 published: str) -> None:
    """China's 1998 mix was 1.4 times too large before (2023's figures taken back at today's growth rates)."""
    made = sum(facts.generation(source, year) for source in facts.MIXES[mix])
    assert abs(made / total - 1) < 0.04, (published, made)


@pytest.mark.parametrize(("label", "year", "people"), [("China", 1995, 1.21e9), ("India", 1995, 0.96e9),
                                                       ("China", 2010, 1.35e9), ("USA", 2010, 3.1e8)])
def test_a_country_s_population_is_that_of_the_year(label: str, year: int, people: float) -> None:
    """UN World Population Prospects 2024 (China's 1995 population was put at 1.46 billion before)."""
    assert abs(facts.population(label, year) / people - 1) < 0.04


def test_exports_and_growth_follow_their_years() -> None:
    """China exported $249 billion of goods in 2000 (WTO) and grew 10% a year in the 2000s (IMF)."""
    assert abs(facts.exports("China", 2000) / 249 - 1) < 0.01 and 1500 < facts.exports("China", 2012) < 2600
    assert facts.gdp_growth("China", 2005) > 9 and facts.gdp_growth("China", 2023) < 6
    assert year_of("Q3 2009") == 2009 and year_of("2009年") == 2009 and year_of("Jan") == facts.YEAR


@pytest.mark.slow  # draws over a thousand contents
def test_no_electricity_source_is_drawn_over_years_it_barely_generated() -> None:
    """A 1998 chart had empty wind, solar and biomass groups: every source drawn reaches 2% of the largest."""
    seen = 0
    for content in contents(1600, ("bar", "grouped_bar", "stacked_bar", "hstacked_bar", "multi_line", "pie")):
        if content.notes.get("topic") != "Electricity generation" or content.number_format.suffix:
            continue
        rows = np.array([s.values for s in content.series])
        top = rows.max()
        for k, name in enumerate(s.name for s in content.series):
            assert name not in facts.ENERGY or rows[k].max() >= 0.015 * top, (content.title, name, rows[k])
        for i, label in enumerate(content.categories):
            assert label not in facts.ENERGY or rows[:, i].max() >= 0.015 * top, (content.title, label, rows[:, i])
        seen += 1
    assert seen >= 20


@pytest.mark.slow  # draws over a thousand contents
def test_sources_of_places_without_a_past_are_charted_near_their_year() -> None:
    """A city's 2023 population is not taken back to 1996: its years stay near the figures' year."""
    for content in contents(1500, ("grouped_bar", "stacked_bar", "bar")):
        if content.notes.get("topic") != "Population" or len(content.series) < 2:
            continue
        years = [int(s.name.rstrip("年")) for s in content.series if s.name.rstrip("年").isdigit()]
        if years and not all(c in facts.PAST for c in content.categories):
            assert min(years) >= facts.YEAR - facts.HELD, (content.categories, years)


@pytest.mark.slow  # draws over a thousand contents
def test_a_dual_axis_chart_writes_each_axis_in_its_own_format() -> None:
    """Units sold in whole units on the left, their growth to a tenth of a per cent on the right (before, both
    took one decimal: "36000.0" units); only quantities that grow get a growth axis (not PM2.5 or a price)."""
    seen = 0
    for index, content in enumerate(contents(400, ("bar_line",), seed=5, looks="always")):
        if content.y2_title is None:
            continue
        topic = next(t for t in TOPICS if t.measure[0] == content.notes["topic"])
        assert topic.additive or topic.currency[0], topic.measure  # no month-on-month growth of PM2.5
        spec = draw_spec(make_rng(5, "style", index), content, exact=True, looks="always")  # every value printed
        left, right = spec.format_of(0), spec.format_of(1)
        assert right == NumberFormat(1) and right is spec.y2_format
        if min(spec.series[0].values) >= 1000:
            seen += 1
            assert left.decimals == 0 and "." not in spec.label(0, 0), spec.label(0, 0)
        assert spec.label(1, 0) == f"{spec.series[1].values[0]:.1f}"
    assert seen >= 5


def test_growth_keeps_the_bars_name() -> None:
    """Coal's generation with its growth is not the total's ("发电量" named coal's bars before)."""
    content = ChartContent("bar_line", ["2001", "2002", "2003"], [Series("Coal", [100.0, 110.0, 121.0]),
                                                                  Series("Hydro", [20.0, 21.0, 22.0])],
                           NumberFormat(0), "en")
    with_growth(content, np.random.default_rng(0))
    assert [s.name for s in content.series] == ["Coal", "Growth rate"] and content.series[0].values[1] == 110.0
    assert content.series[1].values[1:] == [10.0, 10.0] and content.number_format == NumberFormat(0)


@pytest.mark.slow  # draws over a thousand contents
def test_provinces_grow_at_their_published_rates() -> None:
    """2023's provincial growth was 4-6.5% (NBS): a province shrinking 2% in 2023 was drawn before."""
    seen = 0
    for content in contents(1500, ("bar", "hbar")):
        if content.notes.get("topic") != "GDP growth" or not set(content.categories) <= set(facts.PROVINCE_GROWTH) \
                or content.number_format.suffix != "%":
            continue
        seen += 1
        for label, value in zip(content.categories, content.series[0].values):
            assert abs(value - facts.gdp_growth(label)) < 1.5, (label, value)
    assert seen >= 3


@pytest.mark.slow  # draws over a thousand contents
def test_a_population_over_years_is_a_named_country_s() -> None:
    """No unnamed place's population zigzagging by 2% a year: the title names the country, the values are its."""
    seen = 0
    for content in contents(1500, ("line", "area", "bar", "stacked_bar")):
        if content.notes.get("topic") != "Population" or not content.time:
            continue
        place = max((c for c in facts.PAST if content.title.startswith(c)), key=len)
        total = np.sum([s.values for s in content.series], axis=0)
        per = facts.POPULATION_UNITS[content.lang]["countries"][1]
        if content.notes.get("stack") == "percent":
            continue
        for label, value in zip(content.categories, total):
            assert abs(value * per / facts.population(place, year_of(label)) - 1) < 0.02, (place, label, value)
        seen += 1
    assert seen >= 5


def test_a_portal_s_copyright_is_not_older_than_its_data() -> None:
    """"2023年各省份GDP增速 … © Numbra Charts 2020" before: a portal publishes after the latest year it charts."""
    seen = 0
    for index, content in enumerate(contents(300, ("bar", "line"), seed=2)):
        try:
            spec = draw_spec(make_rng(2, "style", index), content, looks="always")
        except (SampleError, RenderError):
            continue
        named = [int(y) for t in [content.title or ""] + content.categories for y in YEARS.findall(t)]
        named += [content.notes["year"]] if "year" in content.notes else []  # 2023's mix, its year untitled
        if spec.style.publisher != "portal" or not named:
            continue
        seen += 1
        assert int(spec.source.rsplit(" ", 1)[-1]) >= min(max(named), 2025), (spec.title, spec.source)
    assert seen >= 10


@pytest.mark.slow  # draws over a thousand contents
def test_a_100_percent_stack_of_drawn_parts_is_not_three_thirds() -> None:
    """Three products at 33.0%, 32.8% and 34.2% of exports every year before (median spread of the parts 11
    points, 26 now): drawn parts differ in size."""
    spreads = []
    for content in contents(1500, ("stacked_bar", "hstacked_bar")):
        if content.notes.get("stack") == "percent" and (content.notes["topic"] != "Population"):
            means = np.mean([s.values for s in content.series], axis=1)
            spreads.append(means.max() - means.min())
    assert len(spreads) >= 20 and np.median(spreads) > 18, (len(spreads), np.median(spreads))


@pytest.mark.slow  # draws over a thousand contents
def test_exports_over_years_are_a_named_country_s() -> None:
    """One series of exports over years is a named country's, at its published magnitude of each year."""
    seen = 0
    for content in contents(1500, ("line", "bar", "area")):
        if content.notes.get("topic") != "Exports" or not content.time or len(content.series) > 1:
            continue
        place = max((c for c in facts.EXPORTS if content.title.startswith(c)), key=len)  # not 印度 for 印度尼西亚
        per = 0.1 if content.lang == "zh" else 1.0
        for label, value in zip(content.categories, content.series[0].values):
            assert abs(value * per / facts.exports(place, year_of(label)) - 1) < 0.2, (place, label, value)
        seen += 1
    assert seen >= 5


def test_growth_and_trade_have_their_years_shape() -> None:
    """The pandemic year fell (the UK by 10%), and exports grew fastest to 2008 (Poland's $172 billion, not 103)."""
    assert facts.gdp_growth("UK", 2020) < -9 and facts.gdp_growth("UK", 2021) > 8 and facts.gdp_growth("陕西", 2020) < 3
    assert abs(facts.exports("Poland", 2008) / 172 - 1) < 0.01 and facts.exports("China", 2005) > 600


def test_no_stacked_part_reads_as_nothing() -> None:
    """Alaska's women at "0" thousand in a stack of states (resampled to a scale of 10,000s) before: a stacked
    part the scale cannot tell from nothing fails the draw instead."""
    failed = 0
    for seed in range(12):
        content = ChartContent("stacked_bar", ["Texas", "Alaska", "Ohio"],
                               [Series("Female", [15300.0, 360.0, 5900.0]), Series("Male", [15200.0, 380.0, 5890.0])],
                               NumberFormat(0), "en", y_title="Population (thousands)")  # draw_spec snaps in place
        try:
            spec = draw_spec(make_rng(seed, "style", 0), content)
        except RenderError as error:
            failed += error.reason == "part_unreadable"
            continue
        assert min(v for s in spec.series for v in s.values) > 0, spec.series
    assert failed


def test_company_money_has_a_company_s_magnitude_in_its_unit() -> None:
    """营业收入 of 6-16 万元 a year under "企业财报" before: a listed company's revenue in 万元 runs to hundreds of
    thousands, in 亿元 to tens or more; the value axis's unit decides the magnitude."""
    seen = 0
    for content in contents(240, ("bar", "hbar", "line", "bar_line"), seed=3):
        if content.notes.get("topic") not in ("Revenue", "Net profit") or content.number_format.suffix:
            continue
        unit = content.x_title if content.kind == "hbar" else content.y_title
        top = max(abs(v) for v in content.series[0].values)
        if unit and ("万元" in unit or "thousand" in unit):
            seen += 1
            assert top >= 1000, (unit, content.series[0].values)
    assert seen >= 3


def test_respondents_are_not_broken_down_by_a_seller_s_channels() -> None:
    """"Respondents by Channel": Male/Female over Export/Partners/Wholesale before (a sales template's categories
    under a survey's series)."""
    respondents = next(t for t in TOPICS if t.measure[0] == "Respondents")
    assert "channels" not in respondents.categories + respondents.series


def test_a_source_publishes_in_its_own_currency() -> None:
    """"Source: Eurostat" over "Price ($/kWh)" before: Eurostat publishes EUR/kWh, of European countries only."""
    for topic in TOPICS:
        for english, _, _ in topic.sources:
            if "Eurostat" in english:
                assert all("$" not in en for en, _ in topic.units), topic.measure


def test_a_monthly_chart_shows_the_whole_year() -> None:
    """"Rainfall by Month in 2020" over Jan-Nov before: a past year's months run from January to December; a
    climate chart (normals, not one year's weather) names no year."""
    seen = 0
    for content in contents(300, ("line", "multi_line", "bar", "area", "scatter"), seed=4):
        if content.categories[0] not in ("Jan", "1月"):
            continue
        seen += 1
        assert len(content.categories) == 12, content.categories
        topic = next(t for t in TOPICS if t.measure[0] == content.notes["topic"])
        assert not (topic.climate and YEARS.search(content.title or "")), content.title
    assert seen >= 10


def test_a_yearbook_note_is_of_the_chart_s_country() -> None:
    """"Note: resident population at year end." (China's 年末常住人口) under the U.S. Census Bureau before."""
    population = next(t for t in TOPICS if t.measure[0] == "Population")
    assert "year end" not in with_note("Source: U.S. Census Bureau", population, "en")
    assert with_note("数据来源：国家统计局", population, "zh").startswith("注：年末常住人口。")


def test_a_city_s_air_is_its_own() -> None:
    """PM2.5 of Boston at 19-22 µg/m³ and London at 16 before (annual means about 7 and 10): a city's values
    keep near its published annual mean, higher in winter."""
    seen = 0
    for content in contents(160, ("bar", "hbar", "line", "multi_line"), seed=6):
        if content.notes.get("topic") != "PM2.5":
            continue
        if set(content.categories) <= set(facts.PM25):
            pairs = [(c, v) for s in content.series for c, v in zip(content.categories, s.values)]
        else:
            pairs = [(s.name, float(np.mean(s.values))) for s in content.series if s.name in facts.PM25]
        for city, value in pairs:
            seen += 1
            assert abs(value / facts.PM25[city] - 1) < 0.35, (content.title, city, value)
    assert seen >= 10
    assert facts.pm25("北京", 0) > facts.pm25("北京") > facts.pm25("北京", 6)
