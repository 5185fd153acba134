"""bench.mutate beyond plain pages: scenes read from their quads, fine-grained prompts and composed pages broken.

The scene test is the suite's small mutation bench for a stage-2 engine: real built-in scenes read by real
PP-OCR, each broken every way a scene's target can be, and every broken one must be flagged while the right ones
pass. The other tests check what the record-level mutations write (no reader): a composed sample's page spans
written again for its broken target, as the engine writes them, and a prompt's box or colour changed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from bench.mutate import (
    MUTATIONS,
    box_moved,
    color_changed,
    drop_line,
    mutation_table,
    on_a_page,
    pages_swapped,
    split_line,
)
from engines.base import Sample
from engines.compose import joined
from shards.format import encode_image, make_record, record_meta
from shards.reader import StoredSample


def test_mutation_bench_flags_broken_scene_targets_and_not_right_ones() -> None:
    """4 built-in scenes (English and Chinese), each broken every way a scene can be: all flagged, none right
    (about 11 CPU-seconds: small photos, each line read once and cached across its mutations)."""
    from bench.validate import draw

    samples = [StoredSample(f"scene_{i}", record, encode_image(images[0]))
               for i, (record, images) in enumerate(draw("scene", 4, 1))]
    result = mutation_table(samples, 0)
    assert result["good"]["scene"]["flagged"] == 0, result["misses"]
    table = {row["kind"]: row for row in result["table"]}
    assert {"letter", "drop_line", "swap_lines"} <= set(table), table
    for kind, row in table.items():
        assert row["flagged"] == row["applied"] > 0, (kind, result["misses"])


def composed(pages: list[str]) -> dict:
    parts = [Sample(images=[Image.new("L", (8, 8))], prompt="OCR: ", target=p, task="plain", meta={"lang": "en"})
             for p in pages]
    target, spans, lang = joined(parts)
    return make_record(prompt="OCR with format across multi pages: ", target=target, task="multi_page",
                       engine="multipage", seed=0, index=0, meta={"lang": lang, "page_texts": spans})


def test_a_broken_page_of_a_composed_sample_gets_the_spans_its_engine_would_write() -> None:
    record = composed(["first page\nits second line", "second page\nand its line", "third page alone"])
    rng = np.random.default_rng(0)
    dropped = on_a_page(drop_line).apply(record, rng)
    swapped = pages_swapped(record, rng)
    for broken in (dropped, swapped):
        spans = record_meta(broken)["page_texts"]
        pages = [broken["target"][start:end] for _, start, end in spans]
        assert broken["target"] == "\n\n".join(pages) and len(pages) == 3, broken
    dropped_pages = [dropped["target"][s:e] for _, s, e in record_meta(dropped)["page_texts"]]
    assert sum(p.count("\n") for p in dropped_pages) == 1  # one of the two two-line pages lost a line
    assert sorted(swapped["target"].split("\n\n")) == sorted(record["target"].split("\n\n"))
    assert swapped["target"] != record["target"]
    assert on_a_page(drop_line).apply(composed(["one line", "another"]), rng) is None  # no page has two lines


def test_a_prompt_asks_about_another_region_or_colour() -> None:
    rng = np.random.default_rng(0)
    record = {"prompt": "[100, 400, 600, 450] OCR: ", "target": "a line", "meta": json.dumps({})}
    moved = box_moved(record, rng)
    assert moved["prompt"] in ("[100, 450, 600, 500] OCR: ", "[100, 350, 600, 400] OCR: ")
    assert box_moved({**record, "prompt": "[0, 0, 1000, 1000] OCR: "}, rng) is None  # nowhere else to move
    assert color_changed({**record, "prompt": "[red] OCR: "}, rng)["prompt"] in ("[green] OCR: ", "[blue] OCR: ")
    assert color_changed(record, rng) is None
    assert {"box_moved", "color_changed", "letter", "drop_line"} <= set(MUTATIONS["finegrained"])


@pytest.mark.slow  # 17 CPU-seconds: a scene drawn per region, read whole and cut out at two borders
def test_mutation_bench_flags_broken_finegrained_scene_regions_and_not_right_ones() -> None:
    """Regions of built-in scenes (short lines, where a dropped line is too short for the order judge): each
    target broken by a line dropped or a letter changed, each prompt moved to another region or colour."""
    from engines.base import SampleError, make_rng
    from engines.finegrained import FinegrainedEngine
    from engines.finegrained.engine import FinegrainedConfig

    engine, samples, index = FinegrainedEngine(FinegrainedConfig(part="scene", region="block")), [], 0
    while len(samples) < 4:
        try:
            s = engine.sample(make_rng(0, "finegrained", index, 0), index, 0)
            record = make_record(prompt=s.prompt, target=s.target, task=s.task, engine="finegrained", seed=0,
                                 index=index, meta=s.meta)
            samples.append(StoredSample(f"finegrained_{index}", record, encode_image(s.images[0])))
        except SampleError:
            pass
        index += 1
    result = mutation_table(samples, 0)
    assert result["good"]["finegrained"]["flagged"] == 0, result["misses"]
    table = {row["kind"]: row for row in result["table"]}
    assert {"letter", "drop_line"} <= set(table) and {"box_moved", "color_changed"} & set(table), table
    for kind, row in table.items():
        assert row["flagged"] == row["applied"] > 0, (kind, result["misses"])


def test_a_line_of_displayed_math_is_not_split_since_its_line_breaks_are_spaces() -> None:
    """`split_line` inside `\\begin{align*}` or `\\[...\\]` leaves the same formula (a line break in math is a space):
    a mutation no reader could flag, which counted as a miss on real papers' pages."""
    target = ("Some prose of the page in one line\n\n\\begin{align*}\nx &= y + z + w \\\\\nv &= 1 + 2 + 3\n\\end{align*}"
              "\n\n\\[a + b = c + d\\]")
    for seed in range(16):
        broken = split_line(target, {}, np.random.default_rng(seed))
        assert broken is not None and broken.startswith("Some\nprose"), broken
