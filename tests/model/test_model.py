"""The model side: presets, the fast encoder attention, the loss, checkpoints, init, inference."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import torch
import transformers
from PIL import Image, ImageDraw
from transformers import (
    AutoModelForImageTextToText,
    AutoProcessor,
    AutoTokenizer,
    GotOcr2ForConditionalGeneration,
    GotOcr2Processor,
    pipeline,
)
from transformers.models.got_ocr2.modeling_got_ocr2 import GotOcr2VisionAttention

from model import checkpoint, infer
from model.build import InitError, build_model, part_of, set_trainable
from model.fast import SdpaVisionAttention, use_sdpa_encoder
from model.generate import Query, read
from model.hf_processor import hf_processor
from model.loss import IGNORE_INDEX, AnswerLoss, aligned_chunk_loss, chunk_loss
from model.presets import IMAGE_TOKEN_ID, VOCAB_SIZE, build_config, image_tokens
from shards.preprocess import to_pixel_values
from tokenizer.got import IGNORE_INDEX as TOKENIZER_IGNORE
from tokenizer.got import get_tokenizer
from tokenizer.protocol import PROMPT_MULTI_PAGE


def tiny_model(preset: str = "tiny", seed: int = 0) -> GotOcr2ForConditionalGeneration:
    torch.manual_seed(seed)
    return GotOcr2ForConditionalGeneration(build_config(preset)).eval()


def chat_batch(model: GotOcr2ForConditionalGeneration, targets: list[str]) -> dict[str, torch.Tensor]:
    """A right-padded batch built with GOT's template, one random image per sample."""
    tok = get_tokenizer()
    pairs = [tok.encode_chat("OCR: ", t, model.config.image_seq_length) for t in targets]
    length = max(len(ids) for ids, _ in pairs)
    ids = torch.full((len(pairs), length), tok.pad_id)
    labels = torch.full((len(pairs), length), IGNORE_INDEX)
    mask = torch.zeros((len(pairs), length), dtype=torch.long)
    for row, (i, lab) in enumerate(pairs):
        ids[row, :len(i)], labels[row, :len(i)], mask[row, :len(i)] = torch.tensor(i), torch.tensor(lab), 1
    size = model.config.vision_config.image_size
    return {"input_ids": ids, "attention_mask": mask, "labels": labels,
            "pixel_values": torch.randn(len(pairs), 3, size, size)}


def test_presets_are_the_papers_sizes() -> None:
    with torch.device("meta"):
        got = GotOcr2ForConditionalGeneration(build_config("got-580m"))
        stage1 = GotOcr2ForConditionalGeneration(build_config("got-opt125m"))
    assert 550e6 < sum(p.numel() for p in got.parameters()) < 600e6
    assert got.config.image_seq_length == 256 and got.config.vision_config.image_size == 1024
    assert (got.config.text_config.hidden_size, got.config.text_config.num_hidden_layers) == (1024, 24)
    assert got.config.vision_config.global_attn_indexes == [2, 5, 8, 11]
    text = stage1.config.text_config
    assert (text.model_type, text.hidden_size, text.num_hidden_layers, text.ffn_dim) == ("opt", 768, 12, 3072)
    assert stage1.model.multi_modal_projector.multimodal_projector.weight.shape == (768, 768)
    assert build_config("tiny").image_seq_length == image_tokens(256) == 16
    assert build_config("tiny", 512).image_seq_length == 64
    tok = get_tokenizer()
    assert (VOCAB_SIZE, IMAGE_TOKEN_ID, IGNORE_INDEX) == (tok.vocab_size, tok.image_token_id, TOKENIZER_IGNORE)
    with pytest.raises(ValueError, match="unknown preset 'big'; known presets: got-580m, got-opt125m, tiny"):
        build_config("big")
    with pytest.raises(ValueError, match="must be a positive multiple of 64"):
        build_config("tiny", 100)


@pytest.mark.slow
def test_sdpa_encoder_attention_computes_transformers_function() -> None:
    eager = tiny_model().double()
    for name, p in eager.model.vision_tower.named_parameters():
        if "rel_pos" in name or "pos_embed" in name:
            torch.nn.init.normal_(p, std=0.5)  # zero at init: make the bias matter
    fast = copy.deepcopy(eager)
    assert use_sdpa_encoder(fast) == eager.config.vision_config.num_hidden_layers == 2
    assert all(isinstance(layer.attn, SdpaVisionAttention) for layer in fast.model.vision_tower.layers)
    assert use_sdpa_encoder(fast) == 0  # a second call finds every layer already swapped: no error
    pixels = torch.randn(2, 3, 256, 256, dtype=torch.float64)
    a = eager.model.vision_tower(pixels).last_hidden_state
    b = fast.model.vision_tower(pixels).last_hidden_state
    assert torch.allclose(a, b, rtol=1e-6, atol=1e-6)
    weights = torch.randn_like(a)
    (a * weights).sum().backward()
    (b * weights).sum().backward()
    for (name, pa), pb in zip(eager.model.vision_tower.named_parameters(), fast.model.vision_tower.parameters()):
        assert torch.allclose(pa.grad, pb.grad, rtol=1e-5, atol=1e-6 * pa.grad.abs().max()), name
    assert set(eager.state_dict()) == set(fast.state_dict())  # checkpoints keep transformers' names


def test_sdpa_swap_fails_loudly_when_transformers_renames_the_attention() -> None:
    class RenamedAttention(GotOcr2VisionAttention):
        """What a transformers release that subclasses or renames the encoder's attention builds."""

    model = tiny_model()
    for layer in model.model.vision_tower.layers:
        layer.attn.__class__ = RenamedAttention
    version = re.escape(transformers.__version__)
    with pytest.raises(RuntimeError, match=rf"swapped 0 of the GOT encoder's 2 .* {version} .*RenamedAttention"):
        use_sdpa_encoder(model)
    model.model.vision_tower.layers[0].attn.__class__ = GotOcr2VisionAttention
    with pytest.raises(RuntimeError, match="swapped 1 of the GOT encoder's 2"):
        use_sdpa_encoder(model)
    assert use_sdpa_encoder(torch.nn.Linear(2, 2)) == 0  # no GOT encoder: nothing to swap, nothing to check


@pytest.mark.slow
def test_answer_loss_is_transformers_loss_on_answer_tokens() -> None:
    model = tiny_model()
    batch = chat_batch(model, ["short", "a somewhat longer target with more tokens"])
    reference = model(**batch).loss
    total, n = AnswerLoss(model)(**batch)
    assert n == (batch["labels"][:, 1:] != IGNORE_INDEX).sum()
    assert torch.allclose(total / n, reference, atol=1e-5)
    chunked, _ = AnswerLoss(model, chunk_tokens=3)(**batch)  # several recomputed chunks
    assert torch.allclose(chunked, total, atol=1e-4)
    hidden, weight = torch.randn(9, 64), model.lm_head.weight
    labels = torch.tensor([1, 5, IGNORE_INDEX, 151000, 7, 8, 9, 10, IGNORE_INDEX])
    assert torch.allclose(aligned_chunk_loss(hidden, weight, labels), chunk_loss(hidden, weight, labels))


@pytest.mark.slow
def test_checkpoint_loads_with_plain_transformers_and_generates(tmp_path: Path) -> None:
    model = tiny_model()
    state = {"step": 5, "optimizer": {}, "config": {}}
    path = checkpoint.save(tmp_path, 5, model, model.state_dict(), state)
    assert path == checkpoint.step_dir(tmp_path, 5) and checkpoint.latest(tmp_path) == path
    loaded = GotOcr2ForConditionalGeneration.from_pretrained(path).eval()
    for key, value in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key
    tok = get_tokenizer()
    ids = torch.tensor([tok.chat_prefix_ids("OCR: ", loaded.config.image_seq_length)])
    out = loaded.generate(input_ids=ids, pixel_values=torch.randn(1, 3, 256, 256), max_new_tokens=4,
                          do_sample=False)
    assert out.shape[1] > ids.shape[1] and loaded.generation_config.eos_token_id == tok.im_end_id
    hf = AutoTokenizer.from_pretrained(path)
    text = 'Hello 世界 {"title": "GDP", "values": {"a": 1.5}}\n  x'
    assert hf.encode(text, add_special_tokens=False) == tok.encode(text)
    assert hf.convert_tokens_to_ids("<imgpad>") == tok.image_token_id and len(hf) == tok.vocab_size
    assert checkpoint.load_trainer_state(path)["step"] == 5

    with pytest.raises(FileExistsError, match="never overwritten"):
        checkpoint.save(tmp_path, 5, model, model.state_dict(), state)
    (tmp_path / ".tmp-step-00000009-dead").mkdir()  # what a killed save leaves
    (tmp_path / "step-00000008").mkdir()  # a folder without trainer state is not a checkpoint
    assert checkpoint.latest(tmp_path) == path
    checkpoint.save(tmp_path, 6, model, model.state_dict(), state)
    assert not list(tmp_path.glob(".tmp-*")) and checkpoint.resolve_model_dir(str(tmp_path)).endswith("step-00000006")


def test_resolve_model_dir_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(checkpoint.CheckpointError, match=r"nor a run folder with a complete step-\* checkpoint"):
        checkpoint.resolve_model_dir(str(tmp_path))
    with pytest.raises(checkpoint.CheckpointError, match="no such folder"):
        checkpoint.resolve_model_dir(str(tmp_path / "missing"))
    with pytest.raises(checkpoint.CheckpointError, match="download it first .* or pass a local folder"):
        checkpoint.resolve_model_dir("no-such-org/GOT-nothing")


@pytest.mark.slow
def test_init_from_stage1_copies_the_encoder_only(tmp_path: Path) -> None:
    stage1 = tiny_model("tiny-opt", seed=1)
    stage1.save_pretrained(tmp_path / "stage1")
    model, report = build_model("tiny", str(tmp_path / "stage1"), None)
    theirs = stage1.state_dict()
    for name, value in model.state_dict().items():
        if part_of(name) == "encoder" and "conv_upsampler2" not in name:
            assert torch.equal(value, theirs[name]), name
            assert name not in report.fresh
    assert all(part_of(name) != "encoder" or "conv_upsampler2" in name for name in report.fresh)
    assert "model.language_model.embed_tokens.weight" in report.fresh
    assert torch.equal(model.lm_head.weight, model.get_input_embeddings().weight)  # the tied head follows
    whole, none = build_model(None, str(tmp_path / "stage1"), None)
    assert none is None and whole.config.text_config.model_type == "opt"
    with pytest.raises(InitError, match="--image-size 512 differs"):
        build_model(None, str(tmp_path / "stage1"), 512)


@pytest.mark.slow
def test_decoder_training_freezes_the_encoder_and_convs() -> None:
    model = tiny_model()
    counts = set_trainable(model, "decoder")
    assert counts["encoder"] == 0 and counts["projector"] > 0 and counts["decoder"] > 0
    assert not model.model.vision_tower.patch_embed.projection.weight.requires_grad
    assert not model.model.multi_modal_projector.conv_upsampler2.weight.requires_grad
    assert model.model.multi_modal_projector.multimodal_projector.weight.requires_grad
    assert set_trainable(model, "encoder")["decoder"] == 0
    with pytest.raises(ValueError, match="choose one of all, decoder, encoder"):
        set_trainable(model, "head")


@pytest.mark.slow
def test_infer_builds_gots_queries_and_reads(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((10, 80), "GOT", fill="black")
    args = infer.parse_args(["x.png", "--ckpt", "c", "--box", "100,50,300,150", "--format"])
    assert infer.build_query(args, [image]).prompt == "[250, 250, 750, 750] OCR with format: "
    assert infer.build_query(infer.parse_args(["x.png", "--ckpt", "c", "--color", "red"]), [image]).prompt \
        == "[red] OCR: "
    assert infer.build_query(infer.parse_args(["a", "b", "--ckpt", "c", "--multi-page"]), [image, image]).prompt \
        == "OCR with format across multi pages: "

    model = tiny_model()
    ckpt = checkpoint.save(tmp_path / "run", 1, model, model.state_dict(), {"step": 1})
    png = tmp_path / "x.png"
    image.save(png)
    assert infer.main([str(png), "--ckpt", str(tmp_path / "run"), "--max-new-tokens", "3"]) == 0
    assert capsys.readouterr().out.endswith("\n")  # an untrained model's three tokens, whatever they are
    assert infer.main([str(png), str(png), "--ckpt", str(ckpt)]) == 2
    assert "pass --multi-page" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        infer.parse_args([str(png), "--ckpt", str(ckpt), "--box", "3,4,1,2"])
    assert e.value.code == 2 and "is not x1,y1,x2,y2" in capsys.readouterr().err


@pytest.mark.slow
def test_batched_generation_left_pads_without_changing_scores() -> None:
    model, tok = tiny_model(), get_tokenizer()
    short = tok.chat_prefix_ids("OCR: ", 16)
    long = tok.chat_prefix_ids("[12, 34, 56, 78] OCR with format: ", 16)
    pixels = torch.randn(2, 3, 256, 256)

    def scores(prompts: list[list[int]], px: torch.Tensor) -> tuple[torch.Tensor, ...]:
        width = max(map(len, prompts))
        ids = torch.full((len(prompts), width), tok.pad_id)
        mask = torch.zeros_like(ids)
        for row, p in enumerate(prompts):
            ids[row, width - len(p):], mask[row, width - len(p):] = torch.tensor(p), 1
        return model.generate(input_ids=ids, attention_mask=mask, pixel_values=px, max_new_tokens=3,
                              do_sample=False, output_scores=True, return_dict_in_generate=True,
                              eos_token_id=tok.im_end_id, pad_token_id=tok.pad_id).scores

    batched, alone = scores([short, long], pixels), scores([short], pixels[:1])
    assert all(torch.allclose(b[0], a[0], atol=1e-5) for b, a in zip(batched, alone))


@pytest.mark.slow
def test_checkpoint_runs_with_transformers_processor_pipeline_and_docs_examples(tmp_path: Path) -> None:
    """What transformers' GOT-OCR2 page does, on our checkpoint: AutoProcessor, generate, decode, pipeline."""
    ckpt = checkpoint.save(tmp_path, 1, tiny_model(), tiny_model().state_dict(), {"step": 1})
    model = AutoModelForImageTextToText.from_pretrained(ckpt).eval()
    processor = AutoProcessor.from_pretrained(ckpt)
    assert isinstance(processor, GotOcr2Processor)
    full = hf_processor(build_config("got-580m"))  # 1024 px, 256 tokens: transformers' own default, nothing added
    assert full.image_processor.size.height == 1024 and "num_image_tokens" not in full.tokenizer.init_kwargs
    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).text((10, 80), "GOT", fill="red")
    wide = image.resize((1200, 200))

    def answer(inputs: dict[str, torch.Tensor], **docs: Any) -> list[str]:
        ids = model.generate(**inputs, do_sample=False, max_new_tokens=3, **docs)
        return processor.batch_decode(ids[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)

    # the docs' examples (plain, batched, formatted, multi-page, cropped patches, colour, box) give the model
    # as many image tokens as it makes features; one generates exactly as the docs write it
    for inputs in (processor(image, return_tensors="pt"), processor([image, wide], return_tensors="pt"),
                   processor(image, return_tensors="pt", format=True),
                   processor([image, image], return_tensors="pt", multi_page=True, format=True),
                   processor(wide, return_tensors="pt", format=True, crop_to_patches=True, max_patches=3),
                   processor(image, return_tensors="pt", color="green"),
                   processor(image, return_tensors="pt", box=[10, 10, 200, 150])):
        tokens = model.config.image_seq_length * len(inputs["pixel_values"])
        assert (inputs["input_ids"] == IMAGE_TOKEN_ID).sum() == tokens
    batched = processor([image, wide], return_tensors="pt")
    assert len(answer(batched, tokenizer=processor.tokenizer, stop_strings="<|im_end|>")) == 2

    # the chat template writes GOT's own prompt, so generate answers as our reader (model.generate.read) does
    tok = get_tokenizer()
    for prompt, task, frames in (("OCR: ", "plain", [image]), ("[red] OCR with format: ", "color", [image]),
                                 (PROMPT_MULTI_PAGE, "multi_page", [image, wide])):
        messages = [{"role": "user", "content": [*[{"type": "image"}] * len(frames), {"type": "text", "text": prompt}]}]
        text = processor.apply_chat_template(messages, add_generation_prompt=True)
        inputs = processor(frames if len(frames) == 1 else [frames], text=text, multi_page=len(frames) > 1,
                           return_tensors="pt")
        assert inputs["input_ids"][0].tolist() == tok.chat_prefix_ids(prompt, 16 * len(frames))
        assert torch.allclose(inputs["pixel_values"], to_pixel_values(frames, 256), atol=0.05)
        assert answer(inputs) == read(model, [Query(frames, prompt, task)], max_new_tokens=3)

    pipe = pipeline("image-text-to-text", model=str(ckpt))
    text = processor.apply_chat_template([{"role": "user", "content": [{"type": "image"},
                                                                       {"type": "text", "text": "OCR: "}]}],
                                         add_generation_prompt=True)
    out = pipe(images=image, text=text, max_new_tokens=3, return_full_text=False)
    assert out[0]["generated_text"] == read(model, [Query([image], "OCR: ")], max_new_tokens=3)[0]
