"""Samples made of other engines' samples (stage 3): which sub-samples one composed draw asks its part for.

A composed sample (a multi-page document, a stitched spread) holds several samples of a part engine
(`Engine.part`). Its draw decides how many and derives each one's randomness from its own rng, so it
stays a pure function of its (seed, index, attempt). Sub-sample k of composed sample `index` draws
the part's index `index * SPREAD + k`, so a part reading a `--source` walks its items without two
composed samples sharing one. The sub-draws of a whole batch go to the part in one `sample_batch`
call: the pages engine compiles them in one LaTeX run, which is what makes composing cheap.

Drawing a page costs many times composing it, so `Pools` lets `reuse` consecutive composed samples draw their
pages from one pool: the pool of group g (samples g*reuse .. g*reuse+reuse-1) is drawn from (seed, g, attempt)
alone, whatever batch asks for it, and each sample picks its own pages from it with its own rng, so sample i
is the same alone or in a batch. A worker keeps the pools of its last batch (a shard holds consecutive indices).
With `reuse` 1 a sample's pool is its own plan: its pages drawn afresh for it alone. A pool may hold whole
documents instead of pages (`Pools.get`'s `ask`: the multipage engine's pool is one document, its pages in order).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from engines.base import Draw, Engine, Sample, SampleError, derived, make_rng, pick

SPREAD = 64  # part indices one composed sample owns
# What the pages reader needs of a page to typeset its target again (`pipelines.readers.page_redraw`); a real
# paper's page has none of it but its lang and dpi, and is read by its token F1.
REDRAW_KEYS = ("lang", "dpi", "style", "pictures", "continued", "opens_in", "pages_in_document", "page_index")


def page_meta(page: Sample) -> dict[str, Any]:
    """The part of a `pages` sample's meta its reader redraws it from, as the pages engine wrote it (JSON-safe):
    a composed sample keeps it per page, so its pages are checked as `pages` samples are."""
    return {key: page.meta[key] for key in REDRAW_KEYS if key in page.meta}


def plan(draw: Draw, size: int) -> list[Draw]:
    """`size` sub-draws for `draw` alone (a few more than it needs: a part refuses some), each with a generator
    derived from the draw's rng."""
    return [Draw(draw.index * SPREAD + k, draw.attempt, derived(draw.rng)) for k in range(size)]


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


Key = tuple[int, int, str]  # (group, attempt, the part the pool's pages come from)


class Pools:
    """The sub-samples of groups of `reuse` consecutive composed samples, drawn once per group and attempt."""

    def __init__(self, engine: Engine, reuse: int) -> None:
        self.engine, self.reuse = engine, reuse
        self._kept: dict[Key, list[Any]] = {}

    def key(self, draw: Draw, part: str) -> Key:
        """The pool `draw` takes its pages from: its group's, of the `part` engine named."""
        return (draw.index // self.reuse, draw.attempt, part)

    def rng(self, draw: Draw, what: str) -> np.random.Generator:
        """A generator for `what` the group of `draw` shares (its pages, its part): (seed, group, attempt) alone."""
        return make_rng(self.engine.seed, f"{self.engine.name}-pool-{what}", draw.index // self.reuse, draw.attempt)

    def subdraws(self, draw: Draw, size: int) -> list[Draw]:
        """`size` sub-draws of the pool of `draw`'s group; the part's indices are the group's own (`SPREAD` each)."""
        rng, group = self.rng(draw, "pages"), draw.index // self.reuse
        return [Draw(group * SPREAD + k, draw.attempt, derived(rng)) for k in range(size)]

    def get(self, parts: dict[str, Engine], wanted: dict[Key, list[Draw]],
            ask: Callable[[Engine, list[Draw]], list[Any]] = lambda part, draws: part.sample_batch(draws),
            ) -> dict[Key, list[Any]]:
        """Every wanted pool's sub-samples: the ones this worker holds, the others asked of their part, one batch
        a part (`ask`: a part's results for draws, one each; its samples by default, or whole documents)."""
        pools = {k: self._kept[k] for k in wanted if k in self._kept}
        for name, part in parts.items():
            missing = [k for k in wanted if k not in pools and k[2] == name]
            flat = [d for k in missing for d in wanted[k]]
            results = ask(part, flat) if flat else []
            at = 0
            for k in missing:
                pools[k], at = results[at:at + len(wanted[k])], at + len(wanted[k])
        self._kept = pools
        return pools


def picked(rng: np.random.Generator, pool: list[Sample | Exception]) -> list[Sample | Exception]:
    """A pool's sub-samples in the order one composed sample takes them (its own shuffle)."""
    return [pool[int(k)] for k in rng.permutation(len(pool))]


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
    return pick(rng, options) if chosen == "mixed" else chosen
