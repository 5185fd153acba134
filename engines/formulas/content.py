"""Realistic LaTeX math from an rng: what papers write, at the lengths papers write it.

A formula is built top-down from a token budget. The budget of a display formula is drawn from a
log-normal fitted to 700 real arXiv display formulas (im2latex's sample, `\\label` dropped: median
48 tokens, quartiles 32 and 73, 90th percentile 106; `tests/engines/test_formulas.py` compares), that of an
inline formula from a shorter one (median 9 tokens). The budget is then spent on a structure
(a relation chain, `cases`, `aligned` rows, a matrix equation) whose sides are sums of terms, and
each term on a construct chosen by its size: scripted symbols and numbers when little is left;
fractions, roots, big operators with limits, `\\left...\\right` groups, function applications and
derivatives when more is. Weights follow what the real formulas use most (`\\frac`, `\\left`,
Greek, `\\partial`, accents, `\\sum`/`\\int` with limits).

Everything generated is valid in both of the project's math renderers: MathJax (through
Mathpix-markdown-it) and LaTeX with `amsmath` and `amssymb` (`PREAMBLE`). The output is the math
body alone, without delimiters: the caller writes `\\[ ... \\]` or `\\( ... \\)` around it.
"""

from __future__ import annotations

import math
import re

import numpy as np

from engines.base import pick

# What LaTeX needs to typeset every generated formula (MathJax needs nothing more).
PREAMBLE = r"\usepackage{amsmath}\usepackage{amssymb}"

TOKEN = re.compile(r"\\[a-zA-Z]+|\\.|\S")
# Log-normal token budgets (mu = ln median): display fitted to the real formulas, inline shorter.
DISPLAY_TOKENS = (math.log(32.0), 0.68)
INLINE_TOKENS = (math.log(5.5), 0.7)
MAX_TOKENS = 400

LATIN = "xyztrsuvwabcknmpqfghlde"
LATIN_UPPER = "ABCDEFGHJKLMNPQRSTUVWXZ"
GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "kappa",
         "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "omega")
GREEK_UPPER = ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega")
ACCENTS = ("hat", "bar", "tilde", "vec", "dot", "ddot", "widetilde", "widehat", "overline", "check")
INDICES = ("i", "j", "k", "l", "m", "n", "a", "b", "0", "1", "2", "t", r"\mu", r"\nu", r"\alpha", r"\beta")
SUPERS = ("2", "2", "2", "3", "n", "-1", r"\prime", r"\dagger", "*", "T", r"\top", "(k)", r"\mu", "k", "1/2", "-2")
FUNCS = ("sin", "cos", "tan", "exp", "log", "ln", "sinh", "cosh", "tanh", "det", "arctan", "Im", "Re")
RELATIONS = (("=", 60), (r"\leq", 5), (r"\geq", 4), ("<", 3), (">", 2), (r"\approx", 4), (r"\equiv", 4),
             (r"\sim", 3), (r"\simeq", 2), (r"\propto", 2), (r"\neq", 2), (r"\to", 2), (":=", 2), (r"\ll", 1),
             (r"\le", 1), (r"\cong", 1))
BINARY = (("+", 50), ("-", 30), (r"\pm", 3), (r"\cdot", 4), (r"\times", 3), (r"\otimes", 2), (r"\oplus", 1),
          (r"\wedge", 1), (r"\circ", 1), ("/", 2))
BIG_OPS = ((r"\sum", 30), (r"\int", 30), (r"\prod", 8), (r"\oint", 2), (r"\iint", 2), (r"\lim", 6), (r"\max", 3),
           (r"\min", 3), (r"\sup", 2), (r"\bigcup", 1), (r"\bigoplus", 1))
DELIMITERS = (("(", ")", 50), ("[", "]", 20), (r"\{", r"\}", 8), ("|", "|", 6), (r"\langle", r"\rangle", 6),
              (r"\|", r"\|", 3), (r"\lfloor", r"\rfloor", 1))
SIZES = ("", r"\big", r"\Big", r"\bigg")
SPACES = (r"\,", r"\;", r"\quad", r"\qquad", r"\!")
CONSTANTS = (r"\infty", r"\hbar", r"\ell", r"\pi", r"\hbar \omega", r"2 \pi", r"\kappa^{2}")
OPERATORS = (r"\nabla", r"\nabla^{2}", r"\partial_{\mu}", r"\partial_{t}", r"\Delta", r"\nabla \cdot", r"\nabla \times",
             r"D_{\mu}", r"\partial^{\mu}")
TEXT_WORDS = ("if", "otherwise", "for", "for all", "and", "where", "with", "else", "s.t.", "const.", "if and only if",
              "on", "in", "as", "for some")
DOMAINS = ("V", "M", r"\Omega", r"\partial V", "S", r"\mathbb{R}^{n}")
LIMITS = ("0", r"\infty", "a", r"0^{+}")
SETS = ("A", "S", r"\mathcal{X}", r"\Omega", "[0,1]")
NAMED = ("tr", "sgn", "diag", "rank", "Tr", "erf", "span")
MATRICES = ("pmatrix", "bmatrix", "vmatrix", "matrix", "Bmatrix")


def latex_tokens(latex: str) -> int:
    """How many TeX tokens a formula has: control sequences, escaped characters and other non-space characters."""
    return len(TOKEN.findall(latex))


def _by_weight(rng: np.random.Generator, weighted) -> str:
    """One item of ((item, weight), ...) by weight."""
    items, weights = zip(*[(w[:-1] if len(w) > 2 else w[0], w[-1]) for w in weighted])
    return pick(rng, items, weights)


def _join(first: str, second: str) -> str:
    """Two pieces of math side by side; a space where a control word would swallow the next letter."""
    return f"{first} {second}" if re.search(r"\\[a-zA-Z]+$", first) and second[:1].isalpha() else first + second


def _braced(text: str) -> str:
    """`text` as a script or argument: bare when it is one token, else in braces."""
    return text if latex_tokens(text) == 1 and not text.startswith("\\") or len(text) == 1 else "{" + text + "}"


class FormulaGenerator:
    """One formula per instance: an rng, and whether it is displayed (multi-line structures allowed)."""

    def __init__(self, rng: np.random.Generator, display: bool) -> None:
        self.rng = rng
        self.display = display

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    # --- atoms -----------------------------------------------------------------------------------
    def letter(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return pick(self.rng, LATIN)
        if r < 0.62:
            return pick(self.rng, LATIN_UPPER)
        if r < 0.93:
            return "\\" + pick(self.rng, GREEK)
        return "\\" + pick(self.rng, GREEK_UPPER)

    def symbol(self) -> str:
        """A letter, sometimes accented or in a math alphabet."""
        base, r = self.letter(), self.rng.random()
        if r < 0.12:
            return f"\\{pick(self.rng, ACCENTS)}{{{base}}}"
        if r < 0.17:
            return f"\\mathcal{{{pick(self.rng, LATIN_UPPER)}}}"
        if r < 0.2:
            return f"\\mathbf{{{pick(self.rng, LATIN + LATIN_UPPER)}}}"
        if r < 0.22:
            return f"\\mathbb{{{pick(self.rng, 'RCNZQEP')}}}"
        if r < 0.24 and base.startswith("\\"):
            return f"\\boldsymbol{{{base}}}"
        if r < 0.26:
            return f"\\mathrm{{{pick(self.rng, 'deiMDKTN')}}}"
        return base

    def index(self, depth: int) -> str:
        """A subscript: an index letter, a pair of indices, a number, or (rarely) a small expression."""
        r = self.rng.random()
        if r < 0.55:
            return pick(self.rng, INDICES)
        if r < 0.72:
            return _join(pick(self.rng, INDICES), pick(self.rng, INDICES))
        if r < 0.82:
            return str(int(self.rng.integers(0, 13)))
        if r < 0.9 and depth < 2:
            return f"{pick(self.rng, 'ijknm')}{pick(self.rng, '+-')}1"
        if r < 0.95 and depth < 2:
            return f"{pick(self.rng, 'ijknm')}_{{{pick(self.rng, '0123ijk')}}}"  # a nested script
        return r"\mathrm{" + pick(self.rng, ("max", "min", "eff", "tot", "in", "out", "opt", "ext", "c")) + "}"

    def scripted(self, depth: int = 0) -> str:
        out = self.symbol()
        if self.chance(0.42):
            out += "_" + _braced(self.index(depth))
        if self.chance(0.25):
            sup = pick(self.rng, SUPERS) if depth > 1 or self.chance(0.85) else self.exponent()
            out += "^" + ("{" + sup + "}" if sup in (r"\prime", r"\dagger") and self.chance(0.5) else _braced(sup))
        return out

    def exponent(self) -> str:
        """A short expression in a superscript: `{n+1}`, `{-i \\omega t}`, `{-x^{2}/2}`."""
        var, greek = pick(self.rng, "nkmNx"), pick(self.rng, GREEK)
        return pick(self.rng, (f"{var}+1", f"{var}-1", f"2{var}", f"-i \\{greek} t", f"-\\{greek} {var}",
                               f"-{var}^{{2}}/2", f"i k {var}", f"\\{greek}/2", f"-{var}", f"2 \\pi i {var}"))

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return str(int(self.rng.choice([2, 2, 2, 3, 4, 0, 5, 6, 8, 10, 12, 16, 24, 32, 100])))
        if r < 0.85:
            digits = int(self.rng.integers(1, 4))
            return f"{self.rng.uniform(10 ** -digits, 10):.{digits}f}".rstrip("0").rstrip(".") or "0.5"
        return f"10^{{{int(self.rng.integers(-9, 10))}}}"

    # --- constructs ------------------------------------------------------------------------------
    def fraction(self, size: int, depth: int) -> str:
        cmd = _by_weight(self.rng, ((r"\frac", 20), (r"\dfrac", 1), (r"\tfrac", 1)) if self.display else ((r"\frac", 1),))
        top = max(1, int(size * self.rng.uniform(0.3, 0.6)))
        return f"{cmd}{{{self.expression(top, depth + 1)}}}{{{self.expression(max(1, size - top - 3), depth + 1)}}}"

    def root(self, size: int, depth: int) -> str:
        index = f"[{pick(self.rng, '3n4')}]" if self.chance(0.15) else ""
        return f"\\sqrt{index}{{{self.expression(max(1, size - 3), depth + 1)}}}"

    def big_operator(self, size: int, depth: int) -> str:
        op = _by_weight(self.rng, BIG_OPS)
        var = pick(self.rng, "ijknmlx" if op != r"\int" else "xtrsuyz")
        if op in (r"\int", r"\oint", r"\iint"):
            limits = pick(self.rng, (("0", r"\infty"), ("-\\infty", r"\infty"), ("a", "b"), ("0", "1"), ("0", "T"),
                                     ("0", "t"), (r"-\pi", r"\pi"), ("", "")))
            lim = (f"_{_braced(limits[0])}^{_braced(limits[1])}" if limits[0] else
                   "_{" + pick(self.rng, DOMAINS) + "}" if self.chance(0.4) else "")
            body = self.expression(max(1, size - 8), depth + 1, signed=False)
            return f"{op}{lim} {body} \\, \\mathrm{{d}}{var}" if self.chance(0.4) else f"{op}{lim} {body} \\, d{var}"
        if op == r"\lim":
            lim = f"_{{{var} \\to {pick(self.rng, LIMITS)}}}"
        elif op in (r"\max", r"\min", r"\sup"):
            lim = f"_{{{var} \\in {pick(self.rng, SETS)}}}"
        else:
            upper = pick(self.rng, tuple(u for u in ("N", "n", r"\infty", "k", "M", "L", "n-1") if var not in u))
            lim = f"_{{{var}={pick(self.rng, '01')}}}^{_braced(upper)}" if self.chance(0.8) else f"_{{{var}}}"
        return f"{op}{lim} {self.expression(max(1, size - 7), depth + 1, signed=False)}"

    def group(self, size: int, depth: int) -> str:
        opening, closing = _by_weight(self.rng, DELIMITERS)
        inner = self.expression(max(1, size - 4), depth + 1)
        if self.chance(0.5 if size > 8 else 0.2):
            out = f"\\left{opening} {inner} \\right{closing}"
        elif (sized := pick(self.rng, SIZES)) and self.chance(0.5):
            out = f"{sized}l{opening} {inner} {sized}r{closing}"
        else:
            out = _join(_join(opening, inner), closing)
        return out + ("^" + _braced(pick(self.rng, SUPERS)) if self.chance(0.2) else "")

    def function(self, size: int, depth: int) -> str:
        r = self.rng.random()
        if r < 0.45:
            name = "\\" + pick(self.rng, FUNCS) if self.chance(0.8) else rf"\operatorname{{{pick(self.rng, NAMED)}}}"
            power = "^{2}" if name[1:] in ("sin", "cos", "tan", "sinh", "cosh", "ln", "log") and self.chance(0.15) else ""
            arg = self.expression(max(1, size - 3), depth + 1)
            return f"{name}{power} {arg}" if latex_tokens(arg) <= 2 and self.chance(0.6) else f"{name}{power}\\left({arg}\\right)"
        head = pick(self.rng, "fghFGHVLUZWSpqu") if self.chance(0.75) else self.scripted(depth + 1)
        args = ", ".join(self.expression(max(1, (size - 3) // 2), depth + 1)
                         for _ in range(int(self.rng.choice([1, 1, 1, 2, 2, 3]))))
        return f"{head}({args})"

    def derivative(self, size: int, depth: int) -> str:
        """`\\frac{\\partial f}{\\partial x}`, `\\frac{d^{2} y}{d t^{2}}`, or an operator applied to a group."""
        d = r"\partial" if self.chance(0.6) else "d"
        var = pick(self.rng, ("x", "t", "r", "y", r"x^{\mu}", r"\theta", "z", "s"))
        order = "^{2}" if "^" not in var and self.chance(0.2) else ""
        den = f"{d} {var}{order}"
        if self.chance(0.6):
            return f"\\frac{{{d}{order} {self.scripted(depth + 1)}}}{{{den}}}"
        return f"\\frac{{{d}{order}}}{{{den}}} {self.group(max(3, size - 6), depth + 1)}"

    def series(self) -> str:
        """`a_1 + a_2 + \\cdots + a_n` and its kin."""
        base, _ = self.symbol(), pick(self.rng, "ijk")
        last, op = pick(self.rng, ("n", "N", "k", "m")), pick(self.rng, ("+", "+", r"\cdot", ","))
        dots = r"\cdots" if op != "," else r"\ldots"
        first = [f"{base}_{{{k}}}" for k in range(int(self.rng.integers(0, 2)), 3)]
        if self.chance(0.3):
            first = [f"{base}_{{{k}}}^{{2}}" for k in range(1, 3)]
            return f" {op} ".join(first) + f" {op} {dots} {op} {base}_{{{last}}}^{{2}}"
        return f" {op} ".join(first) + f" {op} {dots} {op} {base}_{{{last}}}"

    def bracket(self, depth: int) -> str:
        """A commutator, an inner product or a bra-ket."""
        a, b = self.scripted(depth + 1), self.scripted(depth + 1)
        return pick(self.rng, (f"[{a}, {b}]", f"\\langle {a}, {b} \\rangle", f"\\langle {a} | {b} \\rangle",
                               f"\\{{{a}, {b}\\}}", f"\\langle {a} | {self.symbol()} | {b} \\rangle"))

    def binomial(self) -> str:
        return f"\\binom{{{pick(self.rng, 'nNmk')}}}{{{pick(self.rng, 'kjl2')}}}"

    def term(self, size: int, depth: int) -> str:
        """One product term of about `size` tokens."""
        if size <= 3 or depth > 3:
            r = self.rng.random()
            return self.number() if r < 0.15 else (pick(self.rng, CONSTANTS) if r < 0.2 else self.scripted(depth))
        weights = {"fraction": 28, "group": 22, "function": 14, "big": 14 if size > 6 else 2, "root": 6,
                   "derivative": 7 if size > 5 else 0, "product": 25 if size < 14 else 8, "binomial": 1,
                   "series": 3 if size > 8 else 0,
                   "operator": 6, "bracket": 3}
        kind = _by_weight(self.rng, tuple(weights.items()))
        if kind == "series":
            return self.series()
        if kind == "operator":
            return f"{pick(self.rng, OPERATORS)} {self.scripted(depth + 1)}"
        if kind == "bracket":
            return self.bracket(depth)
        if kind == "product":
            parts = [self.scripted(depth) for _ in range(int(self.rng.integers(2, 4)))]
            if self.chance(0.3):
                parts.insert(0, self.number())
            rest = size - sum(latex_tokens(p) for p in parts)
            if rest > 4:
                parts.append(self.term(rest, depth + 1))
            return " ".join(parts) if self.chance(0.8) else r" \cdot ".join(parts)
        if kind == "binomial":
            return self.binomial()
        return {"fraction": self.fraction, "group": self.group, "function": self.function, "big": self.big_operator,
                "root": self.root, "derivative": self.derivative}[kind](size, depth)

    def expression(self, size: int, depth: int = 0, signed: bool = True) -> str:
        """A sum of terms of about `size` tokens."""
        count = 1 if size <= 3 else 1 + min(5, int(self.rng.poisson(size / 14)))
        shares = self.rng.dirichlet([1.5] * count) * max(1, size - 2 * (count - 1))
        terms = [self.term(max(1, int(round(share))), depth) for share in shares]
        out = "-" + terms[0] if signed and self.chance(0.08) else terms[0]
        for term in terms[1:]:
            out += f" {_by_weight(self.rng, BINARY)} {term}"
        return out

    # --- whole formulas --------------------------------------------------------------------------
    def punctuation(self) -> str:
        r = self.rng.random()
        if not self.display or r < 0.6:
            return ""
        return pick(self.rng, (r" \, .", r" \, ,", ",", ".", r" \; ,"))

    def condition(self) -> str:
        var = self.scripted(2)
        return pick(self.rng, (rf"\text{{for }} {var} \in {self.symbol()}", rf"{var} > 0",
                               rf"\text{{{pick(self.rng, TEXT_WORDS)}}} \ {var} \neq 0", rf"{var} \geq 0",
                               rf"\forall {var}", rf"{var} = 1, \ldots, N"))

    def relation(self, size: int) -> str:
        left = max(1, int(size * self.rng.uniform(0.12, 0.35)))
        out = self.expression(left) if self.chance(0.8) else self.scripted()
        rest = size - latex_tokens(out)
        sides = int(self.rng.choice([1, 1, 1, 1, 2, 2, 3])) if rest > 10 else 1
        for _ in range(sides):
            out += f" {_by_weight(self.rng, RELATIONS)} {self.expression(max(1, rest // sides - 1))}"
        if self.chance(0.08):
            out += f", {pick(self.rng, SPACES[2:4])} {self.condition()}"
        return out

    def cases(self, size: int) -> str:
        rows = int(self.rng.choice([2, 2, 2, 3, 4]))
        lhs = self.function(3, 2) if self.chance(0.6) else self.scripted()
        body = []
        for k in range(rows):
            value = self.expression(max(1, (size - 6) // rows - 4), 1)
            cond = r"\text{otherwise}" if k == rows - 1 and self.chance(0.5) else self.condition()
            body.append(f"{value} & {cond}")
        return f"{lhs} = \\begin{{cases}} " + r" \\ ".join(body) + r" \end{cases}"

    def aligned(self, size: int) -> str:
        rows = int(self.rng.choice([2, 2, 3, 3, 4, 5]))
        each = max(4, size // rows)
        if self.chance(0.5):  # one derivation: a left side, then &= steps
            lines = [f"{self.expression(max(1, each // 3))} &= {self.expression(each)}"]
            lines += [f"&{_by_weight(self.rng, RELATIONS[:8])} {self.expression(each)}" for _ in range(rows - 1)]
        else:  # a system of equations
            lines = []
            for _ in range(rows):
                lhs, op, rhs = self._split_relation(self.relation(each))
                lines.append(f"{lhs} &{op} {rhs}")
        env = "aligned" if self.chance(0.85) else "gathered"
        if env == "gathered":
            lines = [line.replace("&", "", 1) for line in lines]
        return f"\\begin{{{env}}} " + r" \\ ".join(lines) + f" \\end{{{env}}}"

    def _split_relation(self, text: str) -> tuple[str, str, str]:
        found = [(text.find(f" {rel} "), rel) for rel, _ in RELATIONS if f" {rel} " in text]
        if not found:
            return text, "=", "0"
        at, rel = min(found)
        return text[:at], rel, text[at + len(rel) + 2:]

    def matrix(self, size: int) -> str:
        rows, cols = int(self.rng.integers(2, 5)), int(self.rng.integers(2, 5))
        each = max(1, min(6, (size - 8) // (rows * cols)))
        cells = [" & ".join(self.term(each, 2) if self.chance(0.7) else pick(self.rng, "0011")
                            for _ in range(cols)) for _ in range(rows)]
        body = r" \\ ".join(cells)
        if self.chance(0.25):
            align = "".join(pick(self.rng, "ccclr") for _ in range(cols))
            opening, closing = pick(self.rng, (("(", ")"), ("[", "]"), (".", ".")))
            mat = f"\\left{opening} \\begin{{array}}{{{align}}} {body} \\end{{array}} \\right{closing}"
        else:
            env = pick(self.rng, MATRICES)
            mat = f"\\begin{{{env}}} {body} \\end{{{env}}}"
        lhs = self.scripted() if self.chance(0.8) else self.function(3, 2)
        return f"{lhs} = {mat}" + (f" {self.expression(3, 2)}" if self.chance(0.2) else "")

    def formula(self, size: int) -> str:
        if not self.display:
            r = self.rng.random()
            if r < 0.35 or size <= 2:
                return self.scripted() if size <= 4 else self.expression(size)
            return self.relation(size) if r < 0.85 else self.expression(size)
        kind = _by_weight(self.rng, (("relation", 78), ("expression", 6), ("cases", 4 if size > 16 else 0),
                                ("aligned", 6 if size > 30 else 0), ("matrix", 4 if size > 20 else 0)))
        out = {"relation": self.relation, "expression": self.expression, "cases": self.cases,
               "aligned": self.aligned, "matrix": self.matrix}[kind](size)
        return out + self.punctuation()


def random_formula(rng: np.random.Generator, display: bool | None = None) -> str:
    """A random LaTeX math formula, without delimiters.

    Args:
        rng: the only source of randomness.
        display: True for a displayed formula (may span several lines: `aligned`, `cases`,
            matrices), False for an inline one (short, one line), None to draw which (60% display).

    Returns:
        The math body, e.g. `\\frac{\\partial u}{\\partial t} = \\nu \\nabla^{2} u`; valid for MathJax and
        for LaTeX with `PREAMBLE`.
    """
    if display is None:
        display = bool(rng.random() < 0.6)
    mu, sigma = DISPLAY_TOKENS if display else INLINE_TOKENS
    size = int(min(MAX_TOKENS, max(1, round(rng.lognormal(mu, sigma)))))
    generator = FormulaGenerator(rng, display)
    out = generator.formula(size)
    while latex_tokens(out) > MAX_TOKENS * 1.5:  # a rare runaway: draw again
        out = generator.formula(size)
    return out
