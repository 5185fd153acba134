"""The cells of a user's table file: its encoding, its comment lines, its numbers and its gaps.

Tables come from spreadsheets and statistics portals: UTF-8 with or without a BOM, or GB18030;
numbers with thousands separators or no digit before the point (".01138", as R and Stata write), a currency
prefix ($ ¥ € £), a "%" suffix or a Unicode minus; gaps written "..", "-", "n/a" or left empty. Everything else in a value cell makes the file
unusable ("non_numeric"), counted by reason by the reader (`tables`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from renderers.scripts import HAN


class Unusable(Exception):
    """A file that cannot be a chart; `args[0]` is the counted reason."""


NUMBER = re.compile(r"^(-?)([$¥€£]?)(-?)(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(?:\.(\d+))?(%?)$")  # ".5": R, Stata
MISSING = {"", "..", "...", "-", "–", "—", "n/a", "na", "nan", "null", ":", "x", "*"}
COMMENT = re.compile(r"^#\s*(title|source|x_title|y_title)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise Unusable("unreadable_encoding") from None
    if any(ord(ch) > 127 and not HAN.match(ch) and not "\u3000" <= ch <= "\u303f" and not "\uff00" <= ch <= "\uffef"
           for ch in text):
        raise Unusable("unreadable_encoding")  # bytes that are neither UTF-8 nor Chinese text
    return text


def number(cell: str) -> tuple[float, int, str, str] | None:
    """(value, decimals, prefix, suffix) of a cell such as "1,250", "-3.5", "$12", "12.5%"; None if empty.

    Raises:
        Unusable: "non_numeric" for a cell that is neither a number nor a missing-value mark.
    """
    if cell.strip().lower() in MISSING:
        return None
    match = NUMBER.match(cell.replace("\u2212", "-").replace(" ", ""))
    if not match or (match.group(1) and match.group(3)):
        raise Unusable("non_numeric")
    sign, prefix, sign2, whole, frac, suffix = match.groups()
    value = float(f"{sign or sign2}{whole.replace(',', '')}.{frac or '0'}")
    return value + 0.0, len(frac or ""), prefix, suffix


def read_rows(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    """The comment texts and the cell rows of a file."""
    texts, lines = {}, []
    for line in decode(path.read_bytes()).splitlines():
        match = COMMENT.match(line.strip())
        if match:
            texts[match.group(1).lower()] = match.group(2)
        elif line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    if not lines:
        raise Unusable("empty")
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in lines[0] and "," not in lines[0]) else ","
    # A quoted cell may hold line breaks and runs of spaces; a chart label is one line, so they collapse.
    return texts, [[" ".join(cell.split()) for cell in row]
                   for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
