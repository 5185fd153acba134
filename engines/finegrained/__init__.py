"""The `finegrained` engine: GOT's box and colour prompts over regions of other engines' pages (stage 3).

Modules: `engine` (Config, the engine), `regions` (which lines a clear region holds, and where a frame fits),
`photos` (real photos with people's boxes).
"""

from engines.finegrained.engine import FinegrainedEngine

__all__ = ["FinegrainedEngine"]
