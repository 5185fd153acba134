"""Speed-ups that leave the checkpoint format alone: SDPA in the ViTDet encoder, compiled blocks.

`transformers`' GOT encoder computes attention by hand: it materialises q @ k^T in float32, adds
the decomposed relative-position bias and softmaxes, storing every intermediate for backward.
`SdpaVisionAttention` computes the same function through `scaled_dot_product_attention`, with
the relative-position bias folded into widened query and key vectors (see the class), so the
4,096-token global layers run on flash kernels and stop dominating memory and time.
It only swaps the module's class: parameter names and shapes are unchanged, so checkpoints
stay plain `GotOcr2ForConditionalGeneration` checkpoints.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
import transformers
from torch import nn
from transformers.models.got_ocr2.modeling_got_ocr2 import (
    GotOcr2VisionAttention,
    GotOcr2VisionEncoder,
    GotOcr2VisionLayer,
)


class SdpaVisionAttention(GotOcr2VisionAttention):
    """GOT's ViTDet attention with the same math as the eager version, through SDPA, bias folded in.

    The decomposed relative-position bias is rel_h[q, row(k)] + rel_w[q, col(k)], with rel_h and
    rel_w computed from the query. Appending those two small tables to the (pre-scaled) query and
    the one-hot row and column of each key to the key makes q'.k' = scale * q.k + bias exactly, so
    attention runs with no mask at all: on a GPU the flash / cuDNN kernels, and nothing of size
    tokens x tokens is ever stored. Value and output are zero-padded to the widened head size
    (those kernels want one head size), then cut back.
    """

    def forward(self, hidden_states: torch.Tensor, output_attentions: bool | None = None
                ) -> tuple[torch.Tensor, None]:
        batch, height, width, _ = hidden_states.shape
        heads, tokens = self.num_attention_heads, height * width
        qkv = self.qkv(hidden_states).reshape(batch, tokens, 3, heads, -1).permute(2, 0, 3, 1, 4)
        query, key, value = qkv.unbind(0)  # [batch, heads, tokens, head_dim]
        head_dim = query.shape[-1]
        if self.use_rel_pos:
            rel_h = self.get_rel_pos(height, height, self.rel_pos_h).to(query.dtype)  # [H, H, head_dim]
            rel_w = self.get_rel_pos(width, width, self.rel_pos_w).to(query.dtype)  # [W, W, head_dim]
            grid = query.reshape(batch, heads, height, width, head_dim)
            bias_h = torch.einsum("bnhwc,hkc->bnhwk", grid, rel_h).reshape(batch, heads, tokens, height)
            bias_w = torch.einsum("bnhwc,wkc->bnhwk", grid, rel_w).reshape(batch, heads, tokens, width)
            rows = torch.arange(tokens, device=query.device) // width
            cols = torch.arange(tokens, device=query.device) % width
            one_hot = torch.cat([F.one_hot(rows, height), F.one_hot(cols, width)], dim=-1).to(query.dtype)
            query = torch.cat([query * self.scale, bias_h, bias_w], dim=-1)
            key = torch.cat([key, one_hot.expand(batch, heads, tokens, height + width)], dim=-1)
            width_qk = -(-query.shape[-1] // 8) * 8  # kernels want head sizes in multiples of 8
            query = F.pad(query, (0, width_qk - query.shape[-1]))
            key = F.pad(key, (0, width_qk - key.shape[-1]))
            value = F.pad(value, (0, width_qk - head_dim))
            scale = 1.0
        else:
            scale = self.scale
        out = F.scaled_dot_product_attention(query, key, value, scale=scale,
                                             dropout_p=self.dropout if self.training else 0.0)[..., :head_dim]
        out = out.reshape(batch, heads, height, width, -1).permute(0, 2, 3, 1, 4).reshape(batch, height, width, -1)
        return self.proj(out), None


def use_sdpa_encoder(model: nn.Module) -> int:
    """Switch every GOT encoder attention in `model` to `SdpaVisionAttention`; returns how many.

    The swap matches the exact class `transformers` builds today, since swapping a subclass or a
    renamed successor could drop behaviour it adds. That makes it brittle across `transformers`
    releases, so it checks afterwards that every encoder layer runs SDPA: a silent no-op would
    leave training on the slow, memory-hungry eager attention with nothing to show for it.

    Raises:
        RuntimeError: some GOT encoder layer still runs another attention class after the swap.
    """
    n = 0
    for module in model.modules():
        if type(module) is GotOcr2VisionAttention:
            module.__class__ = SdpaVisionAttention
            n += 1
    layers = [layer for encoder in model.modules() if isinstance(encoder, GotOcr2VisionEncoder)
              for layer in encoder.layers]
    missed = sorted({type(layer.attn).__name__ for layer in layers if not isinstance(layer.attn, SdpaVisionAttention)})
    if missed:
        raise RuntimeError(
            f"use_sdpa_encoder swapped {n} of the GOT encoder's {len(layers)} attention layers: transformers "
            f"{transformers.__version__} builds them as {', '.join(missed)}, not GotOcr2VisionAttention. Install "
            f"the transformers version pyproject.toml pins, or port SdpaVisionAttention in model/fast.py to it")
    return n


def compile_blocks(model: nn.Module) -> int:
    """torch.compile each repeated block (encoder and decoder layers) in place; returns how many.

    Compiling blocks rather than the whole model compiles one graph per layer shape (seconds, not
    minutes) and leaves GOT's data-dependent image scatter in eager mode.
    """
    blocks = [m for m in model.modules()
              if isinstance(m, GotOcr2VisionLayer) or type(m).__name__.endswith("DecoderLayer")]
    for block in blocks:
        block.compile()
    return len(blocks)
