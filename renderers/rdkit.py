"""Molecules from SMILES, drawn by RDKit as SVG and rasterised by MuPDF, in a child process that may crash.

RDKit's SVG drawer writes every line, wedge and atom label (FreeType glyph outlines) as a path,
which MuPDF rasterises in about 1 ms; RDKit's own Cairo drawer makes the same picture but hands
it over only as a PNG, and encoding and decoding that took 8 of its 11 CPU-ms a molecule of
NCI's set. MuPDF draws no dashes, so the dashed lines RDKit writes (aromatic bonds when not
kekulised: straight lines with a dash array) are cut into their dashes first (`_dashes_cut`);
an SVG holding anything else MuPDF might draw differently is drawn by Cairo after all
(`info["drawn_by"]` says which). Every drawing choice is a field of `MoleculeOptions`, which the
engine fills from its rng and records: the renderer has no randomness, and the same SMILES and
options give the same bytes. A drawing that would not be legible is refused rather than shrunk:
more heavy atoms than `max_heavy_atoms`, or an average drawn bond shorter than `min_bond_px`
(measured on the drawing itself, so canvas, rotation, hydrogens and layout all count).
RDKit is C++: `draw_molecule_isolated` runs the same call in a long-lived child process
(`renderers.isolated`), so an input that crashes or hangs RDKit costs one draw, not the worker.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
from dataclasses import dataclass

from PIL import Image, ImageColor
from rdkit import Chem, rdBase
from rdkit.Chem import rdAbbreviations, rdCoordGen, rdDepictor
from rdkit.Chem.Draw import rdMolDraw2D

from renderers.errors import RenderError
from renderers.fonts import FACES, font_file
from renderers.isolated import Isolated
from renderers.pymupdf import render_svg
from renderers.result import Rendered

PALETTES = {"default": "useDefaultAtomPalette", "bw": "useBWAtomPalette",
            "avalon": "useAvalonAtomPalette", "cdk": "useCDKAtomPalette"}
LAYOUTS = ("rdkit", "coordgen")
ABBREVIATIONS = rdAbbreviations.GetDefaultAbbreviations()
_DASHED = re.compile(r"d='M ([-\d.]+),([-\d.]+) L ([-\d.]+),([-\d.]+)' "
                     r"style='([^']*);stroke-dasharray:([\d.]+),([\d.]+)'")
_TAGS = re.compile(r"<(\w+)")


@dataclass(frozen=True)
class MoleculeOptions:
    """How a molecule is drawn, and when it is refused; every field is JSON-safe.

    Attributes:
        width, height: canvas size in pixels.
        bond_line_width: bond stroke width in pixels.
        font: face key of `renderers.fonts.FACES` for atom labels (a CJK collection's first face).
        font_scale: label size relative to the bond length (RDKit's baseFontSize).
        min_font_px: labels never get smaller than this many pixels.
        rotation: degrees, clockwise.
        kekulize: alternating single and double bonds; False draws aromatic rings as aromatic bonds.
        explicit_hydrogens: draw every hydrogen as an atom.
        wedge_bonds: wedges and hashes at stereocentres.
        palette: atom colours, one of PALETTES ("bw": black and white).
        background: an opaque CSS colour.
        layout: 2D coordinates from RDKit's own depictor or from CoordGen, one of LAYOUTS.
        padding: blank share of the canvas on each side.
        multiple_bond_offset: gap between the lines of a double bond, relative to the bond length.
        max_heavy_atoms: larger molecules are refused before drawing.
        min_bond_px: drawings whose average bond is shorter are refused.
        abbreviations: groups drawn as papers write them (tBu, CO2Et, CF3, OMe, NO2, Ac...: RDKit's
            default abbreviations, at most 40% of the atoms), unless `explicit_hydrogens`.

    An atom-map number in the SMILES (`[CH3:4]`) is drawn as papers number atoms: the number beside
    the atom, not a ":4" in its label; a dummy atom with isotope n (`[1*]`, RDKit's spelling of a
    molfile's R1) is drawn as the R-group label R with subscript n.
    """

    width: int = 512
    height: int = 384
    bond_line_width: float = 2.0
    font: str = "dejavu-sans"
    font_scale: float = 0.6
    min_font_px: int = 9
    rotation: float = 0.0
    kekulize: bool = True
    explicit_hydrogens: bool = False
    wedge_bonds: bool = True
    palette: str = "default"
    background: str = "#ffffff"
    layout: str = "rdkit"
    padding: float = 0.05
    multiple_bond_offset: float = 0.15
    max_heavy_atoms: int = 80
    min_bond_px: float = 12.0
    abbreviations: bool = False

    def __post_init__(self) -> None:
        if self.palette not in PALETTES or self.layout not in LAYOUTS or self.font not in FACES:
            raise ValueError(f"palette must be one of {sorted(PALETTES)}, layout one of {LAYOUTS}, font one of "
                             f"{sorted(FACES)}; got {self.palette!r}, {self.layout!r}, {self.font!r}")
        ImageColor.getrgb(self.background)


def _parse(smiles: str) -> Chem.Mol:
    """The sanitised molecule of a SMILES.

    Raises:
        RenderError: "smiles_invalid" when RDKit cannot parse or sanitise it, or it has no atoms.
    """
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None or mol.GetNumAtoms() == 0:
        raise RenderError("smiles_invalid", smiles)
    return mol


def canonical_smiles(smiles: str, isomeric: bool = True) -> str:
    """RDKit's canonical SMILES of a SMILES: equal for two SMILES of the same molecule.

    Args:
        smiles: any SMILES RDKit reads.
        isomeric: keep stereochemistry and isotopes.

    Raises:
        RenderError: "smiles_invalid".
    """
    return Chem.MolToSmiles(_parse(smiles), isomericSmiles=isomeric)


def _configure(drawer: rdMolDraw2D.MolDraw2D, options: MoleculeOptions) -> None:
    """Copy `options` into the drawer's drawOptions."""
    draw = drawer.drawOptions()
    getattr(draw, PALETTES[options.palette])()
    draw.setBackgroundColour(tuple(c / 255 for c in ImageColor.getrgb(options.background)[:3]) + (1.0,))
    draw.bondLineWidth = options.bond_line_width
    draw.fontFile = font_file(options.font)[0]
    draw.baseFontSize = options.font_scale
    draw.minFontSize = options.min_font_px
    draw.rotate = options.rotation
    draw.padding = options.padding
    draw.multipleBondOffset = options.multiple_bond_offset
    draw.annotationFontScale = 0.75  # atom numbers: RDKit's 0.5 drew them 7-8 px, under the labels' floor
    draw.prepareMolsBeforeDrawing = False  # done explicitly below, with our kekulize/wedge choices


def _mean_bond_px(drawer: rdMolDraw2D.MolDraw2D, mol: Chem.Mol) -> float:
    """Average bond length on the drawing, in pixels (0.0 for a molecule without bonds)."""
    lengths = []
    for bond in mol.GetBonds():
        a, b = drawer.GetDrawCoords(bond.GetBeginAtomIdx()), drawer.GetDrawCoords(bond.GetEndAtomIdx())
        lengths.append(math.hypot(a.x - b.x, a.y - b.y))
    return sum(lengths) / len(lengths) if lengths else 0.0


def draw_molecule(smiles: str, options: MoleculeOptions = MoleculeOptions()) -> Rendered:
    """Draw the molecule of a SMILES, in this process.

    Args:
        smiles: the molecule.
        options: every drawing choice (see MoleculeOptions).

    Returns:
        The image; no texts (atom labels are not OCR lines); info with "options" (as a dict),
        "heavy_atoms", "atoms" and "bonds" as drawn (hydrogens included), "mean_bond_px".

    Raises:
        RenderError: "smiles_invalid"; "molecule_too_large" when it has more than
            `options.max_heavy_atoms` heavy atoms or its average drawn bond is under `options.min_bond_px`.
    """
    mol = _parse(smiles)
    heavy = mol.GetNumHeavyAtoms()
    if heavy > options.max_heavy_atoms:
        raise RenderError("molecule_too_large", f"{heavy} heavy atoms > {options.max_heavy_atoms}: {smiles}")
    mol = _laid_out(mol, options)
    drawer = _draw(rdMolDraw2D.MolDraw2DSVG(options.width, options.height), mol, options)
    mean_bond = _mean_bond_px(drawer, mol)
    if 0 < mean_bond < options.min_bond_px:
        raise RenderError("molecule_too_large", f"bonds {mean_bond:.1f} px < {options.min_bond_px}: {smiles}")
    plain = _dashes_cut(drawer.GetDrawingText())
    if plain is not None:
        image, drawn_by = render_svg(plain), "mupdf"  # RDKit paints the background
    else:
        cairo = _draw(rdMolDraw2D.MolDraw2DCairo(options.width, options.height), mol, options)
        image, drawn_by = Image.open(io.BytesIO(cairo.GetDrawingText())).convert("RGB"), "cairo"
    info = {"options": dataclasses.asdict(options), "heavy_atoms": heavy, "atoms": mol.GetNumAtoms(),
            "bonds": mol.GetNumBonds(), "mean_bond_px": round(mean_bond, 2), "drawn_by": drawn_by}
    return Rendered([image], [], info)


def _laid_out(mol: Chem.Mol, options: MoleculeOptions) -> Chem.Mol:
    """The molecule with the options' hydrogens, 2D layout, kekulisation and wedges, ready to draw."""
    mol = Chem.Mol(mol)
    for atom in mol.GetAtoms():
        if atom.GetAtomMapNum():
            atom.SetProp("atomNote", str(atom.GetAtomMapNum()))
            atom.SetAtomMapNum(0)
        if atom.GetAtomicNum() == 0 and atom.GetIsotope():
            atom.SetProp("atomLabel", f"R<sub>{atom.GetIsotope()}</sub>")
    if options.explicit_hydrogens:
        mol = Chem.AddHs(mol)
    elif options.abbreviations:
        mol = rdAbbreviations.CondenseMolAbbreviations(mol, ABBREVIATIONS, maxCoverage=0.4)
    if options.layout == "coordgen":
        rdCoordGen.AddCoords(mol)
    else:
        rdDepictor.Compute2DCoords(mol, forceRDKit=True)
    return rdMolDraw2D.PrepareMolForDrawing(mol, kekulize=options.kekulize, wedgeBonds=options.wedge_bonds)


def _draw(drawer: rdMolDraw2D.MolDraw2D, mol: Chem.Mol, options: MoleculeOptions) -> rdMolDraw2D.MolDraw2D:
    """The molecule drawn and finished on `drawer` (SVG or Cairo: the same geometry either way)."""
    _configure(drawer, options)
    drawer.DrawMolecule(mol)
    drawer.FinishDrawing()
    return drawer


def _dashes_cut(svg: str) -> str | None:
    """RDKit's SVG with each dashed straight line cut into its dashes; None if MuPDF might draw it differently.

    A dash array is what MuPDF ignores (it strokes the whole line); Cairo starts the pattern at
    the line's start with butt caps, and so do the cut dashes. Anything but paths and the
    background rect, or a dash array on another shape, is left to Cairo.
    """
    def cut(match: re.Match) -> str:
        x0, y0, x1, y1, on, off = map(float, match.group(1, 2, 3, 4, 6, 7))
        style = match[5]
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0 or on + off <= 0:
            return f"d='' style='{style}'"
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        dashes, start = [], 0.0
        while start < length:
            end = min(start + on, length)
            dashes.append(f"M {x0 + ux * start:.2f},{y0 + uy * start:.2f} L {x0 + ux * end:.2f},{y0 + uy * end:.2f}")
            start += on + off
        return f"d='{' '.join(dashes)}' style='{style}'"

    plain = _DASHED.sub(cut, svg)
    if "dasharray" in plain or not set(_TAGS.findall(plain)) <= {"svg", "rect", "path"}:
        return None
    return plain


_CHILD = Isolated(draw_molecule, timeout_s=30.0, name="rdkit")


def draw_molecule_isolated(smiles: str, options: MoleculeOptions = MoleculeOptions()) -> Rendered:
    """`draw_molecule` run in this process's long-lived RDKit child (what engines should call).

    Raises:
        RenderError: as `draw_molecule`, or "renderer_crashed" / "render_timeout" (30 s) when
            RDKit died or hung on this input; the next call gets a fresh child.
    """
    return _CHILD(smiles, options)
