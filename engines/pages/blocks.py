"""The blocks a generated page is made of, each written twice: as LaTeX (with markers) and as Mathpix markdown.

Why two writings of one structure: the target must say exactly what a page shows, and a page break can
fall inside a paragraph or a list item. So each block is a list of segments (runs of prose and inline
formulas), and every segment's LaTeX starts with an invisible marker (`MARKER`: 1 pt white text in a
zero-width box, so it changes neither the layout nor the pixels, but stays in the PDF's text layer).
`engines.pages.split` reads which markers landed on which page and cuts each block's markdown there;
a prose run that a page break cuts is cut after the words the page's text layer shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# What prose may hold that TeX reads as markup, and what each prints as written: in both preambles (pdflatex with T1,
# xelatex with fontspec's TeX ligatures, where a straight double quote or a backtick would print curly), every one
# prints its own code point (`engines.pages.split` checks the text layer unit by unit). A backslash and braces are no
# prose of a page (`engines.pages.content` refuses them): a segment may be LaTeX the engine writes itself (a redraw's
# tall rule).
ESCAPES = {"#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&", "_": r"\_", "~": r"\textasciitilde{}",
           "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
           '"': r"\textquotedbl{}", "`": r"\textasciigrave{}", "\u2192": r"\textrightarrow{}"}
SPECIAL = re.compile("|".join(map(re.escape, ESCAPES)))


# A long run without a space (a URL, a path): TeX may break its line after a slash, a dot, an underscore or a hyphen
# in it, where it printed it whole past the column's edge and off the page (a Chinese page lost "namespaces.html"'s
# last letter; an apt list's file name ran off a page, which was refused)
LONG_WORD = re.compile(r"\S{16,}")
WORD_BREAK = re.compile(r"(?<=[/._-])(?=\w)")


def escaped(text: str) -> str:
    """Prose as LaTeX that prints it character for character (`ESCAPES`), a long word breakable (`LONG_WORD`)."""
    text = LONG_WORD.sub(lambda m: WORD_BREAK.sub("\x00", m[0]), text)
    return SPECIAL.sub(lambda m: ESCAPES[m[0]], text).replace("\x00", r"\allowbreak{}")


# Defined in the document's preamble: \gotm{id} typesets "GOTM<id>." invisibly, taking no room.
MARKER = r"\providecommand\gotm[1]{\leavevmode\rlap{\fontsize{1}{1}\selectfont\color{white}GOTM#1.}}"


# How a paragraph that goes on with the formula displayed above it opens ("where \\(x\\) is ..."): it is set
# flush left, as papers set it (its markdown alone says so, so a redraw of the target sets it so too).
CLAUSE = ("where ", "其中，")


def marker(doc: int, block: int, segment: int | str) -> str:
    """The marker id of one segment, unique in a compiled batch: (document, block, segment or "L" for a label)."""
    return f"{doc}x{block}x{segment}"


@dataclass(frozen=True)
class Segment:
    """A run inside a block: prose (`math` False) or an inline formula body (`math` True).

    Prose keeps its own spaces ("text " before a formula, ", more" after it), so the runs join with nothing.
    """

    text: str
    math: bool = False
    tex: str = ""
    note: int = 0

    def latex(self, note: str = "") -> str:
        """The run's LaTeX: `tex` where it is drawn otherwise than its markdown says (a footnote's own
        number), `\\footnote[n]{note}` for a footnote mark (`note` the footnote's LaTeX), else the text
        (prose `escaped`)."""
        if self.note:
            return f"\\footnote[{self.note}]{{{note}}}"
        if self.tex:
            return self.tex
        return f"\\({self.text}\\)" if self.math else escaped(self.text)

    def markdown(self) -> str:
        return f"\\({self.text}\\)" if self.math else self.text


def merge(segments: list[Segment] | tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Adjacent prose runs joined into one (a page break cuts prose by units, so a run is a run)."""
    out: list[Segment] = []
    for s in segments:
        if out and not s.math and not out[-1].math and not s.note and not out[-1].note and not s.tex and not out[-1].tex:
            out[-1] = Segment(out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)


@dataclass(frozen=True)
class Block:
    """One block of a page.

    Attributes:
        kind: "heading", "paragraph", "item", "display" (a displayed formula), "table" (a tabular, its
            caption over it as the first of two segments),
            "figure" (a drawing, `picture`, with its caption as segments) or "footnote" (the text of the
            mark a paragraph before it carries: it is typeset by that paragraph's `\\footnote`).
        segments: the runs a page break may separate (one for headings and formulas; a table's caption and
            tabular stay together).
        level: heading level (1 = section, 2 = subsection).
        label: a list item's label as printed ("1.", or "" for a bullet, written "-" in markdown).
        continued: a paragraph that began on an earlier page: no indent, and its text opens the page (a
            paragraph opening with a `CLAUSE` is not indented either); a list item that began on an earlier page:
            its label is there, so none is printed (its text at the list's margin).
        opens: a list item that starts a new list.
        tag: a displayed formula's equation number, printed at the right ("" for none).
        picture: a figure's drawing (LaTeX `picture` commands; no text, so the caption is all it says).
        mark: a heading opening a chapter: the chapter's title, which the running head prints from the heading's
            page on (a LaTeX mark in the heading's line, so the page that prints the heading carries it).
    """

    kind: str
    segments: tuple[Segment, ...]
    level: int = 1
    label: str = ""
    continued: bool = False
    opens: bool = False
    tag: str = ""
    picture: str = ""
    mark: str = ""

    def latex(self, doc: int, index: int, note: str = "") -> str:
        """The block's LaTeX, every segment after its own marker (`note`: the LaTeX of the footnote whose
        mark a segment of this block carries, from the footnote block's `latex`)."""
        runs = [f"\\gotm{{{marker(doc, index, k)}}}{s.latex(note)}" for k, s in enumerate(self.segments)]
        body = "".join(runs)
        if self.kind == "heading":
            mark = f"\\markboth{{{self.mark}}}{{{self.mark}}}" if self.mark else ""
            return f"\\{'sub' * (self.level - 1)}section*{{{mark}{body}}}"
        if self.kind == "footnote":
            return body
        if self.kind == "figure":  # not a float: the figure stays where the text puts it
            return (f"\\begin{{center}}\\begin{{minipage}}{{\\linewidth}}\\centering{self.picture}\\par\\smallskip"
                    f"{{\\small {body}\\par}}\\end{{minipage}}\\end{{center}}")
        if self.kind == "display" and self.tag:  # shrunk to the room the number leaves when wider
            return (f"\\begin{{equation*}}\\gotm{{{marker(doc, index, 0)}}}\\gotdisplay{{0.84}}"
                    f"{{$\\displaystyle {self.segments[0].text}$}}\\tag{{{self.tag}}}\\end{{equation*}}")
        if self.kind == "display":  # centred, shrunk to the text width when wider
            return (f"\\begin{{center}}\\gotm{{{marker(doc, index, 0)}}}\\gotdisplay{{1}}"
                    f"{{$\\displaystyle {self.segments[0].text}$}}\\end{{center}}")
        if self.kind == "table":  # its caption over it, kept together; the tabular centred, set smaller or shrunk
            caption = runs[:-1]  # when wider, never under the page's floor
            shown = f"\\gotm{{{marker(doc, index, len(caption))}}}\\gottable{{{self.segments[-1].text}}}"
            if not caption:
                return f"\\begin{{center}}{shown}\\end{{center}}"
            return (f"\\begin{{center}}\\begin{{minipage}}{{\\linewidth}}\\centering{{\\small {caption[0]}\\par}}\\smallskip"
                    f"{shown}\\end{{minipage}}\\end{{center}}")
        if self.kind == "item" and self.continued:
            return f"\\item[]{body}"
        if self.kind == "item":
            label = self.label or "\\textbullet"
            return f"\\item[\\gotm{{{marker(doc, index, 'L')}}}{label}]{body}"
        flush = self.continued or self.segments[0].text.startswith(CLAUSE)
        return ("\\noindent " if flush else "") + body

    def whole(self, segment: int) -> bool:
        """Whether segment `segment` is drawn whole (a formula, a tabular), not prose a page break may cut."""
        return self.segments[segment].math or self.kind == "display" or (
            self.kind == "table" and segment == len(self.segments) - 1)

    def markdown(self, first: int = 0, last: int | None = None, cut: dict[int, str] | None = None,
                 starts: bool = True) -> str:
        """The block's Mathpix markdown, or the part of it a page shows.

        Args:
            first, last: the segments shown (from `first` to `last` inclusive; all when None).
            cut: for prose segments a page break cuts, the part this page shows, by segment index.
            starts: the page shows the block's start (a list item's label is written only then).

        Returns:
            "# Title" for headings, "\\[ ... \\]" for formulas (with "\\tag{n}" when numbered), a table's
            caption and its tabular as written, a blank line apart, "- " or "1. " before the start of a list
            item, prose with "\\( ... \\)" inline formulas otherwise (a figure is its caption; a footnote "\\({ }^{1}\\) text").
        """
        cut = cut or {}
        last = len(self.segments) - 1 if last is None else last
        if self.kind == "table":  # the caption, then the tabular
            return "\n\n".join(s.text for s in self.segments[first:last + 1])
        text = "".join(cut.get(k, self.segments[k].markdown()) for k in range(first, last + 1)).strip()
        if self.kind == "heading":
            return "#" * self.level + " " + text
        if self.kind == "display":
            return f"\\[{self.segments[0].text}" + (f" \\tag{{{self.tag}}}" if self.tag else "") + "\\]"
        if self.kind == "item" and starts:
            return f"{self.label or '-'} {text}"
        return text


@dataclass
class Document:
    """A generated document: its LaTeX set-up lines, its blocks in order, and the page style (a
    `engines.pages.layout.PageStyle`) they come from."""

    lang: str
    setup: str
    blocks: list[Block] = field(default_factory=list)
    style: Any = None
