"""The tables engine's `--source`: tabular-like environments from LaTeX sources, normalised to `tabular`.

Every `tabular`, `tabular*`, `tabularx`, `longtable` and `deluxetable(*)` of a `.tex` file or a
folder of them is read (outermost ones; a tabular nested in a cell stays in its cell) and
rewritten as the plain `\\begin{tabular}{spec}...\\end{tabular}` that is compiled and becomes the
target:

- `tabular*{width}{spec}`: the width goes, and `@{\\extracolsep{\\fill}}` with it;
- `tabularx{width}{spec}`: `X` columns become `l`;
- `longtable[pos]{spec}`: the first head (or the head), the body and the last foot are kept;
  the repeated head, the page foot, `\\caption` rows and `\\label`s go;
- `deluxetable{spec}` (AASTeX): `\\tablehead{\\colhead{A} & ...}` becomes a header row between
  `\\hline`s, the rows between `\\startdata` and `\\enddata` the body; captions, notes and
  comments go.

The paper's simple macros (`engines.tex.Macros`) and `\\newcolumntype`s are expanded. Skipped and
counted, by reason: column types outside `l c r p m b X D | @ ! > < *` ("unsupported_column",
e.g. siunitx's `S`), file, shell or catcode commands ("unsafe_command"), cross-references that
would draw "??" ("reference"; citations, which would draw "[?]", are dropped instead), a longtable or
deluxetable whose parts cannot be found ("unsupported_structure"), macros that never settle
("macro_recursion"), TeX conditionals (`\\if0 ... \\fi`: rows the page never shows, "conditional"), text of a file
that is not UTF-8 ("not_utf8"), more than 80 rows or 8,000 characters ("too_large"), fewer than 2 cells
("too_small"), repeats ("duplicate"). Tables with CJK text are marked Chinese (XeLaTeX with CJK
fonts).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from engines.source import UNDECODED, Found
from engines.tex import UNSAFE, Macros, document_body, environments, group, read_tex, tex_files, without_verbatim
from renderers.scripts import CJK

TABULAR_ENVS = ("tabular", "tabular*", "tabularx", "longtable", "longtable*", "deluxetable", "deluxetable*")
MAX_ROWS, MAX_CHARS = 80, 8000
CITATION = re.compile(r"\s*~?\\cite[a-zA-Z]*\*?(?:\[[^\]]*\])*\{[^{}]*\}")  # would draw "[?]": dropped
CONDITIONAL = re.compile(r"\\(?:if[a-zA-Z]*|fi|else|or)(?![a-zA-Z])")
REFERENCE = re.compile(r"\\(?:ref|eqref|pageref|autoref|cref|Cref)\s*\{")
_COLUMN_TOKEN = re.compile(r"\s*(?:[lcrX|]|[pmb]\{[^{}]*\}|[@!<>]\{(?:[^{}]|\{[^{}]*\})*\}|D\{[^{}]*\}\{[^{}]*\}\{[^{}]*\}|"
                           r"\*\{\d+\}\{(?:[^{}]|\{[^{}]*\})*\})")
_DROP = re.compile(r"\\(?:label|caption|bicaption|tablecaption|tablenotetext|tablecomments|tablerefs|tabletypesize|"
                   r"tablewidth|tablenum)\*?(?:\s*\[[^\]]*\])?")


@dataclass(frozen=True)
class Table:
    """One usable table: the normalised tabular, its language, and where it was read."""

    latex: str
    lang: str
    where: str


class Unusable(Exception):
    """A table that cannot be normalised; `args[0]` is the reason."""


def _drop_groups(text: str) -> str:
    """`text` without captions, labels and AASTeX notes, each with its braced argument(s)."""
    out, i = [], 0
    for m in _DROP.finditer(text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        j = m.end()
        while (g := group(text, j)) is not None:  # \bicaption takes two groups
            j = g[1]
            if not text[j:j + 1] == "{":
                break
        i = j
    out.append(text[i:])
    return "".join(out)


def _spec(spec: str, column_types: dict[str, str]) -> str:
    """A column spec checked and normalised: `X` to `l`, `\\extracolsep` gone, `\\newcolumntype`s expanded."""
    for name, body in column_types.items():
        spec = re.sub(re.escape(name) + r"(?:\{([^{}]*)\})?", lambda m: body.replace("#1", m.group(1) or ""), spec)
    spec = re.sub(r"@\{\\extracolsep\{[^{}]*\}\}", "", spec).replace("X", "l")
    rest = _COLUMN_TOKEN.sub("", spec)
    if rest.strip():
        raise Unusable("unsupported_column")
    return re.sub(r"\s+", "", spec)


def _longtable_body(body: str) -> str:
    """The first head (or head), the body and the last foot of a longtable."""
    marks = re.compile(r"\\(endfirsthead|endhead|endfoot|endlastfoot)(?![a-zA-Z])")
    parts, start, kinds = {}, 0, []
    for m in marks.finditer(body):
        parts[m.group(1)] = body[start:m.start()]
        kinds.append(m.group(1))
        start = m.end()
    rows = body[start:]
    if not kinds:
        return body
    head = parts.get("endfirsthead", parts.get("endhead", ""))
    return head + rows + parts.get("endlastfoot", "")


def _deluxe_body(body: str) -> str:
    head = re.search(r"\\tablehead\s*\{", body)
    data = re.search(r"\\startdata(.*?)\\enddata", body, re.S)
    if not data:
        raise Unusable("unsupported_structure")
    header = ""
    if head:
        inner = group(body, head.end() - 1)
        if inner is None:
            raise Unusable("unsupported_structure")
        header = re.sub(r"\\colhead\s*\{((?:[^{}]|\{[^{}]*\})*)\}", r"\1", inner[0])
        header = "\\hline\n" + header.strip() + " \\\\\n\\hline\n"
    return header + data.group(1).strip() + " \\\\\n\\hline\n"


def normalise_table(name: str, whole: str, column_types: dict[str, str]) -> str:
    """An extracted environment as the plain tabular it is compiled as.

    Raises:
        Unusable: with the reason it cannot be.
    """
    begin = re.match(r"\\begin\s*\{" + re.escape(name) + r"\}", whole)
    rest = whole[begin.end():len(whole) - len(re.search(r"\\end\s*\{[^}]*\}$", whole).group(0))]
    i = 0
    if name in ("tabular*", "tabularx"):  # the width
        width = group(rest, rest.find("{")) if rest.lstrip().startswith("{") else None
        if width is None:
            raise Unusable("unsupported_structure")
        i = width[1]
    pos = re.match(r"\s*\[[^\]]*\]", rest[i:])  # [t], [c] placement
    i += pos.end() if pos else 0
    j = i + len(rest[i:]) - len(rest[i:].lstrip())
    spec = group(rest, j)
    if spec is None:
        raise Unusable("unsupported_structure")
    body = rest[spec[1]:]
    if name.startswith("longtable"):
        body = _longtable_body(body)
    elif name.startswith("deluxetable"):
        body = _deluxe_body(body)
    body = _drop_groups(body)
    body = re.sub(r"\\(?:centering|noalign\{[^{}]*\}|small|footnotesize|scriptsize|tiny)(?![a-zA-Z])", "", body)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in body.strip().split("\n")]
    body = "\n".join(line for line in lines if line)
    body = re.sub(r"^(?:\s*\\\\)+", "", body).strip()  # a caption row's leftover line break
    return f"\\begin{{tabular}}{{{_spec(spec[0], column_types)}}}\n{body}\n\\end{{tabular}}"


def _column_types(text: str) -> dict[str, str]:
    """The paper's `\\newcolumntype{d}[1]{D{.}{.}{#1}}` definitions, as letter -> spec."""
    found = {}
    for m in re.finditer(r"\\newcolumntype\s*\{(\w)\}\s*(?:\[(\d)\])?\s*\{", text):
        body = group(text, m.end() - 1)
        if body:
            found[m.group(1)] = body[0]
    return found


class _Reader:
    def __init__(self) -> None:
        self.found: Found[Table] = Found()
        self.seen: set[str] = set()

    def skip(self, reason: str, where: str, text: str) -> None:
        self.found.skip(reason, f"{where}: {' '.join(text.split())[:100]}")

    def add(self, name: str, whole: str, where: str, macros: Macros, column_types: dict[str, str]) -> None:
        if UNSAFE.search(whole):
            return self.skip("unsafe_command", where, whole)
        if UNDECODED.search(whole):
            return self.skip("not_utf8", where, whole)
        if CONDITIONAL.search(whole):  # `\if0 rows \fi`: the target would say rows the image does not show
            return self.skip("conditional", where, whole)
        try:
            latex = normalise_table(name, whole, column_types)
        except Unusable as exc:
            return self.skip(exc.args[0], where, whole)
        expanded = macros.expand(latex)
        if expanded is None:
            return self.skip("macro_recursion", where, latex)
        if REFERENCE.search(expanded):
            return self.skip("reference", where, expanded)
        expanded = CITATION.sub("", expanded)
        if UNSAFE.search(expanded):
            return self.skip("unsafe_command", where, expanded)
        rows = expanded.count("\\\\")
        if rows > MAX_ROWS or len(expanded) > MAX_CHARS:
            return self.skip("too_large", where, expanded)
        if rows < 1 or "&" not in expanded:
            return self.skip("too_small", where, expanded)
        if expanded in self.seen:
            return self.skip("duplicate", where, expanded)
        self.seen.add(expanded)
        self.found.items.append(Table(expanded, "zh" if CJK.search(expanded) else "en", where))


@functools.lru_cache(maxsize=4)
def load_tables(source: str) -> Found[Table]:
    """Every usable table of the `.tex` file or folder `source` (cached per process)."""
    texts = {p: read_tex(p) for p in tex_files(Path(source))}
    macros, column_types = Macros(), {}
    for text in texts.values():
        macros.collect(text)
        column_types.update(_column_types(text))
    reader = _Reader()
    for p, text in texts.items():
        for name, whole, line in environments(without_verbatim(document_body(text)), TABULAR_ENVS):
            reader.add(name, whole, f"{p.name}:{line}", macros, column_types)
    return reader.found
