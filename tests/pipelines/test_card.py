"""Dataset cards tell the truth: each source's origin and licence, the user's data by base name only,
and a header that `huggingface_hub` parses and `datasets` loads the build by without a warning."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from huggingface_hub import DatasetCard

from conftest import run_build
from engines import ENGINES
from pipelines.card import origins


@pytest.mark.parametrize("engine, config, licences, says", [
    ("docs", {}, {"gpl-2.0", "apache-2.0"}, "Debian Reference"),
    ("doc_slices", {"prose": "kicad"}, {"cc-by-3.0", "apache-2.0"}, "KiCad 6.0 documentation"),
    ("pages", {}, {"gpl-2.0", "apache-2.0"}, "GPL-2+"),
    ("molecules", {}, {"bsd-3-clause"}, "RDKit's bundled NCI sample"),
    ("charts", {}, {"apache-2.0"}, "drawn from the seed by the engine's code"),
    ("formulas", {"source": "/home/someone/papers/"}, {"other"}, "provided by the user (`--source papers`)"),
    ("multipage", {}, {"gpl-2.0", "apache-2.0"}, "Debian Reference"),  # a composed engine: its parts' origins
    ("no_such_engine", {}, {"other"}, "not declared for the `no_such_engine` engine"),
])
def test_origins_name_each_source_and_its_licence(engine, config, licences, says) -> None:
    found = origins(engine, config)
    assert {o.licence for o in found} == licences
    assert any(says in o.origin for o in found), found
    assert not any("/home" in o.origin for o in found)


def test_every_registered_engine_declares_its_origin() -> None:
    """A new engine must say where its built-in content comes from (pipelines/card.py), not fall to "other"."""
    for name in ENGINES:
        assert not any("not declared" in o.origin for o in origins(name, {})), name


@pytest.mark.slow
def test_a_source_build_card_names_the_users_data_by_base_name(tmp_path: Path, caplog) -> None:
    """A real `--source` build (molecules from the user's .smi file): the card says "provided by the user",
    names the file only by its base name, parses with huggingface_hub, and `datasets` loads the folder by it
    with every row and no warning about the card."""
    import datasets

    data = tmp_path / "private" / "my_molecules.smi"
    data.parent.mkdir()
    data.write_text("CCO ethanol\nc1ccccc1 benzene\nCC(=O)O acetic\nCCN ethylamine\n")
    out = tmp_path / "build"
    done = run_build(out, "--workers", "1", args=["--engine", "molecules", "--renderer", "rdkit", "--n", "4",
                                                   "--shard-size", "2", "--source", str(data)])
    assert done.returncode == 0, done.stderr[-2000:]
    text = (out / "README.md").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "private" not in text
    assert "provided by the user (`--source my_molecules.smi`)" in text
    assert re.search(r"--source my_molecules\.smi\b", text) and "--out build " in text
    card = DatasetCard(text)
    assert card.data.license == "other" and card.data.task_categories == ["image-to-text"]
    with caplog.at_level(logging.WARNING):
        ds = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "hf"))
    assert ds.num_rows == 4 and all(image is not None for image in ds["png"])
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "dataset card" in r.getMessage()]
