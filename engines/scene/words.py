"""The text of synthetic scenes: English words and Chinese phrases cut from real prose (the Debian Reference).

Scene text is short: a word on a sign, a few words on a banner, a Chinese shop name. Cutting it from real prose
keeps real word lengths, real character frequencies and real collocations (a run of consecutive words, a phrase
between two punctuation marks), where a word list would give uniform rare words and lorem ipsum none at all.
English words keep their letters, digits and inner hyphens, apostrophes and full stops ("3.4", "e.g", "debian.org":
split at the stop they would be made-up words such as "3 4" and "e g", with spaces the reader cannot see); a run
of punctuation is not a word;
Chinese phrases are runs of Han characters (with the digits and Latin letters that real Chinese text mixes in)
between punctuation marks.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from engines import prose
from engines.base import pick
from renderers.scripts import HAN, HAN_RANGES

WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'.\-]*[A-Za-z0-9])?")
PHRASE = re.compile(f"[{HAN_RANGES}][{HAN_RANGES}A-Za-z0-9]*[{HAN_RANGES}]")
MIN_WORD = 3  # characters of a word shown alone
PHRASE_TRIES = 8


@functools.cache
def _english() -> tuple[tuple[str, ...], ...]:
    """Each English paragraph's words, in order (so a line is a run of real consecutive words)."""
    return tuple(tuple(WORD.findall(p)) for p in prose.paragraphs("en"))


@functools.cache
def _chinese() -> tuple[str, ...]:
    """Every Chinese phrase of 2 or more Han characters between punctuation marks, in order."""
    return tuple(m for p in prose.paragraphs("zh") for m in PHRASE.findall(p) if len(HAN.findall(m)) >= 2)


def english(rng: np.random.Generator, words: int, max_chars: int) -> str:
    """A run of `words` consecutive words of one paragraph (fewer if the paragraph is short), at most `max_chars`."""
    paragraphs = [p for p in _english() if p]
    para = pick(rng, paragraphs)
    start = int(rng.integers(max(1, len(para) - words + 1)))
    if words == 1:  # a lone word on a sign is a word, not a stray letter ("q", "a")
        start = next((i for i in range(start, len(para)) if len(para[i]) >= MIN_WORD), start)
    out = list(para[start:start + words])
    while len(out) > 1 and len(" ".join(out)) > max_chars:
        out.pop()
    return " ".join(out)[:max_chars]


def chinese(rng: np.random.Generator, max_chars: int) -> str:
    """One Chinese phrase of at most `max_chars` characters: a whole phrase when one of a few drawn fits (a sign
    shows whole words), else a cut of the last one (never ending on a Latin word cut in two)."""
    phrases = _chinese()
    for k in rng.integers(len(phrases), size=PHRASE_TRIES):
        phrase = phrases[int(k)]
        if len(phrase) <= max_chars:
            return phrase
    start = int(rng.integers(len(phrase) - max_chars + 1))
    cut = re.sub(r"^[A-Za-z0-9]+|[A-Za-z0-9]+$", "", phrase[start:start + max_chars])
    return cut if len(HAN.findall(cut)) >= 2 else phrase[:2]
