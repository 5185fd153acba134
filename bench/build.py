"""Benchmark the build: scaling from one Ray worker to two, and a worker's memory as n grows.

    python -m bench.build [--n 400] [--memory-n 2000 20000]

Scaling: the same shards made with 1 and with 2 workers, timed from the first task submitted to
the last finished (Ray's start-up excluded); the goal is 2 workers >= 1.7x one. Memory: the
largest resident memory any worker reached (with its browser's processes) for a small and a
large n at the same shard size; the goal is that they stay within 10%, i.e. nothing grows with
the number of samples a worker has made. Results go to bench/results/build.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import ray

from pipelines.build_plan import BuildPlan
from pipelines.ray_runner import run_shards, start_ray
from shards.stats import ShardStats

RESULTS = Path(__file__).resolve().parent / "results"


def timed_build(n: int, shard_size: int, workers: int, config: dict) -> tuple[float, ShardStats]:
    """Seconds to make n samples on `workers` local Ray workers, and the summed shard stats."""
    with tempfile.TemporaryDirectory() as out:
        plan = BuildPlan("charts", config, n, shard_size, seed=0, out=out)
        start_ray(None, workers)
        try:
            t0 = time.monotonic()
            result = run_shards(plan.specs(), workers, total=n, initial=0)
            seconds = time.monotonic() - t0
        finally:
            ray.shutdown()
    if result.errors:
        raise RuntimeError(f"benchmark build failed: {result.errors}")
    return seconds, sum(result.stats, ShardStats())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="samples per scaling run")
    parser.add_argument("--memory-n", type=int, nargs=2, default=[2000, 20000], help="small and large n")
    parser.add_argument("--renderer", default="mixed", help="charts renderer to measure")
    args = parser.parse_args()
    config = {"source": None, "renderer": args.renderer, "lang": "mixed"}
    report: dict = {"renderer": args.renderer}

    shard = max(args.n // 8, 1)
    one, _ = timed_build(args.n, shard, 1, config)
    two, _ = timed_build(args.n, shard, 2, config)
    report["scaling"] = {"n": args.n, "one_worker_samples_per_s": args.n / one,
                         "two_workers_samples_per_s": args.n / two, "speedup": one / two, "goal": 1.7}
    print(f"scaling: 1 worker {args.n / one:.1f}/s, 2 workers {args.n / two:.1f}/s -> {one / two:.2f}x (goal 1.7x)")

    peaks = {}
    for n in args.memory_n:
        seconds, stats = timed_build(n, 1000, 2, config)
        peaks[n] = stats.peak_memory_bytes
        print(f"memory: n={n}: peak worker memory {stats.peak_memory_bytes / 2**20:.0f} MiB ({n / seconds:.1f}/s)")
    small, large = (peaks[n] for n in args.memory_n)
    report["memory"] = {"peak_memory_mib": {str(n): p / 2**20 for n, p in peaks.items()},
                        "ratio_large_to_small": large / small, "goal": "within 10%"}
    print(f"memory: large/small = {large / small:.3f} (goal 0.9-1.1)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "build.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
