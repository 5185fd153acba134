"""Check built samples with an independent reader: does each target say what its image shows?

    python -m pipelines.validate data/charts [data/smoke ...] [--n 200] [--seed 0] [--out REPORT.json]

A build of millions cannot be looked at; this reads a seeded sample of each build (`--n` per build)
back through a second path that is not the code that drew it (`pipelines.readers`: PP-OCR for text
and charts), scores each sample's agreement with its target in [0, 1], and flags those under the
engine's threshold (a threshold set against the reader's own ceiling: PP-OCR misses some correct
text, so a threshold of 1.0 would flag correct samples). It reports per engine, task and language,
and writes every score with its figures to a JSON file (default OUT/validation.json) that
`pipelines.report` plots and `pipelines.gallery --flagged` shows. Engines without a reader are
counted as "no reader", not failed. A sample whose image cannot be decoded or whose target cannot
be parsed scores 0 with the error in its details: that is what validation is for.
"""

from __future__ import annotations

import json
import posixpath
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

import fsspec
from tqdm import tqdm

from pipelines.cli import Parser, UsageError, fail
from pipelines.readers import READERS, Reading, codepoints, get_reader
from pipelines.sampling import seeded_sample, shard_sizes
from renderers.errors import RenderError
from shards.reader import StoredSample
from shards.writer import write_json_atomic

PROG = "python -m pipelines.validate"
VALIDATION = "validation.json"


def score(sample: StoredSample) -> tuple[Reading, float] | None:
    """The sample's reading and its engine's threshold, or None when the engine has no reader.

    A sample that cannot be read (undecodable image, unparsable target, a box with no area, a redraw
    that fails or times out) scores 0, with the error in the reading's details. So does a target
    holding a code point no source text holds (`pipelines.readers.codepoints`), checked first and
    without a reader: readers fold such look-alikes away, so they would never see it. A reader may
    give a sample its own threshold (`Reading.threshold`: geometry's dict targets).
    """
    engine = sample.record["engine"]
    if engine not in READERS:
        return None
    reader, threshold = get_reader(engine)
    wrong = codepoints.check(sample.record["target"])
    if wrong:
        return Reading(0.0, {"error": "code points no source text holds", **wrong}), threshold
    try:
        reading = reader(sample.record, sample.images)
        return reading, threshold if reading.threshold is None else reading.threshold
    except (OSError, ValueError, KeyError, RenderError) as e:
        return Reading(0.0, {"error": f"{type(e).__name__}: {e}"}), threshold


def summarize(rows: list[dict[str, Any]], no_reader: dict[tuple[str, str, str], int]) -> list[dict[str, Any]]:
    """One summary per (engine, task, lang): samples, mean/median/min score, how many were flagged."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["engine"], row["task"], row["lang"])].append(row)
    out = []
    for (engine, task, lang), members in sorted(groups.items()):
        scores = [r["score"] for r in members]
        out.append({"engine": engine, "task": task, "lang": lang, "samples": len(members),
                    "reader": READERS[engine][0], "threshold": members[0]["threshold"],
                    "mean": round(statistics.fmean(scores), 4), "median": round(statistics.median(scores), 4),
                    "min": round(min(scores), 4), "flagged": sum(r["flagged"] for r in members)})
    out += [{"engine": e, "task": t, "lang": lang, "samples": count, "reader": None}
            for (e, t, lang), count in sorted(no_reader.items())]
    return out


def validate(folders: list[str], n: int, seed: int) -> dict[str, Any]:
    """Read a seeded sample of n samples of each build and score them.

    Returns:
        the report: its parameters, one summary per (engine, task, lang) in `groups`, and every
        scored sample in `samples` (build, shard, key, engine, task, lang, score, threshold, flagged,
        details).

    Raises:
        FileNotFoundError: a folder is missing, holds no shards, or holds an unfinished shard (all
            folders are checked before any sample is read).
    """
    builds = [(folder, shard_sizes(folder)) for folder in folders]
    rows: list[dict[str, Any]] = []
    no_reader: dict[tuple[str, str, str], int] = defaultdict(int)
    t0 = time.monotonic()
    total = sum(min(n, sum(count for _, count in sizes)) for _, sizes in builds)
    with tqdm(total=total, unit="sample", desc="validate", file=sys.stderr) as bar:
        for folder, sizes in builds:
            for shard, sample in seeded_sample(sizes, n, seed):
                bar.update()
                rec = sample.record
                where = {"engine": rec["engine"], "task": rec["task"], "lang": rec["lang"]}
                scored = score(sample)
                if scored is None:
                    no_reader[(where["engine"], where["task"], where["lang"])] += 1
                    continue
                reading, threshold = scored
                rows.append({"build": folder, "shard": shard, "key": sample.key, **where,
                             "score": round(reading.score, 4), "threshold": threshold,
                             "flagged": reading.score < threshold, "details": reading.details})
    return {"builds": folders, "n": n, "seed": seed, "seconds": round(time.monotonic() - t0, 1),
            "groups": summarize(rows, no_reader), "samples": rows}


def describe(report: dict[str, Any]) -> str:
    """The report's groups as lines for the terminal."""
    lines = []
    for g in report["groups"]:
        where = f"{g['engine']:>10} {g['task']:<8} {g['lang']:<4} {g['samples']:>5} samples"
        if g["reader"] is None:
            lines.append(f"{where}  no reader")
        else:
            lines.append(f"{where}  score mean {g['mean']:.3f} median {g['median']:.3f} min {g['min']:.3f}  "
                         f"flagged {g['flagged']} (under {g['threshold']})")
    return "\n".join(lines)


def default_out(folders: list[str], out: str | None) -> str:
    """--out, or FOLDER/validation.json for one build.

    Raises:
        UsageError: several builds and no --out.
    """
    if out is not None:
        return out
    if len(folders) > 1:
        raise UsageError(f"{len(folders)} builds given: say where the report goes with --out REPORT.json")
    return folders[0].rstrip("/") + "/" + VALIDATION


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog=PROG, description="Score a seeded sample of built samples with an independent reader.")
    parser.add_argument("folders", nargs="+", help="output folders of pipelines.build (several engines may be mixed)")
    parser.add_argument("--n", type=int, default=200, help="samples read from each build (default: 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample drawn (default: 0)")
    parser.add_argument("--out", default=None, help=f"JSON report to write (default: OUT/{VALIDATION} for one build)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.n < 1:
            raise UsageError(f"--n must be at least 1, got {args.n}")
        out = default_out(args.folders, args.out)
        report = validate(args.folders, args.n, args.seed)
    except (UsageError, FileNotFoundError) as e:
        fail(PROG, str(e))
    fs, path = fsspec.core.url_to_fs(out)
    fs.makedirs(posixpath.dirname(path) or ".", exist_ok=True)
    write_json_atomic(fs, path, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    flagged = sum(r["flagged"] for r in report["samples"])
    print(describe(report))
    print(f"wrote {out}: {len(report['samples'])} samples scored in {report['seconds']} s, {flagged} flagged"
          + (f"; see them with `python -m pipelines.gallery --flagged {out}`" if flagged else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
