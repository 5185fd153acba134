"""The `molecules` engine: a real molecule drawn by RDKit or by Mathpix-markdown-it, read back as `<smiles>...</smiles>`.

Prompt `OCR with format: `; target `<smiles>SMILES</smiles>` with RDKit's canonical SMILES of
the molecule drawn (so one molecule has one target, whatever SMILES its source wrote). Before a
sample leaves, its target is parsed again and must canonicalise to the source molecule. When the
RDKit drawing leaves stereocentres unmarked (no wedges), the target drops their `@`/`@@` too:
a target never says more than the image shows.

Drawn as papers draw them (RDKit only): about a third abbreviate groups with RDKit's default
abbreviations (tBu, CO2Et, CF3, OMe, NO2, Ac...). The target stays the SMILES of the whole
molecule, as GOT's and every optical-structure-recognition corpus's targets do (MolScribe expands
abbreviations the same way): each of these labels names exactly one group, so the molecule is
still derivable from the image. About one in ten small molecules numbers its atoms (carbons 1, 2,
3... as NMR assignments do); the numbers are written into the target as atom-map numbers
(`[CH3:1]`), so the target says every number the image shows. About one in ten draws a Markush-style
scaffold: up to two terminal methyls become R-groups, drawn R1, R2 and written `[1*]`, `[2*]` (RDKit's
spelling of a molfile's R-group labels), so the target is again exactly the drawing.

Molecules: RDKit's 5,000 NCI molecules (built in), or `--source` (`engines.molecules.source`),
molecule `index % n` for sample `index`, another on a retry. Renderers: RDKit (drawn one by one in
an isolated child, every option from the rng) and Mathpix-markdown-it's smiles-drawer (a batch of
molecules per browser call): `--renderer mixed` draws each sample with one of them, half each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rdkit import Chem, rdBase

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, SampleError, contained
from engines.molecules.source import BUILTIN, SUFFIXES, Molecule, load_molecules
from engines.molecules.style import extent_in_bonds, mathpix_style, rdkit_options, smiles_drawer_draws
from renderers.errors import RenderError
from renderers.mathpix import render_mathpix
from renderers.rdkit import draw_molecule_isolated
from renderers.result import Rendered
from tokenizer.protocol import PROMPT_FORMAT

Renderer = Literal["mixed", "rdkit", "mathpix"]
NUMBERED_SHARE, NUMBERED_MAX_ATOMS = 0.1, 24  # atom numbers on small molecules only: they crowd a large one
R_GROUP_SHARE = 0.1


@dataclass
class MoleculesConfig(EngineConfig):
    source: str | None = field(default=None, metadata={
        "help": "a .smi/.csv/.tsv file, a ChEMBL chemreps file (optionally .gz), or a folder of them, instead of "
                "RDKit's 5,000 NCI molecules; invalid SMILES and molecules too large to draw are skipped and counted"})
    renderer: Renderer = field(default="mixed", metadata={
        "help": "mixed (half RDKit, half Mathpix-markdown-it, drawn per sample), rdkit or mathpix (RDKit still "
                "draws a molecule with an atom of more than five neighbours: smiles-drawer drops its ligands)"})
    max_heavy_atoms: int = field(default=60, metadata={
        "help": "molecules with more heavy (non-hydrogen) atoms are skipped as too large to draw legibly"})
    limit: int = field(default=0, metadata={"help": "read at most this many usable molecules from --source (0: all)"})
    source_hint: ClassVar[str] = "a .smi/.csv file, a ChEMBL chemreps file or a folder of them"

    def validate(self) -> None:
        if not 1 <= self.max_heavy_atoms <= 200:
            raise ValueError(f"--max-heavy-atoms must be between 1 and 200, got {self.max_heavy_atoms}")
        if self.limit < 0:
            raise ValueError(f"--limit must be 0 (all) or positive, got {self.limit}")


def without_chirality(smiles: str) -> str:
    """The canonical SMILES of the same molecule with its tetrahedral stereocentres unspecified."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    for atom in mol.GetAtoms():
        atom.SetChiralTag(Chem.ChiralType.CHI_UNSPECIFIED)
    return Chem.MolToSmiles(mol)


def numbered(smiles: str) -> str:
    """The canonical SMILES with its carbons numbered 1, 2, 3... (atom-map numbers) in the order the canonical
    SMILES walks them, so a ring's carbons are numbered around it as papers number a skeleton."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    Chem.MolToSmiles(mol)
    order = [int(i) for i in mol.GetProp("_smilesAtomOutputOrder").strip("[],").split(",")]
    carbons = [mol.GetAtomWithIdx(i) for i in order if mol.GetAtomWithIdx(i).GetSymbol() == "C"]
    for n, atom in enumerate(carbons, 1):
        atom.SetAtomMapNum(n)
    return Chem.MolToSmiles(mol)


def with_r_groups(smiles: str, rng) -> str:
    """The canonical SMILES with one or two of its terminal methyls made R-groups `[1*]`, `[2*]` (unchanged
    when it has none, or when that would leave fewer than four heavy atoms)."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    methyls = [a.GetIdx() for a in mol.GetAtoms() if a.GetSymbol() == "C" and a.GetDegree() == 1
               and a.GetTotalNumHs() == 3 and a.GetBonds()[0].GetBondType() == Chem.BondType.SINGLE]
    if not methyls or mol.GetNumHeavyAtoms() - min(2, len(methyls)) < 4:
        return smiles
    chosen = sorted(int(i) for i in rng.choice(methyls, size=min(len(methyls), int(rng.integers(1, 3))),
                                               replace=False))
    for n, idx in enumerate(chosen, 1):
        atom = mol.GetAtomWithIdx(idx)
        atom.SetAtomicNum(0)
        atom.SetIsotope(n)
        atom.SetNoImplicit(True)
        atom.SetNumExplicitHs(0)
    Chem.SanitizeMol(mol)
    return Chem.MolToSmiles(mol)


def check_target(target: str, expected: str) -> None:
    """Raise unless `target` is `<smiles>S</smiles>` whose S canonicalises to `expected`."""
    inner = target.removeprefix("<smiles>").removesuffix("</smiles>")
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(inner)
    if not target.startswith("<smiles>") or mol is None or Chem.MolToSmiles(mol) != expected:
        raise SampleError("target_mismatch", f"{target} is not {expected}")


@dataclass
class _Plan:
    """One draw's choices before rendering."""

    molecule: Molecule
    renderer: str
    style: Any
    smiles: str  # what the target says (and Mathpix draws)


class MoleculesEngine(Engine):
    """Real molecules in RDKit's and smiles-drawer's styles, with canonical SMILES targets."""

    name = "molecules"
    Config = MoleculesConfig
    # RDKit's child and Chromium beside the worker: about 1 core and 900 MiB together.
    resources = Resources(cpus=1.0, memory_mb=1280)
    packages = ("rdkit", "pymupdf", "playwright")
    batch_size = 64  # about 32 Mathpix drawings a browser call (32 a batch measured 5% slower over five paired runs)

    def __init__(self, config: MoleculesConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        found = load_molecules(cfg.source, cfg.max_heavy_atoms, cfg.limit)
        self.molecules = self.use_source(found, "molecule", f"give {'/'.join(SUFFIXES)} files (optionally .gz) of "
                                                            "valid SMILES, or raise --max-heavy-atoms")

    def _plan(self, draw: Draw) -> _Plan:
        rng, cfg = draw.rng, self.config
        molecule = self.source_item(self.molecules, draw.index, draw.attempt)
        renderer = cfg.renderer if cfg.renderer != "mixed" else ("mathpix" if rng.random() < 0.5 else "rdkit")
        if renderer == "mathpix" and not smiles_drawer_draws(molecule.smiles):
            renderer = "rdkit"
        if renderer == "rdkit":
            style = rdkit_options(rng, molecule.heavy_atoms, cfg.max_heavy_atoms, extent_in_bonds(molecule.smiles),
                                  chiral="@" in molecule.smiles)
            smiles = molecule.smiles if style.wedge_bonds else without_chirality(molecule.smiles)
            roll = rng.random()
            if molecule.heavy_atoms <= NUMBERED_MAX_ATOMS and not (style.abbreviations or style.explicit_hydrogens) \
                    and roll < NUMBERED_SHARE:
                smiles = numbered(smiles)
            elif not style.explicit_hydrogens and roll > 1 - R_GROUP_SHARE:
                smiles = with_r_groups(smiles, rng)
        else:
            style, smiles = mathpix_style(rng), molecule.smiles
        return _Plan(molecule, renderer, style, smiles)

    def _sample(self, plan: _Plan, drawn: Rendered | RenderError) -> Sample:
        if isinstance(drawn, RenderError):
            raise drawn
        target = f"<smiles>{plan.smiles}</smiles>"
        check_target(target, plan.smiles)
        m = plan.molecule
        meta = {"lang": "en", "renderer": plan.renderer, "source": str(self.config.source or f"builtin:{BUILTIN.name}"),
                "where": m.where, "name": m.name, "heavy_atoms": m.heavy_atoms,
                "stereo_drawn": "@" in plan.smiles or "@" not in m.smiles, "atom_numbers": ":" in plan.smiles,
                "r_groups": "*" in plan.smiles,
                "style": dataclasses.asdict(plan.style),
                "drawn": {k: v for k, v in drawn.info.items() if k != "options"}}
        return Sample(images=drawn.images, prompt=PROMPT_FORMAT, target=target, task="format", meta=meta)

    def sample_batch(self, draws: list[Draw]) -> list[Sample | Exception]:
        """RDKit drawings one by one; every Mathpix drawing of the batch in one browser call."""
        plans = [self._plan(d) for d in draws]
        drawn: list[Rendered | RenderError | None] = [None] * len(plans)
        browser = [i for i, p in enumerate(plans) if p.renderer == "mathpix"]
        if browser:
            results = render_mathpix([f"<smiles>{plans[i].smiles}</smiles>" for i in browser],
                                     [plans[i].style for i in browser])
            for i, result in zip(browser, results):
                drawn[i] = result
        return contained(lambda i: self._sample(plans[i], drawn[i] if drawn[i] is not None
                                                else draw_molecule_isolated(plans[i].smiles, plans[i].style)),
                         range(len(plans)))
