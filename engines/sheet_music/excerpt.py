"""A grand-staff excerpt as Humdrum **kern: the opening interpretations, whole bars, and the text of the first k bars.

Both content paths (the built-in generator and real scores cut into excerpts) produce an
`Excerpt`, and the engine asks it for the kern of its first k bars, fewer when Verovio lays the
music out on more than one system. Every text this module writes opens two `**kern` spines and
closes exactly the columns that are open at its end (two: cuts are made only where each hand is one
column), so Verovio never meets a spine count that changes without a spine operator.

Targets: plain **kern (what Verovio reads), or GrandStaff's tokenisation (`to_bekern`): the
header `**ekern_1.0`, and each note or rest token cut into its elements joined by `·`
(`[8.cc#L` -> `[·8·.·cc·#·L`); deleting every `·` and renaming the header gives the kern back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOTE = re.compile(r"([A-Ga-g])\1*(?![A-Za-z]*r)")  # a pitch (letters repeated for the octave), not a rest
_ELEMENTS = re.compile(r"\d+|\.+|([A-Ga-gr])\1*|[#\-n]+|.")


@dataclass(frozen=True)
class Excerpt:
    """Bars of two-hand piano music in **kern.

    Attributes:
        opening: interpretation lines before the first bar (clefs, key, meter), two columns each.
        bars: each bar's lines, its closing barline last; the column count is two at every bar's end.
        title, composer: shown above the music when the engine draws a header (may be empty).
        origin: where the music came from ("generated", or a file name and its bar numbers).
    """

    opening: tuple[str, ...]
    bars: tuple[tuple[str, ...], ...]
    title: str = ""
    composer: str = ""
    origin: str = "generated"

    def kern(self, n_bars: int, header: bool) -> str:
        """The **kern of the first `n_bars` bars, reference records first when `header` (and a title exists)."""
        records = []
        if header and self.composer:
            records.append(f"!!!COM: {self.composer}")
        if header and self.title:
            records.append(f"!!!OTL: {self.title}")
        body = [line for bar in self.bars[:n_bars] for line in bar]
        return "\n".join([*records, "**kern\t**kern", *self.opening, *body, "*-\t*-"]) + "\n"


def count_notes(kern: str) -> int:
    """Notes in a kern text's data records (each note of a chord counted; rests, barlines, nulls not)."""
    total = 0
    for line in kern.splitlines():
        if not line or line[0] in "!*=":
            continue
        for token in line.split("\t"):
            if token == ".":
                continue
            total += sum(1 for sub in token.split(" ") if "r" not in sub and _NOTE.search(sub))
    return total


def _split_token(token: str) -> str:
    return " ".join("·".join(m.group(0) for m in _ELEMENTS.finditer(sub)) for sub in token.split(" "))


def to_bekern(kern: str) -> str:
    """GrandStaff's tokenisation of a kern text: `**ekern_1.0` headers, note and rest elements joined by `·`."""
    out = []
    for line in kern.splitlines():
        if line.startswith("**"):
            out.append(line.replace("**kern", "**ekern_1.0"))
        elif not line or line[0] in "!*=":
            out.append(line)
        else:
            out.append("\t".join(t if t == "." else _split_token(t) for t in line.split("\t")))
    return "\n".join(out) + "\n"


def from_bekern(text: str) -> str:
    """The kern text back from its bekern form (the inverse of `to_bekern`)."""
    return text.replace("**ekern_1.0", "**kern").replace("·", "")
