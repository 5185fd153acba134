"""The streaming loader: GOT-ready batches, ranks, token limit, resume, and a real charts build.

Real shards, real webdataset, real DataLoader worker processes. Images are 256 px with 16
`<imgpad>` per image (the tiny preset) except in the one 1024 px check.
"""

from __future__ import annotations

import math
from itertools import islice
from pathlib import Path

import pytest
import torch
from transformers import GotOcr2Config, GotOcr2ForConditionalGeneration
from transformers.models.got_ocr2.image_processing_pil_got_ocr2 import GotOcr2ImageProcessorPil

from conftest import page_image, write_build, write_mix
from shards.loader import LoaderConfig, make_loader
from shards.mix import MixError
from shards.preprocess import CLIP_MEAN, CLIP_STD, encoder_images, tile_image, to_pixel_values
from shards.stream import rank_shards
from tokenizer.got import IGNORE_INDEX, get_tokenizer

TINY = {"image_size": 256, "image_tokens": 16}


@pytest.fixture(scope="module")
def stage(tmp_path_factory) -> Path:
    """A stage-2-like mix: plain pages, 3-page samples, multi-crop images, and a carried stage."""
    root = tmp_path_factory.mktemp("stage")
    write_build(root / "data/plain", "plain", 120, 20, size=(200, 120))
    write_build(root / "data/pages", "pages", 40, 10, task="multi_page", size=(120, 160))
    write_build(root / "data/crops", "crops", 40, 10, task="multi_crop", size=(600, 200))
    write_build(root / "data/old", "old", 120, 20)
    write_mix(root / "s1.yaml", "stage: 1\nmax_target_tokens: 50\nsources:\n"
              "  - {name: old, shards: 'data/old/*.tar', weight: 1}\n")
    write_mix(root / "s2.yaml", "stage: 2\nmax_target_tokens: 50\nsources:\n"
              "  - {name: plain, shards: 'data/plain/*.tar', weight: 1}\n"
              "  - {name: pages, shards: 'data/pages/*.tar', weight: 1}\n"
              "  - {name: crops, shards: 'data/crops/*.tar', weight: 1}\n"
              "carry: {mix: s1.yaml, fraction: 0.8, weight: 1}\n")
    return root


def config(root: Path, **kw) -> LoaderConfig:
    return LoaderConfig(**{"mix": str(root / "s2.yaml"), "root": str(root), "batch_size": 4,
                           "shuffle_buffer": 50, "num_workers": 2, **TINY, **kw})


def test_preprocessing_matches_transformers_got_processor():
    page, wide = page_image("a page of text", (300, 420)), page_image("a wide strip " * 4, (700, 200))
    reference = GotOcr2ImageProcessorPil(size={"height": 256, "width": 256})
    for image in (page, wide):
        ours = to_pixel_values(encoder_images([image], "plain", 256, 6), 256)
        assert torch.allclose(ours, reference(image, return_tensors="pt")["pixel_values"], atol=1e-5)
        ours = to_pixel_values(encoder_images([image], "multi_crop", 256, 6), 256)
        theirs = reference(image, crop_to_patches=True, max_patches=6, return_tensors="pt")["pixel_values"]
        assert ours.shape == theirs.shape and torch.allclose(ours, theirs, atol=1e-5)
    assert len(tile_image(wide, 256, 6)) == 4 + 1  # a 4x1 grid for a 3.5:1 strip, then the thumbnail


def test_batches_are_ready_for_got(stage):
    tok = get_tokenizer()
    batches = list(islice(make_loader(config(stage)), 6))
    engines = {e for b in batches for e in b["engines"]}
    assert engines == {"plain", "pages", "crops", "old"}
    for batch in batches:
        n = len(batch["keys"])
        assert batch["pixel_values"].dtype == torch.float32
        assert batch["pixel_values"].shape == (sum(batch["num_images"]), 3, 256, 256)
        assert batch["input_ids"].dtype == batch["labels"].dtype == batch["attention_mask"].dtype == torch.int64
        for row, (engine, images) in enumerate(zip(batch["engines"], batch["num_images"], strict=True)):
            assert images == {"plain": 1, "old": 1, "pages": 3, "crops": 4}[engine]  # crops: 3 tiles + thumbnail
            ids, labels, mask = batch["input_ids"][row], batch["labels"][row], batch["attention_mask"][row]
            length = int(mask.sum())
            assert mask[:length].all() and not mask[length:].any()
            assert (ids[length:] == tok.pad_id).all() and (labels[length:] == IGNORE_INDEX).all()
            pads = (ids == tok.image_token_id).nonzero().flatten()
            assert len(pads) == 16 * images and (pads.diff() == 1).all()  # one run inside <img>...</img>
            assert ids[pads[0] - 1] == tok.img_start_id and ids[pads[-1] + 1] == tok.img_end_id
            answer = labels[labels != IGNORE_INDEX].tolist()
            assert answer[-1] == tok.im_end_id
            assert tok.decode(answer) == f"line {int(batch['keys'][row].rsplit('_', 1)[1])}"
            assert ids[length - len(answer):length].tolist() == answer
        assert n == 4


@pytest.mark.slow
def test_a_batch_trains_transformers_got_model(stage):
    """GotOcr2ForConditionalGeneration scatters image features into the <imgpad> runs in order:
    counts and order must match, or it raises. A tiny config (256 px -> 16 tokens) keeps it fast."""
    model = GotOcr2ForConditionalGeneration(GotOcr2Config(
        vision_config={"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "image_size": 256,
                       "window_size": 4, "global_attn_indexes": [1], "mlp_dim": 64, "output_channels": 16},
        text_config={"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 2,
                     "intermediate_size": 64, "vocab_size": 151860},
        image_seq_length=16))
    batch = next(iter(make_loader(config(stage, num_workers=0, batch_size=6))))
    assert max(batch["num_images"]) > 1
    loss = model(**{k: batch[k] for k in ("pixel_values", "input_ids", "attention_mask", "labels")}).loss
    loss.backward()
    assert torch.isfinite(loss) and loss.item() == pytest.approx(math.log(151860), rel=0.05)


@pytest.mark.slow
def test_one_batch_at_1024(stage):
    batch = next(iter(make_loader(config(stage, image_size=1024, image_tokens=256, num_workers=0, batch_size=2))))
    assert batch["pixel_values"].shape[1:] == (3, 1024, 1024)
    assert (batch["input_ids"] == get_tokenizer().image_token_id).sum() == 256 * sum(batch["num_images"])
    white = torch.tensor([(1 - m) / s for m, s in zip(CLIP_MEAN, CLIP_STD, strict=True)])
    assert torch.allclose(batch["pixel_values"][0, :, 1000, 1000], white, atol=1e-5)  # the page's white margin


def test_two_ranks_read_disjoint_shards(stage):
    loaders = [make_loader(config(stage, shuffle_buffer=0), rank, 2) for rank in (0, 1)]
    keys = [{k for b in islice(loader, 8) for k in b["keys"]} for loader in loaders]
    assert keys[0] and keys[1] and not keys[0] & keys[1]
    for source in loaders[0].spec.sources:
        assert not set(rank_shards(source, 0, 2)) & set(rank_shards(source, 1, 2))
    with pytest.raises(ValueError, match=r"source pages has 4 shard\(s\) for world_size 5; every rank needs"):
        make_loader(config(stage), 0, 5)


def test_samples_over_the_token_limit_are_dropped_and_counted(stage):
    write_build(stage / "data/long", "long", 40, 10, target=lambda i: "many words " * (30 + i))
    mix = write_mix(stage / "long.yaml", "stage: 1\nmax_target_tokens: 50\nsources:\n"
                    "  - {name: plain, shards: 'data/plain/*.tar', weight: 1}\n"
                    "  - {name: long, shards: 'data/long/*.tar', weight: 1}\n")
    loader = make_loader(config(stage, mix=mix, num_workers=0, length_pool=1))  # no read-ahead: exact drops
    batches = list(islice(loader, 10))
    assert {e for b in batches for e in b["engines"]} == {"plain"}
    counters = loader.counters
    assert counters["batches"] == 10 and counters["samples"] == counters["samples/plain"] == 40
    assert 20 < counters["dropped_over_token_limit"] < 60  # about as many long draws as plain ones
    assert "samples/long" not in counters
    higher = make_loader(config(stage, mix=mix, num_workers=0, max_target_tokens=100_000))
    assert {e for b in islice(higher, 10) for e in b["engines"]} == {"plain", "long"}


def test_length_grouping_regroups_a_pool_into_even_batches(stage):
    write_build(stage / "data/varied", "varied", 96, 24, target=lambda i: "word " * (1 + (i * 37) % 90))
    mix = write_mix(stage / "varied.yaml", "stage: 1\nmax_target_tokens: 200\nsources:\n"
                    "  - {name: varied, shards: 'data/varied/*.tar', weight: 1}\n")

    def first_pool(length_pool: int) -> list[dict]:
        return list(islice(make_loader(config(stage, mix=mix, num_workers=0, length_pool=length_pool)), 8))

    plain, grouped = first_pool(1), first_pool(8)
    keys = [sorted(k for b in run for k in b["keys"]) for run in (plain, grouped)]
    assert keys[0] == keys[1] and len(set(keys[0])) == 32  # the same samples, regrouped

    def useful(run: list[dict]) -> float:  # share of the padded batch that is real tokens
        return sum(int(b["attention_mask"].sum()) for b in run) / sum(b["attention_mask"].numel() for b in run)

    assert useful(plain) < 0.8 < 0.95 < useful(grouped)
    lengths = [b["attention_mask"].sum(1).tolist() for b in grouped]
    assert lengths != sorted(lengths, key=max)  # batches are served shuffled, not shortest first


@pytest.mark.slow
def test_resume_yields_exactly_the_batches_an_uninterrupted_loader_would(stage):
    uninterrupted = iter(make_loader(config(stage)))
    expected = list(islice(uninterrupted, 8))
    first = make_loader(config(stage))
    consumed = list(islice(first, 3))
    assert [b["keys"] for b in consumed] == [b["keys"] for b in expected[:3]]
    state = first.state_dict()
    assert state["batches"] == 3

    resumed = make_loader(config(stage))
    resumed.load_state_dict(state)
    for got, want in zip(islice(resumed, 5), expected[3:], strict=True):
        assert got["keys"] == want["keys"]
        for name in ("pixel_values", "input_ids", "attention_mask", "labels"):
            assert torch.equal(got[name], want[name]), name
    assert resumed.counters["batches"] == 8


def test_resume_refuses_a_different_stream(stage):
    state = make_loader(config(stage)).state_dict()
    other = make_loader(config(stage, num_workers=3))
    with pytest.raises(ValueError, match=r"cannot resume: num_workers differs from the saved state \(2, now 3\)"):
        other.load_state_dict(state)


def test_missing_sources_stream_only_when_allowed(stage):
    mix = write_mix(stage / "gap.yaml", "stage: 1\nmax_target_tokens: 50\nsources:\n"
                    "  - {name: plain, shards: 'data/plain/*.tar', weight: 1}\n"
                    "  - {name: formulas, shards: 'data/formulas/*.tar', weight: 1}\n")
    with pytest.raises(MixError, match=r"have no shards: formulas .*allow_missing=True"):
        make_loader(config(stage, mix=mix))
    batch = next(iter(make_loader(config(stage, mix=mix, allow_missing=True, num_workers=0))))
    assert set(batch["engines"]) == {"plain"}


@pytest.mark.slow
def test_streams_a_real_charts_build(built_charts, tmp_path):
    mix = write_mix(tmp_path / "charts.yaml", "stage: 2\nmax_target_tokens: 6000\nsources:\n"
                    f"  - {{name: charts, shards: '{built_charts.name}/charts-*.tar', weight: 1}}\n")
    # unshuffled, a pool of 4 batches of 2 stays inside one pass over a worker's 16 samples
    loader = make_loader(config(built_charts.parent, mix=mix, batch_size=2, num_workers=2, shuffle_buffer=0,
                                length_pool=4))
    batches = list(islice(loader, 3))
    keys = [k for b in batches for k in b["keys"]]
    assert len(set(keys)) == 6 and all(k.startswith("charts_") for k in keys)
    for batch in batches:
        assert batch["num_images"] == [1, 1] and batch["pixel_values"].shape == (2, 3, 256, 256)
        assert torch.isfinite(batch["pixel_values"]).all()
        image_ids = (batch["input_ids"] == get_tokenizer().image_token_id).sum(1)
        assert image_ids.tolist() == [16, 16]
        assert ((batch["labels"] != IGNORE_INDEX).sum(1) > 1).all()  # a non-empty answer + <|im_end|>
    assert loader.counters["samples/charts"] == 6


@pytest.mark.parametrize("members", [{"json": b"{}"}, {"json": b"{}", "png": b"x", "txt": b"x"},
                                     {"png": b"x", "jpg": b"x"}, {"json": b"{}", "jpg": b"x"}])
def test_malformed_samples_are_refused_by_every_reader(tmp_path: Path, members: dict[str, bytes]) -> None:
    """The reader and the stream enforce one format: KEY.json plus KEY.png (a .jpg would load as no image)."""
    import fsspec

    from shards.reader import iter_shard
    from shards.stream import iter_tar
    from shards.writer import ShardWriter

    path = str(tmp_path / "bad-000000.tar")
    with ShardWriter(fsspec.filesystem("file"), path) as writer:
        writer.write("bad_0000000000", members)
    message = r"sample bad_0000000000 has members .*; expected json \+ png"
    with pytest.raises(ValueError, match=message):
        list(iter_shard(path))
    with pytest.raises(ValueError, match=message):
        list(iter_tar(path))
