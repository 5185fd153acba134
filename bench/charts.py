"""Benchmark the chart renderers: charts per second per core, against a naive pyplot loop.

    python -m bench.charts [--n 120] [--seed 0]

The same chart specs (drawn by the charts engine, English and Chinese, every kind) are rendered
three ways in one process: a naive baseline (the plain pyplot loop most scripts use: one
`plt.figure` per chart, pyplot's own bars/lines/pie/labels, `savefig` to PNG, `plt.close`), the
matplotlib renderer (one reused Figure, Agg buffer to PIL) and the ECharts renderer (pyecharts
options in the process's reused Chromium). "Per core" is per CPU-second: this process's CPU time,
plus, for ECharts, that of the Playwright driver and Chromium processes it drives, so a browser
working on another core is not counted as free. The renderers are also timed with the PNG
encoding a shard applies to every image (`shards.format.encode_image`), since the baseline's
`savefig` includes it. Chromium's start-up (once per worker) is reported apart. Goals: the
matplotlib renderer at least 2x the baseline, ECharts at least 10 charts per CPU-second.

Beside the renderers, the whole engine (content, layout, label placement, rendering, the checks,
degradation) is timed per renderer, and the data is measured against real published charts: the
time series of built charts against the real tables' (`bench.chart_realism`: within 0.1 on the
median lag-1 autocorrelation and the share of steps that change direction) and the share of the real
tables of `bench.chart_tables` that give charts with every kept value exact (goal 90%).
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  - the baseline is pyplot by definition
import psutil  # noqa: E402

from bench.chart_realism import TOLERANCE, built_charts, real_windows, summary  # noqa: E402
from bench.chart_tables import write_tables  # noqa: E402
from bench.cpu import cpu_seconds  # noqa: E402
from engines.base import SampleError, make_rng  # noqa: E402
from engines.charts.content.builtin import draw_content  # noqa: E402
from engines.charts.draw.echarts import EChartsRenderer, page_html  # noqa: E402
from engines.charts.draw.mpl_chart import MatplotlibChartRenderer  # noqa: E402
from engines.charts.engine import ChartsEngine  # noqa: E402
from engines.charts.spec import KINDS, ChartSpec  # noqa: E402
from engines.charts.style import draw_spec  # noqa: E402
from renderers.chromium import shared  # noqa: E402
from renderers.errors import RenderError  # noqa: E402
from renderers.fonts import FACES, text_width  # noqa: E402
from shards.format import encode_image  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def naive_pyplot(spec: ChartSpec) -> bytes:
    """The baseline: what a plain pyplot script does for one chart, saved as a PNG of the same size."""
    st = spec.style
    fig = plt.figure(figsize=(st.width / 100, st.height / 100), dpi=100)
    plt.rcParams["font.family"] = FACES[st.font].family
    if spec.kind in ("pie", "donut"):
        plt.pie(spec.series[0].values, labels=spec.categories, autopct="%.1f%%" if spec.data_labels else None,
                wedgeprops={"width": 0.45} if spec.kind == "donut" else None)
    else:
        ax = fig.add_subplot()
        for k, series in enumerate(spec.series):
            if spec.kind in ("bar", "hbar", "grouped_bar", "stacked_bar") or (spec.kind == "bar_line" and k == 0):
                bars = (ax.barh if spec.kind == "hbar" else ax.bar)(spec.categories, series.values, label=series.name)
                if spec.data_labels:
                    ax.bar_label(bars, labels=[spec.label(k, i) for i in range(len(series.values))])
            else:
                ax.plot(spec.categories, series.values, marker="o", label=series.name)
        ax.set_xlabel(spec.x_title or "")
        ax.set_ylabel(spec.y_title or "")
        if len(spec.series) > 1:
            ax.legend()
    plt.title(spec.title or "")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def bench_specs(n: int, seed: int) -> list[ChartSpec]:
    """n chart specs as the engine draws them (en and zh alternately) that both renderers can draw.

    Rendering each once here also warms both renderers up (fonts, Chromium's JIT), as a worker is
    after its first charts; the text-width cache is cleared afterwards so it is not unfairly hot.
    """
    renderers, specs, index = (MatplotlibChartRenderer(), EChartsRenderer()), [], 0
    while len(specs) < n:
        rng, lang = make_rng(seed, "charts", index), "zh" if index % 2 else "en"
        index += 1
        try:  # a draw the engine would refuse and draw again (content or layout) is skipped
            spec = draw_spec(rng, draw_content(rng, lang, tuple(KINDS)))
            for renderer in renderers:
                renderer.render(spec)
        except (RenderError, SampleError):
            continue
        specs.append(spec)
    text_width.cache_clear()
    return specs


def measure(specs: list[ChartSpec], methods: dict[str, tuple[Callable[[ChartSpec], object], bool]]) -> list[dict]:
    """Each method over every spec, interleaved spec by spec so that load from other processes
    during the run weighs on all methods alike; wall and CPU seconds, charts per second of each.

    `methods` maps a name to (draw, uses_browser): a browser method's CPU time includes the
    browser's processes (psutil, ~1 ms a reading), the others' is `time.process_time()`.
    """
    totals = {name: [0.0, 0.0] for name in methods}
    for spec in specs:
        for name, (draw, browser) in methods.items():
            clock = cpu_seconds if browser else time.process_time
            wall0, cpu0 = time.perf_counter(), clock()
            draw(spec)
            totals[name][0] += time.perf_counter() - wall0
            totals[name][1] += clock() - cpu0
    n = len(specs)
    return [{"name": name, "charts": n, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
             "charts_per_s": round(n / wall, 2), "charts_per_cpu_s": round(n / cpu, 2)}
            for name, (wall, cpu) in totals.items()]


def time_series_figures(n: int, seed: int) -> dict:
    """The series of n built charts over time against windows of the real tables (`bench.chart_realism`)."""
    real, built = summary(real_windows(seed)), summary(
        [s.values for c, spec in built_charts(n, seed) if c.time and spec.kind not in ("pie", "donut")
         for s in spec.series])
    return {"charts": n, "real": real, "built": built, "tolerance": TOLERANCE}


def charted_share(folder: Path, tries: int = 3, renderer: str = "matplotlib") -> dict:
    """How many of the tables in `folder` give a chart within `tries` draws, every kept value the table's own."""
    engine = ChartsEngine(ChartsEngine.Config(source=str(folder), renderer=renderer, capture=0.0))
    n, charted, first, exact = len(engine.tables), 0, 0, 0
    by_name = {table.name: table for table, _ in engine.tables}
    for t in range(n):
        for k in range(tries):
            try:
                sample = engine.sample(make_rng(0, "charts", t + k * n), t + k * n)  # a table of the seeded order
            except SampleError:
                continue
            charted += 1
            first += k == 0
            spec = ChartSpec.from_dict(sample.meta["spec"])
            table = by_name[sample.meta["table"]]  # the table the build's seeded order drew for this index
            own = {s.name: dict(zip(table.categories, s.values)) for s in table.series}
            exact += all(own[s.name][c] == v for s in spec.series for c, v in zip(spec.categories, s.values))
            break
    total = n + sum(engine.skipped.values())
    return {"tables": total, "skipped": dict(engine.skipped), "charted": charted, "charted_first_draw": first,
            "exact": exact, "share": round(charted / total, 3) if total else None, "goal": 0.9}


def engine_rates(n: int, seed: int) -> list[dict]:
    """The whole engine per renderer: samples per CPU-second (failed draws included, as a build pays them)."""
    rows = []
    for renderer in ("matplotlib", "pyecharts"):
        engine = ChartsEngine(ChartsEngine.Config(renderer=renderer))
        engine.sample(make_rng(seed + 1, "charts", 0), 0)  # warm up (fonts, the browser)
        wall0, cpu0, made, failed = time.perf_counter(), cpu_seconds(), 0, 0
        for index in range(n):
            for attempt in range(10):
                try:
                    engine.sample(make_rng(seed, "charts", index, attempt), index, attempt)
                    made += 1
                    break
                except SampleError:
                    failed += 1
        cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
        rows.append({"name": f"engine, {renderer}", "samples": made, "failed_draws": failed,
                     "cpu_s": round(cpu, 3), "samples_per_cpu_s": round(made / cpu, 2),
                     "samples_per_s": round(made / wall, 2)})
    return rows


def browser_startup_s() -> float:
    """Seconds to start a fresh Chromium and load the ECharts page (paid once per worker process)."""
    browser = shared()
    browser.close()
    t0 = time.perf_counter()
    browser.call("echarts", page_html(), "() => 0")
    return round(time.perf_counter() - t0, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120, help="charts per measurement")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    specs = bench_specs(args.n, args.seed)
    mpl, echarts = MatplotlibChartRenderer(), EChartsRenderer()
    rows = measure(specs, {
        "naive pyplot loop (savefig PNG)": (naive_pyplot, False),
        "matplotlib renderer": (mpl.render, False),
        "matplotlib renderer + PNG": (lambda s: encode_image(mpl.render(s).image), False),
        "pyecharts renderer": (echarts.render, True),
        "pyecharts renderer + PNG": (lambda s: encode_image(echarts.render(s).image), True),
    })
    base = rows[0]["charts_per_cpu_s"]
    for row in rows:
        row["ratio_vs_naive"] = round(row["charts_per_cpu_s"] / base, 2)
    print(f"{'':34} {'charts/s':>9} {'charts/CPU-s':>13} {'vs naive':>9}")
    for row in rows:
        print(f"{row['name']:34} {row['charts_per_s']:>9.1f} {row['charts_per_cpu_s']:>13.1f} "
              f"{row['ratio_vs_naive']:>8.2f}x")
    engines = engine_rates(args.n, args.seed)
    for row in engines:
        print(f"{row['name']:34} {row['samples_per_s']:>9.1f} {row['samples_per_cpu_s']:>13.1f}   "
              f"({row['failed_draws']} failed draws for {row['samples']} samples)")
    startup = browser_startup_s()
    print(f"Chromium start-up (once per worker process): {startup} s")
    series = time_series_figures(4 * args.n, args.seed)
    real, built = series["real"], series["built"]
    print(f"time series of built charts: median lag-1 autocorrelation {built['lag1']} (real {real['lag1']}), "
          f"direction changes at {built['direction_changes']:.0%} of steps (real {real['direction_changes']:.0%}), "
          f"over {built['series']} series (goal: within {TOLERANCE} of real on both)")
    with tempfile.TemporaryDirectory() as tmp:
        write_tables(Path(tmp))
        tables = charted_share(Path(tmp))
    print(f"real published tables (bench.chart_tables): {tables['charted']} of {tables['tables']} charted "
          f"({tables['share']:.0%}, goal 90%), {tables['exact']} with every kept value exact")
    RESULTS.mkdir(exist_ok=True)
    result = {"n": args.n, "seed": args.seed, "cpu_count": psutil.cpu_count(), "chromium_startup_s": startup,
              "goals": {"matplotlib_vs_naive": 2.0, "pyecharts_charts_per_cpu_s": 10.0}, "rows": rows,
              "engine": engines, "time_series": series, "real_tables": tables}
    (RESULTS / "charts.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'charts.json'}")


if __name__ == "__main__":
    main()
