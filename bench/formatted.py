"""Benchmark the formulas, tables and molecules engines: samples per CPU-second, against one compile per sample.

    python -m bench.formatted [--formulas 200] [--tables 96] [--molecules 256] [--baseline 40]

Each engine draws real samples through `sample_batch` exactly as a build does (after a warm-up
batch that starts Chromium and RDKit's child, reported apart). "Per CPU-second" counts this
process, every process it started that is still alive (Chromium, the Playwright driver, RDKit's
child), and every finished child (each TeX run), so work done on another core is not free.
The baseline, measured in the same run on the same content, is what a simple script does: one
LaTeX compile (and rasterisation) per sample: each formula alone in pdflatex, each table alone
with its own font's preamble (pdflatex, or XeLaTeX for Chinese). Goals (issue 16): formulas
through Mathpix-markdown-it at least 20x the baseline, tables through batched compiles at least
5x, molecules at least 40 per CPU-second. Results land in bench/results/formatted.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any, Callable

from bench.cpu import cpu_seconds
from engines import Draw, make_rng
from engines.formulas import FormulasEngine
from engines.formulas.engine import FormulasConfig
from engines.formulas.style import MATH_FONTS
from engines.molecules import MoleculesEngine
from engines.molecules.engine import MoleculesConfig
from engines.tables import TablesEngine
from engines.tables.style import TABLE_FONTS, TableStyle
from renderers.latex import LatexConfig, render_latex

RESULTS = Path(__file__).resolve().parent / "results"


def measure(name: str, work: Callable[[], int]) -> dict[str, Any]:
    """Run `work` (returns the samples it made) and report its throughput."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    made = work()
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    row = {"name": name, "samples": made, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
           "samples_per_s": round(made / wall, 2), "samples_per_cpu_s": round(made / max(cpu, 1e-9), 2)}
    print(json.dumps(row), flush=True)
    return row


def draws(engine: str, start: int, n: int, seed: int = 0) -> list[Draw]:
    return [Draw(i, 0, make_rng(seed, engine, i)) for i in range(start, start + n)]


def run_engine(engine, start: int, n: int, keep: list | None = None) -> Callable[[], int]:
    """A work function drawing `n` samples from index `start` in the engine's batches."""
    def work() -> int:
        made = 0
        for first in range(start, start + n, engine.batch_size):
            for sample in engine.sample_batch(draws(engine.name, first, min(engine.batch_size, start + n - first))):
                if not isinstance(sample, Exception):
                    made += 1
                    if keep is not None:
                        keep.append(sample)
        return made
    return work


def one_compile_each(snippets: list[tuple[str, str, str]]) -> Callable[[], int]:
    """The baseline: (snippet, preamble, TeX engine) compiled and rasterised one run each."""
    def work() -> int:
        made = 0
        for snippet, preamble, engine in snippets:
            result = render_latex([snippet], preamble, LatexConfig(program=engine, dpi=200, margin_pt=0.0))[0]
            made += not hasattr(result, "reason")
        return made
    return work


def bench_formulas(n: int, baseline: int) -> list[dict[str, Any]]:
    mathpix = FormulasEngine(FormulasConfig(renderer="mathpix"))
    latex = FormulasEngine(FormulasConfig(renderer="latex"))
    rows = [measure("formulas warm-up (Chromium start, first page)", run_engine(mathpix, 10**6, mathpix.batch_size))]
    made: list = []
    rows.append(measure("formulas: Mathpix-markdown-it, batches of 40", run_engine(mathpix, 0, n, made)))
    rows.append(measure("formulas: LaTeX, 11 math fonts, batches of 160 (one compile per font)",
                        run_engine(latex, 0, n)))
    font = MATH_FONTS["computer-modern"]
    snippets = [(f"$\\displaystyle {s.target[3:-3]}$" if s.meta["display"] else f"${s.target[3:-3]}$",
                 font.preamble, font.engine) for s in made[:baseline]]
    rows.append(measure("formulas baseline: one pdflatex compile per formula", one_compile_each(snippets)))
    return rows


def bench_tables(n: int, baseline: int) -> list[dict[str, Any]]:
    engine = TablesEngine()
    made: list = []
    rows = [measure("tables: batched compiles (48 per batch, one compile per font), en + zh",
                    run_engine(engine, 0, n, made))]
    fonts = [TABLE_FONTS[s.meta["style"]["font"]] for s in made[:baseline]]
    snippets = [(TableStyle(**s.meta["style"]).snippet(s.target), font.preamble, font.engine)
                for s, font in zip(made, fonts)]
    rows.append(measure("tables baseline: one compile per table (same fonts and styles)", one_compile_each(snippets)))
    return rows


def bench_molecules(n: int) -> list[dict[str, Any]]:
    rows = []
    for renderer in ("mixed", "rdkit", "mathpix"):
        engine = MoleculesEngine(MoleculesConfig(renderer=renderer))
        if renderer == "mixed":
            rows.append(measure("molecules warm-up (RDKit child, Chromium page)", run_engine(engine, 10**6, 32)))
        rows.append(measure(f"molecules: {renderer}", run_engine(engine, 0, n)))
    return rows


def ratio(rows: list[dict[str, Any]], name: str, base: str) -> float:
    get = {r["name"]: r["samples_per_cpu_s"] for r in rows}
    return round(get[name] / get[base], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formulas", type=int, default=200)
    parser.add_argument("--tables", type=int, default=96)
    parser.add_argument("--molecules", type=int, default=256)
    parser.add_argument("--baseline", type=int, default=40, help="samples the one-compile-each baselines draw")
    args = parser.parse_args()
    rows = bench_formulas(args.formulas, args.baseline) + bench_tables(args.tables, args.baseline)
    rows += bench_molecules(args.molecules)
    result = {
        "cpu_count": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2), "args": vars(args),
        "goals": {"formulas_mathpix_vs_baseline": 20.0, "tables_batched_vs_baseline": 5.0,
                  "molecules_per_cpu_s": 40.0},
        "figures": {
            "formulas_mathpix_vs_baseline": ratio(rows, "formulas: Mathpix-markdown-it, batches of 40",
                                                  "formulas baseline: one pdflatex compile per formula"),
            "formulas_latex_vs_baseline": ratio(
                rows, "formulas: LaTeX, 11 math fonts, batches of 160 (one compile per font)",
                "formulas baseline: one pdflatex compile per formula"),
            "tables_batched_vs_baseline": ratio(rows, "tables: batched compiles (48 per batch, one compile per font), "
                                                "en + zh", "tables baseline: one compile per table (same fonts and "
                                                "styles)"),
            "molecules_per_cpu_s": {r["name"]: r["samples_per_cpu_s"] for r in rows if r["name"].startswith("molecules: ")},
        },
        "rows": rows,
    }
    print(json.dumps(result["figures"], indent=1))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "formatted.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
