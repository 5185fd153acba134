"""Benchmark the handwriting engine: samples per CPU-second, against a same-run naive baseline.

    python -m bench.handwriting [--n 12] [--source ../shared/data/handwriting]

The engine draws `n` built-in samples (English and Chinese, as `--lang mixed` builds them) and, when the shared
data is there, `n` `--source` pages, each encoded as the shard writer does. Two naive baselines write the SAME
target lines at the same places on the same paper, with the same scan/photo degradation and encoding, the way a
first version would, reusing nothing across samples:

* `naive_pen` (the goal's baseline: the same kind of image): every sample reads its stroke data anew (parses the
  Hershey SVG font, reads each Chinese character's JSON), bends each character's points in Python and draws
  every stroke with Pillow (`ImageDraw.line`, no anti-aliasing).
* `naive_font_text` (for scale: the floor's kind of image): every sample opens its handwriting font anew
  (`ImageFont.truetype`; LXGW WenKai for Chinese) and draws each line as Pillow text.

All run in this process, one after the other, so the ratios are free of the machine's load, after a warm-up of
4n samples (a worker draws a thousand per shard, so stroke data and glyphs are loaded once, not per sample). The
baselines degrade with the same `renderers.degrade.apply` as the engine (the effects are the platform's, not the
baseline's to redo), so the ratio is the writing's and the reuse's. `writing_only` compares the writing alone: the engine's
`content.write_page` against the naive pen's drawing, same pages. Goal: the engine at least 3x `naive_pen`'s
samples per CPU-second. `shared` is what both sides pay per sample for the effects and the PNG (the engine's time
less its writing) and `free_writer_ceiling` the ratio an engine whose writing cost nothing would reach against
`naive_pen`: while it is under 3, the goal cannot be met by the writing, only by the shared effects and encoding
(which speed up every engine and the baseline alike).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench.cpu import cpu_seconds
from engines.base import Sample, make_rng
from engines.handwriting import HandwritingEngine
from engines.handwriting.content import KINDS, Sheet, paper, write_page
from engines.handwriting.engine import LANGS, HandwritingConfig
from engines.handwriting.hand import CJK, FONT_DIR, FONT_HANDS
from renderers import degrade, pen
from shards.format import encode_image

RESULTS = Path(__file__).resolve().parent / "results"


def draw(engine: HandwritingEngine, index: int) -> Sample:
    """Sample `index` as a build draws it (the next attempt after a failed draw)."""
    for attempt in range(10):
        try:
            return engine.sample(make_rng(0, engine.name, index, attempt), index, attempt)
        except Exception:  # noqa: BLE001 - a failed draw, as a build counts it
            continue
    raise RuntimeError(f"sample {index}: 10 failed draws")


def naive(sample: Sample) -> Image.Image:
    """The baseline: the sample's lines drawn with a font opened for this sample alone, then degraded alike."""
    meta = sample.meta
    sheet = Sheet(**{**meta["sheet"], "color": tuple(meta["sheet"]["color"])})
    font = ImageFont.truetype(f"{FONT_DIR}/{FONT_HANDS[meta['lang']][0]}", int(meta["hand"]["size"]))
    img = Image.fromarray(paper(sheet))
    pen = ImageDraw.Draw(img)
    for row, line in enumerate(sample.target.split("\n")):
        pen.text((sheet.left, sheet.top + row * sheet.pitch), line, font=font, fill=tuple(meta["hand"]["ink"]),
                 anchor="ls")
    return degrade.apply(img, degrade.DegradeParams.from_dict(meta["degrade"])).images[0]


def naive_pen(sample: Sample) -> Image.Image:
    """The pen baseline: `naive_pen_page`, degraded as the sample was."""
    return degrade.apply(naive_pen_page(sample), degrade.DegradeParams.from_dict(sample.meta["degrade"])).images[0]


def naive_pen_page(sample: Sample) -> Image.Image:
    """The pen baseline's writing: stroke data read for this sample alone, each stroke drawn by Pillow.

    A font hand's sample is written as Pillow text with its font opened anew (the font floor's naive form).
    """
    meta, hand = sample.meta, sample.meta["hand"]
    sheet = Sheet(**{**meta["sheet"], "color": tuple(meta["sheet"]["color"])})
    latin = pen.hershey_font.__wrapped__(hand["font"]) if hand["pen"] else None
    img = Image.fromarray(paper(sheet))
    ink = ImageDraw.Draw(img)
    rng = np.random.default_rng(0)
    for row, line in enumerate(sample.target.split("\n")):
        x, base = float(sheet.left), sheet.top + row * sheet.pitch
        for char in line:
            if latin is None:
                break
            g = pen.hanzi_glyph.__wrapped__(char) if CJK.match(char) or char in pen.CJK_PUNCT else latin.get(char)
            if g is None:
                continue
            rot, shear = rng.normal(0, 0.04), hand["slant"] + rng.normal(0, 0.04)
            for stroke in g.strokes:
                pts = [(x + (px * math.cos(rot) - py * (math.sin(rot) + shear)) * hand["size"],
                        base + (px * math.sin(rot) + py * math.cos(rot)) * hand["size"]) for px, py in stroke]
                ink.line(pts, fill=tuple(hand["ink"]), width=max(1, round(hand["nib"])), joint="curve")
            x += (g.advance + hand["spacing"]) * hand["size"]
    if latin is None:
        font = ImageFont.truetype(f"{FONT_DIR}/{hand['font']}", int(hand["size"]))
        for row, line in enumerate(sample.target.split("\n")):
            ink.text((sheet.left, sheet.top + row * sheet.pitch), line, font=font, fill=tuple(hand["ink"]), anchor="ls")
    return img


def engine_pages(samples: list[Sample]) -> float:
    """CPU seconds the engine spends writing these built-in samples' pages (its draws replayed up to the writing)."""
    cpu = cpu_seconds()
    for index, s in enumerate(samples):
        rng = make_rng(0, "handwriting", index)
        lang, kind = LANGS[int(rng.integers(2))], KINDS[int(rng.integers(len(KINDS)))]
        _, lines, _, _ = write_page(rng, lang, kind, (HandwritingConfig.em_min, HandwritingConfig.em_max))
        assert "\n".join(t for t, _ in lines) == s.target, "replay diverged from the engine's draw"
    return cpu_seconds() - cpu


def naive_pages(samples: list[Sample]) -> float:
    cpu = cpu_seconds()
    for s in samples:
        naive_pen_page(s)
    return cpu_seconds() - cpu


def measure(engine: HandwritingEngine, n: int) -> tuple[dict[str, float], list[Sample]]:
    cpu = cpu_seconds()
    samples = [draw(engine, i) for i in range(n)]
    for s in samples:
        encode_image(s.images[0])
    cpu = cpu_seconds() - cpu
    return {"samples": n, "cpu_s": round(cpu, 2), "per_cpu_s": round(n / cpu, 3)}, samples


def measure_naive(samples: list[Sample], how) -> dict[str, float]:
    cpu = cpu_seconds()
    for s in samples:
        encode_image(how(s))
    cpu = cpu_seconds() - cpu
    return {"samples": len(samples), "cpu_s": round(cpu, 2), "per_cpu_s": round(len(samples) / cpu, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=12, help="samples drawn per configuration")
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "handwriting"
    parser.add_argument("--source", default=str(shared),
                        help="a folder of real handwritten lines with transcripts.json (skipped when absent)")
    args = parser.parse_args()
    engine = HandwritingEngine(HandwritingConfig())
    for index in range(4 * args.n):  # warm-up: prose, fonts and common characters' stroke data load once per worker
        draw(engine, 10_000 + index)
    built_in, samples = measure(engine, args.n)
    pen_base = measure_naive(samples, naive_pen)
    font_base = measure_naive(samples, naive)
    result: dict[str, object] = {"goal_speedup": 3.0, "built_in": built_in, "naive_pen": pen_base,
                                 "naive_font_text": font_base,
                                 "speedup": round(built_in["per_cpu_s"] / pen_base["per_cpu_s"], 2),
                                 "speedup_vs_font_text": round(built_in["per_cpu_s"] / font_base["per_cpu_s"], 2),
                                 "writing_only": {"engine_cpu_s": round(engine_pages(samples), 2),
                                                  "naive_pen_cpu_s": round(naive_pages(samples), 2)},
                                 "langs": dict(zip(*np.unique([s.meta["lang"] for s in samples], return_counts=True)))}
    result["langs"] = {k: int(v) for k, v in result["langs"].items()}
    writing = result["writing_only"]
    writing["speedup"] = round(writing["naive_pen_cpu_s"] / writing["engine_cpu_s"], 2)
    shared = built_in["cpu_s"] - writing["engine_cpu_s"]
    result["shared_cpu_s_per_sample"] = round(shared / args.n, 4)
    result["free_writer_ceiling"] = round(pen_base["cpu_s"] / shared, 2)
    if Path(args.source).is_dir():
        real = HandwritingEngine(HandwritingConfig(source=args.source))
        draw(real, 0)
        result["source_lines"] = measure(real, args.n)[0]
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "handwriting.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'handwriting.json'}")


if __name__ == "__main__":
    main()
