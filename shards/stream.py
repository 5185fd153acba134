"""The sample stream of one (rank, worker): a pure function of (seed, rank, worker).

Stages, built from webdataset's pieces where they fit:

1. each source's shards are split by rank (round robin, so ranks read disjoint shards), then by
   worker when the rank has at least one shard per worker (otherwise the rank's workers share
   its shards, read in different orders); every epoch reads them in a fresh seeded
   permutation, so the stream never ends;
2. tar members are grouped into samples (webdataset's `tar_file_expander` + `group_by_keys`);
   a carried source keeps only the keys under its fraction (`shards.mix.carry_value`);
3. every draw picks a source with probability equal to its share (a seeded generator);
4. a shuffle buffer (webdataset's `shuffle`, seeded) mixes neighbouring samples;
5. the JSON is parsed and the target's tokens counted: samples over the limit are dropped
   and counted in `counters["dropped_over_token_limit"]`;
6. samples are cut into batches; with length grouping, each pool of several batches' samples
   is sorted by target length before the cut, and its batches come out in a seeded random
   order, so a batch holds samples of similar length and little of it is padding.

Nothing here decodes an image. Because the stream is determined by (seed, rank, worker),
resuming is a count: the loader skips the batches already used at this stage, paying for
reading and tokenising them (about what reading the tars costs) but not for decoding.
"""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

import fsspec
import numpy as np
from webdataset.filters import shuffle
from webdataset.gopen import gopen
from webdataset.tariterators import group_by_keys, tar_file_expander

from shards.format import IMAGE_MEMBER, image_member
from shards.mix import Resolved, carry_value
from tokenizer.got import get_tokenizer

MAX_CONSECUTIVE_DROPS = 10_000  # a limit that drops everything is a config error, not a hang


@dataclass
class StreamSpec:
    """Everything that decides a rank's streams; pickled into each DataLoader worker."""

    sources: list[Resolved]
    seed: int
    rank: int
    world_size: int
    shuffle_buffer: int
    max_target_tokens: int


@dataclass
class Drawn:
    """A sample that passed the token limit, image still encoded."""

    key: str
    source: str
    url: str
    record: dict[str, Any]
    image_bytes: bytes
    target_tokens: int


def rank_shards(source: Resolved, rank: int, world_size: int) -> list[str]:
    """This rank's shards of a source: every world_size-th, so ranks never share a shard.

    Raises:
        ValueError: fewer shards than ranks (some rank would get none).
    """
    if len(source.urls) < world_size:
        raise ValueError(f"source {source.source.name} has {len(source.urls)} shard(s) for world_size "
                         f"{world_size}; every rank needs its own shards: build with a smaller "
                         "--shard-size or train on fewer ranks")
    return source.urls[rank::world_size]


def worker_shards(urls: list[str], stream: int, num_streams: int) -> list[str]:
    """A worker's share of its rank's shards; all of them when there are fewer than workers."""
    return urls[stream::num_streams] if len(urls) >= num_streams else urls


def open_shard(url: str) -> Any:
    """A readable binary stream: `pipe:` commands through webdataset, the rest through fsspec."""
    return gopen(url) if url.startswith("pipe:") else fsspec.open(url, "rb").open()


def iter_tar(url: str) -> Iterator[dict[str, Any]]:
    """One shard's samples as webdataset dicts (`__key__`, `__url__`, `json`, `png`).

    Raises:
        ValueError: a sample that is not its JSON plus its PNG.
    """
    with open_shard(url) as f:
        for sample in group_by_keys(tar_file_expander([{"url": url, "stream": f}])):
            image_member(sample, url, sample["__key__"])
            yield sample


def source_samples(source: Resolved, urls: list[str], seed: list[int]) -> Iterator[dict[str, Any]]:
    """A source's samples, endlessly: each epoch its shards in a new seeded order.

    Raises:
        ValueError: a whole pass gives no sample (empty shards, or nothing under the carry fraction).
    """
    carry = source.source.carry
    for epoch in itertools.count():
        yielded = 0
        for i in np.random.default_rng([*seed, epoch]).permutation(len(urls)):
            for sample in iter_tar(urls[i]):
                if carry >= 1.0 or carry_value(sample["__key__"]) < carry:
                    yielded += 1
                    yield sample
        if not yielded:
            raise ValueError(f"source {source.source.name}: a whole pass over {len(urls)} shard(s) gave no sample")


def mixed_samples(spec: StreamSpec, stream: int, num_streams: int) -> Iterator[dict[str, Any]]:
    """Draws from the sources in proportion to their shares, tagged with `__source__`."""
    base = [spec.seed, spec.rank, stream]
    iters = [source_samples(s, worker_shards(rank_shards(s, spec.rank, spec.world_size), stream, num_streams),
                            [*base, 1, i])
             for i, s in enumerate(spec.sources)]
    bounds = np.cumsum([s.share for s in spec.sources])
    rng = np.random.default_rng([*base, 0])
    while True:
        i = min(int(np.searchsorted(bounds, rng.random(), side="right")), len(iters) - 1)
        sample = next(iters[i])
        sample["__source__"] = spec.sources[i].source.name
        yield sample


def drawn_samples(spec: StreamSpec, stream: int, num_streams: int, counters: Counter) -> Iterator[Drawn]:
    """The stream after the shuffle buffer and the token limit; `counters` counts the drops
    (`dropped_over_token_limit`) as it goes.

    Raises:
        ValueError: MAX_CONSECUTIVE_DROPS samples in a row over the limit.
    """
    samples = mixed_samples(spec, stream, num_streams)
    if spec.shuffle_buffer > 1:
        rng = random.Random(int(np.random.SeedSequence([spec.seed, spec.rank, stream, 2]).generate_state(1)[0]))
        samples = shuffle(spec.shuffle_buffer, min(100, spec.shuffle_buffer), rng=rng)(samples)
    count = get_tokenizer().count
    run = 0
    for sample in samples:
        record = json.loads(sample["json"])
        tokens = count(record["target"])
        if tokens > spec.max_target_tokens:
            counters["dropped_over_token_limit"] += 1
            run += 1
            if run >= MAX_CONSECUTIVE_DROPS:
                raise ValueError(f"{run} samples in a row have targets over max_target_tokens="
                                 f"{spec.max_target_tokens}; raise the limit (LoaderConfig.max_target_tokens)")
            continue
        run = 0
        yield Drawn(sample["__key__"], sample["__source__"], sample["__url__"], record, sample[IMAGE_MEMBER], tokens)


def batches(samples: Iterator[Drawn], batch_size: int, pool_batches: int, seed: list[int]) -> Iterator[list[Drawn]]:
    """Batches of the stream, still undecoded; with pool_batches > 1, grouped by target length.

    Padding a batch to its longest sample wastes the decoder's work on every shorter one (a third
    of it for charts at batch 16). Sorting a pool of `pool_batches` batches' samples by length
    before cutting it keeps batches even, and serving the pool's batches in a seeded random
    order keeps long and short batches interleaved, as transformers' `group_by_length` does.
    The pool is a pure function of the stream, so resuming still only counts batches.
    """
    rng = np.random.default_rng(seed)
    while True:
        pool = [next(samples) for _ in range(batch_size * pool_batches)]
        if pool_batches == 1:
            yield pool
            continue
        pool.sort(key=lambda drawn: drawn.target_tokens)  # stable: equal lengths keep stream order
        for i in rng.permutation(pool_batches):
            yield pool[i * batch_size:(i + 1) * batch_size]
