"""Background photographs for synthetic scenes: real photos that ship in packages, checked to carry no text.

Why real photos: a reader must learn text against foliage, water, sky, brick, glass and clutter, not against flat
colours or noise. Why only packaged ones: a build needs no download. Why many packages: a reader trained on one
wallpaper set (eleven nature photos) sees no streets, walls, buildings, sky or objects. Every photo below was looked
at by eye (real photographs, not renders or paintings; no letters or digits a person reads) and passes the text
check; `make setup` installs all six packages, and the engine uses those present (`installed`).

Package (Debian bookworm), its licence as Debian's copyright file states it, photos used, what they show:
- `mate-backgrounds`, GPL-2+, 11: flowers, grass, a dune, rain drops, a storm, wood, water.
- `plasma-workspace-wallpapers`, GPL-2+ (KDE Visual Design Group), 10: a pier in fog, paper cups, a lake at
  dusk, boats at sunset, autumn leaves, a building's facade, a kite in the sky, moss, a forest path.
- `lomiri-wallpapers-16.04`, CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0 per photo (photographer in the file name), 10:
  a bridge's cables over a beach, a fig in a bowl, paint brushes, dogs at a wooden house, mountains, a creek,
  dandelions, a sunset on a summit.
- `lomiri-wallpapers-20.04`, CC-BY-SA-3.0 (Lukas Baubkus), 1: a nuthatch on a tree trunk.
- `lxqt-themes`, LGPL-2.1+, 11: clouds, a storm sky, fog on a field, hills, flowers, butterflies, a dew drop.
- `opencv-doc` (its `examples/data`), Apache-2.0 AND BSD-3-Clause (photographers not named), 10 of 500-1300 px:
  a hotel front, a brick street in Leuven, a town from the air (two), an aloe against a wall, fruit, an apple, an
  orange, a dog, a squirrel.

Left out after a look: every render and abstract wallpaper of these packages, `gnome-backgrounds` and
`ukui-wallpapers` (renders only), `desktop-base` (renders, logos), OpenCV's photos with letters or digits
(`rubberwhale1`: foam letters; `messi5`, `board`, `graf1`, `box_in_scene`, `plant` with its price tag) or below
500 px, lomiri's `greentock` (a clock face's cut-out numerals), and five photos the text check refuses on a single
character (mate's `LadyBird`, plasma's `BytheWater`, lomiri's `Wine` and `free`, OpenCV's `ela_original`). The
photos of the PyPI `scikit-image` and `scikit-learn` wheels (coffee, a cat, a motorcycle, the Summer Palace) would
need those libraries as dependencies for seven photos, so they are not used.

Each photo is decoded once per process and shrunk to `WORK_SIDE` (its own 1600-5300 px would cost 50-150 ms a
decode per sample), then read once by PP-OCR (`renderers.ppocr`): a photo in which the reader detects any text is
refused as a background, because text in the image that the target does not name teaches the model to skip text.
The check is lazy (a photo is read the first time a sample draws it) and its verdict a pure function of the
photo, so every worker makes the same choice. All the photos at working size take about 150 MB a worker.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from engines.base import SampleError
from renderers import ppocr

WORK_SIDE = 1280  # longest side a background is kept at (crops are drawn at up to 1024)
CHECK_SIDE = 960  # the text check reads at this side: about 0.6 CPU-s a photo, once per process


@dataclass(frozen=True)
class Photo:
    """A packaged background photo: `name` (unique, recorded in a sample's meta), its path and its package."""

    name: str
    path: str
    package: str


def _photos(package: str, pattern: str, names: str) -> tuple[Photo, ...]:
    """The photos of one package: `pattern` turns each of the space-separated file `names` into its path (the
    photo's name is the file's stem)."""
    return tuple(Photo(Path(name).stem, pattern.format(name), package) for name in names.split())


PHOTOS: tuple[Photo, ...] = (
    *_photos("mate-backgrounds", "/usr/share/backgrounds/mate/nature/{}.jpg",
             "Aqua Blinds Dune FreshFlower Garden GreenMeadow RainDrops Storm TwoWings Wood YellowFlower"),
    *_photos("plasma-workspace-wallpapers", "/usr/share/wallpapers/{}/contents/images/2560x1600.jpg",
             "ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am"),
    *_photos("lomiri-wallpapers-16.04", "/usr/share/backgrounds/{}.jpg",
             "Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Picture_0B_by_freespace Picture_1A_by_freespace "
             "aitzgorri_by_Aitzol_Berasategi friends_by_Aitzol_Berasategi life_by_Aitzol_Berasategi "
             "picosdeeuropa_by_Aitzol_Berasategi seeding_by_Clements_Engelhardt sunset_by_Aitzol_Berasategi"),
    *_photos("lomiri-wallpapers-20.04", "/usr/share/backgrounds/{}.jpg", "Kleiber_by_Lukas_Baubkus"),
    *_photos("lxqt-themes", "/usr/share/lxqt/wallpapers/{}",
             "Butterfly-Kenneth-Wimer.jpg Valendas.png after-the-rain.jpg appleflower.png beam.png butterfly.png "
             "cloud.png drop.png flowers.png fog.jpg this-is-not-windows.jpg"),
    *_photos("opencv-doc", "/usr/share/doc/opencv-doc/examples/data/{}",
             "aero1.jpg aero3.jpg aloeL.jpg apple.jpg building.jpg chicky_512.png fruits.jpg leuvenA.jpg orange.jpg "
             "squirrel_cls.jpg"),
)
# What each photo shows, in English and Chinese, for a caption under it (the pages engine's photo figures): written
# after a look at each, and said of the whole scene, not of a detail, since a crop shows part of the photo.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "Aqua": ("A splash on a water surface", "水面上溅起的水花"),
    "Blinds": ("The veins of a green leaf", "绿叶的叶脉"),
    "Dune": ("Dry grass on a dune by the sea", "海边沙丘上的枯草"),
    "FreshFlower": ("Orange petals in close-up", "橙色花瓣特写"),
    "Garden": ("A red and yellow flower in a garden", "花园里的红黄色花朵"),
    "GreenMeadow": ("Young green grass", "嫩绿的青草"),
    "RainDrops": ("Raindrops on green leaves", "绿叶上的雨滴"),
    "Storm": ("Storm clouds over a road", "公路上空的暴风云"),
    "TwoWings": ("Orange flowers in soft focus", "柔焦下的橙色花朵"),
    "Wood": ("A weathered wooden surface", "风化的木板"),
    "YellowFlower": ("A yellow flower in close-up", "黄色花朵特写"),
    "ColdRipple": ("A wooden pier in fog", "雾中的木栈桥"),
    "ColorfulCups": ("Rows of coloured paper cups", "一排排彩色纸杯"),
    "DarkestHour": ("A lake in blue mist", "蓝色薄雾中的湖面"),
    "EveningGlow": ("Rowing boats on a lake shore at sunset", "日落时湖岸边的小船"),
    "FallenLeaf": ("Autumn leaves on the ground", "地上的秋叶"),
    "Grey": ("The curved facade of a modern building", "现代建筑的曲线外墙"),
    "Kite": ("White clouds in a blue sky", "蓝天白云"),
    "OneStandsOut": ("Moss seen from above", "俯瞰苔藓"),
    "Path": ("A path through a conifer forest", "针叶林中的小路"),
    "summer_1am": ("A calm lake at twilight", "暮光中平静的湖面"),
    "Bridge_by_Sander_Klootwijk": ("Bridge cables over a beach", "海滩上空的桥梁拉索"),
    "Dragonfly_by_Bolly": ("Leaves of a tree against a blue sky", "蓝天下的树叶"),
    "Picture_0B_by_freespace": ("Half a fig in a red bowl", "红碗里的半个无花果"),
    "Picture_1A_by_freespace": ("Used paint brushes", "用过的画笔"),
    "aitzgorri_by_Aitzol_Berasategi": ("Mountains above an autumn forest", "秋林上方的群山"),
    "friends_by_Aitzol_Berasategi": ("Dogs at the window of a wooden house", "木屋窗口的狗"),
    "life_by_Aitzol_Berasategi": ("A creek among rocks in a forest", "林间岩石中的小溪"),
    "picosdeeuropa_by_Aitzol_Berasategi": ("Rocky peaks above a mountain pasture", "高山牧场上方的岩峰"),
    "seeding_by_Clements_Engelhardt": ("Dandelion clocks in a meadow", "草地上的蒲公英"),
    "sunset_by_Aitzol_Berasategi": ("Sunset over mountains", "群山上的日落"),
    "Kleiber_by_Lukas_Baubkus": ("A bird on a tree trunk", "树干上的鸟"),
    "Butterfly-Kenneth-Wimer": ("Wild flowers against a pale background", "浅色背景下的野花"),
    "Valendas": ("Clouds over mountain ridges", "山脊上空的云"),
    "after-the-rain": ("Clouds at sunset after rain", "雨后日落时的云"),
    "appleflower": ("Apple blossom on a green background", "绿色背景中的苹果花"),
    "beam": ("Sunbeams through storm clouds over hills", "穿过乌云照在山丘上的阳光"),
    "butterfly": ("A butterfly on a purple flower", "紫色花上的蝴蝶"),
    "cloud": ("Small clouds in a blue sky", "蓝天中的朵朵白云"),
    "drop": ("A dew drop on a blade of grass", "草叶上的露珠"),
    "flowers": ("Wild flowers in a meadow", "草地上的野花"),
    "fog": ("Fog over a hillside field", "山坡田野上的雾"),
    "this-is-not-windows": ("Green hills under a blue sky", "蓝天下的绿色山丘"),
    "aero1": ("A town seen from the air", "航拍的城镇"),
    "aero3": ("A town and woods seen from the air", "航拍的城镇与树林"),
    "aloeL": ("An aloe in a pot", "盆栽芦荟"),
    "apple": ("A red apple", "一个红苹果"),
    "building": ("A modern building behind a lawn", "草坪后的现代建筑"),
    "chicky_512": ("A small dog", "一只小狗"),
    "fruits": ("Cut fruit", "切开的水果"),
    "leuvenA": ("A cobbled street between brick houses", "砖房之间的鹅卵石街道"),
    "orange": ("An orange", "一个橙子"),
    "squirrel_cls": ("A squirrel on a branch", "树枝上的松鼠"),
}
PACKAGES = tuple(dict.fromkeys(p.package for p in PHOTOS))
_NAMES = {Path(p.path): f"{p.package}/{p.name}" for p in PHOTOS}
# The detector finds text-like strokes in foliage now and then; a detection counts as text only when it is
# also recognised with this confidence and holds a letter or digit.
TEXT_SCORE = 0.6


def description(photo: Photo, lang: str) -> str:
    """What `photo` shows, in `lang` ("en" or "zh"): "A misty lake at dawn", "晨雾中的湖面"."""
    return DESCRIPTIONS[photo.name][("en", "zh").index(lang)]


class BackgroundRefused(SampleError):
    """A photo that cannot serve as a background (`reason`: "background_has_text" or "background_unreadable")."""


@functools.cache
def installed() -> tuple[Path, ...]:
    """The background photos present on this machine, in a fixed order.

    Raises:
        RuntimeError: none is; the message names the packages. With only some installed, the others' photos are
            simply not drawn (a sample's meta names its photo as "package/photo").
    """
    found = tuple(path for path in _NAMES if path.is_file())
    if not found:
        raise RuntimeError(f"no background photo is installed: run `make setup` (Debian packages {' '.join(PACKAGES)})")
    return found


def text_found(image: Image.Image) -> list[str]:
    """The texts PP-OCR reads in an image with some confidence (empty: the image carries no text)."""
    rendered = ppocr.read(image, ppocr.ReadOptions(det_side=CHECK_SIDE, det_limit="max", min_score=TEXT_SCORE))
    return [t.text for t in rendered.texts if any(ch.isalnum() for ch in t.text)]


@dataclass(frozen=True)
class Background:
    """A checked background: the photo at working size, and where it came from ("package/photo" if packaged)."""

    image: Image.Image
    name: str


def load(path: Path) -> Background:
    """A photo at working size, checked by PP-OCR to carry no text (the verdict is kept for the process).

    Raises:
        BackgroundRefused: the photo shows text, or cannot be decoded.
    """
    verdict = _checked(path)
    if isinstance(verdict, BackgroundRefused):  # a fresh one: the cached verdict is raised again and again
        raise BackgroundRefused(verdict.reason, verdict.detail)
    return verdict


@functools.lru_cache(maxsize=None)  # every packaged photo stays decoded: each is drawn again and again
def _checked(path: Path) -> Background | BackgroundRefused:
    try:
        with Image.open(path) as img:
            img.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG decodes at 1/2, 1/4 size directly
            image = img.convert("RGB")
    except OSError as exc:
        return BackgroundRefused("background_unreadable", f"{path}: {exc}")
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
    texts = text_found(image)
    if texts:
        return BackgroundRefused("background_has_text", f"{path.name} shows {texts[:3]}")
    return Background(image, _NAMES.get(path, path.name))
