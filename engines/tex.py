"""Reading real LaTeX sources (arXiv papers): comments, simple macros, environments, math; shared by text engines.

What the formulas and tables engines (and a page engine) need from a paper's `.tex` files, done
with a small scanner rather than a TeX engine, so that reading a source never runs it:

- `strip_comments`: `%` to the end of the line, unless escaped;
- `Macros`: the simple definitions a paper makes (`\\newcommand`, `\\renewcommand`, `\\providecommand`
  with numbered arguments and an optional default, `\\def` with undelimited `#1..#9`,
  `\\DeclareMathOperator`, mathtools' `\\DeclarePairedDelimiter` in its plain form), and `expand`
  applying them until nothing changes (a definition that keeps expanding is reported, not
  followed forever); delimited `\\def`s are left alone;
- `environments`: every `\\begin{name}...\\end{name}` of some names, nesting-aware, with its line;
- `math_segments`: every formula of a text: `$...$`, `$$...$$`, `\\(...\\)`, `\\[...\\]` and the
  display environments (`equation`, `align`, `gather`, `multline`, starred), skipping verbatim.

`UNSAFE` names the commands that read or write files, reach the shell or change how TeX reads
its input; a snippet holding one is refused before any renderer sees it (the LaTeX sandbox
would stop most of them too: this is the first of two fences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

UNSAFE = re.compile(r"\\(?:input|include|includeonly|InputIfFileExists|openin|openout|read|readline|write|"
                    r"immediate|special|catcode|uccode|lccode|csname|expandafter|usepackage|RequirePackage|"
                    r"documentclass|loop|newwrite|newread|directlua|ShellEscape|pdfprimitive|primitive|"
                    r"scantokens|endinput|batchmode|errorstopmode|jobname|pdffilesize|pdfmdfivesum|"
                    r"pdffiledump|begin\s*\{document\}|end\s*\{document\})(?![a-zA-Z])")
DISPLAY_ENVS = ("equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*",
                "displaymath")
VERBATIM_ENVS = ("verbatim", "verbatim*", "lstlisting", "minted", "comment", "Verbatim", "alltt", "CodeChunk", "CodeInput",
                 "CodeOutput", "Sinput", "Soutput", "Scode")
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")
_NAME = r"\\[a-zA-Z@]+|\\."


def strip_comments(text: str) -> str:
    """`text` without its `%` comments (a `\\%` stays; the line break stays)."""
    return "\n".join(_COMMENT.sub(r"\1", line) for line in text.split("\n"))


def read_tex(path: Path) -> str:
    """A source file's text, comments removed."""
    return strip_comments(path.read_text(encoding="utf-8", errors="replace"))


def tex_files(source: str | Path) -> list[Path]:
    """The `.tex` files of a file or folder, sorted (every worker reads them in the same order)."""
    path = Path(source)
    return sorted(p for p in path.rglob("*.tex") if p.is_file()) if path.is_dir() else [path]


def group(text: str, start: int) -> tuple[str, int] | None:
    """The braced group opening at `text[start]` (`{`): its inside and the index after its `}`; None if unclosed."""
    if start >= len(text) or text[start] != "{":
        return None
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
        i += 1
    return None


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _argument(text: str, i: int) -> tuple[str, int] | None:
    """One undelimited macro argument at `i`: a braced group's inside, or one token."""
    i = _skip_space(text, i)
    if i >= len(text):
        return None
    if text[i] == "{":
        return group(text, i)
    token = re.match(_NAME, text[i:])
    if token:
        return token.group(0), i + len(token.group(0))
    return (text[i], i + 1) if text[i] != "}" else None


@dataclass(frozen=True)
class Macro:
    """A simple macro: `args` arguments, the first optional with `default` when it is not None."""

    body: str
    args: int = 0
    default: str | None = None


class Macros:
    """The simple macro definitions of a paper, and their expansion."""

    DEFINE = re.compile(r"\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef|edef|"
                        r"DeclareMathOperator\*?|DeclarePairedDelimiter)\*?\s*")

    def __init__(self) -> None:
        self.table: dict[str, Macro] = {}
        self.unsupported: set[str] = set()

    def collect(self, text: str) -> None:
        """Record every simple definition in `text` (later definitions win)."""
        for m in self.DEFINE.finditer(text):
            kind, i = m.group(1), _skip_space(text, m.end())
            name_m = re.match(r"\{\s*(" + _NAME + r")\s*\}|(" + _NAME + ")", text[i:])
            if not name_m:
                continue
            name, i = name_m.group(1) or name_m.group(2), i + len(name_m.group(0))
            if kind == "DeclarePairedDelimiter":  # mathtools: \\abs{x} is \\lvert x \\rvert
                left = _argument(text, i)
                right = _argument(text, left[1]) if left else None
                if right:
                    self.table[name] = Macro(f"{left[0]} #1 {right[0]}", 1)
                continue
            if kind.startswith("DeclareMathOperator"):
                body = _argument(text, i)
                if body:
                    star = "*" if kind.endswith("*") else ""
                    self.table[name] = Macro(f"\\operatorname{star}{{{body[0]}}}")
                continue
            if kind in ("def", "gdef", "edef"):
                params = re.match(r"((?:#\d)*)\s*\{", text[i:])
                if not params:  # a delimited parameter text: not simple
                    self.unsupported.add(name)
                    continue
                body = group(text, i + params.end() - 1)
                if body:
                    self.table[name] = Macro(body[0], len(params.group(1)) // 2)
                continue
            args, default = 0, None
            count = re.match(r"\s*\[(\d)\]", text[i:])
            if count:
                args, i = int(count.group(1)), i + count.end()
                opt = re.match(r"\s*\[([^\]]*)\]", text[i:])
                if opt:
                    default, i = opt.group(1), i + opt.end()
            body = group(text, _skip_space(text, i))
            if body and not (kind == "providecommand" and name in self.table):
                self.table[name] = Macro(body[0], args, default)

    def _expand_once(self, text: str) -> tuple[str, int]:
        """`text` with each macro call expanded once, and how many calls were expanded."""
        out, i, count = [], 0, 0
        pattern = re.compile(r"\\[a-zA-Z@]+")
        while True:
            m = pattern.search(text, i)
            if not m:
                out.append(text[i:])
                return "".join(out), count
            name = m.group(0)
            macro = self.table.get(name)
            out.append(text[i:m.start()])
            if macro is None:
                out.append(name)
                i = m.end()
                continue
            j, values = m.end(), []
            if macro.default is not None:
                opt = re.match(r"\s*\[([^\]]*)\]", text[j:])
                values.append(opt.group(1) if opt else macro.default)
                j += opt.end() if opt else 0
            for _ in range(macro.args - len(values)):
                arg = _argument(text, j)
                if arg is None:
                    break
                values.append(arg[0])
                j = arg[1]
            if len(values) < macro.args:  # too few arguments: leave it for the renderer to refuse
                out.append(name)
                i = m.end()
                continue
            body = _substitute(macro.body, values)
            # a body ending in a control word must not glue onto a following letter
            out.append(body + (" " if re.search(r"\\[a-zA-Z@]+$", body) and text[j:j + 1].isalpha() else ""))
            i, count = j, count + 1

    def expand(self, text: str, rounds: int = 16, limit: int = 20000) -> str | None:
        """`text` with every simple macro expanded; None when expansion does not settle (a loop) or explodes."""
        if not self.table:
            return text
        for _ in range(rounds):
            after, count = self._expand_once(text)
            if count == 0:
                return text
            if after == text or len(after) > limit:  # \\def\\x{\\x}, or a definition that grows
                return None
            text = after
        return None


def _substitute(body: str, values: list[str]) -> str:
    """A macro body with `#1..#9` replaced; a space where a control word would swallow the argument's letter."""
    def value(m: re.Match) -> str:
        text = values[int(m.group(1)) - 1] if int(m.group(1)) <= len(values) else ""
        glued = re.search(r"\\[a-zA-Z@]+$", body[:m.start()]) and text[:1].isalpha()
        return (" " + text) if glued else text

    return re.sub(r"(?<!#)#([1-9])", value, body).replace("##", "#")


def environments(text: str, names: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(name, full `\\begin...\\end` text, line) of every outermost environment named in `names`, in order."""
    found, pattern = [], re.compile(r"\\(begin|end)\s*\{([^}]*)\}")
    stack: list[tuple[str, int]] = []
    for m in pattern.finditer(text):
        kind, name = m.group(1), m.group(2).strip()
        if name not in names:
            continue
        if kind == "begin":
            stack.append((name, m.start()))
        elif stack and stack[-1][0] == name:
            _, start = stack.pop()
            if not stack:
                found.append((name, text[start:m.end()], text.count("\n", 0, start) + 1))
        # an \end without its \begin is ignored
    return found


def _blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) replaced by spaces (line breaks kept, so line numbers stay right)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def without_verbatim(text: str) -> str:
    """`text` with verbatim-like environments and `\\verb|...|` blanked out."""
    for _, whole, _line in environments(text, VERBATIM_ENVS):
        at = text.find(whole)
        text = _blank(text, at, at + len(whole))
    for m in re.finditer(r"\\verb\*?(.)(.*?)\1", text):
        text = _blank(text, m.start(), m.end())
    return text


def document_body(text: str) -> str:
    """What lies between `\\begin{document}` and `\\end{document}`, or all of `text` (an `\\input` part)."""
    begin = re.search(r"\\begin\s*\{document\}", text)
    end = re.search(r"\\end\s*\{document\}", text)
    if begin:
        body = text[begin.end():end.start() if end else len(text)]
        return "\n" * text.count("\n", 0, begin.end()) + body  # keep line numbers
    return text


@dataclass(frozen=True)
class MathSegment:
    """One formula as written: its delimiters' kind, its body, whether it is displayed, its line."""

    kind: str  # "$", "$$", "\\(", "\\[", or an environment name
    body: str
    display: bool
    line: int


def math_segments(text: str) -> list[MathSegment]:
    """Every formula of a (comment-free) text, in order; math inside display environments is not split further."""
    text = without_verbatim(text)
    out: list[MathSegment] = []
    envs = environments(text, DISPLAY_ENVS)
    for name, whole, line in envs:
        inner = re.sub(r"^\\begin\s*\{[^}]*\}|\\end\s*\{[^}]*\}$", "", whole)
        out.append(MathSegment(name, inner, True, line))
        at = text.find(whole)
        text = _blank(text, at, at + len(whole))
    pattern = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|(?<!\\)\\\((.+?)(?<!\\)\\\)|"
                         r"(?<!\\)\\\[(.+?)(?<!\\)\\\]", re.S)
    for m in pattern.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if m.group(1) is not None:
            out.append(MathSegment("$$", m.group(1), True, line))
        elif m.group(2) is not None:
            out.append(MathSegment("$", m.group(2), False, line))
        elif m.group(3) is not None:
            out.append(MathSegment("\\(", m.group(3), False, line))
        else:
            out.append(MathSegment("\\[", m.group(4), True, line))
    return sorted(out, key=lambda s: s.line)
