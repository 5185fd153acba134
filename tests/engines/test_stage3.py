"""The multipage and multicrop engines: token limits, page spans, tiles the encoder sees, per-page readers."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from bench.mutate import letter, on_a_page, swap_lines
from engines.base import Draw, Sample, SampleError, make_rng
from engines.multicrop import MulticropEngine
from engines.multicrop.engine import MIN_LINE_PX, MulticropConfig, tile_scale
from engines.multipage import MultipageEngine
from engines.multipage.engine import MultipageConfig
from pipelines.readers import get_reader
from pipelines.readers.ink import redraw_agreement
from renderers import capture
from shards.preprocess import encoder_images
from tokenizer.got import get_tokenizer

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier


def _record(sample: Sample) -> dict:
    return {"prompt": sample.prompt, "target": sample.target, "task": sample.task, "meta": json.dumps(sample.meta)}


@pytest.fixture(scope="module")
def multipage() -> list[Sample]:
    engine = MultipageEngine(MultipageConfig(max_pages=3))
    # the second group's document (the first group's is refused: a page's text layer shows words past a paragraph's
    # end before the next block's marker, as the split refuses; seen since a document reads its manual whole)
    out = engine.sample_batch([Draw(i, 0, make_rng(1, "multipage", i)) for i in (6, 7)])
    return [s for s in out if isinstance(s, Sample)]


def test_multipage_targets_hold_each_page_in_order_within_the_token_limits(multipage) -> None:
    count = get_tokenizer().count
    assert multipage
    for sample in multipage:
        spans = sample.meta["page_texts"]
        assert sample.task == "multi_page" and sample.prompt == "OCR with format across multi pages: "
        assert 2 <= len(sample.images) == len(spans) <= 3 and count(sample.target) <= 8192
        assert "\n\n".join(sample.target[s:e] for _, s, e in spans) == sample.target
        assert all(count(sample.target[s:e]) <= 650 for _, s, e in spans)
        assert len(encoder_images(sample.images, "multi_page", 1024, 6)) == len(spans)
        assert len({lang for lang, _, _ in spans}) == 1, spans  # one document's language, not a page of each
        _one_document(sample)


@pytest.mark.slow
def test_multipage_reader_reads_each_page_and_flags_pages_swapped(multipage) -> None:
    reader, threshold = get_reader("multipage")
    for sample in multipage:
        good = reader(_record(sample), sample.images)
        assert good.score >= 0.7 and len(good.details["pages"]) == len(sample.images), good
        swapped = reader(_record(sample), sample.images[::-1])
        assert swapped.score < min(good.score, threshold) - 0.2, swapped


@pytest.mark.slow
def test_multipage_pages_are_redrawn_from_their_own_meta_and_a_changed_letter_flags(multipage) -> None:
    """Each generated page keeps its style (`meta.page_meta`), so it is typeset again and compared pixel for pixel
    (a right page: 0 changed pixels), and one letter changed on one page flags the sample under the redraw's
    own threshold, where the order-free F1 of the page let it pass."""
    reader, _ = get_reader("multipage")
    sample = multipage[0]
    record = _record(sample)
    assert all(m["style"] for m in sample.meta["page_meta"]) and json.dumps(sample.meta)  # JSON-safe
    good = reader(record, sample.images)
    assert good.details["redrawn"] and good.score == 1.0 and good.threshold == 0.95, good
    assert good.details["pages"] == [1.0] * len(sample.images)
    broken = on_a_page(letter).apply(record, np.random.default_rng(0))
    reading = reader(broken, sample.images)
    assert reading.details["redrawn"] and reading.score < reading.threshold == 0.95, reading
    old = dict(record, meta=json.dumps({k: v for k, v in sample.meta.items() if k != "page_meta"}))
    assert reader(old, sample.images).threshold is None  # a build without page_meta: F1, the registered threshold


def _one_document(sample: Sample) -> None:
    """A sample's pages are a run of one document's: page indices counting up by one from `first_page`, one style
    but for the page number it prints, which counts up with them (or is never printed)."""
    pages = sample.meta["page_meta"]
    first = pages[0]["page_index"]
    assert [p["page_index"] for p in pages] == list(range(first, first + len(pages))), pages
    assert first == sample.meta["first_page"] and first + len(pages) <= sample.meta["document_pages"]
    assert {p["pages_in_document"] for p in pages} == {sample.meta["document_pages"]}
    assert len({json.dumps({**p["style"], "page": 0}) for p in pages}) == 1
    numbers = [p["style"]["page"] for p in pages]
    assert set(numbers) == {0} or numbers == list(range(numbers[0], numbers[0] + len(pages))), numbers
    for (_, start, end), number in zip(sample.meta["page_texts"], numbers):
        assert not number or sample.target[start:end].endswith(f"\n\n{number}")  # as the page prints it


def test_multipage_pages_are_consecutive_pages_of_one_document_alone_or_in_a_batch() -> None:
    """Samples 0-2 read one generated document (one pool): each a run of its consecutive pages, no two the same
    run, each the same drawn alone by a fresh engine as in a batch split elsewhere."""
    config = MultipageConfig(lang="en", max_pages=3, pool_pages=6, reuse=3)
    draws = [Draw(i, 0, make_rng(2, "multipage", i)) for i in range(3)]
    engine = MultipageEngine(config)
    batched = engine.sample_batch(draws[:2]) + engine.sample_batch(draws[2:])
    assert all(isinstance(s, Sample) for s in batched), batched
    for sample in batched:
        _one_document(sample)
    assert len({s.meta["document"] for s in batched}) == 1
    runs = [(s.meta["first_page"], len(s.images)) for s in batched]
    assert len(set(runs)) == len(runs), runs
    for i in (0, 2):
        alone = MultipageEngine(config).sample_batch([draws[i]])[0]
        assert alone.target == batched[i].target and alone.meta == batched[i].meta
        assert [im.tobytes() for im in alone.images] == [im.tobytes() for im in batched[i].images]


def test_a_page_inside_a_document_is_redrawn_from_its_meta() -> None:
    """A page that opens with the rest of a paragraph begun on the page before, and its document's last page, are
    each typeset again from their own target and meta, pixel for pixel; the continued page read as one opening
    a paragraph of its own (indented) does not match."""
    from engines.pages import PagesEngine

    engine = PagesEngine(PagesEngine.Config(lang="en", fill=4.0, page_tokens=600))
    document = next(d for seed in range(6) for d in engine.document_batch([Draw(seed, 0, make_rng(3, "pages", seed))])
                    if not isinstance(d, Exception) and any(
                        isinstance(p, Sample) and p.meta["page_index"] and p.meta["continued"]
                        and p.meta["style"]["parindent"] for p in d))
    pages = [p for p in document if isinstance(p, Sample)]
    continued = next(p for p in pages if p.meta["page_index"] and p.meta["continued"] and p.meta["style"]["parindent"])
    last = document[-1]
    assert isinstance(last, Sample) and last.meta["page_index"] == last.meta["pages_in_document"] - 1
    reader, _ = get_reader("pages")
    for page in (continued, last):
        reading = reader(_record(page), page.images)
        assert reading.details["redrawn"] and reading.score == 1.0, (page.meta["page_index"], reading)
    fresh = dict(_record(continued), meta=json.dumps({**continued.meta, "continued": False}))
    assert reader(fresh, continued.images).score < 0.95


@pytest.mark.shared_data
def test_multipage_from_real_papers_reads_consecutive_kept_pages_of_one_paper(shared_data, tmp_path) -> None:
    """With `--source`, a sample is a run of one paper's consecutive kept pages, each under 650 tokens; a group's
    samples never read the same run (a sample left none is refused, to be drawn again)."""
    import shutil

    shutil.copytree(shared_data / "tex/papers/sysid_neural_continuous", tmp_path / "sysid_neural_continuous")
    try:
        engine = MultipageEngine(MultipageConfig(source=str(tmp_path), lang="en"))
    except ValueError as exc:
        if "latex_missing_file" in str(exc):
            pytest.skip("TeX Live lacks what the real paper needs (make setup-papers)")
        raise
    out = engine.sample_batch([Draw(i, 0, make_rng(0, "multipage", i)) for i in range(6)])
    made = [s for s in out if isinstance(s, Sample)]
    assert made and all(isinstance(s, Sample) or s.reason in ("runs_taken", "parts_refused") for s in out), out
    for sample in made:
        pages = sample.meta["paper_pages"]
        assert pages == list(range(pages[0], pages[0] + len(pages))) and len(pages) >= 2
        assert sample.meta["document"] == "paper sysid_neural_continuous"
        assert all(get_tokenizer().count(sample.target[s:e]) <= 650 for _, s, e in sample.meta["page_texts"])
    assert len({tuple(s.meta["paper_pages"]) for s in made}) == len(made)


@pytest.mark.slow
def test_multicrop_pages_are_redrawn_in_their_crops_and_a_captured_stitch_is_replayed_whole() -> None:
    """An uncaptured stitch's pages are redrawn in their crops, as multipage pages are. A captured stitch is
    captured as one image (the mirrored back page bleeds across the gutter), so its pages are redrawn, pasted into
    a stitch and the capture replayed over it: right pages give 0 changed pixels, one letter changed or two lines
    swapped on one page flag the sample (the token F1 it was read by before passed both; a build with no
    page_meta keeps it, as the multipage test checks)."""
    engine = MulticropEngine(MulticropConfig(part="pages", layout="spread", pool_pages=3))
    sample = next(s for s in engine.sample_batch([Draw(0, 0, make_rng(1, "multicrop", 0))]) if isinstance(s, Sample))
    reader, _ = get_reader("multicrop")
    good = reader(_record(sample), sample.images)  # (a broken uncaptured page: the multipage test's reading)
    assert good.details["redrawn"] and good.score == 1.0 and good.threshold == 0.95, good

    scan = capture.strongest("scan")  # bleed-through, light loss, blur, noise, 100 dpi; no pixel moved
    scan = dataclasses.replace(scan, base=dataclasses.replace(scan.base, rotate=0.0, corners=(0.0,) * 8),
                               binarize=False, fax=False)
    image = capture.apply(sample.images[0], scan).image
    record = dict(_record(sample), meta=json.dumps({**sample.meta, "capture": scan.to_dict()}))
    good = reader(record, [image])
    assert good.details["stitched"] and good.score == 1.0 and good.threshold == 0.95, good
    for kind in (letter, swap_lines):
        broken = reader(on_a_page(kind).apply(record, np.random.default_rng(0)), [image])
        # flagged: a redraw that differs, or a target LaTeX refuses (a letter of a tabular's column spec changed)
        assert broken.score < broken.threshold == 0.95 and (broken.details["redrawn"] or broken.details.get("error")), (
            kind, broken)
    (x0, y0, x1, y1), drawn = sample.meta["page_px"][0], sample.images[0].crop(sample.meta["page_px"][0])
    alone = capture.apply(drawn, scan).image  # the first page captured alone is not its crop of the stitch
    assert redraw_agreement(alone, image.crop((x0, y0, x1, y1)), True, 8)["changed_px"] > 0


@pytest.fixture(scope="module")
def multicrop() -> list[Sample]:
    engine = MulticropEngine(MulticropConfig(part="docs"))
    out = engine.sample_batch([Draw(i, 0, make_rng(1, "multicrop", i)) for i in range(3)])
    return [s for s in out if isinstance(s, Sample)]


def test_multicrop_images_are_large_and_tiled_as_the_encoder_sees_them(multicrop) -> None:
    assert multicrop
    for sample in multicrop:
        image = sample.images[0]
        assert max(image.size) > 1024 and sample.task == "multi_crop"
        tiles = encoder_images([image], "multi_crop", 1024, 6)
        cols, rows = sample.meta["tiles"]
        assert len(tiles) == cols * rows + 1 and all(t.size == (1024, 1024) for t in tiles)
        assert min(b[3] - b[1] for b in sample.meta["boxes"]) * sample.meta["tile_scale"] >= MIN_LINE_PX
        assert len({lang for lang, _, _ in sample.meta["page_texts"]}) == 1  # a spread of one language


@pytest.mark.slow
def test_multicrop_reader_reads_page_by_page_and_flags_pages_out_of_order(multicrop) -> None:
    reader, threshold = get_reader("multicrop")
    sample = multicrop[0]  # a stitched image costs a whole-page PP-OCR pass a page: one sample
    image = sample.images[0]
    reading = reader(_record(sample), [image])
    assert reading.score >= 0.5 and len(reading.details["pages"]) == len(sample.meta["page_px"]), reading
    (lang0, s0, e0), (lang1, s1, e1) = sample.meta["page_texts"][:2]
    first, second = sample.target[s0:e0], sample.target[s1:e1]
    swapped = {**sample.meta, "page_texts": [[lang1, 0, len(second)],
                                             [lang0, len(second) + 2, len(second) + 2 + len(first)]]}
    wrong = dict(_record(sample), target=f"{second}\n\n{first}", meta=json.dumps(swapped))
    assert reader(wrong, [image]).score < min(threshold, reading.score / 2)  # the pages' texts in the wrong order


def test_a_pool_is_drawn_from_its_group_alone_and_shared_by_the_group() -> None:
    """Samples 0-3 share one pool of pages: each is the same drawn alone by a fresh engine (no pool kept) as in a
    batch split elsewhere, and they reuse its pages (fewer distinct pages than the pages they hold)."""
    config = MulticropConfig(part="docs", layout="spread", reuse=4, pool_pages=4)
    draws = [Draw(i, 0, make_rng(1, "multicrop", i)) for i in range(4)]
    engine = MulticropEngine(config)
    batched = engine.sample_batch(draws[:3]) + engine.sample_batch(draws[3:])
    made = [(i, s) for i, s in enumerate(batched) if isinstance(s, Sample)]  # a near-square spread is refused
    assert len(made) >= 3 and all(isinstance(s, SampleError) for s in batched if not isinstance(s, Sample))
    pages = [s.target[b:e] for _, s in made for _, b, e in s.meta["page_texts"]]
    assert len(set(pages)) <= 4 < len(pages)  # 6-8 pages held, from a pool of 4
    for i, sample in made:
        alone = MulticropEngine(config).sample_batch([Draw(i, 0, make_rng(1, "multicrop", i))])[0]
        assert alone.target == sample.target and alone.meta == sample.meta
        assert alone.images[0].tobytes() == sample.images[0].tobytes()


def test_multicrop_refuses_text_too_small_for_its_tiles() -> None:
    page = Image.new("RGB", (1200, 1700), "white")
    tiny = Sample([page], "OCR: ", "x", "plain", {"lang": "en", "boxes": [[10, 10, 200, 24]], "dpi": 150})
    engine = MulticropEngine(MulticropConfig(part="docs"))
    with pytest.raises(SampleError, match="unreadable_in_tiles"):
        engine._stitch("docs", "stack", 0, [tiny, tiny, tiny])
    scale, grid = tile_scale(2400, 1700)
    assert grid == [3, 2] and scale == pytest.approx(2048 / 1700)


@pytest.mark.slow
def test_the_trainer_runs_a_stage3_mix_of_the_three_engines(tmp_path) -> None:
    """Real builds of finegrained, multicrop and multipage, streamed as one stage-3 mix by the tiny GOT on the CPU:
    box and colour prompts, tiled multi-crop images and multi-page samples all reach a training step."""
    import dataclasses

    from conftest import REPO
    from engines import get_engine
    from pipelines.shard_task import ShardSpec, build_shard
    from shards.format import shard_name

    builds = {"finegrained": ({}, 4), "multicrop": ({"part": "docs"}, 1), "multipage": ({"max_pages": 2}, 1)}
    lines = ["stage: 3", "max_target_tokens: 8192", "sources:"]
    for engine, (config, n) in builds.items():  # the shard task Ray runs, in this process: the same shards
        out = tmp_path / engine
        out.mkdir()
        cls = get_engine(engine)
        build_shard(ShardSpec(engine, dataclasses.asdict(cls.Config(**config)), "stage3-test", 3, str(out),
                              shard_name(engine, 0), 0, n))
        lines += [f"  - name: {engine}", f"    shards: {out}/{engine}-*.tar", "    weight: 1.0"]
    (tmp_path / "mix.yaml").write_text("\n".join(lines) + "\n")
    proc = subprocess.run([sys.executable, "-m", "model.train", "--stage", "3", "--mix", str(tmp_path / "mix.yaml"),
                           "--preset", "tiny", "--out", str(tmp_path / "run"), "--max-steps", "3", "--batch-size", "2",
                           "--workers", "0", "--log-every", "1", "--save-every", "1000"],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    steps = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()]
    assert [s["step"] for s in steps] == [1, 2, 3] and all(math.isfinite(s["loss"]) for s in steps)
    tasks = {json.loads(line)["task"] for path in tmp_path.glob("*/*.tar") for line in _records(path)}
    assert {"multi_crop", "multi_page"} <= tasks and tasks & {"box", "color"}, tasks


def _records(tar_path) -> list[str]:
    import tarfile

    with tarfile.open(tar_path) as tar:
        return [tar.extractfile(m).read().decode() for m in tar.getmembers() if m.name.endswith(".json")]
