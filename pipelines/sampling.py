"""A seeded sample of a build, read without reading the rest of it.

Validation, the build report and the dataset card look at a few hundred samples of builds that
may hold millions. A sample is drawn from the whole build (every shard can be picked), so it needs
each shard's sample count: the `.stats.json` beside every finished shard has it, so nothing is
counted by reading tars. Picked samples are then read by seeking over the members in between (tar
headers only, `shards.reader.read_selected`), not by streaming whole shards: 200 samples of a
2,000-shard build read 200 samples, not 2,000 shards. The same (folder, n, seed) always picks the
same samples.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator

import fsspec
import numpy as np

from shards.reader import StoredSample, list_shards, read_selected
from shards.stats import ShardStats, stats_name


def shard_stats(folder: str) -> list[tuple[str, ShardStats]]:
    """Each finished shard of a build folder with its stats file (sample count, failures, seconds).

    Raises:
        FileNotFoundError: the folder does not exist, holds no shards, or a shard has no stats file
            (its build was interrupted: rerun the build command to finish it).
    """
    shards = list_shards(folder)
    if not shards:
        raise FileNotFoundError(f"{folder}: no shards (*.tar); build some with `python -m pipelines.build`")
    found = []
    for shard in shards:
        path = posixpath.join(posixpath.dirname(shard), stats_name(posixpath.basename(shard)))
        try:
            with fsspec.open(path, "r", encoding="utf-8") as f:
                found.append((shard, ShardStats.from_json(f.read())))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path} is missing, so {shard} is unfinished: rerun the build command "
                                    f"that made {folder} to finish it") from None
    return found


def shard_sizes(folder: str) -> list[tuple[str, int]]:
    """Each finished shard of a build folder with its sample count (see `shard_stats`)."""
    return [(shard, stats.samples) for shard, stats in shard_stats(folder)]


def seeded_sample(sizes: list[tuple[str, int]], n: int, seed: int) -> Iterator[tuple[str, StoredSample]]:
    """n samples of a build drawn uniformly without replacement (all of them when it holds fewer).

    Args:
        sizes: the build's shards and their sample counts (`shard_sizes`).
        n: how many samples.
        seed: the draw's seed; the same (build, n, seed) picks the same samples.

    Yields:
        (shard, sample) pairs in shard order, read one shard at a time.
    """
    starts = np.cumsum([0] + [count for _, count in sizes])
    picked = np.random.default_rng(seed).choice(int(starts[-1]), size=min(n, int(starts[-1])), replace=False)
    by_shard: dict[int, list[int]] = defaultdict(list)
    for index in sorted(int(i) for i in picked):
        shard = int(np.searchsorted(starts, index, side="right")) - 1
        by_shard[shard].append(index - int(starts[shard]))
    for k in sorted(by_shard):
        for sample in read_selected(sizes[k][0], by_shard[k]):
            yield sizes[k][0], sample
