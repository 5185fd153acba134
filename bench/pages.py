"""Benchmark the pages engine: generated pages per CPU-second, batched, against one LaTeX compile per page.

    python -m bench.pages [--n 32] [--seed 0]

The same draws (generated documents, English with pdflatex and Chinese with xelatex) are made two ways
in one run: the baseline compiles each page's document alone (one TeX run per page, what a simple
script does), the engine compiles a batch of `PagesEngine.batch_size` documents as one TeX run. Both
include everything a sample costs (content, compile, text-layer split, rasterising). CPU time is this
process's plus that of the TeX processes it waited for (`RUSAGE_CHILDREN`), so TeX's start-up and
preamble, which batching pays once per batch, are counted. The two ways alternate batch by batch, so
load from other processes weighs on both alike.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import psutil

from bench.cpu import cpu_seconds
from engines.base import Draw, Sample, make_rng
from engines.pages import PagesEngine

RESULTS = Path(__file__).resolve().parent / "results"


def measure(lang: str, n: int, seed: int) -> list[dict]:
    """Pages per second and per CPU-second of the baseline and of the batched engine, for one language."""
    engine = PagesEngine(PagesEngine.Config(lang=lang))
    engine.sample_batch([Draw(n, 0, make_rng(seed, "pages", n))])  # warm up (an index not measured): fonts, prose
    size = engine.batch_size
    totals = {"one compile per page": [0.0, 0.0, 0], "batched (one compile per batch)": [0.0, 0.0, 0]}
    for start in range(0, n, size):
        indices = range(start, min(n, start + size))
        for name in totals:
            wall, cpu = time.perf_counter(), cpu_seconds()
            if name.startswith("one"):
                made = [engine.sample_batch([Draw(i, 0, make_rng(seed, "pages", i))])[0] for i in indices]
            else:
                made = engine.sample_batch([Draw(i, 0, make_rng(seed, "pages", i)) for i in indices])
            totals[name][0] += time.perf_counter() - wall
            totals[name][1] += cpu_seconds() - cpu
            totals[name][2] += sum(isinstance(s, Sample) for s in made)
    return [{"lang": lang, "name": name, "pages": pages, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
             "pages_per_s": round(pages / wall, 3), "pages_per_cpu_s": round(pages / cpu, 3)}
            for name, (wall, cpu, pages) in totals.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=32, help="pages per language and method")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    for lang in ("en", "zh"):
        pair = measure(lang, args.n, args.seed)
        pair[1]["ratio_vs_baseline"] = round(pair[1]["pages_per_cpu_s"] / pair[0]["pages_per_cpu_s"], 2)
        rows += pair
    print(f"{'':4} {'':34} {'pages/s':>8} {'pages/CPU-s':>12} {'vs baseline':>12}")
    for row in rows:
        ratio = f"{row['ratio_vs_baseline']:.2f}x" if "ratio_vs_baseline" in row else ""
        print(f"{row['lang']:4} {row['name']:34} {row['pages_per_s']:>8.2f} {row['pages_per_cpu_s']:>12.2f} "
              f"{ratio:>12}")
    RESULTS.mkdir(exist_ok=True)
    result = {"n": args.n, "seed": args.seed, "cpu_count": psutil.cpu_count(), "rows": rows}
    (RESULTS / "pages.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()
