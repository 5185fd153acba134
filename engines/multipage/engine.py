"""`MultipageEngine`: 2-8 formatted pages asked as one sample, `OCR with format across multi pages: `.

The pages come from the `pages` engine (generated pages, or real papers with `--source`), held as a part
and asked in one batch per batch of samples (one LaTeX run). A mixed-language build holds a part per language
and gives each sample (each pool of `--reuse` samples) one language: a document does not switch language from
page to page. As the paper trains it: each page under `--max-page-tokens` (650)
Qwen tokens, the whole target at most `--max-tokens` (8,192), counted with the tokenizer the trainer
uses. About half the generated pages fit (at `fill` 0.6), so a sample takes the first pages that fit in
its own shuffle of the pages it is given: as many as it wants, or at least `--min-pages`. Drawing pages is
nearly all the cost, so `--reuse` (6) consecutive samples take theirs from one pool of `--pool-pages` (16)
(`engines.compose.Pools`): a page that fits appears in about four samples, as a finegrained page serves
four regions (at 4, bench.stage3 gave 1.85x, short of the 2x goal). With `--reuse 1` a sample draws its
own pages afresh, half as many again as it wants. The target is the pages' markdown in page order, a blank
line between pages; `meta.page_texts` says where each page's text starts and ends in it, beside its
language; `meta.page_meta` keeps what each page's reader needs to typeset it again (its style, drawings,
place in its document), so a generated page is checked by its redraw as a `pages` sample is; the record's
`lang` is the language of most pages. Pages are stored as the part drew them (same dpi, not re-encoded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engines.base import Draw, Engine, EngineConfig, Lang, Sample, SampleError, contained
from engines.compose import SPREAD, Pools, joined, page_meta, picked, plan, rng_choice, usable
from tokenizer.got import get_tokenizer
from tokenizer.protocol import PROMPT_MULTI_PAGE

LANGS = ("en", "zh")
PAGE_FILL = 0.6  # content per generated document, in pages (the pages engine's --fill): about two in three fit


@dataclass
class MultipageConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a folder of papers' LaTeX sources (as the pages engine reads them); default: generated pages"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (each sample's pages all English or all Chinese, half and half), en or zh"})
    min_pages: int = field(default=2, metadata={"help": "fewest pages in a sample (2 or more)"})
    max_pages: int = field(default=8, metadata={"help": "most pages in a sample (at most 8, as GOT trains)"})
    max_page_tokens: int = field(default=650, metadata={"help": "most Qwen tokens of one page's text"})
    max_tokens: int = field(default=8192, metadata={"help": "most Qwen tokens of the whole target"})
    reuse: int = field(default=6, metadata={
        "help": "consecutive samples taking their pages from one pool of --pool-pages pages, each its own "
                "shuffle (1: every sample draws its pages afresh)"})
    pool_pages: int = field(default=16, metadata={"help": "pages drawn for a pool (about half fit 650 tokens)"})

    def validate(self) -> None:
        if not 2 <= self.min_pages <= self.max_pages <= 8:
            raise ValueError(f"--min-pages {self.min_pages} and --max-pages {self.max_pages} must satisfy "
                             f"2 <= min <= max <= 8")
        if self.max_page_tokens < 1 or self.max_tokens < self.max_page_tokens:
            raise ValueError("--max-page-tokens must be at least 1 and --max-tokens at least --max-page-tokens")
        if not 1 <= self.reuse <= 64 or not self.max_pages <= self.pool_pages <= SPREAD:
            raise ValueError(f"--reuse {self.reuse} must be 1-64 and --pool-pages {self.pool_pages} between "
                             f"--max-pages and {SPREAD}")


class MultipageEngine(Engine):
    """Several pages of formatted documents, read in order as one target."""

    name = "multipage"
    Config = MultipageConfig
    batch_size = 8  # two pools of --pool-pages pages a LaTeX run

    def __init__(self, config: MultipageConfig | None = None) -> None:
        super().__init__(config)
        # fill 0.6: about half of generated pages then stay under 650 tokens (14 of 32 in two pools; 1 of 16 at 0.8)
        cfg = self.config
        # one part per language: a sample's pages are all in one (a document does not switch language page by
        # page); real papers keep their own
        langs = LANGS if cfg.lang == "mixed" and not cfg.source else (cfg.lang,)
        self.by_lang = {lang: self.part("pages", source=cfg.source, lang=lang, fill=PAGE_FILL) for lang in langs}
        self.found = next(iter(self.by_lang.values())).found
        self.pools = Pools(self, cfg.reuse)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        cfg = self.config
        wants = [int(d.rng.integers(cfg.min_pages, cfg.max_pages + 1)) for d in draws]
        langs = tuple(self.by_lang)  # afresh: the sample's own language; else its group's, drawn with its pool
        keys = [self.pools.key(d, rng_choice(d.rng if cfg.reuse == 1 else self.pools.rng(d, "lang"), langs,
                                             "mixed" if len(langs) > 1 else langs[0])) for d in draws]
        if cfg.reuse == 1:  # afresh: the pages it wants and half as many again (about half the pages fit)
            wanted = {k: plan(d, want + want // 2 + 2) for k, d, want in zip(keys, draws, wants)}
        else:
            wanted = {k: self.pools.subdraws(d, cfg.pool_pages) for k, d in zip(keys, draws)}
        pools = self.pools.get(self.by_lang, wanted)
        return contained(lambda k: self._assemble(wants[k], picked(draws[k].rng, pools[keys[k]])), range(len(draws)))

    def _assemble(self, want: int, subsamples: list[Sample | Exception]) -> Sample:
        count, most = get_tokenizer().count, self.config.max_page_tokens
        tokens = {id(s): count(s.target) for s in subsamples if isinstance(s, Sample)}
        fitting = sum(n <= most for n in tokens.values())
        # the part's refusals keep their reasons in the error: `usable` sees every sub-sample, not only the fitting
        pages = usable(subsamples, min(want, max(self.config.min_pages, fitting)), lambda s: tokens[id(s)] <= most)
        target, spans, lang = joined(pages)
        tokens = count(target)
        if tokens > self.config.max_tokens:
            raise SampleError("target_too_long", f"{tokens} tokens over {self.config.max_tokens}")
        meta: dict[str, Any] = {"lang": lang, "page_texts": spans,
                                "tokens": tokens, "sources": [p.meta.get("source") or "built-in" for p in pages],
                                "dpi": pages[0].meta["dpi"], "page_meta": [page_meta(p) for p in pages]}
        return Sample(images=[p.images[0] for p in pages], prompt=PROMPT_MULTI_PAGE, target=target,
                      task="multi_page", meta=meta)
