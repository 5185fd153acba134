"""Run shard tasks on Ray, locally or on a cluster, with a live progress bar.

One Ray task per shard; at most `workers` tasks in flight, so the same command behaves the same
on a laptop and on a cluster. Tasks report finished samples to a small actor every second,
which is what lets the bar move (and the ETA mean something) while 1,000-sample shards are
still being written. Ray retries a task whose worker or node died (up to TASK_RETRIES times, like
datatrove's Ray executor); a task that fails inside the engine is reported, not retried, since it
would fail the same way again. Each attempt of a shard counts apart on the actor and a new attempt
replaces the count of the one that died, so the bar counts every sample once whatever the retries.
The actor lives on the driver's node, so a preempted worker node takes no count with it. Each task
asks Ray for what the engine declares one worker needs (`Engine.resources`: CPUs and memory), so a
cluster never packs more workers on a node than fit.
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
from tqdm import tqdm

from engines import Resources
from pipelines.shard_task import ShardSpec, build_shard
from shards.stats import ShardStats

TASK_RETRIES = 3


class ShardProgress:
    """Samples made by the latest attempt of each unfinished shard, and how many attempts each shard took.

    Run as a Ray actor (`Progress`); a plain class so that its counting can be tested without Ray.
    """

    def __init__(self) -> None:
        self.latest: dict[str, str] = {}  # shard -> the attempt whose samples count
        self.made: dict[str, int] = {}  # shard -> samples its latest attempt made
        self.attempts: Counter = Counter()  # shard -> attempts started (finished shards with one are dropped)

    def start(self, shard: str, attempt: str) -> None:
        self.latest[shard], self.made[shard] = attempt, 0
        self.attempts[shard] += 1

    def add(self, shard: str, attempt: str, k: int) -> None:
        if self.latest.get(shard) == attempt:  # a dead attempt's late report counts for nothing
            self.made[shard] += k

    def finish(self, shard: str, attempt: str) -> None:
        if self.latest.get(shard) == attempt:
            del self.latest[shard], self.made[shard]
            if self.attempts[shard] == 1:
                del self.attempts[shard]

    def snapshot(self) -> tuple[dict[str, int], dict[str, int]]:
        """(samples made by shards still running, retries by shard)."""
        return dict(self.made), {s: a - 1 for s, a in self.attempts.items() if a > 1}


Progress = ray.remote(num_cpus=0)(ShardProgress)


@ray.remote(max_retries=TASK_RETRIES)
def _run_shard(spec: ShardSpec, progress: "ray.actor.ActorHandle") -> ShardStats:
    attempt = uuid.uuid4().hex
    ray.get(progress.start.remote(spec.name, attempt))  # before any report, so none is lost
    node = ray.get_runtime_context().get_node_id()
    stats = build_shard(spec, report=lambda k: progress.add.remote(spec.name, attempt, k), node=node)
    progress.finish.remote(spec.name, attempt)
    return stats


@dataclass
class RunResult:
    stats: list[ShardStats] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # shard name -> what went wrong
    retries: dict[str, int] = field(default_factory=dict)  # shard name -> attempts that died before one made it


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


def run_shards(specs: Iterator[ShardSpec], shards: int, workers: int, total: int, initial: int,
               resources: Resources = Resources()) -> RunResult:
    """Run the `shards` specs that `specs` yields, taking each only when a worker is free (a plan
    of a million shards is never a list), at most `workers` in flight, each task asking for `resources`.

    The bar counts `initial` of `total` samples as already done; finished shards count by their
    stats, running ones by what their latest attempt reported.
    """
    here = ray.get_runtime_context().get_node_id()
    progress = Progress.options(scheduling_strategy=NodeAffinitySchedulingStrategy(here, soft=False)).remote()
    task = _run_shard.options(num_cpus=resources.cpus, memory=resources.memory_mb * 2**20)
    specs, in_flight, result = iter(specs), {}, RunResult()
    bar = tqdm(total=total, initial=initial, unit="sample", dynamic_ncols=True, smoothing=0.05)
    finished, pending = initial, True
    try:
        while pending or in_flight:
            while pending and len(in_flight) < workers:
                spec = next(specs, None)
                if spec is None:
                    pending = False
                else:
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
                finished += stats.samples
            running, result.retries = ray.get(progress.snapshot.remote())
            names = {spec.name for spec in in_flight.values()}
            bar.update(finished + sum(k for s, k in running.items() if s in names) - bar.n)
            bar.set_postfix(shards=f"{len(result.stats)}/{shards}", refresh=False)
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
