"""The `scene` and `scene_crops` engines: plain OCR of text in photographs (synthetic scenes, or real photos
pseudo-labelled by PP-OCR) and of single lines cut out of them.

Modules: `engine` (Config, the two engines), `content` (one synthetic scene), `backgrounds` (packaged photos checked
to carry no text), `fonts` (the typefaces), `words` (English words and Chinese phrases of real prose), `source`
(`--source` photos: robust opening and sure-only PP-OCR pseudo-labels).
"""

from engines.scene.engine import SceneCropsEngine, SceneEngine

__all__ = ["SceneCropsEngine", "SceneEngine"]
