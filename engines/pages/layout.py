"""How a generated document looks (paper, margins, font, size, spacing) and the LaTeX of a batch of them.

The trade-off: TeX's start-up and preamble cost most of a short compile, so a batch of documents is
compiled as ONE LaTeX file, each document on fresh pages with its own page size, text area, font and
spacing set at its start (`\\newgeometry`, `\\pdfpagewidth`, `\\fontsize`), and nothing carried over from
the one before (explicit list labels, unnumbered headings). A document's pages are then the same
alone and in any batch. One preamble serves every document of an engine (pdflatex for English, xelatex
with Noto CJK for Chinese), so the font choices are the families that preamble can select.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

import numpy as np

from engines.formulas.content import PREAMBLE as FORMULA_PREAMBLE
from engines.pages.blocks import MARKER, Block
from engines.tables.content import PREAMBLE as TABLE_PREAMBLE
from renderers.latex import CJK_PREAMBLE
from renderers.scripts import HAN_RANGES

PAPERS = {"a4": (595.0, 842.0), "letter": (612.0, 792.0), "b5": (499.0, 709.0)}
# English: psnfss families in texlive-fonts-recommended (Latin Modern, Times, Palatino, New Century, Charter,
# Helvetica) and TeX Gyre Bonum (Bookman). Chinese: xeCJK families of the preamble (Song, Hei, two Kai faces).
FAMILIES = {"en": ("lmr", "ptm", "ppl", "pnc", "bch", "phv", "qbk"), "zh": ("song", "hei", "kai", "wenkai")}
CJK_FACES = {"song": "Noto Serif CJK SC", "hei": "Noto Sans CJK SC", "kai": "AR PL KaitiM GB", "wenkai": "LXGW WenKai"}
ENGINE = {"en": "pdflatex", "zh": "xelatex"}
COLUMN_SEP = 18.0  # points between two columns
# \gotx{A} ... \gotx{Z} brackets a page's furniture (running head, page number) in the text layer, as \gotm
# marks blocks; \gotfurniture{head}{foot} sets both for every page that follows; footnote texts carry their
# own number (a segment of the footnote block), so \@makefntext prints none.
FURNITURE = (r"\providecommand\gotx[1]{\leavevmode\rlap{\fontsize{1}{1}\selectfont\color{white}GOTX#1.}}" "\n"
             r"\makeatletter\newcommand\gotfurniture[2]{\def\@oddhead{#1}\def\@evenhead{#1}\def\@oddfoot{#2}"
             r"\def\@evenfoot{#2}}\renewcommand\@makefntext[1]{\noindent#1}\makeatother")
# A table at the body's size when it fits the line, else at the first of `PageStyle.table_sizes` it fits at, else
# at the last shrunk to the line, when that keeps its text at the page's floor (`\gotstretch`: how much wider than
# the line the table may be at that size); one wider still is shrunk all the same and flagged "GOTW." in the text
# layer (the engine refuses the page: `table_illegible`). A displayed formula likewise (`\gotdisplay`).
TABLE = (r"\newsavebox\gottab\newcommand\gotsize[2]{\ifdim\wd\gottab>\linewidth"
         r"\sbox\gottab{\fontsize{#1}{#2}\selectfont\gottabular}\fi}" "\n"
         r"\newcommand\gottable[1]{\def\gottabular{#1}\sbox\gottab{#1}\gotsizes\ifdim\wd\gottab>\gotstretch\linewidth"
         r"\leavevmode\rlap{\fontsize{1}{1}\selectfont\color{white}GOTW.}\fi"
         r"\ifdim\wd\gottab>\linewidth\resizebox{\linewidth}{!}{\usebox\gottab}\else\usebox\gottab\fi}" "\n"
         # a displayed formula: shrunk to #1 of the line when wider, flagged "GOTD." (`display_illegible`) when that takes
         # its text under the floor (more than \gotdstretch times as wide as the room)
         r"\newdimen\gotroom\newcommand\gotdisplay[2]{\gotroom=#1\linewidth\sbox\gottab{#2}"
         r"\ifdim\wd\gottab>\gotdstretch\gotroom\rlap{\fontsize{1}{1}\selectfont\color{white}GOTD.}\fi"
         r"\ifdim\wd\gottab>\gotroom\resizebox{\gotroom}{!}{\usebox\gottab}\else\usebox\gottab\fi}")
TABLE_SIZES = ((9.0, 11.0), (8.0, 9.5))  # LaTeX's \small and \footnotesize (of 10 pt), size and leading
CAP_HEIGHT = 0.683  # a capital's height over the font size (Latin Modern; Times 0.66, Helvetica 0.72)
_COMMON = (r"\usepackage{xcolor}\usepackage[a4paper]{geometry}\usepackage{graphicx}\usepackage{pict2e}" "\n"
           rf"{FORMULA_PREAMBLE}{TABLE_PREAMBLE}{MARKER}" "\n" + FURNITURE + "\n" + TABLE + "\n"
           r"\pagestyle{empty}\tracinglostchars=3\sloppy\relpenalty=10000\binoppenalty=10000")
PREAMBLES = {"en": r"\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage{textcomp}" "\n" + _COMMON,
             "zh": CJK_PREAMBLE + "\n" + "".join(rf"\setCJKfamilyfont{{{k}}}{{{v}}}" for k, v in CJK_FACES.items())
             + "\n" + _COMMON}


def select_family(family: str) -> str:
    """The LaTeX making `family` (of `FAMILIES`) the default, selected by the next `\\normalfont`."""
    if family in CJK_FACES:
        latin = "sf" if family == "hei" else "rm"
        return (f"\\renewcommand\\CJKrmdefault{{{family}}}\\renewcommand\\CJKsfdefault{{{family}}}"
                f"\\renewcommand\\familydefault{{\\{latin}default}}")
    return f"\\renewcommand\\rmdefault{{{family}}}\\renewcommand\\familydefault{{\\rmdefault}}"


@dataclass(frozen=True)
class PageStyle:
    """One document's look; recorded in each sample's meta.

    Attributes:
        paper: a key of `PAPERS`.
        margins: left, right, top, bottom, in points.
        family: the text font family (a key of `FAMILIES[lang]`).
        size: font size in points; `leading` the baseline distance over the size.
        parindent, parskip: paragraph indent and extra space between paragraphs, in points.
        columns: 1 or 2 (two columns `COLUMN_SEP` apart, read left column then right).
        hyphenate: TeX may hyphenate words at line ends (English; the target keeps the word whole,
            except at the page's very end, where it is cut as the page cuts it, "exam-").
        numbered: section headings numbered by the document ("2.1 Title").
        head: the running head printed above the text of the document's first page ("" for none): its chapter's
            title; a page after a chapter's heading prints that chapter's (a page's sample records its own).
        page: the first page's number, printed below the text (0 for none).
        shrink_floor: the smallest size, in points, a table's or displayed formula's text may be shrunk to (0: no
            floor); a table too wide for the line is set smaller (`TABLE_SIZES`) or shrunk, never under it.
    """

    paper: str
    margins: tuple[float, float, float, float]
    family: str
    size: float
    leading: float
    parindent: float
    parskip: float
    columns: int = 1
    hyphenate: bool = False
    numbered: bool = False
    head: str = ""
    page: int = 0
    shrink_floor: float = 0.0

    @property
    def text_box(self) -> tuple[float, float]:
        """Width and height of the text area, in points."""
        width, height = PAPERS[self.paper]
        left, right, top, bottom = self.margins
        return width - left - right, height - top - bottom

    def capacity(self, lang: str) -> float:
        """About how many characters of prose fill the text area."""
        width, height = self.text_box
        per_line = (width - COLUMN_SEP * (self.columns - 1)) / (self.size * (0.47 if lang == "en" else 1.0))
        return per_line * self.columns * height / (self.size * self.leading) * 0.9

    @property
    def line_width(self) -> float:
        """A column's width, in points."""
        return (self.text_box[0] - COLUMN_SEP * (self.columns - 1)) / self.columns

    def table_sizes(self) -> tuple[tuple[float, float], ...]:
        """The sizes (and leadings) a table too wide at the body's size is tried at: smaller than the body, not
        under the floor."""
        return tuple((size, lead) for size, lead in TABLE_SIZES if self.shrink_floor <= size < self.size)

    def table_stretch(self) -> float:
        """How much wider than the line a table at its last size may be: shrunk to the line, its text stays
        at the floor or over it."""
        if not self.shrink_floor:
            return 30.0  # as good as unbounded (TeX's dimensions stop at 16384 pt)
        smallest = min([self.size, *(size for size, _ in self.table_sizes())])
        return max(1.0, smallest / self.shrink_floor)

    @property
    def display_tokens(self) -> int | None:
        """The most LaTeX tokens (`engines.formulas.content.latex_tokens`) a displayed formula is drawn with on
        this page, so that shrunk to its room (0.84 of the line beside a number) its text stays at the floor or
        over it; None without a floor. Measured on 150 drawn formulas at 10 pt: none of 60 tokens or fewer is
        wider than 318 pt, 5.3 pt a token (the rare wider one is flagged by TeX and its page refused)."""
        return int(0.84 * self.line_width * 10 / self.shrink_floor / 5.3) if self.shrink_floor else None

    def table_fits(self, tabular: str) -> bool:
        """Whether `tabular`, estimated (`natural_width`, 20% spare for the estimate's error), prints on this
        page's line at the floor or over it."""
        smallest = min([self.size, *(size for size, _ in self.table_sizes())])
        return natural_width(tabular, smallest) * 1.2 <= self.line_width * self.table_stretch()

    def framed(self, body: str) -> str:
        """A page's target from its body's: the running head first and the page number last, where the page
        prints them, as a reader of the page reads them (above the text, below it)."""
        return "\n\n".join([*([self.head] if self.head else []), body, *([str(self.page)] if self.page else [])])

    def unframed(self, target: str) -> tuple[PageStyle, str]:
        """The inverse of `framed`: this style with the head and page number the target says, and the body.

        Raises:
            ValueError: the style prints a head or a number where the target has no paragraph for it.
        """
        chunks, style = target.split("\n\n"), self
        if self.head:
            if len(chunks) < 2:
                raise ValueError("no running head before the body, though the page prints one")
            style, chunks = replace(style, head=chunks[0]), chunks[1:]
        if self.page:
            if len(chunks) < 2 or not chunks[-1].isdigit():
                raise ValueError("no page number after the body, though the page prints one")
            style, chunks = replace(style, page=int(chunks[-1])), chunks[:-1]
        return style, "\n\n".join(chunks)

    def setup(self) -> str:
        """The LaTeX that starts a document on a fresh page in this style (every setting made anew, so
        nothing carries over from the document before it in a batch)."""
        width, height = PAPERS[self.paper]
        (left, _, top, _), (text_w, text_h) = self.margins, self.text_box
        family = select_family(self.family)
        font = f"\\fontsize{{{self.size}}}{{{self.size * self.leading:.2f}}}\\selectfont"
        # the head prints the chapter in force at the page's end (`\\leftmark`: the last mark on the page, a chapter's
        # heading sets one, `Block.mark`), this style's `head` until a chapter's heading changes it
        head = "\\hfil{\\normalfont\\small\\itshape\\gotx{A}\\leftmark\\gotx{Z}}\\hfil" if self.head else ""
        mark = f"\\markboth{{{self.head}}}{{{self.head}}}" if self.head else ""
        foot = "\\hfil{\\normalfont\\small\\gotx{A}\\thepage\\gotx{Z}}\\hfil" if self.page else ""
        penalty = 50 if self.hyphenate else 10000
        sizes = "".join(f"\\gotsize{{{size}}}{{{lead}}}" for size, lead in self.table_sizes())
        columns = f",twocolumn,columnsep={COLUMN_SEP}pt" if self.columns == 2 else ",onecolumn"
        return (f"\\clearpage\\pdfpagewidth={width}pt\\pdfpageheight={height}pt\\paperwidth={width}pt"
                f"\\paperheight={height}pt\n\\newgeometry{{left={left}pt,top={top}pt,textwidth={text_w}pt,"
                f"textheight={text_h}pt{columns}}}\n{family}\\normalfont{font}\\setlength\\parindent{{{self.parindent}pt}}"
                f"\\setlength\\parskip{{{self.parskip}pt}}\\hyphenpenalty={penalty}\\exhyphenpenalty={penalty}\n"
                f"\\gotfurniture{{{head}}}{{{foot}}}{mark}\\setcounter{{page}}{{{max(self.page, 1)}}}\n"
                f"\\def\\gotsizes{{{sizes}}}\\def\\gotstretch{{{self.table_stretch():.4f}}}"
                f"\\def\\gotdstretch{{{self.size / self.shrink_floor if self.shrink_floor else 30.0:.4f}}}")

    def to_dict(self) -> dict:
        return asdict(self)


# About how many characters of a page's `capacity` one Qwen token of its target covers (markup, formulas and tables
# included), measured on 20 generated documents: a style of capacity 3,300 (English) or 1,500 (Chinese) prints
# pages of 200-650 tokens, a few tables more.
CHARS_PER_TOKEN = {"en": 5.5, "zh": 2.5}
ROOM_TRIES = 50


def draw_style(rng: np.random.Generator, lang: str, head: str = "", shrink_floor: float = 0.0,
               tokens: int = 0) -> PageStyle:
    """A page style drawn from what papers, reports and books use (`_draw_style`); with `tokens`, one whose
    page holds about that many Qwen tokens or fewer (`CHARS_PER_TOKEN`): drawn again until it does (larger
    type, wider margins, smaller paper, one column), the last of `ROOM_TRIES` draws taken if none does."""
    for _ in range(ROOM_TRIES):
        style = _draw_style(rng, lang, head, shrink_floor)
        if not tokens or style.capacity(lang) <= tokens * CHARS_PER_TOKEN[lang]:
            break
    return style


def _draw_style(rng: np.random.Generator, lang: str, head: str, shrink_floor: float) -> PageStyle:
    """A page style: one column or (one in three) two, a running head (`head`, when given, one in two) and a page
    number (one in two), numbered sections one in two, English hyphenated one in two; tables never shrunk under
    `shrink_floor` points."""
    side, top = float(rng.integers(50, 91)), float(rng.integers(50, 91))
    parindent = float(rng.choice([0.0, 15.0, 20.0]))
    paper, family = str(rng.choice(list(PAPERS))), str(rng.choice(FAMILIES[lang]))
    size, leading = float(rng.choice([10.0, 10.95, 12.0])), float(rng.choice([1.2, 1.25, 1.4]))
    parskip = float(rng.choice([0.0, 4.0])) if parindent else 6.0  # paragraphs stay apart
    columns = 2 if paper != "b5" and rng.random() < 1 / 3 else 1
    hyphenate = lang == "en" and bool(rng.random() < 0.5)
    numbered = bool(rng.random() < 0.5)
    running = head if head and rng.random() < 0.5 else ""
    page = int(rng.integers(1, 40)) if rng.random() < 0.5 else 0
    return PageStyle(paper=paper, margins=(side, side, top, top), family=family, size=size, leading=leading,
                     parindent=parindent, parskip=parskip, columns=columns, hyphenate=hyphenate, numbered=numbered,
                     head=running, page=page, shrink_floor=shrink_floor)


_CELL_MARKUP = re.compile(r"\\multirow\{[^{}]*\}\{[^{}]*\}|\\(?:textbf|mathbf|mathrm)|[{}$^]|\\(?=[%&$#_])")
_COMMAND = re.compile(r"\\[a-zA-Z]+")
_WIDE = re.compile(f"[{HAN_RANGES}\u3000-\u303f\uff00-\uffef]")


def natural_width(tabular: str, size: float) -> float:
    """About how wide, in points, `tabular` prints at `size` points: each column's widest single cell (half an
    em a Latin character, a whole one a Chinese one), 6 pt padding each side. Against TeX's measure on 350
    generated tables, English and Chinese: 0.89 to 1.26 of the estimate (median 1.0)."""
    spec = re.match(r"\\begin\{tabular\}\{([^}]*)\}", tabular)
    columns = len(re.findall(r"[lcrp]", spec[1])) if spec else 1
    widest = [0.0] * columns
    for line in tabular.splitlines():
        cells = re.split(r"(?<!\\)&", line.rstrip()[:-2]) if line.rstrip().endswith("\\\\") else []
        if len(cells) != columns:
            continue
        for k, cell in enumerate(cells):
            if "\\multicolumn" not in cell:
                text = _COMMAND.sub("x", _CELL_MARKUP.sub("", cell)).strip()
                widest[k] = max(widest[k], size * sum(1.0 if _WIDE.match(c) else 0.5 for c in text))
    return sum(widest) + columns * 12.0


def document_latex(index: int, setup: str, blocks: list[Block]) -> str:
    """One document's LaTeX (document `index` of its batch): its set-up, then its blocks, items in lists, a
    footnote inside the paragraph whose mark it follows."""
    out, in_list = [setup], False
    for b, block in enumerate(blocks):
        if block.kind == "footnote":
            continue
        if in_list and (block.kind != "item" or block.opens):
            out.append("\\end{itemize}")
            in_list = False
        if block.kind == "item" and not in_list:
            out.append("\\begin{itemize}")
            in_list = True
        follows = blocks[b + 1] if b + 1 < len(blocks) else None
        note = follows.latex(index, b + 1) if follows is not None and follows.kind == "footnote" else ""
        out.append(block.latex(index, b, note))
    if in_list:
        out.append("\\end{itemize}")
    return "\n\n".join(out) + "\n"


# pdfTeX writes a font file's glyph positions rounded for the size the run first ships it at, so without care a
# page's pixels depend on its batch: one whose fonts an earlier document shipped at another base size has glyphs
# up to 0.02 pt off (a page of 40 differed by 7,129 pixels). So every pdfTeX run first ships one page
# (`warm_page`) holding every face a document can use, at the sizes a document can use them, in one fixed order:
# each font file is then first shipped at the same size in every run, and a page is the same pixels alone or in
# any batch. xelatex's driver (xdvipdfmx) places glyphs the same whatever was shipped before (measured: a
# Chinese page alone and after pages of other faces and sizes, 0 pixels apart), so it needs none.
WARM_SIZES = (10.0, 1.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.95, 12.0, 14.4, 17.28, 20.74, 24.88)  # 10 pt first
_SHAPES = (("m", "n"), ("m", "it"), ("bx", "n"))  # body, running head, headings and bold cells
_MATH = (r"$Ax^{x^{x}}_{i}\sum\int\prod\sqrt{x}\mathbb{R}\mathcal{X}\mathbf{x}\mathrm{d}\boldsymbol{x\alpha}\leqslant"
         r"\partial\infty\Big(\displaystyle\sum\int\Big)$")


def warm_page(lang: str) -> str:
    """The LaTeX shipping the page that opens every pdfTeX run ("" for xelatex): each English text family in
    each series and shape a document uses, with textcomp's bullet and degree sign, and the math fonts, at every
    size of `WARM_SIZES`. It carries no marker, so neither the split nor the redraw takes it for a document's
    page."""
    if ENGINE[lang] != "pdflatex":
        return ""
    text = "".join(f"{{{select_family(f)}\\normalfont\\fontseries{{{series}}}\\fontshape{{{shape}}}\\selectfont "
                   "A\\textbullet\\textdegree}" for f in FAMILIES[lang] for series, shape in _SHAPES)
    sizes = "".join(f"{{\\fontsize{{{size}}}{{{size}}}\\selectfont{text}{_MATH}}}" for size in WARM_SIZES)
    return f"\\shipout\\hbox{{{sizes}}}\n"


def batch_latex(lang: str, documents: list[str]) -> str:
    """The LaTeX file compiling a batch of documents (from `document_latex`), each on its own pages, after the
    page that ships every face first where the engine needs it (`warm_page`)."""
    return (f"\\documentclass{{article}}\n{PREAMBLES[lang]}\n\\begin{{document}}\n{warm_page(lang)}"
            + "".join(documents) + "\\end{document}\n")
