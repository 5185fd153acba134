"""Look at a stage mix before training on it.

    python -m pipelines.mix show shards/mixes/stage2.yaml [--root .] [--n 1000]

One row per source (carried ones as `stage1/NAME`): its shards, the samples they hold (from
manifest.json), how many the stage can use (carried: times the measured kept fraction), its
share of draws (as configured, and renormalised over the sources that have shards, which is
what `--allow-missing` streams), the carried fraction (configured, and measured on the scanned
keys), and target-token percentiles on up to `--n` samples with the share over the stage's
token limit. A source without shards is one MISSING line; a bad file is one error line, exit 2.
"""

from __future__ import annotations

import json
import math
import os
import posixpath
import sys
from dataclasses import dataclass
from itertools import islice

import numpy as np
from tqdm import tqdm

from engines import ENGINES
from pipelines.cli import Parser, fail
from shards.mix import Mix, MixError, Source, carry_value, is_url, load_mix, resolve_shards
from shards.reader import read_manifest
from shards.stream import iter_tar
from tokenizer.got import get_tokenizer

PROG = "python -m pipelines.mix"


@dataclass
class SourceReport:
    """What `show` learned about one source; `urls` empty means missing."""

    source: Source
    urls: list[str]
    samples: int | None = None          # None: some shard has no manifest entry
    kept: float = 1.0                   # measured fraction under the carry threshold
    tokens: list[int] | None = None     # target tokens of the scanned samples that are kept


def survey(source: Source, root: str, scan: int) -> SourceReport:
    """Count a source's samples from its manifests and scan up to `scan` of them, spread over its shards."""
    report = SourceReport(source, resolve_shards(source.shards, root))
    if not report.urls:
        return report
    report.samples = _manifest_samples(report.urls)
    per_shard = math.ceil(scan / len(report.urls))
    keys, targets = [], []
    for url in report.urls[:scan]:
        for sample in islice(iter_tar(url), per_shard):
            keys.append(sample["__key__"])
            targets.append(json.loads(sample["json"])["target"])
    kept = [carry_value(k) < source.carry for k in keys]
    report.kept = sum(kept) / len(kept) if kept else 0.0
    report.tokens = [get_tokenizer().count(t) for t, keep in zip(targets, kept, strict=True) if keep]
    return report


def _manifest_samples(urls: list[str]) -> int | None:
    """Samples in these shards according to their folders' manifest.json; None if any is unlisted."""
    counts: dict[str, int] = {}
    for folder in sorted({posixpath.dirname(u) for u in urls if not u.startswith("pipe:")}):
        manifest = read_manifest(folder) or {"shards": []}
        counts.update({posixpath.join(folder, s["name"]): s["samples"] for s in manifest["shards"]})
    try:
        return sum(counts[u] for u in urls)
    except KeyError:
        return None


def build_hint(pattern: str) -> str:
    """How to make a missing source's shards: the build command when the pattern names a registered engine."""
    folder, name = posixpath.split(pattern)
    engine = name.split("-")[0]
    if engine in ENGINES:
        return f"build them with `python -m pipelines.build --engine {engine} --n N --out {folder}`"
    return f"no registered engine is named {engine!r} (known: {', '.join(sorted(ENGINES))})"


def render(mix: Mix, reports: list[SourceReport], root: str) -> list[str]:
    """The table `show` prints, one line per source, then a summary line."""
    present = [r.source.name for r in reports if r.urls]
    shares, present_shares = mix.shares(), mix.shares(present) if present else {}
    w = max(len("source"), *(len(r.source.name) for r in reports)) + 2
    lines = [f"stage {mix.stage}: {mix.path}  "
             f"(max target tokens {mix.max_target_tokens}, root {os.path.abspath(root)})",
             f"{'source':<{w}}{'shards':>7}{'samples':>10}{'usable':>10}{'share':>8}{'present':>9}"
             f"{'carried cfg/meas':>18}   {'target tokens p50/p90/p99/max':<30}{'over limit':>10}"]
    for r in reports:
        s = r.source
        if not r.urls:
            lines.append(f"{s.name:<{w}}MISSING ({100 * shares[s.name]:.1f}% configured): no shards match "
                         f"{s.shards!r} under {os.path.abspath(root)}; {build_hint(s.shards)}")
            continue
        samples = "?" if r.samples is None else str(r.samples)
        usable = samples if s.carry >= 1 or r.samples is None else f"~{round(r.samples * r.kept)}"
        carried = "-" if s.carry >= 1 else f"{s.carry:.2f}/{r.kept:.3f}"
        tokens, over = "-", "-"
        if r.tokens:
            p = np.percentile(r.tokens, [50, 90, 99]).round().astype(int)
            tokens = f"{p[0]}/{p[1]}/{p[2]}/{max(r.tokens)}"
            over = f"{100 * np.mean(np.array(r.tokens) > mix.max_target_tokens):.1f}%"
        lines.append(f"{s.name:<{w}}{len(r.urls):>7}{samples:>10}{usable:>10}{100 * shares[s.name]:>7.1f}%"
                     f"{100 * present_shares[s.name]:>8.1f}%{carried:>18}   {tokens:<30}{over:>10}")
    missing = len(reports) - len(present)
    lines.append(f"{len(present)} of {len(reports)} sources have shards" + (
        "; train with --allow-missing to stream them at the 'present' shares" if missing and present else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog=PROG, description="Inspect stage mixes (shards/mixes/*.yaml).")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("show", help="per source: samples, share, carried fraction, target tokens")
    show.add_argument("mix", help="a stage yaml, e.g. shards/mixes/stage2.yaml")
    show.add_argument("--root", default=".", help="folder that relative shard patterns start from (default: .)")
    show.add_argument("--n", type=int, default=1000,
                      help="samples per source read for token percentiles and the carried fraction (default: 1000)")
    args = parser.parse_args(argv)
    if args.n < 1:
        fail(PROG, f"--n must be at least 1, got {args.n}")
    if not is_url(args.root) and not os.path.isdir(args.root):
        fail(PROG, f"--root {args.root}: no such folder")
    try:
        mix = load_mix(args.mix)
        reports = [survey(s, args.root, args.n)
                   for s in tqdm(mix.sources, desc="scanning sources", leave=False, file=sys.stderr)]
    except (MixError, ValueError) as e:
        fail(PROG, str(e))
    print("\n".join(render(mix, reports, args.root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
