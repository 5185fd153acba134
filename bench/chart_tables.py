"""Real published tables, shaped as statistics portals publish them, for the charts engine's `--source`.

    python -m bench.chart_tables --out tables/      # write them as CSV files
    python -m bench.chart_tables                     # and report the share that gives charts

Three PyPI packages ship real data sets offline: `vega-datasets` (its local subset),
`statsmodels` (`statsmodels.datasets`) and `plotly` (`plotly.data`). Each table here is one of
them cut and labelled the way a portal would publish it: a long title (60-140 characters), the
unit in the column headers, often the newest period first, 10-300 rows, up to 20 series, long
row labels, thousands separators and gaps. Every value is the data set's own (rounded as a
portal would print it). A package that is not installed contributes no tables.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

Table = tuple[str, str]  # (file name, CSV text)


def _csv(title: str, source: str, header: list[str], rows: list[list], newest_first: bool = False,
         digits: int = 2, thousands: bool = False) -> str:
    out = io.StringIO()
    out.write(f"# title: {title}\n# source: {source}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)

    def cell(v) -> str:
        if isinstance(v, str):
            return v
        if v != v:  # NaN: a gap, as portals print it
            return ".."
        return f"{v:,.{digits}f}" if thousands else f"{round(float(v), digits):g}" if digits else f"{v:.0f}"

    for row in (rows[::-1] if newest_first else rows):
        writer.writerow([row[0]] + [cell(v) for v in row[1:]])
    return out.getvalue()


def _vega() -> Iterator[Table]:
    from vega_datasets import local_data as v

    d = v.iowa_electricity().pivot(index="year", columns="source", values="net_generation")
    yield "iowa_electricity.csv", _csv(
        "Net electricity generation in Iowa by source of energy, 2001 to 2017, in thousand megawatt hours",
        "U.S. Energy Information Administration", ["Year"] + [f"{c} (thousand MWh)" for c in d.columns],
        [[str(i.year)] + list(r) for i, r in zip(d.index, d.values)], newest_first=True, digits=0, thousands=True)
    d = v.us_employment()
    cols = [c for c in d.columns if c != "month"]
    yield "us_employment.csv", _csv(
        "Employees on nonfarm payrolls by industry sector, United States, monthly, seasonally adjusted, 2006-2015",
        "U.S. Bureau of Labor Statistics", ["Month"] + [f"{c.replace('_', ' ').capitalize()} (thousands)" for c in cols],
        [[str(m)[:7]] + list(r) for m, r in zip(d["month"], d[cols].values)], newest_first=True, digits=0)
    d = v.crimea()
    yield "crimea.csv", _csv(
        "Deaths in the British army in the East by cause, monthly, April 1854 to March 1856 (Nightingale's data)",
        "Florence Nightingale, Notes on Matters Affecting the Health of the British Army", ["Month",
        "Zymotic diseases (deaths)", "Wounds and injuries (deaths)", "All other causes (deaths)"],
        [[t.strftime("%b %Y"), a, b, c] for t, a, b, c in zip(d["date"], d["disease"], d["wounds"], d["other"])], digits=0)
    d = v.wheat()
    yield "wheat.csv", _csv(
        "Price of a quarter of wheat and weekly wages of a good mechanic in England, 1565 to 1821, in shillings",
        "William Playfair (1821)", ["Year", "Price of wheat (shillings)", "Weekly wages (shillings)"],
        [[str(y), w, g] for y, w, g in zip(d["year"], d["wheat"], d["wages"])], newest_first=True)
    d = v.barley()
    d = d[d["year"] == 1931].pivot(index="site", columns="variety", values="yield")
    yield "barley.csv", _csv(
        "Barley yield by experimental site and variety in the Minnesota field trials of 1931, bushels per acre",
        "Immer, Hayes and Powers (1934)", ["Site"] + [f"{c} (bu/acre)" for c in d.columns],
        [[i] + list(r) for i, r in zip(d.index, d.values)], digits=1)
    d = v.burtin()
    yield "burtin.csv", _csv(
        "Minimum inhibitory concentration of penicillin, streptomycin and neomycin against sixteen bacteria",
        "Will Burtin (1951)", ["Bacterium", "Penicillin (µg/ml)", "Streptomycin (µg/ml)", "Neomycin (µg/ml)"],
        [list(r) for r in d[["Bacteria", "Penicillin", "Streptomycin", "Neomycin"]].values], digits=3)
    d = v.driving()
    yield "driving.csv", _csv(
        "Average miles driven per licensed driver per year in the United States, 1956 to 2010",
        "U.S. Department of Transportation", ["Year", "Miles per driver (miles)"],
        [[str(y), m] for y, m in zip(d["year"], d["miles"])], newest_first=True, digits=0, thousands=True)
    d = v.stocks()
    d = d.pivot(index="date", columns="symbol", values="price")
    yield "stocks.csv", _csv(
        "Monthly closing share prices of five large US technology companies, January 2000 to March 2010, US dollars",
        "Yahoo Finance", ["Month"] + [f"{c} ($)" for c in d.columns],
        [[i.strftime("%Y-%m")] + list(r) for i, r in zip(d.index, d.values)], newest_first=True)
    d = v.seattle_weather()
    monthly = d.groupby(d["date"].dt.to_period("M"))[["temp_max", "temp_min"]].mean()
    yield "seattle_weather.csv", _csv(
        "Average daily maximum and minimum temperature in Seattle by month, 2012 to 2015, degrees Celsius",
        "NOAA", ["Month", "Daily maximum (°C)", "Daily minimum (°C)"],
        [[p.strftime("%b %Y")] + list(r) for p, r in zip(monthly.index, monthly.values)], digits=1)
    d = v.sf_temps()
    monthly = d.groupby(d["date"].dt.to_period("M"))["temp"].mean()
    yield "sf_temps.csv", _csv(
        "Mean hourly air temperature in San Francisco by month, 2010, in degrees Fahrenheit", "NOAA",
        ["Month", "Mean temperature (°F)"], [[p.strftime("%Y-%m"), t] for p, t in monthly.items()], digits=1)


def _statsmodels() -> Iterator[Table]:
    import statsmodels.api as sm

    load = lambda name: getattr(sm.datasets, name).load_pandas().data  # noqa: E731
    d = load("co2")
    yearly = d.groupby(d.index.year)["co2"].mean()
    yield "co2.csv", _csv(
        "Atmospheric carbon dioxide concentration measured at Mauna Loa Observatory, Hawaii, annual mean, 1958-2001",
        "Scripps Institution of Oceanography", ["Year", "CO2 concentration (ppm)"],
        [[str(y), c] for y, c in yearly.items()], newest_first=True)
    d = load("macrodata")
    q = [f"{int(y)} Q{int(k)}" for y, k in zip(d["year"], d["quarter"])]
    yield "us_macro.csv", _csv(
        "Real gross domestic product, personal consumption and private investment of the United States, quarterly",
        "Federal Reserve Bank of St. Louis", ["Quarter", "Real GDP (billions of 2005 dollars)",
        "Real consumption (billions of 2005 dollars)", "Real investment (billions of 2005 dollars)"],
        [[k, a, b, c] for k, a, b, c in zip(q, d["realgdp"], d["realcons"], d["realinv"])], newest_first=True, digits=1)
    yield "us_unemployment.csv", _csv(
        "Civilian unemployment rate and inflation rate of the United States by quarter, 1959 to 2009, percent",
        "U.S. Bureau of Labor Statistics", ["Quarter", "Unemployment rate (%)", "Inflation rate (%)"],
        [[k, a, b] for k, a, b in zip(q, d["unemp"], d["infl"])], newest_first=True)
    d = load("elnino")
    yield "elnino.csv", _csv(
        "Monthly mean sea surface temperature in the El Niño region of the Pacific Ocean, 1950-2010, degrees Celsius",
        "NOAA Climate Prediction Center", ["Year"] + [f"{m.capitalize()} (°C)" for m in d.columns[1:]],
        [[str(int(r[0]))] + list(r[1:]) for r in d.values], newest_first=True)
    d = load("sunspots")
    yield "sunspots.csv", _csv("Yearly mean total sunspot number, 1700 to 2008", "WDC-SILSO, Royal Observatory of Belgium",
                               ["Year", "Sunspot number"], [[str(int(y)), s] for y, s in d.values], digits=1)
    d = load("nile")
    yield "nile.csv", _csv(
        "Annual flow volume of the river Nile at Aswan, 1871 to 1970, in hundred million cubic metres",
        "Cobb (1978)", ["Year", "Annual flow (10^8 m³)"], [[str(int(y)), f] for y, f in d.values],
        newest_first=True, digits=0)
    d = load("grunfeld").pivot(index="year", columns="firm", values="invest")
    yield "grunfeld.csv", _csv(
        "Gross investment of ten large US corporations, 1935 to 1954, in millions of 1947 dollars",
        "Grunfeld (1958)", ["Year"] + [f"{c} ($ million)" for c in d.columns],
        [[str(int(i))] + list(r) for i, r in zip(d.index, d.values)], digits=1)
    d = load("statecrime")
    yield "statecrime.csv", _csv(
        "Violent crime rate by US state and the District of Columbia, 2009, offences per 100,000 population",
        "FBI Uniform Crime Reports", ["State", "Violent crime rate (per 100,000)"],
        [[s, c] for s, c in zip(d.index, d["violent"])], digits=1)
    d = load("fertility").set_index("Country Name")
    picks = ["Bosnia and Herzegovina", "Congo, Dem. Rep.", "Korea, Rep.", "Iran, Islamic Rep.", "Egypt, Arab Rep.",
             "Venezuela, RB", "Micronesia, Fed. Sts.", "Lao PDR"]
    years = [c for c in d.columns if c.isdigit() and d.loc[picks, c].notna().all()]
    yield "fertility.csv", _csv(
        "Total fertility rate in selected countries, births per woman, 1960 to 2015, World Development Indicators",
        "World Bank", ["Year"] + [f"{p} (births per woman)" for p in picks],
        [[y] + [d.loc[p, y] for p in picks] for y in years], newest_first=True)
    d = load("china_smoking")
    yield "china_smoking.csv", _csv(
        "Lung cancer cases and controls by smoking status in eight Chinese cities, case-control study",
        "Liu (1992)", ["City", "Smokers with lung cancer", "Smokers without lung cancer",
                       "Non-smokers with lung cancer", "Non-smokers without lung cancer"],
        [[c] + list(r) for c, r in zip(d.index, d.values)], digits=0)
    d = load("longley")
    yield "longley.csv", _csv(
        "Total employment and unemployment in the United States, 1947 to 1962, thousands of persons",
        "U.S. Bureau of Labor Statistics (Longley, 1967)", ["Year", "Employed (thousands)", "Unemployed (thousands)"],
        [[str(int(y)), e, u / 10] for y, e, u in zip(d["YEAR"], d["TOTEMP"], d["UNEMP"])], digits=0, thousands=True)


def _plotly() -> Iterator[Table]:
    import plotly.data as p

    g = p.gapminder()
    life = g.groupby(["year", "continent"])["lifeExp"].mean().unstack()
    yield "life_expectancy.csv", _csv(
        "Average life expectancy at birth by continent, 1952 to 2007, unweighted mean of countries, in years",
        "Gapminder", ["Year"] + [f"{c} (years)" for c in life.columns],
        [[str(y)] + list(r) for y, r in zip(life.index, life.values)], newest_first=True, digits=1)
    top = g[g["year"] == 2007].nlargest(12, "pop")
    yield "population_2007.csv", _csv(
        "The twelve most populous countries of the world in 2007, total population, according to Gapminder",
        "Gapminder", ["Country", "Population (people)"], [[c, v] for c, v in zip(top["country"], top["pop"])],
        digits=0, thousands=True)
    names = ["Bosnia and Herzegovina", "Central African Republic", "Dominican Republic", "Sao Tome and Principe",
             "Trinidad and Tobago", "Korea, Dem. Rep."]
    gdp = g[g["country"].isin(names)].pivot(index="year", columns="country", values="gdpPercap")
    yield "gdp_per_capita.csv", _csv(
        "GDP per capita of six countries with long official names, 1952 to 2007, in constant 2005 international dollars",
        "Gapminder", ["Year"] + [f"{c} (int. $)" for c in gdp.columns],
        [[str(y)] + list(r) for y, r in zip(gdp.index, gdp.values)], newest_first=True, digits=0, thousands=True)
    m = p.medals_wide()
    yield "medals.csv", _csv("Olympic short track speed skating medals won by the three leading nations, all time",
                             "International Olympic Committee", ["Nation", "Gold", "Silver", "Bronze"],
                             [list(r) for r in m.values], digits=0)
    s = p.stocks()
    yield "plotly_stocks.csv", _csv(
        "Weekly closing share price of six technology companies relative to the first week of 2018 (index, 1 = start)",
        "Yahoo Finance", ["Week"] + [f"{c} (index)" for c in s.columns[1:]], [list(r) for r in s.values],
        newest_first=True, digits=3)
    t = p.tips().groupby("day", sort=False)["tip"].mean()
    yield "tips.csv", _csv("Average tip left per restaurant bill by day of the week, one waiter's records, US dollars",
                           "Bryant and Smith (1995)", ["Day", "Average tip"], [[d, f"${v:.2f}"] for d, v in t.items()])
    w = p.wind().pivot(index="direction", columns="strength", values="frequency")
    yield "wind.csv", _csv("Frequency of wind by direction and by strength class, share of all observations, percent",
                           "plotly sample data", ["Direction"] + [f"{c} m/s (%)" for c in w.columns],
                           [[i] + list(r) for i, r in zip(w.index, w.values)], digits=1)
    e = p.election()
    yield "election.csv", _csv(
        "Votes for each candidate by electoral district in the 2013 Montreal mayoral election (first 58 districts)",
        "Élections Montréal", ["District", "Coderre (votes)", "Bergeron (votes)", "Joly (votes)"],
        [list(r) for r in e[["district", "Coderre", "Bergeron", "Joly"]].values], digits=0)


SOURCES: dict[str, Callable[[], Iterator[Table]]] = {
    "vega_datasets": _vega, "statsmodels": _statsmodels, "plotly": _plotly}


def published_tables() -> list[Table]:
    """Every table the installed packages give (none from a package that is not installed)."""
    out: list[Table] = []
    for make in SOURCES.values():
        try:
            out.extend(make())
        except ImportError:
            continue
    return out


def write_tables(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in published_tables():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def main() -> None:
    from bench.charts import charted_share

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="folder to write the tables to (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.out or tmp)
        print(f"{len(write_tables(folder))} tables in {folder}")
        print(charted_share(folder))


if __name__ == "__main__":
    main()
