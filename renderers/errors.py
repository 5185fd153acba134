"""The one error renderers raise when the CONTENT cannot be drawn correctly.

It is a `SampleError` (the one failure type of a draw): an engine lets it pass, and the pipeline
counts it by reason and retries with a derived seed, as for any refused draw. Infrastructure
trouble (a crashed browser, a page that hangs) is NOT a RenderError: renderers recover from it
themselves and render the same input again, so that a sample never depends on how healthy a
worker happened to be.
"""

from __future__ import annotations

from engines.base import SampleError


class RenderError(SampleError):
    """A render that would be wrong (clipped or overlapping text, a script error) for this input.

    Args:
        reason: short stable slug (e.g. "text_overlap", "echarts_error") under which the failure is
            counted; it must not carry per-sample detail.
        excerpt: a short excerpt of the input or of the offending element, for the log.
    """

    def __init__(self, reason: str, excerpt: str = "") -> None:
        super().__init__(reason, excerpt)
        self.excerpt = excerpt[:200]
