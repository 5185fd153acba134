"""Benchmark the handwriting engine: samples per CPU-second, against a same-run naive baseline.

    python -m bench.handwriting [--n 24] [--source ../shared/data/handwriting]

The engine draws `n` built-in samples (English and Chinese, as `--lang mixed` builds them) and, when the shared
data is there, `n` `--source` pages, each encoded as the shard writer does. The issue's baseline is "PIL text
drawn per sample with no reuse of fonts, backgrounds or models"; two such baselines make each of the engine's
samples again, the same lines at the same places on a sheet of the same size, colour and rules, with the same
scan/photo parameters and the same PNG encoding, reusing nothing across samples:

* `naive_text` (the goal's baseline, as the issue names it): the handwriting font opened for this sample
  (`ImageFont.truetype`; LXGW WenKai for Chinese), each line drawn as Pillow text;
* `naive_pen` (the engine's kind of image): the stroke data read for this sample (the Hershey SVG font parsed,
  each Chinese character's JSON read), each character's points bent in Python, each stroke drawn by Pillow.

Both draw their own paper per sample (Pillow) and their own effects (`naive_effects`: the parameters the engine
recorded, applied in `renderers.degrade`'s order, written as a first version would: Pillow filters and transforms,
float numpy over the page, grain, shadow and noise fields drawn at full size for each sample), not the engine's
code. What the engine keeps across samples: stroke data and densified glyphs, fonts and rendered glyphs, prose,
the noise and grain fields (`renderers.degrade._pool`), and it draws in uint8 OpenCV passes over the ink's box
(band by band of rows that hold ink).

Engine and baselines are timed sample by sample in turn (one process; the machine's load weighs alike), after a
warm-up of 4n samples (a worker draws a thousand per shard, so what is kept is loaded once, not per sample). Each
side is reported by stage in CPU ms a sample (`page`: writing and paper; `effects`; `png`: the shard writer's
encode, the same on both sides), the engine's stages from its draws replayed. Goal: the engine at least 3x
`naive_text`'s samples per CPU-second (`speedup`). `png_ceiling` is the ratio an engine whose writing and effects
cost nothing would reach: the PNG encode of a noisy page is paid alike by both sides and bounds the ratio.
Results land in bench/results/handwriting.json.
"""

from __future__ import annotations

import argparse
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.cpu import cpu_seconds
from engines.base import Sample, make_rng
from engines.handwriting import HandwritingEngine, faces
from engines.handwriting.content import KINDS, Sheet, write_page
from engines.handwriting.engine import LANGS, HandwritingConfig
from engines.handwriting.hand import CJK, FONT_DIR, FONT_HANDS
from renderers import degrade, pen
from shards.format import encode_image

RESULTS = Path(__file__).resolve().parent / "results"
NAIVE_FONT = {"en": FONT_HANDS["en"][0], "zh": "lxgw-wenkai/LXGWWenKai-Regular.ttf"}  # the baseline's


def draw(engine: HandwritingEngine, index: int) -> Sample:
    """Sample `index` as a build draws it (the next attempt after a failed draw); `meta["attempt"]` says which."""
    for attempt in range(10):
        try:
            sample = engine.sample(make_rng(0, engine.name, index, attempt), index, attempt)
            sample.meta["attempt"] = attempt
            return sample
        except Exception:  # noqa: BLE001 - a failed draw, as a build counts it
            continue
    raise RuntimeError(f"sample {index}: 10 failed draws")


def naive_paper(sheet: Sheet) -> Image.Image:
    """The blank sheet drawn anew with Pillow: its colour, and the rules and margin of ruled paper or a form."""
    img = Image.new("RGB", (sheet.width, sheet.height), sheet.color)
    ink = ImageDraw.Draw(img)
    if sheet.kind == "form":
        y = sheet.top + sheet.pitch * 1.1
        while y < sheet.height - sheet.pitch * 0.5:
            ink.line([(sheet.left, int(y)), (sheet.width - sheet.left // 2, int(y))], fill=(150, 150, 150))
            y += sheet.pitch
    if sheet.kind in ("lined", "letter"):
        y = sheet.top
        while y < sheet.height - 4:
            ink.line([(0, int(y)), (sheet.width, int(y))], fill=(160, 190, 225))
            y += sheet.pitch
        margin = max(2, sheet.left - int(sheet.pitch * 0.3))
        ink.line([(margin, 0), (margin, sheet.height)], fill=(225, 120, 120))
    return img


def naive_effects(img: Image.Image, p: degrade.DegradeParams) -> Image.Image:
    """The sample's scan/photo effects, the same parameters in the same order as `renderers.degrade.apply`, written
    plainly as a first version would: Pillow filters and float numpy over the whole page, every field (paper
    grain, shadow and vignette, sensor noise) drawn anew at full size for this sample."""
    rng = np.random.default_rng(p.seed)
    img = img.convert("RGB")
    if p.ink:
        spread = img.filter(ImageFilter.MinFilter(3) if p.ink > 0 else ImageFilter.MaxFilter(3))
        img = Image.blend(img, spread, abs(p.ink))
    a = np.asarray(img, dtype=np.float64)
    h, w = a.shape[:2]
    if p.paper != (255, 255, 255) or p.grain:
        a = a * (np.asarray(p.paper) / 255)
        if p.grain:
            coarse = Image.fromarray(rng.standard_normal((h // 24 + 2, w // 24 + 2)).astype(np.float32), "F")
            field = np.clip(np.asarray(coarse.resize((w, h), Image.Resampling.BICUBIC)), -2.5, 2.5)
            a *= (1 + field * p.grain / 2.5)[..., None]
    if degrade.moves(p):
        hom, out = degrade.warp(p, (w, h))
        inv = np.linalg.inv(hom)
        img = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8)).transform(
            out, Image.Transform.PERSPECTIVE, tuple((inv / inv[2, 2]).ravel()[:8]), Image.Resampling.BILINEAR,
            fillcolor=tuple(p.background))
        a = np.asarray(img, dtype=np.float64)
        h, w = a.shape[:2]
    a = (a - 128) * p.contrast + 128 + p.brightness
    if p.shadow or p.vignette:
        x, y = np.meshgrid((np.arange(w) + 0.5) / w * 2 - 1, (np.arange(h) + 0.5) / h * 2 - 1)
        gain = np.ones((h, w))
        if p.shadow:
            t = math.radians(p.shadow_angle)
            ramp = x * w * math.cos(t) + y * h * math.sin(t)
            ramp -= ramp.min()
            gain -= p.shadow * ramp / max(ramp.max(), 1e-6)
        if p.vignette:
            gain *= 1 - p.vignette / 2 * (x * x + y * y)
        a *= gain[..., None]
    img = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))
    if p.blur:
        img = img.filter(ImageFilter.GaussianBlur(p.blur))
    if p.scale < 1:
        small = (max(1, round(w * p.scale)), max(1, round(h * p.scale)))
        img = img.resize(small, Image.Resampling.BILINEAR).resize((w, h), Image.Resampling.BILINEAR)
    if p.noise:
        a = np.asarray(img, dtype=np.float64) + rng.normal(0, p.noise, (h, w))[..., None]
        img = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))
    if p.jpeg:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=p.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img


def _sheet(sample: Sample) -> Sheet:
    return Sheet(**{**sample.meta["sheet"], "color": tuple(sample.meta["sheet"]["color"])})


def naive_text_page(sample: Sample) -> Image.Image:
    """The issue's baseline writing: the sample's lines as Pillow text, its handwriting font opened for this sample
    alone (LXGW WenKai for Chinese), on paper drawn anew."""
    meta = sample.meta
    sheet = _sheet(sample)
    font = ImageFont.truetype(f"{FONT_DIR}/{NAIVE_FONT[meta['lang']]}", int(meta["hand"]["size"]))
    img = naive_paper(sheet)
    ink = ImageDraw.Draw(img)
    for row, line in enumerate(sample.target.split("\n")):
        ink.text((sheet.left, sheet.top + row * sheet.pitch), line, font=font, fill=tuple(meta["hand"]["ink"]),
                 anchor="ls")
    return img


def naive_pen_page(sample: Sample) -> Image.Image:
    """The pen baseline's writing: stroke data read for this sample alone, each stroke drawn by Pillow.

    A font hand's sample is written as Pillow text with its font opened anew (the font floor's naive form); a
    Fontsource face's, character by character from each subset file it needs, each opened anew for the sample.
    """
    hand = sample.meta["hand"]
    sheet = _sheet(sample)
    latin = pen.hershey_font.__wrapped__(hand["font"]) if hand["pen"] else None
    img = naive_paper(sheet)
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
    if latin is not None:
        return img
    if not faces.is_face(hand["font"]):
        font = ImageFont.truetype(f"{FONT_DIR}/{hand['font']}", int(hand["size"]))
        for row, line in enumerate(sample.target.split("\n")):
            ink.text((sheet.left, sheet.top + row * sheet.pitch), line, font=font, fill=tuple(hand["ink"]), anchor="ls")
        return img
    index, opened = faces.index(hand["font"]), {}
    for row, line in enumerate(sample.target.split("\n")):
        x = float(sheet.left)
        for char in line:
            path = index.get(char)
            if path is None:  # a printed form label's character
                continue
            if path not in opened:
                opened[path] = ImageFont.truetype(path, int(hand["size"]))
            ink.text((x, sheet.top + row * sheet.pitch), char, font=opened[path], fill=tuple(hand["ink"]), anchor="ls")
            x += opened[path].getlength(char)
    return img


def _ms(cpu: float, n: int) -> float:
    return round(1000 * cpu / n, 1)


def engine_stages(samples: list[Sample]) -> dict[str, float]:
    """CPU ms a sample the engine spends on each stage of these built-in samples (its draws replayed): writing the
    page (paper included), the effects (`renderers.degrade.apply`), the PNG encode."""
    spent = {"page": 0.0, "effects": 0.0, "png": 0.0}
    for index, s in enumerate(samples):
        cpu = cpu_seconds()
        rng = make_rng(0, "handwriting", index, s.meta["attempt"])
        lang, kind = LANGS[int(rng.integers(2))], KINDS[int(rng.integers(len(KINDS)))]
        page, lines, _, _ = write_page(rng, lang, kind, (HandwritingConfig.em_min, HandwritingConfig.em_max))
        assert "\n".join(t for t, _ in lines) == s.target, "replay diverged from the engine's draw"
        spent["page"] += cpu_seconds() - cpu
        cpu = cpu_seconds()
        degrade.apply(page, degrade.DegradeParams.from_dict(s.meta["degrade"]))
        spent["effects"] += cpu_seconds() - cpu
        cpu = cpu_seconds()
        encode_image(s.images[0])
        spent["png"] += cpu_seconds() - cpu
    return {k: _ms(v, len(samples)) for k, v in spent.items()}


def _rate(n: int, cpu: float) -> dict[str, float]:
    return {"samples": n, "cpu_s": round(cpu, 2), "per_cpu_s": round(n / cpu, 3)}


def naive_sample(sample: Sample, page: Callable[[Sample], Image.Image], spent: dict[str, float]) -> None:
    """A baseline's draw of `sample`: `page` writes it anew, `naive_effects` degrades it with the sample's
    parameters, the result is encoded; the CPU seconds of each stage are added to `spent`."""
    cpu = cpu_seconds()
    img = page(sample)
    spent["page"] += cpu_seconds() - cpu
    cpu = cpu_seconds()
    img = naive_effects(img, degrade.DegradeParams.from_dict(sample.meta["degrade"]))
    spent["effects"] += cpu_seconds() - cpu
    cpu = cpu_seconds()
    encode_image(img)
    spent["png"] += cpu_seconds() - cpu


def measure(engine: HandwritingEngine, n: int, baselines: dict[str, Callable[[Sample], Image.Image]]
            ) -> tuple[dict[str, object], list[Sample]]:
    """The engine end to end (`n` samples drawn as a build draws them, each encoded as the shard writer does) and
    each baseline on the same samples, interleaved sample by sample so that the machine's load weighs alike."""
    engine_cpu, samples = 0.0, []
    spent = {name: {"page": 0.0, "effects": 0.0, "png": 0.0} for name in baselines}
    names = list(baselines)
    for index in range(n):
        cpu = cpu_seconds()
        sample = draw(engine, index)
        encode_image(sample.images[0])
        engine_cpu += cpu_seconds() - cpu
        samples.append(sample)
        for k in range(len(names)):  # each baseline first in turn (what ran before it can slow it: the allocator)
            name = names[(index + k) % len(names)]
            naive_sample(sample, baselines[name], spent[name])
    out: dict[str, object] = {"engine": _rate(n, engine_cpu)}
    for name, stages in spent.items():
        out[name] = {**_rate(n, sum(stages.values())), "stages_ms": {k: _ms(v, n) for k, v in stages.items()}}
    return out, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24, help="samples drawn per configuration")
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "handwriting"
    parser.add_argument("--source", default=str(shared),
                        help="a folder of real handwritten lines with transcripts.json (skipped when absent)")
    args = parser.parse_args()
    engine = HandwritingEngine(HandwritingConfig())
    for index in range(4 * args.n):  # warm-up: prose, fonts and common characters' stroke data load once per worker
        draw(engine, 10_000 + index)
    rates, samples = measure(engine, args.n, {"naive_text": naive_text_page, "naive_pen": naive_pen_page})
    built_in, text_base, pen_base = rates["engine"], rates["naive_text"], rates["naive_pen"]
    stages = engine_stages(samples)
    stages["other"] = round(1000 * built_in["cpu_s"] / args.n - sum(stages.values()), 1)
    result: dict[str, object] = {
        "goal_speedup": 3.0, "built_in": built_in, "engine_stages_ms": stages,
        "naive_text": text_base, "naive_pen": pen_base,
        "speedup": round(built_in["per_cpu_s"] / text_base["per_cpu_s"], 2),
        "speedup_vs_naive_pen": round(built_in["per_cpu_s"] / pen_base["per_cpu_s"], 2),
        "png_ceiling": round(1000 * text_base["cpu_s"] / args.n / stages["png"], 2),
        "langs": {str(k): int(v) for k, v in zip(*np.unique([s.meta["lang"] for s in samples], return_counts=True))}}
    if Path(args.source).is_dir():
        real = HandwritingEngine(HandwritingConfig(source=args.source))
        draw(real, 0)
        result["source_lines"] = measure(real, args.n, {})[0]["engine"]
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "handwriting.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS / 'handwriting.json'}")


if __name__ == "__main__":
    main()
