"""The `tables` engine: LaTeX tabulars compiled and cropped, the normalised tabular as target.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: a table, a style, one compile per font and batch |
| `content` | `random_tabular(rng, lang)`: booktabs or `\\hline`, `\\multicolumn`, `\\multirow`, numbers, math; en and zh |
| `vocab` | what the generated tables say: topics, row and column names, groups |
| `source` | the `--source` reader: tabular-like environments of LaTeX sources, normalised to `tabular` |
| `style` | fonts (pdflatex, XeLaTeX for Chinese), sizes and spacing drawn from the rng |
"""

from engines.tables.engine import TablesEngine

__all__ = ["TablesEngine"]
