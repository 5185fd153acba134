"""The formulas engine's `--source`: formulas from LaTeX sources (as the paper took them from arXiv), or a list.

A `.tex` file or a folder of them: every formula of the documents (`engines.tex.math_segments`:
`$...$`, `\\(...\\)`, `\\[...\\]`, `$$...$$`, `equation`, `align`, `gather`, `multline`, starred
forms), with the paper's simple `\\newcommand`/`\\def` macros expanded (definitions are read from
every file of the folder, so a preamble in `main.tex` serves the chapters it `\\input`s).
Any other file is a formula list, one display formula per line (im2latex's `formulas.lst`).

Each formula is normalised into what both renderers draw and the target says: `\\label`,
`\\nonumber`, `\\notag` and `\\tag` dropped; `align`/`align*` become `aligned`, `gather` and
`multline` become `gathered`, `split` becomes `aligned`; whitespace collapsed to single spaces. Skipped
and counted, by reason: empty or under 3 tokens ("too_short"), over 400 tokens ("too_long"),
commands that read or write files or reach the shell ("unsafe_command"), cross-references
("reference": `\\ref`, `\\eqref`, `\\cite` would draw "??"), a commented-out line of a list ("commented_out"), a line
of a list that reads as prose ("prose": three words in a row outside braces), macro definitions left inside or
a macro's `#1` parameter (the "formula" sits in a definition's body), macros that never stop expanding
("macro_definition", "macro_recursion"), a `$` left open or braces a `$` cut in two ("unbalanced"), a
version-control stamp such as `$Date: 2022-07-17 ... $` ("rcs_keyword"), text of a file that is not UTF-8
("not_utf8"), a TikZ coordinate calculation `($(c)-(0.15,0)$)` ("tikz_coordinate"), environments with no
display form here ("unsupported_environment"), repeats ("duplicate").
Formulas that pass and still do not render are failed draws, counted by the renderer's reason in the shard's stats.
A list whose lines are mostly prose (a README given by mistake would otherwise build "formulas" of italic words) is
refused as a whole.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from engines.formulas.content import latex_tokens
from engines.source import PARAMETER, UNDECODED, Found, braces_balance
from engines.tex import UNSAFE, Macros, document_body, math_segments, read_tex, strip_comments, tex_files

MIN_TOKENS, MAX_TOKENS = 3, 400
PROSE_RUN = 3  # words in a row outside braces: none of 700 real arXiv formulas has one, 280 of 347 README lines do
_WORD = re.compile(r"[A-Za-z][a-z]+[,.;:]?")
ENV_MAP = {"align": "aligned", "align*": "aligned", "gather": "gathered", "gather*": "gathered",
           "multline": "gathered", "multline*": "gathered"}
UNSUPPORTED_ENVS = re.compile(r"\\begin\s*\{(eqnarray\*?|flalign\*?|alignat\*?|subequations|tabular|figure|table|"
                              r"itemize|enumerate|tikzpicture|picture)\}")
REFERENCE = re.compile(r"\\(?:ref|eqref|cite[a-zA-Z]*|pageref|autoref|cref|Cref|label)(?![a-zA-Z])")
RCS_KEYWORD = re.compile(r"\s*(?:Id|Date|Revision|Rev|Author|Header|Source|RCSfile|HeadURL|LastChanged\w*)\s*(?::|$)")
_POINT = r"[-+\d.*\s\\a-zA-Z@]*\([^()]*\)"
TIKZ_CALC = re.compile(rf"{_POINT}(?:\s*(?:[-+]|![^!]*!)\s*{_POINT})+\s*")  # TikZ's `($(c)-(0.15,0)$)`: no math
DEFINITION = re.compile(r"\\(?:[gex]?def|let|(?:re)?newcommand|providecommand|DeclareMathOperator|"
                        r"(?:re)?newenvironment|newcounter|setcounter|addtocounter|global)(?![a-zA-Z])")


@dataclass(frozen=True)
class Formula:
    """One usable formula: its normalised body, whether it is displayed, and where it was read."""

    latex: str
    display: bool
    where: str


def _drop_command(text: str, name: str) -> str:
    r"""`text` without every `\name{...}` (and `\name*{...}`), braces matched."""
    out, i = [], 0
    pattern = re.compile(r"\\" + name + r"\*?\s*\{")
    while (m := pattern.search(text, i)) is not None:
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0) if text[j - 1] != "\\" else 0
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def normalise(body: str, env: str | None = None) -> str:
    """A formula as both renderers take it: labels and tags dropped, environments mapped, spaces collapsed."""
    text = _drop_command(_drop_command(body, "label"), "tag")
    text = re.sub(r"\\(?:nonumber|notag)(?![a-zA-Z])", " ", text)
    text = re.sub(r"\\(begin|end)\s*\{split\}", r"\\\1{aligned}", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?:\\\\\s*)+$", "", text).strip()  # a trailing line break draws an empty row
    if env in ENV_MAP:
        text = f"\\begin{{{ENV_MAP[env]}}} {text} \\end{{{ENV_MAP[env]}}}"
    return text


class _Reader:
    """Collects formulas, skipping and counting what cannot be used."""

    def __init__(self) -> None:
        self.found: Found[Formula] = Found()
        self.seen: set[tuple[str, bool]] = set()

    def skip(self, reason: str, where: str, text: str) -> None:
        self.found.skip(reason, f"{where}: {text[:100]}")

    def add(self, raw: str, display: bool, where: str, env: str | None = None, macros: Macros | None = None) -> None:
        if "\n\n" in raw.strip():
            return self.skip("unbalanced", where, raw)
        if UNSAFE.search(raw):
            return self.skip("unsafe_command", where, raw)
        if UNDECODED.search(raw):
            return self.skip("not_utf8", where, raw)
        if RCS_KEYWORD.match(raw):  # a version-control stamp such as `$Date: 2022-07-17 ... $`, not math
            return self.skip("rcs_keyword", where, raw)
        if TIKZ_CALC.fullmatch(raw) and re.search(r"\([^()]*[,:][^()]*\)|!", raw):  # a point or a partway
            return self.skip("tikz_coordinate", where, raw)
        if UNSUPPORTED_ENVS.search(raw):
            return self.skip("unsupported_environment", where, raw)
        text = normalise(raw, env)
        if macros is not None:
            expanded = macros.expand(text)
            if expanded is None:
                return self.skip("macro_recursion", where, text)
            text = re.sub(r"\s+", " ", expanded).strip()
        if UNSAFE.search(text):  # a macro may hide one
            return self.skip("unsafe_command", where, text)
        if DEFINITION.search(text) or PARAMETER.search(text):
            return self.skip("macro_definition", where, text)
        if REFERENCE.search(text):
            return self.skip("reference", where, text)
        if not braces_balance(text):  # `$` inside a plain-TeX macro's `\hbox{...$...}` cuts a group in two
            return self.skip("unbalanced", where, text)
        tokens = latex_tokens(text)
        if tokens < MIN_TOKENS:
            return self.skip("too_short", where, text)
        if tokens > MAX_TOKENS:
            return self.skip("too_long", where, text)
        if (text, display) in self.seen:
            return self.skip("duplicate", where, text)
        self.seen.add((text, display))
        self.found.items.append(Formula(text, display, where))


def _read_tex(paths: list[Path], reader: _Reader) -> None:
    texts = {path: read_tex(path) for path in paths}
    macros = Macros()
    for text in texts.values():  # every file's definitions first: main.tex's preamble serves its chapters
        macros.collect(text)
    for path, text in texts.items():
        for seg in math_segments(document_body(text)):
            env = seg.kind if seg.kind[0].isalpha() else None
            reader.add(seg.body, seg.display, f"{path.name}:{seg.line}", env, macros)


def reads_as_prose(line: str) -> bool:
    """Whether a list line holds PROSE_RUN plain words in a row outside braces and commands (`\\text{...}` is fine)."""
    depth, kept = 0, []
    for ch in line:
        depth += ch == "{"
        kept.append(ch if depth == 0 else " ")
        depth = max(0, depth - (ch == "}"))
    run = 0
    for token in re.sub(r"\\[A-Za-z]+", " \\ ", "".join(kept)).split():
        run = run + 1 if _WORD.fullmatch(token) else 0
        if run >= PROSE_RUN:
            return True
    return False


def _read_list(path: Path, reader: _Reader) -> None:
    """One display formula per line; a file whose lines are mostly prose is not a formula list.

    Raises:
        ValueError: more than half of the file's lines read as prose (the message says what to give).
    """
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        body = strip_comments(line)
        if body.strip() and reads_as_prose(body):
            reader.skip("prose", f"{path.name}:{number}", line)
        elif body.strip():
            reader.add(body, True, f"{path.name}:{number}")
        elif line.strip():
            reader.skip("commented_out", f"{path.name}:{number}", line)
    written = sum(1 for line in lines if line.strip())
    if reader.found.skipped["prose"] * 2 > written:
        raise ValueError(f"--source {path}: {reader.found.skipped['prose']} of {written} lines read as prose, not "
                         f"formulas (e.g. {reader.found.examples['prose']!r}); give a formula list (one LaTeX "
                         f"formula per line, as im2latex's formulas.lst) or .tex files")


@functools.lru_cache(maxsize=4)
def load_formulas(source: str) -> Found[Formula]:
    """Every usable formula of `source` (cached per process).

    Raises:
        ValueError: a formula list whose lines mostly read as prose (`_read_list`).
    """
    path = Path(source)
    reader = _Reader()
    if path.is_dir():
        _read_tex(tex_files(path), reader)
    elif path.suffix.lower() == ".tex":
        _read_tex([path], reader)
    else:
        _read_list(path, reader)
    return reader.found
