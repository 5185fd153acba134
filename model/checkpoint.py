"""Checkpoints: Hugging Face model folders plus the trainer's state, written atomically.

A run folder holds `step-00000500/`, `step-00001000/`, ...; each is a complete
`GotOcr2ForConditionalGeneration.save_pretrained` folder (config, safetensors, generation
config, tokenizer, processor) plus `trainer_state.pt` (optimizer, step, data position of every rank, RNG
states, the run's config). A checkpoint is written under a temporary name and renamed when
complete, so a killed run leaves either a whole checkpoint or a `.tmp-*` folder that the next
save removes; an existing checkpoint is never overwritten. Like torchtitan's `_find_load_step`,
only folders that hold the trainer state count when looking for the latest one.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import torch
from transformers import GotOcr2ForConditionalGeneration

from model.hf_processor import hf_processor
from tokenizer.got import get_tokenizer

TRAINER_STATE = "trainer_state.pt"
STEP_DIR = re.compile(r"^step-(\d{8})$")
TMP_PREFIX = ".tmp-"


class CheckpointError(ValueError):
    """A path that holds no usable checkpoint; the message says what to pass instead."""


def step_dir(out: Path, step: int) -> Path:
    return out / f"step-{step:08d}"


def save(out: Path, step: int, model: GotOcr2ForConditionalGeneration, state_dict: dict[str, torch.Tensor],
         trainer_state: dict[str, Any]) -> Path:
    """Write checkpoint `step` of run `out` (call on one rank only); returns its folder.

    Args:
        model: the plain (unwrapped) model, for its config and generation config.
        state_dict: the full model weights (gathered first under FSDP).
        trainer_state: everything else a resume needs, saved with torch.save.

    Raises:
        FileExistsError: the step's checkpoint already exists (it is never overwritten).
    """
    final = step_dir(out, step)
    if final.exists():
        raise FileExistsError(f"{final} exists; checkpoints are never overwritten (start a new --out)")
    for stale in out.glob(f"{TMP_PREFIX}step-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = out / f"{TMP_PREFIX}{final.name}-{uuid.uuid4().hex[:8]}"
    tok = get_tokenizer()  # plain `generate` stops where GOT's answers end
    model.generation_config.eos_token_id = tok.im_end_id
    model.generation_config.pad_token_id = tok.pad_id
    model.save_pretrained(tmp, state_dict=state_dict)
    hf_processor(model.config).save_pretrained(tmp)  # tokenizer, image processor, chat template
    torch.save(trainer_state, tmp / TRAINER_STATE)
    tmp.rename(final)
    return final


def latest(out: Path) -> Path | None:
    """The complete checkpoint with the highest step in run folder `out`, or None."""
    if not out.is_dir():
        return None
    done = [(int(m.group(1)), p) for p in out.iterdir()
            if (m := STEP_DIR.match(p.name)) and (p / TRAINER_STATE).is_file()]
    return max(done)[1] if done else None


def load_trainer_state(ckpt: Path) -> dict[str, Any]:
    return torch.load(ckpt / TRAINER_STATE, map_location="cpu", weights_only=False)


def resolve_model_dir(path_or_id: str) -> str:
    """A folder `from_pretrained` can load, from what a user passes to --init or --ckpt.

    Accepts a Hugging Face model folder (has config.json), a run folder (its latest complete
    checkpoint is used) or a hub id already in the local Hugging Face cache. Nothing is downloaded.

    Raises:
        CheckpointError: none of these; the message says what to do.
    """
    path = Path(path_or_id)
    if (path / "config.json").is_file():
        return str(path)
    if path.is_dir():
        found = latest(path)
        if found is None:
            raise CheckpointError(f"{path_or_id}: neither a model folder (no config.json) nor a run folder with a "
                                  "complete step-* checkpoint")
        return str(found)
    if path_or_id.count("/") != 1 or path_or_id.startswith((".", "/")):
        raise CheckpointError(f"{path_or_id}: no such folder")
    from huggingface_hub import snapshot_download
    try:
        return snapshot_download(path_or_id, local_files_only=True)
    except Exception:
        raise CheckpointError(
            f"{path_or_id}: not a local folder and not in the Hugging Face cache; nothing is downloaded at run "
            f"time: download it first (`hf download {path_or_id}` on a machine with internet) or pass a local "
            "folder") from None


def load_model(path_or_id: str, **kwargs: Any) -> GotOcr2ForConditionalGeneration:
    """`GotOcr2ForConditionalGeneration.from_pretrained` on whatever `resolve_model_dir` accepts."""
    return GotOcr2ForConditionalGeneration.from_pretrained(resolve_model_dir(path_or_id), **kwargs)


def load_for_inference(path_or_id: str, device: str) -> GotOcr2ForConditionalGeneration:
    """`load_model` in eval mode on `device`: bf16 on a GPU, float32 on the CPU (where bf16 is slow)."""
    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    return load_model(path_or_id, dtype=dtype).to(device).eval()
