"""A paper's markdown split per page by matching each page's PDF text, after Nougat (`split_md_to_pages.py`).

Nougat finds each page break in the markdown by fuzzy-searching the first words of the page (and the
last words of the page before) in it, scores a page by how well both its ends matched, and keeps pages
that score high enough. This follows it without its bag-of-words staircase (which narrows the search
on long papers): each search starts at the previous break and looks a few pages ahead. Matching runs on
words alone (lower case, accents and LaTeX command names removed; each Chinese character a word), so markup
and math spelling do not count against a page; page numbers and running heads (lines repeated across pages) are left out of the
PDF's words as Nougat's `clean_pdf_text` does.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Callable

from rapidfuzz.fuzz import partial_ratio_alignment

from renderers.pymupdf import PdfDocument
from renderers.scripts import HAN, HAN_RANGES

LETTER = rf"(?:(?![{HAN_RANGES}])[^\W\d_])"  # a letter of a script that spaces its words (Han is written unspaced)
# A word the matcher compares: each Chinese character, or a spaced script's run of three letters or more. Chinese is
# written without spaces, so a run of Han was one "word" (a whole sentence), which the ASCII fold below made "".
WORD = re.compile(rf"[{HAN_RANGES}]|{LETTER}{{3,}}")
SHORT = re.compile(rf"[{HAN_RANGES}]|{LETTER}+")  # ... or of any length: the short words ("to", "a") as well
COMPAT_HAN = re.compile("[\uf900-\ufaff]")  # CJK compatibility ideographs
HIDDEN = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{(align|gather)\*\}.*?\\end\{\1\*\}|\\[A-Za-z]+"
                    r"|(?m:^(?:Figure|Table) \d+:[^\n]*$)", re.S)
CAPTION = re.compile(r"(?m)^(Figure|Table)\s+(\d+)\s*:")
MIN_SCORE = 0.9  # Nougat's paper keeps pages whose ends match at 0.9 or more
MIN_AGREEMENT = 0.9  # and ours, only pages whose words agree with the PDF's as bags at 0.9 or more (word_agreement)
HYPHEN = re.compile(r"(\w)-\n(\w)")  # a word TeX hyphenated at a line's end
LETTER_HYPHEN = re.compile(r"([^\W\d_])-\n([^\W\d_])")  # ... not a word before a note's line ("fit-", "1We ...")
END_HYPHEN = re.compile(r"([^\W\d_]+)-\s*$")  # ... and at a page's end: the word goes on over the page
N_WORDS = 22  # Nougat's min_num_words: words of each page end searched for
AGREE_CHARS = 120  # how far apart (in matched words' characters) a page's last and the next page's first words may be
MATH_LETTERS = re.compile("[\U0001D400-\U0001D7FF]+")  # math italic and bold letters: a formula's, not prose
# How `\\fnsymbol` marks print in the text layer.
NOTE_MARKS = {"*": r"\*|∗", "\\dagger": "†", "\\ddagger": "‡", "\\S": "§", "\\P": "¶", "\\|": "‖"}
UNIT_RE = re.compile(r"[^\W_]")  # a letter or digit: prose between the short words and the break
HEADING = re.compile(r"(?:\n|^)(#+ [^\n]*)\s*$")  # a markdown page's last line, when it is a heading


def strip_notes(texts: list[str], notes: dict[str, str]) -> tuple[list[str], list[set[str]]]:
    """Each page's text (`page_texts`) without the footnotes it prints, and the marks of those notes.

    A page's notes print at its foot, after text that may go on over the page, so a page's last
    words are a note's while its body's last words lead to the next page: pages are matched on their
    bodies, and each note is checked to print on the page its target puts it on. A note is found as a
    line opening with its mark, then its words in order; words TeX hyphenated at line ends are joined.

    Args:
        texts: each page's text.
        notes: the paper's notes by markdown mark (`engines.pages.mmd.split_notes`).
    """
    wanted = {}
    for mark, line in notes.items():
        inner = re.fullmatch(r"\\\(\{ \}\^\{(.+)\}\\\)", mark)
        if inner and (words := [w for w, _ in _words(line[len(mark):])]):
            wanted[mark] = (NOTE_MARKS.get(inner[1], re.escape(inner[1])), words)
    out, found = [], []
    for text in texts:
        text, here = LETTER_HYPHEN.sub(r"\1\2", text), set()
        for mark, (printed, words) in wanted.items():
            for m in re.finditer(rf"(?m)^\s*(?:{printed})\s*", text):
                end = _through(text, m.end(), words)
                if end is not None:
                    text, here = text[:m.start()] + text[end:], here | {mark}
                    break
        out.append(text)
        found.append(here)
    return out, found


def _through(text: str, start: int, words: list[str]) -> int | None:
    """Where `words` end when `text` reads them from `start` in order (other words, such as math letters, between
    them allowed), None when it does not: its first word must come first."""
    got = _words(text[start:])
    if not got or got[0][0] != words[0]:
        return None
    k = 0
    for word, at in got:
        if word == words[k]:
            k += 1
            if k == len(words):  # the note's line goes on to its end (math after its last word: "predict yo(t).")
                stop = text.find("\n", start + at + len(word))
                return len(text) if stop < 0 else stop
    return None


def masked(text: str) -> str:
    """`text` with its math (markdown's `\\( \\)`, `\\[ \\]`, math letters of the PDF), command names and captions
    blanked, offsets kept."""
    return MATH_LETTERS.sub(lambda m: " " * len(m[0]), HIDDEN.sub(lambda m: " " * len(m[0]), text))


def _fold(word: str) -> str:
    """A word as the matcher compares it: lower case, accents removed; a Chinese character exactly as itself."""
    if HAN.fullmatch(word):
        return word
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _words(text: str) -> list[tuple[str, int]]:
    """(word, offset) of the prose words of `text` (`WORD`: three letters or more, or one Chinese character), folded
    (`_fold`).

    Math and LaTeX command names are skipped in the markdown; in the PDF's text they come out as
    single symbols and digits, which the length floor drops, or as math letters (𝐹𝐿𝑅𝑐 of unicode-math
    fonts), which are masked, so both sides are compared on prose.
    """
    text = masked(text)
    return [(_fold(m[0]), m.start()) for m in WORD.finditer(text)]


def furniture_lines(pages: list[list[str]]) -> Callable[[str], bool]:
    """Whether a line of a paper (`pages`: each page's text lines) may be page furniture: a page number (digits alone)
    or a line that recurs on many pages (a running head), as Nougat's `clean_pdf_text` drops them."""
    common = Counter(line for lines in pages for line in set(lines))
    repeated = {line for line, n in common.items() if len(pages) > 2 and n >= 0.4 * len(pages)}
    return lambda line: line in repeated or re.fullmatch(r"[\d\s\-–]+", line) is not None


def page_texts(pdf: PdfDocument) -> list[str]:
    """Each page's text lines, without page numbers and lines that recur on many pages (running heads).

    A compatibility ideograph is read as the unified one it is drawn the same as: xdvipdfmx's text layer maps some
    shared glyphs to them (不 as U+F967), while a target, written from the source, must say the unified one.
    """
    pages = [[COMPAT_HAN.sub(lambda m: unicodedata.normalize("NFKC", m[0]), t.text.strip())
              for t in pdf.texts(p, dpi=72)] for p in range(len(pdf))]
    furniture = furniture_lines(pages)
    return ["\n".join(line for line in lines if not furniture(line)) for lines in pages]


def page_words(texts: list[str], markdown: str = "") -> list[list[str]]:
    """Each page's prose words (`page_texts`), words TeX hyphenated at a line's end joined, without the words of the
    figure and table captions `markdown` holds ("Figure 2: ..." lines).

    Floats go where LaTeX finds room, often a page away from the text around them, so neither side's
    captions take part in matching (the markdown's are hidden by `_words`); whether a page's captions
    are the ones its markdown holds is checked apart (`engines.pages.source.floats_in_place`).
    """
    sizes = {f"{m[1]} {m[2]}": len(_words(m[0][m.end(2) - m.start():].lstrip(":"))) + 1
             for m in re.finditer(r"(?m)^(Figure|Table) (\d+):.*$", markdown)}  # + "Figure"
    out = []
    for text in texts:
        text = HYPHEN.sub(r"\1\2", text)
        for m in reversed(list(CAPTION.finditer(text))):
            if (n := sizes.get(f"{m[1]} {m[2]}")) is not None:  # the caption's words after "Figure 2:"
                cut = [w.end() for w in WORD.finditer(text, m.start())][:n]
                text = text[:m.start()] + " " + text[cut[-1] if cut else m.end():]
        out.append([w for w, _ in _words(text)])
    return out


def end_fragments(texts: list[str]) -> list[str]:
    """The part of a word that each page (`page_texts`) hyphenates at its very end, "" where none does."""
    return [m[1] if (m := END_HYPHEN.search(text)) else "" for text in texts]


def split_markdown(markdown: str, pages: list[list[str]], fragments: list[str] | None = None,
                   leads: list[list[str]] | None = None) -> list[tuple[str, float]]:
    """The markdown of each page and its match score, Nougat's way.

    Args:
        markdown: the whole paper's Mathpix markdown.
        pages: each PDF page's words (`page_words`).
        fragments: the part of a word each page hyphenates at its end (`end_fragments`): that word is
            cut as the pages cut it (`hyphen-` ending one page, `ated` opening the next), not given whole
            to one of them.
        leads: the short words (under three letters) each page prints before its first word of `pages`:
            the break moves back over them ("to" of "to exploit"), which the matched words cannot see.

    Returns:
        One (markdown, score) per page; score is the mean of how well the page's first and last words
        matched (1.0 at the document's ends), in [0, 1].
    """
    words = _words(markdown)
    if not words or not pages:
        return [("", 0.0) for _ in pages]
    joined, starts, pos = [], [], 0
    for w, _ in words:
        starts.append(pos)
        joined.append(w)
        pos += len(w) + 1
    text = " ".join(joined)
    span = 3 * len(text) // max(1, len(pages)) + 2000  # how far ahead a page break is searched for
    breaks, scores, at = [0], [1.0], 0
    for k in range(1, len(pages)):
        first, last = " ".join(pages[k][:N_WORDS]), " ".join(pages[k - 1][-N_WORDS:])
        if len(pages[k]) < 2 or not last:
            breaks.append(breaks[-1])
            scores.append(0.0)
            continue
        window = text[at:at + span]
        found, before = partial_ratio_alignment(first, window), partial_ratio_alignment(last, window)
        cut = at + found.dest_start
        # both ends must meet at the break: a float or a footnote between them makes the cut a guess
        agree = abs(found.dest_start - before.dest_end) <= AGREE_CHARS
        scores.append((found.score + before.score) / 200 if agree else 0.0)
        word = _snap(words, pages[k - 1], max(0, min(len(starts) - 1, _index(starts, cut))))
        breaks.append(max(breaks[-1], word))
        at = starts[breaks[-1]]
    breaks.append(len(words))
    scores.append(1.0)
    cuts = [_line_start(markdown, words[b][1]) if b < len(words) else len(markdown) for b in breaks]
    for k, lead in enumerate(leads or [], start=0):
        if lead and 0 < k < len(pages) and (at := _short_lead(markdown, cuts[k], lead)) is not None:
            cuts[k] = max(cuts[k - 1], _line_start(markdown, at))
    hyphens = [False] * len(cuts)
    for k, fragment in enumerate(fragments or [], start=1):
        if fragment and k < len(pages) and (at := _cut_in_word(markdown, words, breaks[k], fragment)) is not None:
            cuts[k], hyphens[k] = at, True
    out = []
    for k in range(len(pages)):
        text = markdown[cuts[k]:cuts[k + 1]].strip()
        out.append([text + ("-" if hyphens[k + 1] and text else ""), (scores[k] + scores[k + 1]) / 2])
    # LaTeX keeps a heading with the text after it, so a page never ends with one: a heading the
    # fuzzy break left at a page's end belongs to the next page.
    for k in range(len(out) - 1):
        while (heading := HEADING.search(out[k][0])) and heading.start(1) > 0:
            out[k][0], out[k + 1][0] = out[k][0][:heading.start(1)].strip(), f"{heading[1]}\n\n{out[k + 1][0]}".strip()
    return [(text, score) for text, score in out]


def _snap(words: list[tuple[str, int]], previous: list[str], at: int, n: int = 4, reach: int = 3) -> int:
    """The break `at` (a word of `words`), moved by up to `reach` words to where the markdown's words before it are
    the `n` words the page before prints last, where exactly one such place is near; else `at` itself.

    The fuzzy search can land a word off where words are short: with a Chinese character a word, a page printing
    "...使用它。" lost its "它" to the next page (refused by `ends_agree`, but a page lost).
    """
    tail = previous[-n:]
    fits = [d for d in range(-reach, reach + 1)
            if len(tail) <= at + d <= len(words) and [w for w, _ in words[at + d - len(tail):at + d]] == tail]
    return at + fits[0] if len(fits) == 1 else at


def _short_lead(markdown: str, cut: int, lead: list[str]) -> int | None:
    """Where the short words `lead` start when the markdown's prose just before `cut` ends with them, else None."""
    runs = list(SHORT.finditer(masked(markdown[:cut])))[-len(lead):]
    if [m[0].lower() for m in runs] != lead or any(UNIT_RE.search(masked(markdown[m.end():cut])) for m in runs[-1:]):
        return None
    return runs[0].start()


def _cut_in_word(markdown: str, words: list[tuple[str, int]], first: int, fragment: str) -> int | None:
    """Where in `markdown` the word a page hyphenates as `fragment` is cut: the word just before the
    page break (`first` is the next page's first word) or just after it, when it starts with the fragment."""
    for w in (first - 1, first):
        if 0 <= w < len(words):
            word, offset = words[w]
            n = len(fragment)
            if len(word) > n and markdown[offset:offset + n].lower() == fragment.lower():
                return offset + n
    return None


def word_agreement(markdown: str, words: list[str]) -> float:
    """How well a page's markdown and its PDF words agree as bags of prose words: the lower of the share
    of the markdown's words the page shows and the share of the page's words the markdown holds.

    The match score checks a page's two ends only; this catches what lies between them (a title
    block the conversion left out, a float placed on another page).
    """
    target, shown = Counter(w for w, _ in _words(markdown)), Counter(words)
    if not target or not shown:
        return 0.0
    common = sum((target & shown).values())
    return min(common / sum(target.values()), common / sum(shown.values()))


def _index(starts: list[int], offset: int) -> int:
    """The word whose text starts at or after `offset` in the joined words."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _line_start(markdown: str, offset: int) -> int:
    """`offset`, moved back to its line's start when only markup (#, -, 1., \\[, \\() comes before it there."""
    line = markdown.rfind("\n", 0, offset) + 1
    return line if re.fullmatch(r"[#\-*\s\d.]*(\\[\[(])?\s*", markdown[line:offset]) else offset
