"""The `formulas` engine: formulas drawn by Mathpix-markdown-it (MathJax) or LaTeX, Mathpix-markdown targets.

| module | holds |
| --- | --- |
| `engine` | the Engine and its Config: a formula, a renderer and its style, the target |
| `content` | `random_formula(rng, display)`: realistic LaTeX math at the lengths real papers write |
| `source` | the `--source` reader: formulas from LaTeX sources (macros expanded) or a list |
| `style` | MathJax styles and LaTeX math fonts (pdflatex and XeLaTeX) drawn from the rng |
"""

from engines.formulas.engine import FormulasEngine

__all__ = ["FormulasEngine"]
