"""`--source` for geometry: the `tikzpicture` environments of the user's .tex/.tikz files, made self-contained.

A picture in a paper leans on its file: `\\tikzstyle{box} = [...]` or `\\tikzset{...}` lines
before it define the styles it uses. Those definitions are moved INTO the picture (one
`\\tikzset{...}` right after `\\begin{tikzpicture}[...]`), so the target is exactly what was
compiled and compiles alone. What cannot be made self-contained is skipped at load with a counted
reason (external files, pictures too long for a target); what still fails to compile (a macro of
the paper's own preamble, a missing library) fails its draw, counted by LaTeX's reason, and the
retry moves to another picture. Text is normalised as the built-in figures are: comments gone,
one command per line as written, no indentation, blank lines dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engines.source import PARAMETER, UNDECODED, Found, braces_balance
from renderers.scripts import CJK

BEGIN = "\\begin{tikzpicture}"
MAX_CHARS = 6000  # a longer picture makes a target past what stage 2 trains on (6,000 tokens)
_COMMENT = re.compile(r"(?<!\\)%.*$", re.MULTILINE)
_EXTERNAL = re.compile(r"\\(?:input|include|includegraphics|addplot\s*(?:\[[^\]]*\])?\s*table\s*(?:\[[^\]]*\])?\s*\{[^%\n}]+\.)")
_TIKZSTYLE = re.compile(r"\\tikzstyle\{([^}]+)\}\s*=\s*\[")


@dataclass(frozen=True)
class SourcePicture:
    """One usable picture: its normalised text, the file it came from, whether it needs CJK fonts."""

    tikz: str
    file: str
    cjk: bool


def _closing(text: str, start: int, open_: str, close: str) -> int:
    """Index just past the bracket closing the one at `start` (nesting counted), or -1."""
    depth = 0
    for i in range(start, len(text)):
        depth += (text[i] == open_) - (text[i] == close)
        if depth == 0:
            return i + 1
    return -1


def _definitions(text: str) -> list[str]:
    """The file's style definitions outside pictures, each as a `\\tikzset` key (`name/.style={...}` or as given)."""
    keys = []
    for m in _TIKZSTYLE.finditer(text):
        end = _closing(text, m.end() - 1, "[", "]")
        if end > 0:
            keys.append(f"{m[1]}/.style={{{text[m.end():end - 1]}}}")
    for m in re.finditer(r"\\tikzset\{", text):
        end = _closing(text, m.end() - 1, "{", "}")
        if end > 0:
            keys.append(text[m.end():end - 1])
    return [" ".join(k.split()) for k in keys]


def _normalise(picture: str) -> str:
    return "\n".join(" ".join(line.split()) for line in picture.splitlines() if line.strip())


def _with_styles(picture: str, keys: list[str]) -> str:
    """`picture` with `\\tikzset{keys}` inserted after its begin line and options."""
    if not keys:
        return picture
    at = ahead = len(BEGIN)
    while ahead < len(picture) and picture[ahead] in " \n":
        ahead += 1
    if ahead < len(picture) and picture[ahead] == "[":
        at = max(_closing(picture, ahead, "[", "]"), at)
    return picture[:at] + "\n\\tikzset{" + ", ".join(keys) + "}" + picture[at:]


def pictures_of(text: str) -> tuple[list[str], list[str]]:
    """The file's normalised, self-contained pictures, and the reasons it had for any it could not cut out."""
    text = _COMMENT.sub("", text)
    pictures, problems, pos = [], [], 0
    while (start := text.find(BEGIN, pos)) >= 0:
        depth, at = 1, start + len(BEGIN)
        while depth and (m := re.compile(r"\\(begin|end)\{tikzpicture\}").search(text, at)):
            depth += 1 if m[1] == "begin" else -1
            at = m.end()
        if depth:
            problems.append("unclosed_picture")
            break
        pictures.append(text[start:at])
        pos = at
    outside = "".join(re.split(r"\\begin\{tikzpicture\}.*?\\end\{tikzpicture\}", text, flags=re.DOTALL))
    keys = _definitions(outside)
    return [_normalise(_with_styles(p, keys)) for p in pictures], problems


def load_pictures(source: str) -> Found[SourcePicture]:
    """Every usable tikzpicture under `source` (a file or a folder searched recursively), in a stable order.

    Args:
        source: a .tex/.tikz file or a folder.

    Returns:
        The pictures and, by reason, what was skipped: "not_utf8", "no_picture" (a file without one),
        "unclosed_picture", "external_file" (\\input, \\includegraphics, a plot from a data file),
        "too_long" (over MAX_CHARS), "macro_definition" (a picture inside a package's macro, drawing its `#1`),
        "unbalanced" (braces a definition's `\\def...{...\\end{tikzpicture}}` cut in two), "duplicate".
    """
    root = Path(source)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".tex", ".tikz"))
    found: Found[SourcePicture] = Found()
    seen: set[str] = set()
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            found.skip("not_utf8", path.name)
            continue
        pictures, problems = pictures_of(text)
        found.skipped.update(problems)
        if not pictures and not problems:
            found.skip("no_picture", path.name)
        for picture in pictures:
            reason = ("external_file" if _EXTERNAL.search(picture) else "too_long" if len(picture) > MAX_CHARS
                      else "not_utf8" if UNDECODED.search(picture) else "macro_definition" if PARAMETER.search(picture)
                      else "unbalanced" if not braces_balance(picture) else "duplicate" if picture in seen else None)
            if reason:
                found.skip(reason, f"{path.name}: {' '.join(picture.split())[:100]}")
                continue
            seen.add(picture)
            name = str(path.relative_to(root)) if root.is_dir() else path.name
            found.items.append(SourcePicture(picture, name, CJK.search(picture) is not None))
    return found
