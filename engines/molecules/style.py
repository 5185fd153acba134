"""How a molecule looks: RDKit drawing options and Mathpix (smiles-drawer) styles, drawn from an rng.

The canvas follows the molecule: RDKit scales a drawing to fit its canvas, so the canvas is sized
from a target bond length (22-42 px) and the extent of the molecule's 2D layout (its diagonal
when the drawing is rotated), and a drawing whose bonds still come out too short is refused by
the renderer (`min_bond_px`) rather than shrunk.
"""

from __future__ import annotations

import math

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdDepictor

from engines.base import pick
from renderers.mathpix import MathpixStyle
from renderers.rdkit import MoleculeOptions

FONTS = ("dejavu-sans", "dejavu-sans", "dejavu-serif", "noto-sans-cjk")
PALETTES = ("default", "default", "bw", "bw", "avalon", "cdk")
BACKGROUNDS = ("#ffffff",) * 6 + ("#fbfaf5", "#f4f1e8", "#f7f9fc", "#fffef8")
INKS = ("#000000",) * 5 + ("#1a1a1a", "#222244", "#303030")


def extent_in_bonds(smiles: str) -> tuple[float, float]:
    """Width and height of RDKit's 2D layout of a molecule, in bond lengths (about 1 ms)."""
    mol = Chem.MolFromSmiles(smiles)
    rdDepictor.Compute2DCoords(mol)
    xy = mol.GetConformer().GetPositions()[:, :2] / 1.5  # RDKit lays bonds out 1.5 units long
    return tuple(float(v) for v in xy.max(axis=0) - xy.min(axis=0))


def rdkit_options(rng: np.random.Generator, heavy_atoms: int, max_heavy_atoms: int,
                  extent: tuple[float, float], chiral: bool = False) -> MoleculeOptions:
    """Varied RDKit options for a molecule of `heavy_atoms` heavy atoms spanning `extent` bond lengths.

    A third of the drawings abbreviate groups as papers do (tBu, CO2Et, OMe), but not a molecule with
    stereocentres drawn with wedges: a wedge beside a condensed group could point the other way.
    """
    bond = rng.uniform(22, 42)
    rotation = round(float(rng.uniform(0, 360)), 1) if rng.random() < 0.6 else 0.0
    across = math.hypot(*extent)
    w, h = (across, across) if rotation else extent  # a rotated drawing may take the diagonal either way
    width = int(min(1024, max(200, bond * (w + 2.5) * rng.uniform(1.0, 1.3))))
    height = int(min(1024, max(160, bond * (h + 2.5) * rng.uniform(1.0, 1.3))))
    hydrogens = bool(heavy_atoms <= 20 and rng.random() < 0.12)
    wedges = bool(rng.random() < 0.85)
    abbreviate = bool(rng.random() < 0.35) and not hydrogens and not (chiral and wedges)
    return MoleculeOptions(
        width=width, height=height, bond_line_width=round(float(rng.uniform(1.0, 3.5)), 2),
        font=pick(rng, FONTS), font_scale=round(float(rng.uniform(0.45, 0.8)), 3),
        min_font_px=int(rng.integers(9, 13)), rotation=rotation, kekulize=bool(rng.random() < 0.75),
        explicit_hydrogens=hydrogens, wedge_bonds=wedges, abbreviations=abbreviate,
        palette=pick(rng, PALETTES), background=pick(rng, BACKGROUNDS), layout=pick(rng, ("rdkit", "coordgen")),
        padding=round(float(rng.uniform(0.03, 0.12)), 3), multiple_bond_offset=round(float(rng.uniform(0.1, 0.2)), 3),
        max_heavy_atoms=max_heavy_atoms, min_bond_px=14.0)


SMILES_DRAWER_MAX_NEIGHBOURS = 5


def smiles_drawer_draws(smiles: str) -> bool:
    """Whether smiles-drawer draws the molecule as its SMILES says: no atom with more than five neighbours.

    Looked at by eye in a 200-sample build, it drops or stacks the ligands of six-coordinate metals
    (hexaammine chromium drawn as Cr with two NH2, a nickel with four pyridiniums drawn as one ring
    over another), while RDKit draws them all; five neighbours (a dichlorotriphenylstibane) it draws
    right. About 1% of the NCI set has such an atom.
    """
    mol = Chem.MolFromSmiles(smiles)
    return max((atom.GetDegree() for atom in mol.GetAtoms()), default=0) <= SMILES_DRAWER_MAX_NEIGHBOURS


def mathpix_style(rng: np.random.Generator) -> MathpixStyle:
    """A varied smiles-drawer style (Mathpix-markdown-it's own molecule drawing)."""
    return MathpixStyle(
        scale=round(float(rng.uniform(1.0, 1.6)), 3), padding_px=int(rng.integers(4, 24)), color=pick(rng, INKS),
        background=pick(rng, BACKGROUNDS), smiles_font_px=round(float(rng.uniform(11, 18)), 1),
        smiles_rings=pick(rng, ("default", "default", "circle")), smiles_colors=bool(rng.random() < 0.6),
        smiles_gradient=bool(rng.random() < 0.2), max_px=2048)
