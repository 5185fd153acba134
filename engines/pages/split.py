"""Each page's target from a compiled batch: which segments its markers show, prose cut where the page cuts it.

The trade-off: LaTeX alone knows where its page breaks fall, and asking it (with `\\pdfsavepos` and a
file per run) would tie this module to one engine's internals; the PDF's text layer says it for pdflatex
and xelatex alike. Every segment carries an invisible marker (`engines.pages.blocks`), so a page's text
layer, read in content order, is a sequence of markers each followed by its segment's text. A prose run
a page break cuts continues, without a marker, at the top of the next page: its words before the page's
first marker. The cut is counted in units (non-space characters) and the units the page shows
are compared with the source's, so a target that would not match the page fails the sample instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from engines.pages.blocks import Block, Document
from renderers.pymupdf import PdfDocument

MARK = re.compile(r"GOTM(\d+)x(\d+)x(\d+|L)\.")
UNIT = re.compile(r"\S")
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


class SplitError(Exception):
    """The text layer does not show what the source says (a unit mismatch, a marker lost)."""


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


def _page_runs(doc: PdfDocument, page: int) -> tuple[str, list[tuple[tuple[int, int, str], str]]]:
    """The page's text before its first marker, and each marker (doc, block, segment) with the text after it."""
    text = _norm("\n".join(t.text for t in doc.texts(page, dpi=72)))
    found = list(MARK.finditer(text))
    lead = text[:found[0].start()] if found else text
    runs = [((int(m[1]), int(m[2]), m[3]), text[m.end():found[i + 1].start() if i + 1 < len(found) else len(text)])
            for i, m in enumerate(found)]
    return lead, runs


def _take(block: Block, seg: int, start: int, shown: str, where: str) -> int:
    """Check that the units `shown` are the next ones of prose segment `seg` from `start`; the stop unit."""
    source = block.segments[seg].text
    got = UNIT.findall(shown)
    spans = units(source)
    want = [_norm(source[a:b]) for a, b in spans[start:start + len(got)]]
    if got != want:
        first = next(i for i, (a, b) in enumerate(zip(got + ["<end>"], want + ["<end>"])) if a != b)
        raise SplitError(f"{where}: page shows {''.join(got[first:first + 12])!r} where the source has "
                         f"{''.join(want[first:first + 12])!r}")
    return start + len(got)


def split_pages(pdf: PdfDocument, documents: list[Document]) -> dict[int, list[tuple[int, str]] | SplitError]:
    """Every page of every document in a compiled batch, with its Mathpix markdown.

    Args:
        pdf: the batch's compiled PDF; document k's markers carry k, and each document starts a new page.
        documents: the batch's documents, in order.

    Returns:
        document index -> [(PDF page index, markdown of that page)], pages in order; or the `SplitError`
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
    out: dict[int, list[tuple[int, str]] | SplitError] = {}
    for d, document in enumerate(documents):
        try:
            out[d] = _document_pages(document, by_doc.get(d, []))
        except SplitError as exc:
            out[d] = exc
    return out


def _document_pages(document: Document, pages: list[tuple[int, str, list]]) -> list[tuple[int, str]]:
    """One document's pages (number, text before the first marker, markers with their text) as markdown."""
    result, seen = [], set()
    open_seg: _Shown | None = None  # the prose segment a page break may continue
    for p, lead, runs in pages:
        shown: list[_Shown] = []
        if UNIT.search(lead):
            if open_seg is None:
                raise SplitError(f"page {p} opens with text no marker accounts for: {lead[:60]!r}")
            block = document.blocks[open_seg.block]
            stop = _take(block, open_seg.segment, open_seg.stop, lead, f"page {p} top")
            open_seg = _Shown(open_seg.block, open_seg.segment, open_seg.stop, stop)
            shown.append(open_seg)
        for (_, b, s), after in runs:
            if open_seg is not None and open_seg.stop < len(units(
                    document.blocks[open_seg.block].segments[open_seg.segment].text)):
                raise SplitError(f"page {p}: block {open_seg.block} stops before its text ends")
            open_seg = None
            seen.add((b, s))
            if s == "L":
                continue
            seg, block = int(s), document.blocks[b]
            if block.segments[seg].math or block.kind in ("display", "table"):
                shown.append(_Shown(b, seg))
                continue
            open_seg = _Shown(b, seg, 0, _take(block, seg, 0, after, f"page {p} block {b}"))
            shown.append(open_seg)
        result.append((p, _markdown(document, shown)))
    missing = [b for b, block in enumerate(document.blocks)
               if any((b, str(k)) not in seen for k in range(len(block.segments)))]
    if missing:
        raise SplitError(f"block {missing[0]}: a marker is on no page")
    return result


def _markdown(document: Document, shown: list[_Shown]) -> str:
    """A page's markdown from the segments (and parts of prose segments) it shows."""
    out: list[str] = []
    for b in dict.fromkeys(x.block for x in shown):
        parts = [x for x in shown if x.block == b]
        block, cut = document.blocks[b], {}
        for x in parts:
            seg = block.segments[x.segment]
            spans = units(seg.text)
            if seg.math or block.kind in ("display", "table") or (x.start, x.stop) == (0, len(spans)):
                continue
            begin = spans[x.start][0] if x.start else 0
            end = spans[x.stop][0] if x.stop < len(spans) else len(seg.text)
            cut[x.segment] = seg.text[begin:end]
        starts = parts[0].segment == 0 and parts[0].start == 0
        text = block.markdown(parts[0].segment, parts[-1].segment, cut, starts)
        if text.strip():
            joined = block.kind == "item" and not (block.opens and starts) and bool(out)
            out.append(("\n" if joined else "\n\n") + text.strip())
    return "".join(out).lstrip("\n")
