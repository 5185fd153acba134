"""Each page's target from a compiled batch: which segments its markers show, prose cut where the page cuts it.

The trade-off: LaTeX alone knows where its page breaks fall, and asking it (with `\\pdfsavepos` and a
file per run) would tie this module to one engine's internals; the PDF's text layer says it for pdflatex
and xelatex alike. Every segment carries an invisible marker (`engines.pages.blocks`), so a page's text
layer, read in content order, is a sequence of markers each followed by its segment's text. A prose run
a page break cuts continues, without a marker, at the top of the next page: its words before the page's
first marker. The cut is counted in units (non-space characters) and the units the page shows
are compared with the source's, so a target that would not match the page fails the sample instead.

Layouts: two columns come out of the text layer left column first, which is the reading order. A
hyphen TeX adds at a line's end is not the source's (the target keeps the word whole), except at the
page's very end, where the target is cut as the page cuts it ("exam-"; the next page opens with "ple").
Footnotes print at the foot of the page or column, in the text layer after the text above them,
which may go on after them (in the next column or on the next page): the target writes a page's
footnotes after its body, in the order printed. Running heads and page numbers (between `\\gotx{A}`
and `\\gotx{Z}`) are left out of the target, as Nougat and Mathpix leave them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from engines.pages.blocks import Block, Document
from renderers.pymupdf import PdfDocument

MARK = re.compile(r"GOTM(\d+)x(\d+)x(\d+|L)\.")
FURNITURE = re.compile(r"GOTXA\..*?GOTXZ\.", re.S)
UNIT = re.compile(r"\S")
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


class SplitError(Exception):
    """The text layer does not show what the source says (a unit mismatch, a marker lost)."""


@dataclass(frozen=True)
class PageText:
    """One page of a document as the split reads it.

    Attributes:
        page: the page's index in the compiled PDF.
        markdown: its target (without running head and page number).
        blocks: the document's blocks the page shows, whole or in part, in order.
        opens_in: the kind of the block whose text the page opens inside, begun on the page before ("paragraph",
            "item"), or "" when the page opens with a block of its own.
    """

    page: int
    markdown: str
    blocks: tuple[int, ...]
    opens_in: str = ""


def units(text: str) -> list[tuple[int, int]]:
    """Spans of the units of `text`: its non-space characters (spaces the text layer may add or drop)."""
    return [m.span() for m in UNIT.finditer(text)]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(QUOTES)


@dataclass
class _Shown:
    """What a page shows of one segment: units [start, stop) of its prose (the whole of a formula or table)."""

    block: int
    segment: int
    start: int = 0
    stop: int = 0
    hyphen: bool = False  # the page ends inside the segment's word at a hyphen TeX added


def _page_runs(doc: PdfDocument, page: int) -> tuple[str, list[tuple[tuple[int, int, str], str]]]:
    """The page's text before its first marker, and each marker (doc, block, segment) with the text after it."""
    text = FURNITURE.sub("", _norm("\n".join(t.text for t in doc.texts(page, dpi=72))))
    found = list(MARK.finditer(text))
    lead = text[:found[0].start()] if found else text
    runs = [((int(m[1]), int(m[2]), m[3]), text[m.end():found[i + 1].start() if i + 1 < len(found) else len(text)])
            for i, m in enumerate(found)]
    return lead, runs


def _take(block: Block, seg: int, start: int, shown: str, where: str, partial: bool = False) -> tuple[int, bool, str]:
    """Check that the units `shown` are the next ones of prose segment `seg` from `start`.

    A hyphen at a line's end where the source has none is TeX's, and skipped. With `partial`, units
    beyond the segment's end are handed back (the text after a footnote that goes on with the text the
    footnote interrupted); otherwise they are a mismatch.

    Returns:
        The stop unit, whether the shown text ends in a hyphen TeX added (the page cuts a word), and
        the text beyond the segment ("" unless `partial`).
    """
    want = [_norm(block.segments[seg].text[a:b]) for a, b in units(block.segments[seg].text)[start:]]
    got = [(m.group(), m.end()) for m in UNIT.finditer(shown)]
    j, hyphen = 0, False
    for i, (unit, end) in enumerate(got):
        if j < len(want) and unit == want[j]:
            j, hyphen = j + 1, False
            continue
        line_end = not shown[end:].strip(" ") or shown[end:].lstrip(" ").startswith("\n")
        if unit == "-" and line_end and i and got[i - 1][0].isalpha():
            hyphen = True
            continue
        if j == len(want) and partial:
            return start + j, False, shown[got[i - 1][1] if i else 0:]
        have = "".join(u for u, _ in got[i:i + 12])
        raise SplitError(f"{where}: page shows {have!r} where the source has {''.join(want[j:j + 12]) or '<end>'!r}")
    return start + j, hyphen, ""


def split_pages(pdf: PdfDocument, documents: list[Document]) -> dict[int, list[PageText] | SplitError]:
    """Every page of every document in a compiled batch, with its Mathpix markdown.

    Args:
        pdf: the batch's compiled PDF; document k's markers carry k, and each document starts a new page.
        documents: the batch's documents, in order.

    Returns:
        document index -> its pages (`PageText`: PDF page index, markdown, ...) in order; or the `SplitError`
        saying why that document's pages cannot be trusted (a page's text differs from the source, or a
        block's marker is on no page).
    """
    by_doc: dict[int, list[tuple[int, str, list]]] = {}
    owner = None
    for p in range(len(pdf)):
        lead, runs = _page_runs(pdf, p)
        owner = runs[0][0][0] if runs else owner
        if owner is None:
            continue
        by_doc.setdefault(owner, []).append((p, lead, runs))
    out: dict[int, list[PageText] | SplitError] = {}
    for d, document in enumerate(documents):
        try:
            out[d] = _document_pages(document, by_doc.get(d, []))
        except SplitError as exc:
            out[d] = exc
    return out


def _document_pages(document: Document, pages: list[tuple[int, str, list]]) -> list[PageText]:
    """One document's pages (number, text before the first marker, markers with their text) as markdown."""
    result, seen = [], set()
    open_seg: _Shown | None = None  # the prose segment a page break may continue
    resume: _Shown | None = None  # the prose segment a footnote interrupted, which may go on after it

    def unfinished(x: _Shown | None) -> bool:
        return x is not None and x.stop < len(units(document.blocks[x.block].segments[x.segment].text))

    for p, lead, runs in pages:
        shown: list[_Shown] = []
        opens_in = ""
        if UNIT.search(lead):
            if open_seg is None:
                raise SplitError(f"page {p} opens with text no marker accounts for: {lead[:60]!r}")
            block = document.blocks[open_seg.block]
            opens_in = block.kind
            stop, hyphen, _ = _take(block, open_seg.segment, open_seg.stop, lead, f"page {p} top")
            open_seg = _Shown(open_seg.block, open_seg.segment, open_seg.stop, stop, hyphen)
            shown.append(open_seg)
        elif runs and runs[0][0][2] not in ("0", "L"):  # the break fell between two runs of one block
            opens_in = document.blocks[runs[0][0][1]].kind
        for (_, b, s), after in runs:
            block = document.blocks[b]
            if block.kind == "footnote" and unfinished(open_seg) and document.blocks[open_seg.block].kind != "footnote":
                resume = open_seg
            elif unfinished(open_seg):
                raise SplitError(f"page {p}: block {open_seg.block} stops before its text ends")
            open_seg = None
            seen.add((b, s))
            if s == "L":
                continue
            seg = int(s)
            if block.whole(seg):
                shown.append(_Shown(b, seg))
                continue
            last = block.kind == "footnote" and seg == len(block.segments) - 1 and resume is not None
            stop, hyphen, rest = _take(block, seg, 0, after, f"page {p} block {b}", partial=last)
            open_seg = _Shown(b, seg, 0, stop, hyphen)
            shown.append(open_seg)
            if last:  # the footnote is over: the text it interrupted may go on (on this page or the next)
                open_seg, resume = resume, None
                if UNIT.search(rest):
                    if all(x is not open_seg for x in shown):
                        open_seg = _Shown(open_seg.block, open_seg.segment, open_seg.stop, open_seg.stop)
                        shown.append(open_seg)
                    stop, hyphen, _ = _take(document.blocks[open_seg.block], open_seg.segment, open_seg.stop,
                                            rest, f"page {p} after a footnote")
                    open_seg.stop, open_seg.hyphen = stop, hyphen
        result.append(PageText(p, _markdown(document, shown), tuple(dict.fromkeys(x.block for x in shown)), opens_in))
    missing = [b for b, block in enumerate(document.blocks)
               if any((b, str(k)) not in seen for k in range(len(block.segments)))]
    if missing:
        raise SplitError(f"block {missing[0]}: a marker is on no page")
    return result


def _markdown(document: Document, shown: list[_Shown]) -> str:
    """A page's markdown from the segments (and parts of prose segments) it shows."""
    out: list[str] = []
    order = list(dict.fromkeys(x.block for x in shown))
    for b in [b for b in order if document.blocks[b].kind != "footnote"] + [
            b for b in order if document.blocks[b].kind == "footnote"]:
        parts = [x for x in shown if x.block == b]
        block, cut = document.blocks[b], {}
        for x in parts:
            seg = block.segments[x.segment]
            spans = units(seg.text)
            if block.whole(x.segment) or (x.start, x.stop) == (0, len(spans)):
                continue
            begin = spans[x.start][0] if x.start else 0
            if x.stop < len(spans):  # the page ends inside the run: its text up to the cut
                cut[x.segment] = seg.text[begin:spans[x.stop][0]].rstrip() + ("-" if x.hyphen else "")
            else:  # the rest of a run begun on the page before, to its end (its space before a formula kept)
                cut[x.segment] = seg.text[begin:]
        starts = parts[0].segment == 0 and parts[0].start == 0
        text = block.markdown(parts[0].segment, parts[-1].segment, cut, starts)
        if text.strip():
            joined = block.kind == "item" and not (block.opens and starts) and bool(out)
            out.append(("\n" if joined else "\n\n") + text.strip())
    return "".join(out).lstrip("\n")
