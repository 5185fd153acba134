"""`Found`: what an engine's `--source` reader gives, the one type every reader returns.

A reader keeps what it can draw and counts the rest by reason (with the first example of each), so a user
learns from the build's manifest and card what of their data was left out and why, never silently. Because
every reader returns the same type, the base class reports it (`Engine.use_source` raises the one "no usable
..." error, `Engine.describe` records items, skips and examples) and no engine writes that again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Generic, TypeVar

UNDECODED = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""What a file that is not UTF-8 leaves in the text read from it: U+FFFD for each byte that does not decode (Latin-1,
Shift-JIS, EUC-JP sources), ESC and other control characters from ISO-2022-JP's escape sequences (whose `$` a TeX
reader would take for math). An item holding one cannot say what its image shows: readers skip it as "not_utf8"."""

PARAMETER = re.compile(r"(?<!\\)#(?:#|\d)")
"""A TeX macro's parameter (`#1`, `##`): LaTeX read from beside papers (a package's code, a plain-TeX macro file) has
math and pictures inside definitions, which draw only once the macro is called. Readers skip them as
"macro_definition"."""


def braces_balance(text: str) -> bool:
    """Whether every `{` of `text` closes, in order (`\\{` and `\\}` are characters, not groups): a `$` or an
    environment cut out of a macro's body (`\\hbox{$x$}`) takes half a group."""
    depth = 0
    for m in re.finditer(r"\\.|[{}]", text, re.DOTALL):
        depth += {"{": 1, "}": -1}.get(m.group(0), 0)
        if depth < 0:
            return False
    return depth == 0


T = TypeVar("T")
U = TypeVar("U")


@dataclass
class Found(Generic[T]):
    """The usable items a `--source` holds, and what was left out.

    Attributes:
        items: what the engine draws from, in a stable order (every worker reads the same).
        skipped: items left out, by reason (a short stable slug such as "not_utf8").
        examples: reason -> its first skipped item, "where: excerpt", so a user can find and fix it.
    """

    items: list[T] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, example: str = "", count: int = 1) -> None:
        """Count `count` items left out for `reason`, keeping `example` if it is the reason's first."""
        self.skipped[reason] += count
        if example:
            self.examples.setdefault(reason, example)

    def keep(self, why_not: Callable[[T], str | None]) -> Found[T]:
        """A new Found of the items `why_not` passes (returns None for), the others counted under the reason it
        returns; this one is left as it was (a reader's result may be cached and shared)."""
        out: Found[T] = self.with_items([])
        for item in self.items:
            reason = why_not(item)
            if reason is None:
                out.items.append(item)
            else:
                out.skip(reason)
        return out

    def with_items(self, items: list[U]) -> Found[U]:
        """A new Found of other items (e.g. the excerpts cut from scores) with a copy of these skips."""
        return Found(items, self.skipped.copy(), dict(self.examples))
