"""Loader throughput per worker process, against reading the same tars raw in the same run.

    python -m bench.loader [--samples 48] [--workers 2] [--gpu | --gpu-samples-per-s X]

Builds a synthetic set with the real writer in a temporary folder: A4 pages at 150 dpi
(1240x1754 PNG, about 1,000 target tokens), 3-page samples of such pages, and 3000x1000 strips
for multi-crop (6 tiles + thumbnail), mixed 3:1:1. Then, in this process:

    raw        every tar member read with tarfile, nothing decoded: the baseline
    decode     one page: PNG decode + 1024x1024 bicubic + CLIP normalisation
    mix        the loader's whole per-worker pipeline on the mix (make_loader, num_workers=0)
    dataloader the same with --workers DataLoader processes (total, and per worker)

and reports each as samples/s and as a ratio to raw. Workers per GPU = GPU samples/s divided by
mix samples/s per worker: `--gpu` measures one GOT training step (the paper's model, bf16,
AdamW, batches from this loader) on the CUDA device here; `--gpu-samples-per-s` takes a
number measured elsewhere. Writes bench/results/loader.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import tarfile
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any, Callable

import fsspec
import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from shards.format import decode_image, sample_key, sample_members, shard_name
from shards.loader import LoaderConfig, make_loader
from shards.preprocess import encoder_images, to_pixel_values
from shards.writer import ShardWriter
from tokenizer.protocol import PROMPT_MULTI_CROP, PROMPT_MULTI_PAGE, PROMPT_PLAIN

RESULTS = Path(__file__).resolve().parent / "results" / "loader.json"
KINDS = {  # engine: (task, prompt, image size, pages, weight in the mix)
    "docs": ("plain", PROMPT_PLAIN, (1240, 1754), 1, 3),
    "pages": ("multi_page", PROMPT_MULTI_PAGE, (1240, 1754), 3, 1),
    "crops": ("multi_crop", PROMPT_MULTI_CROP, (3000, 1000), 1, 1),
}
WORDS = "the of optical character recognition model general theory page table formula chart".split()


def page(rng: np.random.Generator, size: tuple[int, int]) -> tuple[Image.Image, str]:
    """A page of black text lines on white, and its text."""
    image = Image.new("RGB", size, "white")
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=22)
    lines = [" ".join(rng.choice(WORDS, 12)) for _ in range((size[1] - 60) // 28)]
    for i, line in enumerate(lines):
        draw.text((40, 30 + 28 * i), line, fill="black", font=font)
    return image, "\n".join(lines)


def build(root: Path, per_kind: int) -> str:
    """Shards of every kind under root/data/KIND, and root/mix.yaml; returns the mix's path."""
    fs, rng = fsspec.filesystem("file"), np.random.default_rng(0)
    sources = []
    for engine, (task, prompt, size, pages, weight) in KINDS.items():
        (root / "data" / engine).mkdir(parents=True)
        for k in range(2):
            with ShardWriter(fs, str(root / "data" / engine / shard_name(engine, k))) as writer:
                for i in range(k * per_kind // 2, (k + 1) * per_kind // 2):
                    drawn = [page(rng, size) for _ in range(pages)]
                    writer.write(sample_key(engine, i), sample_members(
                        [im for im, _ in drawn], prompt=prompt, target="\n\n".join(t for _, t in drawn), task=task,
                        engine=engine, seed=0, index=i, meta={}))
        sources.append(f"  - {{name: {engine}, shards: 'data/{engine}/*.tar', weight: {weight}}}")
    (root / "mix.yaml").write_text("stage: 3\nmax_target_tokens: 8192\nsources:\n" + "\n".join(sources) + "\n")
    return str(root / "mix.yaml")


def rate(work: Callable[[], int], min_seconds: float = 2.0) -> float:
    """Items per second of `work` (which returns how many it did), repeated for at least min_seconds."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        done += work()
    return done / (time.perf_counter() - start)


def read_raw(root: Path) -> int:
    samples = 0
    for tar in sorted(root.glob("data/*/*.tar")):
        with tarfile.open(tar) as f:
            for member in f:
                f.extractfile(member).read()  # type: ignore[union-attr]
                samples += member.name.endswith(".json")
    return samples


def decode_pages(pngs: list[bytes]) -> int:
    for data in pngs:
        to_pixel_values(encoder_images(decode_image(data), "plain", 1024, 6), 1024)
    return len(pngs)


def loader_rate(cfg: LoaderConfig, batches: int) -> tuple[float, float]:
    """(samples/s, images/s) over `batches` batches, after the first (worker start-up) is out of the way."""
    it = iter(make_loader(cfg))
    next(it)
    start, samples, images = time.perf_counter(), 0, 0
    for batch in islice(it, batches):
        samples, images = samples + len(batch["keys"]), images + sum(batch["num_images"])
    seconds = time.perf_counter() - start
    return samples / seconds, images / seconds


def gpu_rate(cfg: LoaderConfig, steps: int = 14) -> dict[str, Any]:
    """Samples/s of GOT training steps on batches from this loader: the paper-size GotOcr2 in bf16
    with AdamW and gradient checkpointing, as GOT's README trains (2 samples per GPU)."""
    from transformers import GotOcr2Config, GotOcr2ForConditionalGeneration

    model = GotOcr2ForConditionalGeneration(GotOcr2Config()).to("cuda", torch.bfloat16).train()
    model.gradient_checkpointing_enable()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    batches = list(islice(make_loader(cfg), steps))
    times = []
    for batch in batches:
        inputs = {k: batch[k].to("cuda") for k in ("input_ids", "attention_mask", "labels")}
        torch.cuda.synchronize()
        start = time.perf_counter()
        loss = model(pixel_values=batch["pixel_values"].to("cuda", torch.bfloat16), **inputs).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    step = float(np.mean(times[2:]))  # the first steps warm up kernels and the allocator
    return {"device": torch.cuda.get_device_name(), "batch_size": cfg.batch_size, "step_seconds": step,
            "samples_per_s": cfg.batch_size / step, "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30}


def doc_pngs(root: Path, n: int) -> list[bytes]:
    """The first n single-page PNG members, for the decode measurement."""
    with tarfile.open(next(root.glob("data/docs/*.tar"))) as f:
        return [f.extractfile(m).read() for m in f if m.name.endswith(".png")][:n]  # type: ignore[union-attr]



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loader", description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=48, help="samples per kind (default: 48)")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader processes for the total (default: 2)")
    parser.add_argument("--batch-size", type=int, default=8, help="loader batch size (default: 8)")
    parser.add_argument("--gpu", action="store_true", help="measure a GOT training step on this CUDA device")
    parser.add_argument("--gpu-batch-size", type=int, default=2,
                        help="samples per GPU step, GOT's README's per-device batch (default: 2)")
    parser.add_argument("--gpu-samples-per-s", type=float, default=None,
                        help="GOT training samples/s of one GPU measured elsewhere")
    parser.add_argument("--out", default=str(RESULTS), help=f"results JSON (default: {RESULTS})")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"building {3 * args.samples} synthetic samples ...", flush=True)
        mix = build(root, args.samples)
        cfg = LoaderConfig(mix=mix, root=str(root), batch_size=args.batch_size, num_workers=0, shuffle_buffer=64)
        pngs = doc_pngs(root, 16)
        batches = max(2, 2 * args.samples // args.batch_size)
        results: dict[str, Any] = {"raw": rate(lambda: read_raw(root)), "decode": rate(lambda: decode_pages(pngs))}
        results["mix"], mix_images = loader_rate(cfg, batches)
        total, _ = loader_rate(dataclasses.replace(cfg, num_workers=args.workers), max(batches, 4 * args.workers))
        results["dataloader"] = total
        gpu = gpu_rate(dataclasses.replace(cfg, batch_size=args.gpu_batch_size)) if args.gpu else None

    gpu_samples = gpu["samples_per_s"] if gpu else args.gpu_samples_per_s
    report = {
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                    "torch": torch.__version__, "torch_threads": torch.get_num_threads()},
        "samples_per_kind": args.samples, "batch_size": args.batch_size, "workers": args.workers,
        "samples_per_s": results, "mix_images_per_s": mix_images,
        "ratio_to_raw": {k: v / results["raw"] for k, v in results.items()},
        "dataloader_per_worker": results["dataloader"] / args.workers, "gpu": gpu,
        "workers_per_gpu": math.ceil(gpu_samples / results["mix"]) if gpu_samples else None,
    }
    print(f"{'stage':<12}{'samples/s':>12}{'x raw':>10}")
    for name, value in results.items():
        print(f"{name:<12}{value:>12.1f}{value / results['raw']:>10.4f}")
    print(f"mix: {mix_images:.1f} encoder images/s per worker; {args.workers} DataLoader workers: "
          f"{results['dataloader']:.1f} samples/s ({report['dataloader_per_worker']:.1f} per worker)")
    if gpu_samples:
        print(f"one GPU trains {gpu_samples:.1f} samples/s -> {report['workers_per_gpu']} loader workers per GPU")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
