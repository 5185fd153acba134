"""The blocks a generated page is made of, each written twice: as LaTeX (with markers) and as Mathpix markdown.

Why two writings of one structure: the target must say exactly what a page shows, and a page break can
fall inside a paragraph or a list item. So each block is a list of segments (runs of prose and inline
formulas), and every segment's LaTeX starts with an invisible marker (`MARKER`: 1 pt white text in a
zero-width box, so it changes neither the layout nor the pixels, but stays in the PDF's text layer).
`engines.pages.split` reads which markers landed on which page and cuts each block's markdown there;
a prose run that a page break cuts is cut after the words the page's text layer shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Defined in the document's preamble: \gotm{id} typesets "GOTM<id>." invisibly, taking no room.
MARKER = r"\providecommand\gotm[1]{\leavevmode\rlap{\fontsize{1}{1}\selectfont\color{white}GOTM#1.}}"


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

    def latex(self) -> str:
        return f"\\({self.text}\\)" if self.math else self.text

    def markdown(self) -> str:
        return f"\\({self.text}\\)" if self.math else self.text


@dataclass(frozen=True)
class Block:
    """One block of a page.

    Attributes:
        kind: "heading", "paragraph", "item", "display" (a displayed formula) or "table" (a tabular).
        segments: the runs a page break may separate (one for headings, formulas and tables).
        level: heading level (1 = section, 2 = subsection).
        label: a list item's label as printed ("1.", or "" for a bullet, written "-" in markdown).
        continued: a paragraph that began on an earlier page: no indent, and its text opens the page.
        opens: a list item that starts a new list.
    """

    kind: str
    segments: tuple[Segment, ...]
    level: int = 1
    label: str = ""
    continued: bool = False
    opens: bool = False

    def latex(self, doc: int, index: int) -> str:
        """The block's LaTeX, every segment after its own marker."""
        runs = [f"\\gotm{{{marker(doc, index, k)}}}{s.latex()}" for k, s in enumerate(self.segments)]
        body = "".join(runs)
        if self.kind == "heading":
            return f"\\{'sub' * (self.level - 1)}section*{{{body}}}"
        if self.kind in ("display", "table"):  # centred, shrunk to the text width when wider
            body = f"$\\displaystyle {self.segments[0].text}$" if self.kind == "display" else self.segments[0].text
            return (f"\\begin{{center}}\\gotm{{{marker(doc, index, 0)}}}\\begin{{adjustbox}}{{max width=\\linewidth}}"
                    f"{body}\\end{{adjustbox}}\\end{{center}}")
        if self.kind == "item":
            label = self.label or "\\textbullet"
            return f"\\item[\\gotm{{{marker(doc, index, 'L')}}}{label}]{body}"
        return ("\\noindent " if self.continued else "") + body

    def markdown(self, first: int = 0, last: int | None = None, cut: dict[int, str] | None = None,
                 starts: bool = True) -> str:
        """The block's Mathpix markdown, or the part of it a page shows.

        Args:
            first, last: the segments shown (from `first` to `last` inclusive; all when None).
            cut: for prose segments a page break cuts, the part this page shows, by segment index.
            starts: the page shows the block's start (a list item's label is written only then).

        Returns:
            "# Title" for headings, "\\[ ... \\]" for formulas, the tabular as written for tables, "- " or
            "1. " before the start of a list item, prose with "\\( ... \\)" inline formulas otherwise.
        """
        cut = cut or {}
        last = len(self.segments) - 1 if last is None else last
        text = "".join(cut.get(k, self.segments[k].markdown()) for k in range(first, last + 1)).strip()
        if self.kind == "heading":
            return "#" * self.level + " " + text
        if self.kind == "display":
            return f"\\[{self.segments[0].text}\\]"
        if self.kind == "item" and starts:
            return f"{self.label or '-'} {text}"
        return text


@dataclass
class Document:
    """A generated document: its page style (LaTeX set-up lines) and blocks, in order."""

    lang: str
    setup: str
    blocks: list[Block] = field(default_factory=list)
    style: dict = field(default_factory=dict)
