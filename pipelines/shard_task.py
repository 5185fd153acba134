"""Making one shard: the unit of work a Ray task runs.

Shard k holds indices [start, stop). Each index is drawn with the rng of (seed, engine, index,
attempt). Whatever goes wrong while drawing one sample (an engine's SampleError, a renderer's
RenderError, a crashed tool, a bug that raises anywhere in a C library's wrapper, a draw that
overruns its time) is counted under a reason and drawn again with the next attempt, so a shard
always holds all of its indices, nothing is silently lost, and one bad sample never fails a shard.
Only an index that fails `engine.max_attempts` times in a row fails its shard (its engine cannot make it).

Draws go to the engine `batch_size` at a time (one LaTeX compile, one browser page for many
samples); retries of failed draws join the next batch. Samples are written in index order.
The engine is built once per worker process and reused by every shard that process runs,
because renderers (a browser, an OCR model) are expensive to start.
"""

from __future__ import annotations

import posixpath
import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import fsspec
import psutil

from engines import Draw, Engine, Sample, SampleError, get_engine, make_rng
from shards.format import sample_key, sample_members
from shards.stats import ShardStats, stats_name
from shards.writer import ShardWriter, write_json_atomic

DRAW_TIMEOUT_S = 120.0  # per sample of a batch; renderers time their own tools out well before
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
    """A sample kept failing after `engine.max_attempts` draws: the engine cannot make it, say why."""


class DrawTimeout(Exception):
    """A batch of draws overran its time (counted as "draw_timeout")."""


def _engine_for(spec: ShardSpec) -> Engine:
    key = f"{spec.engine}:{spec.config_hash}"
    if key not in _ENGINES:
        cls = get_engine(spec.engine)
        engine = cls(cls.Config(**spec.config))
        engine.seed = spec.seed  # the order a --source is walked in (the key's hash covers the seed)
        _ENGINES[key] = engine
    return _ENGINES[key]


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


def failure_reason(exc: BaseException) -> str:
    """The counted reason of a failed draw: the slug an engine or renderer gave, else the exception's type."""
    if isinstance(exc, SampleError):  # a RenderError is one
        return exc.reason
    if isinstance(exc, DrawTimeout):
        return "draw_timeout"
    return f"error_{type(exc).__name__}"


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise DrawTimeout in this thread after `seconds` (only in the main thread, where signals land)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DrawTimeout(f"no result after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # an enclosing alarm (a test timeout) is kept
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 0.001))


def encode_sample(sample: Sample, spec: ShardSpec, index: int, attempt: int) -> dict[str, bytes]:
    """The two tar members of a drawn sample (raises ValueError if the engine's meta is not JSON-safe or uses
    the key reserved for a multi-page sample's page layout)."""
    if not isinstance(sample, Sample):
        raise TypeError(f"{spec.engine} returned {type(sample).__name__}, not a Sample")
    meta = dict(sample.meta, attempt=attempt) if attempt else sample.meta
    return sample_members(sample.images, prompt=sample.prompt, target=sample.target, task=sample.task,
                          engine=spec.engine, seed=spec.seed, index=index, meta=meta)


def draw_range(engine: Engine, spec: ShardSpec, failures: Counter,
               indices: range | None = None) -> Iterator[tuple[int, dict[str, bytes]]]:
    """(index, members) for every index of the shard, in order, each drawn until it succeeds.

    Raises:
        ShardFailed: an index failed `engine.max_attempts` times; the message gives its last error.
    """
    indices = range(spec.start, spec.stop) if indices is None else indices
    size = max(1, engine.batch_size)
    for first in range(indices.start, indices.stop, size):
        todo = {i: 0 for i in range(first, min(first + size, indices.stop))}  # index -> attempt
        done: dict[int, dict[str, bytes]] = {}
        while todo:
            draws = [Draw(i, a, make_rng(spec.seed, spec.engine, i, a)) for i, a in todo.items()]
            try:
                with _deadline(DRAW_TIMEOUT_S * len(draws)):
                    results: list[Any] = engine.draw_batch(draws)
            except Exception as exc:  # noqa: BLE001 - a batch that raised fails each of its draws
                results = [exc] * len(draws)
            for d, result in zip(draws, results):
                if not isinstance(result, Exception):
                    try:
                        done[d.index] = encode_sample(result, spec, d.index, d.attempt)
                        del todo[d.index]
                        continue
                    except Exception as exc:  # noqa: BLE001 - a sample that cannot be stored is a failed draw
                        result = exc
                failures[failure_reason(result)] += 1
                todo[d.index] += 1
                if todo[d.index] >= engine.max_attempts:
                    raise ShardFailed(f"{spec.engine} sample {d.index} failed {engine.max_attempts} times "
                                      f"(last: {failure_reason(result)}: {result}); "
                                      f"failures so far: {dict(failures)}") from result
        yield from sorted(done.items())


def build_shard(spec: ShardSpec, report: Callable[[int], None] | None = None, node: str = "") -> ShardStats:
    """Write one complete shard and its stats file; `report(k)` is told of every k samples done."""
    t0 = time.monotonic()
    engine = _engine_for(spec)
    fs, root = fsspec.core.url_to_fs(spec.out)
    failures: Counter = Counter()
    peak = _tree_memory()
    pending, last_report = 0, t0
    with ShardWriter(fs, posixpath.join(root, spec.name)) as writer:
        for index, members in draw_range(engine, spec, failures):
            writer.write(sample_key(spec.engine, index), members)
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
