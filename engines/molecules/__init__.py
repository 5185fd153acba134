"""The `molecules` engine: real molecules drawn by RDKit or Mathpix-markdown-it, `<smiles>...</smiles>` targets.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: a molecule, a renderer and its style, the target and its check |
| `source` | the molecules: RDKit's NCI set, or a user's .smi/.csv/ChEMBL chemreps files, checked by RDKit |
| `style` | RDKit drawing options and smiles-drawer styles drawn from the rng |
"""

from engines.molecules.engine import MoleculesEngine

__all__ = ["MoleculesEngine"]
