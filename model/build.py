"""The model a training run starts from, and which of its parts train.

Three ways in, chosen by --preset and --init:
- --init alone: the checkpoint itself (its own config), e.g. stage 3 from stage 2, or the
  released `stepfun-ai/GOT-OCR-2.0-hf` weights;
- --preset and --init: the preset's architecture, with every init tensor whose name and shape
  match copied in, e.g. stage 2 (`got-580m`) from stage 1 (`got-opt125m`): the encoder carries
  over, the decoder is new;
- --preset alone: fresh weights.

GOT's parts, as the paper trains them: the encoder is the ViTDet with its neck and the two
stride-2 convs (GOT's `vision_tower` + `net_2` + `net_3`); the decoder is the language model and
its head; the Linear projector between them trains with whichever side trains (stage 3 freezes
the encoder and post-trains the decoder, projector included, as GOT's `freeze_vision_tower` does).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from torch import nn
from transformers import GotOcr2Config, GotOcr2ForConditionalGeneration

from model.checkpoint import load_model, resolve_model_dir
from model.presets import build_config

Trainable = Literal["all", "decoder", "encoder"]
TRAINABLE = typing.get_args(Trainable)
ENCODER_PREFIXES = ("model.vision_tower.", "model.multi_modal_projector.conv_upsampler")
PROJECTOR_PREFIX = "model.multi_modal_projector.multimodal_projector."


class InitError(ValueError):
    """--preset/--init/--image-size that do not make a model; the message names the flag to change."""


@dataclass
class InitReport:
    """What --init gave a preset model: tensors copied, and those left fresh (name: why)."""

    copied: int
    fresh: dict[str, str]


def planned_config(preset: str | None, init: str | None, image_size: int | None) -> GotOcr2Config:
    """The config `build_model` will give the model, read without building it (to set up data first)."""
    if preset is not None:
        return build_config(preset, image_size)
    if init is None:
        raise InitError("pass --preset or --init")
    return GotOcr2Config.from_pretrained(resolve_model_dir(init))


def build_model(preset: str | None, init: str | None, image_size: int | None
                ) -> tuple[GotOcr2ForConditionalGeneration, InitReport | None]:
    """The starting model (float32, on the CPU) and, for --preset with --init, what was copied.

    Raises:
        InitError: --image-size against an --init model, or an init sharing no tensor with the preset.
        ValueError: unknown preset or bad image size (Config and argparse check these first).
        CheckpointError: --init names nothing loadable.
    """
    if preset is None:
        if init is None:
            raise InitError("pass --preset or --init")
        model = load_model(init, dtype="float32")
        if image_size is not None and image_size != model.config.vision_config.image_size:
            raise InitError(f"--image-size {image_size} differs from {init}'s "
                             f"{model.config.vision_config.image_size}; drop --image-size, or also pass --preset "
                             "to re-size (the position embedding then starts afresh)")
        return model, None
    model = GotOcr2ForConditionalGeneration(build_config(preset, image_size))
    if init is None:
        return model, None
    return model, copy_matching(model, load_model(init, dtype="float32"), init)


def copy_matching(model: GotOcr2ForConditionalGeneration, source: nn.Module, name: str) -> InitReport:
    """Copy every tensor of `source` whose name and shape match one of `model`'s.

    A tied head is skipped: it is the embedding, which decides for itself.
    """
    theirs = source.state_dict()
    mine = model.state_dict()
    tied = set(model._tied_weights_keys or {}) if model.config.tie_word_embeddings else set()
    fresh: dict[str, str] = {}
    copied = 0
    for key, tensor in mine.items():
        if key in tied:
            continue
        other = theirs.get(key)
        if other is None:
            fresh[key] = "not in init"
        elif other.shape != tensor.shape:
            fresh[key] = f"shape {tuple(other.shape)} in init, {tuple(tensor.shape)} here"
        else:
            tensor.copy_(other)
            copied += 1
    if copied == 0:
        raise InitError(f"--init {name} shares no tensor with the preset; is it a GOT checkpoint?")
    return InitReport(copied, fresh)


def part_of(param_name: str) -> str:
    """'encoder', 'projector' or 'decoder' for a parameter name of GotOcr2ForConditionalGeneration."""
    if param_name.startswith(ENCODER_PREFIXES):
        return "encoder"
    if param_name.startswith(PROJECTOR_PREFIX):
        return "projector"
    return "decoder"


def set_trainable(model: nn.Module, train: str) -> dict[str, int]:
    """Freeze what `train` leaves out (the projector trains in every mode); returns counts per part.

    Raises:
        ValueError: `train` is not one of TRAINABLE.
    """
    if train not in TRAINABLE:
        raise ValueError(f"--train {train!r}: choose one of {', '.join(TRAINABLE)}")
    counts = {"encoder": 0, "projector": 0, "decoder": 0}
    for name, param in model.named_parameters():
        part = part_of(name)
        param.requires_grad_(train == "all" or part == "projector" or part == train)
        if param.requires_grad:
            counts[part] += param.numel()
    return counts
