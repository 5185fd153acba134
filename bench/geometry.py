"""Benchmark the geometry engine: figures per CPU-second, batched compiles against one compile per figure.

    python -m bench.geometry [--n 64] [--seed 0]

The same draws (same seed, same indices, so the same figures) are made twice in one process: the
baseline asks the engine for one sample at a time (one pdflatex run per figure, as a script that
compiles each figure by itself does), the engine's way hands it `batch_size` draws at once (one
run per batch). CPU time counts this process and the TeX processes it waited for (`resource`'s
RUSAGE_CHILDREN), so TeX's work is not free. Goal: the batched engine at least 5x the baseline.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.cpu import cpu_seconds
from engines.base import Draw, make_rng
from engines.geometry import GeometryEngine

RESULTS = Path(__file__).resolve().parent / "results"


def measure(engine: GeometryEngine, draws: list[Draw], batch: int) -> dict[str, float]:
    """Draw every sample in batches of `batch`; samples, failures, CPU and wall seconds, samples per CPU-second."""
    cpu, wall, made = cpu_seconds(), time.perf_counter(), 0
    for start in range(0, len(draws), batch):
        made += sum(not isinstance(s, Exception) for s in engine.sample_batch(draws[start:start + batch]))
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    return {"samples": made, "failed": len(draws) - made, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "per_cpu_s": round(made / cpu, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="figures drawn each way")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    engine = GeometryEngine()

    def draws() -> list[Draw]:
        return [Draw(i, 0, make_rng(args.seed, engine.name, i)) for i in range(args.n)]

    engine.sample_batch(draws()[:1])  # warm TeX's file caches before either side is timed
    one = measure(engine, draws(), 1)
    batched = measure(engine, draws(), engine.batch_size)
    result = {"n": args.n, "batch_size": engine.batch_size, "one_compile_per_figure": one, "batched": batched,
              "speedup": round(batched["per_cpu_s"] / one["per_cpu_s"], 2), "goal": 5.0}
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "geometry.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'geometry.json'}")


if __name__ == "__main__":
    main()
