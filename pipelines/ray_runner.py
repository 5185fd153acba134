"""Run shard tasks on Ray, locally or on a cluster, with a live progress bar.

One Ray task per shard; at most `workers` tasks in flight, so the same command behaves the same
on a laptop and on a cluster. Tasks report finished samples to a small actor every second,
which is what lets the bar move (and the ETA mean something) while 1,000-sample shards are
still being written. Ray retries a task whose worker died (up to 3 times, like datatrove's Ray
executor); a task that fails inside the engine is reported, not retried, since it would fail
the same way again. Each task asks Ray for what the engine declares one worker needs
(`Engine.resources`: CPUs and memory), so a cluster never packs more workers on a node than fit.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass, field

import ray
from tqdm import tqdm

from engines import Resources
from pipelines.shard_task import ShardSpec, build_shard
from shards.stats import ShardStats

TASK_RETRIES = 3


@ray.remote(num_cpus=0)
class Progress:
    """Counts samples finished across all tasks."""

    def __init__(self) -> None:
        self.done = 0

    def add(self, k: int) -> None:
        self.done += k

    def total(self) -> int:
        return self.done


@ray.remote(max_retries=TASK_RETRIES)
def _run_shard(spec: ShardSpec, progress: "ray.actor.ActorHandle") -> ShardStats:
    node = ray.get_runtime_context().get_node_id()
    return build_shard(spec, report=lambda k: progress.add.remote(k), node=node)


@dataclass
class RunResult:
    stats: list[ShardStats] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # shard name -> what went wrong


def start_ray(address: str | None, workers: int | None, resources: Resources = Resources()) -> int:
    """Join a cluster (`address`, or RAY_ADDRESS) or start a local one; returns the worker count.

    A local Ray gets `workers` (default: this machine's cores) times the CPUs one worker needs.
    It is always a new one (`address="local"`): a plain `ray.init()` would join whatever cluster
    `ray start` last started on this machine, sized for some other job.
    """
    address = address or os.environ.get("RAY_ADDRESS")
    common = dict(log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
    if address:
        ray.init(address=address, **common)
        fit = max(1, int(ray.cluster_resources().get("CPU", 1) // resources.cpus))
        return min(workers, fit) if workers else fit
    n = workers or max(1, int((os.cpu_count() or 1) // resources.cpus))
    ray.init(address="local", num_cpus=math.ceil(n * resources.cpus), include_dashboard=False, **common)
    return n


def run_shards(specs: list[ShardSpec], workers: int, total: int, initial: int,
               resources: Resources = Resources()) -> RunResult:
    """Run `specs` with at most `workers` in flight, each task asking for `resources`.

    The bar counts `initial` of `total` samples as already done.
    """
    progress = Progress.remote()
    task = _run_shard.options(num_cpus=resources.cpus, memory=resources.memory_mb * 2**20)
    queue, in_flight, result = list(reversed(specs)), {}, RunResult()
    bar = tqdm(total=total, initial=initial, unit="sample", dynamic_ncols=True, smoothing=0.05)
    reported = 0
    try:
        while queue or in_flight:
            while queue and len(in_flight) < workers:
                spec = queue.pop()
                in_flight[task.remote(spec, progress)] = spec
            ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=0.5)
            for ref in ready:
                spec = in_flight.pop(ref)
                try:
                    stats = ray.get(ref)
                except ray.exceptions.RayError as e:
                    result.errors[spec.name] = _root_cause(e)
                    continue
                result.stats.append(stats)
            done = ray.get(progress.total.remote())
            bar.update(done - reported)
            reported = done
            bar.set_postfix(shards=f"{len(result.stats)}/{len(specs)}", refresh=False)
    finally:
        bar.close()
    return result


def _root_cause(e: Exception) -> str:
    """The original exception in one line, without Ray's wrapping traceback."""
    cause = getattr(e, "cause", None) or e
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    if not lines:
        return type(cause).__name__
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1]  # the exception line at the bottom of a traceback
    return f"{type(cause).__name__}: {lines[0]}"
