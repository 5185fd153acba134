"""Named model sizes: preset name -> `GotOcr2Config`, the class `transformers` ships for GOT.

Building on `transformers`' own GOT classes means every checkpoint we write loads with plain
`GotOcr2ForConditionalGeneration.from_pretrained`, and the released GOT weights fine-tune here.

| preset | encoder | decoder | stage |
| --- | --- | --- | --- |
| `got-580m` | ViTDet-B, 1024 px, 256 tokens | Qwen 0.5B (1024 wide, 24 layers) | 2, 3 (the paper's GOT) |
| `got-opt125m` | ViTDet-B, 1024 px, 256 tokens | OPT-125M-sized (768 wide, 12 layers) | 1 (the paper's encoder pre-training) |
| `tiny` | 64 wide, 2 layers, 256 px, 16 tokens | Qwen2 64 wide, 2 layers | CPU tests |
| `tiny-opt` | as `tiny` | OPT 64 wide, 2 layers | CPU tests of the stage-1 path |

Two deliberate departures from the paper, both forced by `transformers`' GOT class:
- Its projector sizes the second stride-2 conv *and* the Linear by the decoder's width
  (conv 512->H, Linear(H, H)), so stage 1 is conv(512->768) + Linear(768, 768) where the paper
  had conv(512->1024) + Linear(1024, 768). Moving to stage 2, the ViTDet, its neck and the first
  conv carry over; the second conv and the Linear start afresh.
- OPT keeps its embedding at `decoder.embed_tokens`, not where the class ties the head, so the
  OPT decoders have an untied LM head (OPT-125M ties it). Stage 1's decoder is discarded anyway.
All decoders use GOT's vocabulary (151,860 tokens: Qwen's BPE + GOT's image tokens), so every
stage shares the engines' tokenizer.
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from transformers import GotOcr2Config, OPTConfig, Qwen2Config

from tokenizer.protocol import IMAGE_TOKEN_ID, NECK_STRIDE, PATCH, VOCAB_SIZE, image_tokens


def _vitdet_b(image_size: int) -> dict[str, Any]:
    return dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, mlp_dim=3072,
                output_channels=256, image_size=image_size, patch_size=PATCH, window_size=14,
                global_attn_indexes=[2, 5, 8, 11], initializer_range=0.02)


def _vit_tiny(image_size: int) -> dict[str, Any]:
    return dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, mlp_dim=128,
                output_channels=32, image_size=image_size, patch_size=PATCH, window_size=4,
                global_attn_indexes=[1], initializer_range=0.02)


def _qwen(**sizes: Any) -> Qwen2Config:
    """GOT's Qwen decoder (GotOcr2Config's defaults: rope 1e6, tied head), resized."""
    base = GotOcr2Config().text_config.to_dict()
    base.update(sizes, vocab_size=VOCAB_SIZE)
    base.pop("layer_types", None)  # recomputed from num_hidden_layers
    return Qwen2Config(**base)


def _opt(**sizes: Any) -> OPTConfig:
    return OPTConfig(vocab_size=VOCAB_SIZE, tie_word_embeddings=False, **sizes)


def _got(vision: dict[str, Any], text: Any, image_size: int) -> GotOcr2Config:
    return GotOcr2Config(vision_config=vision, text_config=text, image_token_index=IMAGE_TOKEN_ID,
                         image_seq_length=image_tokens(image_size),
                         tie_word_embeddings=bool(text.tie_word_embeddings))


def got_580m(image_size: int = 1024) -> GotOcr2Config:
    return _got(_vitdet_b(image_size), _qwen(), image_size)


def got_opt125m(image_size: int = 1024) -> GotOcr2Config:
    # OPT-125M's sizes; 8,192 learned positions so any stage's sequences fit (OPT-125M has 2,048).
    opt = _opt(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, ffn_dim=3072,
               word_embed_proj_dim=768, max_position_embeddings=8192)
    return _got(_vitdet_b(image_size), opt, image_size)


def tiny(image_size: int = 256) -> GotOcr2Config:
    text = _qwen(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2,
                 num_key_value_heads=2)
    return _got(_vit_tiny(image_size), text, image_size)


def tiny_opt(image_size: int = 256) -> GotOcr2Config:
    opt = _opt(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, ffn_dim=128,
               word_embed_proj_dim=64, max_position_embeddings=2048, dropout=0.0)
    return _got(_vit_tiny(image_size), opt, image_size)


Preset = Literal["got-580m", "got-opt125m", "tiny", "tiny-opt"]  # the --preset choices: the keys of PRESETS
PRESETS: dict[Preset, Callable[..., GotOcr2Config]] = {
    "got-580m": got_580m,
    "got-opt125m": got_opt125m,
    "tiny": tiny,
    "tiny-opt": tiny_opt,
}


def build_config(name: str, image_size: int | None = None) -> GotOcr2Config:
    """The preset's config, at `image_size` (a multiple of 64) if given.

    Raises:
        ValueError: unknown preset (the message lists the known ones) or a bad image size.
    """
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; known presets: {', '.join(PRESETS)}")
    if image_size is None:
        return PRESETS[name]()
    if image_size <= 0 or image_size % (PATCH * NECK_STRIDE):
        raise ValueError(f"image size {image_size} must be a positive multiple of {PATCH * NECK_STRIDE}")
    return PRESETS[name](image_size)
