"""Sentences about math: how a generated page's prose speaks of its formulas' symbols.

Why: a formula dropped at a random word of a sentence ("staged to \\(-\\phi_{l} = 3\\) the index") is
nothing a paper prints; papers bring inline math in sentences about it ("where \\(\\alpha\\) is the step
size", "for all \\(i \\leq n\\)", "with \\(x_{t} \\in \\mathbb{R}^{d}\\)"). So a document keeps its
`Notation`, the symbols of the last displayed formula it printed (or of a formula it never prints, before
the first), and its prose gets whole sentences from a small grammar (`TEMPLATES`, in English and Chinese)
that name those symbols with a noun fitting their kind (an index, a matrix or set, a parameter, a
variable). A display may be followed by its "where" clause (`where`), as papers define a formula's symbols
under it.

The sentences' prose is plain printable text (`engines.pages.content` rules: no TeX specials, no
ligature pairs), so the target stays the source text itself.
"""

from __future__ import annotations

import re

import numpy as np

from engines.base import pick
from engines.formulas.content import GREEK, GREEK_UPPER, random_formula
from engines.pages.blocks import CLAUSE, Segment
from renderers.scripts import HAN

# Parts of a formula that hold letters but no symbol of their own: words, environments, number sets.
_WORDS = re.compile(r"\\(?:text|mathrm|operatorname|begin|end|mathbb)\{[^{}]*\}")
_MARKS = ("mathbf", "mathcal", "boldsymbol", "hat", "bar", "tilde", "vec", "dot", "ddot", "check", "widehat",
          "widetilde", "overline")  # a math alphabet or an accent over one letter: part of the symbol
_KEPT = frozenset(GREEK + GREEK_UPPER + _MARKS)
_COMMAND = re.compile(r"\\([a-zA-Z]+)")
_ALPHABET = rf"\\(?:{'|'.join(_MARKS)})\{{(\\?[A-Za-z]+)\}}"
_GREEK = rf"\\(?:{'|'.join(GREEK + GREEK_UPPER)})(?![A-Za-z])"
# a letter, Greek letter or marked letter, with its subscript when that is a letter, a Greek letter or digits
SYMBOL = re.compile(rf"(?:{_ALPHABET}|{_GREEK}|(?<![\\A-Za-z])[A-Za-z](?![A-Za-z]))"
                    rf"(?:_\{{(?:[A-Za-z0-9]{{1,3}}|{_GREEK})\}}|_(?:{_GREEK}|[A-Za-z0-9](?![A-Za-z0-9])))?")
_BASE = re.compile(rf"{_ALPHABET}|\\?[A-Za-z]+")
COUNTS, INDICES = "nmNKT", "ijkl"
NOT_SYMBOLS = frozenset(("d", "e", "\\pi"))  # a differential's d, Euler's e, pi

NOUNS = {
    "count": {"en": ("the number of samples", "the number of iterations", "the horizon", "the batch size",
                     "the dimension of the input", "the number of layers"),
              "zh": ("样本数", "迭代次数", "时域长度", "批大小", "输入维数", "网络层数")},
    "index": {"en": ("the index of the sample", "the step index", "the index of the layer", "the iteration"),
              "zh": ("样本的序号", "步的序号", "层的序号", "迭代的序号")},
    "matrix": {"en": ("the weight matrix", "the transition matrix", "the covariance matrix", "the feasible set",
                      "the linear operator", "the design matrix", "the set of states"),
               "zh": ("权重矩阵", "转移矩阵", "协方差矩阵", "可行集", "线性算子", "设计矩阵", "状态集合")},
    "parameter": {"en": ("the learning rate", "the step size", "the noise variance", "a positive constant",
                         "the threshold", "the regularisation weight", "the kernel width", "the decay rate",
                         "the tolerance"),
                  "zh": ("学习率", "步长", "噪声方差", "一个正常数", "阈值", "正则化系数", "核宽度", "衰减率", "容差")},
    "variable": {"en": ("the input", "the output", "the estimate", "the residual", "the hidden state",
                        "the target value", "the observation", "the error term", "the control input"),
                 "zh": ("输入", "输出", "估计值", "残差", "隐状态", "目标值", "观测值", "误差项", "控制输入")},
}
SETS = {"count": (r"\mathbb{N}", r"\{1, \ldots, N\}"), "index": (r"\{1, \ldots, n\}", r"\mathbb{N}"),
        "matrix": (r"\mathbb{R}^{n \times m}", r"\mathbb{R}^{d \times d}", r"\mathbb{C}^{n \times n}"),
        "parameter": (r"(0, 1)", r"[0, 1]", r"\mathbb{R}_{+}", r"(0, \infty)"),
        "variable": (r"\mathbb{R}^{d}", r"\mathbb{R}^{n}", r"\mathcal{X}", r"[0, 1]", r"\{0, 1\}^{n}")}
NUMBERS = ("0.5", "0.01", "10^{-3}", "1", "2", "0.9", "10^{-4}", "100")
COSTS = (r"O(n \log n)", r"O(n^{2})", r"O(n)", r"O(\log n)", r"O(n^{3})")
# Each template: prose with {0}, {1} ... where the formulas go; the formula makers (`_FILL`) say what each is.
TEMPLATES = {
    "en": (("Here {0} denotes {n0}.", "symbol"), ("Let {0} be {n0}.", "symbol"),
           ("We write {0} for {n0} and {1} for {n1}.", "symbol symbol"),
           ("Let {0} be {n0}, with {1}.", "symbol member"), ("We assume {0} throughout.", "bound"),
           ("This holds for all {0}.", "range"), ("In the limit {0} the error vanishes.", "limit"),
           ("The cost grows as {0} in the worst case.", "cost"), ("Unless stated otherwise, {0}.", "value"),
           ("Each {0} is drawn from {1}.", "symbol set"), ("The sum runs over {0}.", "range"),
           ("Note that {0} is {n0}, not {n1}.", "symbol")),
    "zh": (("这里{0}表示{n0}。", "symbol"), ("设{0}为{n0}。", "symbol"), ("记{0}为{n0}，{1}为{n1}。", "symbol symbol"),
           ("设{0}为{n0}，且{1}。", "symbol member"), ("下文均假设{0}。", "bound"), ("该式对所有{0}成立。", "range"),
           ("当{0}时，误差趋于零。", "limit"), ("最坏情况下，其复杂度为{0}。", "cost"), ("除非另有说明，取{0}。", "value"),
           ("每个{0}都取自{1}。", "symbol set"), ("求和遍历{0}。", "range")),
}
WHERE = {"en": (CLAUSE[0], ", ", " and ", " is ", "."), "zh": (CLAUSE[1], "，", "，", "为", "。")}


def symbols(formula: str) -> list[str]:
    """The symbols `formula` uses, in order, each once: letters and Greek letters (with a simple subscript or
    a math alphabet or accent), not the letters of words, environments or functions' names."""
    bare = _COMMAND.sub(lambda m: m[0] if m[1] in _KEPT else " ", _WORDS.sub(" ", formula))  # \\frac, \\sin ...
    found = [m[0] for m in SYMBOL.finditer(bare)]
    return [s for s in dict.fromkeys(found) if s not in NOT_SYMBOLS]


def kind(symbol: str) -> str:
    """What a symbol usually stands for in a paper: "count", "index", "matrix" (or set), "parameter" or
    "variable"."""
    base = _BASE.match(symbol)
    letter = (base[1] or base[0]) if base else symbol
    if symbol in COUNTS or symbol in INDICES:
        return "count" if symbol in COUNTS else "index"
    if symbol.startswith("\\mathcal") or letter.lstrip("\\")[:1].isupper():
        return "matrix"
    if letter.startswith("\\") and letter.lstrip("\\") in GREEK:
        return "parameter"
    return "variable"


class Notation:
    """A document's symbols: those of the last displayed formula it printed (`use`), at first those of a formula
    drawn for the purpose, so prose speaks of the symbols the page's formulas use."""

    STOCK = ("x", "n", r"\alpha", "A")

    def __init__(self, rng: np.random.Generator) -> None:
        self.symbols: list[str] = []
        self.names: dict[str, str] = {}  # what each symbol was called: a symbol keeps its meaning in a document
        self.said: set[tuple[str, str]] = set()  # the templates used (each once before any again)
        self.use(random_formula(rng, display=True))

    def use(self, formula: str) -> None:
        """Speak of `formula`'s symbols from now on (the stock ones where it has fewer than two)."""
        found = symbols(formula)
        self.symbols = found + [s for s in self.STOCK if s not in found][:max(0, 2 - len(found))]

    def pick(self, rng: np.random.Generator, n: int) -> list[str]:
        """`n` different symbols of the notation (fewer when it has fewer)."""
        k = min(n, len(self.symbols))
        return [self.symbols[int(i)] for i in rng.choice(len(self.symbols), size=k, replace=False)]


def _noun(rng: np.random.Generator, lang: str, symbol: str, taken: set[str], names: dict[str, str]) -> str:
    """What `symbol` stands for: what the document called it before (`names`), else a noun of its kind not
    `taken` in the sentence and, where one is left, that no other symbol stands for, which it keeps from now
    on."""
    if symbol in names and names[symbol] not in taken:
        noun = names[symbol]
    else:  # a noun no other symbol stands for, where one is left
        nouns = [n for n in NOUNS[kind(symbol)][lang] if n not in taken]
        free = [n for n in nouns if n not in names.values()] or nouns
        noun = names.setdefault(symbol, pick(rng, free))
        noun = noun if noun not in taken else nouns[0]
    taken.add(noun)
    return noun


def _fill(rng: np.random.Generator, what: str, notation: Notation, named: str = "") -> str:
    """One formula for a template's slot `what`, from the notation's symbols where it names one (`named`, the
    symbol the sentence named before, for a membership or a set: "let \\(x\\) be ..., with \\(x \\in ...\\)")."""
    one = named or notation.pick(rng, 1)[0]
    if what in ("bound", "value"):  # a parameter's (else a variable's), where the notation has one
        one = next((s for k in ("parameter", "variable") for s in notation.symbols if kind(s) == k), one)
    index = next((s for s in notation.symbols if kind(s) == "count"), "n")
    i = "k" if index == "i" else "i"
    if what == "symbol":
        return one
    if what == "member":
        return f"{one} \\in {pick(rng, SETS[kind(one)])}"
    if what == "set":
        return pick(rng, SETS[kind(one)])
    if what == "bound":
        return (f"{one} > 0", f"0 < {one} < 1", f"{one} \\leq 1", f"|{one}| \\leq 1")[int(rng.integers(4))]
    if what == "range":
        return (f"{i} = 1, \\ldots, {index}", f"{i} \\leq {index}", f"1 \\leq {i} \\leq {index}")[int(rng.integers(3))]
    if what == "limit":
        return f"{index} \\to \\infty"
    if what == "cost":
        return pick(rng, COSTS)
    return f"{one} = {pick(rng, NUMBERS)}"  # "value"


def _segments(lang: str, pattern: str, formulas: list[str], nouns: list[str]) -> tuple[Segment, ...]:
    """`pattern`'s prose and formulas as segments ({k} a formula, {nk} a noun), spaced (`spaced`)."""
    text = re.sub(r"\{n(\d)\}", lambda m: nouns[int(m[1])], pattern)
    out: list[Segment] = []
    for k, part in enumerate(re.split(r"\{(\d)\}", text)):
        if k % 2:
            out.append(Segment(formulas[int(part)], math=True))
        elif part:
            out.append(Segment(part))
    return spaced(out)


def spaced(segments: list[Segment]) -> tuple[Segment, ...]:
    """Prose and formulas joined as a paper sets them: a space between a formula and a Chinese character ("设
    \\(x\\) 为"), as Chinese papers type them (xeCJK does not space math), none by Chinese punctuation; English
    templates carry their own spaces."""
    out = list(merge(segments))
    for k, seg in enumerate(out):
        if seg.math or seg.note:
            continue
        text = seg.text
        if k and out[k - 1].math and HAN.match(text):
            text = " " + text
        if k + 1 < len(out) and out[k + 1].math and text and HAN.match(text[-1]):
            text += " "
        out[k] = Segment(text)
    return tuple(out)


def sentence(rng: np.random.Generator, lang: str, notation: Notation) -> tuple[Segment, ...]:
    """A sentence of a paper's prose about the notation's symbols (a template of `TEMPLATES`)."""
    fresh = [t for t in TEMPLATES[lang] if t not in notation.said] or list(TEMPLATES[lang])
    pattern, slots = pick(rng, fresh)
    notation.said = {*notation.said, (pattern, slots)} if len(fresh) > 1 else set()
    slots = slots.split()
    if slots == ["symbol", "symbol"]:
        formulas = notation.pick(rng, 2)  # a notation has two symbols at least
    else:
        formulas = []
        for what in slots:
            formulas.append(_fill(rng, what, notation, formulas[0] if what in ("member", "set") and formulas else ""))
    taken: set[str] = set()
    first = formulas[0] if slots[0] == "symbol" else notation.symbols[0]
    second = formulas[-1] if slots == ["symbol", "symbol"] else first
    nouns = [_noun(rng, lang, first, taken, notation.names),  # a second symbol's noun, or one it is not
             _noun(rng, lang, second, taken, notation.names if second != first else {})]
    return _segments(lang, pattern, formulas, nouns)


def where(rng: np.random.Generator, lang: str, formula: str, notation: Notation) -> tuple[Segment, ...] | None:
    """The clause under a displayed formula defining 1-3 of its symbols ("where \\(x\\) is the input and
    \\(\\alpha\\) is the step size."), or None when it has no symbol."""
    found = symbols(formula)
    if not found:
        return None
    chosen = [found[int(i)] for i in sorted(rng.choice(len(found), size=min(len(found), int(rng.integers(1, 4))),
                                                        replace=False))]
    opening, comma, last, verb, stop = WHERE[lang]
    taken: set[str] = set()
    out: list[Segment] = [Segment(opening)]
    for k, symbol in enumerate(chosen):
        if k:
            out.append(Segment(last if k == len(chosen) - 1 else comma))
        out += [Segment(symbol, math=True), Segment(verb + _noun(rng, lang, symbol, taken, notation.names))]
    out.append(Segment(stop))
    return spaced(out)


def merge(segments: list[Segment] | tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Adjacent prose runs joined into one (a page break cuts prose by units, so a run is a run)."""
    out: list[Segment] = []
    for s in segments:
        if out and not s.math and not out[-1].math and not s.note and not out[-1].note and not s.tex and not out[-1].tex:
            out[-1] = Segment(out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)
