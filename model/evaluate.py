"""Score a checkpoint on built shards: one table per engine.

    python -m model.evaluate data/charts data/tables --ckpt runs/stage3 --n 200 --out eval.json

Every sample's image and GOT query go to the model (greedy, as GOT evaluates); its answer is
scored against the sample's target with GOT's text metrics (model/metrics.py) and, for chart
samples, OneChart's AP (model/chart_ap.py). Prints a table per engine of the means; --out keeps
every prediction beside its reference and scores.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import torch

from model.chart_ap import chart_ap
from model.checkpoint import CheckpointError, load_for_inference
from model.generate import Query, read
from model.metrics import mean_metrics, meteor_available, text_metrics
from pipelines.cli import Parser
from shards.reader import StoredSample, iter_samples

PROG = "python -m model.evaluate"
CHART_ENGINES = {"charts"}
TEXT_COLUMNS = ("edit_distance", "f1", "precision", "recall", "bleu", "meteor")
CHART_COLUMNS = ("ap_strict", "ap_slight", "ap_high", "em", "parsed")


def samples(folders: list[str], limit: int | None) -> Iterator[StoredSample]:
    """The first `limit` samples of each folder (all when None)."""
    for folder in folders:
        yield from itertools.islice(iter_samples(folder), limit)


def evaluate(model: Any, folders: list[str], limit: int | None, batch_size: int, max_new_tokens: int
             ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(per-engine summary, per-sample rows)."""
    rows: list[dict[str, Any]] = []
    stream = samples(folders, limit)
    while batch := list(itertools.islice(stream, batch_size)):
        queries = [Query(s.images, s.record["prompt"], s.record["task"]) for s in batch]
        for s, pred in zip(batch, read(model, queries, max_new_tokens=max_new_tokens)):
            ref = s.record["target"]
            rows.append({"key": s.key, "engine": s.record["engine"], "task": s.record["task"],
                         "prediction": pred, "reference": ref, **text_metrics(pred, ref)})
    by_engine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_engine[row["engine"]].append(row)
    summary = {}
    for engine, group in sorted(by_engine.items()):
        summary[engine] = {"samples": len(group),
                           **mean_metrics([{k: r[k] for k in TEXT_COLUMNS} for r in group])}
        if engine in CHART_ENGINES:
            summary[engine].update(chart_ap([r["prediction"] for r in group], [r["reference"] for r in group]))
    return summary, rows


def table(engine: str, summary: dict[str, Any]) -> str:
    """A markdown table of one engine's means."""
    columns = ["samples", *TEXT_COLUMNS] + [c for c in CHART_COLUMNS if c in summary]
    cells = [str(summary[c]) if c == "samples" else ("n/a" if summary[c] is None else f"{summary[c]:.4f}")
             for c in columns]
    return (f"### {engine}\n\n| {' | '.join(columns)} |\n|{'---|' * len(columns)}\n| {' | '.join(cells)} |\n")


def parse_args(argv: list[str] | None) -> Any:
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", metavar="BUILD",
                   help="output folders of pipelines.build (engines may be mixed)")
    p.add_argument("--ckpt", required=True, help="model folder, run folder (latest checkpoint) or cached hub id")
    p.add_argument("--n", type=int, help="at most this many samples per build (default: all)")
    p.add_argument("--batch-size", type=int, default=8, help="samples per generate call (default: 8)")
    p.add_argument("--max-new-tokens", type=int, default=4096, help="longest answer generated (default: 4096)")
    p.add_argument("--out", help="write the summary and every prediction here (JSON)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                   help="torch device (default: cuda when there is one, else cpu)")
    args = p.parse_args(argv)
    for flag, value in (("--n", args.n), ("--batch-size", args.batch_size),
                        ("--max-new-tokens", args.max_new_tokens)):
        if value is not None and value < 1:
            p.error(f"{flag} must be >= 1, got {value}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        model = load_for_inference(args.ckpt, args.device)
        summary, rows = evaluate(model, args.folders, args.n, args.batch_size, args.max_new_tokens)
    except (CheckpointError, FileNotFoundError, ValueError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    for engine, s in summary.items():
        print(table(engine, s))
    if not meteor_available():
        print("METEOR: n/a, nltk's WordNet data is not installed (python -c \"import nltk; nltk.download('wordnet')\")")
    if args.out:
        Path(args.out).write_text(json.dumps({"ckpt": args.ckpt, "summary": summary, "samples": rows},
                                             ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
