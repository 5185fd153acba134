"""Greedy OCR with a GOT checkpoint: images and a GOT query in, text out, batched.

Images go through exactly the preprocessing the trainer's loader uses (`shards.preprocess`:
bicubic square, CLIP normalisation, multi-crop tiles, one image per page), and the ids through
GOT's chat template (`tokenizer.got`), so a model is read the way it was trained. Batches are
left-padded, as decoder-only generation needs; decoding stops at `<|im_end|>`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from PIL import Image
from transformers import GotOcr2ForConditionalGeneration

from shards.preprocess import encoder_images, to_pixel_values
from tokenizer.got import get_tokenizer


@dataclass
class Query:
    """One OCR request: the decoded image frames (pages for multi_page), GOT's prompt, the task."""

    frames: list[Image.Image]
    prompt: str
    task: str = "plain"


@torch.inference_mode()
def read(model: GotOcr2ForConditionalGeneration, queries: list[Query], max_new_tokens: int = 4096,
         max_tiles: int = 6) -> list[str]:
    """Greedy answers for `queries`, in order, decoded without special tokens."""
    tok = get_tokenizer()
    size = model.config.vision_config.image_size
    device = next(model.parameters()).device
    prompts, images = [], []
    for q in queries:
        squares = encoder_images(q.frames, q.task, size, max_tiles)
        images += squares
        prompts.append(tok.chat_prefix_ids(q.prompt, model.config.image_seq_length * len(squares)))
    length = max(len(p) for p in prompts)
    input_ids = torch.full((len(prompts), length), tok.pad_id, dtype=torch.long)
    attention_mask = torch.zeros_like(input_ids)
    for row, ids in enumerate(prompts):
        input_ids[row, length - len(ids):] = torch.tensor(ids)
        attention_mask[row, length - len(ids):] = 1
    pixel_values = to_pixel_values(images, size).to(device, next(model.parameters()).dtype)
    out = model.generate(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                         pixel_values=pixel_values, max_new_tokens=max_new_tokens, do_sample=False,
                         eos_token_id=tok.im_end_id, pad_token_id=tok.pad_id)
    return [tok.decode(row[length:].tolist()) for row in out.cpu()]
