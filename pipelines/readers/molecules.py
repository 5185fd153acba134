"""Molecule reader: the target SMILES must round-trip through RDKit, and drawing it again must give the image.

No optical structure recogniser ships offline (DECIMER, MolScribe and friends need downloaded
weights), so the reading is in two steps that need none. First the chemistry: the SMILES inside
`<smiles>...</smiles>` must parse and sanitise in RDKit and be its own canonical form (a target
that is not one molecule, or not in the engine's canonical spelling, scores 0). Then the picture:
the target is drawn again with the renderer and every option the sample's meta records (RDKit's
`MoleculeOptions`, or Mathpix-markdown-it's style), and compared with the image pixel for pixel
(`pipelines.readers.ink.redraw_agreement`, 1.0 for the same drawing: the share of equal pixels it
replaces scored one changed atom 0.995-0.999, above its threshold). So a sample whose image is not the
drawing of its target (another molecule, a stereocentre drawn but not written) is caught; what
this cannot catch is a renderer that draws a SMILES wrongly in the first place.
"""

from __future__ import annotations

from typing import Any

from PIL import Image
from rdkit import Chem, rdBase

from pipelines.readers import Reading
from pipelines.readers.ink import captured_agreement
from shards.format import record_meta


def read(record: dict[str, Any], images: list[Image.Image]) -> Reading:
    """Check the record's SMILES round-trips, then redraw it as recorded and compare with the image."""
    target = record["target"]
    if not (target.startswith("<smiles>") and target.endswith("</smiles>")):
        return Reading(0.0, {"error": f"not a <smiles> target: {target[:60]!r}"})
    smiles = target[len("<smiles>"):-len("</smiles>")]
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return Reading(0.0, {"error": "the SMILES does not parse", "smiles": smiles})
    canonical = Chem.MolToSmiles(mol)
    if canonical != smiles:
        return Reading(0.0, {"error": "not canonical", "canonical": canonical})
    meta = record_meta(record)
    if meta.get("renderer") == "mathpix":
        from renderers.mathpix import MathpixStyle, render_mathpix

        drawn = render_mathpix([target], MathpixStyle(**meta["style"]))[0]
    else:
        from renderers.rdkit import MoleculeOptions, draw_molecule_isolated

        drawn = draw_molecule_isolated(smiles, MoleculeOptions(**meta["style"]))
    if not hasattr(drawn, "images"):
        return Reading(0.0, {"error": f"the target does not draw: {drawn}"})
    figures = captured_agreement(drawn.images[0], images[0], meta)
    return Reading(figures["score"], {"canonical": True, **figures, "renderer": meta.get("renderer")})
