"""The chart renderers, real matplotlib and real Chromium: every kind, both languages, legible, deterministic.

Specs are written out here rather than drawn by the engine, so a failure points at the renderer.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from PIL import Image

from conftest import REPO
from engines.charts.draw import echarts as echarts_chart
from engines.charts.draw.echarts import EChartsRenderer, page_html
from engines.charts.draw.echarts_options import build_option
from engines.charts.draw.mpl_chart import MatplotlibChartRenderer
from engines.charts.draw.palettes import PALETTES
from engines.charts.layout.axes import cartesian_layout, nice_axis
from engines.charts.layout.frame import frame_layout
from engines.charts.layout.plan import plan_chart
from engines.charts.spec import KINDS, ChartSpec, ChartStyle, NumberFormat, Series
from renderers import matplotlib as mpl_painter
from renderers.chromium import Chromium, ChromiumConfig, ChromiumError, shared
from renderers.errors import RenderError
from renderers.fonts import FACES, font_file, text_width
from renderers.legibility import check_legible
from renderers.result import DrawnText

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier

WORDS = {
    "en": (["North", "South", "East", "West", "Central", "Coastal", "Inland"], ["Product A", "Product B", "Product C"]),
    "zh": (["北京", "上海", "广东", "江苏", "浙江", "四川", "湖北"], ["手机", "电脑", "平板电脑"]),
}


def make_spec(kind: str, lang: str, **overrides) -> ChartSpec:
    """A chart of `kind` with every text present: title, source, axis titles, legend, data labels."""
    categories, names = WORDS[lang]
    (lo, hi), cartesian = KINDS[kind]
    n_series = 2 if lo <= 2 <= hi else 1
    n = 5 if kind in ("pie", "donut") else 6
    series = [Series(names[s], [12.5 + 7.25 * ((i * (s + 2)) % 5) + 40 * s for i in range(n)])
              for s in range(n_series)]
    if kind in ("bar", "hbar", "line"):
        series[0].values[2] = -8.25  # a negative value: its label goes below (left of) the mark
    zh = lang == "zh"
    fields = dict(
        kind=kind, categories=categories[:n], series=series, number_format=NumberFormat(2),
        title="2023年各地区销售额" if zh else "Sales by Region, 2023",
        source="数据来源：国家统计局" if zh else "Source: World Bank",
        x_title=("地区" if zh else "Region") if cartesian else None,
        y_title=("金额（万元）" if zh else "Revenue ($M)") if cartesian else None,
        legend=n_series > 1 or kind == "donut", data_labels=kind != "radar",
        style=ChartStyle(width=860, height=620, font="noto-sans-cjk" if zh else "dejavu-sans",
                         colors=PALETTES["office"], legend_position="top"))
    fields.update(overrides)
    return ChartSpec(**fields)


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def renderers() -> dict:
    """Both renderers; the first ECharts render starts this process's Chromium, reused by every test."""
    out = {"matplotlib": MatplotlibChartRenderer(), "pyecharts": EChartsRenderer()}
    out["pyecharts"].render(make_spec("bar", "en"))
    return out


def svg_texts(spec: ChartSpec) -> list[str]:
    """The texts ECharts' SVG renderer writes for the same option: an independent path to what is drawn."""
    script = """arg => {
      const el = document.createElement('div');
      document.body.appendChild(el);
      const chart = echarts.init(el, null, {renderer: 'svg', width: arg.width, height: arg.height});
      chart.setOption(JSON.parse(arg.option));
      const texts = Array.from(el.querySelectorAll('text')).map(t => t.textContent);
      chart.dispose();
      el.remove();
      return texts;
    }"""
    arg = {"option": json.dumps(build_option(plan_chart(spec))), "width": spec.style.width,
           "height": spec.style.height}
    return shared().call("echarts", page_html(), script, arg)


def test_fonts_resolve_with_cjk_glyphs() -> None:
    for key, face in FACES.items():
        path, index = font_file(key)
        assert Path(path).is_file()
        font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties(family=face.family)))
        assert font.family_name == face.family, f"{key} resolved to {font.family_name}"
        if face.cjk:
            assert path.endswith(".ttc") and index > 0  # the SC face of the collection, not face 0 (JP)
            assert font.get_char_index(ord("国")) != 0  # a real glyph, not tofu
    assert text_width("国家统计局", "noto-sans-cjk", 20) == pytest.approx(100, abs=2)  # CJK glyphs are 1 em


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", ["matplotlib", "pyecharts"])
def test_every_kind_renders_every_text(renderers: dict, name: str, kind: str, lang: str) -> None:
    spec = make_spec(kind, lang)
    drawn = renderers[name].render(spec)
    assert drawn.image.mode == "RGB" and drawn.image.size == (spec.style.width, spec.style.height)
    shown = {t.text for t in drawn.texts} | {line for t in drawn.texts for line in t.text.split("\n")}
    expected = {spec.title, spec.source, *spec.categories, *(spec.legend_labels if spec.legend else [])}
    expected |= {spec.x_title, spec.y_title} - {None}
    if spec.data_labels:
        expected |= {spec.label(s, i) for s in range(len(spec.series)) for i in range(len(spec.categories))}
    assert expected <= shown, f"not drawn: {expected - shown}"
    pixels = np.asarray(drawn.image)
    for text in drawn.texts:  # every reported box holds ink: the text is really where it says
        xs, ys = [p[0] for p in text.quad], [p[1] for p in text.quad]
        box = pixels[int(min(ys)):int(max(ys)) + 1, int(min(xs)):int(max(xs)) + 1].reshape(-1, 3)
        assert len(np.unique(box, axis=0)) > 2, f"no ink under {text.text!r}"


@pytest.mark.parametrize("kind", ["grouped_bar", "pie", "line"])
def test_data_labels_are_in_the_drawing_itself(renderers: dict, kind: str) -> None:
    spec = make_spec(kind, "zh")
    labels = [spec.label(s, i) for s in range(len(spec.series)) for i in range(len(spec.categories))]
    renderers["matplotlib"].render(spec)
    figure = mpl_painter._shared_canvas().figure
    artists = [a.get_text() for a in figure.get_children() if hasattr(a, "get_text")]
    assert all(label in artists for label in labels)
    svg = svg_texts(spec)
    assert all(any(label in text for text in svg) for label in labels), f"SVG texts: {svg}"


@pytest.mark.parametrize("name", ["matplotlib", "pyecharts"])
def test_same_spec_same_bytes_whatever_came_before(renderers: dict, name: str) -> None:
    first = png(renderers[name].render(make_spec("stacked_bar", "zh")).image)
    renderers[name].render(make_spec("pie", "en", style=ChartStyle(width=500, height=700, colors=PALETTES["dark"])))
    assert png(renderers[name].render(make_spec("stacked_bar", "zh")).image) == first


def test_same_bytes_in_a_fresh_process(renderers: dict) -> None:
    script = (
        "import hashlib, io, sys\n"
        "sys.path[:0] = ['tests', 'tests/renderers']\n"
        "from test_renderers import make_spec, png\n"
        "from engines.charts.draw.mpl_chart import MatplotlibChartRenderer\n"
        "from engines.charts.draw.echarts import EChartsRenderer\n"
        "for r in (MatplotlibChartRenderer(), EChartsRenderer()):\n"
        "    for kind, lang in (('donut', 'zh'), ('multi_line', 'en')):\n"
        "        print(hashlib.sha256(png(r.render(make_spec(kind, lang)).image)).hexdigest())\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    here = [hashlib.sha256(png(renderers[name].render(make_spec(kind, lang)).image)).hexdigest()
            for name in ("matplotlib", "pyecharts") for kind, lang in (("donut", "zh"), ("multi_line", "en"))]
    assert proc.stdout.split() == here


@pytest.mark.parametrize("name", ["matplotlib", "pyecharts"])
def test_crowded_charts_are_refused_not_drawn_wrong(renderers: dict, name: str) -> None:
    crowded = make_spec("bar", "en", categories=[f"Category number {i}" for i in range(24)],
                        series=[Series("Product A", [float(i) for i in range(24)])],
                        style=ChartStyle(width=480, height=360, font_size=16))
    with pytest.raises(RenderError) as err:
        renderers[name].render(crowded)
    assert err.value.reason == "too_crowded"
    steps = [10.0 + i for i in range(12)]
    colliding = make_spec("multi_line", "en", categories=[f"C{i}" for i in range(12)],
                          series=[Series(name, [v + k * 0.01 for v in steps]) for k, name in enumerate("ABC")],
                          style=ChartStyle(width=520, height=400))
    with pytest.raises(RenderError, match="text_overlap"):
        renderers[name].render(colliding)


def test_legibility_check() -> None:
    def box(text: str, x: float, y: float, w: float = 40, h: float = 12) -> DrawnText:
        return DrawnText(text, ((x, y), (x + w, y), (x + w, y + h), (x, y + h)))

    check_legible([box("a", 10, 10), box("b", 60, 10), box("c", 10, 30)], 200, 100)
    with pytest.raises(RenderError, match="text_overlap: 'a' / 'b'"):
        check_legible([box("a", 10, 10), box("b", 30, 15)], 200, 100)
    with pytest.raises(RenderError, match="text_clipped: 'edge'"):
        check_legible([box("edge", 180, 10)], 200, 100)
    slanted = [DrawnText(t, ((x, 50), (x + 28, 22), (x + 36, 30), (x + 8, 58))) for t, x in (("p", 0), ("q", 20))]
    check_legible(slanted, 200, 100)  # 45-degree labels whose upright boxes would overlap do not


def test_number_format_and_spec_round_trip() -> None:
    assert NumberFormat(2).text(12.5) == "12.50"
    assert NumberFormat(0).text(-3.0) == "-3"
    assert NumberFormat(2).text(-0.001) == "0.00"
    assert NumberFormat(1, prefix="$").text(-5.0) == "-$5.0"
    assert NumberFormat(1, suffix="%").text(12.5) == "12.5%"
    assert NumberFormat(0).text(1250000.0, grouping=True) == "1,250,000"
    spec = make_spec("grouped_bar", "zh")
    assert ChartSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    with pytest.raises(ValueError, match="takes 2-4 series"):
        make_spec("grouped_bar", "en", series=[Series("A", [1.0] * 6)])


def test_value_axis_and_layout() -> None:
    assert nice_axis(0, 87, 0) == (0.0, 100.0, 20.0, 0)
    assert nice_axis(0, 0.087, 3) == (0.0, 0.1, 0.02, 2)
    assert nice_axis(-12.5, 40, 1)[:2] == (-20.0, 40.0)
    spec = make_spec("bar", "en", categories=[f"A much longer label {i}" for i in range(6)])
    layout = cartesian_layout(spec, frame_layout(spec).plot)
    assert layout.rotation == 0 and {len(lines) for lines in layout.category_lines} == {2}  # wrapped, not turned
    assert [" ".join(lines) for lines in layout.category_lines] == spec.categories
    assert layout.axis.lo <= min(spec.series[0].values) and layout.axis.hi > max(spec.series[0].values)
    spec = make_spec("bar", "en", categories=[f"Category{i}WithAnUnbreakableName" for i in range(6)])
    assert cartesian_layout(spec, frame_layout(spec).plot).rotation == 45


def test_chromium_never_reaches_the_network(renderers: dict) -> None:
    browser = shared()
    before = browser.blocked_requests
    renderers["pyecharts"].render(make_spec("radar", "zh"))
    assert browser.blocked_requests == before  # a chart page asks for nothing
    failed = browser.call("echarts", page_html(),
                          "() => fetch('http://example.com/x.js').then(() => 'fetched', () => 'blocked')")
    assert failed == "blocked" and browser.blocked_requests == before + 1


def test_crashed_browser_is_restarted_and_the_same_chart_redrawn(renderers: dict) -> None:
    spec = make_spec("area", "en")
    before = png(renderers["pyecharts"].render(spec).image)
    browser = shared()
    restarts = browser.restarts
    browser._kill()  # the processes this session started, as an OOM killer would
    assert png(renderers["pyecharts"].render(spec).image) == before
    assert browser.restarts == restarts + 1


def test_a_replaced_page_draws_the_same_bytes(renderers: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are recycled to bound Chromium's memory; a fresh page must not change a pixel."""
    spec = make_spec("grouped_bar", "zh")
    browser = shared()
    monkeypatch.setattr(browser, "config", ChromiumConfig(page_calls=1))
    before = png(renderers["pyecharts"].render(spec).image)
    old_page = browser._pages["echarts"]
    assert png(renderers["pyecharts"].render(spec).image) == before
    assert browser._pages["echarts"] is not old_page and old_page.is_closed()


def test_hung_page_is_killed_and_reported_as_infrastructure() -> None:
    browser = Chromium(ChromiumConfig(call_timeout_s=3, attempts=1))
    try:
        with pytest.raises(ChromiumError, match="failed 1 times"):
            browser.call("spin", "<html></html>", "() => { while (true) {} }")
        assert browser.call("spin", "<html></html>", "() => 6 * 7") == 42  # a fresh browser takes over
    finally:
        browser.close()


def test_echarts_errors_come_back_as_data(renderers: dict) -> None:
    result = json.loads(shared().call("echarts", page_html(), "arg => window.renderChart(arg)",
                                      {"option": "{not json", "width": 300, "height": 200, "background": "#fff"}))
    assert "error" in result


def test_missing_echarts_says_run_make_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(echarts_chart, "ECHARTS_JS", "no-such-package/echarts.min.js")
    page_html.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="run `make setup`"):
            page_html()
    finally:
        page_html.cache_clear()


def echarts_layouts(spec: ChartSpec) -> list[list]:
    """Where ECharts itself put each series' items: bar rectangles or point positions."""
    script = """arg => {
      const el = document.createElement('div');
      document.body.appendChild(el);
      const chart = echarts.init(el, null, {renderer: 'canvas', width: arg.width, height: arg.height});
      chart.setOption(JSON.parse(arg.option));
      const out = chart.getModel().getSeries().map(s => {
        const data = s.getData();
        const points = data.getLayout('points');  // a line keeps its points as one flat array
        return Array.from({length: data.count()},
                          (_, i) => points ? [points[2 * i], points[2 * i + 1]] : data.getItemLayout(i));
      });
      chart.dispose();
      el.remove();
      return out;
    }"""
    arg = {"option": json.dumps(build_option(plan_chart(spec))), "width": spec.style.width,
           "height": spec.style.height}
    return shared().call("echarts", page_html(), script, arg)


@pytest.mark.parametrize("kind", ["grouped_bar", "hstacked_bar", "bar_line", "multi_line"])
def test_echarts_puts_marks_where_the_plan_does(renderers: dict, kind: str) -> None:
    """Data labels are placed against the plan's geometry: ECharts must draw bars and points at those pixels."""
    spec = make_spec(kind, "en", data_labels=False)
    plan = plan_chart(spec)
    geom = plan.geometry
    layouts = echarts_layouts(spec)
    bars = {(b.series, b.index): b for b in geom.bars()}
    for s, items in enumerate(layouts):
        for i, item in enumerate(items):
            if (s, i) in bars:
                left, top, width, height = bars[s, i].box
                x0, x1 = sorted((item["x"], item["x"] + item["width"]))
                y0, y1 = sorted((item["y"], item["y"] + item["height"]))
                assert (x0, y0, x1, y1) == pytest.approx((left, top, left + width, top + height), abs=1.0)
            else:
                assert item == pytest.approx(list(geom.points(s)[i]), abs=1.0)


@pytest.mark.parametrize("name", ["matplotlib", "pyecharts"])
def test_a_line_over_bars_is_drawn_in_front(renderers: dict, name: str) -> None:
    """Bar-and-line charts draw the line (and its markers) over the bars, so no point hides behind a bar."""
    bars = [40.0, 55.0, 48.0, 60.0, 52.0, 45.0]
    spec = make_spec("bar_line", "en", data_labels=False,
                     series=[Series("Product A", bars), Series("Product B", [v * 0.5 for v in bars])])
    image = np.asarray(renderers[name].render(spec).image).astype(int)
    line = np.array([int(spec.style.colors[1][i:i + 2], 16) for i in (1, 3, 5)])
    for x, y in plan_chart(spec).geometry.points(1):  # every point lies inside its bar
        assert np.abs(image[round(y), round(x)] - line).max() < 40, f"point at {x:.0f},{y:.0f} hidden by a bar"
