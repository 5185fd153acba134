"""Math about the quantities a paragraph states: how a manual's text brings in a formula.

Why: the generated pages quote a system manual, which prints no formula. Formulas from the formula engine, with
sentences about their symbols ("where \\(\\alpha\\) is the learning rate"), stood beside Debian's prose as nothing
a reader of it would find sensible. What such a text does work out is its own quantities: a size in GiB is so many
bytes, a 32-bit number has 2^32 values, a timeout in days is so many seconds, a clock in MHz so many hertz, a track
in mils so many millimetres. So a paragraph that states one may be followed by its working, inline in a sentence of
its own ("That is \\(4 \\times 2^{30} = 4294967296\\) bytes.") or displayed under the paragraph
(`\\[4 \\mathrm{~GiB} = 4 \\times 2^{30} \\mathrm{~B} = 4294967296 \\mathrm{~B}\\]`), in exact decimal arithmetic. The
trade-off: the manuals state few quantities (about one paragraph in a hundred), so most generated pages print no
math; the formula engine and real papers (`--source`) teach formulas, this keeps a page's math its text's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# unit as the text writes it -> (its factor in LaTeX, the factor, the unit worked out to: LaTeX, English, Chinese).
# No kB, MB, GB: the manuals write them for binary sizes too ("1GB=1048576k"), where 10^9 bytes would contradict them.
UNITS: dict[str, tuple[str, Decimal, str, str, str]] = {
    **{u: (f"2^{{{10 * k}}}", Decimal(2) ** (10 * k), "B", "bytes", "字节")
       for k, u in enumerate(("KiB", "MiB", "GiB", "TiB"), 1)},
    **{u: (f"10^{{{3 * k}}}", Decimal(10) ** (3 * k), "Hz", "hertz", "赫兹")
       for k, u in ((1, "kHz"), (2, "MHz"), (3, "GHz"))},
    **{u: ("60", Decimal(60), "s", "seconds", "秒") for u in ("minute", "minutes")},
    **{u: ("3600", Decimal(3600), "s", "seconds", "秒") for u in ("hour", "hours")},
    **{u: ("86400", Decimal(86400), "s", "seconds", "秒") for u in ("day", "days")},
    **{u: ("0.0254", Decimal("0.0254"), "mm", "millimetres", "毫米") for u in ("mil", "mils")},
    "mm": ("10^{3}", Decimal(1000), "\\mu m", "micrometres", "微米"),
}
SHORT = {"minute": "min", "minutes": "min", "hour": "h", "hours": "h", "day": "d", "days": "d", "mils": "mil"}
# a number and its unit ("4 GiB", "1.6 mm", "32-bit"), not part of a version, a longer word or a rate
QUANTITY = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?: |-)?(" + "|".join(sorted(UNITS, key=len, reverse=True))
                      + r"|bit)(?![\w/-])(?!\s*=)")  # not a rate ("100 KiB/sec"), nor worked out already ("=")
BITS = (8, 16, 24, 32, 48, 64)  # the widths whose values a text counts (2^64 is 20 digits; wider runs off a line)
# the sentence working a quantity out, around its formula: (before, after), by language; a width in bits, a unit
SENTENCES = {"en": {"bit": ("{} {}-bit number has ", " possible values."), "unit": ("That is ", " {}.")},
             "zh": {"bit": ("{} 位的数共有 ", " 种取值。"), "unit": ("即 ", " {}。")}}


@dataclass(frozen=True)
class Quantity:
    """A quantity a text states: its number and unit as written, and its working (LaTeX)."""

    number: str
    unit: str

    def working(self) -> str:
        """The product worked out: "4 \\times 2^{30} = 4294967296" ("2^{32} = 4294967296" for a width in bits)."""
        if self.unit == "bit":
            return f"2^{{{self.number}}} = {2 ** int(self.number)}"
        factor, value, *_ = UNITS[self.unit]
        result = (Decimal(self.number) * value).normalize()
        shown = f"{result:f}"
        return (f"{factor} = {shown}" if self.number == "1" else f"{self.number} \\times {factor} = {shown}")

    def display(self) -> str:
        """The working as a displayed formula, with its units: "4 \\mathrm{~GiB} = 4 \\times 2^{30} \\mathrm{~B} =
        4294967296 \\mathrm{~B}"."""
        if self.unit == "bit":
            return self.working()
        factor, _, base, *_ = UNITS[self.unit]
        left, right = self.working().split(" = ")
        unit = SHORT.get(self.unit, self.unit)
        return f"{self.number} \\mathrm{{~{unit}}} = {left} \\mathrm{{~{base}}} = {right} \\mathrm{{~{base}}}"

    def sentence(self, lang: str) -> tuple[str, str, str]:
        """The sentence working it out inline, as (prose before, formula, prose after)."""
        if self.unit == "bit":
            before, after = SENTENCES[lang]["bit"]
            article = "An" if self.number.startswith("8") else "A"  # an eight-bit, a sixteen-bit
            return before.format(*([article] if lang == "en" else []), self.number), self.working(), after
        before, after = SENTENCES[lang]["unit"]
        return before, self.working(), after.format(UNITS[self.unit][3 if lang == "en" else 4])


def quantities(text: str) -> list[Quantity]:
    """The quantities `text` states that can be worked out (a width in bits of `BITS`; a number of at most 12
    digits)."""
    found = [Quantity(m[1], m[2]) for m in QUANTITY.finditer(text)]
    return [q for q in found if len(q.number) <= 12 and (q.unit != "bit" or q.number in map(str, BITS))]
