"""What a generated page says: headings, paragraphs with inline formulas, lists, displayed formulas, tables.

Prose is real text (`engines.prose`, prose that ships with Debian and installed packages), formulas come
from the formula engine's generator and tables from the table engine's, so a page mixes the same content
the single-kind engines draw. Prose is kept only when LaTeX prints it exactly as written and Mathpix
markdown reads it as plain text: no TeX or markdown specials, no character pairs TeX turns into one
glyph (`--`, `''`, `,,`), so the target is the source text itself.

A document holds about `fill` pages' worth of content (estimated from the page's text area and font
size), so its first page is full and a block usually breaks across its bottom edge; sometimes the
document opens with the end of a paragraph (a page that continues a previous one).
"""

from __future__ import annotations

import functools
import re

import numpy as np

from engines.formulas.generator import random_formula
from engines.pages.blocks import Block, Segment
from engines.prose import DEFAULT, headings, paragraphs
from engines.tables.generator import random_tabular

SAFE = {
    "en": re.compile(r"[A-Za-z0-9 .,;:!?'\"()/-]+"),
    "zh": re.compile("[\u4e00-\u9fff\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff08\uff09\u201c\u201d"
                     r"A-Za-z0-9 .,:;()-]+"),
}
LIGATURES = re.compile(r"--|''|,,|^-|\s-|-\s")
SENTENCE = {"en": re.compile(r"(?<=[.!?])\s+(?=[A-Z])"), "zh": re.compile(r"(?<=[。！？])(?![）)”」』])")}
CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])")
BREAK = {"en": re.compile(r" "), "zh": re.compile(r"(?<=[，。；：])")}


def _printable(text: str, lang: str) -> bool:
    """Whether LaTeX prints `text` exactly as written and markdown reads it as plain text."""
    return bool(SAFE[lang].fullmatch(text)) and not LIGATURES.search(text)


def _tidy(text: str) -> str:
    """Whitespace collapsed, and none left between two Chinese characters (xeCJK would not print it)."""
    return CJK_SPACE.sub("", " ".join(text.split()))


@functools.cache
def prose(lang: str, source: str = DEFAULT) -> tuple[str, ...]:
    """The paragraphs of real prose in `lang` (from `engines.prose` `source`) that print exactly as written, at
    least two sentences each.

    Raises:
        ValueError: no usable paragraph (the prose package has nothing in this language).
    """
    kept = tuple(p for p in map(_tidy, paragraphs(lang, source))
                 if _printable(p, lang) and len([s for s in SENTENCE[lang].split(p) if s.strip()]) >= 2)
    if not kept:
        raise ValueError(f"engines.prose has no paragraph in {lang!r} that prints as written; pages needs one")
    return kept


@functools.cache
def titles(lang: str, source: str = DEFAULT) -> tuple[str, ...]:
    """Real section titles in `lang` (from `engines.prose` `source`) that print exactly as written."""
    return tuple(t for t in map(_tidy, headings(lang, source)) if _printable(t, lang))


def _sentences(rng: np.random.Generator, lang: str, n: int, source: str) -> list[str]:
    """`n` consecutive sentences from a random paragraph (fewer when it is shorter)."""
    pool = prose(lang, source)
    sentences = [s.strip() for s in SENTENCE[lang].split(pool[int(rng.integers(len(pool)))]) if s.strip()]
    start = int(rng.integers(max(1, len(sentences) - n + 1)))
    return sentences[start:start + n]


def _with_formulas(rng: np.random.Generator, lang: str, text: str, rate: float) -> tuple[Segment, ...]:
    """Prose with a Poisson(`rate`) number of inline formulas put in at spaces (English) or after clauses (Chinese).

    An English formula gets a space on each side ("word \\(x\\) word"); a Chinese one none (xeCJK spaces it).
    """
    glue = " " if lang == "en" else ""
    cuts = [m.start() for m in BREAK[lang].finditer(text) if 0 < m.start() < len(text) - 1]
    count = min(len(cuts), int(rng.poisson(rate)))
    segments, start = [], 0
    for cut in sorted(int(c) for c in rng.choice(cuts, size=count, replace=False)) if count else []:
        segments += [Segment(text[start:cut] + glue), Segment(random_formula(rng, display=False), math=True)]
        start = cut
    segments.append(Segment(text[start:]))
    return tuple(segments)


def heading(rng: np.random.Generator, lang: str, level: int, source: str) -> Block:
    """A real section title (numbered as its source numbers it, e.g. "1.1.6. Virtual consoles")."""
    pool = titles(lang, source)
    return Block("heading", (Segment(pool[int(rng.integers(len(pool)))]),), level=level)


def paragraph(rng: np.random.Generator, lang: str, source: str, continued: bool = False) -> Block:
    """A paragraph of 2-6 real sentences, with about one inline formula in two paragraphs."""
    text = (" " if lang == "en" else "").join(_sentences(rng, lang, int(rng.integers(2, 7)), source))
    if continued:  # the end of a paragraph begun on a previous page
        text = text[len(text) // 2:]
        text = text[text.index(" ") + 1:] if lang == "en" and " " in text else text
    return Block("paragraph", _with_formulas(rng, lang, text, 0.6), continued=continued)


def list_items(rng: np.random.Generator, lang: str, source: str) -> list[Block]:
    """2-5 list items of one sentence each, bulleted or numbered."""
    n, numbered = int(rng.integers(2, 6)), bool(rng.random() < 0.5)
    sentences = _sentences(rng, lang, n, source)
    return [Block("item", _with_formulas(rng, lang, s, 0.2), label=f"{k + 1}." if numbered else "", opens=k == 0)
            for k, s in enumerate(sentences)]


def display(rng: np.random.Generator) -> Block:
    """A displayed formula."""
    return Block("display", (Segment(random_formula(rng, display=True), math=True),))


def table(rng: np.random.Generator, lang: str) -> Block:
    """A tabular from the table engine's generator."""
    return Block("table", (Segment(random_tabular(rng, lang)),))


def draw_blocks(rng: np.random.Generator, lang: str, budget: float, source: str = DEFAULT) -> list[Block]:
    """Blocks in a document's order until about `budget` characters of content.

    Args:
        rng: the only source of randomness.
        lang: "en" or "zh".
        budget: characters of content to reach (a formula or table counts for what it covers).
        source: the prose's source, a key of `engines.prose.SOURCES`.

    Returns:
        The blocks, opening with a section heading or, one time in four, a continued paragraph.
    """
    blocks: list[Block] = [paragraph(rng, lang, source, continued=True)] if rng.random() < 0.25 else []
    size = 0.0
    while size < budget:
        r = rng.random()
        if not blocks or r < 0.12:
            new = [heading(rng, lang, 1 if rng.random() < 0.7 else 2, source)]
        elif r < 0.62:
            new = [paragraph(rng, lang, source)]
        elif r < 0.74:
            new = list_items(rng, lang, source)
        elif r < 0.88:
            new = [display(rng)]
        else:
            new = [table(rng, lang)]
        blocks += new
        size += sum(120 if b.kind in ("display", "heading") else 400 if b.kind == "table"
                    else sum(len(s.text) for s in b.segments) for b in new)
    return blocks
