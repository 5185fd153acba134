"""One process among many: the process group, the collectives the trainer needs, per-rank RNG.

torchrun sets WORLD_SIZE, RANK and LOCAL_RANK; a plain `python -m model.train` is rank 0 of 1
and never touches torch.distributed, so every helper here also works without a process group.
"""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np
import torch
import torch.distributed as dist


def setup() -> tuple[int, int, torch.device]:
    """(rank, world size, device): nccl on GPUs, gloo on CPUs, each rank on its LOCAL_RANK GPU."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device("cuda", local) if torch.cuda.is_available() else torch.device("cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return (dist.get_rank() if world > 1 else 0), world, device


def teardown() -> None:
    """Leave the process group together: every rank waits for the others first, since a rank that destroys its
    group while a peer is still in a collective can leave that peer (and torchrun) waiting forever (PyTorch
    issue 75097; seen once here as a two-rank gloo run whose rank 1 never exited)."""
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def barrier() -> None:
    if dist.is_initialized():
        dist.barrier()


def all_reduce(value: Any, device: torch.device) -> Any:
    """The sum of a Python number over ranks, of the same type."""
    if not dist.is_initialized():
        return value
    t = torch.tensor(value, dtype=torch.float64, device=device)
    dist.all_reduce(t)
    return type(value)(t.item())


def all_gather(obj: Any) -> list[Any]:
    """Every rank's `obj` (picklable), in rank order."""
    if not dist.is_initialized():
        return [obj]
    gathered: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, obj)
    return gathered


def full(t: torch.Tensor) -> torch.Tensor:
    """A plain tensor from an FSDP DTensor (a no-op for plain tensors)."""
    return t.full_tensor() if hasattr(t, "full_tensor") else t


def get_rng() -> dict[str, Any]:
    """This process's random states: torch (CPU and CUDA), Python, NumPy."""
    return {"torch": torch.get_rng_state(), "cuda": torch.cuda.get_rng_state() if torch.cuda.is_available() else None,
            "python": random.getstate(), "numpy": np.random.get_state()}


def set_rng(rng: dict[str, Any]) -> None:
    torch.set_rng_state(rng["torch"])
    if rng["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state(rng["cuda"])
    random.setstate(rng["python"])
    np.random.set_state(rng["numpy"])
