"""Benchmark the docs engine: pages per CPU-second, against poppler's command-line tools run per page.

    python -m bench.docs [--source ../shared/data/pdf] [--n 40] [--dpi 150]

Three ways to make a page sample of the same real PDF pages, interleaved page by page in one run so that
load from other processes weighs on all alike:

- baseline: what a shell script over a PDF crawl does, `pdftoppm -r DPI -png` for the image and
  `pdftotext -layout` for the text of one page (two processes a page; their CPU time is counted from
  `getrusage(RUSAGE_CHILDREN)`);
- the docs engine's page path (`DocsEngine.sample`: the checked text layer in reading order, the page
  rendered by MuPDF in-process, stray lines painted over) plus the PNG encoding a shard applies;
- the same for one line or paragraph slice (`--unit slice`).

Built-in pages (generated PDFs of real prose, then the same path) are timed too, per language. The
source scan (MuPDF checks and the pdfminer.six cross-check, once per worker) is reported apart.
Results land in bench/results/docs.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from engines.base import SampleError, make_rng
from engines.docs import DocsEngine
from engines.docs.source import SourcePage
from shards.format import encode_image

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdf"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def poppler_page(page: SourcePage, dpi: float, tmp: str) -> None:
    """The baseline: one pdftoppm and one pdftotext process for one page."""
    n = str(page.page + 1)
    subprocess.run(["pdftoppm", "-r", str(int(dpi)), "-f", n, "-l", n, "-png", str(page.path), f"{tmp}/p"],
                   check=True, capture_output=True)
    subprocess.run(["pdftotext", "-layout", "-f", n, "-l", n, str(page.path), "-"], check=True, capture_output=True)


def engine_page(engine: DocsEngine, index: int, failed: Counter) -> None:
    """One engine sample of source page `index`, encoded as the shard writer would; failed draws are drawn
    again with the next attempt, as the build does (their time counts), and counted by reason."""
    for attempt in range(10):
        try:
            sample = engine.sample(make_rng(0, engine.name, index, attempt), index, attempt)
        except SampleError as exc:
            failed[f"{engine.name}:{engine.config.lang}:{exc.reason}"] += 1
            continue
        encode_image(sample.images[0])
        return


def measure(n: int, methods: dict[str, Callable[[int], None]]) -> list[dict]:
    """Each method for items 0..n-1, interleaved item by item; CPU seconds include child processes."""
    totals = {name: [0.0, 0.0] for name in methods}
    for i in range(n):
        for name, run in methods.items():
            wall0, cpu0 = time.perf_counter(), time.process_time() + children_cpu()
            run(i)
            totals[name][0] += time.perf_counter() - wall0
            totals[name][1] += time.process_time() + children_cpu() - cpu0
    return [{"name": name, "pages": n, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
             "pages_per_cpu_s": round(n / cpu, 2)} for name, (wall, cpu) in totals.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="a PDF or a folder of PDFs")
    parser.add_argument("--n", type=int, default=40, help="pages per measurement")
    parser.add_argument("--dpi", type=float, default=150.0)
    args = parser.parse_args()
    t0 = time.process_time()
    pages = DocsEngine(DocsEngine.Config(source=args.source, dpi=args.dpi))
    scan_cpu = time.process_time() - t0
    slices = DocsEngine(DocsEngine.Config(source=args.source, dpi=args.dpi, unit="slice", cross_check=False))
    n = min(args.n, len(pages.pages))
    failed: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(n, {
            "poppler per page (pdftoppm PNG + pdftotext)": lambda i: poppler_page(pages.pages[i], args.dpi, tmp),
            "docs engine, page + PNG": lambda i: engine_page(pages, i, failed),
            "docs engine, slice + PNG": lambda i: engine_page(slices, i, failed),
        })
    built = {lang: DocsEngine(DocsEngine.Config(lang=lang, dpi=args.dpi)) for lang in ("en", "zh")}
    for engine in built.values():
        engine_page(engine, 10_000, Counter())  # a worker's first page loads the prose and the CJK face
    rows += measure(n, {f"built-in {lang} page + PNG": (lambda i, e=e: engine_page(e, i, failed))
                        for lang, e in built.items()})
    base = rows[0]["pages_per_cpu_s"]
    for row in rows:
        row["ratio_vs_poppler"] = round(row["pages_per_cpu_s"] / base, 2)
    print(f"{'':46} {'pages/CPU-s':>12} {'vs poppler':>11}")
    for row in rows:
        print(f"{row['name']:46} {row['pages_per_cpu_s']:>12.2f} {row['ratio_vs_poppler']:>10.2f}x")
    print(f"failed draws (drawn again, time included): {dict(failed)}")
    print(f"source scan: {len(pages.pages)} usable pages, {scan_cpu:.1f} CPU-s (with the pdfminer cross-check); "
          f"skipped {pages.describe().get('skipped')}")
    RESULTS.mkdir(exist_ok=True)
    result = {"source": args.source, "n": n, "dpi": args.dpi, "scan_cpu_s": round(scan_cpu, 2),
              "usable_pages": len(pages.pages), "skipped": pages.describe().get("skipped"),
              "failed_draws": dict(failed), "rows": rows}
    (RESULTS / "docs.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'docs.json'}")


if __name__ == "__main__":
    main()
