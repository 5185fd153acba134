"""A figure's photograph: a crop of one of the scene engine's packaged background photos, as the file a page includes
(the pages engine's LaTeX, the docs engine's HTML: both draw figures so, hence a module of its own).

Why these photos: papers and reports print photographs as well as charts, and the scene engine's backgrounds
(`engines.scene.backgrounds.PHOTOS`: real photos from Debian packages, each looked at by eye and checked by PP-OCR
to hold no letter or digit) are photos with no text in them, so a page's target (a figure is its caption) still
says all the page prints. The trade-off: LaTeX's sandbox reads no file outside its own folder, so a crop is written
into the folder the run is given; its name says which photo and which box (`gotphoto<k>x<left>x<top>x<width>x
<height>.jpg`), so the redraw of a page writes the very same file from the picture's LaTeX that the sample records.
Its caption says what the photo shows (`engines.scene.backgrounds.DESCRIPTIONS`, said of the whole scene since a
crop shows part of it), not the title of the section it stands in: a flower was captioned "图 2 类 Unix 文件系统".

A photo is drawn only for a document whose text speaks of what it shows (`photo`'s `topic`: the words of `SUBJECTS`),
as an article prints photos of its subject: a harbour at dusk in a chapter on git was no figure a reader of manuals
ever saw. A subject word is one a document uses of the thing photographed ("lake", "squirrel", "湖"), never one a
computing text uses in another sense ("window", "tree", "path", "field", "bridge", "apple", "cloud", "窗口"): no word
of `SUBJECTS` occurs in the built-in manuals, so their documents print drawings (charts, diagrams), as manuals do.
"""

from __future__ import annotations

import functools
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engines.scene.backgrounds import PHOTOS, description
from renderers.latex import LatexConfig, compile_document

WORK_SIDE = 1280  # a photo is decoded at about this side (JPEG's draft mode), the crop's box is in those pixels
CROP_WIDTH = 720  # pixels a crop is written at: 0.6 of a 475 pt line at about 180 dpi
FILE = re.compile(r"gotphoto(\d+)x(\d+)x(\d+)x(\d+)x(\d+)\.jpg")


def _installed() -> list[int]:
    return [k for k, photo in enumerate(PHOTOS) if Path(photo.path).is_file()]


@functools.cache  # every photo stays decoded (about 3 MB each, 160 MB for all): a decode costs 20-100 ms
def _decoded(k: int) -> Image.Image:
    """Photo k with its longer side `WORK_SIDE` (a JPEG decoded at a fraction of its size, then shrunk)."""
    with Image.open(PHOTOS[k].path) as img:
        img.draft("RGB", (WORK_SIDE, WORK_SIDE))
        image = img.convert("RGB")
    if max(image.size) > WORK_SIDE:
        image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BICUBIC)
    return image


@dataclass(frozen=True)
class Photograph:
    """A figure's photograph: its file's name (`FILE`: which photo, which box; `jpeg` writes it), and what it shows
    in the page's language (its caption's words)."""

    name: str
    shows: str

    @property
    def latex(self) -> str:
        """The LaTeX that includes it, 0.6 of the line wide."""
        return f"\\includegraphics[width=0.6\\linewidth]{{{self.name}}}"


LAKE, MOUNTAIN, FLOWER, PLANT, SKY = (("lake", "lakes"), ("湖",)), (("mountain", "mountains"), ("山峰", "群山", "高山")), \
    (("flower", "flowers", "blossom"), ("花朵", "花卉")), (("plant", "plants", "foliage"), ("植物",)), \
    (("sky", "sunset", "weather"), ("天空", "日落", "天气"))
# What each photo shows, as the words of a text about it (English, Chinese): its subject and the subject's kind.
SUBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Aqua": (("droplet", "droplets"), ("水花",)), "Blinds": PLANT, "Dune": (("dune", "dunes", "beach"), ("沙丘", "海滩")),
    "FreshFlower": FLOWER, "Garden": FLOWER, "GreenMeadow": (("grass", "meadow", "lawn"), ("草地", "青草")),
    "RainDrops": (("raindrop", "raindrops", "rain"), ("雨滴", "下雨")), "Storm": SKY, "TwoWings": FLOWER,
    "Wood": (("timber", "woodwork"), ("木材", "木板")), "YellowFlower": FLOWER, "ColdRipple": (("pier", "mist"), ("栈桥", "雾")),
    "ColorfulCups": (("tableware", "picnic"), ("纸杯", "餐具")), "DarkestHour": LAKE,
    "EveningGlow": (("rowing", "lake", "sunset"), ("小船", "湖", "日落")), "FallenLeaf": (("autumn",), ("秋天", "秋叶")),
    "Grey": (("facade", "facades"), ("建筑",)), "Kite": SKY, "OneStandsOut": (("moss",), ("苔藓",)),
    "Path": (("forest", "forests", "conifer"), ("森林", "树林")), "summer_1am": LAKE,
    "Bridge_by_Sander_Klootwijk": (("beach", "seaside"), ("海滩", "海边")), "Dragonfly_by_Bolly": PLANT,
    "Picture_0B_by_freespace": (("fruit", "fruits"), ("无花果", "水果")),
    "Picture_1A_by_freespace": (("paintbrush", "paintbrushes", "painting"), ("画笔", "绘画")),
    "aitzgorri_by_Aitzol_Berasategi": MOUNTAIN, "friends_by_Aitzol_Berasategi": (("dog", "dogs"), ("狗",)),
    "life_by_Aitzol_Berasategi": (("creek", "forest"), ("小溪", "森林")),
    "picosdeeuropa_by_Aitzol_Berasategi": MOUNTAIN, "seeding_by_Clements_Engelhardt": (("dandelion", "meadow"), ("蒲公英",)),
    "sunset_by_Aitzol_Berasategi": MOUNTAIN, "Kleiber_by_Lukas_Baubkus": (("bird", "birds"), ("鸟",)),
    "Butterfly-Kenneth-Wimer": FLOWER, "Valendas": MOUNTAIN, "after-the-rain": SKY, "appleflower": FLOWER, "beam": SKY,
    "butterfly": (("butterfly", "butterflies", "insect"), ("蝴蝶", "昆虫")), "cloud": SKY,
    "drop": (("dew", "grass"), ("露珠", "草叶")), "flowers": FLOWER, "fog": (("mist", "hillside", "farmland"), ("雾", "田野")),
    "this-is-not-windows": (("hills", "countryside"), ("山丘", "风景")), "aero1": (("town", "towns"), ("航拍", "城镇")),
    "aero3": (("town", "towns", "woodland"), ("航拍", "城镇")), "aloeL": (("aloe", "houseplant"), ("芦荟", "盆栽")),
    "apple": (("fruit", "fruits"), ("水果",)), "building": (("facade", "facades"), ("建筑",)),
    "chicky_512": (("dog", "dogs", "puppy"), ("狗",)),
    "fruits": (("fruit", "fruits"), ("水果",)), "leuvenA": (("town", "cobbled"), ("街道", "城镇")),
    "orange": (("fruit", "fruits", "citrus"), ("水果", "橙子")), "squirrel_cls": (("squirrel", "squirrels"), ("松鼠",)),
}


def about(name: str, lang: str, topic: str) -> bool:
    """Whether `topic` (a document's text around a figure, in `lang`) speaks of what photo `name` shows."""
    words = SUBJECTS[name][("en", "zh").index(lang)]
    if lang == "zh":
        return any(w in topic for w in words)
    return bool(re.search(r"\b(?:" + "|".join(words) + r")\b", topic, re.I))


def photo(rng: np.random.Generator, lang: str, topic: str) -> Photograph | None:
    """A photograph 0.6 of the line wide: a crop (4:3 to 16:9, at least half the photo's width) of a random
    installed background photo of which `topic` speaks (`about`), with its description (`backgrounds.description`);
    None where none is installed or the topic speaks of none."""
    installed = [k for k in _installed() if about(PHOTOS[k].name, lang, topic)]
    if not installed:
        return None
    k = installed[int(rng.integers(len(installed)))]
    width, height = _decoded(k).size
    aspect = float(rng.uniform(4 / 3, 16 / 9))
    w = int(min(width, height * aspect) * rng.uniform(0.5, 1.0))
    h = int(w / aspect)
    left, top = int(rng.integers(width - w + 1)), int(rng.integers(height - h + 1))
    return Photograph(f"gotphoto{k}x{left}x{top}x{w}x{h}.jpg", description(PHOTOS[k], lang))


@functools.lru_cache(maxsize=64)
def jpeg(name: str) -> bytes:
    """The JPEG of the crop a `Photograph.name` names, `CROP_WIDTH` pixels wide."""
    k, left, top, w, h = (int(v) for v in FILE.fullmatch(name).groups())
    crop = _decoded(k).crop((left, top, left + w, top + h))
    out = io.BytesIO()
    crop.resize((CROP_WIDTH, round(CROP_WIDTH * h / w)), Image.Resampling.BICUBIC, reducing_gap=2.0).save(
        out, "JPEG", quality=90)
    return out.getvalue()


def compile_with_photos(tex: str, config: LatexConfig) -> bytes:
    """The PDF of `tex`, compiled with the photo files it includes written into its run's folder.

    Raises:
        RenderError: as `renderers.latex.compile_document`.
    """
    names = sorted({m[0] for m in FILE.finditer(tex)})
    if not names:
        return compile_document(tex, config=config).pdf
    with tempfile.TemporaryDirectory(prefix="pages-photos-", dir=config.tmp_root) as folder:
        for name in names:
            Path(folder, name).write_bytes(jpeg(name))
        return compile_document(tex, folder, config=config).pdf
