"""What capture costs: an engine's throughput with `--capture 0` against its default, in the same run.

    python -m bench.capture [--engines docs,formulas,charts] [--n 24] [--out bench/results/capture.json]

Each engine draws the same `--n` indices twice through `draw_batch`, as a build does (after a warm-up batch
not measured): once built with `--capture 0`, once with its default share. Both are timed in CPU-seconds of
this process and its children (`bench.cpu`), so a browser's or TeX's work is counted. The capture's own
cost is also timed alone (`engines.capture.captured` on the clean samples, at the default share), which is
the figure that does not move with the machine's load. Goal (issue 27): within 15% of the clean throughput.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.cpu import cpu_seconds
from engines import Draw, Sample, get_engine, make_rng
from engines.capture import captured

RESULTS = Path(__file__).resolve().parent / "results"


def draws(name: str, start: int, n: int, seed: int = 0) -> list[Draw]:
    return [Draw(i, 0, make_rng(seed, name, i)) for i in range(start, start + n)]


def timed_build(engine, start: int, n: int) -> tuple[float, list[tuple[int, Sample]]]:
    """CPU-seconds to draw indices [start, start + n) in the engine's batches, and the samples drawn."""
    made = []
    cpu = cpu_seconds()
    for first in range(start, start + n, engine.batch_size):
        batch = draws(engine.name, first, min(engine.batch_size, start + n - first))
        made += [(d.index, s) for d, s in zip(batch, engine.draw_batch(batch)) if isinstance(s, Sample)]
    return cpu_seconds() - cpu, made


def bench(name: str, n: int) -> dict:
    cls = get_engine(name)
    clean, default = cls(cls.Config(capture=0.0)), cls(cls.Config())
    for engine in (clean, default):
        engine.draw_batch(draws(name, 10_000, max(1, engine.batch_size)))  # warm-up: browsers, fonts, TeX caches
    clean_s, samples = timed_build(clean, 0, n)
    default_s, made = timed_build(default, 0, n)
    start = time.process_time()
    hit = sum("capture" in captured(default, s, i, 0).meta for i, s in samples)
    alone_s = time.process_time() - start
    row = {"engine": name, "samples": len(samples), "share": default.config.capture, "captured": hit,
           "clean_cpu_s": round(clean_s, 2), "default_cpu_s": round(default_s, 2),
           "clean_per_cpu_s": round(len(samples) / clean_s, 3), "default_per_cpu_s": round(len(made) / default_s, 3),
           "capture_cpu_s": round(alone_s, 3), "capture_cost": round(alone_s / clean_s, 4)}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="docs,formulas,charts")
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--out", default=str(RESULTS / "capture.json"))
    args = parser.parse_args()
    rows = [bench(name, args.n) for name in args.engines.split(",")]
    Path(args.out).write_text(json.dumps({"n": args.n, "engines": rows}, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
