"""The engine registry: `--engine NAME` looks its class up here, nowhere else.

Adding an engine is one module in this folder and one line in `ENGINES`.
"""

from __future__ import annotations

from engines.base import Engine, EngineConfig, Sample, SampleError, make_rng
from engines.charts import ChartsEngine

ENGINES: dict[str, type[Engine]] = {
    "charts": ChartsEngine,
}


def get_engine(name: str) -> type[Engine]:
    """The engine class registered as `name`; an unknown name lists the known ones."""
    try:
        return ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {name!r}; known engines: {known}") from None


__all__ = ["ENGINES", "Engine", "EngineConfig", "Sample", "SampleError", "get_engine", "make_rng"]
