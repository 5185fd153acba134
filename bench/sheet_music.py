"""Benchmark the sheet-music engine: samples per CPU-second, built-in excerpts and real scores.

    python -m bench.sheet_music [--n 60] [--source ../shared/data/kern]

Draws `n` samples the way a build does (`engine.sample`, retried on a failed draw with the next
attempt), then encodes each image as the shard writer does (`shards.format.encode_image`). CPU
time counts this process and its long-lived Verovio child (psutil), so the engraving done in the
child is not free; the child's start-up is paid before timing (once per worker in a build).
Goal: at least 10 samples per CPU-second.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.cpu import cpu_seconds
from engines.base import make_rng
from engines.sheet_music import SheetMusicEngine
from engines.sheet_music.engine import SheetMusicConfig
from shards.format import encode_image

RESULTS = Path(__file__).resolve().parent / "results"


def measure(engine: SheetMusicEngine, n: int) -> dict[str, float]:
    """Draw and encode `n` samples; failed draws, CPU and wall seconds, samples per CPU-second."""
    failed, cpu, wall, encode = 0, cpu_seconds(), time.perf_counter(), 0.0
    for index in range(n):
        for attempt in range(10):
            try:
                sample = engine.sample(make_rng(0, engine.name, index, attempt), index, attempt)
                break
            except Exception:  # noqa: BLE001 - a failed draw, as a build counts it
                failed += 1
        start = time.process_time()
        encode_image(sample.images[0])
        encode += time.process_time() - start
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    return {"samples": n, "failed_draws": failed, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "encode_cpu_s": round(encode, 2), "per_cpu_s": round(n / cpu, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="samples drawn per configuration")
    parser.add_argument("--source", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "kern"),
                        help="a folder of real .krn scores (skipped when absent)")
    args = parser.parse_args()
    configs = {"built_in": SheetMusicConfig()}
    if Path(args.source).is_dir():
        configs["real_scores"] = SheetMusicConfig(source=args.source)
    result: dict[str, object] = {"goal_per_cpu_s": 10.0}
    for name, config in configs.items():
        engine = SheetMusicEngine(config)
        engine.sample(make_rng(1, engine.name, 0), 0)  # start the Verovio child before timing
        result[name] = measure(engine, args.n)
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sheet_music.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'sheet_music.json'}")


if __name__ == "__main__":
    main()
