"""How an engine walks a user's --source: a seeded shuffle that still takes every item once before any twice."""

from __future__ import annotations

import pytest

from engines.base import MAX_ATTEMPTS, SOURCE_ATTEMPTS, source_index
from engines.smoke import SmokeEngine
from engines.source import Found


@pytest.mark.parametrize("n_items", [1, 3, 40])
def test_a_source_is_walked_in_a_seeded_shuffle_of_every_item(n_items: int) -> None:
    for seed in range(3):
        first = [source_index(n_items, i, 0, seed) for i in range(n_items)]
        assert sorted(first) == list(range(n_items))  # every item once before any twice
        assert [source_index(n_items, i, 0, seed) for i in range(n_items, 2 * n_items)] == first
    if n_items > 3:
        orders = {tuple(source_index(n_items, i, 0, seed) for i in range(n_items)) for seed in range(3)}
        assert len(orders) == 3 and tuple(range(n_items)) not in orders  # not file order, and the seed matters
    retries = {source_index(n_items, 5, attempt, 0) for attempt in range(1, 20)}
    assert n_items == 1 or len(retries) > 1  # a retry moves on to other items
    for index in (0, 5, 77):  # n retries try every item: a source of few usable items still gives each index one
        assert {source_index(n_items, index, a, 1) for a in range(1, n_items + 1)} == set(range(n_items))


def test_a_source_engine_may_fail_as_many_draws_as_it_has_items() -> None:
    engine = SmokeEngine()
    assert engine.max_attempts == MAX_ATTEMPTS
    for n_items, attempts in ((3, MAX_ATTEMPTS), (40, 41), (10_000, SOURCE_ATTEMPTS)):
        engine.found = Found(items=list(range(n_items)))
        assert engine.max_attempts == attempts


def test_no_usable_item_names_the_source_the_skips_and_the_fix() -> None:
    engine = SmokeEngine()
    engine.config.source = "data/mine"
    found: Found[str] = Found()
    found.skip("empty", "a.txt", count=2)
    found.skip("not_utf8", "b.txt")
    with pytest.raises(ValueError, match=r"^--source data/mine: no usable line \(skipped: empty=2, not_utf8=1\); "
                                         r"give text files$"):
        engine.use_source(found, "line", "give text files")
    assert engine.use_source(found.with_items(["a", "bb", "c"]).keep(lambda s: "too_long" if len(s) > 1 else None),
                             "line", "give text files") == ["a", "c"]
    assert engine.source_items == 2 and engine.skipped == {"empty": 2, "not_utf8": 1, "too_long": 1}
    assert found.skipped == {"empty": 2, "not_utf8": 1}  # a reader's result (maybe cached) is left as it was
    info = engine.describe()
    assert info["source_items"] == 2 and info["skipped"] == {"empty": 2, "not_utf8": 1, "too_long": 1}
    assert info["skipped_examples"] == {"empty": "a.txt", "not_utf8": "b.txt"}
    assert "source_items" not in SmokeEngine().describe()  # a build without --source records none


@pytest.mark.slow
def test_a_build_asking_more_than_its_source_holds_is_warned(tmp_path) -> None:
    from pipelines.build import parse, source_warning

    (tmp_path / "two.lst").write_text("a^2 + b^2 = c^2\n\\frac{1}{2} + x_i\n")
    plan, _, _ = parse(["--engine", "formulas", "--n", "10", "--source", str(tmp_path / "two.lst"),
                        "--out", str(tmp_path / "out")])
    assert source_warning(plan) == (f"warning: --source {tmp_path / 'two.lst'} offers 2 usable items for 10 "
                                    "samples: each is drawn about 5.0 times (a different draw where the engine "
                                    "varies its drawing, the same picture where it cannot); add items or lower --n")
    plan, _, _ = parse(["--engine", "formulas", "--n", "2", "--source", str(tmp_path / "two.lst"),
                        "--out", str(tmp_path / "out")])
    assert source_warning(plan) is None
    plan, _, _ = parse(["--engine", "molecules", "--n", "10000", "--out", str(tmp_path / "out")])
    assert plan.info["source_items"] == 4885 and source_warning(plan) is None  # its built-in set: no --source
