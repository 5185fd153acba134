"""How much of a padded batch is real tokens, with the loader's length grouping and without.

    python -m bench.padding [--shards data/charts] [--n 2000] [--batch-size 16] [--pools 1,4,16,50]

A batch is padded to its longest sample, and the decoder does the same work on the padding as on
real tokens; the trainer's tokens/s counts only real ones. This streams a real charts build
through the loader's own stream (`shards.stream`: token limit, length pools; no shuffle buffer,
as chart indices are already independent draws) and measures, for each pool size, the real
share of the padded tokens (`sum(lengths) / (batch size x longest)`, with the sample's whole
chat: prompt, 256 `<imgpad>`, target). Pool 1 is the baseline (no grouping); the ratio to it is
the decoder work saved per real token. Nothing is decoded: a chart is one image, so a sample's
length is known from its JSON.

Without --shards, builds --n charts into a temporary folder with `pipelines.build` first.
Writes bench/results/padding.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from itertools import islice
from pathlib import Path

from shards.mix import load_mix, resolve
from shards.stream import StreamSpec, batches, drawn_samples
from tokenizer.got import get_tokenizer

RESULTS = Path(__file__).resolve().parent / "results" / "padding.json"
IMAGE_TOKENS = 256


def useful_share(shards: Path, batch_size: int, pool: int, n_batches: int) -> dict[str, float]:
    """Real share of the padded tokens over n_batches batches of one stream."""
    with tempfile.TemporaryDirectory() as tmp:
        mix = Path(tmp) / "charts.yaml"
        mix.write_text(f"stage: 2\nmax_target_tokens: 6000\nsources:\n  - {{name: charts, shards: '{shards}/*.tar', "
                       "weight: 1}\n")
        spec = StreamSpec(resolve(load_mix(str(mix)), tmp, False), seed=0, rank=0, world_size=1,
                          shuffle_buffer=0, max_target_tokens=6000)
    tokenizer = get_tokenizer()
    real = padded = 0
    for batch in islice(batches(drawn_samples(spec, 0, 1, Counter()), batch_size, pool, [0, 0, 0, 3]), n_batches):
        lengths = [len(tokenizer.encode_chat(d.record["prompt"], d.record["target"], IMAGE_TOKENS)[0])
                   for d in batch]
        real, padded = real + sum(lengths), padded + batch_size * max(lengths)
    return {"real_tokens": real, "padded_tokens": padded, "useful_share": real / padded}


def build_charts(out: Path, n: int) -> None:
    print(f"building {n} charts into {out} ...", flush=True)
    subprocess.run([sys.executable, "-m", "pipelines.build", "--engine", "charts", "--n", str(n), "--out", str(out),
                    "--shard-size", "250"], check=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.padding", description=__doc__.split("\n\n")[0])
    p.add_argument("--shards", type=Path, help="a charts build (default: build --n charts in a temporary folder)")
    p.add_argument("--n", type=int, default=2000, help="charts to build without --shards (default: 2000)")
    p.add_argument("--batch-size", type=int, default=16, help="samples per batch (default: 16, the H100 bench's)")
    p.add_argument("--pools", default="1,4,16,50", help="length pools to compare, in batches (default: 1,4,16,50)")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"results JSON (default: {RESULTS})")
    args = p.parse_args(argv)
    pools = [int(x) for x in args.pools.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        shards = args.shards
        if shards is None:
            shards = Path(tmp) / "charts"
            build_charts(shards, args.n)
        shards = shards.resolve()
        samples = sum(json.loads(f.read_text())["samples"] for f in shards.glob("*.stats.json"))
        # one pass over the data at most, so no pool holds two copies of a sample
        n_batches = samples // (args.batch_size * max(pools)) * max(pools)
        if n_batches == 0:
            p.error(f"{shards} holds {samples} samples, fewer than one pool of {max(pools)} x {args.batch_size}")
        rows = {pool: useful_share(shards, args.batch_size, pool, n_batches) for pool in pools}
    base = rows[1]["useful_share"] if 1 in rows else None
    print(f"{n_batches} batches of {args.batch_size} from {samples} charts")
    print(f"{'pool':>6}{'useful share':>14}{'x pool 1':>10}")
    for pool, row in rows.items():
        row["ratio_to_pool_1"] = row["useful_share"] / base if base else None
        ratio = f"{row['ratio_to_pool_1']:.2f}" if base else "n/a"
        print(f"{pool:>6}{row['useful_share']:>14.3f}{ratio:>10}")
    result = {"samples": samples, "batch_size": args.batch_size, "batches": n_batches, "image_tokens": IMAGE_TOKENS,
              "pools": {str(k): v for k, v in rows.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
