"""The tables engine: generated tabulars, tables extracted from real LaTeX sources, batched compiles, the sandbox."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import engines.tables.engine as tables_engine
from engines import Draw, make_rng
from engines.base import SampleError
from engines.tables import TablesEngine
from engines.tables.content import PREAMBLE, random_tabular
from engines.tables.engine import TablesConfig
from engines.tables.source import load_tables
from engines.tables.style import TableStyle
from renderers.errors import RenderError
from renderers.latex import CJK_PREAMBLE, LatexConfig, render_latex


def test_generated_tables_have_every_feature_in_both_languages() -> None:
    tables = {lang: [random_tabular(np.random.default_rng(i), lang) for i in range(150)] for lang in ("en", "zh")}
    text = "\n".join(tables["en"] + tables["zh"])
    for feature in (r"\toprule", r"\midrule", r"\bottomrule", r"\hline", r"\cmidrule(lr)", r"\cline", r"\multicolumn",
                    r"\multirow", r"\textbf{", r"$\pm$", r"\times 10^{", "{|l|", "lc", "r}"):
        assert feature in text, feature
    assert all(re.search(r"[\u4e00-\u9fff]", t) for t in tables["zh"])
    assert not any(re.search(r"[\u4e00-\u9fff]", t) for t in tables["en"])
    assert all(t.startswith(r"\begin{tabular}{") and t.endswith(r"\end{tabular}") and t.count(r"\begin{") == 1
               for t in tables["en"] + tables["zh"])
    assert tables["en"][:3] == [random_tabular(np.random.default_rng(i), "en") for i in range(3)]
    with pytest.raises(ValueError, match="lang must be one of"):
        random_tabular(np.random.default_rng(0), "fr")


@pytest.mark.slow
def test_generated_tables_compile() -> None:
    en = render_latex([random_tabular(np.random.default_rng(i), "en") for i in range(16)], PREAMBLE)
    assert [r for r in en if isinstance(r, RenderError)] == []
    zh = render_latex([random_tabular(np.random.default_rng(i), "zh") for i in range(4)], PREAMBLE + CJK_PREAMBLE,
                      LatexConfig(program="xelatex"))
    assert [r for r in zh if isinstance(r, RenderError)] == []


SOURCE = r"""\documentclass{article}
\newcommand{\best}[1]{\textbf{#1}}
\newcolumntype{d}[1]{D{.}{.}{#1}}
\begin{document}
\begin{table}\centering
\caption{Results}\label{tab:r}
\begin{tabular*}{\textwidth}{@{\extracolsep{\fill}}lcr}
\toprule
Model & Acc. & Time \\ \midrule
A & \best{91.2} & 3 \\ B~\cite{b} & 88.0 & 4 \\
\bottomrule
\end{tabular*}
\end{table}
\begin{tabularx}{\linewidth}{lXX} a & b & c \\ d & e & f \\ \end{tabularx}
\begin{longtable}[c]{ld{2}}
\caption{Long}\label{tab:l} \\
\hline Name & Value \\ \hline
\endfirsthead
\multicolumn{2}{l}{continued} \\ \hline Name & Value \\ \hline
\endhead
\hline \multicolumn{2}{r}{over} \\
\endfoot
\hline
\endlastfoot
x & 1.5 \\
y & 2.25 \\
\end{longtable}
\begin{deluxetable}{lcc}
\tablecaption{Stars\label{tab:s}}
\tablehead{\colhead{Star} & \colhead{$V$} & \colhead{$B-V$}}
\startdata
Vega & 0.03 & 0.00 \\
Sirius & $-1.46$ & 0.01
\enddata
\tablecomments{From a catalogue.}
\end{deluxetable}
\begin{tabular}{lS} a & 1.0 \\ \end{tabular}
\begin{tabular}{ll} see & \ref{tab:r} \\ \end{tabular}
\begin{tabular}{ll} \input{/etc/passwd} & x \\ \end{tabular}
\begin{tabular}{ll} 名称 & 数值 \\ 甲 & 1 \\ \end{tabular}
\begin{tabularx}{\linewidth}{lXX} a & b & c \\ d & e & f \\ \end{tabularx}
\end{document}
"""


def test_sources_are_normalised_to_tabular(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(SOURCE)
    found = load_tables(str(tmp_path))
    assert [t.latex for t in found.items] == [
        "\\begin{tabular}{lcr}\n\\toprule\nModel & Acc. & Time \\\\ \\midrule\n"
        "A & \\textbf{91.2} & 3 \\\\ B & 88.0 & 4 \\\\\n\\bottomrule\n\\end{tabular}",
        "\\begin{tabular}{lll}\na & b & c \\\\ d & e & f \\\\\n\\end{tabular}",
        "\\begin{tabular}{lD{.}{.}{2}}\n\\hline Name & Value \\\\ \\hline\nx & 1.5 \\\\\ny & 2.25 \\\\\n\\hline\n"
        "\\end{tabular}",
        "\\begin{tabular}{lcc}\n\\hline\nStar & $V$ & $B-V$ \\\\\n\\hline\nVega & 0.03 & 0.00 \\\\\n"
        "Sirius & $-1.46$ & 0.01 \\\\\n\\hline\n\\end{tabular}",
        "\\begin{tabular}{ll}\n名称 & 数值 \\\\ 甲 & 1 \\\\\n\\end{tabular}"]
    assert [t.lang for t in found.items] == ["en", "en", "en", "en", "zh"]
    assert found.skipped == {"unsupported_column": 1, "reference": 1, "unsafe_command": 1, "duplicate": 1}
    assert found.examples["unsafe_command"].startswith("paper.tex:39: ")
    engine = TablesEngine(TablesConfig(source=str(tmp_path)))
    samples = engine.sample_batch([Draw(i, 0, make_rng(0, "tables", i)) for i in range(5)])
    assert [s.target for s in samples] == [engine.source_item(engine.tables, i, 0).latex for i in range(5)]


@pytest.mark.slow
def test_real_papers_tables_compile(shared_data: Path) -> None:
    engine = TablesEngine(TablesConfig(source=str(shared_data / "tex" / "papers"), lang="en"))
    assert len(engine.tables) == 9 and engine.describe()["skipped"] == {"lang_mismatch": 2}
    results = engine.sample_batch([Draw(i, 0, make_rng(0, "tables", i)) for i in range(9)])
    made = [r for r in results if not isinstance(r, Exception)]
    assert len(made) >= 5, results  # a few use packages the paper's class brings (\tnote, \pkg): counted failures
    assert all(r.reason.startswith("latex_") for r in results if isinstance(r, Exception))


EVIL = [r"\input{/etc/passwd}", r"\immediate\write18{touch /tmp/got-table-pwned}",
        r"\immediate\openout5=/tmp/got-table-out.tex", r"\loop\iftrue\repeat"]


@pytest.mark.slow
def test_sandbox_refuses_or_times_out_dangerous_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cells = EVIL + [r"\rule{300cm}{1cm}", "fine"]
    body = "\n".join(f"\\begin{{tabular}}{{ll}} {c} & x \\\\ y & z \\\\ \\end{{tabular}}" for c in cells)
    (tmp_path / "evil.tex").write_text(f"\\begin{{document}}\n{body}\n\\end{{document}}\n")
    assert load_tables(str(tmp_path)).skipped == {"unsafe_command": 4}  # the first fence
    load_tables.cache_clear()
    monkeypatch.setattr("engines.tables.source.UNSAFE", re.compile(r"(?!)"))  # the second: LaTeX's own sandbox
    monkeypatch.setattr("engines.tables.source.CONDITIONAL", re.compile(r"(?!)"))  # (the loop is an \iftrue)
    monkeypatch.setattr(tables_engine, "LATEX", dataclasses.replace(tables_engine.LATEX, timeout_s=4.0))
    monkeypatch.setattr(tables_engine, "table_style", lambda rng, lang: TableStyle("computer-modern", False, 10.0,
                                                                                   1.0, 6.0, 4))
    engine = TablesEngine(TablesConfig(source=str(tmp_path)))
    results = engine.sample_batch([Draw(i, 0, make_rng(0, "tables", i)) for i in range(len(cells))])
    load_tables.cache_clear()
    drawn = [engine.source_item(engine.tables, i, 0).latex for i in range(len(cells))]
    by_cell = {cell: r.reason if isinstance(r, SampleError) else "ok"
               for r, latex in zip(results, drawn) for cell in cells if cell in latex}
    assert by_cell[EVIL[0]] in ("latex_forbidden", "latex_missing_file")
    assert [by_cell[c] for c in cells[1:]] == ["latex_forbidden", "latex_forbidden", "render_timeout",
                                               "page_too_large", "ok"]
    assert not Path("/tmp/got-table-pwned").exists() and not Path("/tmp/got-table-out.tex").exists()
    assert all("root:" not in r.target for r in results if not isinstance(r, Exception))


def test_config_errors_name_the_flag(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--lang"):
        TablesConfig(lang="fr").check()
    (tmp_path / "empty.tex").write_text("no tables here")
    with pytest.raises(ValueError, match="no usable table"):
        TablesEngine(TablesConfig(source=str(tmp_path / "empty.tex")))


def _rows(tabular: str) -> list[list[str]]:
    """The cells of each row of a generated tabular, bold and math minus signs removed."""
    out = []
    for line in tabular.splitlines():
        if line.endswith(r"\\") and " & " in line and not line.startswith(r"\multicolumn"):
            cells = [re.sub(r"\\textbf\{(.*)\}", r"\1", c.strip()).replace("$-$", "-") for c in line[:-2].split(" & ")]
            out.append(cells)
    return out


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_generated_tables_have_many_kinds_and_numbers_that_add_up() -> None:
    """More than the ten topic templates; statements whose totals are the sums of their lines, with a unit line;
    distributions whose counts add to the total; country and province figures the size of the real ones."""
    from engines.tables.vocab import DISTRIBUTION_HEADS, ROW_VALUES, STATEMENTS

    tables = [(lang, random_tabular(np.random.default_rng(i), lang)) for i in range(300) for lang in ("en", "zh")]
    heads = {_rows(t)[0][0] for _, t in tables}
    assert len(heads) >= 25, heads
    formulas = {label: what for items in STATEMENTS.values() for _, _, its in items for label, what in its
                if isinstance(what, str)}
    shares = {heads for by_lang in DISTRIBUTION_HEADS.values() for heads in by_lang}
    checked = {"statement": 0, "distribution": 0, "row": 0, "tax": 0}
    for _lang, table in tables:
        rows = _rows(table)
        labels = [r[0] for r in rows[1:]]
        if tuple(rows[0][1:]) in shares:  # a distribution: counts add to the total, percentages to 100
            counts = [int(r[1]) for r in rows[1:]]
            assert sum(counts[:-1]) == counts[-1], table
            assert abs(sum(float(r[2]) for r in rows[1:-1]) - 100) < 0.5, table
            checked["distribution"] += 1
        elif any(label in formulas for label in labels):  # a statement: every total is the sum of its lines
            assert re.search(r"单位：|\((in |USD|EUR)", table), table
            for column in (1, 2):
                values = [_number(r[column]) for r in rows[1:]]
                for k, label in enumerate(labels):
                    if label in formulas:
                        want = sum(values[int(n)] * (1 if sign == "+" else -1)
                                   for sign, n in re.findall(r"([+-])(\d+)", formulas[label]))
                        assert abs(values[k] - want) < 0.015, (label, table)
                tax = {label: v for label, v in zip(labels, values)
                       if label in ("减：所得税费用", "三、利润总额", "Income tax expense", "Income before income taxes")}
                if len(tax) == 2:  # income tax is 15-25% of the profit before tax (it was 1-4% of revenue)
                    assert 0.12 < min(tax.values()) / max(tax.values()) < 0.3, table
                    checked["tax"] += 1
            checked["statement"] += 1
        for j, head in enumerate(rows[0]):
            key = {"GDP (bn USD)": "gdp", "生产总值（亿元）": "gdp_zh", "常住人口（万人）": "population_zh",
                   # a material's properties are its own (multicrop pages showed Steel at 3161 kg/m3)
                   "Density (kg/m$^3$)": "density", "Thermal cond. (W/m$\\cdot$K)": "conductivity",
                   "$E$ (GPa)": "modulus", "Mean": "cohort"}.get(head)
            if key and r"\multirow" not in table:  # no group column in front
                for r in rows[1:]:
                    if r[j] not in ("--", "-", "N/A", "---"):
                        assert abs(_number(r[j]) / ROW_VALUES[key][r[0]] - 1) < 0.2, (r, table)
                        checked["row"] += 1
    assert min(checked.values()) >= 5, checked
    assert any("单位：万元" in t for _, t in tables)


def test_monthly_tables_follow_the_seasons() -> None:
    """A climate table's months are in order and its temperatures peak in summer (they were drawn month by month
    at random: 22.8 degrees in January)."""
    checked = 0
    for i in range(600):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        rows = _rows(table)
        if rows[0][0] not in ("Month", "月份") or r"\multicolumn" in table:
            continue
        months = [r[0] for r in rows[1:]]
        heads = rows[0]
        for j, head in enumerate(heads):
            if head.startswith(("Mean temp.", "平均气温")):
                by_month = dict(zip(months, (_number(r[j]) for r in rows[1:])))
                jan, jul = ("Jan", "Jul") if lang == "en" else ("1 月", "7 月")
                if jan in by_month and jul in by_month:
                    assert by_month[jul] > by_month[jan], table
                    checked += 1
    assert checked >= 3


def test_a_bulletins_indicators_are_one_places() -> None:
    """A key-indicators table lists one country's or province's figures, so its rows agree: exports and retail sales
    below GDP, population times GDP per capita the GDP, the change the ratio of the two years (each row was drawn on
    its own: GDP 782.8 USD bn beside exports 1823.0 and retail sales 4365.0; 常住人口 1759 万人 beside 进出口
    68350.8 亿元)."""
    checked = Counter()
    for i in range(600):
        lang = ("en", "zh")[i % 2]
        rows = _rows(random_tabular(np.random.default_rng(i), lang))
        if rows[0][:2] not in (["Indicator", "Unit"], ["指标", "单位"]):
            continue
        now = {r[0]: _number(r[2]) for r in rows[1:]}
        gdp = now.get("GDP", now.get("地区生产总值"))
        per_capita = now.get("GDP per capita", now.get("人均地区生产总值"))
        people = now.get("Population", now.get("常住人口"))
        scale = 1e3 if lang == "en" else 1e4  # USD bn / million people; 亿元 / 万人
        if gdp and per_capita and people:
            assert abs(people * per_capita / scale / gdp - 1) < 0.01, rows
            checked["per capita"] += 1
        for part in ("Exports of goods", "社会消费品零售总额", "一般公共预算收入"):
            if gdp and part in now:
                assert now[part] < 0.6 * gdp, rows
                checked["part"] += 1
        if len(rows[0]) == 5:
            for r in rows[1:]:
                if r[4] != "--":
                    assert abs((_number(r[2]) / _number(r[3]) - 1) * 100 - _number(r[4])) < 0.06, r
                    checked["change"] += 1
    assert min(checked.values()) >= 10 and len(checked) == 3, checked


def test_row_groups_are_classes_of_their_rows() -> None:
    """A table's `\\multirow` groups each appear once and are named unlike its column groups (two blocks both
    "条件二", both "2020 年", both "Elevated temp.", row groups named like the column groups)."""
    from engines.tables.vocab import TOPICS

    column_groups = {g for by_lang in TOPICS.values() for _, _, groups, _ in by_lang for g in groups}
    checked = 0
    for i in range(1000):
        table = random_tabular(np.random.default_rng(i), ("en", "zh")[i % 2])
        body = [line for line in table.splitlines() if line.startswith(r"\multirow") and r"\multicolumn" not in line]
        labels = [re.match(r"\\multirow\{\d+\}\{\*\}\{([^}]*)\}", line)[1] for line in body]
        if len(labels) < 2:
            continue
        assert len(set(labels)) == len(labels), table
        assert not set(labels) & column_groups, table
        checked += 1
    assert checked >= 20, checked


def test_results_tables_score_each_data_set_by_its_tasks_metrics() -> None:
    """A results table reports metrics that suit its data sets (BLEU and RMSE were reported on CIFAR-10 and Cora),
    a model's size the same on each data set, and a $\\pm$ spread smaller than its mean (RMSE 0.17 $\\pm$ 1.98)."""
    classification = {"CIFAR-10", "ImageNet", "MNIST", "PubMed", "Cora", "COCO"}
    checked = Counter()
    for i in range(1500):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        rows = _rows(table)
        heads = set(rows[1] if rows[1][0] == "" else rows[0])  # under column groups, the second line
        groups = set(re.findall(r"\\multicolumn\{\d\}\{c\|?\}\{([^}]*)\}", table))
        for row in rows:
            for cell in row:
                if m := re.fullmatch(r"([\d.]+) \$\\pm\$ ([\d.]+)", cell):
                    assert float(m[2]) < float(m[1]), table
                    checked["spread"] += 1
        results = re.search(r"\{(Method|Model|方法)\}", rows[0][0])
        if results and len(groups) >= 2 and rows[1][0] == "":  # a column written alike under each (0.9 beside 0.95)
            for name in set(rows[1][1:]):
                at = [j for j, h in enumerate(rows[1]) if h == name]
                places = {len(c.split(".")[1]) if "." in c else 0 for r in rows[2:] for c in (r[j] for j in at)
                          if re.fullmatch(r"-?[\d.]+", c)}
                assert len(places) <= 1, (name, table)
                checked["format"] += 1
            for name in ("Params (M)", "参数量（M）"):  # a model's size is one under each data set
                at = [j for j, h in enumerate(rows[1]) if h == name]
                for r in rows[2:] if len(at) >= 2 else []:
                    assert len({r[j] for j in at} - {"--", "-", "N/A", "---"}) <= 1, table
                    checked["size"] += 1
        if "BLEU" in heads:
            assert not heads & {"MSE", "MAE", "Acc. (\\%)", "mAP", "F1"} and groups <= {"WMT14"}, table
            checked["bleu"] += 1
        if heads & {"MSE", "MAE"}:
            assert not groups & classification and not heads & {"Acc. (\\%)", "F1", "mAP", "AUC"}, table
            checked["regression"] += 1
        if {"均方根误差", "平均绝对误差"} & heads:
            assert not {"准确率（\\%）", "召回率", "精确率", "F1 值"} & heads, table
            checked["回归"] += 1
    assert min(checked.values()) >= 5 and len(checked) == 6, checked


def test_climate_tables_show_consecutive_months() -> None:
    """A climate table shows a quarter, a half year or the whole year, the same months for each station (it listed
    Mar, Apr, May, Jun, Aug, Sep, Nov, Dec, and stations each given other months)."""
    from engines.tables.vocab import MONTHS

    checked = 0
    for i in range(1000):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        if not re.search(r"\{?(Month|月份)\}? ", table.splitlines()[2]):
            continue
        months = [MONTHS.index(r[0]) % 12 for r in _rows(table) if r[0] in MONTHS]
        assert len(months) in (3, 6, 12) and months[0] % len(months) == 0, table
        assert months == list(range(months[0], months[0] + len(months))), table
        blocks = [line for line in table.splitlines() if line.startswith(r"\multirow") and r"\multicolumn" not in line]
        assert not blocks, table  # no row groups of stations, each with its own months
        checked += 1
    assert checked >= 20, checked


def _param(cell: str) -> float | str:
    """A hyper-parameter cell's value: 3 \\times 10^{-4}, 10^{-3}, 3e-4, 0.0003, 512 or an optimizer's name."""
    if m := re.fullmatch(r"\$(?:(\d+) \\times )?10\^\{(-?\d+)\}\$", cell):
        return int(m[1] or 1) * 10.0 ** int(m[2])
    try:
        return float(cell)
    except ValueError:
        return cell


def _in_range(value: float | str, search: str) -> bool:
    """Whether a value lies in a search range: a set {a, b, c}, an interval [a, b], or [10^{a}, 10^{b}]."""
    if m := re.fullmatch(r"\$\[10\^\{(-?\d+)\}, 10\^\{(-?\d+)\}\]\$", search):
        return 10.0 ** int(m[1]) <= value <= 10.0 ** int(m[2])
    inner = search.strip("$").removeprefix("\\{").removesuffix("\\}").strip("[]")
    items = [_param(c.strip()) for c in inner.split(", ")]
    if search.startswith("["):
        return items[0] <= value <= items[1]
    return value in items


def test_hyper_parameter_tables_hold_plausible_values() -> None:
    """A hyper-parameter table's values are ones papers use, each inside its own search range, a larger model at
    least as wide and deep as a smaller one; the baseline characteristics of a cohort and the properties of a
    material follow the row (they were drawn per column: 1024 attention heads, beta_1 = 1, a value outside its own
    range, a mean age of 480, oak as dense as steel)."""
    from engines.tables.vocab import MODEL_SIZES, PARAM_KINDS, PARAM_VALUES

    checked = {"value": 0, "range": 0, "growth": 0, "material": 0, "cohort": 0}
    for i in range(1500):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        rows = _rows(table)
        names = {"Value", "取值", "Search range", "搜索范围", "Default", "默认值"}
        head_at = next((k for k, r in enumerate(rows) if names & set(r)), None)
        if head_at is not None:
            heads = rows[head_at]
            sized = [g for g in re.findall(r"\\multicolumn\{\d\}\{c\|?\}\{([^}]*)\}", table) if g in MODEL_SIZES]
            for r in rows[head_at + 1:]:
                label = next((c for c in r if c in PARAM_KINDS), None)
                kind = PARAM_KINDS.get(label, "")
                shown = [(h, c) for h, c in zip(heads, r) if h in names and c not in ("--", "-", "N/A", "---")]
                for h, c in shown:
                    if h not in ("Search range", "搜索范围") and kind in PARAM_VALUES:
                        assert any(abs(_param(c) - a) <= 1e-12 for a in PARAM_VALUES[kind]), (label, c, table)
                        checked["value"] += 1
                values = [_param(c) for h, c in zip(heads, r) if h in ("Value", "取值")]
                ranges = [c for h, c in zip(heads, r) if h in ("Search range", "搜索范围")]
                for v, s in zip(values, ranges):
                    if "--" not in (v, s) and s not in ("-", "N/A", "---") and v not in ("-", "N/A", "---"):
                        assert _in_range(v, s), (label, v, s, table)
                        checked["range"] += 1
                if len(sized) >= 2 and kind in ("hidden", "layers", "heads") and len(values) == len(sized):
                    numbers = [v for v in values if isinstance(v, float)]
                    assert numbers == sorted(numbers), (label, values, table)
                    checked["growth"] += 1
        if rows[0][0] == "Material" and r"\multicolumn" not in table and rows[0][1].startswith("Density"):
            density = {r[0]: _number(r[1]) for r in rows[1:] if r[1] not in ("--", "-", "N/A", "---")}
            if "Steel" in density and "Oak" in density:
                assert density["Steel"] > 5 * density["Oak"], table
                checked["material"] += 1
        if rows[0][0] == "Characteristic" and r"\multicolumn" not in table and rows[0][1] == "Mean":
            for r in rows[1:]:
                if r[0] == "Age, years" and r[1] not in ("--", "-", "N/A", "---"):
                    assert 40 < _number(r[1]) < 80, table
                    checked["cohort"] += 1
    assert min(checked.values()) >= 3, checked


def test_figures_by_year_move_as_real_ones_do() -> None:
    """Under year groups a country's or province's figures change from one year to the next as real ones do (each
    year was drawn afresh: 江苏 9598 -> 8228 万人, 重庆's urbanisation 76.0 -> 67.5 in a year), a rate is the
    country's own (Japan's unemployment was 11.3% in 2021, as every country's 8.8-11.8%), and a bulletin's
    indicators change plausibly (rural income -7.0%, resident population +4.3% in a year)."""
    per_year = {"Population (M)": (0.03, 0), "常住人口（万人）": (0.02, 0), "GDP (bn USD)": (0.15, 0),
                "生产总值（亿元）": (0.12, 0), "人均可支配收入（元）": (0.1, 0), "Exports (bn USD)": (0.2, 0),
                "Unemployment (\\%)": (0, 1.5), "城镇化率（\\%）": (0, 2.0), "Debt/GDP (\\%)": (0, 8.0)}
    from engines.tables.vocab import ROW_VALUES

    checked = Counter()
    for i in range(600):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        rows = _rows(table)
        years = [int(y) for y in re.findall(r"\\multicolumn\{\d+\}\{c\|?\}\{(\d{4})", table)]
        if len(years) >= 2 and rows[1][0] == "":
            heads, per = rows[1], (len(rows[1]) - 1) // len(years)
            for r in rows[2:]:
                for j, head in enumerate(heads[1:1 + per], start=1):
                    if head not in per_year or "--" in (r[j], r[j + per]) or not re.fullmatch(r"[\d.,-]+", r[j]):
                        continue
                    a, b, gap = _number(r[j]), _number(r[j + per]), abs(years[1] - years[0])
                    rel, points = per_year[head]
                    assert (abs(b / a - 1) <= rel * gap) if rel else (abs(b - a) <= points * gap), (r[0], head, table)
                    checked["year"] += 1
        heads = rows[1] if len(rows) > 1 and rows[1][0] == "" else rows[0]
        for r in rows:
            country = next((c for c in r if c in ROW_VALUES["unemployment"]), None)
            for j, head in enumerate(heads):
                if country and head == "Unemployment (\\%)" and re.fullmatch(r"[\d.]+", r[j]):
                    assert abs(_number(r[j]) - ROW_VALUES["unemployment"][country]) < 2, table
                    checked["unemployment"] += 1
        if rows[0][:2] == ["指标", "单位"] and len(rows[0]) == 5:  # this year, last year, change
            for label, _, _now, before, change in rows[1:]:
                if label == "常住人口":
                    assert abs(float(change)) < 2, table
                if label.endswith("人均可支配收入"):
                    assert float(change) > 0, table
                if label == "居民消费价格指数":
                    assert 96 < float(before) < 106, table
                checked["indicators"] += 1
    assert min(checked.values()) >= 10 and len(checked) == 3, checked


def test_hidden_rows_and_undecodable_text_are_skipped(tmp_path: Path) -> None:
    """Real sources (texlive's yaku-jsc-utf8.tex, Latin-1 docs) hold rows behind `\\if0` and bytes that are not UTF-8."""
    (tmp_path / "yaku.tex").write_text("\\begin{tabular}{rl}\ndefault & a\\\\\n\\if0\numin10.tfm & b\\\\\n\\fi\n"
                                       "upjisr-h.tfm & c\\\\\n\\end{tabular}\n"
                                       "\\begin{tabular}{ll}\nx & y\\\\\n\\end{tabular}\n")
    (tmp_path / "latin1.tex").write_bytes("\\begin{tabular}{ll}\nK\u00e4se & 1\\\\\n\\end{tabular}\n".encode("latin-1"))
    found = load_tables(str(tmp_path))
    assert [t.latex for t in found.items] == ["\\begin{tabular}{ll}\nx & y\\\\\n\\end{tabular}"]
    assert found.skipped == {"conditional": 1, "not_utf8": 1}


def test_a_cohorts_table_agrees_with_itself() -> None:
    """A clinical table's odds ratio lies in its 95% interval, its p-value is under 0.05 exactly when the interval
    leaves out 1, a column's n is one cohort's size (less a few missing), and a share's row has no SD (each was
    drawn on its own: OR 2.54 beside 95% CI 3.27--8.97, n 546 and 242 in one cohort, "Female, n (%)" SD 4.7);
    a materials table's groups are not temperatures its cost column cannot have."""
    checked = {"or": 0, "p": 0, "n": 0, "sd": 0}
    for i in range(2500):
        lang = ("en", "zh")[i % 2]
        table = random_tabular(np.random.default_rng(i), lang)
        if "Elevated temp." in table or "300 K" in table:
            raise AssertionError(table)
        if not re.search(r"Characteristic|指标", table) or "multirow" in table or "multicolumn" in table:
            continue
        rows = _rows(table)
        head = rows[0]
        for row in rows[1:]:
            cell = dict(zip(head, row))
            interval = re.fullmatch(r"([\d.]+)--([\d.]+)", cell.get("95\\% CI", ""))
            if interval and re.fullmatch(r"[\d.]+", cell.get("OR", "")):
                low, high = float(interval[1]), float(interval[2])
                assert low - 0.01 <= float(cell["OR"]) <= high + 0.01, row
                checked["or"] += 1
                if "$p$-value" in cell and cell["$p$-value"] not in ("--", "-", "N/A", "---"):
                    p = 0.0 if "<" in cell["$p$-value"] else float(cell["$p$-value"])
                    if abs(p - 0.05) > 0.005 and min(abs(low - 1), abs(high - 1)) > 0.01:
                        assert (p < 0.05) == (low > 1 or high < 1), row
                        checked["p"] += 1
            if row[0] in ("Female, n (\\%)", "Smoker", "Diabetes", "Hypertension", "男性比例") and (
                    "SD" in cell or "标准差" in cell):
                assert cell.get("SD", cell.get("标准差")) == "--", row  # a share has no SD (a "--" may be missing data)
                checked["sd"] += 1
        for name in ("$n$", "例数"):
            if name in head:
                ns = [int(r[head.index(name)]) for r in rows[1:] if r[head.index(name)].isdigit()]
                assert max(ns) <= 1.1 * min(ns), (ns, table)
                checked["n"] += 1
    assert min(checked.values()) >= 5, checked
