"""The `sheet_music` engine: single-system piano grand-staff excerpts (generated, or cut from real **kern
scores) engraved by Verovio; target their **kern, or GrandStaff's bekern tokenisation of it."""

from engines.sheet_music.engine import SheetMusicEngine

__all__ = ["SheetMusicEngine"]
