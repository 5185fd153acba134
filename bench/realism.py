"""How real each engine's builds look: capture shares, faces and layouts, and the charts' time series against real ones.

    python -m bench.realism BUILD [BUILD ...] [--n 200] [--seed 0]

For each build (any engine; a stage mix's sources, or one small build per engine), a seeded sample of `--n`
samples is read (`pipelines.sampling`, as the report reads it) and summarised per engine:

- capture: the share captured (scanned, photographed, screenshotted, lightly degraded) by preset, and the share the
  legibility gate lightened or gave up (`pipelines.report.capture_of`): the goal is the engine's `--capture` share
  (0.3 by default) outside sheet music;
- looks: the values of what the engine records about how a sample looks (`pipelines.report.LOOKS`: renderers,
  faces, page kinds, columns, blocks shown), with how many distinct values each has;
- charts: the median lag-1 autocorrelation and share of direction changes of the built charts' series over time,
  against windows of the real published tables (`bench.chart_realism`, whose goal is within 0.1 of the real figure).

Printed as a table and written to bench/results/realism.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.chart_realism import TOLERANCE, _pool_of, real_windows, summary
from engines.charts.content.values import TIME_POOLS
from pipelines.report import capture_of, looks_of, looks_shares
from pipelines.sampling import seeded_sample, shard_stats
from shards.reader import read_manifest

RESULTS = Path(__file__).resolve().parent / "results"


def _over_time(meta: dict[str, Any]) -> list[list[float]]:
    """The series of a built chart whose categories are periods (years or a time pool), else none."""
    spec = meta.get("spec") or {}
    categories = spec.get("categories") or []
    if meta.get("kind") in ("pie", "donut", "radar", "scatter") or len(categories) < 3:
        return []
    years = all(str(c).rstrip("年").isdigit() for c in categories)
    if not years and _pool_of(categories, meta.get("lang", "en")) not in TIME_POOLS:
        return []
    return [[float(v) for v in s["values"]] for s in spec.get("series", []) if None not in s["values"]]


def read_builds(folders: list[str], n: int, seed: int) -> tuple[list[dict[str, Any]], list[list[float]]]:
    """Per sampled sample (engine, capture, looks), and the series over time of the sampled charts.

    Raises:
        FileNotFoundError: a folder holds no finished build.
    """
    rows, series = [], []
    for folder in folders:
        if read_manifest(folder) is None:
            raise FileNotFoundError(f"{folder}: no manifest.json; finish the build (rerun its command) first")
        sizes = [(shard, st.samples) for shard, st in shard_stats(folder)]
        for _, s in seeded_sample(sizes, n, seed):
            engine = s.record["engine"]
            rows.append({"engine": engine, "capture": capture_of(s.meta), "looks": looks_of(engine, s.meta)})
            if engine == "charts":
                series += _over_time(s.meta)
    return rows, series


def realism(folders: list[str], n: int = 200, seed: int = 0) -> dict[str, Any]:
    """Per engine: samples read, captured share by preset, gated share, looks; the charts' time series."""
    rows, series = read_builds(folders, n, seed)
    engines: dict[str, dict[str, Any]] = defaultdict(dict)
    for engine in sorted({r["engine"] for r in rows}):
        mine = [r for r in rows if r["engine"] == engine]
        presets = Counter(r["capture"][0] for r in mine)
        engines[engine].update(
            samples=len(mine), captured=round(1 - presets["clean"] / len(mine), 3),
            presets={p: round(c / len(mine), 3) for p, c in presets.most_common() if p != "clean"},
            gated=round(sum(bool(r["capture"][2]) for r in mine) / len(mine), 3))
    for engine, by_path in looks_shares(rows).items():
        engines[engine]["looks"] = by_path
    out: dict[str, Any] = {"builds": folders, "n": n, "seed": seed, "engines": dict(engines)}
    if series:
        real, built = summary(real_windows(seed)), summary(series)
        out["charts_time_series"] = {"real": real, "built": built, "tolerance": TOLERANCE, "within": all(
            abs(real[k] - built[k]) <= TOLERANCE for k in ("lag1", "direction_changes"))}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realism", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", metavar="BUILD", help="output folders of pipelines.build")
    parser.add_argument("--n", type=int, default=200, help="samples read from each build (default: 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = realism(args.folders, args.n, args.seed)
    print(f"{'engine':13} {'read':>5} {'captured':>9} {'gated':>6}  presets; distinct values of what it records")
    for engine, e in result["engines"].items():
        presets = ", ".join(f"{p} {v:.0%}" for p, v in e["presets"].items())
        distinct = ", ".join(f"{path} {len(values)}" for path, values in e.get("looks", {}).items())
        print(f"{engine:13} {e['samples']:>5} {e['captured']:>9.0%} {e['gated']:>6.0%}  {presets or '-'}; {distinct}")
    if ts := result.get("charts_time_series"):
        for name in ("real", "built"):
            row = ts[name]
            print(f"charts over time, {name:5}: lag-1 {row['lag1']:.3f}, direction changes {row['direction_changes']:.3f} "
                  f"({row['series']} series)")
        print(f"within {ts['tolerance']} of real on both: {ts['within']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "realism.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {RESULTS / 'realism.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
