"""What the paper's whole data costs on this platform: CPU-hours per engine and in all, and the wall time on a
64-core Ray cluster.

    python -m bench.paper [--n 8] [--warm 2] [--engines scene ...] [--scaling-n 200] [--seed 0]

Every engine (default config, as the stage mixes build it) is warmed up (Chromium started, fonts read, TeX
formats loaded: a worker pays these once), then draws `--n` samples, or one full batch where its batch is larger
(formulas 40, molecules 64, tables 48, geometry 32: their batching is their speed), as a build draws them
(`bench.stage3.measure`: failed draws retried, the shard writer's PNG encode counted; CPU of this process, its
helpers and its finished children, `bench.cpu`). Its CPU-seconds per sample times the paper's count (`COUNTS`) is its CPU-hours.
An engine whose first draws meet one-offs the warm-up missed (the scene engine checks each packaged photo
with PP-OCR on first use) is measured again with `--engines NAME --warm N`: its row replaces the recorded one
and the totals are recomputed over every row in bench/results/paper.json.

Wall time on a 64-core cluster: the shards are independent (no state shared between workers but the driver's
bookkeeping), so it is taken as CPU-hours / (64 x efficiency), where efficiency is 2 Ray workers' speed over
twice one worker's on this machine (charts at their mixed default, warm workers, `bench.build.timed_build`),
held flat from 2 to 64 cores: a cluster adds nodes of the same shape, and nothing the workers share grows with
their number. `--scaling-n N` measures it in this run; by default the figure is read from `bench.build`'s last
run (bench/results/build.json), which measured it on a machine not shared with other builds.
Results go to bench/results/paper.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.build import timed_build
from bench.stage3 import measure, warm_faces
from engines import get_engine

RESULTS = Path(__file__).resolve().parent / "results"
CORES = 64
GOAL_CPU_HOURS = 1000.0
# The paper's samples per stage, by the engine that makes them (GOT-OCR2.0, section 3). Handwriting has no count
# in the paper: 0.5M, the weight stage2.yaml gives it beside the others' 1M.
COUNTS = {
    1: {"scene": 2_000_000, "scene_crops": 1_000_000, "docs": 1_200_000, "doc_slices": 800_000},
    2: {"formulas": 1_000_000, "molecules": 1_000_000, "tables": 300_000, "pages": 1_200_000,
        "sheet_music": 500_000, "geometry": 1_000_000, "charts": 2_000_000, "handwriting": 500_000},
    3: {"finegrained": 600_000, "multicrop": 500_000, "multipage": 200_000},
}
def cost(name: str, n: int, warm: int, seed: int) -> dict[str, float]:
    """One engine's steady-state draw: samples, failed draws, CPU-seconds per sample."""
    cls = get_engine(name)
    engine = cls()
    n = max(n, cls.batch_size)
    measure(engine, max(warm, min(cls.batch_size, 8)), seed + 1, 100_000)
    row = measure(engine, n, seed)
    return {**row, "cpu_s_per_sample": round((row["draw_cpu_s"] + row["encode_cpu_s"]) / row["samples"], 4)}


def scaling(n: int) -> dict[str, float]:
    """2 Ray workers against 1 on this machine (charts, mixed renderers, warm workers): measured now when `n`,
    else `bench.build`'s recorded run.

    Exits 2, naming the fix, when it is neither asked for nor recorded.
    """
    if n:
        one, _, _ = timed_build(n, 20, 1, {})
        two, _, _ = timed_build(n, 20, 2, {})
        return {"n": n, "measured": "this run", "speedup": round(one / two, 3), "efficiency": round(one / two / 2, 3)}
    recorded = RESULTS / "build.json"
    if not recorded.is_file():
        print(f"{recorded} is absent: run python -m bench.build first, or give --scaling-n 200", file=sys.stderr)
        sys.exit(2)
    mixed = next(r for r in json.loads(recorded.read_text())["scaling"] if r["renderer"] == "mixed")
    return {"n": mixed["n"], "measured": "bench/results/build.json", "speedup": round(mixed["speedup"], 3),
            "efficiency": round(mixed["speedup"] / 2, 3)}


def table(rows: list[dict], efficiency: float) -> str:
    """The markdown table README and the report quote."""
    total = sum(r["cpu_hours"] for r in rows)
    lines = ["| stage | engine | samples | CPU-s / sample | CPU-hours | share |", "| --- | --- | --- | --- | --- | --- |"]
    for r in sorted(rows, key=lambda r: (r["stage"], -r["cpu_hours"])):
        lines.append(f"| {r['stage']} | {r['engine']} | {r['count'] / 1e6:g}M | {r['cpu_s_per_sample']:.4f} | "
                     f"{r['cpu_hours']:,.0f} | {r['cpu_hours'] / total:.0%} |")
    wall = total / (CORES * efficiency)
    lines.append(f"| all | | {sum(r['count'] for r in rows) / 1e6:g}M | | **{total:,.0f}** | 100% |")
    lines.append(f"\nWall time on {CORES} cores at {efficiency:.2f} efficiency: {wall:,.1f} h "
                 f"(goal: {GOAL_CPU_HOURS:,.0f} CPU-hours in all).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="samples measured per engine (at least its batch)")
    parser.add_argument("--scaling-n", type=int, default=0,
                        help="charts to draw with 1 and with 2 Ray workers now (default: bench.build's last run)")
    parser.add_argument("--warm", type=int, default=2, help="samples drawn, untimed, before each engine's")
    names = [name for counts in COUNTS.values() for name in counts]
    parser.add_argument("--engines", nargs="+", choices=names, default=names,
                        help="engines to measure (the others' rows are kept from bench/results/paper.json)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.monotonic()
    path = RESULTS / "paper.json"
    kept = {r["engine"]: r for r in json.loads(path.read_text())["rows"]} if path.is_file() else {}
    rows = []
    warm_faces()  # a worker's one-off, as each engine's own warm-up is
    for stage, counts in COUNTS.items():
        for name, count in counts.items():
            if name not in args.engines:
                if name in kept:
                    rows.append(kept[name])
                continue
            row = cost(name, args.n, args.warm, args.seed)
            rows.append({"stage": stage, "engine": name, "count": count, "warm": args.warm, **row,
                         "cpu_hours": round(row["cpu_s_per_sample"] * count / 3600, 1)})
            print(json.dumps(rows[-1]), flush=True)
    scale = scaling(args.scaling_n)
    print(json.dumps(scale), flush=True)
    text = table(rows, scale["efficiency"])
    print(text)
    total = sum(r["cpu_hours"] for r in rows)
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps({
        "n": args.n, "seed": args.seed, "rows": rows, "scaling": scale, "cpu_hours": round(total, 1),
        "wall_hours_64_cores": round(total / (CORES * scale["efficiency"]), 2), "goal_cpu_hours": GOAL_CPU_HOURS,
        "bench_seconds": round(time.monotonic() - started, 1)}, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
