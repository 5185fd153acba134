"""Chart tables a user brings: a CSV/TSV file, or a folder of them, one table per file.

Layout: a header row (first cell: what the categories are, e.g. "Year"; then one name per series),
then one row per category (its label, then one number per series). Optional comment lines before
the table set the chart's texts: `# title: ...`, `# source: ...`, `# x_title: ...`, `# y_title: ...`.
Cells may carry thousands separators, a currency prefix ($ ¥ € £) or a "%" suffix; a table's
values are shown with the most decimals any of its cells has. Files in UTF-8 (with or without a
BOM) or GB18030 are read; anything unusable is skipped and counted by reason in `skipped`.

Tables as statistics portals publish them are taken as they come: long titles and labels (the
chart wraps them), many rows (the chart shows a window of them, `fit`), many series (a chart
keeps what its kind can show), the newest period first (rows are put in chronological order),
the unit in the column headers ("Exports (US$ bn)": the unit becomes the value axis title),
empty or ".." cells (a series mostly empty is dropped, then rows with a gap), and columns in
another unit than the first (dropped). What was dropped is kept in `notes` for the sample's meta.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engines.charts.source.cells import Unusable, number, read_rows
from engines.charts.source.timekeys import chronology
from engines.charts.spec import NumberFormat, Series
from engines.source import Found
from renderers.scripts import HAN

MAX_LABEL = 80  # longer row labels or series names are prose, not chart labels
MAX_TEXT = 160  # titles and notes
UNIT = re.compile(r"^(.*?)\s*[(（\[]([^()（）\[\]]+)[)）\]]\s*$")


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
    time: bool = False  # rows are periods, in chronological order
    notes: dict[str, Any] = field(default_factory=dict)  # what reading changed: reversed, dropped series or rows


def load_chart_tables(source: str) -> Found[ChartTable]:
    """Every usable table of the .csv/.tsv files under `source` (or of the one file it names), in sorted order."""
    root = Path(source)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix.lower() in (".csv", ".tsv"))
    found: Found[ChartTable] = Found()
    for path in files:
        name = path.name if root.is_file() else str(path.relative_to(root))
        try:
            found.items.append(read_table(path, name))
        except Unusable as exc:
            found.skip(exc.args[0], name)
    return found


def _columns(header: list[str], cells: list[list[tuple | None]], notes: dict) -> list[int]:
    """The series columns kept: mostly filled, in the first column's unit; the others noted as dropped.

    Raises:
        Unusable: "mixed_units" or "missing_values" when no column can be kept.
    """
    keep, dropped, mixed = [], [], False
    unit = None
    for j in range(len(header) - 1):
        column = [row[j] for row in cells]
        filled = [c for c in column if c is not None]
        units = {(c[2], c[3]) for c in filled}
        mixed = mixed or len(units) > 1
        if len(filled) < max(2, 0.7 * len(column)) or len(units) > 1 or (unit is not None and units != {unit}):
            dropped.append(header[j + 1])
            continue
        unit = unit or next(iter(units))
        keep.append(j)
    if not keep:
        raise Unusable("mixed_units" if mixed else "missing_values")
    if dropped:
        notes["dropped_series"] = dropped
    return keep


def read_table(path: Path, name: str) -> ChartTable:
    """One file as a chart table.

    Raises:
        Unusable: with the reason it cannot be charted.
    """
    texts, rows = read_rows(path)
    header, body = rows[0], rows[1:]
    if len(header) < 2 or len(body) < 2:
        raise Unusable("too_small")
    if any(len(row) != len(header) for row in body):
        raise Unusable("ragged_rows")
    if any(not cell for cell in [row[0] for row in body] + header[1:]):
        raise Unusable("empty_label")
    if any(len(t) > MAX_TEXT for t in [header[0], *texts.values()]):
        raise Unusable("text_too_long")
    notes: dict[str, Any] = {}
    cells = [[number(cell) for cell in row[1:]] for row in body]
    keep = _columns(header, cells, notes)
    complete = [i for i, row in enumerate(cells) if all(row[j] is not None for j in keep)]
    if len(complete) < len(body):
        notes["dropped_rows"] = [body[i][0] for i in range(len(body)) if i not in complete]
    if len(complete) < 2:
        raise Unusable("missing_values")
    labels = [body[i][0] for i in complete]
    names = [header[j + 1] for j in keep]
    if any(len(label) > MAX_LABEL for label in labels + names):
        raise Unusable("label_too_long")
    if len(set(labels)) != len(labels) or len(set(names)) != len(names):
        raise Unusable("duplicate_labels")
    order = chronology(labels)
    if order == "backward":
        complete.reverse()
        labels.reverse()
        notes["reversed"] = True
    decimals = min(4, max(cells[i][j][1] for i in complete for j in keep))
    prefix, suffix = cells[complete[0]][keep[0]][2:]
    y_title, names = _unit_title(names, texts.get("y_title"))
    series = [Series(names[k], [round(cells[i][j][0], decimals) for i in complete]) for k, j in enumerate(keep)]
    lang = "zh" if HAN.search(" ".join(labels + names + list(texts.values()))) else "en"
    source = texts.get("source")
    if source and not re.match(r"^(source|data|数据来源|来源|资料来源)", source, re.IGNORECASE):
        source = f"数据来源：{source}" if lang == "zh" else f"Source: {source}"
    return ChartTable(name, labels, series, NumberFormat(decimals, prefix, suffix), lang, texts.get("title"),
                      source, texts.get("x_title") or header[0] or None, y_title, order is not None, notes)


def _unit_title(names: list[str], given: str | None) -> tuple[str | None, list[str]]:
    """The value axis title and the series names: a unit every header states moves to the axis title.

    One series keeps its whole header as the axis title ("GDP (US$ billion)"); several series sharing
    a unit ("Exports (US$ bn)", "Imports (US$ bn)") are named without it, and the unit titles the axis.
    """
    parts = [UNIT.match(n) for n in names]
    units = {m.group(2).strip() for m in parts if m}
    if given or not all(parts) or len(units) != 1:
        return given, names
    if len(names) == 1:
        return names[0], names
    stripped = [m.group(1).strip() for m in parts]
    return (units.pop(), stripped) if len(set(stripped)) == len(stripped) and all(stripped) else (None, names)
