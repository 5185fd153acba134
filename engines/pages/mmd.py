"""A paper's LaTeX source as Mathpix markdown: what a page of it should be read as, before splitting per page.

The trade-off: Nougat converts through LaTeXML's HTML, a heavy Perl tool, and still loses what it cannot
parse; this converter is a small pass over the source that handles what papers use most (sections
with their numbers, math kept as written, tables as `tabular`, figures as their captions, footnotes as a
mark and a note after the paragraph (moved to the foot of the page by `place_notes`), lists, citations and
references resolved from the compiled `.aux`, bibliographies dropped, `\\verb` and short-verb spans as typed)
and unwraps the rest. Whatever
it gets wrong shows up when a page is matched against the PDF's text (`engines.pages.nougat`), which
keeps only pages that match well, as Nougat does.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

from engines.everyday import en_day, zh_day
from engines.tex import Macros
from renderers.scripts import CJK_WIDE, xecjk_spaced

COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")  # % after an even run of backslashes ("\\\\%": a break, then one)
INPUT = re.compile(r"\\(?:input|include)\s*\{([^}]+)\}")
DROP_ENVS = ("algorithm", "algorithmic", "lstlisting", "tikzpicture",
             "thebibliography", "wrapfigure", "subfigure", "minipage")
MATH_ENVS = ("equation", "equation*", "displaymath", "align", "align*", "gather", "gather*", "multline", "multline*",
             "eqnarray", "eqnarray*", "flalign", "flalign*")
# Classes whose \maketitle prints a date, `\today` when no `\date` is given: the day the run is told
# (`LatexConfig.date_epoch`; a real paper's is `source.paper_date`), the epoch's first day unless told one.
DATED_CLASSES = ("article", "report", "book", "scrartcl", "scrreprt", "scrbook", "amsart", "ctexart", "ctexrep",
                 "ctexbook")
EPOCH = datetime.date(1970, 1, 1)
QUOTE_AFTER_CJK = re.compile(f'(?<={CJK_WIDE}) +(?=")')  # xeCJK sets no space between 过 and a `"` after it
QUOTE_BEFORE_CJK = re.compile(f'" *(?={CJK_WIDE})')  # ... and one between a `"` and 命 after it
# A `"` prints ” in TeX's OT1 fonts (pdflatex's and xelatex's default), as typed in T1 or with fontspec's fonts.
STRAIGHT_QUOTE = re.compile(r"\\usepackage\s*\[[^]]*\bT1\b[^]]*\]\s*\{fontenc\}|\\usepackage\s*(?:\[[^]]*\])?\s*\{fontspec\}")
CTEX = re.compile(r"\\usepackage\s*(?:\[[^]]*\])?\s*\{(?:[^}]*,)?\s*ctex\s*[,}]")
LEVELS = {"section": 1, "subsection": 2, "subsubsection": 3}
# (`\title`, `\author` and the like declare what `\maketitle` prints, where it prints it: `Converter.title_block`)
DROP_WITH_ARG = ("title", "author", "date", "affil", "affiliation", "institute",
                 "label", "vspace", "vspace*", "hspace", "hspace*", "bibliographystyle",
                 "bibliography", "includegraphics", "addbibresource", "pagestyle", "thispagestyle", "setlength",
                 "newcommand", "renewcommand", "def", "keywords", "acknowledgments", "fancyhead", "todo")
DIMENSION = re.compile(r"-?[\d.]*\s*(pt|em|ex|cm|mm|in|bp)|-?[\d.]*\\[a-z]*(width|height|skip)")
SIMPLE = {r"\{": "{", r"\}": "}", r"\ldots": "…", r"\dots": "…", r"\%": "%", r"\&": "&", r"\_": "_", r"\$": "$", r"\#": "#",
          "---": "—",
          "--": "–", "``": "“", "''": "”", "~": " ", r"\ ": " ", r"\,": " ", r"\LaTeX": "LaTeX", r"\TeX": "TeX",
          r"\@": "", r"\quad": " ", r"\qquad": " "}


def today(day: datetime.date, chinese: bool = False) -> str:
    """`day` as `\\today` prints it: "September 13, 2020" (LaTeX's own), "2020年9月13日" (ctex's)."""
    return zh_day(day) if chinese else en_day(day)


def expand_inputs(text: str, folder: Path, depth: int = 0) -> str:
    """The source with `\\input`/`\\include` files put in place (comments removed), read from `folder` only."""
    # A line that is only a comment goes whole: TeX's % eats its end of line, so it never makes a blank line.
    text = "\n".join(COMMENT.sub(r"\1", line) for line in text.splitlines() if not line.lstrip().startswith("%"))
    if depth > 8:
        return text

    def load(m: re.Match) -> str:
        name = m[1].strip()
        path = (folder / name).resolve()
        candidates = [path, path.with_name(path.name + ".tex")]
        found = next((p for p in candidates if p.is_file() and folder.resolve() in p.parents), None)
        return expand_inputs(found.read_text("utf-8", "replace"), folder, depth + 1) if found else ""

    return INPUT.sub(load, text)


VERB_MARK = re.compile("\ue000(\\d+)\ue001")  # where a verbatim span stood while the rest is converted
SHORT_VERB = re.compile(r"\\(?:MakeShortVerb|DefineShortVerb)\*?\s*\{\\(.)\}")


def protect_verbatim(source: str) -> tuple[str, list[str]]:
    """`source` with each inline verbatim span (`\\verb|...|`, and `|...|` where `\\MakeShortVerb{\\|}` of shortvrb
    made `|` its delimiter) replaced by a mark (`VERB_MARK`), and the spans' text as printed, by mark.

    Such a span prints as typed (`|\\chaptername|` prints "\\chaptername"), so it must pass the conversion
    untouched: read as commands and braces it came out as "||" or, macros expanded, as their bodies.
    """
    verbs: list[str] = []

    def mark(text: str) -> str:
        verbs.append(text)
        return f"\ue000{len(verbs) - 1}\ue001"

    begin = source.find("\\begin{document}")
    head, body = (source[:begin], source[begin:]) if begin >= 0 else ("", source)
    spans = [re.compile(r"\\verb\*?([^\w\s])(?P<text>.*?)\1")] + [
        re.compile(rf"(?<!\\){re.escape(c)}(?P<text>[^{re.escape(c)}\n]*){re.escape(c)}")
        for c in dict.fromkeys(SHORT_VERB.findall(source))]
    parts = re.split(r"(\\begin\{verbatim\*?\}.*?\\end\{verbatim\*?\})", body, flags=re.S)
    for k in range(0, len(parts), 2):  # verbatim environments print as typed already
        for span in spans:
            parts[k] = span.sub(lambda m: mark(m["text"]), parts[k])
    return head + "".join(parts), verbs


def expand_macros(text: str) -> str:
    """The source with the paper's simple macros expanded (`engines.tex.Macros`: arguments and defaults too).

    Papers name their recurring words and symbols (`\\mytitle`, `\\R`, `\\norm{x}`); the page prints
    their bodies, so the target says those. A source whose macros never settle is left as written.
    """
    macros = Macros()
    macros.collect(text)
    return macros.expand(text, limit=max(20000, 4 * len(text))) or text


def split_rows(body: str) -> list[str]:
    """The rows of a multi-line math environment: split at `\\\\` outside braces and inner environments."""
    rows, depth, start, i = [], 0, 0, 0
    while i < len(body):
        if body.startswith("\\begin{", i) or body[i] == "{":
            depth += 1
        elif body.startswith("\\end{", i) or body[i] == "}":
            depth -= 1
        elif body.startswith("\\\\", i) and depth == 0:
            rows.append(body[start:i])
            start, i = i + 2, i + 2
            continue
        i += 2 if body[i] == "\\" else 1
    rows.append(body[start:])
    return [row for row in rows if row.strip()]


def tagged(number: str | None) -> str:
    """` \\tag{number}` for a numbered equation, nothing for an unnumbered one."""
    return f" \\tag{{{number}}}" if number else ""


def argument(text: str, start: int) -> tuple[str, int]:
    """The brace group at `start` (after spaces and one optional [..] group): its content and the end index."""
    i = start
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] == "[":
        depth = 0
        while i < len(text):
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
            if depth == 0:
                break
        while i < len(text) and text[i] in " \t\n":
            i += 1
    if i >= len(text) or text[i] != "{":
        return "", start
    depth, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        j += 1
        if depth == 0:
            return text[i + 1:j - 1], j
    return text[i + 1:], len(text)


def aux_labels(aux: str) -> tuple[dict[str, str], dict[str, str]]:
    """(label -> number as printed, citation key -> label as printed) from a compiled document's `.aux`."""
    labels = {m[1]: m[2] for m in re.finditer(r"\\newlabel\{([^}]+)\}\{\{([^}]*)\}", aux)}
    cites = {}
    for m in re.finditer(r"\\bibcite\{([^}]+)\}\{(.*)\}\s*$", aux, re.M):
        groups, at = [], 0  # natbib's {number}{year}{{short authors}}{{long authors}}: braces nest ("2014{a}")
        while (found := argument(m[2], at))[1] != at:
            groups.append(found[0])
            at = found[1]
        if len(groups) >= 3 and groups[2].strip("{}"):
            cites[m[1]] = f"{_plain(groups[2])}, {_plain(groups[1])}"
        else:
            cites[m[1]] = _plain(groups[0]) if groups else m[2].strip("{}")
    return labels, cites


ACCENT = re.compile(r"(?<!\\)\\([`'^\"~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
COMBINING = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307", '"': "\u0308"}


def accents(text: str) -> str:
    """TeX's accent commands as the accented letters they print: `Merc{\\`e}re` -> "Mercère"."""
    return ACCENT.sub(lambda m: unicodedata.normalize("NFC", (m[2] or m[3]) + COMBINING[m[1]]), text)


def _plain(text: str) -> str:
    """A bibliography label from the `.aux` as printed: accents resolved, ties as spaces, braces dropped."""
    return accents(text).replace("~", " ").replace("{", "").replace("}", "").strip()


NOTE = re.compile(r"(?m)^(\\\(\{ \}\^\{[^{}]+\}\\\)) .*$")
SYMBOLS = ("*", "\\dagger", "\\ddagger", "\\S", "\\P", "\\|")  # \fnsymbol: the title's footnote marks


def split_notes(markdown: str) -> tuple[str, dict[str, str]]:
    """The markdown without its footnotes, and the notes by mark (`\\({ }^{1}\\)` -> the note's line).

    A page prints its notes at its foot, below text that may go on over the page: the body is split
    per page without them (`engines.pages.nougat` matches the page's body, its notes removed), and
    `place_notes` puts each note back on the page printing its mark.
    """
    notes = {m[1]: m[0] for m in NOTE.finditer(markdown)}
    return re.sub(r"\n{3,}", "\n\n", NOTE.sub("", markdown)).strip(), notes


def place_notes(pages: list[str], notes: dict[str, str] | None = None) -> list[str]:
    """Each footnote moved to the end of the page that prints its mark, notes in the order of their numbers (a
    page's footnotes print at its foot, after its text: the convention of the generated pages too).

    `notes` (from `split_notes`) are those of pages split without them; by default the pages' own."""
    if notes is None:
        notes = {m[1]: m[0] for page in pages for m in NOTE.finditer(page)}
    pages = [re.sub(r"\n{3,}", "\n\n", NOTE.sub("", page)).strip() for page in pages]
    out = []
    for page in pages:
        marks = [mark for mark in notes if mark in page]
        out.append("\n\n".join([page] + [notes[mark] for mark in marks]) if page else page)
    return out


def _authblk_names(names: list[str]) -> str:
    """Authors authblk prints on one line: "A", "A and B", "A, B, and C" (its \\Authand and \\Authands)."""
    return names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else (
        ", ".join(names[:-1]) + ", and " + names[-1])


class Converter:
    """One paper's LaTeX body to Mathpix markdown, numbering sections, tables and figures as LaTeX does."""

    def __init__(self, aux: str = "", day: datetime.date = EPOCH) -> None:
        self.labels, self.cites = aux_labels(aux)
        self.day = day  # the day `\\today` prints: the date the document was compiled with
        self.today, self.chinese = today(day), False
        self.quote = "”"  # what a `"` of the prose prints
        self.counters = [0, 0, 0]
        self.appendix = False
        self.tables = 0
        self.figures = 0
        self.notes_seen: list[int] = []
        self.symbolic = 0  # > 0 while converting the title block: footnotes marked *, \dagger, ... (this many so far)
        self.cls, self.options = "article", ""  # the document class and its options
        self.enddot = False
        self.theorems: dict[str, tuple[str, str | None, str]] = {}  # env -> (name, counter or None, head style)
        self.theorem_counts: dict[str, int] = {}
        self.notes: list[str] = []  # footnotes met in the paragraphs converted last, waiting to follow them
        self.equations = 0
        self.eq_by_section = False  # `\numberwithin{equation}{section}`: (2.3), restarting each section
        self.sub: list | None = None  # inside `subequations`: [the parent number, rows numbered so far]
        self.in_paragraph: set[str] = set()  # floats ("Figure 2") whose source stands inside a paragraph

    def convert(self, source: str) -> str:
        """The whole document's markdown: title, abstract and body up to the bibliography."""
        source, verbs = protect_verbatim(source)
        source = expand_macros(source)
        if (at := source.find("\\abstract{")) >= 0:  # the command form some classes take: the environment's output
            text, end = argument(source, at + len("\\abstract"))
            source = source[:at] + f"\\begin{{abstract}}{text}\\end{{abstract}}" + source[end:]
        self.eq_by_section = bool(re.search(r"\\numberwithin\s*\{equation\}\s*\{section\}", source))
        if cls := re.search(r"\\documentclass\s*(?:\[([^]]*)\])?\s*\{([^}]*)\}", source):
            self.options, self.cls = cls[1] or "", cls[2].strip()
        self.chinese = self.cls.startswith("ctex") or bool(CTEX.search(source))  # ctex names dates and heads in Chinese
        self.today = today(self.day, chinese=self.chinese)
        self.quote = '"' if STRAIGHT_QUOTE.search(source) else "”"
        source = re.sub(r"\\today(?![A-Za-z])[ \t]*\n?[ \t]*", lambda _: self.today, source)  # TeX eats the space
        self.collect_theorems(source)
        # KOMA-Script ends section numbers with a dot when an appendix numbers with letters ("2.1.").
        self.enddot = self.cls.startswith("scr") and "\\appendix" in source
        title, _ = argument(source, source.find("\\title") + 6) if "\\title" in source else ("", 0)
        begin = source.find("\\begin{document}")
        body = source[begin + len("\\begin{document}"):] if begin >= 0 else source
        # `\title`, `\author` and `\date` declare what `\maketitle` prints, also when given after \begin{document}
        made = body.find("\\maketitle")
        front = source[:begin + len("\\begin{document}") + made] if begin >= 0 and made >= 0 else source[:max(begin, 0)]
        body = re.split(r"\\end\{document\}|\\bibliography\{|\\printbibliography|\\begin\{thebibliography\}", body)[0]
        self.symbolic = 1
        parts = [f"# {self.inline(title)}"] if title.strip() else []
        parts += self.title_block(front)
        self.symbolic = 0
        parts.append(self.blocks(body))
        return VERB_MARK.sub(lambda m: verbs[int(m[1])], "\n\n".join(p for p in parts if p.strip()))

    def collect_theorems(self, source: str) -> None:
        """The paper's `\\newtheorem`s: each environment's name, the counter it numbers with (None when starred)
        and how its head prints: "amsthm" ("Theorem 2 (note)."), "kernel" (no final dot) or "note" (a
        `\\newtheoremstyle` whose head is `\\thmnote{#1 }#3`: "Step 3.", the note as the number)."""
        styles = {m[1]: "note" for m in re.finditer(r"\\newtheoremstyle\{(\w+)\}(?:\{[^{}]*\}){7}\{\\thmnote\{#1 ?\}#3\}",
                                                  source)}
        style, amsthm = "plain", "amsthm" in source or "ntheorem" in source
        for m in re.finditer(r"\\theoremstyle\{(\w+)\}|\\newtheorem(\*?)\{(\w+)\}(?:\[(\w+)\])?\{([^}]*)\}", source):
            if m[1]:
                style = m[1]
                continue
            head = styles.get(style, "amsthm" if amsthm else "kernel")
            self.theorems[m[3]] = (m[5], None if m[2] else (m[4] or m[3]), head)

    def theorem(self, env: str, inner: str) -> str:
        """A theorem-like environment as printed: its head, then its text."""
        name, counter, style = self.theorems[env]
        note = re.match(r"\s*\[([^\]]*)\]", inner)
        inner = inner[note.end():] if note else inner
        number = ""
        if counter is not None:
            self.theorem_counts[counter] = self.theorem_counts.get(counter, 0) + 1
            number = f" {self.theorem_counts[counter]}"
        if style == "note":
            head = f"{name} {self.inline(note[1])}." if note else ""
        else:
            head = f"{name}{number}" + (f" ({self.inline(note[1])})" if note else "") + ("." if style == "amsthm" else "")
        body = self.blocks(inner)
        return "\n\n" + (f"{head} {body}" if head else body) + "\n\n"

    def title_block(self, preamble: str) -> list[str]:
        """The authors, their affiliations and the date as `\\maketitle` prints them below the title, one line each.

        Names joined by `\\and` or broken by `\\\\` become lines; `\\thanks` footnotes are marked with
        symbols (*, \\dagger, ...), their notes go to the page's foot; e-mail addresses are left out. Read from
        the preamble and `\\author`-like
        commands (`\\affiliation`, `\\affil` of authblk, `\\institute`, `\\address`) in the order written;
        then `\\date`, or the day compiled (`today`) where the class prints one unasked.
        """
        lines: list[str] = []
        authblk = re.search(r"\\affil(?![A-Za-z])", preamble) is not None
        names: list[str] = []  # authblk: consecutive \author names, printed on one line ("A, B, and C")
        for m in re.finditer(r"\\(author|affiliation|affil|institute|address)(?![A-Za-z])", preamble):
            arg, _ = argument(preamble, m.end())
            arg = re.sub(r"\\email\s*\{(?:[^{}]|\{[^{}]*\})*\}", "", arg)
            if authblk and m[1] == "author":
                names.append(self.inline(arg).strip(" ,"))
                continue
            if names:
                lines.append(_authblk_names(names))
                names = []
            for part in re.split(r"\\and(?![A-Za-z])|\\\\", arg):
                line = self.inline(part).strip(" ,")
                if line:
                    lines.append(line)
        if names:
            lines.append(_authblk_names(names))
        date = re.search(r"\\date(?![A-Za-z])", preamble)
        cls = re.search(r"\\documentclass\s*(?:\[[^]]*\])?\s*\{([^}]*)\}", preamble)
        if date:
            text = self.inline(argument(preamble, date.end())[0]).strip()
            lines += [text] if text else []
        elif lines and cls and cls[1].strip() in DATED_CLASSES:
            lines.append(self.today)
        return ["\n".join(lines)] if lines else []

    def blocks(self, text: str) -> str:
        """Block-level conversion: environments, headings, paragraphs."""
        out, i = [], 0
        pattern = re.compile(r"\\begin\{([^}]+)\}|\\(section|subsection|subsubsection|paragraph)(\*?)|\\appendix"
                             r"|\$\$|\\\[")
        while True:
            m = pattern.search(text, i)
            out.append(self.inline(text[i:m.start() if m else len(text)], paragraphs=True))
            out += [f"\n\n{note}\n\n" for note in self.notes]
            self.notes = []
            if m is None:
                break
            if m[0] == "\\appendix":
                self.appendix, self.counters, i = True, [0, 0, 0], m.end()
            elif m[0] in ("$$", "\\["):
                close = "$$" if m[0] == "$$" else "\\]"
                end = text.find(close, m.end())
                end = len(text) if end < 0 else end
                out.append(f"\n\n\\[{self.math(text[m.end():end])}\\]\n\n")
                i = end + len(close)
            elif m[2]:
                arg, i = argument(text, m.end())
                out.append("\n\n" + self.heading(m[2], bool(m[3]), arg) + "\n\n")
            else:
                env = m[1]
                end = self._env_end(text, env, m.end())
                inner = text[m.end():end]
                i = min(len(text), end + len(f"\\end{{{env}}}"))
                before, after = text[:m.start()], text[i:]
                inside = (env.rstrip("*") in ("figure", "table") and not re.search(r"\n[ \t]*\n[ \t]*$", before)
                          and not re.match(r"[ \t]*\n[ \t]*\n", after) and bool(after.strip()))
                out.append(self.environment(env, inner))
                if inside:  # the paragraph goes on after the float: where LaTeX moves it, its two parts join
                    self.in_paragraph.add(f"{'Figure' if env.startswith('figure') else 'Table'} "
                                          f"{self.figures if env.startswith('figure') else self.tables}")
        return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip()

    @staticmethod
    def _env_end(text: str, env: str, start: int) -> int:
        """Where the `\\end{env}` closing an environment opened before `start` begins (nesting counted)."""
        depth, pos = 1, start
        opener, closer = f"\\begin{{{env}}}", f"\\end{{{env}}}"
        while depth:
            a, b = text.find(opener, pos), text.find(closer, pos)
            if b < 0:
                return len(text)
            if 0 <= a < b:
                depth, pos = depth + 1, a + len(opener)
            else:
                depth, pos = depth - 1, b + len(closer)
        return pos - len(closer)

    def heading(self, kind: str, starred: bool, title: str) -> str:
        if kind == "paragraph":
            return self.inline(title)
        level = LEVELS[kind]
        if starred:
            return "#" * level + " " + self.inline(title)
        self.counters[level - 1] += 1
        self.counters[level:] = [0] * (3 - level)
        if level == 1 and self.eq_by_section:
            self.equations = 0
        first = chr(ord("A") + self.counters[0] - 1) if self.appendix else str(self.counters[0])
        number = ".".join([first] + [str(c) for c in self.counters[1:level]]) + ("." if self.enddot else "")
        return "#" * level + f" {number} {self.inline(title)}"

    def environment(self, env: str, inner: str) -> str:
        if env in DROP_ENVS:
            return "\n\n"
        if env in MATH_ENVS:
            return "\n\n" + self.display_math(env, inner) + "\n\n"
        if env in ("figure", "figure*"):  # the drawing is not text: its caption is what the target says
            self.figures += 1
            caption, _ = argument(inner, inner.find("\\caption") + 8) if "\\caption" in inner else ("", 0)
            return f"\n\nFigure {self.figures}: {self.inline(caption)}\n\n" if caption else "\n\n"
        if env in ("table", "table*"):
            self.tables += 1
            tabulars = re.findall(r"\\begin\{tabular\*?\}.*?\\end\{tabular\*?\}", inner, re.S)
            caption, _ = argument(inner, inner.find("\\caption") + 8) if "\\caption" in inner else ("", 0)
            parts = [f"Table {self.tables}: {self.inline(caption)}"] if caption else []
            parts += [re.sub(r"\\label\{[^}]*\}", "", t).strip() for t in tabulars]
            return "\n\n" + "\n\n".join(parts) + "\n\n"
        if env in ("itemize", "enumerate", "description"):
            items = re.split(r"\\item\b", inner)[1:]
            lines = [f"{k + 1}. " if env == "enumerate" else "- " for k in range(len(items))]
            return "\n\n" + "\n".join(p + self.inline(item).strip() for p, item in zip(lines, items)) + "\n\n"
        if env == "abstract":  # KOMA-Script prints no heading unless asked (abstract=true)
            name = "摘要" if self.chinese else "Abstract"
            head = "" if self.cls.startswith("scr") and "abstract=true" not in self.options else f"## {name}\n\n"
            return "\n\n" + head + self.blocks(inner) + "\n\n"
        if env in self.theorems:
            return self.theorem(env, inner)
        if env == "verbatim":  # printed as typed, in a code block
            return "\n\n```\n" + inner.strip("\n") + "\n```\n\n"
        if env == "subequations":  # one number for the group, its equations (4a), (4b), ...
            self.equations += 1
            self.sub = [f"{self.counters[0]}.{self.equations}" if self.eq_by_section else str(self.equations), 0]
            try:
                return "\n\n" + self.blocks(inner) + "\n\n"
            finally:
                self.sub = None
        return "\n\n" + self.blocks(inner) + "\n\n"

    def display_math(self, env: str, inner: str) -> str:
        """A display environment with the equation numbers the page prints, as `\\tag{n}`.

        `equation` and `multline` take one number, each row of `align`, `gather`, `eqnarray` and `flalign`
        one (rows with `\\nonumber`/`\\notag` none, a hand-set `\\tag` its own); starred forms none.
        Numbered rows are written as `align*`/`gather*` rows, which take a tag each (`aligned` does not).
        """
        numbered = not env.endswith("*") and env != "displaymath"
        if env.startswith(("equation", "displaymath", "multline")):
            tag = self.number(inner) if numbered else None
            body = self.math(inner)
            if env.startswith("multline"):
                body = f"\\begin{{gathered}}{body}\\end{{gathered}}"
            return f"\\[{body}{tagged(tag)}\\]"
        rows = split_rows(inner)
        tags = [self.number(row) if numbered else None for row in rows]
        if not any(tags):
            return f"\\[\\begin{{aligned}}{self.math(inner)}\\end{{aligned}}\\]"
        name = "gather*" if env.startswith("gather") else "align*"
        lines = [self.math(row) + tagged(tag) for row, tag in zip(rows, tags)]
        return f"\\begin{{{name}}}\n" + " \\\\\n".join(lines) + f"\n\\end{{{name}}}"

    def number(self, math: str) -> str | None:
        """The number LaTeX prints beside one numbered equation or row (None for `\\nonumber` or a hand-set tag).

        A labelled equation's number is read from the compiled `.aux`, and the count follows it; others
        are counted, by section under `\\numberwithin{equation}{section}`.
        """
        if re.search(r"\\(nonumber|notag|tag)(?![A-Za-z])", math):
            return None
        label = re.search(r"\\label\{([^}]*)\}", math)
        printed = self.labels.get(label[1]) if label else None
        if self.sub is not None:
            self.sub[1] += 1
            return printed or f"{self.sub[0]}{chr(ord('a') + self.sub[1] - 1)}"
        self.equations += 1
        if printed:
            last = re.search(r"(\d+)$", printed)
            self.equations = int(last[1]) if last else self.equations
            return printed
        if self.eq_by_section:
            return f"{self.counters[0]}.{self.equations}"
        return str(self.equations)

    def math(self, body: str) -> str:
        """Math as written, without labels (tags the source sets by hand excepted) and blank lines (which would
        end a markdown math block; TeX ignores them there)."""
        return re.sub(r"\n\s*\n", "\n", re.sub(r"\\(label|nonumber|notag)(\{[^}]*\})?", "", body)).strip()

    def inline(self, text: str, paragraphs: bool = False) -> str:
        """Prose: inline math kept as \\( \\), citations and references resolved, formatting unwrapped."""
        text = re.sub(r"\n[ \t]*[{}]+[ \t]*(?=\n)", "", text)  # a line holding only a brace is no paragraph break
        text = accents(text)
        out, i = [], 0
        command = re.compile(r"\$|\\\(|\\([A-Za-z]+\*?)|\\[%&_$#@ ,{}]|---|--|``|''|~|\\\\")
        while True:
            m = command.search(text, i)
            out.append(text[i:m.start() if m else len(text)].replace("{", "").replace("}", ""))
            if m is None:
                break
            token, i = m[0], m.end()
            if token in ("$", "\\("):
                close = "$" if token == "$" else "\\)"
                end = text.find(close, i)
                end = len(text) if end < 0 else end
                out.append(f"\\({self.math(text[i:end])}\\)")
                i = end + len(close)
            elif token == "\\\\":
                out.append("\n")
                skip = re.match(r"\*?\s*(\[[^\]]*\])?", text[i:])
                i += skip.end()
            elif token in SIMPLE:
                out.append(SIMPLE[token])
            elif m[1]:
                name = m[1]
                if name in DROP_WITH_ARG:
                    _, i = argument(text, i)
                elif name in ("footnote", "thanks"):  # the mark here; the note after the paragraph (`place_notes`)
                    note, i = argument(text, i)
                    if self.symbolic:
                        mark, self.symbolic = SYMBOLS[(self.symbolic - 1) % len(SYMBOLS)], self.symbolic + 1
                    else:
                        self.notes_seen.append(len(self.notes_seen) + 1)
                        mark = str(self.notes_seen[-1])
                    out.append(f"\\({{ }}^{{{mark}}}\\)")
                    self.notes.append(f"\\({{ }}^{{{mark}}}\\) {self.inline(note)}")
                elif name.startswith("cite") or name in ("citep", "citet", "citealp"):
                    keys, i = argument(text, i)
                    out.append(self.citation(name, keys))
                elif name in ("ref", "eqref", "autoref", "cref", "Cref", "pageref"):
                    key, i = argument(text, i)
                    number = self.labels.get(key.strip(), "??")
                    out.append(f"({number})" if name == "eqref" else number)
                elif name in ("url", "texttt", "textbf", "textit", "emph", "textsc", "mbox", "text", "textrm",
                              "textsf", "underline", "textnormal", "href", "mathrm"):
                    arg, i = argument(text, i)
                    if name == "href":
                        arg, i = argument(text, i)
                    out.append(self.inline(arg))
                elif name == "cs":  # ltxdoc's command name, printed with its backslash
                    arg, i = argument(text, i)
                    out.append("\\" + arg.strip())
                elif name in SIMPLE or f"\\{name}" in SIMPLE:
                    out.append(SIMPLE.get(f"\\{name}", ""))
                elif name in ("vskip", "hskip", "kern"):
                    i += re.match(r"\s*-?[\d.]*\s*[a-z]*", text[i:]).end()
                else:  # an unknown command prints its arguments (dimensions and lengths excepted)
                    arg, end = argument(text, i)
                    while end != i:
                        out.append("" if DIMENSION.fullmatch(arg.strip()) else self.inline(arg))
                        i = end
                        arg, end = argument(text, i)
        result = "".join(out)
        if not paragraphs:
            return self.quoted(xecjk_spaced(result))
        paras = [self.quoted(xecjk_spaced(p)) for p in re.split(r"\n\s*\n", result)]
        return "\n\n" + "\n\n".join(p for p in paras if p) + "\n\n"

    def quoted(self, text: str) -> str:
        """`text` with each `"` as the paper's font prints it (`self.quote`), spaced beside Chinese as xeCJK sets it
        whatever the source's spaces (measured): none between a Chinese character and a `"` after it, a space
        between a `"` and a Chinese character after it."""
        if self.chinese:
            text = QUOTE_AFTER_CJK.sub("", QUOTE_BEFORE_CJK.sub('" ', text))
        return text.replace('"', self.quote)

    def citation(self, name: str, keys: str) -> str:
        """A citation as the compiled paper prints it: "[1, 2]" or "Author et al., 2019" (natbib)."""
        found = [self.cites.get(k.strip(), "?") for k in keys.split(",")]
        if all(re.fullmatch(r"\d+", f) for f in found):
            return "[" + ", ".join(found) + "]"
        if name in ("citet", "cite"):  # natbib's author-year \\cite is its \\citet: "Chen et al. (2018)"
            return "; ".join(re.sub(r", ([^,]+)$", r" (\1)", f) for f in found)
        return "(" + "; ".join(found) + ")" if name == "citep" else "; ".join(found)
