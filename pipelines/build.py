"""Build an engine's samples into WebDataset shards with Ray.

    python -m pipelines.build --engine charts --n 2e6 --out data/charts

Everything the user typed is checked before Ray starts, so bad input costs one line and
nothing written. Rerunning the same command resumes: complete shards are kept, the rest made.
`--max-shards K` makes at most K of the missing shards and stops (a bounded piece of a large
build, or a first look at one); rerunning continues. A Ctrl-C, during the build or while Ray shuts
down, ends with one line and exit code 130, like any interrupted command.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import posixpath
import signal
import sys
import time
import uuid

import fsspec

from engines import ENGINES, Engine, get_engine
from pipelines.build_plan import (
    BuildPlan,
    Existing,
    conflicting_build,
    done_shards,
    remove_stale_temporaries,
    scan_output,
    size_error,
    write_manifest,
)
from pipelines.card import write_card
from pipelines.cli import Parser, UsageError, add_config_flags, config_from_args, fail, parse_count
from shards.stats import ShardStats

PROG = "python -m pipelines.build"
MAX_SHARD_SIZE = 100_000
INTERRUPTED_EXIT = 130  # 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C


def make_parser(engine: type[Engine] | None) -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Render an engine's samples into WebDataset shards (OUT/ENGINE-000000.tar ...) with Ray.",
        epilog=f"engines: {', '.join(sorted(ENGINES))}. Engine options: {PROG} --engine NAME --help. "
               "Rerun the same command to resume an interrupted build.",
    )
    parser.add_argument("--engine", required=True, help="which engine to run")
    parser.add_argument("--n", required=True, help="number of samples: 1000, 1_000 or 2e6")
    parser.add_argument("--out", required=True, help="output folder, or an fsspec URL such as s3://bucket/charts")
    parser.add_argument("--shard-size", type=int, default=1000,
                        help=f"samples per shard, 1..{MAX_SHARD_SIZE} (default: 1000)")
    parser.add_argument("--seed", type=int, default=0, help="build seed; same seed, same bytes (default: 0)")
    parser.add_argument("--workers", type=int, default=None,
                        help="shards made at once (default: all CPUs of this machine or of the cluster)")
    parser.add_argument("--max-shards", type=int, default=None,
                        help="make at most this many of the missing shards, then stop; rerun to continue "
                             "(default: all)")
    parser.add_argument("--address", default=None,
                        help="Ray cluster to join, e.g. auto or HOST:6379 (default: $RAY_ADDRESS, else a local Ray)")
    if engine is not None:
        add_config_flags(parser, engine.Config, f"{engine.name} options")
    return parser


def check_output(out: str) -> str:
    """The output location as workers will see it; raises UsageError if it cannot be written."""
    try:
        fs, root = fsspec.core.url_to_fs(out)
    except (ImportError, ValueError) as e:
        raise UsageError(f"--out {out}: {e}") from None
    if "://" not in out:
        out = os.path.abspath(out)
    probe = posixpath.join(root, f".write-probe-{uuid.uuid4().hex[:8]}")
    try:
        if fs.exists(root) and not fs.isdir(root):
            raise UsageError(f"--out {out} is a file; give a folder for the shards")
        fs.makedirs(root, exist_ok=True)
        with fs.open(probe, "wb") as f:
            f.write(b"")
        fs.rm(probe)
    except OSError as e:
        raise UsageError(f"--out {out} cannot be written ({e.strerror or e}); choose a folder you can write to") from None
    return out


def parse(argv: list[str]) -> tuple[BuildPlan, argparse.Namespace, Existing]:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--engine")
    name = pre.parse_known_args(argv)[0].engine
    engine = None
    if name is not None and (name in ENGINES or not {"-h", "--help"} & set(argv)):
        engine = get_engine(name)  # unknown: "known engines: ..."; a missing package: what to install
    args = make_parser(engine).parse_args(argv)
    n = parse_count(args.n)
    if not 1 <= args.shard_size <= MAX_SHARD_SIZE:
        raise UsageError(f"--shard-size must be between 1 and {MAX_SHARD_SIZE}, got {args.shard_size}")
    why = size_error(n, args.shard_size)
    if why:
        raise UsageError(why)
    if args.max_shards is not None and args.max_shards < 1:
        raise UsageError(f"--max-shards must be at least 1, got {args.max_shards}")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more, got {args.seed}")
    config = config_from_args(engine.Config, args)
    try:
        built = engine(config)  # reads --source now, so a bad one fails before Ray
        info = built.describe()
    except (ValueError, OSError) as e:
        raise UsageError(str(e)) from None
    plan = BuildPlan(name, dataclasses.asdict(config), n, args.shard_size, args.seed, check_output(args.out),
                     info={k: v for k, v in info.items() if k not in ("engine", "config")},
                     packages=built.packages, resources=built.resources)
    existing = scan_output(plan.out)
    why = conflicting_build(plan, existing)
    if why:
        raise UsageError(f"--out {plan.out}: {why}; use a new --out, or delete it to rebuild")
    return plan, args, existing


def summarize(plan: BuildPlan, stats: list[ShardStats], skipped: int, seconds: float,
              errors: dict[str, str], retries: dict[str, int]) -> str:
    total = sum(stats, ShardStats())
    made = total.samples
    lines = [
        f"{plan.engine}: {made:,} samples in {len(stats)} shards made in {seconds:.1f} s "
        f"({made / max(seconds, 1e-9):.1f} samples/s), {skipped} shards already complete",
        f"  bytes written: {total.bytes / 1e6:.1f} MB; peak worker memory: {total.peak_memory_bytes / 2**20:.0f} MiB",
        "  failed draws (retried with derived seeds): "
        + (", ".join(f"{r}={c}" for r, c in sorted(total.failures.items())) or "none"),
    ]
    if retries:
        from pipelines.ray_runner import TASK_RETRIES

        lines.append(f"  retried {len(retries)} shards whose worker or node died "
                     f"({sum(retries.values())} retries, at most {TASK_RETRIES} a shard): {_some(sorted(retries))}")
    by_error: dict[str, list[str]] = {}
    for name, err in sorted(errors.items()):
        by_error.setdefault(err, []).append(name)
    if plan.info:
        lines.append("  engine: " + ", ".join(f"{k}={v}" for k, v in plan.info.items()))
    for err, names in by_error.items():
        lines.append(f"  FAILED {len(names)} shards ({_some(names)}): {err}")
    return "\n".join(lines)


def source_warning(plan: BuildPlan) -> str | None:
    """A warning when --n asks for more samples than the engine's --source has usable items, else None."""
    items = plan.info.get("source_items", 0)
    if not plan.config.get("source") or not items or plan.n <= items:  # molecules count their built-in set too
        return None
    return (f"warning: --source {plan.config.get('source')} offers {items:,} usable items for {plan.n:,} samples: "
            f"each is drawn about {plan.n / items:.1f} times (a different draw where the engine varies its "
            f"drawing, the same picture where it cannot); add items or lower --n")


def _some(names: list[str]) -> str:
    """The first three names, and how many more."""
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = None
    try:
        try:
            plan, args, existing = parse(argv)
        except (UsageError, ValueError) as e:
            fail(PROG, str(e))
        out = plan.out
        return build(plan, args, existing)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the clean-up below
        _stop_ray()
        if out is not None:
            remove_stale_temporaries(out)  # the stopped workers' unfinished shards
        print("interrupted: finished shards are kept; rerun the same command to resume", file=sys.stderr)
        return INTERRUPTED_EXIT


def build(plan: BuildPlan, args: argparse.Namespace, existing: Existing) -> int:
    """Make the missing shards (at most --max-shards of them), then the manifest if none is missing."""
    stale = remove_stale_temporaries(plan.out)
    done = done_shards(plan, existing)
    missing = plan.num_shards - len(done)
    todo = min(missing, args.max_shards or missing)
    print(f"{plan.engine}: {plan.n:,} samples in {plan.num_shards:,} shards of {plan.shard_size:,} -> {plan.out}"
          + (f" ({len(done):,} complete, resuming)" if done else "")
          + (f"; removed {stale} unfinished temporary files" if stale else "")
          + (f"; making {todo:,} of the {missing:,} missing (--max-shards)" if todo < missing else ""),
          file=sys.stderr)
    if warning := source_warning(plan):
        print(warning, file=sys.stderr)
    t0 = time.monotonic()
    new_stats: list[ShardStats] = []
    errors: dict[str, str] = {}
    retries: dict[str, int] = {}
    if todo:
        from pipelines.ray_runner import run_shards, start_ray  # Ray is imported only for real work

        workers = start_ray(args.address, args.workers, plan.resources)
        done_samples = sum(s.samples for s in done.values())
        result = run_shards(itertools.islice(plan.specs(skip=done), todo), todo, workers, total=plan.n,
                            initial=done_samples, resources=plan.resources)
        new_stats, errors, retries = result.stats, result.errors, result.retries
        _stop_ray()
        remove_stale_temporaries(plan.out)  # what attempts that died left beside shards that then failed
    print(summarize(plan, new_stats, len(done), time.monotonic() - t0, errors, retries))
    if errors:
        print(f"{len(errors)} shards failed; rerun the same command to retry them", file=sys.stderr)
        return 1
    if todo < missing:
        print(f"stopped after {todo:,} shards (--max-shards): {missing - todo:,} still missing; "
              "rerun to continue", file=sys.stderr)
        return 0
    path = write_manifest(plan, list(done.values()) + new_stats)
    print(f"  manifest: {path}")
    print(f"  dataset card: {write_card(plan.out)}")
    return 0


def _stop_ray() -> None:
    """Shut Ray down now, not in an exit hook where a Ctrl-C would print a traceback."""
    if "ray" in sys.modules:
        import ray

        ray.shutdown()


if __name__ == "__main__":
    sys.exit(main())
