"""Which script a text is written in: the one set of CJK character ranges the project tests against.

Engines decide a sample's language by its Han characters, renderers pick a CJK font or xelatex for
any character a Latin font lacks, and readers compare Han characters one by one; each used to write
its own range (ten regexes, no two alike), so a character could count as Chinese to one and not the
other. `model.metrics` keeps GOT's own narrower test, which is GOT's definition, not ours.
"""

from __future__ import annotations

import re

# CJK Unified Ideographs Extension A, the unified block, and the compatibility ideographs.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Everything a Latin font lacks and a CJK font draws: radicals, CJK punctuation, kana, bopomofo, Han,
# Hangul, compatibility and vertical forms, full-width forms, and the supplementary ideograph planes.
CJK_RANGES = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"

HAN = re.compile(f"[{HAN_RANGES}]")  # a Chinese character (how engines tell zh text from en)
CJK = re.compile(f"[{CJK_RANGES}]")  # a character that needs a CJK font (or xelatex)

CJK_WIDE = f"[{HAN_RANGES}\u3000-\u303f\uff00-\uffef]"  # Han, CJK punctuation, full-width forms
_QUOTE = "[\u2018\u2019\u201c\u201d]"  # curly quotes: xeCJK sets them full width beside Chinese
# CJK and full-width punctuation (not full-width letters or digits): xeCJK prints no space after one whatever follows
_CJK_PUNCT = "[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
# Where xeCJK sets its CJK-Western glue, as wide as a word space, whether the source spaced there or not (measured
# in xelatex's text layer): between a Chinese character and a letter, a digit or an opening bracket after it, and
# between a letter, a digit, a closing bracket (not a math delimiter `\\)`) or a stop, comma, colon and the like and
# a Chinese character after it. None beside `-` and `/`, none before an ASCII stop or comma.
_HAN = f"[{HAN_RANGES}]"
_XECJK_GLUE = re.compile(f"(?<={_HAN})(?=[A-Za-z0-9(\\[])|(?<=[A-Za-z0-9%,.;:!?])(?={_HAN})"
                         f"|(?<=[)\\]])(?<!\\\\[)\\]])(?={_HAN})")
_XECJK_SPACE = re.compile(f"(?<={CJK_WIDE}) (?={CJK_WIDE}|{_QUOTE})|(?<={_QUOTE}) (?={CJK_WIDE})|(?<={_CJK_PUNCT}) ")


def xecjk_spaced(text: str) -> str:
    """`text` with its whitespace collapsed to single spaces, a space where xeCJK's glue shows one (`_XECJK_GLUE`: a
    target said "QEMU或者KVM" where the page shows QEMU 或者 KVM), and none left where xeCJK prints none: between two
    Chinese characters or marks, or between one and a curly quote, or after a Chinese mark (measured in xelatex's
    text layer: "、 sed", "： abc", "） abc" print no space, "abc ，" and "等 abc" do). A target said "第 9.4 节 “监控”
    where the page shows 节“监控, "...过程。 神经网络" where a paper's source broke the line inside a sentence, and
    "cut、grep、 sed" where the page shows grep、sed."""
    return _XECJK_SPACE.sub("", _XECJK_GLUE.sub(" ", " ".join(text.split())))


LINES_SHARE = 0.3  # a photo's or a hand's few lines: Chinese when CJK is this share of their characters
PAGE_SHARE = 0.1  # a document page: Chinese from this share on (Chinese papers set formulas and English terms)


def text_lang(text: str, share: float = LINES_SHARE) -> str:
    """The project's language of a text read from real data: "zh" when CJK characters are `share` of its non-space
    characters or more, else "en" (a Japanese sign's kana and kanji count on the Chinese side, as they need the same
    fonts and tokens).

    The share is the caller's on purpose, as the two kinds of text differ in how much Latin a Chinese one carries.
    A photo's or a handwritten page's few lines take `LINES_SHARE`: a Chinese sign with its English name is Chinese,
    an English sign with one stray character ("BEWARE OF MAINTENANCE 工") is not. A document page takes
    `PAGE_SHARE`: a Chinese paper's or report's page sets formulas, English terms, references and columns of
    figures in Latin, while an English page's Chinese (a name, a cited title) stays far under a tenth. Measured:
    the shared real PDFs' Chinese pages hold 37% CJK and more, 16 generated Chinese pages 43% and more, every
    English page of both 0%; the tenth leaves room for Chinese pages heavier in Latin (a reference list, a
    statement's columns of figures), where a third would call them English.
    """
    return "zh" if len(CJK.findall(text)) >= share * max(1, len("".join(text.split()))) else "en"
