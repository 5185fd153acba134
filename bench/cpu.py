"""The CPU time a benchmark spends, wherever it runs: this process, its live helpers, its finished children.

Renderers work outside the Python process: Chromium and the RDKit or Verovio children stay alive
beside it, TeX runs start and end. A per-CPU-second figure that counted only this process would
make a tool that works elsewhere look free, so every benchmark counts all three.
"""

from __future__ import annotations

import psutil


def cpu_seconds() -> float:
    """CPU time of this process, its live descendants, and every child that has finished."""
    total = 0.0
    me = psutil.Process()
    for proc in [me, *me.children(recursive=True)]:
        try:
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total
