"""Measure the formula, table and molecule readers' looser comparisons on real builds: right against next-sample targets.

    python -m bench.formatted_readers BUILD [BUILD ...]

Each BUILD is a folder that `pipelines.build` wrote (engine formulas, tables or molecules). Every
sample is read twice: with its own target (what a right sample scores) and with the target of
the next sample of the same build (what a wrong target scores). The report gives both
distributions per build, and the threshold that separates them best (most samples on the right
side). Formulas and tables are typeset here in LaTeX's default style, the comparison their readers
fall back to for a sample without a recorded style; samples with one are drawn again exactly as
recorded, and `bench.mutate` measures that path (a right target scores 1.0, one changed symbol
flags). Results land in bench/results/formatted_readers.json.
"""

from __future__ import annotations

import argparse
import io
import json
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

from pipelines.readers import formulas as formula_reader
from pipelines.readers import molecules as molecule_reader
from pipelines.readers import tables as table_reader

RESULTS = Path(__file__).resolve().parent / "results"


def records(build: Path) -> list[tuple[dict, Image.Image]]:
    """(record, image) of every sample of a build, in key order."""
    out = []
    for tar in sorted(build.glob("*.tar")):
        with tarfile.open(tar) as archive:
            members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
        for name in sorted(n for n in members if n.endswith(".json")):
            key = name[:-5]
            image = next(members[k] for k in members if k.startswith(key + ".") and not k.endswith(".json"))
            out.append((json.loads(members[name]), Image.open(io.BytesIO(image)).convert("RGB")))
    return out


def scores(engine: str, samples: list[tuple[dict, Image.Image]], shift: int) -> list[float]:
    """Each sample's score when read with the target of the sample `shift` places on (0: its own)."""
    n = len(samples)
    targets = [samples[(i + shift) % n][0] for i in range(n)]
    if engine in ("formulas", "tables"):
        module = formula_reader if engine == "formulas" else table_reader
        drawn = module.typeset([t["target"] for t in targets])
        return [formula_reader.score(d, image).score for d, (_, image) in zip(drawn, samples)]
    return [molecule_reader.read(t, [image]).score for t, (_, image) in zip(targets, samples)]


def summary(values: list[float]) -> dict[str, float]:
    v = np.asarray(values)
    return {k: round(float(f(v)), 4) for k, f in (("min", np.min), ("p5", lambda x: np.quantile(x, 0.05)),
                                                   ("median", np.median), ("p95", lambda x: np.quantile(x, 0.95)),
                                                   ("max", np.max))}


def best_threshold(right: list[float], wrong: list[float]) -> tuple[float, float]:
    """The threshold putting the most samples on their side (right >= t > wrong), and that share."""
    candidates = sorted(set(right) | set(wrong))
    best = max(candidates, key=lambda t: sum(r >= t for r in right) + sum(w < t for w in wrong))
    share = (sum(r >= best for r in right) + sum(w < best for w in wrong)) / (len(right) + len(wrong))
    return round(best, 4), round(share, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+", type=Path)
    args = parser.parse_args()
    rows = []
    for build in args.builds:
        engine = json.loads((build / "manifest.json").read_text())["engine"]
        samples = records(build)
        right, wrong = scores(engine, samples, 0), scores(engine, samples, 1)
        threshold, share = best_threshold(right, wrong)
        row = {"build": build.name, "engine": engine, "samples": len(samples), "right_target": summary(right),
               "wrong_target": summary(wrong), "best_threshold": threshold, "separated_share": share}
        if engine == "formulas":
            for renderer in ("mathpix", "latex"):
                picked = [r for r, (rec, _) in zip(right, samples) if json.loads(rec["meta"])["renderer"] == renderer]
                if picked:
                    row[f"right_target_{renderer}"] = summary(picked)
        rows.append(row)
        print(json.dumps(row))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "formatted_readers.json").write_text(json.dumps({"rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
