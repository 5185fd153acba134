"""GOT training-step speed: our tuned step against plain `transformers`, same model, same run.

    python -m bench.train                                   # got-580m, 1024 px, bf16, on the GPU
    python -m bench.train --device cpu --preset tiny --steps 2 --text-tokens 64   # smoke mode

Synthetic batches (random pixels, random token ids; no shards, no tokenizer) shaped like GOT's
long samples: the chat prefix, 256 image tokens, then --text-tokens supervised answer tokens.
Variants, each at the largest batch that fits (from --baseline-batch-size or --batch-size, halved
on out-of-memory):

    baseline  GotOcr2ForConditionalGeneration as shipped: float32, eager attention everywhere,
              `model(..., labels=...).loss`, torch.optim.AdamW defaults, no compile
    tuned     the trainer's step (model/loss.py, model/fast.py): bf16 autocast over float32
              master weights, SDPA (flash) in the decoder, the ViTDet attention with its
              relative-position bias folded into the query and key (flash, no mask), loss on
              answer tokens with chunked, vocabulary-aligned, compiled logits, fused AdamW,
              torch.compile per block
    tuned-nocompile  the same without torch.compile

Model FLOPs per sample are counted once with torch.utils.flop_counter on an eager forward and
backward of the trainer's objective (encoder, projector, decoder, and the LM head on supervised
positions: the work a step must do), and the same count serves both variants, so the baseline's
extra work (logits of unsupervised positions) earns it nothing. MFU = FLOPs per step /
(step time * peak bf16 dense FLOP/s: 989e12 for H100 and H200 SXM; --peak-tflops otherwise).
Prints a table; writes JSON to --out, else $OUT/train.json when $OUT is set, else
bench/results/train.json. Only torch, transformers and numpy are needed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any, Callable

import torch
from torch.utils.flop_counter import FlopCounterMode
from transformers import GotOcr2ForConditionalGeneration

from model.fast import compile_blocks, use_sdpa_encoder
from model.loss import IGNORE_INDEX, AnswerLoss
from model.presets import IMAGE_TOKEN_ID, PRESETS, build_config

PEAK_BF16 = {"H100": 989e12, "H200": 989e12}  # dense bf16 tensor-core FLOP/s, SXM
PREFIX_TOKENS = 24  # system turn and "user\n<img>" before the image tokens
QUERY_TOKENS = 10  # "</img>\nOCR with format: <|im_end|><|im_start|>assistant\n"
TEXT_VOCAB = 151643  # ordinary BPE ids; the specials above are never drawn


def synthetic_batch(batch: int, image_tokens: int, image_size: int, text_tokens: int,
                    device: torch.device, seed: int = 0) -> dict[str, torch.Tensor]:
    """One sample layout repeated `batch` times with random content; labels on the answer only."""
    g = torch.Generator().manual_seed(seed)
    length = PREFIX_TOKENS + image_tokens + QUERY_TOKENS + text_tokens
    ids = torch.randint(0, TEXT_VOCAB, (batch, length), generator=g)
    ids[:, PREFIX_TOKENS:PREFIX_TOKENS + image_tokens] = IMAGE_TOKEN_ID
    labels = ids.clone()
    labels[:, :length - text_tokens] = IGNORE_INDEX
    pixels = torch.randn(batch, 3, image_size, image_size, generator=g)
    return {"input_ids": ids.to(device), "attention_mask": torch.ones_like(ids).to(device),
            "pixel_values": pixels.to(device), "labels": labels.to(device)}


def baseline(preset: str, device: torch.device) -> tuple[torch.nn.Module, Callable, torch.optim.Optimizer]:
    model = GotOcr2ForConditionalGeneration._from_config(build_config(preset), attn_implementation="eager")
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)

    def loss(batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return model(**batch).loss

    return model, loss, opt


def tuned(preset: str, device: torch.device, compile_: bool) -> tuple[torch.nn.Module, Callable, torch.optim.Optimizer]:
    model = GotOcr2ForConditionalGeneration(build_config(preset))
    use_sdpa_encoder(model)
    model.config.use_cache = False
    model.to(device).train()
    if compile_:
        compile_blocks(model)
    objective = AnswerLoss(model, compile=compile_)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, fused=device.type == "cuda")
    bf16 = device.type == "cuda"

    def loss(batch: dict[str, torch.Tensor]) -> torch.Tensor:
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            total, n = objective(**batch)
        return total / n

    return model, loss, opt


def count_flops(preset: str, image_tokens: int, image_size: int, text_tokens: int, device: torch.device) -> float:
    """Forward + backward FLOPs of one sample of the trainer's objective (no recompute).

    Counted on transformers' own encoder attention, not on model/fast.py's widened query and key,
    so the model's FLOPs are counted, not the extra work of that kernel trick; attention is
    counted over all query-key pairs, causal or not (the usual MFU convention).
    """
    model = GotOcr2ForConditionalGeneration(build_config(preset))  # transformers' own attention math
    model.to(device).train()
    objective = AnswerLoss(model, chunk_tokens=1 << 30)
    batch = synthetic_batch(1, image_tokens, image_size, text_tokens, device)
    counter = FlopCounterMode(display=False)
    with counter, torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        total, n = objective(**batch)
        (total / n).backward()
    flops = float(counter.get_total_flops())
    del model, objective, batch
    free(device)
    return flops


def free(device: torch.device) -> None:
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def measure(name: str, build: Callable, args: argparse.Namespace, device: torch.device, image_tokens: int,
            image_size: int) -> dict[str, Any]:
    """Largest batch that fits (halving from the variant's first batch), then the median of --steps timed steps."""
    batch_size = args.baseline_batch_size if name == "baseline" else args.batch_size
    while batch_size >= 1:
        try:
            return {"variant": name, **attempt(build, batch_size, args, device, image_tokens, image_size)}
        except torch.OutOfMemoryError:
            print(f"{name}: batch {batch_size} is out of memory; halving", flush=True)
            batch_size //= 2
        finally:
            free(device)
    raise RuntimeError(f"{name}: even batch 1 does not fit on {device}")


def attempt(build: Callable, batch_size: int, args: argparse.Namespace, device: torch.device, image_tokens: int,
            image_size: int) -> dict[str, Any]:
    """Warm up and time one variant at one batch size (its own frame, so an OOM frees everything)."""
    model, loss, opt = build()
    batch = synthetic_batch(batch_size, image_tokens, image_size, args.text_tokens, device)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times, losses = [], []
    for step in range(args.warmup + args.steps):
        sync(device)
        t0 = time.perf_counter()
        value = loss(batch)
        value.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        sync(device)
        if step >= args.warmup:
            times.append(time.perf_counter() - t0)
            losses.append(float(value.detach()))
    peak = torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else None
    if args.profile:
        print(profile(lambda: (loss(batch).backward(), opt.step(), opt.zero_grad(set_to_none=True)), device))
    return {"batch_size": batch_size, "step_s": statistics.median(times), "step_s_all": times, "loss": losses,
            "peak_mem_gib": peak, "seq_len": batch["input_ids"].shape[1]}


def profile(step: Callable, device: torch.device) -> str:
    """The kernels of one more step, by device time (--profile)."""
    activities = [torch.profiler.ProfilerActivity.CPU]
    if device.type == "cuda":
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    with torch.profiler.profile(activities=activities) as prof:
        step()
        sync(device)
    key = "self_device_time_total" if device.type == "cuda" else "self_cpu_time_total"
    return prof.key_averages().table(sort_by=key, row_limit=25, max_name_column_width=60)


def peak_flops(device: torch.device, override: float | None) -> tuple[float | None, str]:
    if override:
        return override * 1e12, f"--peak-tflops {override}"
    if device.type != "cuda":
        return None, "no peak for a CPU; pass --peak-tflops"
    name = torch.cuda.get_device_name(device)
    for key, value in PEAK_BF16.items():
        if key in name:
            return value, name
    return None, f"{name}: unknown peak; pass --peak-tflops"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.train", description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--preset", choices=sorted(PRESETS), default="got-580m")
    p.add_argument("--batch-size", type=int, default=16, help="first batch tried by the tuned variants (halved on OOM)")
    p.add_argument("--baseline-batch-size", type=int, default=2, help="first batch tried by the baseline")
    p.add_argument("--text-tokens", type=int, default=1750, help="supervised answer tokens per sample")
    p.add_argument("--steps", type=int, default=10, help="timed steps per variant")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (compilation, allocator)")
    p.add_argument("--variants", default="baseline,tuned,tuned-nocompile")
    p.add_argument("--peak-tflops", type=float, help="peak dense bf16 TFLOP/s of the device")
    p.add_argument("--profile", action="store_true", help="print each variant's kernels by device time")
    p.add_argument("--out", help="JSON path (default $OUT/train.json or bench/results/train.json)")
    args = p.parse_args(argv)
    unknown = set(args.variants.split(",")) - {"baseline", "tuned", "tuned-nocompile"}
    if unknown:
        p.error(f"--variants: unknown {sorted(unknown)}; choose from baseline, tuned, tuned-nocompile")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    device = torch.device(args.device)
    cfg = build_config(args.preset)
    image_size, image_tokens = cfg.vision_config.image_size, cfg.image_seq_length
    flops = count_flops(args.preset, image_tokens, image_size, args.text_tokens, device)
    peak, peak_source = peak_flops(device, args.peak_tflops)
    builders = {"baseline": lambda: baseline(args.preset, device),
                "tuned": lambda: tuned(args.preset, device, compile_=True),
                "tuned-nocompile": lambda: tuned(args.preset, device, compile_=False)}
    rows = []
    for name in args.variants.split(","):
        row = measure(name, builders[name], args, device, image_tokens, image_size)
        b, dt = row["batch_size"], row["step_s"]
        row.update(samples_per_s=b / dt, tokens_per_s=b * row["seq_len"] / dt, tflops_per_s=flops * b / dt / 1e12,
                   mfu=flops * b / dt / peak if peak else None)
        rows.append(row)
    result = {"preset": args.preset, "image_size": image_size, "image_tokens": image_tokens,
              "text_tokens": args.text_tokens, "model_flops_per_sample": flops, "peak_flops": peak,
              "peak_source": peak_source, "device": torch.cuda.get_device_name(device) if device.type == "cuda"
              else platform.processor() or "cpu", "torch": torch.__version__, "rows": rows}
    print(table(rows))
    out = Path(args.out) if args.out else Path(os.environ["OUT"]) / "train.json" if os.environ.get("OUT") \
        else Path(__file__).resolve().parent / "results" / "train.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(f"wrote {out}")
    return 0


def table(rows: list[dict[str, Any]]) -> str:
    head = "| variant | batch | step s | samples/s | tokens/s | TFLOP/s | MFU | peak GiB |"
    lines = [head, "|" + "---|" * 8]
    for r in rows:
        mfu = f"{r['mfu']:.1%}" if r["mfu"] is not None else "n/a"
        mem = f"{r['peak_mem_gib']:.1f}" if r["peak_mem_gib"] is not None else "n/a"
        lines.append(f"| {r['variant']} | {r['batch_size']} | {r['step_s']:.3f} | {r['samples_per_s']:.2f} | "
                     f"{r['tokens_per_s']:.0f} | {r['tflops_per_s']:.1f} | {mfu} | {mem} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
