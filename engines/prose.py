"""Real prose for the built-in sources of the document engines: the Debian Reference, in English and Chinese.

Why this text: a model that learns to read documents should see real sentences (their word lengths, punctuation,
numbers, names and code words), not lorem ipsum, and the default build must not download anything. Debian's
own system administration guide ships as HTML in two packages written and translated by people:
`debian-reference-en` (the English original) and `debian-reference-zh-cn` (its Simplified Chinese
translation), about 4,000 paragraphs each, under /usr/share/debian-reference/. Chinese paragraphs keep the
English command and package names the translation uses, as real Chinese technical documents do.

The trade-off: one source per language keeps the text's provenance simple and the order deterministic (files
sorted by name, paragraphs in document order), at the price of one domain (system administration). Headings
come from the same files (`h1`-`h4` titles), so a generated page's headings are real ones.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

ROOT = Path("/usr/share/debian-reference")
PACKAGES = {"en": "debian-reference-en", "zh": "debian-reference-zh-cn"}
SUFFIX = {"en": "en", "zh": "zh-cn"}
MIN_CHARS = {"en": 60, "zh": 25}  # shorter paragraphs are mostly captions and one-word notes
HAN = re.compile("[\u4e00-\u9fff]")


BLOCK = re.compile(r"<(p|h[1-4])\b[^>]*>(.*?)</\1>", re.S)  # DocBook's HTML never nests these
TAG = re.compile(r"<[^>]+>")


def _chapter_blocks(markup: str) -> list[tuple[str, str]]:
    """The (kind "p" or "h", text) of every paragraph and heading of a DocBook HTML chapter, in document order."""
    return [(tag[0], " ".join(html.unescape(TAG.sub("", inner)).split())) for tag, inner in BLOCK.findall(markup)]


@functools.cache
def _blocks(lang: str) -> tuple[tuple[str, str], ...]:
    """Every (kind, text) block of the Debian Reference in `lang`, files sorted by name.

    Raises:
        ValueError: `lang` is neither "en" nor "zh".
        FileNotFoundError: the language's package is not installed (the message names it).
    """
    if lang not in PACKAGES:
        raise ValueError(f"prose language must be one of {sorted(PACKAGES)}, not {lang!r}")
    files = sorted(ROOT.glob(f"*.{SUFFIX[lang]}.html"))
    if not files:
        raise FileNotFoundError(f"no {ROOT}/*.{SUFFIX[lang]}.html: the built-in document text needs the Debian "
                                f"package {PACKAGES[lang]}; run `make setup` (or apt-get install {PACKAGES[lang]})")
    blocks: list[tuple[str, str]] = []
    for path in files:
        blocks.extend(_chapter_blocks(path.read_text(encoding="utf-8")))
    return tuple(blocks)


def _is_prose(text: str, lang: str) -> bool:
    """A paragraph of sentences in `lang`: long enough, and (for Chinese) mostly Chinese."""
    if len(text) < MIN_CHARS[lang]:
        return False
    han = len(HAN.findall(text))
    return han >= 0.3 * len(text) if lang == "zh" else han == 0


@functools.cache
def paragraphs(lang: str) -> list[str]:
    """The prose paragraphs of `lang` ("en" or "zh"), deduplicated, in a fixed order.

    Args:
        lang: "en" or "zh".

    Returns:
        one string per paragraph, whitespace collapsed to single spaces (the same list on every call: do not modify).

    Raises:
        ValueError: unknown `lang`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    return list(dict.fromkeys(t for kind, t in _blocks(lang) if kind == "p" and _is_prose(t, lang)))


@functools.cache
def headings(lang: str) -> list[str]:
    """The section titles of `lang` (e.g. "1.1.6. Virtual consoles"), deduplicated, in a fixed order.

    Args:
        lang: "en" or "zh".

    Returns:
        one string per heading of 4 to 80 characters.

    Raises:
        ValueError: unknown `lang`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    return list(dict.fromkeys(t for kind, t in _blocks(lang) if kind == "h" and 4 <= len(t) <= 80))
