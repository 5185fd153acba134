"""Samples made of other engines' samples (stage 3): which sub-samples one composed draw asks its part for.

A composed sample (a multi-page document, a stitched spread) holds several samples of a part engine
(`Engine.part`). Its draw decides how many and derives each one's randomness from its own rng, so it
stays a pure function of its (seed, index, attempt). Sub-sample k of composed sample `index` draws
the part's index `index * SPREAD + k`, so a part reading a `--source` walks its items without two
composed samples sharing one. The sub-draws of a whole batch go to the part in one `sample_batch`
call: the pages engine compiles them in one LaTeX run, which is what makes composing cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from engines.base import Draw, Engine, Sample, SampleError, derived

SPREAD = 64  # part indices one composed sample owns


@dataclass
class Composed:
    """One composed draw: its own draw, how many sub-samples it needs, and the sub-draws it asks for (a few
    more than it needs, since a part refuses some draws)."""

    draw: Draw
    want: int
    subdraws: list[Draw]


def plan(draw: Draw, want: int, spare: int = 2) -> Composed:
    """`want` + `spare` sub-draws for `draw`, each with a generator derived from the draw's rng."""
    return Composed(draw, want, [Draw(draw.index * SPREAD + k, draw.attempt, derived(draw.rng))
                                 for k in range(want + spare)])


def usable(subsamples: list[Sample | Exception], want: int,
           fits: Callable[[Sample], bool] = lambda s: True) -> list[Sample]:
    """The first `want` sub-samples that were drawn and `fits`; raises when fewer are.

    Raises:
        SampleError: "parts_refused", naming why the part refused the others.
    """
    good = [s for s in subsamples if isinstance(s, Sample) and fits(s)]
    if len(good) < want:
        why = sorted({getattr(s, "reason", "did_not_fit") for s in subsamples if not isinstance(s, Sample)})
        raise SampleError("parts_refused", f"{len(good)} of {want} usable ({', '.join(why) or 'did_not_fit'})")
    return good[:want]


def ask(part: Engine, plans: list[Composed]) -> list[list[Sample | Exception]]:
    """Every plan's sub-samples (or the errors that prevented them), asked of `part` in one batch."""
    flat = [d for p in plans for d in p.subdraws]
    results = part.sample_batch(flat) if flat else []
    out, at = [], 0
    for p in plans:
        out.append(results[at:at + len(p.subdraws)])
        at += len(p.subdraws)
    return out


PAGE_BREAK = "\n\n"  # between the pages of a composed target


def joined(pages: list[Sample]) -> tuple[str, list[list[Any]], str]:
    """The pages' targets in order, a blank line between them; each page's [lang, start, end] span in it; and
    the sample's language: the one most of its pages are in (the first page's on a tie)."""
    target, spans = "", []
    for page in pages:
        start = len(target) + (len(PAGE_BREAK) if target else 0)
        target = f"{target}{PAGE_BREAK}{page.target}" if target else page.target
        spans.append([page.meta["lang"], start, len(target)])
    langs = [lang for lang, _, _ in spans]
    return target, spans, max(langs, key=lambda lang: (langs.count(lang), -langs.index(lang)))


def rng_choice(rng: np.random.Generator, options: tuple[str, ...], chosen: str) -> str:
    """`chosen`, or one of `options` drawn from `rng` when `chosen` is "mixed"."""
    return options[int(rng.integers(len(options)))] if chosen == "mixed" else chosen
