"""A grand-staff excerpt as Humdrum **kern: the opening interpretations, whole bars, and the text of the first k bars.

Both content paths (the built-in generator and real scores cut into excerpts) produce an
`Excerpt`, and the engine asks it for the kern of its first k bars, fewer when Verovio lays the
music out on more than one system. Every text this module writes opens two `**kern` spines and
closes exactly the columns that are open at its end (two: cuts are made only where each hand is one
column), so Verovio never meets a spine count that changes without a spine operator.

Targets: plain **kern (what Verovio reads), or GrandStaff's tokenisation (`to_bekern`): the
header `**ekern_1.0`, and each note or rest token cut into its elements joined by `·`
(`[8.cc#L` -> `[·8·.·cc·#·L`); deleting every `·` and renaming the header gives the kern back.

An excerpt cut from a real score can hold one end of a slur or a tie whose other end lies outside it.
Verovio draws nothing for such a half (checked with Verovio 6: a lone `(`, `)`, `[` or `]` draws no
curve), so `keep_drawn_curves` removes from the target every mark the engraving drew no curve for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_NOTE = re.compile(r"([A-Ga-g])\1*(?![A-Za-z]*r)")  # a pitch (letters repeated for the octave), not a rest
_ELEMENTS = re.compile(r"\d+|\.+|([A-Ga-gr])\1*|[#\-n]+|.")
_PITCH = re.compile(r"([A-Ga-g])\1*")  # a note's letters: a tie joins one pitch, its accidental written once or not
_CURVE = re.compile(r"(slur|tie)-(L\d+F\d+(?:S\d+)?(?:N\d+)?)-(L\d+F\d+(?:S\d+)?(?:N\d+)?)")
_PLACE = re.compile(r"L(\d+)F(\d+)(?:S(\d+))?(?:N\d+)?")  # N: the n-th slur at one note


@dataclass(frozen=True)
class Excerpt:
    """Bars of two-hand piano music in **kern.

    Attributes:
        opening: interpretation lines before the first bar (clefs, key, meter), two columns each.
        bars: each bar's lines, its closing barline last; the column count is two at every bar's end.
        title, composer: shown above the music when the engine draws a header (may be empty).
        origin: where the music came from ("generated", or a file name and its bar numbers).
        tempo: the tempo word over the first bar (`!!!OMD`, which Verovio draws there; may be empty).
    """

    opening: tuple[str, ...]
    bars: tuple[tuple[str, ...], ...]
    title: str = ""
    composer: str = ""
    origin: str = "generated"
    tempo: str = ""

    def kern(self, n_bars: int, header: bool) -> str:
        """The **kern of the first `n_bars` bars, reference records first when `header` (and a title exists)."""
        records = []
        if header and self.composer:
            records.append(f"!!!COM: {self.composer}")
        if header and self.title:
            records.append(f"!!!OTL: {self.title}")
        if self.tempo:
            records.append(f"!!!OMD: {self.tempo}")
        body = [line for bar in self.bars[:n_bars] for line in bar]
        return "\n".join([*records, "**kern\t**kern", *self.opening, *body, "*-\t*-"]) + "\n"

    def barlines(self, n_bars: int) -> int:
        """Barlines in the first `n_bars` stretches (a stretch holds several where a hand's voices stay split)."""
        return sum(1 for bar in self.bars[:n_bars] for line in bar if line.startswith("="))


def keep_drawn_curves(kern: str, curves: list[str]) -> str:
    """`kern` without the slur and tie marks that Verovio drew no curve for.

    `curves` are the ids of the curves drawn (`renderers.verovio` reports them): `slur-L5F2-L7F2`
    joins the notes at line 5, field 2 and line 7, field 2 of `kern` (1-based), and a tie's id adds
    `S<k>`, the k-th note of the END chord (checked with Verovio 6), whose pitch letters the tie's start
    shares (its accidental may be written on one note only); `N<k>` marks the k-th slur at one note.
    A mark of an excerpt whose partner lies outside it (or that Verovio could not pair) is removed;
    a `_` (a tie that goes on) keeps what was drawn of it: `[` (start only), `]` (end only) or nothing.
    """
    rows = kern.split("\n")
    slur_ends: Counter = Counter()
    tie_ends: set[tuple[str, int, int, str]] = set()
    for curve in curves:
        kind, start, end = _CURVE.fullmatch(curve).group(1, 2, 3)
        (l1, f1, _s1), (l2, f2, s2) = (_place(start), _place(end))
        if kind == "slur":
            slur_ends[("(", l1, f1)] += 1
            slur_ends[(")", l2, f2)] += 1
        else:
            pitch = _pitch_of(rows, l2, f2, s2)
            tie_ends |= {("[", l1, f1, pitch), ("]", l2, f2, pitch)}
    for i, row in enumerate(rows):
        if not row or row[0] in "!*=" or not any(m in row for m in "()[]_"):
            continue
        tokens = row.split("\t")
        for f, token in enumerate(tokens):
            for mark in "()":
                for _ in range(token.count(mark) - slur_ends[(mark, i + 1, f + 1)]):
                    token = token.replace(mark, "", 1)
            subs = token.split(" ")
            for k, sub in enumerate(subs):
                pitch = _PITCH.search(sub)
                if pitch is None or not any(m in sub for m in "[]_"):
                    continue
                starts = ("[", i + 1, f + 1, pitch.group(0)) in tie_ends
                ends = ("]", i + 1, f + 1, pitch.group(0)) in tie_ends
                if "_" in sub and not (starts and ends):
                    sub = sub.replace("_", "", 1)
                    sub = "[" + sub if starts else sub + "]" if ends else sub
                if not starts:
                    sub = sub.replace("[", "", 1)
                if not ends:
                    sub = sub.replace("]", "", 1)
                subs[k] = sub
            tokens[f] = " ".join(subs)
        rows[i] = "\t".join(tokens)
    return "\n".join(rows)


def _place(text: str) -> tuple[int, int, int]:
    """(line, field, sub-token) of a Verovio note id's place, `L7F2` or `L7F2S1` (sub-token 0 when absent)."""
    line, field_, sub = _PLACE.fullmatch(text).groups()
    return int(line), int(field_), int(sub or 0)


def _pitch_of(rows: list[str], line: int, field_: int, sub: int) -> str:
    """The pitch of note `sub` (1-based; 0 for a single note) at `line`, `field_` (1-based) of the kern rows."""
    notes = rows[line - 1].split("\t")[field_ - 1].split(" ")
    found = _PITCH.search(notes[max(sub, 1) - 1])
    return found.group(0) if found else ""



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
