"""Breaking a long title or label over lines, the same way for both renderers and for the target check.

Real tables have titles of 60-140 characters and labels of 25-60; drawn on one line they either
shrink below legibility or run off the chart. A text is broken greedily at spaces (Latin) or
between any two characters of CJK text, never inside a Latin word; the lines are joined with
"\\n" into the one string a renderer draws; `squash` compares a drawn text with the one-line text it
came from, so the engine can check that what the target names is what the image shows.
"""

from __future__ import annotations

import re

from renderers.fonts import text_width

_HAN = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK = re.compile(f"[{_HAN}]")
NUMBER_UNIT = re.compile(f"[^{_HAN}]*\\d[{_HAN}]\\s*|[{_HAN}]\\s*|[^{_HAN}]+")  # pieces of a CJK word
MAX_LINES = 3
LINE = 1.2  # line height per pixel of font size


def _tokens(text: str) -> list[str]:
    """Pieces a line may break after: words with their trailing space, or single CJK characters.

    A number keeps the CJK unit that follows it ("2004年", "3月", "10万"): a year or an amount broken
    over two lines reads as two labels.
    """
    out: list[str] = []
    for word in re.findall(r"\S+\s*", text):
        if CJK.search(word):
            out.extend(NUMBER_UNIT.findall(word))
        else:
            out.append(word)
    return out


def wrap(text: str, max_width: float, font: str, size: float, bold: bool = False) -> list[str] | None:
    """`text` broken into the fewest greedy lines no wider than `max_width` px; None if a word is wider."""
    if text_width(text, font, size, bold) <= max_width:
        return [text]  # the common case, one measurement
    lines, current = [], ""
    for token in _tokens(text):
        trial = current + token
        if current and text_width(trial.rstrip(), font, size, bold) > max_width:
            lines.append(current.rstrip())
            current = token
        else:
            current = trial
    lines.append(current.rstrip())
    if any(text_width(line, font, size, bold) > max_width for line in lines):
        return None
    return lines


def fit_lines(text: str, max_width: float, font: str, size: float, min_size: float, max_lines: int = MAX_LINES,
              bold: bool = False) -> tuple[list[str], float] | None:
    """The largest size in [min_size, size] at which `text` wraps into at most `max_lines` lines, with the lines."""
    while size >= min_size:
        lines = wrap(text, max_width, font, size, bold)
        if lines is not None and len(lines) <= max_lines:
            return lines, size
        size -= 1
    return None


def squash(text: str) -> str:
    """`text` without whitespace: a wrapped text and the one-line text it came from squash alike."""
    return re.sub(r"\s+", "", text)
