"""`--source` for sheet music: real **kern scores cut into grand-staff excerpts, as GrandStaff was made.

A real score is a whole piece: reference records (`!!!COM`, `!!!OTL`), layout comments, a
`**dynam` or `**text` spine beside the two `**kern` spines, and voices that split (`*^`) and merge
(`*v`). Reading follows every spine operator, so each column is known to belong to a hand; only
the two hands' columns are kept. A cut is allowed at a barline where each hand is back to one
column, so an excerpt opens with exactly two spines and can close them with one `*-` each (Verovio
6.4.1 aborts on a spine count that changes without an operator). An excerpt opens with the clef,
key and meter in force at its first bar. Other interpretations (tempo, instrument, editorial
`*tremolo`, `*met` symbols) are dropped, so the target says no more than the drawing shows.
Files that cannot be read this way are skipped with a counted reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from engines.sheet_music.excerpt import Excerpt
from engines.source import Found

_KEPT = re.compile(r"^\*(clef[A-GX]\d?|k\[[a-g#\-n]*\]|M\d+/\d+|[\^v\-])$")
_STATE = {"clef": re.compile(r"^\*clef"), "key": re.compile(r"^\*k\["), "meter": re.compile(r"^\*M\d")}
MIN_SEGMENTS = 2


class ScoreRejected(ValueError):
    """A file that cannot be cut into excerpts; `reason` is the counted slug."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass
class Piece:
    """A score reduced to its two hands: lines, the allowed cuts (line index, clef/key/meter then), reference records."""

    name: str
    lines: list[str] = field(default_factory=list)
    cuts: list[tuple[int, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    title: str = ""
    composer: str = ""


def _apply_operators(tokens: list[str], layout: list[int], name: str) -> list[int]:
    """The column layout (each column's top-level spine) after one interpretation record's spine operators."""
    out, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token == "*^":
            out += [layout[i], layout[i]]
        elif token == "*v":
            j = i
            while j < len(tokens) and tokens[j] == "*v":
                j += 1
            if len({layout[k] for k in range(i, j)}) != 1:
                raise ScoreRejected("merge_across_spines", name)
            out.append(layout[i])
            i = j
            continue
        elif token in ("*+", "*x") or token.startswith("**"):
            raise ScoreRejected("unsupported_spine_operator", f"{name}: {token}")
        elif token != "*-":
            out.append(layout[i])
        i += 1
    return out


def read_piece(text: str, name: str) -> Piece:
    """Reduce a Humdrum file to its two **kern spines and the places it may be cut.

    Raises:
        ScoreRejected: "no_kern" / "not_two_kern_spines" (a score that is not for two hands),
            "spine_count_mismatch" (a record whose column count disagrees with the spine operators
            before it), "merge_across_spines", "unsupported_spine_operator", "too_few_cuts".
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("**")), None)
    if start is None:
        raise ScoreRejected("no_kern", name)
    kinds = lines[start].split("\t")
    hands = [k for k, kind in enumerate(kinds) if kind == "**kern"]
    if len(hands) != 2:
        raise ScoreRejected("not_two_kern_spines", f"{name}: {kinds}")
    piece = Piece(name)
    for line in lines:
        if line.startswith("!!!OTL:") and not piece.title:
            piece.title = line[7:].strip()
        elif line.startswith("!!!COM:") and not piece.composer:
            piece.composer = line[7:].strip()
    layout = list(range(len(kinds)))
    state = {hand: {"clef": "", "key": "*k[]", "meter": ""} for hand in hands}
    for number, line in enumerate(lines[start + 1:], start + 2):
        if not line or line.startswith("!!"):
            continue
        tokens = line.split("\t")
        if len(tokens) != len(layout):
            raise ScoreRejected("spine_count_mismatch", f"{name} line {number}")
        if line.startswith("!"):
            continue
        kept = [k for k, spine in enumerate(layout) if spine in hands]
        if line.startswith("*"):
            for k in kept:
                for what, pattern in _STATE.items():
                    if pattern.match(tokens[k]) and _KEPT.match(tokens[k]):
                        state[layout[k]][what] = tokens[k]
            ours = [tokens[k] if _KEPT.match(tokens[k]) else "*" for k in kept]
            if any(t != "*" for t in ours):
                piece.lines.append("\t".join(ours))
            layout = _apply_operators(tokens, layout, name)
            if not layout:
                break
            continue
        ours = [tokens[k] for k in kept]
        if line.startswith("="):
            piece.lines.append("\t".join(ours))
            if len(ours) == 2 and all(state[h]["clef"] for h in hands):
                snapshot = tuple((state[h]["clef"], state[h]["key"], state[h]["meter"]) for h in hands)
                piece.cuts.append((len(piece.lines), tuple(zip(*snapshot))))
        elif any(t != "." for t in ours):
            piece.lines.append("\t".join(ours))
    if len(piece.cuts) < MIN_SEGMENTS + 1:
        raise ScoreRejected("too_few_cuts", name)
    return piece


def stretch_bars(piece: Piece, cut: int) -> int:
    """Barlines between allowed cut `cut` and the next one (more than one where voices stay split over a bar)."""
    first, end = piece.cuts[cut][0], piece.cuts[cut + 1][0]
    return sum(1 for line in piece.lines[first:end] if line.startswith("="))


def excerpt(piece: Piece, cut: int, max_segments: int) -> Excerpt:
    """The excerpt of `piece` from allowed cut `cut`, up to `max_segments` stretches between allowed cuts."""
    first, state = piece.cuts[cut]
    ends = [line for line, _ in piece.cuts[cut + 1:cut + 1 + max_segments]]
    bars, at = [], first
    for end in ends:
        bars.append(tuple(piece.lines[at:end]))
        at = end
    opening = tuple("\t".join(pair) for pair in state if all(pair))
    origin = f"{piece.name} from line {first}"
    return Excerpt(opening, tuple(bars), piece.title, piece.composer, origin)


def load_pieces(source: str) -> Found[Piece]:
    """Every usable score under `source` (a .krn file or a folder searched recursively for .krn), in name order."""
    root = Path(source)
    files = [root] if root.is_file() else sorted(root.rglob("*.krn"))
    found: Found[Piece] = Found()
    for path in files:
        try:
            found.items.append(read_piece(path.read_text(encoding="utf-8"), path.name))
        except UnicodeDecodeError:
            found.skip("not_utf8", path.name)
        except ScoreRejected as exc:
            found.skip(exc.reason, path.name)
    return found
