"""Shop fronts in scenes: a signboard drawn on a marked wall of a photo of a building, in the wall's perspective,
its shop's name in the target and each line's quad on the wall."""

from __future__ import annotations

import numpy as np
import pytest

from engines.base import SampleError
from engines.scene import backgrounds, content, fonts, shops
from renderers import perspective

SEEDS = range(16)


def _inside(point: tuple[float, float], quad: np.ndarray, slack: float = 1.0) -> bool:
    """Whether a point lies inside a convex quad (clockwise in image coordinates), to `slack` pixels."""
    for a, b in zip(quad, np.roll(quad, -1, axis=0)):
        edge, to = b - a, np.asarray(point) - a
        if (edge[0] * to[1] - edge[1] * to[0]) / max(float(np.hypot(*edge)), 1e-9) < -slack:
            return False
    return True


def test_shop_names_are_invented_pairs_of_a_name_and_a_trade() -> None:
    rng = np.random.default_rng(0)
    zh = [shops.shop_lines(rng, "zh") for _ in range(200)]
    en = [shops.shop_lines(rng, "en") for _ in range(200)]
    names = {n + t for n, _ in shops.ZH_NAMES for t, _ in shops.TRADES}
    assert all(lines[0] in names for lines in zh) and any(len(lines) == 2 for lines in zh)
    assert all(lines[1].lower().endswith(dict(shops.TRADES)[lines[0][-len(t):]].lower())
               for lines in zh if len(lines) == 2 for t, _ in shops.TRADES if lines[0].endswith(t))
    assert all(any(lines[0].lower().endswith(t.lower()) for _, t in shops.TRADES) for lines in en)


@pytest.mark.parametrize("facade", sorted(shops.FACADES))
def test_a_sign_is_drawn_on_each_marked_wall_with_its_lines_quads_on_the_wall(facade: str) -> None:
    """`content._shop` on a grey canvas the size of a whole-photo crop (no photo read): of 12 draws on each wall,
    most place a sign; its pixels change only on the wall, each line's quad lies on the wall, and the lines are
    the shop's sign (`shop_lines` drawn from the same generator)."""
    size = (1800, 1350)  # a crop enlarged about twice, as a shop front's crop is (`content.SHOP_FILL`)
    crop = {"crop": [0, 0, *size], "size": list(size), "mirror": False}
    faces = fonts.available(True)
    placed = 0
    for seed in range(12):
        wall = shops.FACADES[facade][seed % len(shops.FACADES[facade])]
        corners = shops.wall_in_crop(wall, size, crop)
        canvas = np.full((size[1], size[0], 3), 128, np.uint8)
        lang = ("en", "zh")[seed % 2]
        got = content._shop(np.random.default_rng(seed), lang, wall, size, crop, canvas, faces)
        if got is None:
            continue
        placed += 1
        lines, outer, item = got
        assert [line.text for line in lines] == shops.shop_lines(np.random.default_rng(seed), lang)
        assert item["kind"] == "shop" and item["size"] >= content.MIN_SIZE[lang]
        for line in lines:
            assert all(_inside(p, corners, slack=2.0) for p in line.quad), (line, corners)
        ys, xs = np.nonzero((canvas != 128).any(axis=2))
        assert all(_inside((x, y), corners, slack=2.0) for x, y in zip(xs[::97], ys[::97]))
        assert outer[0] <= xs.min() and outer[2] >= xs.max()
    assert placed >= 6, placed


@pytest.fixture(scope="module")
def shop_scenes() -> list[tuple]:
    """Scenes drawn with every scene a shop front (both languages), each with its crop's meta."""
    share, content.SHOP_SHARE = content.SHOP_SHARE, 1.0
    try:
        out = []
        for seed in SEEDS:
            lang = ("en", "zh")[seed % 2]
            try:
                out.append((lang, *content.compose(np.random.default_rng(seed), lang)))
            except SampleError as exc:  # no spot for the sign nor for any other item: a failed draw
                out.append((lang, None, None, {"error": str(exc)}))
        return out
    finally:
        content.SHOP_SHARE = share


@pytest.mark.slow  # the text check of four photos (PP-OCR) is most of its half minute
def test_most_shop_scenes_hold_a_sign_whose_lines_are_in_the_target_and_on_its_wall(shop_scenes) -> None:
    with_sign = 0
    for _lang, image, lines, meta in shop_scenes:
        if image is None:
            continue
        signs = [item for item in meta["items"] if item["kind"] == "shop"]
        if not signs:
            continue
        with_sign += 1
        sign = signs[0]
        assert sign["facade"] in shops.FACADES and meta["background"].endswith("/" + sign["facade"])
        texts = [line.text for line in lines]
        photo = backgrounds.load(next(p for p in backgrounds.installed() if p.stem == sign["facade"]))
        walls = [shops.wall_in_crop(w, photo.image.size, meta) for w in shops.FACADES[sign["facade"]]]
        shop_lines = [line for line in lines if any(line.text.startswith(n) or n.upper() in line.text.upper()
                                                    for n in [*(z for z, _ in shops.ZH_NAMES), *shops.EN_NAMES])]
        assert len(shop_lines) >= 1 and sign["lines"] >= 1, texts
        for line in shop_lines:  # every corner on the wall, inside the image
            assert any(all(_inside(p, wall, slack=3.0) for p in line.quad) for wall in walls), (line, walls)
            assert all(0 <= x <= image.width and 0 <= y <= image.height for x, y in line.quad)
    assert with_sign >= 0.6 * len(SEEDS), with_sign


def test_a_sign_takes_its_walls_perspective() -> None:
    """The canopy's front is taller at its near (right) end than at its far (left) end: so is a sign on it, by the
    wall's own ratio; a mirrored crop keeps the wall's corners clockwise from its top-left."""
    wall = shops.FACADES["building"][0]
    crop = {"crop": [0, 0, 868, 600], "size": [868, 600], "mirror": False}
    corners = shops.wall_in_crop(wall, (868, 600), crop)
    m = shops.wall_matrix(wall, corners)
    tl, tr, br, bl = perspective.map_points(m, [(0.0, 0.2), (7.0, 0.2), (7.0, 0.8), (0.0, 0.8)])
    left, right = bl[1] - tl[1], br[1] - tr[1]
    wall_left, wall_right = corners[3][1] - corners[0][1], corners[2][1] - corners[1][1]
    assert right > 1.05 * left and abs(right / left - wall_right / wall_left) < 0.02
    mirrored = shops.wall_in_crop(wall, (868, 600), {**crop, "mirror": True})
    assert mirrored[0][0] < mirrored[1][0] and mirrored[0][1] < mirrored[3][1]
