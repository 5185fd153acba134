"""Chart tables a user brings: a CSV/TSV file, or a folder of them, one table per file.

Layout: a header row (first cell: what the categories are, e.g. "Year"; then one name per series),
then one row per category (its label, then one number per series). Optional comment lines before
the table set the chart's texts: `# title: ...`, `# source: ...`, `# x_title: ...`, `# y_title: ...`.
Cells may carry thousands separators, a currency prefix ($ ¥ € £) or a "%" suffix; a table's
values are shown with the most decimals any of its cells has. Files in UTF-8 (with or without a
BOM) or GB18030 are read; anything unusable is skipped and counted by reason in `skipped`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from engines.charts.spec import NumberFormat, Series

MAX_CATEGORIES = 16
MAX_SERIES = 5
MAX_LABEL = 24
MAX_TEXT = 60  # titles and notes: longer ones cannot be drawn legibly on one line
NUMBER = re.compile(r"^(-?)([$¥€£]?)(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$")
CJK = re.compile(r"[\u3400-\u9fff]")
COMMENT = re.compile(r"^#\s*(title|source|x_title|y_title)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)


@dataclass
class ChartTable:
    name: str  # the file it came from, relative to --source
    categories: list[str]
    series: list[Series]
    number_format: NumberFormat
    lang: str  # "zh" when any label or text has Chinese characters, else "en"
    title: str | None = None
    source: str | None = None
    x_title: str | None = None
    y_title: str | None = None


@dataclass
class ChartTables:
    tables: list[ChartTable] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> files skipped for it


class Unusable(Exception):
    """A file that cannot be a chart; `args[0]` is the counted reason."""


def load_chart_tables(source: str) -> ChartTables:
    """Read every .csv/.tsv under `source` (or the one file it names), in sorted order.

    Raises:
        ValueError: `source` does not exist, or holds no usable table; the message says why.
    """
    root = Path(source)
    if not root.exists():
        raise ValueError(f"--source {source}: no such file or folder; give a CSV/TSV file or a folder of them")
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix.lower() in (".csv", ".tsv"))
    found = ChartTables()
    for path in files:
        try:
            found.tables.append(read_table(path, path.name if root.is_file() else str(path.relative_to(root))))
        except Unusable as exc:
            found.skipped[exc.args[0]] += 1
    if not found.tables:
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(found.skipped.items())) or "no .csv or .tsv files"
        raise ValueError(f"--source {source}: no usable chart table ({reasons}); each file needs a header row of "
                         f"series names, then rows of a category label and one number per series")
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise Unusable("unreadable_encoding") from None
    if any(ord(ch) > 127 and not CJK.match(ch) and not "\u3000" <= ch <= "\u303f" and not "\uff00" <= ch <= "\uffef"
           for ch in text):
        raise Unusable("unreadable_encoding")  # bytes that are neither UTF-8 nor Chinese text
    return text


def _number(cell: str) -> tuple[float, int, str, str]:
    """(value, decimals, prefix, suffix) of a cell such as "1,250", "-3.5", "$12", "12.5%"."""
    match = NUMBER.match(cell.replace("\u2212", "-").replace(" ", ""))
    if not match or (match.group(1) and match.group(3)):
        raise Unusable("missing_values" if not cell else "non_numeric")
    sign, prefix, sign2, whole, frac, suffix = match.groups()
    value = float(f"{sign or sign2}{whole.replace(',', '')}.{frac or '0'}")
    return value + 0.0, len(frac or ""), prefix, suffix


def read_table(path: Path, name: str) -> ChartTable:
    """One file as a chart table.

    Raises:
        Unusable: with the reason it cannot be charted.
    """
    text = _decode(path.read_bytes())
    texts, lines = {}, []
    for line in text.splitlines():
        match = COMMENT.match(line.strip())
        if match:
            texts[match.group(1).lower()] = match.group(2)
        elif line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    if not lines:
        raise Unusable("empty")
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in lines[0] and "," not in lines[0]) else ","
    # A quoted cell may hold line breaks and runs of spaces; a chart label is one line, so they collapse.
    rows = [[" ".join(cell.split()) for cell in row]
            for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
    header, body = rows[0], rows[1:]
    if len(header) < 2 or len(body) < 2:
        raise Unusable("too_small")
    if any(len(row) != len(header) for row in body):
        raise Unusable("ragged_rows")
    if len(body) > MAX_CATEGORIES:
        raise Unusable("too_many_categories")
    if len(header) - 1 > MAX_SERIES:
        raise Unusable("too_many_series")
    labels = [row[0] for row in body] + header[1:]
    if any(not label for label in labels):
        raise Unusable("empty_label")
    if any(len(label) > MAX_LABEL for label in labels):
        raise Unusable("label_too_long")
    if len(set(labels)) != len(labels):
        raise Unusable("duplicate_labels")
    if any(len(t) > MAX_TEXT for t in [header[0], *texts.values()]):
        raise Unusable("text_too_long")
    cells = [[_number(cell) for cell in row[1:]] for row in body]
    units = {(prefix, suffix) for row in cells for _, _, prefix, suffix in row}
    if len(units) > 1:
        raise Unusable("mixed_units")
    (prefix, suffix), = units
    decimals = min(4, max(d for row in cells for _, d, _, _ in row))
    series = [Series(header[j + 1], [round(row[j][0], decimals) for row in cells]) for j in range(len(header) - 1)]
    lang = "zh" if CJK.search(" ".join(labels + list(texts.values()))) else "en"
    source = texts.get("source")
    if source and not re.match(r"^(source|data|数据来源|来源|资料来源)", source, re.IGNORECASE):
        source = f"数据来源：{source}" if lang == "zh" else f"Source: {source}"
    return ChartTable(name, [row[0] for row in body], series, NumberFormat(decimals, prefix, suffix), lang,
                      texts.get("title"), source, texts.get("x_title") or header[0] or None, texts.get("y_title"))
