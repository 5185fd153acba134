"""A generated page's target typeset again, alone, in the page's recorded style: the image the target says.

The trade-off: PP-OCR reads a page in its own order, drops lines and cannot tell a changed digit in a
formula, so a reading of the image cannot prove a target right to the character. A page the `pages` engine
generated is LaTeX in a recorded style (`meta["style"]`, an `engines.pages.layout.PageStyle`), and its
target is Mathpix markdown written from the very blocks that LaTeX drew (`engines.pages.blocks`). So the
target is read back into blocks (`blocks_of`: headings, paragraphs with inline formulas and footnote marks,
list items, displayed formulas with their tags, tabulars with their captions, figure captions with the drawing
`meta["pictures"]` records) and typeset by the engine's own code (`document_latex`, `batch_latex`) in that style. A right
target gives the page again, pixel for pixel (`pipelines.readers.ink.captured_agreement`, the capture
replayed); a changed digit or letter, two lines swapped, a line dropped or split into words changes
hundreds of pixels. A target that is not markdown the engine could have written (a paragraph broken over
lines, an item without its label) reads as no page at all and scores 0.

What a page alone cannot say is how its document goes on after it: where TeX's page builder broke the page
(and so how the glue above the break was set, how far the footnotes sit under the text), and, when the page
cuts a paragraph, that its last line is justified to the full width. A page whose document goes on is therefore
typeset with each of the endings `NEXT` and `_cut` give, in one LaTeX run, and the best-agreeing one scores; a
page that is its document's last (`meta["page_index"]`, 0 when absent, of `meta["pages_in_document"]`) is
typeset as it stands. A page that opens inside a paragraph begun on the page before (`meta["continued"]`) opens
with that paragraph's rest, unindented, as the page prints it; one that opens inside a list item
(`meta["opens_in"]` "item") with the item's rest at the list's margin, its label left on the page before.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PIL import Image

from engines.pages.blocks import Block, Segment, escaped
from engines.pages.content import CAPTION
from engines.pages.layout import ENGINE, PageStyle, batch_latex, document_latex
from engines.photos import compile_with_photos
from renderers.errors import RenderError
from renderers.latex import LatexConfig
from renderers.pymupdf import PdfDocument

INLINE = re.compile(r"\\\((.*?)\\\)", re.S)
# A page's math (inline, display, math environments) and tabulars as its markdown writes them: what the readers
# compare loosely, since the page prints them as symbols and a grid (`pages.printed_text`, `paper_pages.reading`)
MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]|\\begin\{((?:align|gather|multline|equation)\*?)\}(.*?)\\end\{\3\}", re.S)
TABULAR = re.compile(r"\\begin\{tabular\}(\{[^\n]*?\})?(.*?)\\end\{tabular\}", re.S)
NOTE = re.compile(r"\{ \}\^\{(\d+)\}")
FOOTNOTE = re.compile(r"\\\(\{ \}\^\{(\d+)\}\\\)(.*)", re.S)
TAG = re.compile(r" \\tag\{([^{}]*)\}$")
ITEM = re.compile(r"(-|\d+\.) (.*)", re.S)
# A caption as the engine numbers it, per block kind ("figure", "table") and language: "Table 3: ", "图 2 "
CAPTIONS = {kind: {lang: re.compile("^" + re.escape(caption).replace(r"\{\}", r"\d+")) for lang, caption in by.items()}
            for kind, by in CAPTION.items()}
# A tabular's lines as the table engine writes them: one row each (ending in \\\\), or its rules.
TABLE_LINE = re.compile(r".*\\\\|(?:\\(?:hline|toprule|midrule|bottomrule|cline\{[^{}]*\}|cmidrule(?:\([a-z]*\))?"
                        r"\{[^{}]*\}) ?)+")
FIRST_MARK = re.compile(r"GOTM(\d+)x0x")
# What follows a page's last block when its document goes on: TeX's page builder broke the page before it, and
# where it broke (before or after the space a list or a formula leaves, which a following heading, list, formula
# or table merges with its own, stretched or shrunk with the page's other glue) depends on what came next. So the
# page is typeset with a paragraph after it and with a heading after it, each as tall as two pages (no page holds
# it, so the break falls before it); and once with its last paragraph cut, its last line full width and the page
# broken under it. Measured on 24 right pages: each of the three endings is the one that matches on some.
_TALL = "\\rule{0pt}{2\\textheight}"
NEXT = (Block("paragraph", (Segment(_TALL),)), Block("heading", (Segment(_TALL),)))
CUT = "\\par\\penalty-10000"


class NotPageMarkdown(ValueError):
    """The target is not markdown the pages engine writes (so no page can be typeset from it)."""


def _chunks(target: str) -> list[str]:
    """The target's blocks: runs of lines between blank lines (a tabular's rows stay together)."""
    return [c for c in re.split(r"\n\n", target) if c.strip()]


def _prose(text: str, notes: dict[int, str]) -> tuple[Segment, ...]:
    """Prose with inline formulas as segments; `\\({ }^{n}\\)` is footnote n's mark when the page holds note n."""
    segments, start = [], 0
    for m in INLINE.finditer(text):
        if m.start() > start:
            segments.append(Segment(text[start:m.start()]))
        mark = NOTE.fullmatch(m[1])
        note = int(mark[1]) if mark and int(mark[1]) in notes else 0
        segments.append(Segment(m[1], math=True, note=note))
        start = m.end()
    if start < len(text):
        segments.append(Segment(text[start:]))
    return tuple(segments)


def blocks_of(target: str, lang: str, continued: bool, pictures: list[str], in_item: bool = False) -> list[Block]:
    """The blocks a page's markdown was written from, in the order LaTeX typesets them.

    Footnotes, which the target writes after the page's body, go back behind the paragraph whose mark they
    carry (where `document_latex` typesets them); a caption "Figure n: ..." ("图 n ...") gets the next of the
    document's `pictures`, and a caption "Table n: ..." ("表 n ...") goes with the tabular under it. With `in_item`,
    the page opens inside a list item begun on the page before: its first line is the rest of that item (no label),
    the lines after it the list's next items.

    Raises:
        NotPageMarkdown: a block no generated page holds (a paragraph over several lines, an item with no label,
            a footnote whose mark is not on the page).
    """
    chunks = _chunks(target)
    notes: dict[int, str] = {}
    while chunks and FOOTNOTE.fullmatch(chunks[-1]):
        m = FOOTNOTE.fullmatch(chunks.pop())
        notes[int(m[1])] = m[2]
    figures = iter(pictures)
    blocks: list[Block] = []
    caption: tuple[Segment, ...] = ()  # a table's caption, which its tabular follows
    for k, chunk in enumerate(chunks):
        if k == 0 and in_item:  # the rest of an item, then the list's next items (same list)
            rest, *lines = chunk.split("\n")
            items = [ITEM.fullmatch(line) for line in lines]
            if not all(items):
                raise NotPageMarkdown(f"the item the page opens inside runs on into no list: {chunk[:60]!r}")
            blocks.append(Block("item", _prose(rest, notes), continued=True, opens=True))
            blocks += [Block("item", _prose(m[2], notes), label="" if m[1] == "-" else m[1]) for m in items]
            continue
        if chunk.startswith("\\begin{tabular}") and chunk.endswith("\\end{tabular}"):
            rows = chunk.split("\n")[1:-1]
            if not all(TABLE_LINE.fullmatch(row.strip()) for row in rows):
                raise NotPageMarkdown(f"block {k} is a tabular whose rows are not one a line: {chunk[:60]!r}")
            blocks.append(Block("table", (*caption, Segment(chunk))))
            caption = ()
            continue
        if caption:
            raise NotPageMarkdown(f"block {k - 1} is a table's caption with no tabular under it")
        if CAPTIONS["table"][lang].match(chunk) and "\n" not in chunk:
            caption = (Segment(chunk),)
            continue
        if chunk.startswith("\\[") and chunk.endswith("\\]") and "\n" not in chunk:
            body = chunk[2:-2]
            tag = TAG.search(body)
            blocks.append(Block("display", (Segment(body[:tag.start()] if tag else body, math=True),),
                                tag=tag[1] if tag else ""))
            continue
        if "\n" in chunk and not all(ITEM.fullmatch(line) for line in chunk.split("\n")):
            raise NotPageMarkdown(f"block {k} runs over lines but is no list: {chunk[:60]!r}")
        if chunk.startswith("#"):
            level = len(chunk) - len(chunk.lstrip("#"))
            if not chunk[level:].startswith(" ") or level > 2:
                raise NotPageMarkdown(f"block {k} is no heading a page holds: {chunk[:60]!r}")
            blocks.append(Block("heading", (Segment(chunk[level + 1:]),), level=level))
            continue
        items = [ITEM.fullmatch(line) for line in chunk.split("\n")]
        if all(items):
            blocks += [Block("item", _prose(m[2], notes), label="" if m[1] == "-" else m[1], opens=i == 0)
                       for i, m in enumerate(items)]
            continue
        if CAPTIONS["figure"][lang].match(chunk):
            picture = next(figures, None)
            if picture is None:
                raise NotPageMarkdown(f"block {k} is a caption, but the page records no drawing left for it")
            blocks.append(Block("figure", (Segment(chunk),), picture=picture))
            continue
        blocks.append(Block("paragraph", _prose(chunk, notes), continued=continued and k == 0))
    if caption:
        raise NotPageMarkdown("the page ends in a table's caption with no tabular under it")
    for note, text in notes.items():
        at = next((b for b, block in enumerate(blocks) if any(s.note == note for s in block.segments)), None)
        if at is None:
            raise NotPageMarkdown(f"footnote {note} has no mark on the page")
        glue = text[:len(text) - len(text.lstrip(" "))]
        blocks.insert(at + 1, Block("footnote", (Segment(f"{{ }}^{{{note}}}", math=True,
                                                         tex=f"\\textsuperscript{{{note}}}"),
                                                 Segment(glue + text.lstrip(" ")))))
    return blocks


def _cut(blocks: list[Block]) -> list[Block] | None:
    """The blocks with the last paragraph (or item) cut by the page: its last line full width, the page broken
    under it; None when the page does not end in a paragraph or item. One that ends in an inline formula or a
    footnote mark is cut after it ("... a new foreign language.¹" cut by the page, its last line justified: a
    reused page redrawn 2,175 px off in two multicrop samples of the 200-sample build had no cut ending)."""
    body = [b for b, block in enumerate(blocks) if block.kind != "footnote"]
    if not body or blocks[body[-1]].kind not in ("paragraph", "item"):
        return None
    last = blocks[body[-1]]
    cut = "\\parfillskip=0pt" + CUT
    ending = ((*last.segments, Segment("", tex=cut)) if last.segments[-1].math
              else (*last.segments[:-1], dataclasses.replace(last.segments[-1], tex=escaped(last.segments[-1].text) + cut)))
    return [*blocks[:body[-1]], dataclasses.replace(last, segments=ending), *blocks[body[-1] + 1:]]


def redraw(target: str, meta: dict[str, Any], timeout_s: float = 120.0) -> list[Image.Image | RenderError]:
    """The target typeset in the page's recorded style at the page's resolution: the first page of each ending
    (see the module docstring), or why an ending typeset none. `batch_latex` ships every face first as the
    engine's run did, so the page comes out as in its batch.

    Raises:
        NotPageMarkdown: the target is no markdown a generated page has.
        RenderError: LaTeX refused it (an error in a formula or tabular, a timeout).
    """
    lang, style = meta["lang"], PageStyle(**{**meta["style"], "margins": tuple(meta["style"]["margins"])})
    try:  # the running head and page number typeset as the target says them
        style, target = style.unframed(target)
    except ValueError as exc:
        raise NotPageMarkdown(str(exc)) from None
    blocks = blocks_of(target, lang, bool(meta.get("continued")), list(meta.get("pictures") or []),
                       meta.get("opens_in") == "item")
    if int(meta.get("page_index") or 0) + 1 < int(meta.get("pages_in_document") or 1):  # the document goes on
        endings = [[*blocks, block] for block in NEXT] + [cut for cut in [_cut(blocks)] if cut]
    else:
        endings = [blocks]
    # \\parfillskip is set back after each ending (a cut one sets it to 0pt at the top level)
    documents = [document_latex(k, style.setup(), ending) + "\\par\\parfillskip=0pt plus 1fil\n"
                 for k, ending in enumerate(endings)]
    config = LatexConfig(program=ENGINE[lang], timeout_s=timeout_s, memory_mb=2048)
    pdf = compile_with_photos(batch_latex(lang, documents), config)
    first: dict[int, int] = {}
    with PdfDocument(pdf) as doc:
        for p in range(len(doc)):
            m = FIRST_MARK.search("".join(t.text for t in doc.texts(p, dpi=72)))
            if m and int(m[1]) not in first:
                first[int(m[1])] = p
        return [doc.render(first[k], meta["dpi"]) if k in first else RenderError("page_empty", f"ending {k} typeset no page")
                for k in range(len(endings))]
