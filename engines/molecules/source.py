"""Where molecules come from: RDKit's 5,000 NCI molecules, or a user's .smi, .csv or ChEMBL chemreps files.

Every SMILES is parsed and sanitised by RDKit when the engine starts; what fails is skipped and
counted ("smiles_invalid"; the first of each reason is kept with its file and line for the manifest), and
so are molecules too large to draw legibly ("molecule_too_large": more heavy atoms than the
limit), molecules without atoms, and repeats of a molecule already read ("duplicate", by
canonical SMILES). Parsing costs about 0.2 ms a molecule, so a full ChEMBL (2.4M) takes minutes
per worker: `limit` reads only the first N usable molecules.

Formats (plain or gzipped):
- `.smi` / `.smiles` / `.txt` without a header row: one molecule per line, SMILES first, then an
  optional name (whitespace separated), or the name first where the first field is no SMILES and the second is (ZINC
  and docking sets write "ZINC03814457<TAB>SMILES"); `#` lines are comments; a first line whose first field is
  `smiles` (any case) is a header.
- `.csv` / `.tsv`, and ChEMBL's `chembl_NN_chemreps.txt` (tab-separated with a header): the column
  named `smiles`, `canonical_smiles` or `SMILES` (any case); an optional `chembl_id`, `name` or `id`
  column names the molecule.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from rdkit import Chem, RDConfig, rdBase

from engines.source import Found

BUILTIN = Path(RDConfig.RDDataDir, "NCI", "first_5K.smi")
SUFFIXES = (".smi", ".smiles", ".csv", ".tsv", ".txt")
SMILES_COLUMNS = ("smiles", "canonical_smiles", "smiles_string")
NAME_COLUMNS = ("chembl_id", "name", "id", "molecule_chembl_id")


@dataclass(frozen=True)
class Molecule:
    """One usable molecule: its canonical (isomeric) SMILES, heavy atoms, and where it was read."""

    smiles: str
    heavy_atoms: int
    where: str  # "file:line"
    name: str = ""


def _open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _stem_suffix(path: Path) -> str:
    return Path(path.stem).suffix.lower() if path.suffix == ".gz" else path.suffix.lower()


def _rows(path: Path):
    """(line number, SMILES, name) of every entry of one file."""
    with _open_text(path) as handle:
        head = handle.readline()
        fields = head.rstrip("\r\n").split("\t") if "\t" in head else head.rstrip("\r\n").split(",")
        lowered = [f.strip().strip('"').lower() for f in fields]
        column = next((lowered.index(c) for c in SMILES_COLUMNS if c in lowered), None)
        tabular = _stem_suffix(path) in (".csv", ".tsv") or (column is not None and len(fields) > 1)
        if tabular:
            if column is None:
                raise ValueError(f"{path}: no SMILES column (one of {', '.join(SMILES_COLUMNS)}) in its header")
            delimiter = "\t" if "\t" in head else ","
            name_col = next((lowered.index(c) for c in NAME_COLUMNS if c in lowered), None)
            for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=2):
                if len(row) > column:
                    yield number, row[column].strip(), row[name_col].strip() if name_col is not None and \
                        len(row) > name_col else ""
            return
        first = head.split()[:1]
        lines = [] if first and first[0].lower() in SMILES_COLUMNS else [(1, head)]  # a header row, or a molecule
        for number, line in [*lines, *enumerate(handle, start=2)]:
            parts = line.split(None, 1)
            if parts and not parts[0].startswith("#"):
                yield number, parts[0], parts[1].strip() if len(parts) > 1 else ""


def files_of(source: str | Path) -> list[Path]:
    """The molecule files of a file or folder (sorted, so every worker reads the same order)."""
    path = Path(source)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _stem_suffix(p) in SUFFIXES)
    return [path]


@functools.lru_cache(maxsize=4)
def load_molecules(source: str | None, max_heavy_atoms: int, limit: int = 0) -> Found[Molecule]:
    """Read, check and deduplicate molecules (cached per process: every engine of a worker shares one read).

    Args:
        source: a file or folder; None for RDKit's NCI set.
        max_heavy_atoms: larger molecules are skipped as too large to draw legibly.
        limit: stop after this many usable molecules (0: read everything).

    Raises:
        ValueError: a tabular file without a SMILES column given alone (in a folder it is skipped, "no_smiles_column").
    """
    files = [BUILTIN] if source is None else files_of(source)
    found: Found[Molecule] = Found()
    seen: set[str] = set()
    with rdBase.BlockLogs():
        for path in files:
            try:
                rows = list(_rows(path))
            except ValueError:
                if len(files) == 1:
                    raise
                found.skip("no_smiles_column", path.name)  # a folder's other tables (activities, results)
                continue
            for number, smiles, name in rows:
                where = f"{path.name}:{number}"
                mol = Chem.MolFromSmiles(smiles) if smiles else None
                if mol is None and name and " " not in name and (swapped := Chem.MolFromSmiles(name)) is not None:
                    smiles, name, mol = name, smiles, swapped  # "ZINC03814457<TAB>SMILES": the name first
                if mol is None or mol.GetNumAtoms() == 0:
                    found.skip("smiles_invalid" if smiles else "smiles_empty", f"{where}: {smiles[:80]}")
                    continue
                heavy = mol.GetNumHeavyAtoms()
                if heavy > max_heavy_atoms:
                    found.skip("molecule_too_large", f"{where}: {smiles[:80]}")
                    continue
                canonical = Chem.MolToSmiles(mol)
                if canonical in seen:
                    found.skip("duplicate", f"{where}: {smiles[:80]}")
                    continue
                seen.add(canonical)
                found.items.append(Molecule(canonical, heavy, where, name))
                if limit and len(found.items) >= limit:
                    return found
    return found
