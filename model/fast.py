"""Speed-ups that leave the checkpoint format alone: SDPA in the ViTDet encoder, compiled blocks.

`transformers`' GOT encoder computes attention by hand: it materialises q @ k^T in float32, adds
the decomposed relative-position bias and softmaxes, storing every intermediate for backward.
`SdpaVisionAttention` computes the same function through `scaled_dot_product_attention`, with
the relative-position bias passed as the additive mask (the memory-efficient kernel takes one and
differentiates through it), so the 4,096-token global layers stop dominating memory and time.
It only swaps the module's class: parameter names and shapes are unchanged, so checkpoints
stay plain `GotOcr2ForConditionalGeneration` checkpoints.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from transformers.models.got_ocr2.modeling_got_ocr2 import GotOcr2VisionAttention, GotOcr2VisionLayer


class SdpaVisionAttention(GotOcr2VisionAttention):
    """GOT's ViTDet attention with the same math as the eager version, through SDPA."""

    def forward(self, hidden_states: torch.Tensor, output_attentions: bool | None = None
                ) -> tuple[torch.Tensor, None]:
        batch, height, width, _ = hidden_states.shape
        heads, tokens = self.num_attention_heads, height * width
        qkv = self.qkv(hidden_states).reshape(batch, tokens, 3, heads, -1).permute(2, 0, 3, 1, 4)
        query, key, value = qkv.unbind(0)  # [batch, heads, tokens, head_dim]
        bias = None
        if self.use_rel_pos:
            rel = self.get_decomposed_rel_pos(query.reshape(batch * heads, tokens, -1), self.rel_pos_h,
                                              self.rel_pos_w, (height, width), (height, width))
            bias = rel.reshape(batch, heads, tokens, tokens).to(query.dtype)
        out = F.scaled_dot_product_attention(query, key, value, attn_mask=bias, scale=self.scale,
                                             dropout_p=self.dropout if self.training else 0.0)
        out = out.reshape(batch, heads, height, width, -1).permute(0, 2, 3, 1, 4).reshape(batch, height, width, -1)
        return self.proj(out), None


def use_sdpa_encoder(model: nn.Module) -> int:
    """Switch every GOT encoder attention in `model` to `SdpaVisionAttention`; returns how many."""
    n = 0
    for module in model.modules():
        if type(module) is GotOcr2VisionAttention:
            module.__class__ = SdpaVisionAttention
            n += 1
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
