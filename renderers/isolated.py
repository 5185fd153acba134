"""Run a renderer's calls in a long-lived child process, so a crash in C code costs one draw, not a shard.

RDKit, Verovio, MuPDF and friends are C/C++ libraries: an input that makes one of them segfault
or spin forever would kill or hang the Ray worker that called it, and Ray's retry would meet the
same input again. `Isolated` keeps one child process per renderer per worker (started on first use,
with the "spawn" method, so it inherits no threads or browser handles from its parent), sends it
one call at a time, and, when the child dies or overruns its timeout, kills it, starts a fresh one
for the next call, and raises `RenderError("renderer_crashed" | "render_timeout")` for this one,
which the pipeline counts as a failed draw and retries with a derived seed.

`fn` must be a module-level function (it is pickled by reference) and its arguments and result
picklable; the child imports `fn`'s module once and keeps whatever it caches there between calls.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from typing import Any, Callable

from renderers.errors import RenderError


def _serve(fn: Callable[..., Any], conn) -> None:
    """The child's loop: call `fn` on each argument tuple received, send back ("ok", result) or ("err", exc)."""
    while True:
        try:
            args = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", fn(*args)))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller, typed
            try:
                conn.send(("err", exc))
            except Exception:  # noqa: BLE001 - an exception that does not pickle
                conn.send(("err", RuntimeError(f"{type(exc).__name__}: {exc}")))


class Isolated:
    """`Isolated(fn)(*args)` is `fn(*args)` computed in a child process that a crash cannot take down the caller with.

    Args:
        fn: a module-level function of picklable arguments.
        timeout_s: how long one call may take before the child is killed.
        name: the tool's name, for error excerpts.
    """

    def __init__(self, fn: Callable[..., Any], timeout_s: float = 60.0, name: str = "") -> None:
        self.fn, self.timeout_s, self.name = fn, timeout_s, name or fn.__module__
        self.restarts = 0
        self._proc: mp.process.BaseProcess | None = None
        self._conn = None
        self._pid = os.getpid()

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(self.fn, child), daemon=True, name=f"isolated-{self.name}")
        self._proc.start()
        child.close()
        self._conn, self._pid = parent, os.getpid()

    def __call__(self, *args: Any) -> Any:
        """`fn(*args)`, run in the child.

        Raises:
            RenderError: "renderer_crashed" when the child died on this call, "render_timeout" when it
                overran `timeout_s` (the child is then replaced); or whatever `fn` raised.
        """
        if self._proc is None or not self._proc.is_alive() or self._pid != os.getpid():
            self._start()
        try:
            self._conn.send(args)
            if not self._conn.poll(self.timeout_s):
                self._reset()
                raise RenderError("render_timeout", f"{self.name} took over {self.timeout_s:.0f} s")
            status, value = self._conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            if self._proc is not None:
                self._proc.join(timeout=5)  # reap it, so its exit code (often -signal) is known
            code = self._proc.exitcode if self._proc is not None else None
            self._reset()
            raise RenderError("renderer_crashed", f"{self.name} child died (exit code {code})") from None
        if status == "err":
            raise value
        return value

    def _reset(self) -> None:
        """Kill the child (if any) so that the next call starts a fresh one."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(timeout=5)
            self.restarts += 1
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        """Stop the child; the next call starts a new one."""
        if self._proc is not None and self._pid == os.getpid():
            self._reset()
            self.restarts -= 1  # a deliberate stop is not a restart
