"""Benchmark validation: samples read and scored per CPU-second with PP-OCR, against a naive reader.

    python -m bench.validate [--n 16] [--seed 0]

The same samples (drawn in this process by the smoke and charts engines) are read four ways,
interleaved sample by sample so that load from other processes weighs on all alike:

- baseline: one PP-OCR call per whole image, loading the models each time (the validation reader's
  detection options, so only the loading differs); a second row does what a plain script does, a
  fresh `rapidocr` engine per image with its default options;
- one call, models loaded once: the same single whole-image call on the process's loaded engine,
  to show what the load costs;
- the validation reader (`pipelines.readers`, models loaded once): everything `pipelines.validate`
  does per sample (smoke: the whole image plus one crop per line; charts: the whole image, and again
  at twice the size when the first reading misses something).

"Per core" is per CPU-second of this process, with onnxruntime held to one thread (`OMP_NUM_THREADS=1`
unless set), as one validation worker per core runs. Results: bench/results/validate.json.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before renderers.ppocr builds an engine: one core per reader

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from engines import SampleError, get_engine, make_rng  # noqa: E402
from pipelines.readers import get_reader  # noqa: E402
from pipelines.readers.text import READ_OPTIONS, forget_readings  # noqa: E402
from renderers import ppocr  # noqa: E402
from shards.format import make_record  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("smoke", "charts")
Item = tuple[dict[str, Any], list[Image.Image]]


def draw(engine_name: str, n: int, seed: int) -> list[Item]:
    """n samples of an engine as (record, images), as validation reads them from shards."""
    engine, items, index = get_engine(engine_name)(), [], 0
    while len(items) < n:
        for attempt in range(10):
            try:
                s = engine.sample(make_rng(seed, engine_name, index, attempt), index, attempt)
                break
            except SampleError:
                continue
        else:
            raise RuntimeError(f"{engine_name}: index {index} failed 10 draws in a row")
        record = make_record(prompt=s.prompt, target=s.target, task=s.task, engine=engine_name, seed=seed,
                             index=index, meta=s.meta)
        items.append((record, [im.convert("RGB") for im in s.images]))
        index += 1
    return items


def baseline(item: Item) -> object:
    """The baseline: load PP-OCR's models, read the whole image once (with the validation reader's options)."""
    ppocr.engine.cache_clear()  # the read below loads the models again; the methods after it reuse them
    return ppocr.read(item[1][0], READ_OPTIONS)


def script_defaults(item: Item) -> object:
    """A script's plain call: a fresh engine with rapidocr's default options (detection scales the short
    side up to 736 px, which costs small images dearly)."""
    ocr = ppocr.engine.__wrapped__()  # a fresh engine, outside the process cache
    return ocr(np.ascontiguousarray(np.asarray(item[1][0])[:, :, ::-1]))


def one_call(item: Item) -> object:
    return ppocr.read(item[1][0], READ_OPTIONS)


def measure(items: list[Item], methods: dict[str, Callable[[Item], object]]) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each method over every item, interleaved item by item, each reading the
    image itself (the readings kept for scoring a sample again are dropped before each call)."""
    totals = {name: [0.0, 0.0] for name in methods}
    for item in items:
        for name, method in methods.items():
            forget_readings()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            method(item)
            totals[name][0] += time.perf_counter() - wall0
            totals[name][1] += time.process_time() - cpu0
    return {name: (wall, cpu) for name, (wall, cpu) in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=16, help="samples per engine (default: 16)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    ppocr.engine()
    load_s = time.perf_counter() - t0
    rows = []
    for name in ENGINES:
        reader, _ = get_reader(name)
        items = draw(name, args.n, args.seed)
        reader(*items[0])  # warm up (onnxruntime's first runs allocate)
        methods = {"baseline: model loaded per image, one whole-image call": baseline,
                   "script: model loaded per image, rapidocr's default options": script_defaults,
                   "one whole-image call, model loaded once": one_call,
                   "validation reader, model loaded once": lambda item: reader(*item)}
        times = measure(items, methods)
        base = len(items) / times[next(iter(methods))][1]
        for method, (wall, cpu) in times.items():
            rate = len(items) / cpu
            rows.append({"engine": name, "name": method, "samples": len(items), "wall_s": round(wall, 2),
                         "cpu_s": round(cpu, 2), "samples_per_cpu_s": round(rate, 3),
                         "ratio_vs_baseline": round(rate / base, 2)})
            print(f"{name:>7}  {method:<56} {rate:7.3f} samples/CPU-s  {rate / base:5.2f}x")
    result = {"n_per_engine": args.n, "seed": args.seed, "cpu_count": os.cpu_count(),
              "omp_num_threads": os.environ["OMP_NUM_THREADS"], "model_load_s": round(load_s, 2), "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "validate.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'validate.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
