"""Random LaTeX `tabular`s as papers and reports set them, English or Chinese.

A table is one of four kinds (`engines.tables.vocab` holds their words):

- a topic table (results of methods, ablations, measured samples and materials, countries and
  provinces by year, a cohort, hyper-parameters, reaction conditions, climate by month, enterprises),
  about 60%; below;
- a statement whose totals add up (income statement, balance sheet, budget; 利润表, 资产负债表,
  费用表) with a unit line ("(in thousands of USD)", "单位：万元"), two periods and maybe the change;
- key indicators as statistical bulletins list them (name, unit, this year, last year, change), one country's or
  province's published figures (`vocab.INDICATOR_FIGURES`), so GDP, exports and population agree;
- a distribution (counts and percentages of age groups, education, regions) with its total row.

Numbers are consistent with their header: a column of kind `r:LOW:HIGH:DECIMALS` stays in its
unit's range, a `row:NAME` column follows each row's real size (`vocab.ROW_VALUES`: China's
GDP is never Nigeria's; Japan's unemployment is Japan's), and under year groups it moves from year to year
as such figures do (`vocab.ROW_GROWTH`, `vocab.ROW_DRIFT`: a province's population by a fraction of a percent,
never 9598 -> 8228 万人), totals are the sums of the rounded lines they total, a change is
computed from the two periods shown, percentages of a distribution come from its counts.

A results table's data sets and metrics are one task's (`vocab.TASKS`: BLEU on translation, MSE and MAE on forecasting),
a row group (`\\multirow` block) is a class of its rows (`vocab.BLOCKS`: advanced and emerging economies), each
once, and a climate table's months are a quarter, a half year or the year.

A topic table has a shape and a look:

- shape: one or two label columns (the second a `\\multirow` group column), 2-7 value columns,
  optionally under `\\multicolumn` group headers (data sets, years, conditions), 2-12 body rows;
- numbers: one format per column (percentages, scores, small decimals, integers, signed,
  scientific `$1.2 \\times 10^{-3}$`, p-values, intervals, `$\\pm$` deviations), the best of a
  results column in `\\textbf`, an occasional missing value;
- look: booktabs rules (`\\toprule`, `\\midrule` with `\\cmidrule(lr)` under groups, `\\bottomrule`),
  or `\\hline` with or without vertical bars (`\\cline` under groups), and the columns' alignment.

The result needs `PREAMBLE` (and, for Chinese, XeLaTeX with `renderers.latex.CJK_PREAMBLE`). Its
text is exactly what is compiled, one row per line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from engines.base import pick
from engines.charts.content import facts
from engines.tables.vocab import (
    BLOCKS,
    CHANGE,
    DISTRIBUTION_HEADS,
    DISTRIBUTIONS,
    FACTS_NAMES,
    INDICATOR_FIGURES,
    INDICATOR_HEADS,
    INDICATORS,
    MISSING,
    MODEL_COSTS,
    MODEL_SIZES,
    MONTH_RUNS,
    MONTHS,
    OPTIMIZERS,
    ORDERED,
    PARAM_GROWTH,
    PARAM_KINDS,
    PARAM_VALUES,
    PERIODS,
    ROW_DRIFT,
    ROW_GROWTH,
    ROW_VALUES,
    ROW_YEAR,
    STATEMENT_TITLES,
    STATEMENTS,
    TASKS,
    TEXT_VALUES,
    TOPICS,
    TOTAL,
    UNITS,
    Column,
)

PREAMBLE = r"\usepackage{booktabs}\usepackage{multirow}\usepackage{amsmath}\usepackage{amssymb}"
RULES = ("booktabs", "hline", "grid")
GROUP_HEAD = {"en": "Group", "zh": "类别"}


def _some(rng: np.random.Generator, items, k: int) -> list:
    return [items[i] for i in sorted(rng.choice(len(items), size=min(k, len(items)), replace=False))]


class _Numbers:
    """The numbers of one column: a kind, a scale and a precision drawn once, then values."""

    def __init__(self, rng: np.random.Generator, kind: str, lang: str) -> None:
        self.rng, self.kind, self.lang = rng, kind, lang
        if kind.startswith(("r:", "season:")):  # a range in the header's unit: r:LOW:HIGH:DECIMALS
            low, high, digits = kind.split(":")[1:]
            self.low, self.high, self.fixed = float(low), float(high), int(digits)
            self.mid = rng.uniform(self.low, self.high)
            half = (self.low + self.high) / 2  # a season's coldest and warmest month
            self.winter, self.summer = rng.uniform(self.low, half), rng.uniform(half, self.high)
        self.digits = int(rng.integers(1, 4)) if kind not in ("int", "size") else int(rng.integers(0, 2))
        self.center = {"pct": rng.uniform(40, 95), "score": rng.uniform(0.4, 0.95), "small": rng.uniform(0.05, 8),
                       "int": 10 ** rng.uniform(1, 4), "size": 10 ** rng.uniform(0, 3), "signed": rng.uniform(-3, 5),
                       "sci": 10 ** rng.uniform(-6, 4)}.get(kind, 1.0)
        self.deviation = kind in ("pct", "score", "small") and rng.random() < 0.2
        if kind == "count":  # a cohort's size: each row's n is it, less the few whose value is missing
            self.total = int(rng.integers(20, 900))

    def value(self, label: str = "", year: int = ROW_YEAR, effect: tuple[float, float] = (0.0, 0.2)) -> tuple[str, float]:
        """A cell's LaTeX (for row `label`, in `year` where the column is a year's; an odds ratio, its interval
        and p-value from the row's `effect`, a log odds ratio and its standard error) and the number it shows (for
        picking the best of a column)."""
        rng, kind = self.rng, self.kind
        log_odds, error = effect
        if kind == "count":
            n = self.total - int(rng.binomial(self.total, 0.02))
            return str(n), float(n)
        if kind == "odds":
            return f"{math.exp(log_odds):.2f}", math.exp(log_odds)
        if kind == "interval":  # the 95% interval holds the odds ratio
            low, high = math.exp(log_odds - 1.96 * error), math.exp(log_odds + 1.96 * error)
            return f"{low:.2f}--{high:.2f}", low
        if kind == "pvalue":  # the Wald test's: under 0.05 exactly when the interval leaves out 1
            p = math.erfc(abs(log_odds / error) / math.sqrt(2))
            return ("$<0.001$", p) if p < 0.001 else (f"{p:.3f}", p)
        if kind.startswith("t:"):
            return pick(rng, TEXT_VALUES[kind[2:]]), 0.0
        if kind.startswith("season:"):  # a month's value on a yearly cycle, highest in July
            month = MONTHS.index(label) % 12
            v = self.winter + (self.summer - self.winter) * (1 - np.cos(2 * np.pi * month / 12)) / 2
            v = float(np.clip(v + rng.normal(0, (self.high - self.low) * 0.03), self.low, self.high))
            text = f"{v:.{self.fixed}f}"
            return (f"$-${text[1:]}" if text.startswith("-") else text), v
        if kind.startswith("r:"):
            v = self.mid + rng.normal(0, (self.high - self.low) * 0.12)
            for _ in range(8):  # redrawn, not clipped: clipping piles values on the range's ends
                if self.low <= v <= self.high:
                    break
                v = self.mid + rng.normal(0, (self.high - self.low) * 0.12)
            v = float(np.clip(v, self.low, self.high))
            text = f"{v:.{self.fixed}f}"
            return (f"$-${text[1:]}" if text.startswith("-") else text), v
        if kind.startswith("row:"):
            return _row_value(rng, kind[4:], label, year)
        if kind == "sci":
            v = self.center * rng.uniform(0.2, 5)
            mantissa, exponent = f"{v:.2e}".split("e")
            return f"${mantissa} \\times 10^{{{int(exponent)}}}$", v
        spread = {"pct": 8, "score": 0.08, "int": self.center * 0.5, "size": self.center * 0.6,
                  "signed": 2.5}.get(kind, self.center * 0.4)
        v = self.center + rng.normal(0, spread)
        if kind == "pct":
            v = min(v, 99.9)
        if kind == "score":  # under 1 as printed: an F1 of 0.999 is not written 1.00
            v = min(v, 1 - 10 ** -self.digits)
        if kind in ("int", "size", "small", "pct", "score"):
            v = abs(v)
        text = f"{v:.{self.digits}f}" if kind not in ("int",) else f"{int(round(v))}"
        if kind == "signed" and v < 0:
            text = f"$-${text[1:]}" if rng.random() < 0.5 else f"$-{text[1:]}$"
        elif kind == "signed" and rng.random() < 0.3:
            text = f"+{text}"
        if self.deviation:  # a run-to-run spread: a small part of the value, as seeds move a score
            text = f"{text} $\\pm$ {abs(v) * rng.uniform(0.005, 0.08):.{self.digits}f}"
        return text, float(v)


class _PerModel(_Numbers):
    """A model's size (parameters, FLOPs): one value per row, whichever data set's column shows it."""

    def __init__(self, rng: np.random.Generator, kind: str, lang: str) -> None:
        super().__init__(rng, kind, lang)
        self.seen: dict[str, tuple[str, float]] = {}

    def value(self, label: str = "", *args, **kwargs) -> tuple[str, float]:
        if label not in self.seen:
            self.seen[label] = super().value(label, *args, **kwargs)
        return self.seen[label]


def _year(head: str) -> int | None:
    """The year a column group or a row block names ("2021", "2021 年"), or None."""
    return int(m[0]) if (m := re.match(r"(19|20)\d\d\b", head)) else None


def _row_value(rng: np.random.Generator, name: str, label: str, year: int) -> tuple[str, float]:
    """Row `label`'s figure `name` in `year`: its real 2023 value, grown or drifted to `year`, with a little noise."""
    base, years = ROW_VALUES[name][label], year - ROW_YEAR
    if base is None:  # a figure the row has not (a share's SD)
        return "--", 0.0
    if name in ROW_DRIFT:  # a rate in points: 1 decimal, a minus sign as the rest of the table writes it
        drift, spread = ROW_DRIFT[name]
        v = base + drift * years + float(rng.normal(0, spread))
        text = f"{v:.1f}"
        return (f"$-${text[1:]}" if text.startswith("-") else text), v
    if name.startswith("population"):
        v = base * facts.population(FACTS_NAMES.get(label, label), year) / facts.population(FACTS_NAMES.get(label, label))
        v *= float(rng.lognormal(0, 0.002))
    else:
        growth, noise = ROW_GROWTH.get(name, (0.0, 0.04))
        v = base * (1 + growth / 100) ** years * float(rng.lognormal(0, noise))
    return f"{v:.{2 if v < 1 else 1 if v < 1000 else 0}f}", v


class _Table:
    """One table's choices, written out by `latex`."""

    def __init__(self, rng: np.random.Generator, lang: str) -> None:
        self.rng, self.lang = rng, lang
        row_head, rows, group_head, columns = pick(rng, TOPICS[lang])
        if row_head in TASKS:  # one task's data sets and the metrics that suit them
            group_head, metrics = pick(rng, TASKS[row_head])
            columns = tuple(c for c in columns if c[0] in metrics)
        self.row_head = row_head
        self.rule = pick(rng, RULES + ("booktabs", "hline"))
        self.bold_head = rng.random() < 0.25
        n_values = int(rng.integers(2, 7))
        self.groups: list[str] = []
        if rng.random() < 0.35 and len(columns) >= 2:
            per = int(rng.integers(2, min(4, len(columns)) + 1))
            self.groups = _some(rng, group_head, int(rng.integers(2, 4)) if per <= 3 else 2)
            self.columns: list[Column] = _some(rng, columns, per) * len(self.groups)
        else:
            self.columns = _some(rng, columns, min(n_values, len(columns)))
        n_rows = int(rng.integers(2, min(12, len(rows)) + 1))
        self.rows = _some(rng, rows, n_rows) if rng.random() < 0.5 else list(rng.permutation(rows)[:n_rows])
        if row_head in ORDERED:  # entries 1, 2, 3 from the first; a quarter's, half year's or year's months in order
            n_rows = n_rows if row_head in ("Entry", "序号") else pick(rng, MONTH_RUNS)
            start = 0 if row_head in ("Entry", "序号") else n_rows * int(rng.integers(12 // n_rows))
            self.rows = list(rows[start:start + n_rows])
        self.blocks: list[tuple[str, int]] = []  # multirow groups: (label, rows), the rows of one class each
        classes = BLOCKS.get(row_head, {})
        if classes and rng.random() < 0.25 and n_rows >= 4:
            order = list(dict.fromkeys(classes.values()))
            self.rows = sorted(self.rows, key=lambda label: order.index(classes[label]))
            counts = [(c, sum(classes[label] == c for label in self.rows)) for c in order]
            self.blocks = [(c, size) for c, size in counts if size] if sum(size > 0 for _, size in counts) > 1 else []
        self.numbers = [_Numbers(rng, kind, lang) for _, kind in self.columns]
        first: dict[str, _Numbers] = {}  # a column written alike under each group; a model's size the same in each
        for k, (name, kind) in enumerate(self.columns):
            if name in MODEL_COSTS:
                self.numbers[k] = first.setdefault(name, _PerModel(rng, kind, lang))
            lead = first.setdefault(name, self.numbers[k])
            self.numbers[k].digits, self.numbers[k].deviation = lead.digits, lead.deviation
        self.params = any(kind.startswith("param") for _, kind in self.columns)
        self.notation = int(rng.integers(3))  # how small numbers are written: 3 \times 10^{-4}, 3e-4 or 0.0003
        self.bold_best = row_head in ("Method", "方法") and rng.random() < 0.6
        self.missing = rng.random() < 0.15

    def spec(self) -> str:
        labels = "l" * (1 + bool(self.blocks)) if self.rng.random() < 0.8 else "c" * (1 + bool(self.blocks))
        align = pick(self.rng, ("c", "c", "r", "l"))
        values = align * len(self.columns)
        if self.rule == "grid":
            return "|" + "|".join(labels + values) + "|"
        if self.rule == "hline" and self.rng.random() < 0.5:
            return labels + "|" + values
        return labels + values

    def head(self) -> str:
        return f"\\textbf{{{self.row_head}}}" if self.bold_head else self.row_head

    def header_lines(self) -> list[str]:
        lead = [self.head()] if not self.blocks else [GROUP_HEAD[self.lang], self.head()]
        names = [f"\\textbf{{{n}}}" if self.bold_head else n for n, _ in self.columns]
        if not self.groups:
            return [" & ".join(lead + names) + r" \\"]
        per = len(self.columns) // len(self.groups)
        bar = "|" if self.rule == "grid" else ""
        spans = [f"\\multicolumn{{{per}}}{{c{bar}}}{{{g}}}" for g in self.groups]
        top = " & ".join([f"\\multirow{{2}}{{*}}{{{cell}}}" for cell in lead] + spans) + r" \\"
        ranges = [(len(lead) + 1 + k * per, len(lead) + (k + 1) * per) for k in range(len(self.groups))]
        cmd = r"\cmidrule(lr)" if self.rule == "booktabs" else r"\cline"
        rule = " ".join(f"{cmd}{{{a}-{b}}}" for a, b in ranges)
        return [top, rule, " & ".join([""] * len(lead) + names) + r" \\"]

    def parameter_row(self, label: str) -> list[tuple[str, float]]:
        """A hyper-parameter's cells: per model the value chosen (a larger model wider, deeper and with a smaller
        learning rate: `PARAM_GROWTH`), a search range of its neighbours that holds it, and a default near it."""
        rng, kind = self.rng, PARAM_KINDS[label]
        values: tuple = PARAM_VALUES.get(kind, OPTIMIZERS)
        first = int(rng.integers(1, len(values) - 1)) if len(values) > 2 else 0
        per = len(self.columns) // max(1, len(self.groups))
        sized = bool(self.groups) and all(g in MODEL_SIZES for g in self.groups)
        out = []
        for j, (name, column) in enumerate(self.columns):
            grown = first + PARAM_GROWTH.get(kind, 0) * (j // per if sized else 0)
            at = min(len(values) - 1, max(0, grown))
            if column == "param_range":
                low, high = max(0, at - int(rng.integers(1, 3))), min(len(values) - 1, at + int(rng.integers(1, 3)))
                out.append((self.search_range(kind, values[low:high + 1]), 0.0))
                continue
            if name in ("Default", "默认值"):
                at = min(len(values) - 1, max(0, at + int(rng.choice([-1, 0, 0, 1]))))
            out.append((self.param_text(kind, values[at]), 0.0))
        return out

    def param_text(self, kind: str, v: float | str) -> str:
        """A hyper-parameter's value as the table's notation writes it."""
        if isinstance(v, str) or kind not in ("rate", "decay", "eps"):
            return str(v) if isinstance(v, (str, int)) else f"{v:g}"
        if v == 0:
            return "0"
        mantissa, exponent = (int(x) for x in f"{v:.0e}".split("e"))
        if self.notation == 0 or (self.notation == 2 and v < 1e-4):
            return f"${mantissa} \\times 10^{{{exponent}}}$" if mantissa != 1 else f"$10^{{{exponent}}}$"
        return f"{mantissa}e{exponent}" if self.notation == 1 else f"{v:g}"

    def search_range(self, kind: str, run: tuple) -> str:
        """A search range over a run of neighbouring values: a set of choices, or an interval (in powers of ten
        for rates)."""
        if kind == "optimizer":
            return "\\{" + ", ".join(run) + "\\}"
        if kind in ("batch", "hidden", "heads", "layers"):
            return "$\\{" + ", ".join(str(v) for v in run) + "\\}$"
        if kind in ("rate", "eps") and len(run) > 1:
            low, high = math.floor(math.log10(run[0])), math.ceil(math.log10(run[-1]))
            return f"$[10^{{{low}}}, 10^{{{max(high, low + 1)}}}]$"
        return f"[{self.param_text(kind, run[0])}, {self.param_text(kind, run[-1])}]"

    def body(self) -> list[list[str]]:
        per = len(self.columns) // max(1, len(self.groups))
        years = [_year(self.groups[j // per]) if self.groups else None for j in range(len(self.columns))]
        blocks = [label for label, size in self.blocks for _ in range(size)] or [""] * len(self.rows)
        groups = max(1, len(self.groups))
        if any(kind in ("odds", "interval", "pvalue") for _, kind in self.columns):  # per row and group
            effects = [[(float(self.rng.normal(0, 0.35)), float(self.rng.uniform(0.08, 0.3))) for _ in range(groups)]
                       for _ in self.rows]
        else:
            effects = [[(0.0, 0.2)] * groups for _ in self.rows]
        cells = [self.parameter_row(label) if self.params else
                 [n.value(label, y or _year(block) or ROW_YEAR, effect[j // per])
                  for j, (n, y) in enumerate(zip(self.numbers, years))]
                 for label, block, effect in zip(self.rows, blocks, effects)]
        if self.bold_best:
            for j, (_, kind) in enumerate(self.columns):
                if kind in ("pct", "score", "signed"):
                    best = max(range(len(self.rows)), key=lambda i: cells[i][j][1])
                    cells[best][j] = (f"\\textbf{{{cells[best][j][0]}}}", cells[best][j][1])
        out = [[text for text, _ in row] for row in cells]
        if self.missing:
            i, j = int(self.rng.integers(len(out))), int(self.rng.integers(len(self.columns)))
            out[i][j] = pick(self.rng, MISSING)
        return out

    def latex(self) -> str:
        lines = [f"\\begin{{tabular}}{{{self.spec()}}}"]
        top, mid, bottom = (r"\toprule", r"\midrule", r"\bottomrule") if self.rule == "booktabs" else \
            (r"\hline", r"\hline", r"\hline")
        lines.append(top)
        lines += self.header_lines()
        lines.append(mid)
        body, starts = self.body(), {}
        at = 0
        for label, size in self.blocks:
            starts[at] = (label, size)
            at += size
        for i, (label, row) in enumerate(zip(self.rows, body)):
            if self.blocks:
                if i in starts and i > 0:
                    lines.append(r"\midrule" if self.rule == "booktabs" else r"\hline")
                block = starts.get(i)
                lead = f"\\multirow{{{block[1]}}}{{*}}{{{block[0]}}} & " if block else " & "
            else:
                lead = ""
            lines.append(lead + " & ".join([label] + row) + r" \\")
            if self.rule == "grid" and i < len(body) - 1 and not self.blocks:
                lines.append(r"\hline")
        lines.append(bottom)
        lines.append(r"\end{tabular}")
        return "\n".join(lines)


def _rules(rng: np.random.Generator) -> tuple[str, str, str, str]:
    """(rule kind, top, middle, bottom) of a ruled table: booktabs or `\\hline`s."""
    if rng.random() < 0.6:
        return "booktabs", r"\toprule", r"\midrule", r"\bottomrule"
    return "hline", r"\hline", r"\hline", r"\hline"


def _grouped(v: float, decimals: int, commas: bool) -> str:
    """A number as reports print it: thousands separated by commas when `commas`; a minus in math mode."""
    text = f"{abs(v):,.{decimals}f}" if commas else f"{abs(v):.{decimals}f}"
    return f"$-${text}" if round(v, decimals) < 0 else text


def ruled_tabular(spec: str, head: list[str], rows: list[list[str]], rng: np.random.Generator,
                  above: str | None = None, bold: frozenset[int] = frozenset()) -> str:
    """A ruled tabular (booktabs or `\\hline`s): an optional line above the rules (a unit), the header (none when
    `head` is empty: a table of terms and what they mean), the rows (those in `bold` bold)."""
    kind, top, mid, bottom = _rules(rng)
    lines = [f"\\begin{{tabular}}{{{spec}}}"]
    if above:
        lines.append(f"\\multicolumn{{{len(head)}}}{{r}}{{{above}}} \\\\")
    lines += [top, " & ".join(head) + r" \\", mid] if head else [top]
    for i, row in enumerate(rows):
        if i in bold and i and kind == "booktabs":
            lines.append(r"\midrule")
        cells = [f"\\textbf{{{c}}}" if i in bold else c for c in row]
        lines.append(" & ".join(cells) + r" \\")
    lines += [bottom, r"\end{tabular}"]
    return "\n".join(lines)


@dataclass(frozen=True)
class Statement:
    """A financial statement (or budget) excerpt as numbers, which each engine prints its own way (LaTeX cells
    here, HTML cells in docs), so a caption and its lines come from one place."""

    title: str  # names the statement its lines belong to
    head: tuple[str, str, str]  # the row head and the two periods (this one first)
    unit: str  # the unit line above it
    decimals: int
    labels: tuple[str, ...]  # in the statement's order
    periods: tuple[tuple[float, ...], tuple[float, ...]]  # each line's amount this period and the last
    totals: frozenset[int]  # the rows that are totals (sums of lines of the whole statement)
    flow: bool = True  # a period's flows (income, spending), not balances at two dates

    def change(self, k: int) -> float | None:
        """Row k's change in percent, or None where last period's amount is not positive."""
        now, before = self.periods[0][k], self.periods[1][k]
        return (now / before - 1) * 100 if before > 0 else None


def company_bases(rng: np.random.Generator, unit: str, lang: str = "zh") -> tuple[float, float]:
    """One company's revenue and total assets in `unit` (assets 0.8-2.5 times revenue, as listed manufacturers and
    tech firms report them): a report whose income statement and balance sheet were sized apart said revenue
    56,111 万元 beside total assets of 1,196 万元. A company that publishes an annual report is a listed one:
    its revenue is at least ten times the unit range's floor (1 亿元 in 万元; a report said 1,046 万元)."""
    _, low, high = next(u for u in UNITS[lang] if u[0] == unit)
    revenue = 10 ** rng.uniform(low + 1.0, high - 0.4)
    return revenue, revenue * rng.uniform(0.8, 2.5)


def statement(rng: np.random.Generator, lang: str, lines: int | None = None, wide: bool = True,
              kinds: tuple[int, ...] | None = None, unit: str | None = None, base: float | None = None) -> Statement:
    """A statement whose lines belong to it and add up: lines drawn as shares of a base (revenue, total assets) or
    of an earlier line (income tax, 15-25% of the profit before tax), totals the sums of the rounded lines, last
    period's amounts this period's shrunk by one growth rate (-15% to +25%) with a little noise per line.

    Args:
        rng: the only source of randomness.
        lang: "en" or "zh".
        lines: how many of its lines (not totals) an excerpt keeps, in the statement's order, with each total
            whose lines are all kept; None keeps all.
        wide: whether the unit may be 单位：元 (amounts of ten digits and two decimals) and the periods long dates
            (2023 年 12 月 31 日): both too wide for a column of a page.
        kinds: the statements (indices of `vocab.STATEMENTS[lang]`) to draw from; None for all.
        unit: the unit line (one of `vocab.UNITS[lang]`'s); None draws one.
        base: the statement's base (revenue, total assets) in its unit; None draws one in the unit's range (one
            company's two statements share a size: `company_bases`).
    """
    kinds = kinds or tuple(range(len(STATEMENTS[lang])))
    k_statement = pick(rng, kinds)
    row_head, flow, items = STATEMENTS[lang][k_statement]
    title = pick(rng, STATEMENT_TITLES[lang][k_statement])
    unit, low, high = pick(rng, [u for u in UNITS[lang] if (wide or u[0] != "单位：元") and unit in (None, u[0])])
    base = base if base is not None else 10 ** rng.uniform(low, high)
    # cents for 元; and where the base is small (亿元, millions), so that a line of 0.5% of it is not printed as 0
    decimals = 2 if unit == "单位：元" or base < 1e4 or rng.random() < 0.3 else 0
    shares = [what if isinstance(what, str) else rng.uniform(*what[:2]) for _, what in items]
    growth = float(np.clip(rng.normal(0.06, 0.08), -0.15, 0.25))
    periods = []
    for scale in (1.0, 1.0 / (1.0 + growth)):
        values: list[float] = []
        for k, share in enumerate(shares):
            what = items[k][1]
            if isinstance(share, str):
                values.append(round(sum(values[int(n)] * (1 if sign == "+" else -1)
                                        for sign, n in re.findall(r"([+-])(\d+)", share)), decimals))
            else:
                of = values[what[2]] if len(what) == 3 else base * scale
                values.append(round(of * share * (rng.lognormal(0, 0.05) if k else 1.0), decimals))
        periods.append(values)
    keep = list(range(len(items)))
    if lines is not None:  # some lines, and the totals of the lines kept: a total shown is the sum of shown lines
        parts = [k for k, (_, what) in enumerate(items) if not isinstance(what, str)]
        keep = sorted(int(k) for k in rng.choice(parts, min(lines, len(parts)), replace=False))
        for k, (_, what) in enumerate(items):
            if isinstance(what, str) and all(int(n) in keep for n in re.findall(r"\d+", what)):
                keep = sorted([*keep, k])
    periods_head = pick(rng, [p for p in PERIODS[flow][lang] if wide or max(map(len, p)) <= 9])
    return Statement(title, (row_head, *periods_head), unit, decimals,
                     tuple(items[k][0] for k in keep), tuple(tuple(p[k] for k in keep) for p in periods),
                     frozenset(j for j, k in enumerate(keep) if isinstance(items[k][1], str)), flow == "flow")


def _statement(rng: np.random.Generator, lang: str) -> str:
    """A whole statement as a tabular, maybe with the change between its periods and its totals in bold."""
    st = statement(rng, lang)
    change = rng.random() < 0.5
    head = [*st.head] + ([CHANGE[lang]] if change else [])
    rows = []
    for k, label in enumerate(st.labels):
        row = [label, _grouped(st.periods[0][k], st.decimals, True), _grouped(st.periods[1][k], st.decimals, True)]
        if change:
            pct = st.change(k)
            row.append("--" if pct is None else _grouped(pct, 1, False))
        rows.append(row)
    bold = st.totals if rng.random() < 0.5 else frozenset()
    return ruled_tabular("l" + "r" * (len(head) - 1), head, rows, rng, above=st.unit, bold=bold)


def _indicators(rng: np.random.Generator, lang: str) -> str:
    """Key indicators of one country's or province's statistical bulletin (its published figures, so the rows
    agree): this year, maybe last year, and the change computed from them."""
    name, unit, change = INDICATOR_HEADS[lang]
    years = ("2023", "2022") if lang == "en" else ("2023 年", "2022 年")
    previous = rng.random() < 0.5
    figures = INDICATOR_FIGURES[lang][pick(rng, list(INDICATOR_FIGURES[lang]))]
    rows = []
    for key, label, units, decimals in _some(rng, INDICATORS[lang], int(rng.integers(4, 9))):
        before, now = (round(float(v), decimals) for v in figures[key])
        rows.append([label, units, _grouped(now, decimals, False)] + ([_grouped(before, decimals, False)] if previous
                                                                       else [])
                    + [_grouped((now / before - 1) * 100, 1, False) if not re.search(r"%|=", units) else "--"])
    head = [name, unit, years[0]] + ([years[1]] if previous else []) + [change]
    return ruled_tabular("ll" + "r" * (len(head) - 2), head, rows, rng)


def _distribution(rng: np.random.Generator, lang: str) -> str:
    """Counts of a survey's categories, their percentages of the total, and the total row."""
    row_head, categories = pick(rng, DISTRIBUTIONS[lang])
    counts = np.round(rng.dirichlet(np.full(len(categories), 3.0)) * 10 ** rng.uniform(2, 4)).astype(int) + 1
    total = int(counts.sum())
    n_head, pct_head = pick(rng, DISTRIBUTION_HEADS[lang])
    rows = [[label, str(int(c)), f"{100 * c / total:.1f}"] for label, c in zip(categories, counts)]
    rows.append([pick(rng, TOTAL[lang]), str(total), "100.0"])
    return ruled_tabular("lrr", [row_head, n_head, pct_head], rows, rng, bold=frozenset({len(rows) - 1})
                  if rng.random() < 0.4 else frozenset())


def random_tabular(rng: np.random.Generator, lang: str) -> str:
    """A random `\\begin{tabular}...\\end{tabular}`, one row per line.

    Args:
        rng: the only source of randomness.
        lang: "en" or "zh" (labels and headers in Chinese; needs XeLaTeX with CJK fonts).

    Returns:
        The tabular's LaTeX; it compiles with `PREAMBLE` (plus `renderers.latex.CJK_PREAMBLE` for "zh").

    Raises:
        ValueError: an unknown `lang`.
    """
    if lang not in TOPICS:
        raise ValueError(f"lang must be one of {sorted(TOPICS)}, got {lang!r}")
    kind = rng.random()
    if kind < 0.6:
        return _Table(rng, lang).latex()
    if kind < 0.78:
        return _statement(rng, lang)
    return _indicators(rng, lang) if kind < 0.89 else _distribution(rng, lang)
