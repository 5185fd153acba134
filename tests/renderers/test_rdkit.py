"""Molecules drawn by real RDKit from the NCI set its wheel ships: options, determinism, refusals, isolation."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops
from rdkit import Chem, RDConfig
from rdkit.Chem.Draw import rdMolDraw2D

from conftest import digest
from renderers.errors import RenderError
from renderers.isolated import Isolated
from renderers.rdkit import (
    MoleculeOptions,
    _dashes_cut,
    _draw,
    _laid_out,
    canonical_smiles,
    draw_molecule,
    draw_molecule_isolated,
)

NCI = [line.split()[0] for line in Path(RDConfig.RDDataDir, "NCI", "first_5K.smi").read_text().splitlines()]
ALANINE = "C[C@H](N)C(=O)O"


def coloured(image: Image.Image) -> bool:
    """Whether any pixel has a colour (not a grey)."""
    return image.convert("HSV").getextrema()[1][1] > 0


def varied(k: int) -> MoleculeOptions:
    """The k-th of a cycle of option sets covering every choice (as an engine's rng would fill them)."""
    return MoleculeOptions(
        width=(320, 512, 640)[k % 3], height=(240, 384, 480)[k % 3], bond_line_width=(1.0, 2.0, 3.0)[k % 3],
        font=("dejavu-sans", "dejavu-serif", "noto-sans-cjk")[k % 3], font_scale=(0.5, 0.6, 0.8)[k % 3],
        rotation=(0.0, 30.0, 90.0, 200.0)[k % 4], kekulize=k % 2 == 0, explicit_hydrogens=k % 5 == 0,
        wedge_bonds=k % 3 != 1, palette=("default", "bw", "avalon", "cdk")[k % 4],
        background=("#ffffff", "#f4f1e8")[k % 2], layout=("rdkit", "coordgen")[k % 2])


def crash_or_draw(smiles: str):
    """Abort the (child) process on "abort", else draw: a stand-in for a SMILES that crashes RDKit."""
    if smiles == "abort":
        os.abort()
    return draw_molecule(smiles)


@pytest.mark.slow
def test_real_molecules_draw_with_varied_options() -> None:
    refused, schemas = 0, set()
    for k, smiles in enumerate(NCI[::125]):
        options = varied(k)
        try:
            result = draw_molecule(smiles, options)
        except RenderError as exc:
            assert exc.reason == "molecule_too_large", exc
            refused += 1
            continue
        assert result.image.size == (options.width, options.height) and result.image.mode == "RGB"
        ink = ImageChops.difference(result.image, Image.new("RGB", result.image.size, options.background))
        left, top, right, bottom = ink.getbbox()
        assert right - left > options.width / 4 or bottom - top > options.height / 4  # drawn, and not tiny
        assert result.info["options"] == dataclasses.asdict(options)
        assert result.info["mean_bond_px"] >= options.min_bond_px and result.info["heavy_atoms"] <= result.info["atoms"]
        schemas.add(tuple((key, type(value).__name__) for key, value in json.loads(json.dumps(result.info)).items()))
    assert refused <= 2 and len(schemas) == 1  # same keys and types in every sample's meta


def test_same_input_same_bytes() -> None:
    for options in (varied(0), varied(1)):
        assert digest(draw_molecule(NCI[7], options).image) == digest(draw_molecule(NCI[7], options).image)


def test_options_change_the_drawing() -> None:
    plain = draw_molecule(ALANINE)
    assert coloured(plain.image) and not coloured(draw_molecule(ALANINE, MoleculeOptions(palette="bw")).image)
    assert digest(draw_molecule(ALANINE, MoleculeOptions(rotation=90)).image) != digest(plain.image)
    assert digest(draw_molecule(ALANINE, MoleculeOptions(wedge_bonds=False)).image) != digest(plain.image)
    assert draw_molecule(ALANINE, MoleculeOptions(explicit_hydrogens=True)).info["atoms"] == 13
    assert plain.info["atoms"] == plain.info["heavy_atoms"] == 6 and plain.info["bonds"] == 5
    benzene = draw_molecule("c1ccccc1", MoleculeOptions(kekulize=False))
    assert digest(benzene.image) != digest(draw_molecule("c1ccccc1").image)
    assert draw_molecule("CCO", MoleculeOptions(background="#102030")).image.getpixel((0, 0)) == (16, 32, 48)
    with pytest.raises(ValueError, match="palette must be one of"):
        MoleculeOptions(palette="rainbow")


@pytest.mark.parametrize("smiles", ["C1CC", "", "not a smiles", "c1cccc1"])
def test_invalid_smiles(smiles: str) -> None:
    with pytest.raises(RenderError, match="smiles_invalid"):
        draw_molecule(smiles)
    with pytest.raises(RenderError, match="smiles_invalid"):
        canonical_smiles(smiles)


def test_too_large_to_read() -> None:
    with pytest.raises(RenderError, match=r"molecule_too_large: 20 heavy atoms > 10"):
        draw_molecule(NCI[1], MoleculeOptions(max_heavy_atoms=10))
    with pytest.raises(RenderError, match=r"molecule_too_large: bonds .* px < 12"):
        draw_molecule(NCI[1], MoleculeOptions(width=120, height=90))
    assert draw_molecule("[Na+].[Cl-]").info["mean_bond_px"] == 0.0  # no bonds: nothing to measure


def test_canonical_smiles() -> None:
    assert canonical_smiles("OCC") == canonical_smiles("C(O)C") == "CCO"
    assert canonical_smiles("C[C@H](N)C(=O)O") != canonical_smiles("C[C@@H](N)C(=O)O")
    assert canonical_smiles("C[C@H](N)C(=O)O", isomeric=False) == canonical_smiles("C[C@@H](N)C(=O)O", isomeric=False)
    for smiles in NCI[::250]:
        assert canonical_smiles(canonical_smiles(smiles)) == canonical_smiles(smiles)


@pytest.mark.slow
def test_isolated_child_draws_the_same_and_survives_a_crash() -> None:
    options = varied(3)
    assert digest(draw_molecule_isolated(NCI[11], options).image) == digest(draw_molecule(NCI[11], options).image)
    with pytest.raises(RenderError, match="smiles_invalid"):
        draw_molecule_isolated("C1CC")  # the child's RenderError comes back as it was raised
    child = Isolated(crash_or_draw, timeout_s=30, name="rdkit-test")
    try:
        with pytest.raises(RenderError, match="renderer_crashed"):
            child("abort")
        assert child("CCO").info["heavy_atoms"] == 3 and child.restarts == 1
    finally:
        child.close()


def cairo_drawing(smiles: str, options: MoleculeOptions) -> Image.Image:
    """The same molecule and options through RDKit's own Cairo drawer (its PNG)."""
    mol = _laid_out(Chem.MolFromSmiles(smiles), options)
    drawer = _draw(rdMolDraw2D.MolDraw2DCairo(options.width, options.height), mol, options)
    return Image.open(io.BytesIO(drawer.GetDrawingText())).convert("RGB")


@pytest.mark.slow
def test_mupdf_draws_what_cairo_draws() -> None:
    """RDKit's SVG through MuPDF must be Cairo's picture: dashed aromatic bonds cut into dashes, labels, wedges.

    Left whole, a dashed bond is a solid line in MuPDF (hundreds of pixels apart by more than 100 levels).
    """
    for k, smiles in enumerate(NCI[:40:3]):
        options = varied(k)
        ours = draw_molecule(smiles, options)
        assert ours.info["drawn_by"] == "mupdf"
        mupdf_px, cairo_px = (np.asarray(im.convert("L"), dtype=float)
                              for im in (ours.image, cairo_drawing(smiles, options)))
        apart = np.abs(mupdf_px - cairo_px)
        assert (apart > 100).sum() <= 4 and apart.mean() < 1.5, (smiles, options)


def test_what_mupdf_cannot_draw_goes_to_cairo() -> None:
    svg = "<svg><rect/><path d='M 0,0 L 9,9' style='stroke:#000;stroke-dasharray:6,4' /></svg>"
    assert _dashes_cut(svg) == ("<svg><rect/><path d='M 0.00,0.00 L 4.24,4.24 M 7.07,7.07 L 9.00,9.00' "
                                "style='stroke:#000' /></svg>")
    assert _dashes_cut(svg.replace("<rect/>", "<text>N</text>")) is None
    assert _dashes_cut(svg.replace("L 9,9", "Q 3,3 9,9")) is None  # a dashed curve
