"""What a training run reports: JSON lines for metrics and for events, TensorBoard when installed.

OUT/metrics.jsonl holds one line per logged step (step, loss, lr, grad_norm, samples, tokens,
tokens_per_s, samples_per_s, and pad_share: the share of the step's batch positions that are
padding, which the decoder computes for nothing); OUT/events.jsonl holds start, init, resume,
first_batch and checkpoint records. Rank 0 writes both and echoes them to stdout (through tqdm, so
the trainer's progress bar on stderr stays whole). A resumed run first drops the metric lines a
killed run wrote past its checkpoint, so the file reads as one unbroken curve. The folder is made
with the first record, so a run that fails before it starts leaves no empty run folder behind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

METRICS = "metrics.jsonl"
EVENTS = "events.jsonl"
SCALARS = ("loss", "lr", "grad_norm", "tokens_per_s", "samples_per_s", "pad_share")


class RunLog:
    """Rank 0's log of one run folder; other ranks' calls do nothing."""

    def __init__(self, out: Path, rank: int) -> None:
        self.rank = rank
        self.out = out
        self.metrics_path = out / METRICS
        self.events_path = out / EVENTS
        self.tensorboard: Any = None

    def truncate_after(self, step: int) -> None:
        """Drop steps past `step`: the resumed run redoes them."""
        if self.rank != 0 or not self.metrics_path.exists():
            return
        kept = [line for line in self.metrics_path.read_text().splitlines() if json.loads(line)["step"] <= step]
        tmp = self.metrics_path.with_suffix(".tmp")
        tmp.write_text("".join(line + "\n" for line in kept))
        tmp.replace(self.metrics_path)

    def metrics(self, **values: Any) -> None:
        self._write(self.metrics_path, values)
        if self.rank == 0 and self.tensorboard is None:
            try:
                from torch.utils.tensorboard import SummaryWriter
                self.tensorboard = SummaryWriter(str(self.out / "tensorboard"))
            except ImportError:  # tensorboard is an optional extra
                self.tensorboard = False
        if self.tensorboard:
            for key in SCALARS:
                self.tensorboard.add_scalar(f"train/{key}", values[key], values["step"])

    def event(self, name: str, **values: Any) -> None:
        self._write(self.events_path, {"event": name, **values})

    def _write(self, path: Path, record: dict[str, Any]) -> None:
        if self.rank != 0:
            return
        line = json.dumps(record, default=str)
        tqdm.write(line, file=sys.stdout)
        sys.stdout.flush()
        self.out.mkdir(parents=True, exist_ok=True)
        with path.open("a") as f:
            f.write(line + "\n")

    def close(self) -> None:
        if self.tensorboard:
            self.tensorboard.close()
