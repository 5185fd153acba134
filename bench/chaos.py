"""Chaos: a build on a two-node Ray cluster while its workers are SIGKILLed and a node is preempted.

    python -m bench.chaos [--n 2000] [--shard-size 50] [--kill-every 3]

What a team running builds on spot machines meets: a local two-node cluster (started with `ray
start` as a user would, one CPU a node) makes the smoke engine's shards while a worker making a
shard is SIGKILLed each time `--kill-every` more shards have finished, and the second node is
killed (raylet, object manager and workers at once) halfway and replaced a few shards later; the
driver itself is SIGKILLed once early on and the same command rerun, as a user would.
The same build, undisturbed, on the same cluster in the same run is the baseline. Reported: kills
survived, the retries the build's summary names, wall time of both, and whether every byte,
the manifest and the folder listing are identical. Results go to bench/results/chaos.json.

The tests (tests/pipelines/test_build.py) drive a small chaos build with the same helpers.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
RAY = str(Path(sys.executable).parent / "ray")
RAY_ENV = dict(os.environ, RAY_AUTH_MODE="disabled")
# A killed node is found dead after about a second, not Ray's default 15 s (3 s x 5 missed checks).
FAST_HEALTH_CHECKS = '{"health_check_period_ms": 500, "health_check_failure_threshold": 2}'


def free_ports(k: int) -> list[int]:
    socks = [socket.socket() for _ in range(k)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def stop_nodes(*temp_dirs: str) -> None:
    """Kill the Ray processes of the nodes started with these --temp-dir folders, and only those:
    `ray stop` would kill every Ray on the machine, other builds' included."""
    procs = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if any(folder in cmdline for folder in temp_dirs):
            procs.append(proc)
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:  # it ended on its own meanwhile
            pass
    psutil.wait_procs(procs, timeout=30)


class LocalCluster:
    """Ray nodes on this machine (own ports and temp dirs), one CPU each, started with `ray start`."""

    def __init__(self) -> None:
        self.address = f"127.0.0.1:{free_ports(1)[0]}"
        self.temp_dirs: list[str] = []
        self._worker_ports = itertools.count(21000, 200)

    def start_node(self) -> str:
        """Start the head (first call) or another node; returns its --temp-dir, which names its processes."""
        temp = tempfile.mkdtemp(prefix="rn")
        nm, om = free_ports(2)
        low = next(self._worker_ports)
        cmd = [RAY, "start", f"--temp-dir={temp}", f"--node-manager-port={nm}", f"--object-manager-port={om}",
               f"--min-worker-port={low}", f"--max-worker-port={low + 100}", "--num-cpus", "1",
               "--disable-usage-stats"]
        if self.temp_dirs:
            cmd.append(f"--address={self.address}")
        else:
            cmd += ["--head", f"--port={self.address.rsplit(':', 1)[1]}", "--include-dashboard=false",
                    f"--system-config={FAST_HEALTH_CHECKS}"]
        done = subprocess.run(cmd, env=RAY_ENV, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"ray start failed: {done.stderr[-2000:]}")
        self.temp_dirs.append(temp)
        return temp

    def stop(self, *temp_dirs: str) -> None:
        """Kill these nodes (all of them by default), as a preempted machine dies."""
        stop_nodes(*(temp_dirs or self.temp_dirs))

    def busy_workers(self) -> list[psutil.Process]:
        """This cluster's worker processes that are making a shard now (Ray titles them by their task)."""
        busy = []
        for proc in psutil.process_iter(["cmdline"]):
            if not (proc.info["cmdline"] or [""])[0].startswith("ray::_run_shard"):
                continue
            try:
                raylet = " ".join(proc.parent().cmdline())
            except (psutil.Error, AttributeError):
                continue
            if any(temp in raylet for temp in self.temp_dirs):
                busy.append(proc)
        return busy

    def __enter__(self) -> "LocalCluster":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class ChaosRun:
    """What a disturbed build went through and how it ended."""

    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    kills: int = 0  # workers SIGKILLed while making a shard
    node_restarts: int = 0  # nodes killed and replaced by a new one
    driver_kills: int = 0
    events: list[str] = field(default_factory=list)

    @property
    def retries(self) -> int:
        """The retries the build's summary names (0 if it names none)."""
        found = re.search(r"\((\d+) retries", self.stdout)
        return int(found.group(1)) if found else 0


def build_command(out: Path, args: list[str], address: str) -> list[str]:
    return [sys.executable, "-m", "pipelines.build", *args, "--out", str(out), "--address", address]


def finished_shards(out: Path) -> int:
    return len(list(out.glob("*.stats.json")))


def chaos_build(cluster: LocalCluster, out: Path, args: list[str], shards: int, kill_every: int = 3,
                node: str | None = None, kill_driver_at: int | None = None, max_kills: int = 1000,
                stall_s: float = 300) -> ChaosRun:
    """Run the build, SIGKILLing a busy worker each time `kill_every` more shards have finished
    (at most `max_kills`). With `kill_driver_at`, SIGKILL the driver once that many shards are done
    and rerun it; with `node`, kill that node when half the shards are done and start a new one
    `kill_every` shards later. Steps are counted in finished shards, not seconds; a build that makes
    no shard for `stall_s` is stopped and reported as failed (returncode -9)."""
    run = ChaosRun()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as logs:
        def start_driver(k: int) -> subprocess.Popen:
            with open(f"{logs}/{k}.out", "w") as o, open(f"{logs}/{k}.err", "w") as e:
                return subprocess.Popen(build_command(out, args, cluster.address), cwd=REPO, env=RAY_ENV,
                                        stdout=o, stderr=e, text=True)

        proc = start_driver(0)
        replacement = threading.Thread(target=cluster.start_node)
        next_kill, stopped_at, last_done, last_change = kill_every, None, -1, time.monotonic()
        while proc.poll() is None:
            done = finished_shards(out)
            if done != last_done:
                last_done, last_change = done, time.monotonic()
            elif time.monotonic() - last_change > stall_s:
                proc.kill()
                break
            if kill_driver_at is not None and not run.driver_kills and done >= kill_driver_at:
                proc.kill()
                proc.wait()
                run.driver_kills += 1
                run.events.append(f"{time.monotonic() - t0:.1f}s: killed the driver at {done} shards; rerun")
                proc = start_driver(1)
            if done >= next_kill and run.kills < max_kills:
                busy = cluster.busy_workers()
                if busy:
                    busy[0].kill()
                    run.kills += 1
                    run.events.append(f"{time.monotonic() - t0:.1f}s: killed worker {busy[0].pid} at {done} shards")
                    next_kill = done + kill_every
            if node and stopped_at is None and done >= shards // 2:
                cluster.stop(node)
                stopped_at = done
                run.events.append(f"{time.monotonic() - t0:.1f}s: killed node {node} at {done} shards")
            if node and stopped_at is not None and not run.node_restarts and done >= stopped_at + kill_every:
                replacement.start()  # in the background: `ray start` takes seconds, the kills go on meanwhile
                run.node_restarts += 1
                run.events.append(f"{time.monotonic() - t0:.1f}s: starting a new node at {done} shards")
            time.sleep(0.05)
        run.returncode = proc.wait()
        if run.node_restarts:
            replacement.join()
        run.seconds = time.monotonic() - t0
        last = run.driver_kills
        run.stdout, run.stderr = Path(f"{logs}/{last}.out").read_text(), Path(f"{logs}/{last}.err").read_text()
    return run


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.glob("*.tar"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="samples (default: 2000)")
    parser.add_argument("--shard-size", type=int, default=50, help="samples per shard (default: 50)")
    parser.add_argument("--kill-every", type=int, default=3, help="kill a worker every K shards (default: 3)")
    args = parser.parse_args()
    build_args = ["--engine", "smoke", "--n", str(args.n), "--shard-size", str(args.shard_size), "--seed", "3"]
    shards = -(-args.n // args.shard_size)
    with tempfile.TemporaryDirectory() as tmp, LocalCluster() as cluster:
        cluster.start_node()
        node = cluster.start_node()
        calm = chaos_build(cluster, Path(tmp) / "calm", build_args, shards, max_kills=0)
        chaos = chaos_build(cluster, Path(tmp) / "chaos", build_args, shards, args.kill_every, node=node,
                            kill_driver_at=args.kill_every)
        for run in (calm, chaos):
            if run.returncode != 0:
                raise SystemExit(f"bench.chaos: a build failed:\n{run.stderr[-3000:]}")
        calm_out, chaos_out = Path(tmp) / "calm", Path(tmp) / "chaos"
        identical = (digests(calm_out) == digests(chaos_out) and len(digests(calm_out)) == shards
                     and (calm_out / "manifest.json").read_bytes() == (chaos_out / "manifest.json").read_bytes())
        leftovers = sorted(p.name for p in chaos_out.iterdir() if ".tmp-" in p.name)
    report = {"n": args.n, "shards": shards, "cpus": os.cpu_count(), "worker_kills": chaos.kills,
              "node_kills": chaos.node_restarts, "driver_kills": chaos.driver_kills, "retries_in_summary": chaos.retries,
              "undisturbed_seconds": round(calm.seconds, 1), "chaos_seconds": round(chaos.seconds, 1),
              "slowdown": round(chaos.seconds / calm.seconds, 2), "bytes_identical": identical,
              "temporaries_left": leftovers, "events": chaos.events}
    print(f"chaos: {chaos.kills} worker kills, {chaos.node_restarts} node kill and {chaos.driver_kills} driver "
          "kill survived, "
          f"{chaos.retries} retries; {chaos.seconds:.1f} s against {calm.seconds:.1f} s undisturbed "
          f"({report['slowdown']}x); bytes identical: {identical}; temporaries left: {len(leftovers)}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "chaos.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
