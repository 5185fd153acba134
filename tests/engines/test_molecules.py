"""The molecules engine: real molecules from RDKit's NCI set or a user's files, two renderers, checked targets."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from pathlib import Path

import pytest
from rdkit import Chem

from engines import Draw, make_rng
from engines.molecules import MoleculesEngine
from engines.molecules.engine import MoleculesConfig, without_chirality
from engines.molecules.source import load_molecules
from renderers.mathpix import MathpixStyle, render_mathpix
from renderers.rdkit import MoleculeOptions, draw_molecule

LONG = "C" * 70  # 70 heavy atoms: over the default limit of 60


def canonical(smiles: str) -> str:
    return Chem.MolToSmiles(Chem.MolFromSmiles(smiles))


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "mols"
    folder.mkdir()
    (folder / "a.smi").write_text("SMILES Name\n# a comment\nCCO ethanol\nOCC ethanol again\nC1CC( broken\n"
                                  f"{LONG} wax\nc1ccccc1\n\nN[C@@H](C)C(=O)O alanine\n")
    (folder / "b.csv").write_text('id,Smiles,weight\nm1,"CC(=O)O",60\nm2,xyz,1\nm3,CCN,45\n')
    with gzip.open(folder / "chembl_35_chemreps.txt.gz", "wt") as handle:
        handle.write("chembl_id\tcanonical_smiles\tstandard_inchi\tstandard_inchi_key\n"
                     "CHEMBL1\tCOc1ccccc1\tInChI=1S/x\tKEY\nCHEMBL2\tC(\tInChI=1S/y\tKEY\n")
    return folder


def test_sources_read_smi_csv_and_chemreps_counting_what_is_skipped(sources: Path) -> None:
    found = load_molecules(str(sources), 60)
    assert [m.smiles for m in found.items] == [canonical(s) for s in (
        "CCO", "c1ccccc1", "N[C@@H](C)C(=O)O", "CC(=O)O", "CCN", "COc1ccccc1")]
    assert found.skipped == {"smiles_invalid": 3, "duplicate": 1, "molecule_too_large": 1}
    assert found.examples["smiles_invalid"] == "a.smi:5: C1CC("  # the first of each reason, where it is
    assert found.items[0].name == "ethanol" and found.items[5].name == "CHEMBL1"
    assert load_molecules(str(sources / "a.smi"), 60, limit=2).items[-1].smiles == "c1ccccc1"
    with pytest.raises(ValueError, match="no SMILES column"):
        (sources / "bad.csv").write_text("id,name\n1,x\n")
        load_molecules(str(sources / "bad.csv"), 60)


def test_builtin_nci_molecules_with_invalid_lines_recorded() -> None:
    info = MoleculesEngine().describe()
    assert info["source_items"] == 4885
    assert info["skipped"] == {"duplicate": 99, "molecule_too_large": 7, "smiles_invalid": 8}
    assert info["skipped_examples"]["smiles_invalid"].startswith("first_5K.smi:2098: ")


def unnumbered(smiles: str) -> str:
    """The canonical SMILES without its atom-map numbers."""
    mol = Chem.MolFromSmiles(smiles)
    for atom in mol.GetAtoms():
        atom.SetAtomMapNum(0)
    return Chem.MolToSmiles(mol)


@pytest.mark.slow
def test_targets_canonicalise_to_the_drawn_molecule() -> None:
    engine = MoleculesEngine()
    draws = [Draw(i, 0, make_rng(2, "molecules", i)) for i in range(24)]
    samples = engine.sample_batch(draws)
    assert all(not isinstance(s, Exception) for s in samples), samples
    assert {s.meta["renderer"] for s in samples} == {"rdkit", "mathpix"}
    for d, s in zip(draws, samples):
        source = engine.source_item(engine.molecules, d.index, 0).smiles
        smiles = s.target.removeprefix("<smiles>").removesuffix("</smiles>")
        assert s.target == f"<smiles>{smiles}</smiles>" and canonical(smiles) == smiles
        plain = unnumbered(smiles) if s.meta["atom_numbers"] else smiles
        if not s.meta["r_groups"]:  # an R-group stands where the source has a methyl
            assert plain == (source if s.meta["stereo_drawn"] else without_chirality(source))
        if s.meta["renderer"] == "mathpix":  # the target is exactly what smiles-drawer drew
            again = render_mathpix([s.target], MathpixStyle(**s.meta["style"]))[0]
        else:
            again = draw_molecule(smiles, MoleculeOptions(**s.meta["style"]))
        assert again.images[0].tobytes() == s.images[0].tobytes()


def test_unmarked_stereocentres_leave_the_target(tmp_path: Path) -> None:
    (tmp_path / "chiral.smi").write_text("N[C@@H](C)C(=O)O\n")
    engine = MoleculesEngine(MoleculesConfig(source=str(tmp_path / "chiral.smi"), renderer="rdkit"))
    drawn = engine.sample_batch([Draw(i, 0, make_rng(0, "molecules", i)) for i in range(30)])
    plain = [s for s in drawn if not (s.meta["r_groups"] or s.meta["atom_numbers"])]  # Markush or numbered: below
    targets = {s.meta["style"]["wedge_bonds"]: s.target for s in plain}
    assert targets == {True: "<smiles>C[C@H](N)C(=O)O</smiles>", False: "<smiles>CC(N)C(=O)O</smiles>"}


def test_smiles_drawer_leaves_six_coordinate_atoms_to_rdkit(tmp_path: Path) -> None:
    # smiles-drawer drew hexaamminechromium as Cr with two NH2 (molecules_0000000120 of a 200-sample build)
    (tmp_path / "metals.smi").write_text("[NH2][Cr]([NH2])([NH2])([NH2])([NH2])[NH2] hexaammine\n"
                                         "[Cl][Sb]([Cl])(c1ccccc1)(c1ccccc1)c1ccccc1 stibane\n")
    engine = MoleculesEngine(MoleculesConfig(source=str(tmp_path / "metals.smi"), renderer="mathpix"))
    plans = {p.molecule.name: p.renderer for p in (engine._plan(Draw(i, 0, make_rng(0, "molecules", i)))
                                                    for i in range(6))}
    assert plans == {"hexaammine": "rdkit", "stibane": "mathpix"}


def test_config_errors_name_the_flag(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--renderer"):
        MoleculesConfig(renderer="indigo").check()
    with pytest.raises(ValueError, match="--max-heavy-atoms"):
        MoleculesConfig(max_heavy_atoms=0).check()
    (tmp_path / "none.smi").write_text("xyz\n")
    with pytest.raises(ValueError, match="no usable molecule .*smiles_invalid=1"):
        MoleculesEngine(MoleculesConfig(source=str(tmp_path / "none.smi")))


def test_abbreviations_r_groups_and_numbered_atoms_are_drawn_as_papers_do() -> None:
    """A third of RDKit drawings condense groups into their labels (the target keeps the whole molecule, which
    the labels name exactly); one in ten small ones numbers its carbons, and the target carries the numbers as
    atom maps: a redraw of the target gives the image, and the same molecule without the numbers does not."""
    from engines.molecules.engine import numbered
    from pipelines.readers import get_reader

    engine = MoleculesEngine(MoleculesConfig(renderer="rdkit"))
    plans = [engine._plan(Draw(i, 0, make_rng(0, "molecules", i))) for i in range(300)]
    abbreviated = [p for p in plans if p.style.abbreviations]
    with_numbers = [p for p in plans if ":" in p.smiles]
    assert 0.2 < len(abbreviated) / len(plans) < 0.45 and 10 <= len(with_numbers) <= 45
    assert not any(p.style.wedge_bonds and "@" in p.smiles for p in abbreviated)
    labels = set()
    for p in abbreviated[:8]:
        drawn = draw_molecule(p.smiles, p.style)
        whole = draw_molecule(p.smiles, dataclasses.replace(p.style, abbreviations=False))
        labels.add(drawn.info["atoms"] < whole.info["atoms"])
    assert labels == {True, False}  # some molecules have a group to condense, some not
    assert numbered("OCC") == "O[CH2:2][CH3:1]"  # carbons only, in the order the SMILES walks them
    read, threshold = get_reader("molecules")
    r_groups = [p for p in plans if "*" in p.smiles]
    assert 10 <= len(r_groups) <= 45 and all(re.fullmatch(r".*\[1\*\].*", p.smiles) for p in r_groups)
    for p in r_groups[:2]:  # drawn R1 (R2): the target with the methyl back does not redraw the image
        image = draw_molecule(p.smiles, p.style).images
        record = {"target": f"<smiles>{p.smiles}</smiles>", "meta": json.dumps(
            {"renderer": "rdkit", "style": dataclasses.asdict(p.style)})}
        assert read(record, image).score >= threshold
        methyl = Chem.MolToSmiles(Chem.MolFromSmiles(re.sub(r"\[\d\*\]", "C", p.smiles)))
        assert read({**record, "target": f"<smiles>{methyl}</smiles>"}, image).score < threshold
    for p in with_numbers[:3]:
        image = draw_molecule(p.smiles, p.style).images
        record = {"target": f"<smiles>{p.smiles}</smiles>", "meta": json.dumps(
            {"renderer": "rdkit", "style": dataclasses.asdict(p.style)})}
        assert read(record, image).score >= threshold
        bare = unnumbered(p.smiles)
        assert read({**record, "target": f"<smiles>{bare}</smiles>"}, image).score < threshold


def test_name_first_files_and_a_folders_other_tables(tmp_path: Path) -> None:
    """RDKit's own Contrib data: cdk2.smi writes "ZINC03814457<TAB>SMILES"; CHEMBL2321810_act.csv beside the .smi holds
    activities, no SMILES: the first is read, the second skipped and counted, neither stops the build."""
    (tmp_path / "cdk2.smi").write_text("ZINC03814457\tCC(C)C(=O)COc1nc(N)nc2[nH]cnc12\nZINC03814459\tC1CC( broken\n")
    (tmp_path / "act.csv").write_text("Name,Act\n1520012,5.48\n")
    found = load_molecules(str(tmp_path), 60)
    assert [(m.smiles, m.name) for m in found.items] == [(canonical("CC(C)C(=O)COc1nc(N)nc2[nH]cnc12"), "ZINC03814457")]
    assert found.skipped == {"no_smiles_column": 1, "smiles_invalid": 1}
