"""Code points no source text holds: a check of every target, with no reader, before any reader folds them away.

A reader compares what it reads with the target after folding what it cannot tell apart (NFKC, the
hyphen family, middle dots), so a target whose characters LOOK right but carry the wrong code point
passes every reader. That is exactly the defect a PDF text layer leaves when a font maps a shared
glyph back to the wrong code point: 不 written as U+F967 (a CJK compatibility ideograph), every `-`
as U+2011, bullets as U+2027. A model trained on such targets learns to emit them. So each target
is checked here, character by character, for what a source text (prose, LaTeX, SMILES, **kern, a
chart's table) would not hold:

- CJK compatibility ideographs (U+F900-FAFF, U+2F800-2FA1F), Kangxi and supplementary radicals
  (U+2E80-2FDF): look-alikes of unified ideographs, which is what the text means;
- private-use code points (U+E000-F8FF, planes 15-16) and U+FFFD: a glyph the font never mapped;
- look-alike punctuation a typesetter's font emits but an author never types (`LOOK_ALIKES`);
- invisible characters (zero-width spaces and joiners, soft hyphens, control characters other than
  newline and tab): nothing on the image says they are there;
- a Cyrillic or Greek letter that looks like a Latin one inside a word of Latin letters ("Frаnce"
  with U+0430): a homoglyph, never a spelling.
"""

from __future__ import annotations

import re
import unicodedata

# A look-alike -> the character the source text holds.
LOOK_ALIKES = {"\u2011": "-", "\u2027": "\u00b7", "\u30fb": "\u00b7", "\u2215": "/", "\u2044": "/",
               "\u02d7": "-", "\u2043": "-", "\uff0d": "-"}
INVISIBLE = set("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff")
_RANGES = ((0xF900, 0xFAFF, "CJK compatibility ideograph"), (0x2F800, 0x2FA1F, "CJK compatibility ideograph"),
           (0x2E80, 0x2FDF, "CJK radical (a look-alike of an ideograph)"), (0xE000, 0xF8FF, "private use"),
           (0xF0000, 0x10FFFF, "private use"), (0xFFFD, 0xFFFD, "replacement character"))
# Cyrillic and Greek letters drawn like Latin ones.
HOMOGLYPHS = set("АВЕЅІЈКМНОРСТХУаеіјорсухѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧΖοіνρ")
WORD = re.compile(r"[^\W\d_]+")
SHOWN = 8


def _latin(c: str) -> bool:
    return c.isascii() or unicodedata.name(c, "").startswith("LATIN")


def why_wrong(c: str) -> str | None:
    """Why the character is not one a source text holds, or None when it may be."""
    o = ord(c)
    for low, high, why in _RANGES:
        if low <= o <= high:
            return why
    if c in LOOK_ALIKES:
        return f"look-alike of {LOOK_ALIKES[c]!r}"
    if c in INVISIBLE or (unicodedata.category(c) == "Cc" and c not in "\n\t"):
        return "invisible"
    return None


def suspicious(text: str) -> list[dict[str, str | int]]:
    """Every character of the text that no source text would hold, with its position and why.

    Returns:
        one {"at", "char", "code", "why"} per offending character (homoglyphs: per letter in a Latin word).
    """
    found = []
    for at, c in enumerate(text):
        why = why_wrong(c)
        if why:
            found.append({"at": at, "char": c, "code": f"U+{ord(c):04X}", "why": why})
    for word in WORD.finditer(text):
        w = word.group()
        if any(c in HOMOGLYPHS for c in w) and any(_latin(c) for c in w):
            found += [{"at": word.start() + i, "char": c, "code": f"U+{ord(c):04X}",
                       "why": f"{unicodedata.name(c).split()[0].title()} homoglyph in the Latin word {w!r}"}
                      for i, c in enumerate(w) if c in HOMOGLYPHS]
    return sorted(found, key=lambda f: f["at"])


def check(text: str) -> dict[str, object] | None:
    """None for a clean target; else how many characters are wrong and the first few of them."""
    found = suspicious(text)
    if not found:
        return None
    return {"wrong_code_points": len(found), "first": found[:SHOWN]}
