"""Benchmark the stage-3 engines: samples per CPU-second with pages reused, against drawing them afresh.

    python -m bench.stage3 [--n 16] [--seed 0]

Each engine is measured twice in one run, after a warm-up, as a build draws (batches of the engine's size,
failed draws retried; the shard writer's PNG encode timed apart, the same either way): finegrained with four samples asking about
one page (`--regions-per-page 4`) against a page per sample (1); multipage and multicrop with four samples
taking their pages from one pool (`--reuse 6`) against each drawing its own pages afresh (`--reuse 1`). Goal:
reuse 2x the samples per CPU-second of drawing. CPU time counts this process, its live helpers (Chromium, PP-OCR)
and its finished children (TeX),
as every benchmark here does (`bench.cpu`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.cpu import cpu_seconds
from engines import get_engine
from engines.base import Draw, Engine, make_rng
from engines.docs import faces
from shards.format import sample_members

RESULTS = Path(__file__).resolve().parent / "results"
GOAL = 2.0
WAYS = {"finegrained": ({"part": "docs", "regions_per_page": 4}, {"part": "docs", "regions_per_page": 1}),
        "multipage": ({"reuse": 6}, {"reuse": 1}),
        "multicrop": ({"reuse": 6}, {"reuse": 1})}


def measure(engine: Engine, n: int, seed: int, start: int = 0) -> dict[str, float]:
    """Draw samples start..start+n-1 as a build does (batches of the engine's size, each failed draw retried at
    its next attempt, as `pipelines.shard_task.draw_range`), then encode them as the shard writer does, timed
    apart: samples, failed draws, CPU seconds drawing and encoding, samples per CPU-second of each and both."""
    engine.seed = seed
    draw_cpu = encode_cpu = 0.0
    made, failed, wall = 0, 0, time.perf_counter()
    size = max(1, engine.batch_size)
    for first in range(start, start + n, size):
        todo = {i: 0 for i in range(first, min(first + size, start + n))}
        while todo:
            draws = [Draw(i, a, make_rng(seed, engine.name, i, a)) for i, a in todo.items()]
            cpu = cpu_seconds()
            results = engine.sample_batch(draws)
            draw_cpu += cpu_seconds() - cpu
            cpu = cpu_seconds()
            for d, result in zip(draws, results):
                if isinstance(result, Exception):
                    failed += 1
                    todo[d.index] += 1
                    if todo[d.index] >= engine.max_attempts:
                        raise RuntimeError(f"{engine.name} sample {d.index}: {result}")
                    continue
                sample_members(result.images, prompt=result.prompt, target=result.target, task=result.task,
                               engine=engine.name, seed=seed, index=d.index, meta=result.meta)
                made += 1
                del todo[d.index]
            encode_cpu += cpu_seconds() - cpu
    return {"samples": made, "failed_draws": failed, "draw_cpu_s": round(draw_cpu, 2),
            "encode_cpu_s": round(encode_cpu, 2), "wall_s": round(time.perf_counter() - wall, 2),
            "per_cpu_s": round(made / draw_cpu, 3), "per_cpu_s_encoded": round(made / (draw_cpu + encode_cpu), 3)}


def warm_faces() -> None:
    """Rewrite every docs face once, as a worker does on its first page in each (one code point per glyph, about
    a second to eight CPU-seconds a face): left to the measured draws, it lands on whichever side first meets a
    face."""
    faces.archive(tuple(faces.FAMILIES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16, help="samples drawn each way, per engine")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", nargs="+", default=list(WAYS), choices=list(WAYS), help="engines to measure")
    args = parser.parse_args()
    results = []
    warm_faces()
    for name in args.engines:
        reused, fresh = WAYS[name]
        cls = get_engine(name)
        engines = [cls(cls.Config(**config)) for config in (reused, fresh)]
        for engine in engines:  # warm: LaTeX formats, fonts read
            measure(engine, 4, args.seed + 1, 10_000)
        fast, slow = (measure(engine, args.n, args.seed) for engine in engines)
        results.append({"engine": name, "reused": {"config": reused, **fast}, "afresh": {"config": fresh, **slow},
                        "speedup": round(fast["per_cpu_s"] / slow["per_cpu_s"], 2),
                        "speedup_encoded": round(fast["per_cpu_s_encoded"] / slow["per_cpu_s_encoded"], 2),
                        "goal": GOAL})
        print(json.dumps(results[-1]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "stage3.json"
    kept = json.loads(path.read_text())["results"] if path.is_file() else []  # the engines not measured now
    measured = {r["engine"] for r in results}
    results = [r for r in kept if r.get("engine") not in measured and "reused" in r] + results
    path.write_text(json.dumps({"n": args.n, "seed": args.seed, "results": results}, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
