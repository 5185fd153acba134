"""The one method an engine writes (`Engine.sample_batch`), and what the base class builds on it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pytest

from engines import ENGINES, EngineUnavailable, get_engine
from engines.base import Draw, Engine, EngineConfig, Sample, SampleError, make_rng, pick
from engines.smoke import SmokeEngine


class _Refuses(SmokeEngine):
    """The smoke engine, refusing odd indices."""

    def _sample_one(self, rng: np.random.Generator, index: int, attempt: int) -> Sample:
        if index % 2:
            raise SampleError("odd_index", str(index))
        return super()._sample_one(rng, index, attempt)  # the smoke engine's sample_batch: one_by_one of this


def test_a_failed_draw_stands_in_its_place_and_sample_is_a_batch_of_one() -> None:
    engine = _Refuses()
    made = engine.sample_batch([Draw(i, 0, make_rng(0, "smoke", i)) for i in range(3)])
    assert isinstance(made[1], SampleError) and made[1].reason == "odd_index"
    assert [m.target for m in (made[0], made[2])] == [engine.sample(make_rng(0, "smoke", i), i).target for i in (0, 2)]
    with pytest.raises(SampleError, match="odd_index"):
        engine.sample(make_rng(0, "smoke", 1), 1)


def test_an_engine_writes_sample_batch_not_sample() -> None:
    with pytest.raises(TypeError, match=r"Wrong: an engine writes sample_batch\(draws\)"):
        class Wrong(Engine):
            def sample(self, rng: np.random.Generator, index: int, attempt: int = 0) -> Sample:
                raise AssertionError("never called")
    with pytest.raises(NotImplementedError, match="Nothing must write sample_batch"):
        type("Nothing", (Engine,), {"name": "nothing"})().sample(make_rng(0, "x", 0), 0)


@dataclass
class _Choosy(EngineConfig):
    mode: Literal["fast", "exact"] = "fast"
    font: Literal["a", "b"] | None = None
    name: str = "anything"


def test_a_literal_field_takes_only_its_values() -> None:
    _Choosy(font=None, name="not a choice").check_choices()  # `| None` takes None; a plain str anything
    for bad, message in (({"mode": "slow"}, "--mode 'slow' is not one of fast, exact; pick one of them"),
                         ({"font": "c"}, "--font 'c' is not one of a, b, None; pick one of them")):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            _Choosy(**bad).check()


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_declares_its_choices_as_literals(name: str) -> None:
    """Each default is one of its field's values, and no field declares choices any other way."""
    try:
        config = get_engine(name).Config
    except EngineUnavailable as e:
        pytest.skip(str(e))
    config().check_choices()
    assert not [f.name for f in dataclasses.fields(config) if "choices" in f.metadata]


def test_pick_draws_what_the_engines_wrote_by_hand() -> None:
    """Engines picked with `options[int(rng.integers(len(options)))]` (or `choice` over normalised weights) before
    `pick`: the same calls, so every (seed, index) still draws the same sample; the option itself comes back."""
    options, weights = ("a", "b", "c", "d"), [5, 1, 0, 2]
    for seed in range(50):
        mine, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
        assert pick(mine, options) == options[int(theirs.integers(len(options)))]
        p = np.asarray(weights, dtype=float)
        assert pick(mine, options, weights) == options[int(theirs.choice(len(options), p=p / p.sum()))]
        assert mine.bit_generator.state == theirs.bit_generator.state
    picked = {pick(np.random.default_rng(seed), options, weights) for seed in range(200)}
    assert picked == {"a", "b", "d"} and type(pick(np.random.default_rng(0), options)) is str  # not numpy's str_
