"""The charts engine end to end: config, targets that match the drawn chart, determinism, --source tables."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from engines import get_engine
from engines.base import Draw, SampleError, make_rng
from engines.charts.content.builtin import average_line
from engines.charts.engine import ChartsEngine, redraw
from engines.charts.layout.axes import plain_axis
from engines.charts.layout.readable import quantum
from engines.charts.layout.wrap import squash
from engines.charts.spec import KINDS, ChartSpec, Reference, Series
from engines.charts.targets import chart_target
from model.chart_ap import parse_values, triples
from pipelines.readers import get_reader
from pipelines.readers.charts import STRAY_PX, broken_promises
from renderers.errors import RenderError
from tokenizer.protocol import PROMPT_FORMAT

KEYS = ["title", "source", "x_title", "y_title", "values"]


def draw(engine: ChartsEngine, index: int, seed: int = 0):
    """Sample `index` as the build makes it: failed draws retried with the next attempt's rng."""
    for attempt in range(10):
        result = engine.draw_batch([Draw(index, attempt, make_rng(seed, "charts", index, attempt))])[0]
        if not isinstance(result, SampleError):
            if isinstance(result, Exception):
                raise result
            return result
    raise AssertionError(f"sample {index} failed 10 times")


def png(sample) -> bytes:
    buf = io.BytesIO()
    sample.images[0].save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def engine() -> ChartsEngine:
    return ChartsEngine()


@pytest.fixture(scope="module")
def samples(engine: ChartsEngine) -> list:
    return [draw(engine, i) for i in range(24)]


def check_target(sample) -> None:
    """The target is OneChart's dict, parses both ways, and says exactly what the spec draws."""
    spec = ChartSpec.from_dict(sample.meta["spec"])
    parsed = json.loads(sample.target)
    assert ast.literal_eval(sample.target) == parsed
    keys = KEYS[:1] + ["subtitle"] * bool(spec.subtitle) + KEYS[1:4] + ["y2_title", "y2_series"] * bool(spec.y2_title) \
        + ["reference"] * bool(spec.reference) + ["annotation"] * bool(spec.annotation) + KEYS[4:]
    assert list(parsed) == keys  # the keys only some charts have only where the chart draws them
    drawn = {"reference": spec.reference and spec.reference.text, "annotation": spec.annotation and spec.annotation.text,
             "y2_series": spec.y2_title and spec.series[1].name}
    for key in keys[:-1]:
        assert parsed[key] == (drawn[key] if key in drawn else getattr(spec, key) or "None")
    nested = spec.names_series or len(spec.series) > 1
    series = [parsed["values"][s.name] for s in spec.series] if nested else [parsed["values"]]
    assert len(series) == len(spec.series)
    for k, values in enumerate(series):
        assert list(values) == spec.categories
        for i, value in enumerate(values.values()):
            shown = spec.label(k, i)
            if spec.number_format.plain:
                assert value == spec.series[k].values[i] and f": {shown}" in sample.target
            else:
                assert value == shown
    assert nested == spec.names_series  # series are named in the target exactly when the image names them


def test_registered_with_documented_flags() -> None:
    assert get_engine("charts") is ChartsEngine
    fields = ChartsEngine.Config.__dataclass_fields__
    for name in ("renderer", "lang", "kinds", "source"):
        assert fields[name].metadata["help"]
    assert (ChartsEngine.Config().renderer, ChartsEngine.Config().lang) == ("mixed", "mixed")


@pytest.mark.parametrize(("options", "message"), [
    ({"renderer": "plotly"}, r"--renderer 'plotly' is not one of mixed, matplotlib, pyecharts"),
    ({"lang": "fr"}, r"--lang 'fr' is not one of mixed, en, zh"),
    ({"kinds": "bar,histogram"}, r"--kinds: unknown chart kind\(s\) \['histogram'\]; use 'all'"),
    ({"source": "/nonexistent/tables"}, r"--source /nonexistent/tables: no such file or folder"),
    ({"target_format": "latex"}, r"--target-format 'latex' is not one of onechart, html, markdown"),
    ({"capture": 1.5}, r"--capture 1.5 is not a share; give a number from 0 to 1"),
])
def test_bad_config_names_the_flag(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ChartsEngine(ChartsEngine.Config(**options))


@pytest.mark.slow
def test_samples_are_ocr_format_charts(samples: list) -> None:
    assert {s.meta["renderer"] for s in samples} == {"matplotlib", "pyecharts"}
    assert {s.meta["lang"] for s in samples} == {"en", "zh"}
    for sample in samples:
        assert (sample.prompt, sample.task) == (PROMPT_FORMAT, "format")
        assert sample.images[0].mode == "RGB"
        assert json.loads(json.dumps(sample.meta)) == sample.meta  # JSON-safe
        assert sample.meta["kind"] == sample.meta["spec"]["kind"]
        check_target(sample)


@pytest.mark.slow
def test_absent_fields_are_the_string_none() -> None:
    spec = ChartSpec("pie", ["A", "B"], [Series("s", [60.0, 40.0])], data_labels=True)
    assert chart_target(spec) == ('{"title": "None", "source": "None", "x_title": "None", "y_title": "None", '
                                  '"values": {"A": 60, "B": 40}}')


@pytest.mark.slow
def test_meta_alone_re_renders_the_image(samples: list) -> None:
    degraded = [s for s in samples if s.meta.get("capture", {}).get("preset", "none") != "none"]
    for sample in samples[:4] + degraded[:2]:
        assert redraw(json.loads(json.dumps(sample.meta))).tobytes() == sample.images[0].tobytes()
    assert degraded, "a share of charts is captured"


@pytest.mark.slow
@pytest.mark.parametrize("renderer", ["matplotlib", "pyecharts"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_kind_in_both_languages(renderer: str, lang: str) -> None:
    for kind in KINDS:
        engine = ChartsEngine(ChartsEngine.Config(renderer=renderer, lang=lang, kinds=kind))
        sample = draw(engine, 3)
        assert (sample.meta["kind"], sample.meta["lang"], sample.meta["renderer"]) == (kind, lang, renderer)
        check_target(sample)
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in sample.target)


@pytest.mark.slow
def test_same_seed_and_index_same_bytes(engine: ChartsEngine, samples: list) -> None:
    for i in (5, 2, 5):  # another sample in between changes nothing
        again = draw(engine, i)
        assert png(again) == png(samples[i]) and again.target == samples[i].target


@pytest.mark.slow
def test_same_bytes_in_two_fresh_processes(samples: list) -> None:
    script = (
        "import hashlib, sys\n"
        "sys.path[:0] = ['tests', 'tests/engines']\n"
        "from test_charts import ChartsEngine, draw, png\n"
        "engine = ChartsEngine()\n"
        "for i in (0, 1, 2, 3):\n"
        "    s = draw(engine, i)\n"
        "    print(hashlib.sha256(png(s) + s.target.encode()).hexdigest())\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr[-2000:]
    here = [hashlib.sha256(png(s) + s.target.encode()).hexdigest() for s in samples[:4]]
    assert runs[0].stdout.split() == runs[1].stdout.split() == here


@pytest.mark.slow
def test_illegible_draws_fail_as_counted_samples() -> None:
    engine = ChartsEngine(ChartsEngine.Config(renderer="matplotlib", kinds="multi_line"))
    for index in range(200):
        try:
            engine.sample(make_rng(0, "charts", index), index)
        except SampleError as exc:
            assert exc.reason in ("text_overlap", "text_clipped", "too_crowded", "text_too_long")
            assert isinstance(exc, RenderError)  # the renderer's own failure, counted as it is
            return
    pytest.fail("no multi-series line chart with data labels collided in 200 draws")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.slow
def test_source_tables_messy_folder(tmp_path: Path) -> None:
    write(tmp_path / "gdp.csv", "# title: GDP by Year\n# source: World Bank\nYear,China,India\n"
                                "2020,14.7,2.67\n2021,17.73,3.15\n2022,17.96,3.39\n")
    write(tmp_path / "sales_zh.csv", "# title: 各省销售额\n省份,销售额\n广东,\"1,250\"\n江苏,980\n浙江,760.5\n",
          encoding="gb18030")
    write(tmp_path / "share.tsv", "Brand\tShare\nApex\t45%\nNova\t30%\nZenith\t25%\n")
    write(tmp_path / "words.csv", "Year,Sales\n2020,high\n2021,low\n")
    write(tmp_path / "empty.csv", "")
    write(tmp_path / "ragged.csv", "Year,A,B\n2020,1\n2021,2,3\n")
    write(tmp_path / "huge.csv", "Item,Value\n" + "".join(f"item{i},{i}\n" for i in range(40)))
    write(tmp_path / "latin1.csv", "Ville,Café\nNîmes,3\nSète,4\n", encoding="latin-1")
    write(tmp_path / "dupes.csv", "City,Pop\nParis,2\nParis,3\n")
    write(tmp_path / "units.csv", "Year,Rate\n2020,5%\n2021,$6\n")
    write(tmp_path / "notes.txt", "not a table")
    engine = ChartsEngine(ChartsEngine.Config(source=str(tmp_path)))
    assert [t.name for t, _ in engine.tables] == ["gdp.csv", "huge.csv", "sales_zh.csv", "share.tsv"]
    assert dict(engine.skipped) == {"non_numeric": 1, "empty": 1, "ragged_rows": 1, "unreadable_encoding": 1,
                                    "duplicate_labels": 1, "mixed_units": 1}
    assert engine.describe()["skipped"]["empty"] == 1
    for index in range(8):
        sample = draw(engine, index)
        table = engine.source_item(engine.tables, index, 0)[0]
        assert sample.meta["table"] == table.name and sample.meta["lang"] == table.lang
        check_target(sample)
        values = json.loads(sample.target)["values"]
        if table.name == "gdp.csv":
            both = {"China": {"2020": 14.7, "2021": 17.73, "2022": 17.96},
                    "India": {"2020": 2.67, "2021": 3.15, "2022": 3.39}}
            if len(sample.meta["spec"]["series"]) == 1:  # a one-series kind keeps the first and notes the rest
                assert sample.meta["notes"]["dropped_series"] == ["India"]
                both = {"China": both["China"]} if "China" in values else both["China"]
            assert values == both
            assert '"2020": 14.70' in sample.target  # shown with the table's two decimals
            assert json.loads(sample.target)["title"] == "GDP by Year"
            assert json.loads(sample.target)["source"] == "Source: World Bank"
        elif table.name == "huge.csv":  # a window of consecutive rows, every value the table's own
            rows = [int(k.removeprefix("item")) for k in values]
            assert rows == list(range(rows[0], rows[0] + len(rows))) and 3 <= len(rows) < 40
            assert all(v == k for k, v in zip(rows, values.values()))
            assert sample.meta["notes"]["window"] == [rows[0], rows[0] + len(rows)]
        elif table.name == "sales_zh.csv":
            assert values == {"广东": 1250.0, "江苏": 980.0, "浙江": 760.5} and sample.meta["lang"] == "zh"
        else:
            assert values == {"Apex": "45%", "Nova": "30%", "Zenith": "25%"}


def test_source_without_usable_tables_says_why(tmp_path: Path) -> None:
    write(tmp_path / "words.csv", "Year,Sales\n2020,high\n2021,low\n")
    write(tmp_path / "empty.csv", "")
    with pytest.raises(ValueError, match=r"no usable table for --lang mixed --kinds all \(skipped: empty=1, "
                                         r"non_numeric=1\); each file needs a header"):
        ChartsEngine(ChartsEngine.Config(source=str(tmp_path)))
    write(tmp_path / "gdp.csv", "Year,China\n2020,14.7\n2021,17.7\n")
    with pytest.raises(ValueError, match=r"no usable table for --lang zh --kinds all \(skipped: .*lang_mis"):
        ChartsEngine(ChartsEngine.Config(source=str(tmp_path), lang="zh"))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_target_formats_of_the_successors(fmt: str) -> None:
    engine = ChartsEngine(ChartsEngine.Config(target_format=fmt, renderer="matplotlib", capture=0.0))
    sample = draw(engine, 1)
    assert sample.meta["target_format"] == fmt
    assert sample.target.count("<table>" if fmt == "html" else "| --- |") == 1
    spec = ChartSpec.from_dict(sample.meta["spec"])
    assert triples(parse_values(sample.target)) == triples(parse_values(chart_target(spec)))


@pytest.mark.slow
def test_the_reader_passes_right_targets_and_flags_changed_ones(samples: list) -> None:
    """The strict reader: the chart drawn again from the target alone must be the image. A value moved by one
    reading unit of its scale (a tenth of a tick step, on a chart that prints no values), a changed label, a
    dropped title and an added subtitle are all flagged; the right target is not."""
    read, threshold = get_reader("charts")
    sample = next(s for s in samples if not s.meta["spec"]["data_labels"] and s.meta["kind"] in ("bar", "line", "hbar"))
    record = {"target": sample.target, "meta": json.dumps(sample.meta)}
    right = read(record, sample.images)
    assert right.score >= threshold and right.details["differing_pixels"] == 0, right.details
    spec = ChartSpec.from_dict(sample.meta["spec"])
    unit = quantum(plain_axis(spec).step)
    changes = []
    for change in ("value", "label", "no title", "subtitle"):
        broken = ChartSpec.from_dict(sample.meta["spec"])
        if change == "value":
            values = broken.series[0].values
            k = values.index(min(values))
            values[k] = round(values[k] + unit, 6)
        elif change == "label":
            broken.categories = [broken.categories[0] + "x"] + broken.categories[1:]
        elif change == "no title":
            broken.title = None
        else:
            broken.subtitle = "Preliminary figures"
        reading = read({**record, "target": chart_target(broken)}, sample.images)
        assert reading.score < threshold, (change, reading.details)
        if change == "label":  # named by itself among what the image does not show
            assert squash(broken.categories[0]) in map(squash, reading.details["missed"]), reading.details
        changes.append(reading.details.get("differing_pixels", 0))
    assert changes[0] > STRAY_PX  # the moved value was seen by its mark, not by a rule


@pytest.mark.slow
def test_the_reader_holds_targets_to_the_engines_promises() -> None:
    """What a picture cannot settle: a value between reading units, an "Average" that is not the mean."""
    spec = ChartSpec("bar", ["A", "B", "C"], [Series("s", [20.0, 30.0, 40.0])])
    assert broken_promises(spec) == []
    spec.series[0].values[0] = 21.3  # the scale (0-40 or so, step 10) reads to 1
    assert "reading unit" in broken_promises(spec)[0]
    spec.series[0].values[0] = 20.0
    spec.reference = average_line([20.0, 30.0, 40.0], spec.number_format, "en")
    assert spec.reference.text == "Average: 30" and broken_promises(spec) == []
    spec.reference = Reference(31.0, "Average: 31")
    assert "not the mean" in broken_promises(spec)[0]


def _with_look(look: str, kinds: str, renderer: str):
    """The first built sample (seeded) drawn with `look`: a publisher style, "dual_axes" or "annotation"."""
    engine = ChartsEngine(ChartsEngine.Config(renderer=renderer, kinds=kinds, looks="always", capture=0.0))
    for index in range(40):
        try:
            sample = engine.sample(make_rng(11, "charts", index), index)
        except SampleError:
            continue
        spec = sample.meta["spec"]
        if look in (spec["style"]["publisher"], "dual_axes" * bool(spec["y2_title"]),
                    "annotation" * bool(spec["annotation"])):
            return sample
    raise AssertionError(f"no {look} chart in 40 draws")


@pytest.mark.slow
@pytest.mark.parametrize(("look", "kinds", "renderer"), [
    ("long_series", "multi_line", "matplotlib"), ("panels", "multi_line", "pyecharts"),
    ("dual_axes", "bar_line", "pyecharts"), ("annotation", "line", "matplotlib"), ("portal", "bar", "pyecharts")])
def test_the_reader_redraws_publishers_looks(look: str, kinds: str, renderer: str) -> None:
    """The strict reader draws the new looks again from the target: the right target passes; a series renamed
    (drawn at its line's end or over its panel), the second axis given to the other series or retitled, an
    annotation naming another point, a portal's note changed are flagged."""
    read, threshold = get_reader("charts")
    sample = _with_look(look, kinds, renderer)
    record = {"target": sample.target, "meta": json.dumps(sample.meta)}
    right = read(record, sample.images)
    assert right.score >= threshold and right.details["differing_pixels"] == 0, right.details
    target = json.loads(sample.target, parse_float=str)
    nested = isinstance(next(iter(target["values"].values())), dict)
    series = list(target["values"]) if nested else []
    categories = list(next(iter(target["values"].values())) if nested else target["values"])

    def swap(key: str, text: str) -> str:
        return sample.target.replace(f'"{key}": {json.dumps(target[key], ensure_ascii=False)}',
                                     f'"{key}": {json.dumps(text, ensure_ascii=False)}')

    if look in ("long_series", "panels"):
        broken = [sample.target.replace(f'"{series[-1]}": {{', f'"{series[-1]}x": {{')]
    elif look == "dual_axes":
        broken = [swap("y2_series", series[0]), swap("y2_title", target["y2_title"] + " x")]
    elif look == "annotation":
        shown = next(c for c in categories if target["annotation"].endswith(c))
        other = next(c for c in categories if c != shown)
        broken = [swap("annotation", target["annotation"][: -len(shown)] + other), swap("annotation", "Peak")]
    else:
        broken = [swap("source", target["source"].replace("©", "(c)"))]
    for wrong in broken:
        assert wrong != sample.target
        reading = read({**record, "target": wrong}, sample.images)
        assert reading.score < threshold, (look, wrong, reading.details)


def test_source_numbers_without_a_leading_zero_are_read() -> None:
    """statsmodels' strikes.csv (an R export) writes "7, .01138": no digit before the point, a space after the comma."""
    from engines.charts.source.cells import Unusable, number
    assert number(" .01138") == (0.01138, 5, "", "") and number("-.5%") == (-0.5, 1, "", "%")
    with pytest.raises(Unusable):
        number(".")
