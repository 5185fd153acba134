"""Making one shard: the unit of work a Ray task runs.

Shard k holds indices [start, stop). Each index is drawn with the rng of (seed, engine, index,
attempt); a draw that fails with a SampleError is counted under its reason and drawn again
with the next attempt, so a shard always holds all of its indices and nothing is silently lost.
The engine is built once per worker process and reused by every shard that process runs,
because renderers (a browser, a LaTeX daemon) are expensive to start.
"""

from __future__ import annotations

import posixpath
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

import fsspec
import psutil

from engines import Engine, SampleError, get_engine, make_rng
from shards.format import encode_image, encode_record, make_record, sample_key
from shards.stats import ShardStats, stats_name
from shards.writer import ShardWriter, write_json_atomic

MAX_ATTEMPTS = 10
_ENGINES: dict[str, Engine] = {}


@dataclass(frozen=True)
class ShardSpec:
    """Everything a worker needs to make one shard, independent of where it runs."""

    engine: str
    config: dict[str, Any]
    config_hash: str
    seed: int
    out: str
    name: str
    start: int
    stop: int


class ShardFailed(Exception):
    """A sample kept failing after MAX_ATTEMPTS draws: the engine cannot make it, say why."""


def _engine_for(spec: ShardSpec) -> Engine:
    if spec.config_hash not in _ENGINES:
        cls = get_engine(spec.engine)
        _ENGINES[spec.config_hash] = cls(cls.Config(**spec.config))
    return _ENGINES[spec.config_hash]


def _tree_memory() -> int:
    """Memory of this worker and its children (a browser lives in child processes).

    Proportional set size, so pages that Chromium's processes share are counted once in the sum.
    """
    total = 0
    proc = psutil.Process()
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def draw(engine: Engine, spec: ShardSpec, index: int, failures: Counter) -> dict[str, bytes]:
    """The two members of sample `index`, retrying failed draws with derived seeds."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            sample = engine.sample(make_rng(spec.seed, spec.engine, index, attempt), index)
        except SampleError as e:
            failures[e.reason] += 1
            last = e
            continue
        meta = dict(sample.meta, attempt=attempt) if attempt else sample.meta
        record = make_record(prompt=sample.prompt, target=sample.target, task=sample.task,
                             engine=spec.engine, seed=spec.seed, index=index, meta=meta)
        return {engine.image_format: encode_image(sample.images, engine.image_format),
                "json": encode_record(record)}
    raise ShardFailed(f"{spec.engine} sample {index} failed {MAX_ATTEMPTS} times "
                      f"(last: {last}); failures so far: {dict(failures)}")


def build_shard(spec: ShardSpec, report: Callable[[int], None] | None = None, node: str = "") -> ShardStats:
    """Write one complete shard and its stats file; `report(k)` is told of every k samples done."""
    t0 = time.monotonic()
    engine = _engine_for(spec)
    fs, root = fsspec.core.url_to_fs(spec.out)
    failures: Counter = Counter()
    peak = _tree_memory()
    pending, last_report = 0, t0
    with ShardWriter(fs, posixpath.join(root, spec.name)) as writer:
        for index in range(spec.start, spec.stop):
            writer.write(sample_key(spec.engine, index), draw(engine, spec, index, failures))
            pending += 1
            if index % 25 == 0:
                peak = max(peak, _tree_memory())
            if report and (time.monotonic() - last_report > 1.0 or index == spec.stop - 1):
                report(pending)
                pending, last_report = 0, time.monotonic()
    stats = ShardStats(shard=spec.name, config_hash=spec.config_hash, samples=spec.stop - spec.start,
                       bytes=writer.nbytes, sha256=writer.sha256, failures=dict(failures),
                       seconds=round(time.monotonic() - t0, 3), peak_memory_bytes=max(peak, _tree_memory()), node=node)
    write_json_atomic(fs, posixpath.join(root, stats_name(spec.name)), stats.to_json())
    return stats
