"""`MultipageEngine`: 2-8 consecutive pages of one document asked as one sample, `OCR with format across multi pages: `.

A real multi-page PDF is consecutive pages of one document: a running head naming each page's chapter, page
numbers counting up, a section or a paragraph going on across a page break (a word hyphenated at it). So a sample is a run of
consecutive pages of ONE document of the `pages` engine (`PagesEngine.document_batch`): a generated document
typeset whole, or, with `--source`, one real paper's consecutive kept pages. A document is in one language; a
mixed-language build holds a part per language and gives each document one.

As the paper trains it: each page under `--max-page-tokens` (650) Qwen tokens, the whole target at most
`--max-tokens` (8,192), counted with the tokenizer the trainer uses. A generated document is drawn in a style
whose page holds about `PAGE_TOKENS` tokens (larger type, wider margins, one column: `PagesConfig.page_tokens`),
so most of its pages fit; a page over the limit (or one the part refused) ends a run. A sample wants 2-8 pages
and takes a run of that many consecutive fitting pages starting at its place in the document (the group's samples
are spread over it, a share each), or the nearest such run, never one a sample of its group took before it (a
sample left none is drawn again); where no run is that long, the longest there is, at least `--min-pages`
(`MultipageEngine._runs`).

Drawing the document is nearly all the cost, so `--reuse` (6) consecutive samples read one document of
`--pool-pages` (12) pages of content, which TeX breaks into somewhat more pages (`engines.compose.Pools`: the
document of a group is drawn from (seed, group, attempt) alone, so a sample is the same alone or in a batch), each
its own run. With `--reuse 1` a sample draws its own document of about `--max-pages` pages.

The target is the pages' markdown in page order, a blank line between pages; `meta.page_texts` says where each
page's text starts and ends in it, beside its language; `meta.page_meta` keeps what each page's reader needs to
typeset it again (its style with its own page number, drawings, place in its document: `page_index` of
`pages_in_document`, and whether it opens inside a paragraph begun on the page before), so a generated page is
checked by its redraw as a `pages` sample is. `meta.document` names the document (its pool and language, or its
paper) and `meta.first_page` where the run starts in it. Pages are stored as the part drew them (same dpi, not
re-encoded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engines.base import Draw, Engine, EngineConfig, Lang, Sample, SampleError, contained
from engines.compose import SPREAD, Key, Pools, joined, page_meta, plan, rng_choice
from tokenizer.got import get_tokenizer
from tokenizer.protocol import PROMPT_MULTI_PAGE

LANGS = ("en", "zh")
# The tokens a generated page's style is drawn to hold about (`PagesConfig.page_tokens`): on 40 documents so drawn,
# most pages stay under the paper's 650.
PAGE_TOKENS = 600


@dataclass
class MultipageConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a folder of papers' LaTeX sources (as the pages engine reads them): a sample is consecutive kept "
                "pages of one paper; default: generated documents"})
    lang: Lang = field(default="mixed", metadata={
        "help": "mixed (each document English or Chinese, half and half), en or zh"})
    min_pages: int = field(default=2, metadata={"help": "fewest pages in a sample (2 or more)"})
    max_pages: int = field(default=8, metadata={"help": "most pages in a sample (at most 8, as GOT trains)"})
    max_page_tokens: int = field(default=650, metadata={"help": "most Qwen tokens of one page's text"})
    max_tokens: int = field(default=8192, metadata={"help": "most Qwen tokens of the whole target"})
    reuse: int = field(default=6, metadata={
        "help": "consecutive samples reading one document of about --pool-pages pages, each its own run of "
                "consecutive pages (1: every sample draws its own document)"})
    pool_pages: int = field(default=12, metadata={
        "help": "pages of content in the document a pool's samples read (TeX breaks it into about as many); with "
                "--source, the most consecutive pages of a paper a pool takes"})

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
    """Consecutive pages of one formatted document, read in order as one target."""

    name = "multipage"
    Config = MultipageConfig
    # four documents (pools of --reuse 6) a batch: a LaTeX run's start (xelatex's CJK fonts) is most of a short run's
    # cost, so more documents a run is more samples a CPU-second (bench.stage3: 8.1 a CPU-s at 24, 5.6 at 12)
    batch_size = 24

    def __init__(self, config: MultipageConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        # one part per language: a document does not switch language page by page; real papers keep their own
        langs = LANGS if cfg.lang == "mixed" and not cfg.source else (cfg.lang,)
        self.document_pages = cfg.pool_pages if cfg.reuse > 1 else cfg.max_pages
        self.by_lang = {lang: self.part("pages", source=cfg.source, lang=lang, fill=float(self.document_pages),
                                        page_tokens=PAGE_TOKENS) for lang in langs}
        self.found = next(iter(self.by_lang.values())).found
        self.pools = Pools(self, cfg.reuse)
        if cfg.reuse == 1:  # a document a draw, every page rendered: a batch of 24 peaked at 1.65 GiB, of 8 at 0.76
            self.batch_size = 8

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        cfg = self.config
        langs = tuple(self.by_lang)  # afresh: the sample's own language; else its group's, drawn with its pool
        keys = [self.pools.key(d, rng_choice(d.rng if cfg.reuse == 1 else self.pools.rng(d, "lang"), langs,
                                             "mixed" if len(langs) > 1 else langs[0])) for d in draws]
        wanted = {k: plan(d, 1) if cfg.reuse == 1 else self.pools.subdraws(d, 1) for k, d in zip(keys, draws)}
        pools = self.pools.get(self.by_lang, wanted, lambda part, ds: part.document_batch(ds, most=self.document_pages))
        runs: dict[Key, list[tuple[int, int] | None] | SampleError] = {}

        def one(i: int) -> Sample:
            draw, key = draws[i], keys[i]
            if key not in runs:
                try:
                    runs[key] = self._runs(draw, pools[key][0])
                except SampleError as exc:
                    runs[key] = exc
            group = runs[key]
            if isinstance(group, SampleError):
                raise SampleError(group.reason, group.detail)
            run = group[draw.index % cfg.reuse]
            if run is None:  # every run it could take is an earlier sample's: drawn again (another document)
                raise SampleError("runs_taken", f"the document's runs of {cfg.min_pages}+ fitting pages are all taken")
            return self._assemble(pools[key][0], *run, key)

        return contained(one, range(len(draws)))

    def _runs(self, draw: Draw, document: list[Sample | Exception] | Exception) -> list[tuple[int, int] | None]:
        """The (first page, pages) of each sample of `draw`'s group in their document, drawn from the group's
        generator alone (so a sample is the same alone or in a batch): each sample wants 2-8 pages and has a
        place, a share of the way into the document (the shares in an order the group draws); it takes the most
        consecutive fitting pages it wants, in the run nearest its place that no sample before it took (None when
        every run is taken: a short paper's few runs, never two samples the same).

        Raises:
            SampleError: "parts_refused", the document was refused or has no run of `--min-pages` fitting pages.
        """
        cfg = self.config
        if isinstance(document, Exception):
            raise SampleError("parts_refused", f"the document was refused ({getattr(document, 'reason', document)})")
        count = get_tokenizer().count
        fits = [isinstance(p, Sample) and count(p.target) <= cfg.max_page_tokens for p in document]
        windows = [(first, size) for size in range(cfg.min_pages, cfg.max_pages + 1)
                   for first in range(len(document) - size + 1) if all(fits[first:first + size])]
        if not windows:
            why = sorted({getattr(p, "reason", "over_page_tokens") for p, fit in zip(document, fits) if not fit})
            raise SampleError("parts_refused", f"no {cfg.min_pages} consecutive of {len(document)} pages usable "
                                               f"({', '.join(why)})")
        rng = self.pools.rng(draw, "runs")
        wants = rng.integers(cfg.min_pages, cfg.max_pages + 1, size=cfg.reuse)
        places = (rng.permutation(cfg.reuse) + rng.random(cfg.reuse)) / cfg.reuse
        out: list[tuple[int, int] | None] = []
        for want, place in zip(wants, places):
            def away(w: tuple[int, int], place: float = place) -> float:
                return abs(w[0] - place * (len(document) - w[1]))

            free = [w for w in windows if w[1] <= want and w not in out]
            out.append(min(free, key=lambda w: (-w[1], away(w))) if free else None)
        return out

    def _assemble(self, document: list[Sample], first: int, size: int, key: Key) -> Sample:
        """The sample of pages `first`..`first + size - 1` of `document` (the pool `key`'s)."""
        pages = document[first:first + size]
        target, spans, lang = joined(pages)
        tokens = get_tokenizer().count(target)
        if tokens > self.config.max_tokens:
            raise SampleError("target_too_long", f"{tokens} tokens over {self.config.max_tokens}")
        paper = pages[0].meta.get("source")
        meta: dict[str, Any] = {"lang": lang, "page_texts": spans, "tokens": tokens,
                                "document": f"paper {paper}" if paper else f"pool {key[0]} attempt {key[1]} ({key[2]})",
                                "first_page": first, "document_pages": len(document),
                                "sources": [p.meta.get("source") or "built-in" for p in pages],
                                "dpi": pages[0].meta["dpi"], "page_meta": [page_meta(p) for p in pages]}
        if paper:
            meta["paper_pages"] = [p.meta["page"] for p in pages]
        return Sample(images=[p.images[0] for p in pages], prompt=PROMPT_MULTI_PAGE, target=target,
                      task="multi_page", meta=meta)
