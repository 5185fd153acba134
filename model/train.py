"""Train GOT on the engines' shards: one of the paper's three stages per run.

    python -m model.train --stage 1 --mix shards/mixes/stage1.yaml --out runs/stage1
    python -m model.train --stage 2 --mix shards/mixes/stage2.yaml --preset got-580m --out runs/stage2 --init runs/stage1
    python -m model.train --stage 3 --mix shards/mixes/stage3.yaml --out runs/stage3 --init runs/stage2
    torchrun --nproc-per-node 8 -m model.train ...        # DDP (nccl; gloo on CPU); add --fsdp to shard

Reads top to bottom like nanoGPT's train.py: the config with every default, the model, the data,
the learning rate, the loop, the checkpoint. Rerunning the same command resumes from the latest
complete checkpoint in --out (weights, optimizer, step, every rank's data position, RNG), so a
killed run continues on the loss curve it would have followed. The stages follow the paper:
AdamW, cosine schedule after a linear warmup, lr 1e-4 (2e-5 in stage 3), every part trained in
stages 1 and 2, the decoder only in stage 3; the token limits (4,096 / 6,000 / 8,192) are the
mixes' `max_target_tokens`. Loss is on answer tokens and `<|im_end|>` only (model/loss.py).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from torch import nn
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_optimizer_state_dict,
    set_optimizer_state_dict,
)
from tqdm import tqdm
from transformers import GotOcr2Config

from model import checkpoint, ranks
from model.build import TRAINABLE, InitError, Trainable, build_model, planned_config, set_trainable
from model.checkpoint import CheckpointError
from model.fast import compile_blocks, use_sdpa_encoder
from model.loss import IGNORE_INDEX, AnswerLoss
from model.presets import PRESETS, Preset
from model.runlog import RunLog
from pipelines.cli import Parser, add_config_flags

PROG = "python -m model.train"
STAGE_PRESET = {1: "got-opt125m", 2: "got-580m", 3: "got-580m"}
STAGE_LR = {1: 1e-4, 2: 1e-4, 3: 2e-5}
STAGE_TRAIN = {1: "all", 2: "all", 3: "decoder"}
# Settings a resume must keep: they decide which samples each rank sees, in which order.
RESUME_FIXED = ("mix", "batch_size", "grad_accum", "seed", "max_target_tokens", "world_size")


# ----------------------------------------------------------------------------- config
def _flag(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass
class Config:
    """Every default in one place; None means "the stage's choice" (see __post_init__)."""

    stage: Literal[1, 2, 3] = _flag(2, "the paper's stage: its defaults for preset, lr and what trains")
    mix: str = _flag("", "stage mix yaml, e.g. shards/mixes/stage2.yaml (required)")
    out: str = _flag("", "run folder: checkpoints, metrics.jsonl, events.jsonl; rerun to resume (required)")
    preset: Preset | None = _flag(None, "architecture (default: --init's own, else got-opt125m in stage 1, "
                                        "got-580m after)")
    init: str | None = _flag(None, "weights to start from: model folder, run folder, or a hub id in the local cache")
    train: Trainable | None = _flag(None, "parts that train (default: all in stages 1-2, decoder in stage 3)")
    image_size: int | None = _flag(None, "encoder side in px, a multiple of 64 (default: the preset's)")
    batch_size: int = _flag(8, "samples per rank and micro-batch")
    grad_accum: int = _flag(1, "micro-batches per optimizer step")
    max_target_tokens: int | None = _flag(None, "drop longer targets (default: the mix's limit)")
    workers: int = _flag(2, "DataLoader worker processes per rank (0: load in the training process)")
    shuffle_buffer: int = _flag(1000, "samples in the loader's shuffle buffer (0: no shuffling)")
    length_pool: int = _flag(16, "batches per pool sorted by target length, so batches pad little (1: off)")
    root: str = _flag(".", "folder that relative shard patterns in the mix start from")
    allow_missing: bool = _flag(False, "stream the mix's present sources when some have no shards")
    max_steps: int = _flag(10_000, "optimizer steps; the cosine schedule ends here")
    lr: float | None = _flag(None, "peak learning rate (default: 1e-4, 2e-5 in stage 3)")
    warmup: int | None = _flag(None, "linear warmup steps (default: 1%% of --max-steps, at least 1, less than "
                                     "--max-steps)")
    weight_decay: float = _flag(0.0, "AdamW weight decay")
    grad_clip: float = _flag(1.0, "clip the gradient norm to this")
    seed: int = _flag(0, "model init and data order")
    gradient_checkpointing: bool = _flag(False, "recompute activations in backward (less memory)")
    compile: bool = _flag(False, "torch.compile each block and the loss (GPU)")
    fsdp: bool = _flag(False, "shard weights, gradients and optimizer state (FSDP2) instead of DDP")
    save_every: int = _flag(1000, "checkpoint every this many steps (and at the end)")
    log_every: int = _flag(10, "metrics line every this many steps")
    progress: bool = _flag(True, "progress bar with loss and ETA on stderr (rank 0), beside the JSON lines")
    world_size: int = 1  # ranks, from torchrun's environment, not a flag

    def __post_init__(self) -> None:
        def need(ok: bool, message: str) -> None:
            if not ok:
                raise ValueError(message)

        need(self.stage in STAGE_LR, f"--stage must be 1, 2 or 3, got {self.stage}")
        need(bool(self.mix), "--mix is required (e.g. shards/mixes/stage2.yaml)")
        need(bool(self.out), "--out is required (the run folder, e.g. runs/stage2)")
        need(self.preset is None or self.preset in PRESETS,
             f"--preset {self.preset!r} is unknown; known presets: {', '.join(PRESETS)}")
        if self.preset is None and self.init is None:
            self.preset = STAGE_PRESET[self.stage]
        self.train = self.train or STAGE_TRAIN[self.stage]
        need(self.train in TRAINABLE, f"--train must be one of {', '.join(TRAINABLE)}, got {self.train!r}")
        self.lr = STAGE_LR[self.stage] if self.lr is None else self.lr
        need(self.lr > 0, f"--lr must be > 0, got {self.lr}")
        for flag, value in (("--batch-size", self.batch_size), ("--grad-accum", self.grad_accum),
                            ("--max-steps", self.max_steps), ("--save-every", self.save_every),
                            ("--log-every", self.log_every)):
            need(value >= 1, f"{flag} must be >= 1, got {value}")
        if self.warmup is None:  # fits any run: 0 for a single step
            self.warmup = min(max(1, self.max_steps // 100), self.max_steps - 1)
        need(0 <= self.warmup < self.max_steps, f"--warmup must be in [0, --max-steps), got {self.warmup}")
        need(self.workers >= 0, f"--workers must be >= 0, got {self.workers}")
        need(self.image_size is None or (self.image_size > 0 and self.image_size % 64 == 0),
             f"--image-size must be a positive multiple of 64 (16 px patches, 4x neck), got {self.image_size}")
        need(self.grad_clip > 0, f"--grad-clip must be > 0, got {self.grad_clip}")


def parse_args(argv: list[str] | None = None) -> Config:
    """Flags are the Config fields with dashes (pipelines.cli builds them); bad input exits 2 with one line."""
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    add_config_flags(p, Config, "training", exclude=("world_size",))
    args = p.parse_args(argv)
    try:
        return Config(**vars(args), world_size=int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError as e:
        p.error(str(e))


# ----------------------------------------------------------------------------- model
def wrap(loss_model: AnswerLoss, cfg: Config, device: torch.device) -> nn.Module:
    """DDP, FSDP (per-block shards, bf16 compute) or nothing, by world size and --fsdp."""
    if cfg.world_size == 1 and not cfg.fsdp:
        return loss_model
    if cfg.fsdp:
        from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard
        policy = MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32) \
            if device.type == "cuda" else MixedPrecisionPolicy()
        for block in blocks(loss_model.got):
            fully_shard(block, mp_policy=policy)
        return fully_shard(loss_model, mp_policy=policy)
    return nn.parallel.DistributedDataParallel(loss_model, device_ids=[device.index] if device.type == "cuda" else None)


def blocks(got: nn.Module) -> list[nn.Module]:
    """The repeated blocks FSDP shards one at a time: every encoder layer, then every decoder layer."""
    return list(got.model.vision_tower.layers) + list(decoder_layers(got.model.language_model))


# Where each decoder family keeps its layer list: Qwen2 (and Llama-like models) on the model itself,
# OPT one level down on its OPTDecoder.
DECODER_LAYER_PATHS = ("layers", "decoder.layers")


def decoder_layers(decoder: nn.Module) -> nn.ModuleList:
    """The decoder's list of layers, wherever its architecture keeps it (see DECODER_LAYER_PATHS).

    Raises:
        RuntimeError: none of the known paths holds a ModuleList, so FSDP would not know what to shard.
    """
    for path in DECODER_LAYER_PATHS:
        try:
            layers = decoder.get_submodule(path)
        except AttributeError:
            continue
        if isinstance(layers, nn.ModuleList):
            return layers
    raise RuntimeError(f"cannot find the layers of the {type(decoder).__name__} decoder to shard with --fsdp: "
                       f"looked at {', '.join(DECODER_LAYER_PATHS)}; add its path to "
                       f"model.train.DECODER_LAYER_PATHS, or train without --fsdp")


# ----------------------------------------------------------------------------- data
class DataError(ValueError):
    """The mix or the loader state cannot feed this run (bad mix, missing shards, changed stream)."""


def make_data(cfg: Config, image_size: int, image_tokens: int, rank: int, state: dict | None) -> Any:
    """This rank's endless loader, at the saved position when resuming."""
    from shards.loader import LoaderConfig, make_loader
    try:
        data = make_loader(LoaderConfig(mix=cfg.mix, batch_size=cfg.batch_size, image_size=image_size,
                                        image_tokens=image_tokens, max_target_tokens=cfg.max_target_tokens,
                                        shuffle_buffer=cfg.shuffle_buffer, length_pool=cfg.length_pool,
                                        num_workers=cfg.workers,
                                        seed=cfg.seed, allow_missing=cfg.allow_missing, root=cfg.root),
                           rank=rank, world_size=cfg.world_size)
        if state is not None:
            data.load_state_dict(state)
    except ValueError as e:  # MixError is one
        raise DataError(str(e)) from None
    return data


def to_device(batch: dict[str, Any], device: torch.device) -> dict[str, torch.Tensor]:
    keys = ("input_ids", "attention_mask", "pixel_values", "labels")
    return {k: batch[k].to(device, non_blocking=True) for k in keys}


# ----------------------------------------------------------------------------- schedule
def get_lr(step: int, cfg: Config) -> float:
    """Linear warmup to --lr over --warmup steps, then a cosine that reaches 0 as the last step ends.

    Steps are 1-based; the first step after warmup runs at the peak and the last one still learns
    (a one-step run takes one step at --lr), like nanoGPT's schedule.
    """
    if step <= cfg.warmup:
        return cfg.lr * step / cfg.warmup
    progress = (step - 1 - cfg.warmup) / (cfg.max_steps - cfg.warmup)
    return cfg.lr * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


# ----------------------------------------------------------------------------- the loop
def train(cfg: Config) -> None:
    rank, world, device = ranks.setup()
    out = Path(cfg.out)
    log = RunLog(out, rank)
    resume_from = checkpoint.latest(out)
    state = None
    if resume_from is not None:
        state = checkpoint.load_trainer_state(resume_from)
        check_resumable(cfg, state["config"], resume_from)
        planned = GotOcr2Config.from_pretrained(resume_from)
    else:
        planned = planned_config(cfg.preset, cfg.init, cfg.image_size)
    data = make_data(cfg, planned.vision_config.image_size, planned.image_seq_length, rank,
                     state["loaders"][rank] if state else None)  # a bad mix fails before the model is built
    torch.manual_seed(cfg.seed)
    if resume_from is not None:
        got = checkpoint.load_model(str(resume_from), dtype="float32")
        log.event("resume", checkpoint=str(resume_from), step=state["step"])
    else:
        got, report = build_model(cfg.preset, cfg.init, cfg.image_size)
        if report is not None:
            log.event("init", source=cfg.init, copied=report.copied, fresh=len(report.fresh),
                      fresh_examples=dict(list(report.fresh.items())[:5]))
    trainable = set_trainable(got, cfg.train)
    use_sdpa_encoder(got)
    got.config.use_cache = False
    if cfg.gradient_checkpointing:
        got.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    got.to(device)
    if cfg.compile:
        compile_blocks(got)
    model = wrap(AnswerLoss(got, compile=cfg.compile), cfg, device)
    params = [p for p in got.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, betas=(0.9, 0.999), weight_decay=cfg.weight_decay,
                                  fused=True)
    step, samples, tokens = 0, 0, 0
    if state is not None:
        set_optimizer_state_dict(got, optimizer, state["optimizer"], options=StateDictOptions(full_state_dict=True))
        ranks.set_rng(state["rng"][rank])
        step, samples, tokens = state["step"], state["samples"], state["tokens"]
        log.truncate_after(step)
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else contextlib.nullcontext()
    log.event("start", step=step, world_size=world, device=str(device), trainable=trainable, config=asdict(cfg))
    batches = iter(data)
    first = True
    bar = tqdm(total=cfg.max_steps, initial=step, desc="train", unit="step", dynamic_ncols=True,
               disable=rank != 0 or not cfg.progress, file=sys.stderr)
    t0 = time.perf_counter()
    while step < cfg.max_steps:
        step += 1
        lr = get_lr(step, cfg)
        for group in optimizer.param_groups:
            group["lr"] = lr
        micro = [next(batches) for _ in range(cfg.grad_accum)]
        if first:
            log.event("first_batch", keys_by_rank=ranks.all_gather([b["keys"] for b in micro]))
            first = False
        n_target = ranks.all_reduce(sum(int((b["labels"][:, 1:] != IGNORE_INDEX).sum()) for b in micro), device)
        loss_sum = torch.zeros((), device=device)
        for i, batch in enumerate(micro):
            with sync_gradients(model, cfg, last=i == len(micro) - 1), autocast:
                part, _ = model(**to_device(batch, device))
            (part * world / n_target).backward()
            loss_sum += part.detach()
        grad_norm = torch.nn.utils.clip_grad_norm_(params, cfg.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step_samples = ranks.all_reduce(sum(len(b["keys"]) for b in micro), device)
        step_tokens = ranks.all_reduce(sum(int(b["attention_mask"].sum()) for b in micro), device)
        samples, tokens = samples + step_samples, tokens + step_tokens
        if step % cfg.log_every == 0 or step == cfg.max_steps:
            loss = ranks.all_reduce(float(loss_sum), device) / n_target
            step_positions = ranks.all_reduce(sum(b["attention_mask"].numel() for b in micro), device)
            dt = time.perf_counter() - t0
            log.metrics(step=step, loss=loss, lr=lr, grad_norm=float(ranks.full(grad_norm)), samples=samples,
                        tokens=tokens, tokens_per_s=step_tokens / dt, samples_per_s=step_samples / dt,
                        pad_share=1 - step_tokens / step_positions)
            bar.set_postfix(loss=f"{loss:.4f}", lr=f"{lr:.2e}", refresh=False)
        bar.update()
        if step % cfg.save_every == 0 or step == cfg.max_steps:
            save(out, step, got, optimizer, data, cfg, samples, tokens, rank, log)
        t0 = time.perf_counter()
    bar.close()
    log.close()
    ranks.teardown()


def sync_gradients(model: nn.Module, cfg: Config, last: bool) -> contextlib.AbstractContextManager:
    """Skip the gradient all-reduce on all but the last micro-batch of a step."""
    if cfg.fsdp:
        model.set_requires_gradient_sync(last)
        return contextlib.nullcontext()
    if isinstance(model, nn.parallel.DistributedDataParallel) and not last:
        return model.no_sync()
    return contextlib.nullcontext()


class ResumeError(ValueError):
    """--out holds a checkpoint this run cannot continue."""


def check_resumable(cfg: Config, saved: dict[str, Any], ckpt: Path) -> None:
    for key in RESUME_FIXED:
        if saved.get(key) != getattr(cfg, key):
            flag = "WORLD_SIZE (ranks)" if key == "world_size" else "--" + key.replace("_", "-")
            raise ResumeError(f"cannot resume {ckpt}: it was saved with {flag} {saved.get(key)!r}, this run has "
                             f"{getattr(cfg, key)!r}; pass the same, or a new --out")


# ----------------------------------------------------------------------------- checkpoint
def save(out: Path, step: int, got: nn.Module, optimizer: torch.optim.Optimizer, data: Any, cfg: Config,
         samples: int, tokens: int, rank: int, log: RunLog) -> None:
    """Gather weights and optimizer state to rank 0 (collective under FSDP) and write one checkpoint."""
    options = StateDictOptions(full_state_dict=True, cpu_offload=True)
    weights = get_model_state_dict(got, options=options)
    optim = get_optimizer_state_dict(got, optimizer, options=options)
    loaders = ranks.all_gather(data.state_dict())
    rngs = ranks.all_gather(ranks.get_rng())
    if rank == 0:
        path = checkpoint.save(out, step, got, weights, {
            "step": step, "samples": samples, "tokens": tokens, "optimizer": optim, "loaders": loaders,
            "rng": rngs, "config": asdict(cfg), "version": 1})
        log.event("checkpoint", step=step, path=str(path))
    ranks.barrier()


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    try:
        train(cfg)
    except (CheckpointError, DataError, InitError, ResumeError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
