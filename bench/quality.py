"""Every engine's default build validated by its independent reader: the table a team reads before training.

    python -m bench.quality [--n 200] [--engines charts docs ...] [--real] [--out data/quality]

Builds `--n` samples of each engine's default (built-in source, mixed English and Chinese where the engine
draws both; `--real` adds the `--source` builds of `../shared/data`), then scores every sample with
`pipelines.validate` (code points first, then the engine's registered reader and threshold). A build already
in OUT is resumed, not redrawn, so the command can be rerun after an interruption or with more engines.

Printed and written to bench/results/quality.json: per engine, task and language, the samples scored, the mean
and minimum score and how many were flagged, with the flagged samples' keys so `pipelines.gallery --flagged`
shows them beside their targets. Engines without a reader (smoke is a test engine) are left out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pipelines.validate import VALIDATION, describe, validate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULTS = ("charts", "formulas", "molecules", "tables", "geometry", "sheet_music", "docs", "doc_slices", "pages",
            "scene", "scene_crops", "handwriting", "finegrained", "multicrop", "multipage")
# name: (engine, --source under ../shared/data); what each folder feeds is in that folder's README.
REAL = {"docs-pdf": ("docs", "pdf"), "sheet_music-kern": ("sheet_music", "kern"),
        "scene-photos": ("scene", "scene"), "handwriting-lines": ("handwriting", "handwriting"),
        "formulas-arxiv": ("formulas", "tex/formulas.txt"), "tables-papers": ("tables", "tex/papers")}


def builds(engines: list[str], real: bool) -> list[tuple[str, list[str]]]:
    """(build name, pipelines.build arguments) for each build asked for."""
    out = [(name, ["--engine", name]) for name in engines]
    if real:
        for name, (engine, folder) in REAL.items():
            if (SHARED / folder).exists():
                out.append((name, ["--engine", engine, "--source", str(SHARED / folder)]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="samples built and scored per engine (default: 200)")
    parser.add_argument("--engines", nargs="+", default=list(DEFAULTS), help="engines whose default is built")
    parser.add_argument("--real", action="store_true", help="also build each --source of ../shared/data")
    parser.add_argument("--out", default="data/quality", help="folder of the builds (default: data/quality)")
    parser.add_argument("--workers", type=int, default=1, help="shards built at once (default: 1)")
    args = parser.parse_args(argv)

    rows: list[dict[str, Any]] = []
    for name, build_args in builds(args.engines, args.real):
        folder = Path(args.out) / name
        cmd = [sys.executable, "-m", "pipelines.build", *build_args, "--n", str(args.n),
               "--shard-size", str(max(1, args.n // 4)), "--workers", str(args.workers), "--out", str(folder)]
        print("$", " ".join(cmd), flush=True)
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            rows.append({"build": name, "error": "build failed"})
            continue
        report = validate([str(folder)], args.n, seed=0)
        (folder / VALIDATION).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        print(describe(report), flush=True)
        for group in report["groups"]:
            flagged = [s["key"] for s in report["samples"] if s["flagged"]
                       and [s[k] for k in ("engine", "task", "lang")] == [group[k] for k in ("engine", "task", "lang")]]
            rows.append({"build": name, **group, "flagged_keys": flagged})

    result = ROOT / "bench" / "results" / "quality.json"
    result.write_text(json.dumps({"n": args.n, "rows": rows}, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
