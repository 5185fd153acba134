"""The training objective: cross-entropy on the answer tokens and `<|im_end|>`, nothing else.

GOT's prompt (system text, 256 image tokens per image, the query) is never supervised, so the
logits of those positions are never needed. `AnswerLoss` runs the decoder, keeps the hidden
states of supervised positions only, and applies the LM head plus cross-entropy in chunks whose
logits are recomputed in backward: at 151,860 vocabulary entries, full float32 logits of one
8,192-token sequence would take 5 GB. The result is the sum (not the mean), so the trainer can
divide by the token count of the whole optimizer step, across micro-batches and ranks.

Compiled (`compile=True`, for GPUs), each chunk has one fixed shape (the last one is padded with
ignored rows) and the head's vocabulary is padded to a multiple of 128, so cuBLAS takes its
aligned kernels and Inductor fuses the float cast, log-softmax and loss into one pass.

It is an `nn.Module` so DDP and FSDP wrap it and their hooks see one forward per micro-batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint
from transformers import GotOcr2ForConditionalGeneration

from tokenizer.protocol import IGNORE_INDEX

VOCAB_ALIGN = 128


def chunk_loss(hidden: torch.Tensor, weight: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Summed cross-entropy of one chunk of supervised positions."""
    logits = F.linear(hidden, weight).float()
    return F.cross_entropy(logits, labels, reduction="sum", ignore_index=IGNORE_INDEX)


def aligned_chunk_loss(hidden: torch.Tensor, weight: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """`chunk_loss` with the head's rows padded to VOCAB_ALIGN for the matmul, cut from the logits after."""
    vocab = weight.shape[0]
    pad = -vocab % VOCAB_ALIGN
    logits = F.linear(hidden, F.pad(weight, (0, 0, 0, pad)))[:, :vocab].float()
    return F.cross_entropy(logits, labels, reduction="sum", ignore_index=IGNORE_INDEX)


class AnswerLoss(nn.Module):
    """Wraps a GOT model; `forward(batch)` gives (summed loss, supervised token count)."""

    def __init__(self, got: GotOcr2ForConditionalGeneration, chunk_tokens: int = 2048, compile: bool = False) -> None:
        super().__init__()
        self.got = got
        self.chunk_tokens = chunk_tokens
        self.compiled = compile
        self.loss = torch.compile(aligned_chunk_loss) if compile else chunk_loss

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, pixel_values: torch.Tensor,
                labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.got.model(input_ids=input_ids, attention_mask=attention_mask, pixel_values=pixel_values,
                                use_cache=False).last_hidden_state
        targets = labels[:, 1:]
        keep = targets != IGNORE_INDEX  # position t predicts token t + 1
        hidden, targets = hidden[:, :-1][keep], targets[keep]
        weight = self.got.lm_head.weight
        if not self.compiled and hidden.shape[0] <= self.chunk_tokens:  # one chunk: nothing to recompute
            return self.loss(hidden, weight, targets), keep.sum()
        if self.compiled:  # one shape for every chunk
            pad = -hidden.shape[0] % self.chunk_tokens
            hidden = F.pad(hidden, (0, 0, 0, pad))
            targets = F.pad(targets, (0, pad), value=IGNORE_INDEX)
        total = hidden.new_zeros((), dtype=torch.float32)
        for start in range(0, hidden.shape[0], self.chunk_tokens):
            part = slice(start, start + self.chunk_tokens)
            total = total + checkpoint(self.loss, hidden[part], weight, targets[part], use_reentrant=False)
        return total, keep.sum()
