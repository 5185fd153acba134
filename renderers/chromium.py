"""One headless Chromium per worker process, driven by Playwright, reused for every render.

Launching Chromium costs seconds, so each process starts it once, on first use, keeps one page
per kind of content (loaded once with its scripts inline) and closes everything at exit. Pages
never reach the network: every request is aborted, and a count of attempts is kept for tests.

Pages are replaced every `page_calls` calls, because a page that renders thousands of charts
keeps growing its heap although each chart is disposed (seen: +60% over 20,000 charts).

A crash or a hang is the machine's fault, not the input's: `call` kills a browser that does not
answer within its timeout, starts a fresh one and runs the SAME call again, so a sample's pixels
never depend on a worker's health. Only when several fresh browsers in a row fail does it raise
`ChromiumError`, which is an infrastructure failure (the build task fails and Ray retries it),
never a per-sample one.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


def npm_asset(relpath: str) -> str:
    """The text of a file from an npm package (`npm ci` installs them), to inline into a page.

    Pages may load nothing from the network, so scripts (ECharts, Mathpix-markdown-it) go inline.

    Raises:
        FileNotFoundError: the package is not installed; the message says to run `make setup`.
    """
    path = NODE_MODULES / relpath
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make setup` (npm ci installs the JavaScript assets)")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class ChromiumConfig:
    executable: str = "/usr/bin/chromium"
    # --expose-gc gives pages `window.gc()`: Blink keeps every SVG decoded as an image (a page of its own)
    # until a major garbage collection, which a small JS heap seldom triggers, and a page slows as they
    # pile up (Mathpix molecules fell from 33 to 15-24 per CPU-second over 64 calls; collected once
    # 32 images have piled up, as renderers.mathpix does, 24-34 throughout).
    args: tuple[str, ...] = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             "--js-flags=--expose-gc")
    call_timeout_s: float = 30.0  # one render; far above the ~30 ms a chart takes
    attempts: int = 3  # fresh browsers to try before giving up
    page_calls: int = 500  # calls before a page is replaced: a long-lived page's heap keeps growing


class ChromiumError(RuntimeError):
    """Chromium failed repeatedly on the same call: an infrastructure failure, not a bad sample."""


class Chromium:
    """A headless browser with named pages; use `shared()` rather than constructing one per caller."""

    def __init__(self, config: ChromiumConfig | None = None) -> None:
        self.config = config or ChromiumConfig()
        self.blocked_requests = 0  # requests a page tried to make (all aborted); stays 0
        self.restarts = 0
        self._browser = None
        self._context = None
        self._pages: dict[str, Page] = {}
        self._calls: dict[str, int] = {}
        self._procs: list[psutil.Process] = []
        self._pid = os.getpid()  # the process that started the browser; only it may close or kill it

    def _start(self) -> None:
        if not os.path.exists(self.config.executable):
            raise ChromiumError(f"no Chromium at {self.config.executable}: run `make setup` (Debian package chromium)")
        before = {p.pid for p in psutil.Process().children(recursive=True)}
        self._browser = driver().chromium.launch(executable_path=self.config.executable, args=list(self.config.args))
        self._pid = os.getpid()
        _live.add(self)
        self._context = self._browser.new_context(viewport={"width": 1600, "height": 1600}, device_scale_factor=1)
        self._context.route("**/*", self._block)
        self._procs = [p for p in psutil.Process().children(recursive=True)
                       if p.pid not in before and _is_chromium(p)]

    def _block(self, route) -> None:
        self.blocked_requests += 1
        route.abort()

    def _page(self, name: str, html: str) -> Page:
        if self._browser is None:
            self._start()
        if self._calls.get(name, 0) >= self.config.page_calls:
            self._pages.pop(name).close()  # a fresh page gives back what the old one's heap grew to
        if name not in self._pages:
            page = self._context.new_page()
            page.set_content(html, wait_until="load")
            self._pages[name] = page
            self._calls[name] = 0
        self._calls[name] += 1
        return self._pages[name]

    def call(self, page: str, html: str, script: str, arg: Any = None) -> Any:
        """Evaluate `script` (a JS function of `arg`) in page `page`, loading `html` into it the first time.

        Raises:
            ChromiumError: `attempts` fresh browsers in a row crashed or timed out on this call.
        """
        failures = []
        for _ in range(self.config.attempts):
            watchdog = threading.Timer(self.config.call_timeout_s, self._kill)
            try:
                target = self._page(page, html)
                watchdog.start()
                return target.evaluate(script, arg)
            except PlaywrightError as exc:
                failures.append(str(exc).splitlines()[0][:200])
                self.close()
                self.restarts += 1
            finally:
                watchdog.cancel()
        raise ChromiumError(f"Chromium failed {len(failures)} times on one call: {failures}")

    def _kill(self) -> None:
        """Kill this browser's processes (only those it started), so a hung call fails and is retried."""
        if self._pid != os.getpid():
            return  # a forked child's copy: the browser belongs to the parent
        for proc in self._procs:
            try:
                proc.kill()  # psutil checks the pid still names the same process (no pid-reuse accident)
            except psutil.NoSuchProcess:
                pass

    def close(self) -> None:
        """Close the pages and the browser; tolerant of a browser that already died."""
        if self._pid != os.getpid():
            return
        if self._browser is not None:
            try:
                self._browser.close()
            except PlaywrightError:  # a crashed browser cannot be closed cleanly; its processes are killed below
                pass
        self._kill()
        self._browser = self._context = None
        self._pages = {}
        self._calls = {}
        self._procs = []


def _is_chromium(proc: psutil.Process) -> bool:
    try:
        return "chrom" in proc.name().lower()
    except psutil.NoSuchProcess:  # a short-lived helper that already exited
        return False


# One Playwright driver per process: its sync API cannot be started twice in one thread, and a
# browser that crashed is relaunched through the same driver. A forked child starts its own.
_playwright = None
_playwright_pid = 0
_shared: Chromium | None = None
_live: weakref.WeakSet[Chromium] = weakref.WeakSet()


def driver():
    """This process's Playwright driver, for anything that needs a browser of its own (a test, a tool)."""
    global _playwright, _playwright_pid
    if _playwright is None or _playwright_pid != os.getpid():
        _playwright, _playwright_pid = sync_playwright().start(), os.getpid()
    return _playwright


def shared() -> Chromium:
    """This process's browser, started lazily on first use and closed at exit."""
    global _shared
    if _shared is None or _playwright_pid not in (0, os.getpid()):
        _shared = Chromium()
    return _shared


@atexit.register
def _shutdown() -> None:
    """Close every browser this process started, then its driver."""
    if _playwright_pid != os.getpid():
        return
    for browser in list(_live):
        browser.close()
    try:
        _playwright.stop()
    except Exception:  # noqa: BLE001 - at exit, a driver that already went away is fine
        pass
