"""What a generated page says: headings (each followed by text; a chapter's where the text goes on into one),
paragraphs with footnotes, lists, tables and figures (charts, diagrams, or photographs of what the text speaks of)
under numbered captions, and math where the text states a quantity: its working, in a sentence after it or
displayed (some numbered) under its paragraph (`engines.pages.quantities`).

Prose is real text (`engines.prose`, prose that ships with Debian and installed packages), formulas work out the
text's own quantities, and tables are the manual's own (`engines.manual_tables`, set with the table engine's rules),
each the one the manual prints nearest where the document reads, under the manual's caption. Prose is kept only when
LaTeX prints it exactly as written (TeX's specials escaped, `blocks.escaped`; no backslash or braces, no character
pairs TeX turns into one glyph: `--`, `''`, `,,`) and Mathpix markdown reads it as plain text (`MARKUP`), so the
target is the source text itself: 81-88% of the manuals' paragraphs (21-49% when no special was let in and a
paragraph needed two sentences).

A document holds about `fill` pages' worth of content (estimated from the page's text area and font
size), so its first page is full and a block usually breaks across its bottom edge; sometimes the
document opens with the end of a paragraph (a page that continues a previous one). It reads the manual on from
where it starts (`Walk`), never past the manual's end, a section's heading where its text begins.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable

import numpy as np

from engines import manual_tables, photos
from engines.formulas.content import latex_tokens
from engines.pages.blocks import Block, Segment, merge
from engines.pages.quantities import quantities
from engines.prose import DEFAULT, headings, paragraphs, places
from engines.tables.content import ruled_tabular
from renderers.scripts import HAN, xecjk_spaced

# What a paragraph may print: ASCII but a backslash and braces (TeX's other specials are set as written,
# `blocks.escaped`), typographic quotes and dashes, arrows, and for Chinese its characters and marks. A table's cell
# (its tabular is LaTeX as written) and a title (a running head sets it too) keep to `PLAIN`.
TEXT = {
    "en": re.compile(r"[\x20-\x5b\x5d-\x7a|~\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
                     "\u2018\u2019\u201c\u201d\u2013\u2014\u00a9\u00b0\u00d7\u2192]+"),
    "zh": re.compile("[\u4e00-\u9fff\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u201c\u201d"
                     "\u2018\u2019\u300a\u300b\u2192" r"\x20-\x5b\x5d-\x7a|~]+"),
}
PLAIN = {
    "en": re.compile(r"[A-Za-z0-9 .,;:!?'\"()/-]+"),
    "zh": re.compile("[\u4e00-\u9fff\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u201c\u201d"
                     r"A-Za-z0-9 .,:;()/-]+"),
}
# What Mathpix markdown (and the pages reader, `pipelines.readers.page_redraw`) would read as markup in a target: a
# word a block starts with ("# ", "> ", "* ", "+ ", "1. ": a page break may open a page on it), a pair of emphasis or
# code marks or of dollars (inline math), an underscore that is no word's inner joint, an HTML tag, entity or
# link. Such a paragraph is left out: its target would say something else than the page prints.
MARKUP = re.compile(r"(?:^|\s)(?:#+|[>*+]|\d+[.)])(?:\s|$)|\*.*\*|\$.*\$|`.*`|~~|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"
                    r"|<[A-Za-z/!?]|&#?\w+;|\]\(|\]\[")
LIGATURES = re.compile(r"--|''|,,|^-|(?:^|\s)-(?:\s|$)")  # character pairs TeX prints as one, a dash standing alone
# a sentence's end (not an abbreviation's full stop, which the prose's sentence split may take for one: "e.g. USB")
STOP = {"en": re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\bvs)(?<!\bviz)(?<!\bFig)(?<!\bNo)(?<!\bDr)(?<!\bMr)"
                         r"[.!?][)\"']*$"),
        "zh": re.compile("[。！？][）”]*$")}
# How a paragraph of sentences ends (one that ends in a colon leads into a list or command the page does not print)
ENDS = {"en": re.compile(r"[.!?)\"'\u201d\u2019]$"), "zh": re.compile("[。！？.）)”’]$")}
SENTENCE = {"en": re.compile(r"(?<=[.!?])\s+(?=[A-Z])"), "zh": re.compile(r"(?<=[。！？])(?![）)”」』])")}
# A title's own numbering ("1.1.6. ", "Chapter 1. ", "A.2. ", "附录 A. ", "第 3 章"), replaced by the document's when it numbers.
NUMBERING = re.compile(r"^(?:(?:Chapter |Appendix |附录 ?)?(?:[A-Z](?:\.\d+)*\.|\d+(?:\.\d+)*\.?)\s+|第 ?\d+ ?章 ?)")
NARROW_COLUMNS = 4
# Captions as papers number them: "Figure 2: ...", "Table 3: ..."; Chinese as GB/T 7713 sets them, "图 2 ...", "表 3 ..."
CAPTION = {"figure": {"en": "Figure {}: ", "zh": "图 {} "}, "table": {"en": "Table {}: ", "zh": "表 {} "}}
NUMERIC = re.compile(r"[\d,.]+")
# How often a quantity the text states is worked out: in a sentence after the one stating it, or displayed under its
# paragraph (where the document draws a display); a working is never repeated in a document. The manuals state few
# (about one paragraph in a hundred): 200 pages drew one working or more on 10 English and 8 Chinese pages at 0.5.
WORKED = 0.75
WHOLE = 1000  # sentences: more than any paragraph holds
# Usable paragraphs (read or skipped) a document reads per page of content (`Walk`'s `ahead`): on 40 documents of 12
# pages (multipage's), English read 122 on average (at most 166), Chinese 84 (at most 120), printing 89% of the
# manual's paragraphs they pass (16% when a paragraph had to hold no TeX or markdown special and a heading skipped
# the rest of its section: a document crossed a chapter every 2.4 pages, now every 6.4).
PARAGRAPHS_PER_PAGE = {"en": 11, "zh": 8}


def _printable(text: str, lang: str) -> bool:
    """Whether LaTeX prints `text` exactly as written (TeX's specials `blocks.escaped`) and markdown reads it as
    plain text."""
    return bool(TEXT[lang].fullmatch(text)) and not LIGATURES.search(text) and not MARKUP.search(text)


def _plain(text: str, lang: str) -> bool:
    """Whether `text` prints exactly as written with no escape: letters, digits and plain punctuation (a title,
    which a running head sets, a table's cell, which its tabular sets)."""
    return bool(PLAIN[lang].fullmatch(text)) and not LIGATURES.search(text)


def _tidy(text: str) -> str:
    """Whitespace collapsed, and none left between two Chinese characters or between one and a curly quote
    (xeCJK prints none there: a target said "第 9.4 节 “监控” where the page shows 节“监控); zero-width spaces and soft
    hyphens, which print nothing, left out."""
    return xecjk_spaced(text.replace("\u200b", "").replace("\u00ad", ""))


@functools.cache
def prose(lang: str, source: str = DEFAULT) -> tuple[str, ...]:
    """The paragraphs of real prose in `lang` (from `engines.prose` `source`) that print exactly as written and end
    as a sentence does (`ENDS`).

    Raises:
        ValueError: no usable paragraph (the prose package has nothing in this language).
    """
    kept = tuple(p for p in map(_tidy, paragraphs(lang, source))
                 if _printable(p, lang) and ENDS[lang].search(p))
    if not kept:
        raise ValueError(f"engines.prose has no paragraph in {lang!r} that prints as written; pages needs one")
    return kept


@functools.cache
def titles(lang: str, source: str = DEFAULT) -> tuple[str, ...]:
    """Real section titles in `lang` (from `engines.prose` `source`) that print exactly as written."""
    return tuple(t for t in map(_tidy, headings(lang, source)) if _plain(t, lang))


@functools.cache
def _usable(lang: str, source: str) -> tuple[bool, ...]:
    """Per paragraph of `engines.prose.paragraphs`, whether it is one of `prose`'s (prints as written)."""
    usable = set(prose(lang, source))
    return tuple(_tidy(p) in usable for p in paragraphs(lang, source))


@functools.cache
def _following(lang: str, source: str) -> tuple[int, ...]:
    """Per paragraph index k (and one past the last), the first usable paragraph at k or after it (-1: none left)."""
    out, after = [], -1
    for k, usable in reversed(list(enumerate(_usable(lang, source)))):
        after = k if usable else after
        out.append(after)
    return (*reversed(out), -1)


class Walk:
    """The prose read in its order from a random paragraph on to the manual's end at most: what a document says
    next and the chapter and section it is in, so its headings, running head and captions are those of the text
    they stand over (they were drawn from anywhere in the manual, each paragraph from another chapter), and a
    chapter the text goes on into is opened by its heading (`entering`, `enter`).

    The walk starts where `ahead` usable paragraphs are left to read (a document of n pages reads about
    `PARAGRAPHS_PER_PAGE` * n): it wrapped from the manual's last paragraph to its first, so a document ran from
    the last chapter into the preface; it now ends where the manual ends (`left`), which a start early enough
    makes rare."""

    def __init__(self, rng: np.random.Generator, lang: str, source: str = DEFAULT, ahead: int = 0) -> None:
        self.lang, self.source = lang, source
        self.paragraphs, self.places = paragraphs(lang, source), places(lang, source)
        self.usable, self.printable = _usable(lang, source), frozenset(titles(lang, source))
        self.following = _following(lang, source)
        order = [k for k, usable in enumerate(self.usable) if usable]
        if not order:
            raise ValueError(f"no usable paragraph in {lang!r}")
        self.first = order[int(rng.integers(max(1, len(order) - ahead)))]  # the first paragraph the document reads
        self.k = self.first - 1  # the paragraph read last: the walk reads on from the one after it
        self.at = self.first  # the paragraph the text is at: the one read last, or about to be read
        self.section = self._section(self.first)  # the section of the text read last, or about to be read
        self.top = self._top(self.first)  # whether that section is a chapter (no heading of the manual over it)

    def _section(self, k: int) -> str | None:
        section = self.places[k].section
        return _tidy(section) if section and _tidy(section) in self.printable else None

    def _top(self, k: int) -> bool:
        place = self.places[k]
        return place.section == place.chapter

    def chapter(self) -> str:
        """The outermost printable heading over where the text is, without its numbering ("" if none)."""
        place = self.places[self.at]
        for head in (place.chapter, place.section):
            if head and _tidy(head) in self.printable:
                return NUMBERING.sub("", _tidy(head)) or _tidy(head)
        return ""

    def _peek(self) -> int | None:
        """The next usable paragraph, or None at the manual's end."""
        k = self.following[self.k + 1]
        return k if k >= 0 else None

    def left(self) -> bool:
        """Whether a usable paragraph is left to read."""
        return self._peek() is not None

    def entering(self) -> bool:
        """Whether the next paragraph is in another chapter than the text (its heading comes first)."""
        k = self._peek()
        return k is not None and self.places[k].chapter != self.places[self.at].chapter

    def enter(self) -> str:
        """Go into the chapter the next paragraph opens and give its title (`chapter`)."""
        k = self._peek()
        if k is None:
            raise ValueError(f"the walk of {self.lang!r} prose is at the manual's end")
        self.at, self.section, self.top = k, self._section(k), self._top(k)
        return self.chapter()

    def _next(self) -> int:
        k = self._peek()
        if k is None:
            raise ValueError(f"the walk of {self.lang!r} prose is at the manual's end")
        self.k = self.at = k
        return k

    def sentences(self, n: int) -> list[str]:
        """The first `n` sentences of the next usable paragraph (fewer when it is shorter)."""
        k = self._next()
        if self._section(k):
            self.section, self.top = self._section(k), self._top(k)
        return [s.strip() for s in SENTENCE[self.lang].split(_tidy(self.paragraphs[k])) if s.strip()][:n]

    def opening(self) -> bool:
        """Whether the next paragraph opens another printable section of the chapter than the text is in (its
        heading comes first); the walk then stands in that section, before its first paragraph."""
        k = self._peek()
        if k is None or self.entering() or not (section := self._section(k)) or section == self.section:
            return False
        self.at, self.section, self.top = k, section, self._top(k)
        return True

    def next_section(self) -> str:
        """Skip to where the chapter's next printable section starts and give its title; "" when the chapter (or
        the manual) ends before one does (the walk then stands before the next chapter's first paragraph)."""
        while (k := self._peek()) is not None and not self.entering():
            section = self._section(k)
            if section and section != self.section and (not k or self._section(k - 1) != section):
                self.at, self.section, self.top = k, section, self._top(k)  # its first paragraph comes next
                return section
            self.k = self.at = k
        return ""


def _worked(rng: np.random.Generator, lang: str, sentences: list[str], worked: set[str] | None,
            first: int = 0) -> tuple[Segment, ...]:
    """Sentences of prose, each that states a quantity the document has not worked out (`worked`, which it joins)
    and ends in a full stop followed `WORKED` of the time by the sentence working it out (`Quantity.sentence`),
    never before sentence `first` (a continued paragraph opens with its own words); none where `worked` is None (a
    list item, a footnote: no place for a working)."""
    glue = " " if lang == "en" else ""
    out: list[Segment] = []
    for k, text in enumerate(sentences):
        out += [Segment(glue)] * bool(k and glue) + [Segment(text)]
        fresh = [q for q in quantities(text) if q.working() not in (worked or ())]
        if worked is None or k < first or not fresh or not STOP[lang].search(text) or rng.random() >= WORKED:
            continue
        before, formula, after = fresh[0].sentence(lang)
        worked.add(formula)
        out += [Segment(glue + before), Segment(formula, math=True), Segment(after)]
    return merge(out)


def heading(walk: Walk, skip: bool = True) -> tuple[str, bool]:
    """The title of the section the walk goes on in (skipping to the next section's start when `skip`), without the
    manual's own numbering (the manual's "1.1.6." would skip numbers wherever the walk skips a section it cannot
    print; the document numbers its own), and whether it is a chapter's title, which is never drawn as a
    subsection. "" when the chapter ends before another section starts (its next chapter's heading comes next)."""
    text = walk.next_section() if skip or not walk.section else walk.section
    return NUMBERING.sub("", text) or text, walk.top


def paragraph(rng: np.random.Generator, walk: Walk, worked: set[str], continued: bool = False,
              note: int = 0) -> list[Block]:
    """The next paragraph of the manual, whole (it was cut to 2-6 sentences), with the working of a quantity it
    states after the sentence stating it (`_worked`); with `note`, its first sentence ends in footnote mark `note` and
    the footnote (the next paragraph's first sentence, where it is in the same chapter) follows as a block."""
    lang = walk.lang
    glue = " " if lang == "en" else ""
    sentences = walk.sentences(WHOLE)
    if continued:  # the end of a paragraph begun on a previous page, from a word (a clause: no line of Chinese
        text = glue.join(sentences)  # type opens with a full stop)
        half = text[len(text) // 2:]
        cut = re.search(" " if lang == "en" else "[，。；：]", half[:-1])
        text = half[cut.end():] if cut else half
        parts = [s.strip() for s in SENTENCE[lang].split(text) if s.strip()]
        return [Block("paragraph", _worked(rng, lang, parts, worked, first=1), continued=True)]
    if not note or len(sentences) < 2 or walk.entering() or not walk.left():
        return [Block("paragraph", _worked(rng, lang, sentences, worked))]
    mark = Segment(f"{{ }}^{{{note}}}", math=True, note=note)
    rest = _worked(rng, lang, sentences[1:], worked)
    body = merge((Segment(sentences[0]), mark, *([Segment(glue)] if glue else []), *rest))
    footnote = (Segment(f"{{ }}^{{{note}}}", math=True, tex=f"\\textsuperscript{{{note}}}"),
                Segment(glue + walk.sentences(1)[0]))
    return [Block("paragraph", body), Block("footnote", footnote)]


def list_items(rng: np.random.Generator, walk: Walk) -> list[Block]:
    """2-5 list items of one sentence each (the next paragraph's), bulleted or numbered; no math (a sentence about
    a formula's symbols is nothing a list item of a manual says)."""
    n, numbered = int(rng.integers(2, 6)), bool(rng.random() < 0.5)
    sentences = walk.sentences(n)
    return [Block("item", (Segment(s),), label=f"{k + 1}." if numbered else "", opens=k == 0)
            for k, s in enumerate(sentences)]


def display(blocks: list[Block], worked: set[str], tokens: int | None = None) -> list[Block]:
    """The working of a quantity the paragraph before states (`blocks[-1]`), displayed (unnumbered), where the
    document has not worked it out (`worked`, which it joins) and it is at most `tokens` LaTeX tokens (the page's
    most, `PageStyle.display_tokens`); [] else."""
    if not blocks or blocks[-1].kind != "paragraph":
        return []
    text = "".join(s.text for s in blocks[-1].segments if not s.math)
    fresh = [q for q in quantities(text) if q.working() not in worked]
    shown = [q for q in fresh if not tokens or latex_tokens(q.display()) <= tokens]
    if not shown:
        return []
    worked.add(shown[0].working())
    return [Block("display", (Segment(shown[0].display(), math=True),))]


def picture(rng: np.random.Generator) -> str:
    """A drawing with no text, in LaTeX `picture` commands (pict2e): bars, lines or points over two axes, or a
    diagram (`diagram`: a manual's figure is as often one as a chart).

    Width is 60% of the line; a box 100 units by 55, axes included.
    """
    kind = str(rng.choice(["bars", "lines", "points", "diagram"]))
    head = r"\setlength\unitlength{0.006\linewidth}\begin{picture}(100,55)\linethickness{0.6pt}"
    if kind == "diagram":
        return head + diagram(rng) + r"\end{picture}"
    out = [head, r"\put(0,0){\line(1,0){100}}\put(0,0){\line(0,1){55}}"]
    if kind == "bars":
        n = int(rng.integers(3, 9))
        step = 96 / n
        for k in range(n):
            out.append(f"\\put({2 + k * step + step * 0.15:.1f},0){{\\color{{black!{int(rng.integers(25, 80))}}}"
                       f"\\rule{{{step * 0.7:.1f}\\unitlength}}{{{float(rng.uniform(5, 52)):.1f}\\unitlength}}}}")
    else:
        for series in range(int(rng.integers(1, 4))):
            xs = np.linspace(3, 97, int(rng.integers(6, 16)))
            ys = np.clip(np.cumsum(rng.normal(0, 5, len(xs))) + rng.uniform(10, 45), 2, 53)
            colour = ("black", "blue!70!black", "red!70!black")[series]
            if kind == "lines":
                points = "".join(f"({x:.1f},{y:.1f})" for x, y in zip(xs, ys))
                out.append(f"{{\\color{{{colour}}}\\polyline{points}}}")
            else:
                out += [f"{{\\color{{{colour}}}\\put({x:.1f},{y:.1f}){{\\circle*{{1.6}}}}}}" for x, y in zip(xs, ys)]
    return "".join(out) + r"\end{picture}"


def diagram(rng: np.random.Generator) -> str:
    """Picture commands of a block diagram with no text in a box 100 units by 55: one or two rows of 2-4 boxes
    (rounded, or square and some shaded), each joined to the next by an arrow, and the rows by a downward one."""
    rows, out = int(rng.integers(1, 3)), []
    rounded, shade = bool(rng.random() < 0.5), int(rng.integers(0, 3)) * 8
    for row in range(rows):
        n = int(rng.integers(2, 5))
        w, h, gap = 70 / n, 14.0, 30 / max(n - 1, 1)
        y = 20.0 if rows == 1 else 36.0 - row * 32
        for k in range(n):
            x = k * (w + gap)
            if shade and not rounded and rng.random() < 0.5:
                out.append(f"\\put({x:.1f},{y:.1f}){{\\color{{black!{shade}}}\\rule{{{w:.1f}\\unitlength}}"
                           f"{{{h:.1f}\\unitlength}}}}")
            box = f"\\oval({w:.1f},{h:.1f})" if rounded else f"\\framebox({w:.1f},{h:.1f}){{}}"
            out.append(f"\\put({x + w / 2:.1f},{y + h / 2:.1f}){{{box}}}" if rounded else f"\\put({x:.1f},{y:.1f}){{{box}}}")
            if k + 1 < n:
                out.append(f"\\put({x + w + 1:.1f},{y + h / 2:.1f}){{\\vector(1,0){{{gap - 2:.1f}}}}}")
        if row:
            out.append(f"\\put({w / 2:.1f},{y + 32 - 1:.1f}){{\\vector(0,-1){{{32 - h - 2:.1f}}}}}")
    return "".join(out)


def figure(rng: np.random.Generator, walk: Walk, number: int, said: set[str]) -> Block | None:
    """A figure: a drawing (`picture`) or, two times in five, a photograph of what the text speaks of
    (`photos.photo`: its section's title, chapter and paragraph; none in the built-in manuals) over its caption,
    "Figure n: " and what the photograph shows or, for a drawing, the title of the section it stands in (a drawing
    of bars, lines or boxes is the section's chart or diagram).

    A caption the document has said (`said`, which the caption joins) is never said again (two figures in a row
    were captioned "Stage 3: the mini-Debian system"): a second drawing in a section is a photograph where one is of
    its topic; None else."""
    photo = rng.random() < 0.4
    about = walk.section or walk.chapter()
    about = NUMBERING.sub("", about) or about
    topic = " ".join((about, walk.chapter(), walk.paragraphs[walk.at]))
    drawn = photos.photo(rng, walk.lang, topic) if photo or about in said else None
    if drawn:
        shows, latex = drawn.shows, drawn.latex
    elif about and about not in said:
        shows, latex = about, picture(rng)
    else:
        return None
    if shows in said:
        return None
    said.add(shows)
    return Block("figure", (Segment(CAPTION["figure"][walk.lang].format(number) + shows),), picture=latex)


def table(rng: np.random.Generator, walk: Walk, number: int, used: set[int], narrow: bool = False,
          fits: Callable[[str], bool] | None = None) -> Block | None:
    """A table the manual prints, under its caption numbered `number` ("Table 3: List of XML tools"): of those
    not yet in the document (`used`, which it joins), the nearest to where the walk reads, of the walk's chapter
    where the chapter has one, so it holds what the text around it speaks of, with the manual's real values.

    A run of 2-10 of its rows whose cells print as written; its widest columns after the first are left out
    until the page prints it legibly (`fits`, the page style's `table_fits`) and, when `narrow` (a column of a
    two-column page), it has at most `NARROW_COLUMNS`. None when no table near enough can be so printed."""
    lang, found = walk.lang, manual_tables.tables(walk.lang, walk.source)
    at = walk.at
    chapter = walk.places[at].chapter
    near = sorted((k for k in range(len(found)) if k not in used),
                  key=lambda k: (found[k].chapter != chapter, abs(found[k].after - at), k))
    for k in near[:6]:
        tabular = _tabular(rng, found[k], lang, narrow, fits)
        caption = _tidy(found[k].caption)
        if tabular and _printable(caption, lang):
            used.add(k)
            return Block("table", (Segment(CAPTION["table"][lang].format(number) + caption), Segment(tabular)))
    return None


def _tabular(rng: np.random.Generator, found: manual_tables.ManualTable, lang: str, narrow: bool,
             fits: Callable[[str], bool] | None) -> str | None:
    """`found`'s tabular as the page prints it (see `table`), or None."""
    printable = [k for k in range(len(found.rows[0])) if not found.header or _plain(_tidy(found.header[k]), lang)]
    rows = [row for row in ([_tidy(c) for c in r] for r in found.rows)
            if all(not row[k] or _plain(row[k], lang) for k in printable)]
    if len(rows) < 2 or 0 not in printable:
        return None
    n = min(len(rows), int(rng.integers(3, 11)))
    start = int(rng.integers(len(rows) - n + 1))
    rows = rows[start:start + n]
    columns = list(printable)
    while len(columns) >= 2:
        head = [_tidy(found.header[k]) for k in columns] if found.header else []
        body = [[row[k] for k in columns] for row in rows]
        cells = [c for c in head + [c for row in body for c in row] if c]
        if lang == "zh" and not any(HAN.search(c) for c in cells):
            return None  # an untranslated table in a Chinese document
        spec = "".join("r" if all(NUMERIC.fullmatch(row[k]) for row in body if row[k]) else "l"
                       for k in range(len(columns)))
        tabular = ruled_tabular(spec, head, body, rng)
        if (not narrow or len(columns) <= NARROW_COLUMNS) and (fits is None or fits(tabular)):
            return tabular
        columns.remove(max(columns[1:], key=lambda k: max(len(row[k]) for row in rows)))
    return None


def draw_blocks(rng: np.random.Generator, walk: Walk, budget: float, numbered: bool = False,
                columns: int = 1, fits: Callable[[str], bool] | None = None,
                display_tokens: int | None = None) -> list[Block]:
    """Blocks in a document's order until about `budget` characters of content, or the manual's end.

    Args:
        rng: the only source of randomness.
        walk: the prose the document reads on from (its language is the document's).
        budget: characters of content to reach (a formula, table or figure counts for what it covers).
        numbered: sections, displayed formulas (half of them) numbered by the document, from where a
            document that opens mid-way would be.
        columns: the page's columns (two: narrow tables only).
        fits: whether the page prints a tabular legibly (the style's `table_fits`); None takes any.
        display_tokens: the most LaTeX tokens of a displayed formula the page prints legibly (the style's).

    Returns:
        The blocks, opening with the heading of the section the walk starts in or, one time in four, a continued
        paragraph; each later heading opens the next section of the prose, which the text after it reads, and
        where the text goes on into another chapter, a level-1 heading of the chapter (over one of its first
        section where that is another) opens it and carries its title to the running head (`Block.mark`).
    """
    worked: set[str] = set()  # the quantities worked out (`quantities.Quantity.working`)
    blocks: list[Block] = paragraph(rng, walk, worked, continued=True) if rng.random() < 0.25 else []
    section, sub = int(rng.integers(0, 4)), 0
    equation, figures, tables, notes = int(rng.integers(0, 9)), int(rng.integers(0, 4)), int(rng.integers(0, 4)), 0
    used: set[int] = set()
    said: set[str] = set()  # the figures' captions
    chapters = 0  # chapters the document opened: its sections are their subsections

    def titled(text: str, level: int, mark: str = "") -> Block:
        nonlocal section, sub
        section, sub = (section + 1, 0) if level == 1 else (section, sub + 1)
        number = "" if not numbered else str(section) if level == 1 else f"{section}.{sub}"
        return Block("heading", (Segment(f"{number} {text}" if number else text),), level=level, mark=mark)

    size = 0.0
    while size < budget and walk.left():
        r = rng.random()
        if walk.entering():  # the text goes on into another chapter: its heading first
            chapter = walk.enter()
            chapters += 1
            opening = walk.section and (NUMBERING.sub("", walk.section) or walk.section)
            new = [titled(chapter, 1, mark=chapter)] if chapter else []
            if chapter and opening and opening != chapter:
                new.append(titled(opening, 2))
        elif blocks and blocks[-1].kind == "heading":  # a section opens with its text
            new = paragraph(rng, walk, worked)
        elif not blocks or walk.opening():  # the document's first section, or the one the text goes on into
            title, top = heading(walk, skip=False)
            if not title:  # the chapter ends first: the next one's heading comes next
                continue
            level = 1 if top or not section or (not chapters and rng.random() < 0.7) else 2
            new = [titled(title, level)]
        elif r < WORKED and (new := display(blocks, worked, display_tokens)):  # the paragraph's quantity worked out
            if numbered and rng.random() < 0.5:
                equation += 1
                new = [dataclasses.replace(new[0], tag=str(equation))]
        elif r < 0.12:  # where a heading stood (it skipped the rest of the section: text read on no more)
            new = paragraph(rng, walk, worked)
        elif r < 0.58:
            new = paragraph(rng, walk, worked, note=notes + 1 if rng.random() < 0.12 else 0)
            notes += any(b.kind == "footnote" for b in new)
        elif r < 0.70:
            new = list_items(rng, walk)
        elif r < 0.82:
            new = paragraph(rng, walk, worked)
        elif r < 0.91:
            new = [b for b in [table(rng, walk, tables + 1, used, narrow=columns > 1, fits=fits)] if b is not None]
            tables += len(new)
        else:
            new = [b for b in [figure(rng, walk, figures + 1, said)] if b is not None]
            figures += len(new)
        blocks += new
        size += sum(120 if b.kind in ("display", "heading") else 400 if b.kind in ("table", "figure")
                    else sum(len(s.text) for s in b.segments) for b in new)
    while blocks and blocks[-1].kind == "heading":  # the manual ended under a heading
        blocks.pop()
    return blocks
