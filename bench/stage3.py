"""Benchmark the stage-3 engines: samples per CPU-second, each against a same-run baseline.

    python -m bench.stage3 [--n 32] [--seed 0]

finegrained: four consecutive samples ask about one page (`--regions-per-page 4`), against the baseline
that draws a page afresh for every sample (`--regions-per-page 1`); goal 2x. multipage and multicrop
draw their pages afresh for every sample (no reuse yet): each is measured batched (one LaTeX run for a
batch's pages) against one sample a call. CPU time counts this process, its live helpers (Chromium,
PP-OCR) and its finished children (TeX), as every benchmark here does.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.cpu import cpu_seconds
from engines.base import Draw, Engine, make_rng
from engines.finegrained import FinegrainedEngine
from engines.finegrained.engine import FinegrainedConfig
from engines.multicrop import MulticropEngine
from engines.multipage import MultipageEngine

RESULTS = Path(__file__).resolve().parent / "results"


def measure(engine: Engine, n: int, seed: int, batch: int) -> dict[str, float]:
    """Draw samples 0..n-1 (attempt 0) in batches of `batch`: samples made, failures, CPU and wall seconds."""
    draws = [Draw(i, 0, make_rng(seed, engine.name, i)) for i in range(n)]
    cpu, wall, made = cpu_seconds(), time.perf_counter(), 0
    for start in range(0, n, batch):
        made += sum(not isinstance(s, Exception) for s in engine.sample_batch(draws[start:start + batch]))
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    return {"samples": made, "failed": n - made, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "per_cpu_s": round(made / cpu, 3)}


def compare(name: str, fast: dict[str, float], slow: dict[str, float], goal: float | None) -> dict[str, object]:
    return {"engine": name, "engine_way": fast, "baseline": slow,
            "speedup": round(fast["per_cpu_s"] / slow["per_cpu_s"], 2), "goal": goal}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=32, help="samples drawn each way (multipage and multicrop: a quarter)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    results = []
    shared, fresh = (FinegrainedEngine(FinegrainedConfig(part="docs", regions_per_page=k)) for k in (4, 1))
    # warm before either side is timed: a docs page's face is rewritten once per process (about a second each)
    measure(fresh, 24, args.seed + 1, 1)
    results.append(compare("finegrained", measure(shared, args.n, args.seed, 1), measure(fresh, args.n, args.seed, 1),
                           2.0))
    for engine in (MultipageEngine(), MulticropEngine()):
        n = max(4, args.n // 4)
        measure(engine, 1, args.seed + 1, 1)
        results.append(compare(engine.name, measure(engine, n, args.seed, engine.batch_size),
                               measure(engine, n, args.seed, 1), None))
    print(json.dumps(results, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stage3.json").write_text(json.dumps({"n": args.n, "results": results}, indent=2) + "\n")
    print(f"wrote {RESULTS / 'stage3.json'}")


if __name__ == "__main__":
    main()
