"""The formula, table and molecule readers: a right target passes its threshold, another sample's target fails."""

from __future__ import annotations

import json

import pytest

from engines import Draw, make_rng
from engines.formulas import FormulasEngine
from engines.formulas.engine import FormulasConfig
from engines.molecules import MoleculesEngine
from engines.tables import TablesEngine
from engines.tables.engine import TablesConfig
from pipelines.readers import get_reader

pytestmark = pytest.mark.slow  # drives the real tools over many samples: not in the quick tier


def records(engine, n: int, seed: int = 4) -> list[tuple[dict, list]]:
    samples = [s for s in engine.sample_batch([Draw(i, 0, make_rng(seed, engine.name, i)) for i in range(n)])
               if not isinstance(s, Exception)]
    return [({"target": s.target, "meta": json.dumps(s.meta)}, s.images) for s in samples]


@pytest.mark.parametrize("engine", [FormulasEngine(FormulasConfig(renderer="mathpix")),
                                    TablesEngine(TablesConfig(lang="en")), MoleculesEngine()],
                         ids=["formulas", "tables", "molecules"])
def test_right_targets_pass_and_swapped_targets_fail(engine) -> None:
    read, threshold = get_reader(engine.name)
    got = records(engine, 4)
    assert len(got) >= 3
    below = 0
    for k, (record, images) in enumerate(got):
        right = read(record, images)
        assert right.score >= threshold, (record["target"], right)
        wrong = read(dict(got[(k + 1) % len(got)][0]), images)
        assert wrong.score < right.score, (record["target"], wrong)
        below += wrong.score < threshold
    assert below >= len(got) - 1  # two tables of one shape may come close (bench/results/formatted_readers.json)


def test_targets_that_do_not_compile_or_parse_score_zero() -> None:
    from PIL import Image

    blank = [Image.new("RGB", (64, 32), "white")]
    assert get_reader("formulas")[0]({"target": r"\[ \frac{a}{ \]"}, blank).score == 0.0
    assert get_reader("formulas")[0]({"target": "x + y"}, blank).score == 0.0
    assert get_reader("tables")[0]({"target": "a & b"}, blank).score == 0.0
    assert get_reader("molecules")[0]({"target": "<smiles>C1CC(</smiles>", "meta": "{}"}, blank).score == 0.0
    assert get_reader("molecules")[0]({"target": "<smiles>OCC</smiles>", "meta": "{}"}, blank).score == 0.0


@pytest.mark.parametrize("engine, kinds", [
    (FormulasEngine(FormulasConfig(renderer="mixed", latex_share=0.5)), ("digit", "symbol", "letter")),
    (TablesEngine(TablesConfig(lang="mixed")), ("digit", "letter", "drop_row", "swap_headers")),
    (MoleculesEngine(), ("atom",))], ids=["formulas", "tables", "molecules"])
def test_one_changed_symbol_digit_row_or_atom_is_flagged(engine, kinds) -> None:
    """Drawn again in the recorded style, a right target gives its image and a target one symbol, digit,
    row, header or atom off does not (the ink comparison before moved by at most 0.008 for such a change)."""
    import numpy as np

    from bench.mutate import MUTATIONS

    read, threshold = get_reader(engine.name)
    tried = 0
    for k, (record, images) in enumerate(records(engine, 3, seed=11)):
        assert read(record, images).score >= threshold, record["target"]
        for kind in kinds:
            mutation = MUTATIONS[engine.name][kind]
            broken = mutation(record["target"], json.loads(record["meta"]), np.random.default_rng(k))
            if broken is None or broken == record["target"]:
                continue
            tried += 1
            wrong = read({**record, "target": broken}, images)
            assert wrong.score < threshold, (kind, broken, wrong)
    assert tried >= len(kinds)
