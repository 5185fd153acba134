"""The tables the manuals of `engines.prose` print, with the caption and the place the manual gives each.

Why these: a table on a generated page should hold what the text around it speaks of, with real values, under a
caption that names what it holds. The manuals the prose comes from print their own tables, in both languages: the
Debian Reference about 170 (packages with their popularity, size and description; commands, files, options, each
under a caption such as "List of interesting text-mode program packages"), the KiCad manuals about 90 (actions
with their default hotkeys, properties with their types, modifier keys), which carry no caption of their own and
are named by the heading of the section they stand in, as the manual's text names them. Each table keeps where it
stands in the text (`after`: the last prose paragraph before it, an index into `engines.prose.paragraphs`), so a
page that reads the manual from some paragraph on can draw the table the manual prints there.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from engines import prose

# DocBook (the Debian Reference): <div class="table"> holding <p class="title"><strong>Table 1.1. ...</strong></p>
# and <table class="table">; AsciiDoc (KiCad): <table class="tableblock ..."> under the section's heading. Notes
# and icons are laid out with other tables, which are no tables of the text.
TABLE = re.compile(r'<table class="(?:table|tableblock)[^"]*"[^>]*>(.*?)</table>', re.S)
TITLE = re.compile(r'<p class="title">\s*<strong>(.*?)</strong>\s*</p>\s*<div class="table-contents">\s*$', re.S)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t[hd]>", re.S)
HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
# a caption's or heading's own numbering: "Table 1.1. ", "表 9.1. ", "5.4.3. "
NUMBER = re.compile(r"^(?:Table |表 ?)?(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+")


@dataclass(frozen=True)
class ManualTable:
    """A table as the manual prints it.

    Attributes:
        caption: what it holds, without the manual's numbering ("List of interesting text-mode program packages";
            for a table the manual prints without a caption, the title of the section it stands in).
        header: the column heads ("package", "popcon", "size", "description"); empty where the table has none.
        rows: the body's cells, row by row, as text (whitespace collapsed).
        chapter: the outermost heading over it (as `engines.prose.Place.chapter`), "" for none.
        after: the index in `engines.prose.paragraphs` of the last prose paragraph before it (-1: none).
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chapter: str
    after: int


def _text(markup: str) -> str:
    return " ".join(html.unescape(prose.TAG.sub("", markup)).split())


def _file_tables(markup: str, index: dict[str, int], titles: frozenset[str], after: int) -> list[ManualTable]:
    """The tables of one file, with where each stands (`index`: a prose paragraph's text -> its index; `titles`:
    the headings that can title a page; `after`: the last paragraph before the file)."""
    out, at = [], 0
    trail: dict[int, str] = {}
    marks = sorted([(m.start(), "h", m) for m in HEADING.finditer(markup)]
                   + [(m.start(), "p", m) for m in PARAGRAPH.finditer(markup)]
                   + [(m.start(), "t", m) for m in TABLE.finditer(markup)], key=lambda x: x[0])
    for start, kind, m in marks:
        if start < at:  # a paragraph inside a table's cell
            continue
        if kind == "h":
            level = int(m[1])
            trail = {n: v for n, v in trail.items() if n < level} | {level: _text(m[2])}
        elif kind == "p":
            after = max(after, index.get(_text(m[1]), after))  # a repeated paragraph is indexed where it first stands
        else:
            at = m.end()
            rows = [[(tag, _text(cell)) for tag, cell in CELL.findall(row)] for row in ROW.findall(m[1])]
            rows = [row for row in rows if row]
            header = tuple(text for _, text in rows[0]) if rows and all(t == "h" for t, _ in rows[0]) else ()
            body = tuple(tuple(text for _, text in row) for row in rows[1 if header else 0:])
            title = TITLE.search(markup[max(0, start - 600):start])
            titled = [trail[n] for n in sorted(trail) if trail[n] in titles]
            caption = _text(title[1]) if title else (titled[-1] if titled else "")
            caption = NUMBER.sub("", caption)
            width = {len(row) for row in body}
            drawn = all(any(cell for cell in column) for column in zip(*body))  # no column of icons alone
            if caption and body and len(width) == 1 and (not header or len(header) in width) and width != {1} and drawn:
                out.append(ManualTable(caption, header, body, titled[0] if titled else "", after))
    return out


@functools.cache
def tables(lang: str, source: str = prose.DEFAULT) -> tuple[ManualTable, ...]:
    """Every table the manual `source` prints in `lang` ("en" or "zh") with a caption or a section over it, in the
    manual's order (`prose.files`), rectangular (every row as many cells as the header), of two columns
    or more, none of them empty in every row (a column of icons).

    Raises:
        ValueError: unknown `lang` or `source`.
        FileNotFoundError: the Debian package holding the manual is not installed (the message names it).
    """
    index = {p: k for k, p in enumerate(prose.paragraphs(lang, source))}
    titles = frozenset(prose.headings(lang, source))
    out: list[ManualTable] = []
    for path in prose.files(lang, source):
        with open(path, encoding="utf-8") as f:
            out += _file_tables(f.read(), index, titles, out[-1].after if out else -1)
    return tuple(out)


def nearest(lang: str, source: str, paragraph: int, chapter: str) -> list[int]:
    """Indices into `tables(lang, source)`, the table nearest where a page reads first: those of `chapter` before
    the others, each group by how far from `paragraph` (an index into `engines.prose.paragraphs`) it stands."""
    found = tables(lang, source)
    return sorted(range(len(found)), key=lambda k: (found[k].chapter != chapter, abs(found[k].after - paragraph), k))


@functools.cache
def _paragraph_of(lang: str, source: str) -> tuple[int, ...]:
    """For each of `engines.prose.passages`, the index in `engines.prose.paragraphs` of the last prose paragraph at
    or before it (a list item is no paragraph there; -1 before the first)."""
    index = {p: k for k, p in enumerate(prose.paragraphs(lang, source))}
    out, last = [], -1
    for passage in prose.passages(lang, source):
        last = index.get(passage.text, last)
        out.append(last)
    return tuple(out)


def paragraph_at(lang: str, source: str, passage: int) -> int:
    """Where passage `passage` (an index into `engines.prose.passages`, taken round) stands, as an index into
    `engines.prose.paragraphs`: what `ManualTable.after` is measured in."""
    found = _paragraph_of(lang, source)
    return found[passage % len(found)]
