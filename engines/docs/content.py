"""The built-in source: one-page PDFs of real prose in the layouts real documents have, laid out by MuPDF's own HTML
engine (Story).

A page is drawn from (rng, lang): its kind (English: article, letter, form, receipt, slides; Chinese: article,
government notice 通知, financial report, paper, letter), page size, margins, 1-3 columns and their gutter, faces
(`engines.docs.faces`: a body family with its bold and italic, a heading family, a monospace face) and size,
line spacing, alignment; an optional title across the columns, running header and footer, section headings,
a footnote (marked ¹ after the first sentence and at the note), tables (ruled and unruled) and figures (a drawing
or a photograph) with captions, code blocks (`engines.docs.blocks`); the body is the real prose
(`engines.prose.passages`) as it runs from a random place, flowed column after column until the page is full (a
paragraph the page cuts stops where the page ends): its paragraphs, and its lists where the source has them, whole,
numbered and nested as the source has them. Columns end where a typesetter ends them (`_kept_together`): never
on a heading, never inside a short table or between a table or figure and its caption. A share of pages sets in
bold and italic what the writer stressed (the source's bold, italic and code runs, a list item's term).
What stands over the prose belongs to it (`prose.places`): the title and running head are its chapter's, a section
heading stands where its section starts, captions name the section they stand in, a paper's keywords are its
chapter's sections, a slide lists its sections, and tables are the manual's own, the one it prints nearest
(`engines.manual_tables`). Kinds whose text is not a manual's are made in their own words: a financial report's
body is each statement's figures said in words, as a report's discussion words them, above that statement's table; letters and
notices come from `engines.letters` (a meeting called, an order answered, 邀请函, 关于召开...的通知, 特此通知。) and
receipts from `engines.docs.receipt` (a shop's goods at its prices, sums that add up).
The PDF's bytes are then read by the same path as a user's PDFs (`engines.docs.page`), so the target comes from
the PDF's text layer, not from the HTML; where a table cell and a code block landed (the Story reports each
element's place by its id) tells the reader to read tables row by row and to keep code's indentation. Pages are
written uncompressed because deflating an embedded CJK face costs a second a page.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pymupdf

from engines import photos, prose
from engines.base import SampleError, pick
from engines.docs import blocks, faces
from engines.tables.content import Statement, company_bases
from engines.tables.content import statement as financial_statement

PAGE_SIZES = {"a4": (595, 842), "letter": (612, 792), "a5": (420, 595), "b5": (499, 709)}
SLIDE = (720, 405)  # 16:9 points
RECEIPT = (250, 600)  # a till roll
RECEIPT_LINES = 14  # a receipt's lines besides its items': name, address, date and number, sums, payment, thanks
KINDS = {"en": {"article": 0.6, "letter": 0.1, "form": 0.1, "receipt": 0.1, "slides": 0.1},
         "zh": {"article": 0.35, "notice": 0.2, "report": 0.15, "paper": 0.2, "letter": 0.1}}
LIST_MARKS = "•0123456789."  # what MuPDF draws before the items of <ul> and <ol>
CODE_FLOOR = 6.5  # points: the smallest a code block is set (the size of the page's small print)
CODE_FIT = 0.98  # of the column's text width, a code block's longest line at most (MuPDF's widths round)
MIN_COLUMN = 150  # points: narrower columns break lines every few words
NOTE_GAP = 4.0  # font sizes between the columns and the page's footnote (`engines.docs.layout` starts a new stretch
# past 2.5 line heights)
NUMBERED = re.compile(r"^(?:[A-Z]\.|\d+)(?:\.\d+)*\.?\s+|^第 ?\d+ ?章\s*|^附录 ?[A-Z]\.?\s*|^(?:Chapter|Appendix) \S+\s*")
# A footnote's mark, in the text after the sentence it notes and before the note: a superscript one, the character
# the page draws (a plain "1" before the note, with no mark in the text, told a reader nothing of what it notes)
NOTE_MARK = "\u00b9"
SENTENCE_END = {"en": re.compile(r"[.!?](?=\s+[A-Z(\"])"), "zh": re.compile("[。！？]")}
# blocks that get an id of their own when they have none (`_block_ids`)
BLOCK = re.compile(r"<(p|ul|ol|li|pre|div|table)\b(?![^>]*\bid=)")
CONTAINER = re.compile(r"(?:ul|ol|div|table|list|figure)\d+$")  # ids of blocks around others (`_block_ids`' and own)
ORPHAN_LINES = 2  # a heading is followed in its column by this many lines at least
CHANCE = {"table": 0.07, "figure": 0.05, "code": 0.05, "emphasis": 0.3}  # emphasis: a page that sets stress


@dataclass(frozen=True)
class Layout:
    """The drawn choices of one generated page (recorded in the sample's meta)."""

    kind: str
    paper: str
    margin: float
    columns: int
    gutter: float
    face: str
    heading_face: str
    mono: str
    size: float
    leading: float
    justify: bool
    title: bool
    header: bool
    footer: bool
    footnote: bool
    start: int  # first passage of the prose corpus (`prose.passages`)
    # blocks the page shows: tables, ruled tables, figures, code blocks, paragraphs with a bold or italic run, the
    # source's lists
    blocks: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Generated:
    """A generated page: the PDF, its layout, the characters it draws, and where its tables and code landed.

    Attributes:
        tables: per table, per row, each cell's box in points (left to right).
        code: each code block's box in points.
    """

    pdf: bytes
    layout: Layout
    drawn: str
    tables: list[list[list[tuple[float, float, float, float]]]]
    code: list[tuple[float, float, float, float]]


@functools.cache
def _repertoire(lang: str, source: str) -> frozenset[str]:
    """Every character of the prose's paragraphs and headings in `lang`: what a Chinese face is cut to hold at
    least (`faces.cut`), so that pages rarely make it cut again."""
    return frozenset("".join(prose.paragraphs(lang, source)) + "".join(prose.headings(lang, source)))


def _css(layout: Layout) -> str:
    body, head, mono = (faces.family_name(k) for k in (layout.face, layout.heading_face, layout.mono))
    rules = "".join(faces.css(k, faces.family_name(k)) for k in dict.fromkeys((layout.face, layout.heading_face,
                                                                              layout.mono)))
    align = "justify" if layout.justify else "left"
    # a Chinese table's header is set in the body's weight (三线表), and MuPDF sizes a cell by the regular face's
    # metrics while a Chinese face without bold draws it in Noto Sans CJK Bold: a bold header ran over its rules
    header = "normal" if layout.face in faces.CJK else "bold"
    s = layout.size
    return (f"{rules}* {{font-family: {body}; font-size: {s:.1f}pt; line-height: {layout.leading:.2f};}}\n"
            f"p, li {{text-align: {align}; margin: 0 0 {s * 0.5:.1f}pt 0;}}\n"
            # every unordered level bulleted with the face's own bullet: MuPDF's nested ○ and ■ come from a symbol
            # face whose tall box ran into the lines above and below (the page was refused as overlapping text)
            "li {list-style-type: disc;} ol > li {list-style-type: decimal;}\n"
            f"h1 {{font-family: {head}; font-weight: bold; font-size: {s * 1.7:.1f}pt; text-align: center; "
            f"margin: 0 0 {s:.1f}pt 0;}}\n"
            f"h2 {{font-family: {head}; font-weight: bold; font-size: {s * 1.25:.1f}pt; "
            f"margin: {s * 0.6:.1f}pt 0 {s * 0.4:.1f}pt 0;}}\n"
            f"pre {{font-family: {mono}; font-size: {s * 0.9:.1f}pt; margin: {s * 0.4:.1f}pt 0 {s * 0.6:.1f}pt 0;}}\n"
            f"table {{border-collapse: collapse; margin: {s * 0.3:.1f}pt 0 {s * 0.8:.1f}pt 0;}}\n"
            f"td, th {{padding: {s * 0.15:.1f}pt {s * 0.5:.1f}pt; text-align: left; white-space: nowrap;}}\n"
            f"th {{font-weight: {header};}}\n.num {{text-align: right;}}\n"
            f".ruled td, .ruled th {{border: 0.6pt solid black;}}\n"
            f".caption {{text-align: center; margin: {s * 0.3:.1f}pt 0 {s * 0.6:.1f}pt 0;}}\n"
            f".figure {{text-align: center; margin: {s * 0.5:.1f}pt 0 0 0;}}\n"
            f".unit, .right {{text-align: right;}}\n.centre {{text-align: center;}}\n.indent {{text-indent: 2em;}}\n"
            f".org {{text-align: center; font-weight: bold; font-size: {s * 2:.1f}pt; color: #c00000;}}\n"
            f".field {{width: 150pt; height: {s * 1.3:.1f}pt; border: 0.6pt solid black;}}\n"
            f".abstract {{font-size: {s * 0.9:.1f}pt;}}\n"
            f".small, .small * {{font-size: {max(6.5, s * 0.75):.1f}pt;}}\n")


def draw_layout(rng: np.random.Generator, lang: str, source: str) -> Layout:
    """Draw a page's layout choices."""
    kind = pick(rng, list(KINDS[lang]), list(KINDS[lang].values()))
    paper = "slides" if kind == "slides" else "receipt" if kind == "receipt" else str(rng.choice(list(PAGE_SIZES)))
    margin = float(rng.uniform(14, 22)) if kind == "receipt" else float(rng.uniform(36, 80))
    width = _size(paper)[0] - 2 * margin
    gutter = float(rng.uniform(14, 30))
    most = {"article": 3, "paper": 2, "report": 1}.get(kind, 1)
    fits = [c for c in range(1, most + 1) if (width - (c - 1) * gutter) / c >= MIN_COLUMN]
    columns = int(rng.choice(fits))
    family = faces.LATIN if lang == "en" else faces.CJK
    face = str(rng.choice(list(family)))
    heading = face if lang == "en" or rng.random() < 0.5 else "noto-sans-cjk"
    size = float(rng.uniform(20, 26)) if kind == "slides" else float(rng.uniform(7.5, 10)) if kind == "receipt" \
        else float(rng.uniform(8.5, 12))
    article = kind in ("article", "paper", "report")
    passages = prose.passages(lang, source)
    return Layout(kind=kind, paper=paper, margin=round(margin, 1), columns=columns, gutter=round(gutter, 1),
                  face=face, heading_face=heading, mono=str(rng.choice(list(faces.MONO))), size=round(size, 1),
                  leading=round(float(rng.uniform(1.15, 1.5)), 2), justify=bool(rng.random() < 0.5),
                  title=article and bool(rng.random() < 0.5), header=article and bool(rng.random() < 0.6),
                  # no folio on a receipt, slides, a letter or a form
                  footer=kind not in ("receipt", "slides", "letter", "form") and bool(rng.random() < 0.7),
                  footnote=kind in ("article", "paper") and bool(rng.random() < 0.4),
                  start=_item_start(passages, int(rng.integers(len(passages)))))


def _item_start(passages: list[prose.Passage], k: int) -> int:
    """Where a page whose text was drawn to begin at passage `k` begins: at the outermost list item `k` stands in
    (a page opening inside a nested list or an item's second paragraph would show them without their item)."""
    while k > 0 and passages[k].path and (len(passages[k].path) > 1 or not passages[k].opens):
        k -= 1
    return k


def _size(paper: str) -> tuple[int, int]:
    return SLIDE if paper == "slides" else RECEIPT if paper == "receipt" else PAGE_SIZES[paper]


class _Body:
    """The HTML of a page's flowing part, built block by block, with the images its figures need."""

    def __init__(self, rng: np.random.Generator, lang: str, layout: Layout, source: str, column: float,
                 per_page: int) -> None:
        self.rng, self.lang, self.layout, self.column, self.per_page = rng, lang, layout, column, per_page
        self.source = source
        self.passages = prose.passages(lang, source)
        self.shown: set[str] = set()  # the paragraphs (out of lists) flowed so far
        # a page that stresses what the writer stressed (the source's bold and italic, and its commands and file
        # names in a style the page draws); real documents set stress the same way throughout
        self.stress = blocks.draw_stress(rng, lang) if rng.random() < CHANCE["emphasis"] else None
        self.parts: list[str] = []
        self.images: dict[str, bytes] = {}
        self.counts = {"tables": 0, "figures": 0, "code": 0, "emphasis": 0, "lists": 0}  # blocks made (numbering their ids)
        self.ruled: list[int] = []  # the ruled tables' numbers
        self.manual: set[int] = set()  # the manual's tables on the page (`engines.manual_tables`)
        self.photographs: list[int] = []  # the numbers of the figures that are photographs
        self.k = layout.start
        self.mark = NOTE_MARK if layout.footnote else None  # the footnote's mark, until the text carries it
        self.running = self.chapter()  # the running head: a book's chapter, a report's own name

    def passage(self, k: int) -> prose.Passage:
        return self.passages[k % len(self.passages)]

    def place(self, k: int) -> prose.Place:
        return self.passage(k).place

    def opens(self, k: int) -> str | None:
        """The heading of the section paragraph `k` opens (its section is not the one before it), or None."""
        section = self.place(k).section
        return section if section and section != self.place(k - 1).section else None

    def heading(self) -> str:
        """The innermost heading over the text flowed last (or about to flow): what a caption or a title of
        this part of the page is about."""
        place = self.place(max(self.k - 1, self.layout.start))
        return place.section or place.chapter or ""

    def chapter(self) -> str:
        """The outermost heading over the page's first paragraph: its running head."""
        place = self.place(self.layout.start)
        return place.chapter or place.section or ""

    def sections(self, n: int) -> list[str]:
        """The headings of the next `n` sections from the page's first paragraph on, in the same chapter."""
        chapter, found = self.place(self.layout.start).chapter, []
        for k in range(self.layout.start, self.layout.start + len(self.passages)):
            if len(found) == n or self.place(k).chapter != chapter:
                break
            section = self.place(k).section
            if section and section not in found:
                found.append(section)
        return found

    def step(self) -> int:
        """Flow what the text says next: a paragraph (not one the page shows already), or the source's list that
        starts here, whole (items in the source's order, numbered as the source numbers them, nested lists in their
        items); its characters."""
        first = self.passage(self.k)
        if not first.path:
            self.k += 1
            if first.text in self.shown:  # a caution the manual repeats in sections close together: once a page
                return 0
            self.shown.add(first.text)
            self.parts.append(self.markup("p", first))
            return len(first.text)
        run: list[prose.Passage] = []
        while len(run) < len(self.passages) and (p := self.passage(self.k)).path \
                and p.path[0].list == first.path[0].list:
            run.append(p)
            self.k += 1
        self.parts.append(_list_markup(run, lambda p: self.markup("", p), f"list{self.counts['lists']}"))
        self.counts["lists"] += 1
        return sum(len(p.text) for p in run)

    def markup(self, tag: str, passage: prose.Passage) -> str:
        """A passage's HTML in `tag` ("" for bare text), its stressed runs set where the page sets stress (the
        element then has an id `em<n>`, counting the paragraphs shown with stress)."""
        if self.mark:  # the page's first passage: its first sentence stands at the top of the first column
            passage, self.mark = _marked(passage, self.mark, self.lang), None
        stressed = blocks.emphasise(passage, self.stress, self.lang) if self.stress else None
        if stressed is None:
            return f"<{tag}>{html.escape(passage.text)}</{tag}>" if tag else html.escape(passage.text)
        self.counts["emphasis"] += 1
        name = f"em{self.counts['emphasis'] - 1}"
        return f"<{tag} id='{name}'>{stressed}</{tag}>" if tag else f"<span id='{name}'>{stressed}</span>"

    def table(self) -> None:
        """A table of the kind the manual prints, where one fits the column."""
        n, ruled = self.counts["tables"], bool(self.rng.random() < 0.5)
        markup = blocks.manual_table(self.rng, n, self.lang, self.source, ruled, self.column, self.layout.size,
                                     self.k, self.place(max(self.k - 1, self.layout.start)).chapter or "",
                                     self.manual)
        if markup is None:
            return
        self.counts["tables"] += 1
        if ruled:
            self.ruled.append(n)
        self.parts.append(markup)

    def report(self) -> None:
        """A report's discussion of its income statement and balance sheet (one company, one unit): each under
        its heading, its figures said in words (the amounts and changes its table shows) above its table."""
        bases = company_bases(self.rng, "单位：万元")  # one company: its income statement's and balance sheet's size
        for heads, kind in blocks.ZH_REPORT_SECTIONS:
            self.parts.append(f"<h2>{html.escape(heads[int(self.rng.integers(len(heads)))])}</h2>")
            statement = financial_statement(self.rng, "zh", wide=False, kinds=(kind,), unit="单位：万元",
                                            base=bases[kind])
            self.parts.append(f"<p>{html.escape(blocks.zh_discussion(self.rng, statement))}</p>")
            self.zh_statement(statement)

    def zh_statement(self, statement: Statement) -> None:
        """A statement's table under its caption."""
        n, ruled = self.counts["tables"], bool(self.rng.random() < 0.5)
        self.counts["tables"] += 1
        if ruled:
            self.ruled.append(n)
        self.parts.append(blocks.zh_table(self.rng, n, ruled, f"表{n + 1} {statement.title}", statement))

    def figure(self) -> None:
        n = self.counts["figures"]
        self.counts["figures"] += 1
        label = f"{'图' if self.lang == 'zh' else 'Figure '}{n + 1}{' ' if self.lang == 'zh' else '. '}"
        last = self.passage(max(self.k - 1, self.layout.start))  # the text the figure stands after: its topic
        markup, name, image = blocks.figure(self.rng, n, self.column, label, _unnumbered(self.heading()), self.lang,
                                            f"{last.place.chapter or ''} {last.text}")
        self.images[name] = image
        if photos.FILE.fullmatch(name):
            self.photographs.append(n)
        self.parts.append(markup)

    def code(self) -> None:
        """A code block, set as a typesetter sets a listing: at the page's code size (nine tenths of the body's)
        or smaller, where its longest line fits the column, never wrapped (a break inside a command changes what
        it says, and a continuation mark would be a character the source lacks). A block that fits only below
        `CODE_FLOOR` is left out, as a narrow column's writer leaves out a listing wider than it (refusing the
        page instead cost one English page in 13: 6 of 80)."""
        lines = blocks.code_lines(self.rng)
        longest = max(faces.width(self.layout.mono, line, 1.0) for line in lines)
        # the Story sets its body 1 em (the page's size) in from each side of a column's box, and draws nothing
        # past the box: a line past the body's right edge ran into the gutter, and past the box's lost its end
        measure = self.column - 2 * self.layout.size
        size = min(self.layout.size * 0.9, measure * CODE_FIT / longest)
        if size < CODE_FLOOR:
            return
        self.parts.append(blocks.code(lines, self.counts["code"], size))
        self.counts["code"] += 1

    def flow(self, chars: int) -> None:
        """About `chars` characters of consecutive paragraphs, with headings, lists, tables, figures and code."""
        total = 0
        while total < chars:
            if section := self.opens(self.k):  # a section starts here: its own heading, as the manual prints it
                self.parts.append(f"<h2>{html.escape(section)}</h2>")
            total += self.step()
            if self.rng.random() < CHANCE["table"]:
                self.table()
                total += 300
            elif self.rng.random() < CHANCE["figure"]:
                self.figure()
                total += 500
            elif self.lang == "en" and self.rng.random() < CHANCE["code"]:
                self.code()
                total += 150


def _marked(passage: prose.Passage, mark: str, lang: str) -> prose.Passage:
    """`passage` with a footnote's `mark` after its first sentence (after the stop, as both English and Chinese
    set a note on a whole sentence), its stressed runs moved with the text."""
    end = SENTENCE_END[lang].search(passage.text)
    at = end.end() if end else len(passage.text)
    runs = tuple((a + len(mark) * (a >= at), b + len(mark) * (b >= at), kind) for a, b, kind in passage.runs)
    return dataclasses.replace(passage, text=passage.text[:at] + mark + passage.text[at:], runs=runs)


def _unnumbered(heading: str) -> str:
    """A heading without its section number ("1.1.2. The shell prompt" -> "The shell prompt")."""
    return NUMBERED.sub("", heading).strip() or heading


def _short(passages: list[prose.Passage], start: int, n: int, most: int = 200) -> list[str]:
    """The first `n` paragraphs out of lists from `start` on of at most `most` characters (a footnote, an
    abstract)."""
    found: list[str] = []
    for k in range(start, start + len(passages)):
        if len(found) == n:
            break
        passage = passages[k % len(passages)]
        if not passage.path and len(passage.text) <= most:
            found.append(passage.text)
    return found


def _list_markup(run: list[prose.Passage], markup: Callable[[prose.Passage], str], name: str = "") -> str:
    """The HTML of consecutive passages of one outermost source list: each list opened where its first passage
    stands (an ordered one numbered from that passage's item on, `start`), each item where its first paragraph
    does, an item's later paragraphs as paragraphs in it, nested lists inside their items; `markup` gives a
    passage's own HTML, `name` the outermost list's id."""
    out: list[str] = []
    open_: list[prose.Level] = []  # the levels open, outermost first: each an open list and an open item in it
    for passage in run:
        path = passage.path
        same = 0
        while same < min(len(open_), len(path)) and open_[same] == path[same]:
            same += 1
        next_item = False  # whether the deepest level left open goes on with another item of its list
        while len(open_) > same:
            level = open_.pop()
            out.append("</li>")
            if len(open_) == same and same < len(path) and path[same].list == level.list:
                next_item = True
                break
            out.append("</ol>" if level.ordered else "</ul>")
        for level in path[len(open_):]:
            if next_item:
                out.append("<li>")
                next_item = False
            else:
                start = f" start='{level.item}'" if level.ordered and level.item > 1 else ""
                named = f" id='{name}'" if name and not open_ else ""
                out.append(f"<{'ol' if level.ordered else 'ul'}{named}{start}><li>")
            open_.append(level)
        opened = bool(out) and out[-1].endswith("<li>")
        out.append(markup(passage) if opened else f"<p>{markup(passage)}</p>")
    out += ["</li></ol>" if level.ordered else "</li></ul>" for level in reversed(open_)]
    return "".join(out)


def _place(dev: pymupdf.Device, markup: str, css: str, archive: pymupdf.Archive, rect: pymupdf.Rect,
           bottom: bool = False) -> pymupdf.Rect:
    """Lay out a small HTML box in `rect` (against its bottom edge when `bottom`); returns the area it filled."""
    story = pymupdf.Story(markup, user_css=css, archive=archive)
    filled = pymupdf.Rect(story.place(rect)[1])
    if bottom:
        story = pymupdf.Story(markup, user_css=css, archive=archive)
        filled = pymupdf.Rect(rect.x0, rect.y1 - filled.height, rect.x1, rect.y1)
        story.place(filled)
    story.draw(dev)
    return filled


def _top(body: _Body, layout: Layout) -> str:
    """The full-width part above the columns (title, a paper's abstract, a notice's head) and what closes the
    flow (a letter's signature, a notice's attachments and seal line), per kind; the flow itself is filled."""
    rng, kind = body.rng, layout.kind
    per_page = body.per_page
    if kind == "letter":  # a letter's own words (`engines.letters`), not a manual's prose
        body.parts.append(blocks.letter(rng, body.lang))
        return ""
    if kind == "form":  # a form's own words, not a manual's prose
        title = str(rng.choice(list(blocks.FORMS)))
        body.parts.append(blocks.form(rng, 0, title))
        body.counts["tables"] += 1
        return f"<h1>{title}</h1>"
    if kind == "receipt":  # as many item lines as the roll holds under its head and over its sums and payment
        row = layout.size * (layout.leading + 0.3)
        body.parts.append(blocks.receipt(rng, 0, int((RECEIPT[1] - 2 * layout.margin) / row) - RECEIPT_LINES))
        body.counts["tables"] += 1
        return ""
    if kind == "slides":  # a chapter's title over its sections
        items = [_unnumbered(h) for h in body.sections(int(rng.integers(3, 6)))]
        body.parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
        return f"<h1>{html.escape(_unnumbered(body.chapter()))}</h1>"
    if kind == "notice":  # an administrative notice (`engines.letters.zh_notice`) under its issuer's head
        head, text, close = blocks.notice(rng)
        body.parts += [text, close]
        return head
    if kind == "paper":  # titled by its chapter, keywords its sections, the abstract the text just after the page's
        keywords = [_unnumbered(h) for h in body.sections(int(rng.integers(3, 6)))]
        body.flow(per_page)
        abstract = _short(body.passages, body.k, 1, most=160)[0]
        return blocks.paper_head(rng, _unnumbered(body.chapter()), abstract, keywords)
    if kind == "report":  # a listed company's annual report: its discussion of the statements it shows
        title = blocks.report_title(rng)
        body.running = title  # a report names itself atop every page: a page under that head repeats no title
        body.parts.append("<h2>第三节 管理层讨论与分析</h2>")
        body.report()
        return "" if layout.header else f"<h1>{html.escape(title)}</h1>"
    body.flow(per_page)
    if not layout.title:
        return ""
    body.running = body.place(layout.start).section or ""  # under a chapter's title, the section's running head
    return f"<h1>{html.escape(body.chapter())}</h1>"


def generate_page(rng: np.random.Generator, lang: str, source: str = prose.DEFAULT) -> Generated:
    """A one-page PDF of real prose in `lang`, with its layout and where its tables and code blocks landed.

    Args:
        rng: the sample's generator (the only randomness used).
        lang: "en" or "zh".
        source: the prose's source, a key of `engines.prose.SOURCES`.
    """
    layout = draw_layout(rng, lang, source)
    width, height = _size(layout.paper)
    css = _css(layout)
    area = pymupdf.Rect(layout.margin, layout.margin, width - layout.margin, height - layout.margin)
    column = (area.width - (layout.columns - 1) * layout.gutter) / layout.columns
    # a little more than the page holds (an em square per Chinese character, about half of one per Latin letter)
    per_page = int(area.width * area.height / (layout.size ** 2 * layout.leading) * (2.5 if lang == "en" else 1.2))
    body = _Body(rng, lang, layout, source, column, per_page)
    top_markup = _top(body, layout)
    header = footer = note = ""
    if layout.header and body.running:
        header = f"<p class='small' style='margin: 0'>{html.escape(body.running)}</p>"
    if layout.footer:
        number = int(rng.integers(1, 400))
        shown = f"— {number} —" if lang == "zh" and rng.random() < 0.5 else str(number)
        footer = f"<p class='small' style='text-align: center; margin: 0'>{shown}</p>"
    if layout.footnote:  # a short paragraph from the text after the page's
        note = f"<p class='small'>{NOTE_MARK} {html.escape(_short(body.passages, body.k + 1, 1)[0])}</p>"
    flow = "".join(body.parts)
    drawn = [m for m in (header, footer, top_markup, note, flow) if m]  # every markup placed
    text = LIST_MARKS + html.unescape(prose.TAG.sub(" ", " ".join(drawn)))
    keys = tuple(dict.fromkeys((layout.face, layout.heading_face, layout.mono)))
    archive = faces.archive(keys, _repertoire(lang, source) | frozenset(text) if lang == "zh" else frozenset())
    for name, png in body.images.items():
        archive.add(png, name)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer, "")  # uncompressed: see the module docstring
    dev = writer.begin_page(pymupdf.Rect(0, 0, width, height))
    top, bottom = area.y0, area.y1
    if header:
        _place(dev, header, css, archive,
               pymupdf.Rect(area.x0, min(area.y0 * 0.4, area.y0 - 4 - 2.5 * layout.size), area.x1, area.y0 - 4))
    if footer:
        _place(dev, footer, css, archive, pymupdf.Rect(area.x0, area.y1 + 4, area.x1,
                                                       max(height - area.y0 * 0.3, area.y1 + 4 + 2.5 * layout.size)))
    if top_markup:
        top = _place(dev, top_markup, css, archive, area).y1 + layout.size
    if note:
        # the page's footnote stands clear of the columns, as under a footnote rule: `reading_order` then reads it
        # after all of them (one line height above it, it joined the last column's stretch and was read before the
        # right column: docs index 79, seed 0)
        bottom = _place(dev, note, css, archive, pymupdf.Rect(area.x0, top, area.x1, area.y1),
                        bottom=True).y0 - NOTE_GAP * layout.size
    flow = _block_ids(flow)
    rects = [pymupdf.Rect(area.x0 + c * (column + layout.gutter), top, area.x0 + c * (column + layout.gutter) + column,
                          bottom) for c in range(layout.columns)]
    rects = _kept_together(flow, css, archive, rects, layout.size * layout.leading)
    placed: dict[str, list[tuple[float, float, float, float]]] = {}
    for position in _positions(flow, css, archive, rects, dev)[0]:
        if position.id:
            placed.setdefault(position.id, []).append(position.rect)
    writer.end_page()
    writer.close()
    tables = _tables(placed)
    edges = [(area.x0 + c * (column + layout.gutter), area.x0 + c * (column + layout.gutter) + column)
             for c in range(layout.columns)]
    if any(not any(x0 - 1 <= cell[0] and cell[2] <= x1 + 1 for x0, x1 in edges)
           for table in tables.values() for row in table for cell in row):
        # a table wider than its column runs into the gutter: its rows would cross the columns' reading order
        raise SampleError("table_overflow", f"a table is wider than its {column:.0f} pt column")
    shown = {"tables": len(tables), "ruled": sum(t in body.ruled for t in tables),
             "photos": sum(f"figure{n}" in placed for n in body.photographs),
             **{kind: sum(bool(re.fullmatch(f"{prefix}\\d+", name)) for name in placed)
                for kind, prefix in (("figures", "figure"), ("code", "code"), ("emphasis", "em"), ("lists", "list"))}}
    layout = Layout(**{**layout.to_dict(), "blocks": shown})
    return Generated(buffer.getvalue(), layout, text, list(tables.values()), _code(placed))


@dataclass(frozen=True)
class _Placed:
    """Where the Story opened an element: its column, id ("" for none), heading level (0: no heading), box."""

    column: int
    id: str
    heading: int
    rect: tuple[float, float, float, float]


def _block_ids(flow: str) -> str:
    """The flow with an id on every block that has none (its tag and a number: `p12`): the Story reports where it
    placed an element only for headings and elements with an id, and a heading's lines under it are the blocks
    after it."""
    counter = iter(range(1 << 30))
    return BLOCK.sub(lambda m: f"{m[0]} id='{m[1]}{next(counter)}'", flow)


def _positions(flow: str, css: str, archive: pymupdf.Archive, rects: list[pymupdf.Rect],
               dev: pymupdf.Device | None = None) -> tuple[list[_Placed], bool]:
    """Lay `flow` out column after column in `rects` (drawn on `dev`, or nowhere); where each element opened, and
    whether the flow goes on past the last column."""
    story = pymupdf.Story(flow, user_css=css, archive=archive)
    out: list[_Placed] = []
    more = True
    at = [0]  # the column being placed (the callback takes the position alone)

    def record(p: Any) -> None:
        if p.open_close & 1:
            out.append(_Placed(at[0], p.id or "", p.heading, tuple(p.rect)))

    for c, rect in enumerate(rects):
        at[0] = c
        more, _ = story.place(rect)
        story.element_positions(record)
        story.draw(dev)
        if not more:
            break
    return out, bool(more)


def _kept_together(flow: str, css: str, archive: pymupdf.Archive, rects: list[pymupdf.Rect],
                   line: float) -> list[pymupdf.Rect]:
    """The columns, each cut short where it would end in a break a typesetter avoids (`_break_fault`), so that what
    it would have split goes on in the next column (or past the page's end).

    Why: MuPDF's Story honours no `break-after: avoid` or `break-inside: avoid`: it filled each column to its foot,
    leaving a heading as a column's last line (its text in the next column) and a table's rows in two columns.

    Raises:
        SampleError: "layout_fault": a block that cannot be kept whole in any column (taller than a column).
    """
    rects = [pymupdf.Rect(r) for r in rects]
    rows = {int(t): int(r) for t, r in re.findall(r"id='t(\d+)r(\d+)c0'", flow)}  # each table's last row
    for _ in range(2 * len(rects) + 2):
        positions, more = _positions(flow, css, archive, rects)
        fault = _break_fault(positions, more, rows, line)
        if fault is None:
            # a container's box is its whole content's, placed or not (a table the page's end cuts)
            if over := next((p for p in positions if p.rect[3] > rects[p.column].y1 + 1
                             and not CONTAINER.match(p.id)), None):
                raise SampleError("layout_fault", f"MuPDF ran column {over.column + 1} "
                                  f"{over.rect[3] - rects[over.column].y1:.0f} pt past its foot")
            return rects
        c, y = fault
        if y <= rects[c].y0 + line:  # nothing above it in its column: it cannot be moved on
            raise SampleError("layout_fault", f"a block taller than its column at {y:.0f} pt")
        rects[c].y1 = y - 1  # exactly at its top, MuPDF overran the column (a table 370 pt past its foot)
    raise SampleError("layout_fault", "columns still break inside blocks after cutting them short")


def _break_fault(positions: list[_Placed], more: bool, rows: dict[int, int], line: float) -> tuple[int, float] | None:
    """The first break in reading order that a typesetter avoids, as (column, top of what must move on), or None.

    A heading must be followed in its column by two lines at least (`ORPHAN_LINES`); a table's caption, unit line
    and rows stand in one column, and a short one (at most `blocks.KEEP_ROWS` rows: every table in a column) is not
    cut by the page's end either (a long one, a report's statement on a one-column page, may be: its header row
    would be repeated on the next page, which the sample does not show); a figure's caption stands in its figure's
    column."""
    by_id = {p.id: p for p in positions if p.id}
    for k, p in enumerate(positions):
        if p.heading:
            after = [q.rect[3] for q in positions[k + 1:] if q.column == p.column]
            ends_here = not more and all(q.column == p.column for q in positions[k + 1:])  # the flow's own end
            if (max(after, default=p.rect[3]) - p.rect[3] < (ORPHAN_LINES - 0.1) * line and not ends_here):
                return p.column, p.rect[1]
        elif m := re.fullmatch(r"tablecap(\d+)", p.id):
            t = int(m[1])
            cells = [q for q in positions if re.fullmatch(f"t{t}r\\d+c\\d+", q.id)]
            shown = {int(re.search(r"r(\d+)", q.id)[1]) for q in cells}
            whole = len(shown) == rows.get(t, -1) + 1
            if any(q.column != p.column for q in cells) or (not whole and rows.get(t, 0) <= blocks.KEEP_ROWS):
                return p.column, p.rect[1]
        elif m := re.fullmatch(r"figure(\d+)", p.id):
            caption = by_id.get(f"figurecap{m[1]}")
            if caption is None or caption.column != p.column:
                return p.column, p.rect[1]
    return None


def _tables(placed: dict[str, list[tuple[float, float, float, float]]]) -> dict[int, list[list[tuple]]]:
    """Per placed table (by its number), per row, the boxes of its placed cells left to right (from the cells'
    ids)."""
    cells: dict[int, dict[int, dict[int, tuple]]] = {}
    for name, rects in placed.items():
        if m := re.fullmatch(r"t(\d+)r(\d+)c(\d+)", name):
            t, r, c = (int(g) for g in m.groups())
            cells.setdefault(t, {}).setdefault(r, {})[c] = rects[0]
    return {t: [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())] for t, rows in sorted(cells.items())}


def _code(placed: dict[str, list[tuple[float, float, float, float]]]) -> list[tuple[float, float, float, float]]:
    return [rect for name, rects in sorted(placed.items()) if name.startswith("code") for rect in rects]
