"""Real prose for the built-in sources of the document engines, in English and Chinese, from Debian packages.

Why this text: a model that learns to read documents should see real sentences (their word lengths, punctuation,
numbers, names and code words), not lorem ipsum, and the default build must not download anything. Two manuals
written and translated by people ship as HTML in Debian, each in English and Simplified Chinese (`SOURCES`):

- `debian-reference` (the default): Debian's system administration guide, `debian-reference-en` and
  `debian-reference-zh-cn`, about 2,000 and 1,700 paragraphs; GPL-2+, so text drawn from it carries the GPL.
- `kicad`: the KiCad 6.0 manuals (schematic and board editors, tools), `kicad-doc-en` and `kicad-doc-zh`, about
  1,600 English and 590 Chinese paragraphs (paragraphs and titles the translation has not reached are English and
  left out of the Chinese set); GPL-3+ or CC-BY-3.0+ at the user's choice, so a build can take it under CC-BY.

Chinese paragraphs keep the English command and product names the translations use, as real Chinese technical
documents do. One source per build keeps the text's provenance simple and the order deterministic (files in the
manual's reading order, `files`, paragraphs in document order), at the price of one domain per source. Headings
come from the same files (`h1`-`h4` titles), so a generated page's headings are real ones, and `places` says which
chapter and section each paragraph stands in, so a page's title, running head, section headings and captions are
those of the text under them (a page whose title says one thing and whose body another teaches a model nothing true
about documents).
`passages` is the same text as it runs, with the source's lists kept (which list and item each paragraph stands in)
and the runs its writer stressed, for a page that draws the manual's own lists where it has them.
"""

from __future__ import annotations

import functools
import glob
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from renderers.scripts import HAN


@dataclass(frozen=True)
class ProseSource:
    """A manual in English and Chinese installed as HTML by Debian packages, and its licence."""

    title: str
    files: dict[str, str]       # lang -> glob of its HTML files
    packages: dict[str, str]    # lang -> the Debian package that installs them
    licence: str                # the Hugging Face Hub licence id a dataset card declares
    terms: str                  # the licence as the packages' copyright notice states it


Source = Literal["debian-reference", "kicad"]  # the --prose choices: the keys of SOURCES
SOURCES: dict[Source, ProseSource] = {
    "debian-reference": ProseSource(
        "the Debian Reference (Osamu Aoki and its translators)",
        {"en": "/usr/share/debian-reference/*.en.html", "zh": "/usr/share/debian-reference/*.zh-cn.html"},
        {"en": "debian-reference-en", "zh": "debian-reference-zh-cn"}, "gpl-2.0", "GPL-2+"),
    "kicad": ProseSource(
        "the KiCad 6.0 documentation (the KiCad documentation contributors and translators)",
        {"en": "/usr/share/doc/kicad/help/en/*.html", "zh": "/usr/share/doc/kicad/help/zh/*.html"},
        {"en": "kicad-doc-en", "zh": "kicad-doc-zh"}, "cc-by-3.0",
        "CC-BY-3.0 or later, or GPL-3+, at the user's choice"),
}
DEFAULT = "debian-reference"
HELP = ("the generated pages' text: debian-reference (the Debian Reference, GPL-2+) or kicad (the KiCad manuals, "
        "CC-BY-3.0+ or GPL-3+, for a permissively licensed build); the dataset card names it")
MIN_CHARS = {"en": 60, "zh": 25}  # shorter paragraphs are mostly captions and one-word notes


TOKEN = re.compile(r"<(p|h[1-4])\b([^>]*)>(.*?)</\1>|<(ul|ol|li)\b[^>]*>|</(ul|ol|li)>", re.S)  # DocBook never nests
# a paragraph or heading in another; a list's items, and lists in items, are the only nesting read
TAG = re.compile(r"<[^>]+>")
MARKED = re.compile(r"<(strong|em|code|kbd)\b[^>]*>(.*?)</\1>", re.S)  # the writer's own stressed runs
MARKS = {"strong": "strong", "em": "em", "code": "code", "kbd": "code"}


@dataclass(frozen=True)
class Level:
    """One list a block stands in: the list (numbered in its file set's document order), whether the source numbers
    it (`<ol>`), and the item's number in it (1 for its first item)."""

    list: int
    ordered: bool
    item: int


@dataclass(frozen=True)
class Block:
    """A paragraph or heading of a chapter as the source marks it up.

    Attributes:
        tag: "p" or "h1"-"h4".
        text: its text, whitespace collapsed to single spaces.
        path: the lists it stands in, outermost first (empty out of any list).
        opens: whether it is its list item's first paragraph (an item may hold more than one).
        runs: the runs the source stresses (bold, italic, a command or file name in code), as (start, end,
            "strong" | "em" | "code") offsets into `text`, in order.
    """

    tag: str
    text: str
    path: tuple[Level, ...] = ()
    opens: bool = True
    runs: tuple[tuple[int, int, str], ...] = ()


def _clean(markup: str) -> str:
    return " ".join(html.unescape(TAG.sub("", markup)).split())


def _runs(inner: str, text: str) -> tuple[tuple[int, int, str], ...]:
    """Where the source's `<strong>`, `<em>`, `<code>` and `<kbd>` runs of a paragraph's markup stand in its text."""
    found, at = [], 0
    for m in MARKED.finditer(inner):
        run = _clean(m[2])
        start = text.find(run, at) if run else -1
        if start >= 0:
            found.append((start, start + len(run), MARKS[m[1]]))
            at = start + len(run)
    return tuple(found)


def _chapter_blocks(markup: str, lists: int = 0) -> list[Block]:
    """Every paragraph and heading of a DocBook (or AsciiDoc) HTML chapter, in document order, with the lists each
    stands in (numbered from `lists` on)."""
    blocks: list[Block] = []
    stack: list[list[Any]] = []  # per open list: [its number, ordered, the open item's number, paragraphs in it]
    for m in TOKEN.finditer(markup):
        tag, attributes, inner, opening, closing = m.groups()
        if opening in ("ul", "ol"):
            stack.append([lists, opening == "ol", 0, 0])
            lists += 1
        elif opening == "li" and stack:
            stack[-1][2], stack[-1][3] = stack[-1][2] + 1, 0
        elif closing in ("ul", "ol") and stack:
            stack.pop()
        # a title page's author is no heading of the text under it; a table's title (p class="title") no paragraph
        elif tag and "author" not in attributes and not (tag == "p" and 'class="title"' in attributes):
            text = _clean(inner)
            path = tuple(Level(n, ordered, item) for n, ordered, item, _ in stack if item)
            opens = not stack or stack[-1][3] == 0
            if stack:
                stack[-1][3] += 1
            blocks.append(Block(tag, text, path, opens, _runs(inner, text) if tag == "p" else ()))
    return blocks


# DocBook's HTML file names, front to back: title page, preface, chapters, appendices (sorted by name, the appendix
# came first and the preface last, so a page reading on from the last chapter went into the preface)
FRONT_TO_BACK = ("index", "pr", "ch", "ap")


def files(lang: str, source: str = DEFAULT) -> list[str]:
    """The HTML files of `source` in `lang`, in the manual's reading order (`FRONT_TO_BACK`, then by name: KiCad's
    manuals, each a file of its own name, by name); [] when its package is not installed."""
    def order(path: str) -> tuple[int, str]:
        name = path.rsplit("/", 1)[-1]
        return next((k for k, prefix in enumerate(FRONT_TO_BACK) if re.match(rf"{prefix}(\d+|[a-z])?\.", name)), 2), name

    return sorted(glob.glob(SOURCES[source].files[lang]), key=order)


@functools.cache
def _files(lang: str, source: str) -> tuple[tuple[Block, ...], ...]:
    """Per file (in reading order, `files`), its blocks of `source` in `lang`.

    Raises:
        ValueError: `lang` is neither "en" nor "zh", or `source` is not one of SOURCES.
        FileNotFoundError: the language's package is not installed (the message names it).
    """
    if source not in SOURCES:
        raise ValueError(f"prose source must be one of {sorted(SOURCES)}, not {source!r}")
    where = SOURCES[source]
    if lang not in where.files:
        raise ValueError(f"prose language must be one of {sorted(where.files)}, not {lang!r}")
    paths = files(lang, source)
    if not paths:
        package = where.packages[lang]
        raise FileNotFoundError(f"no {where.files[lang]}: the {source} document text needs the Debian package "
                                f"{package}; run `make setup` (or apt-get install {package})")
    chapters, lists = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            markup = f.read()
        chapters.append(tuple(_chapter_blocks(markup, lists)))
        lists += len(re.findall(r"<[uo]l\b", markup))  # each file's lists numbered after the one before's
    return tuple(chapters)


def _blocks(lang: str, source: str) -> list[tuple[str, str]]:
    """Every (tag, text) block of `source` in `lang`, files sorted by name."""
    return [(block.tag, block.text) for chapter in _files(lang, source) for block in chapter]


def _is_prose(text: str, lang: str) -> bool:
    """A paragraph of sentences in `lang`: long enough, and (for Chinese) mostly Chinese."""
    return len(text) >= MIN_CHARS[lang] and _in(text, lang)


def _in(text: str, lang: str) -> bool:
    """Whether a text is in `lang`: Chinese mostly Chinese (the translation reached it), English none."""
    han = len(HAN.findall(text))
    return han >= 0.3 * len(text) if lang == "zh" else han == 0


@functools.cache
def paragraphs(lang: str, source: str = DEFAULT) -> list[str]:
    """The prose paragraphs of `lang` ("en" or "zh") in `source`, deduplicated, in a fixed order.

    Args:
        lang: "en" or "zh".
        source: a key of SOURCES.

    Returns:
        one string per paragraph, whitespace collapsed to single spaces (the same list on every call: do not modify).

    Raises:
        ValueError: unknown `lang`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    return list(dict.fromkeys(t for tag, t in _blocks(lang, source) if tag == "p" and _is_prose(t, lang)))


@functools.cache
def headings(lang: str, source: str = DEFAULT) -> list[str]:
    """The section titles of `lang` in `source` (e.g. "1.1.6. Virtual consoles"), deduplicated, in a fixed order.

    Args:
        lang: "en" or "zh".
        source: a key of SOURCES.

    Returns:
        one string per heading of 4 to 80 characters (a Chinese one with Chinese in it: a translation's
        untranslated titles are left out).

    Raises:
        ValueError: unknown `lang`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    return list(dict.fromkeys(t for tag, t in _blocks(lang, source) if tag != "p" and _titled(t, lang)))


def _titled(text: str, lang: str) -> bool:
    """Whether a heading can title a page in `lang`: 4 to 80 characters, and for Chinese, translated."""
    return 4 <= len(text) <= 80 and (lang != "zh" or bool(HAN.search(text)))


@dataclass(frozen=True)
class Place:
    """Where a paragraph stands: the outermost and innermost headings over it that can title a page in its
    language (None where there is none: an untranslated section of a Chinese manual)."""

    chapter: str | None  # "Chapter 2. Debian package management" (a KiCad manual's name: "Schematic Editor")
    section: str | None  # "2.1.3. Package dependencies"


@functools.cache
def places(lang: str, source: str = DEFAULT) -> list[Place]:
    """The `Place` of each of `paragraphs(lang, source)`, index for index (where a repeated paragraph first
    stands).

    Raises:
        ValueError: unknown `lang` or `source`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    found: dict[str, Place] = {}
    for chapter in _files(lang, source):
        for _, block, place in _placed(chapter, lang):
            if _is_prose(block.text, lang) and block.text not in found:
                found[block.text] = place
    return [found[p] for p in paragraphs(lang, source)]


def _placed(chapter: tuple[Block, ...], lang: str) -> Iterator[tuple[int, Block, Place]]:
    """Each paragraph of a chapter, with its index in the chapter and the headings over it (`Place`: the
    outermost and innermost open headings that can title a page in `lang`)."""
    trail: dict[int, str] = {}  # heading level -> the heading open at that level
    for k, block in enumerate(chapter):
        if block.tag != "p":
            level = int(block.tag[1])
            trail = {n: v for n, v in trail.items() if n < level} | {level: block.text}
            continue
        titled = [trail[n] for n in sorted(trail) if _titled(trail[n], lang)]
        yield k, block, Place(titled[0], titled[-1]) if titled else Place(None, None)


@dataclass(frozen=True)
class Passage:
    """A paragraph of the text as it runs (a list item's or not), where it stands, and what its writer stressed.

    Attributes:
        text: the paragraph, whitespace collapsed.
        place: the headings over it (`Place`).
        path: the source's lists it stands in, outermost first (empty for a paragraph out of lists).
        opens: whether it is its list item's first paragraph (the others continue the item).
        runs: the source's stressed runs in `text`, as `Block.runs`.
    """

    text: str
    place: Place
    path: tuple[Level, ...] = ()
    opens: bool = True
    runs: tuple[tuple[int, int, str], ...] = ()


LEAD_CHARS = {"en": 8, "zh": 4}  # a paragraph leading into a list ("For example:") may be shorter than prose


@functools.cache
def passages(lang: str, source: str = DEFAULT) -> list[Passage]:
    """The text of `source` in `lang` in its order, lists kept as the source has them: for a page that flows a
    stretch of the manual (a list drawn from paragraphs found elsewhere put other sections' items under a heading,
    and the source's own items were flowed as loose paragraphs).

    Out of lists, the prose paragraphs of `paragraphs` (repeats where they stand) and a shorter one that leads into
    a list; in lists, every item's paragraphs, nested lists included, of each outermost list whose items are in
    `lang` (for Chinese: half of its items hold Chinese, as a translated list keeps untranslatable names such as
"Linux" and many commands).

    Raises:
        ValueError: unknown `lang` or `source`.
        FileNotFoundError: the Debian package holding the text is not installed.
    """
    found: list[Passage] = []
    for chapter in _files(lang, source):
        items: dict[int, list[Block]] = {}  # outermost list -> its blocks
        for block in chapter:
            if block.path and block.text:
                items.setdefault(block.path[0].list, []).append(block)
        kept = {n for n, blocks in items.items()
                if (sum(bool(HAN.search(b.text)) for b in blocks if b.opens) >= 0.5 * sum(b.opens for b in blocks)
                    if lang == "zh" else all(_in(b.text, lang) for b in blocks))}
        for k, block, place in _placed(chapter, lang):
            if block.path:
                keep = bool(block.text) and block.path[0].list in kept
            else:
                leads = k + 1 < len(chapter) and bool(chapter[k + 1].path) and chapter[k + 1].path[0].list in kept
                keep = _is_prose(block.text, lang) or (leads and len(block.text) >= LEAD_CHARS[lang]
                                                       and _in(block.text, lang))
            if keep:
                found.append(Passage(block.text, place, block.path, block.opens, block.runs))
    return found
