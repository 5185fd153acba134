"""Benchmark the build: scaling from one Ray worker to two, and a worker's memory as n grows.

    python -m bench.build [--n 400] [--memory-n 2000 20000]

Scaling: the same shards made with 1 and with 2 workers, timed from the first task submitted to
the last finished, after every worker has made a warm-up shard (Ray's start-up, worker imports
and Chromium's launch excluded); the goal is 2 workers >= 1.7x one. Beside samples/s it reports
the cores the whole machine was busy (non-idle CPU time over wall time): a pyecharts worker keeps
more than one core busy (its Chromium renders beside it), which caps what 2 workers can gain on
a 2-core machine, so the matplotlib path is measured apart as the one-process-per-worker case.
Memory: the
largest resident memory any worker reached (with its browser's processes) for a small and a
large n at the same shard size; the goal is that they stay within 10%, i.e. nothing grows with
the number of samples a worker has made. Results go to bench/results/build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import ray

from pipelines.build_plan import BuildPlan
from pipelines.ray_runner import run_shards, start_ray
from shards.stats import ShardStats

RESULTS = Path(__file__).resolve().parent / "results"


def timed_build(n: int, shard_size: int, workers: int, config: dict) -> tuple[float, float, ShardStats]:
    """(seconds, busy cores, summed shard stats) to make n samples on `workers` warm local Ray workers."""
    with tempfile.TemporaryDirectory() as out:
        plan = BuildPlan("charts", config, n, shard_size, seed=0, out=out + "/run")
        warm = BuildPlan("charts", config, 4 * workers, 4, seed=1, out=out + "/warm-up")
        for p in (plan, warm):
            os.makedirs(p.out)
        start_ray(None, workers)
        try:
            run_shards(warm.specs(), warm.num_shards, workers, total=warm.n, initial=0)
            cpu0, t0 = psutil.cpu_times(), time.monotonic()
            result = run_shards(plan.specs(), plan.num_shards, workers, total=n, initial=0)
            seconds, cpu1 = time.monotonic() - t0, psutil.cpu_times()
        finally:
            ray.shutdown()
    if result.errors:
        raise RuntimeError(f"benchmark build failed: {result.errors}")
    busy = _busy(cpu1) - _busy(cpu0)
    return seconds, busy / seconds, sum(result.stats, ShardStats())


def _busy(times: Any) -> float:
    """CPU seconds the machine spent not idle (Ray's workers run niced, so `nice` counts too)."""
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def scaling(n: int, renderer: str) -> dict:
    config = {"source": None, "renderer": renderer, "lang": "mixed", "kinds": "all"}
    row: dict = {"renderer": renderer, "n": n, "goal": 1.7}
    for workers in (1, 2):
        seconds, cores, _ = timed_build(n, max(n // 8, 1), workers, config)
        row[f"{workers}_workers"] = {"samples_per_s": n / seconds, "busy_cores": cores}
    row["speedup"] = row["2_workers"]["samples_per_s"] / row["1_workers"]["samples_per_s"]
    print(f"scaling {renderer}: 1 worker {row['1_workers']['samples_per_s']:.1f}/s "
          f"({row['1_workers']['busy_cores']:.2f} cores busy), 2 workers {row['2_workers']['samples_per_s']:.1f}/s "
          f"({row['2_workers']['busy_cores']:.2f} cores) -> {row['speedup']:.2f}x (goal 1.7x)")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=800, help="samples per scaling run")
    parser.add_argument("--memory-n", type=int, nargs=2, default=[2000, 20000], help="small and large n")
    parser.add_argument("--skip-memory", action="store_true", help="measure scaling only")
    args = parser.parse_args()
    report: dict = {"cpus": os.cpu_count(), "scaling": [scaling(args.n, r) for r in ("mixed", "matplotlib")]}
    if not args.skip_memory:
        config = {"source": None, "renderer": "mixed", "lang": "mixed", "kinds": "all"}
        peaks = {}
        for n in args.memory_n:
            seconds, _, stats = timed_build(n, 1000, 2, config)
            peaks[n] = stats.peak_memory_bytes
            print(f"memory: n={n}: peak worker memory {peaks[n] / 2**20:.0f} MiB ({n / seconds:.1f}/s)")
        small, large = (peaks[n] for n in args.memory_n)
        report["memory"] = {"peak_memory_mib": {str(n): p / 2**20 for n, p in peaks.items()},
                            "ratio_large_to_small": large / small, "goal": "within 10%"}
        print(f"memory: large/small = {large / small:.3f} (goal 0.9-1.1)")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "build.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**previous, **report}, indent=1))  # --skip-memory keeps the last memory figures


if __name__ == "__main__":
    main()
