"""The engine registry: `--engine NAME` looks its class up here, nowhere else.

Each engine is a package `engines/<name>/` (its Config, its Engine, its content generators, its
`--source` reader), registered below by import path and imported only when it is used. So
`import engines`, `python -m pipelines.build --help` and every other engine keep working when one
engine's tool (RDKit, onnxruntime, ...) is not installed: only that engine fails, with a message
that names the missing module. Adding an engine is one package and one line in `ENGINES`.
"""

from __future__ import annotations

import importlib

from engines.base import Draw, Engine, EngineConfig, Resources, Sample, SampleError, derived, make_rng

ENGINES: dict[str, str] = {
    "charts": "engines.charts:ChartsEngine",
    "doc_slices": "engines.docs:DocSlicesEngine",
    "docs": "engines.docs:DocsEngine",
    "finegrained": "engines.finegrained:FinegrainedEngine",
    "formulas": "engines.formulas:FormulasEngine",
    "geometry": "engines.geometry:GeometryEngine",
    "handwriting": "engines.handwriting:HandwritingEngine",
    "molecules": "engines.molecules:MoleculesEngine",
    "multicrop": "engines.multicrop:MulticropEngine",
    "multipage": "engines.multipage:MultipageEngine",
    "pages": "engines.pages:PagesEngine",
    "scene": "engines.scene:SceneEngine",
    "scene_crops": "engines.scene:SceneCropsEngine",
    "sheet_music": "engines.sheet_music:SheetMusicEngine",
    "smoke": "engines.smoke:SmokeEngine",
    "tables": "engines.tables:TablesEngine",
}


class EngineUnavailable(ValueError):
    """The engine exists but cannot be imported here (a missing package); the message says what to install."""


def get_engine(name: str) -> type[Engine]:
    """The engine class registered as `name`, imported now.

    Raises:
        ValueError: unknown name (the message lists the known ones).
        EngineUnavailable: the engine's package needs a module that is not installed.
    """
    if name not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {name!r}; known engines: {known}")
    module, cls = ENGINES[name].split(":")
    try:
        found = getattr(importlib.import_module(module), cls)
    except ModuleNotFoundError as e:
        if e.name and (e.name == module or module.startswith(e.name + ".")):
            raise  # the engine's own module is missing: a broken registry entry, not a user problem
        raise EngineUnavailable(
            f"engine {name!r} needs the Python module {e.name!r}, which is not installed: run `make setup` "
            f"(or `pip install {e.name}` in this environment); other engines are unaffected") from None
    if found.name != name:
        raise TypeError(f"ENGINES[{name!r}] is {ENGINES[name]}, whose name is {found.name!r}: the key must be the name")
    return found


__all__ = ["ENGINES", "Draw", "Engine", "EngineConfig", "EngineUnavailable", "Resources", "Sample", "SampleError",
           "derived", "get_engine", "make_rng"]
