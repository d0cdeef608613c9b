"""Scaling of data-parallel training: one FashionMNIST epoch of the quickstart MLP on 1 and N ranks.

    python benchmarks/ddp_scaling.py                    # 1 and 2 ranks, full epochs
    python benchmarks/ddp_scaling.py --ranks 1 2 3 --limit 12000 --epochs 3

Each configuration runs this file as ``numtorch run --nproc-per-node N ddp_scaling.py --worker``
with one BLAS thread per rank (OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS = 1), so
N ranks want N cores. A worker trains ``examples/ddp_fashion_mnist.py``'s model with its
functions (DistributedSampler, DDP, SGD) and times each epoch's training loop: data loading,
forward, backward with the gradient all-reduce, SGD step (no evaluation, no start-up). The
whole epoch is split between the ranks (strong scaling), so the ideal time on N ranks is T1/N:

    speedup = T1 / TN        efficiency = speedup / N

The best epoch of ``--epochs`` is reported (the first one warms caches up), with the CPU
seconds the ranks used in it: when other programs load the machine, wall time suffers but the
CPU time still shows what DDP costs ("cpu eff.": one rank's CPU seconds over all ranks', ideal
100%). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ddp_fashion_mnist.py"
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ddp_fashion_mnist", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker(args: argparse.Namespace) -> None:
    """One rank: train ``args.epochs`` epochs, rank 0 prints one JSON line per epoch."""
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP
    from torch.utils.data import DataLoader
    from torch.utils.data.distributed import DistributedSampler

    ex = _example()
    dist.init_process_group("gloo")
    torch.manual_seed(0)
    data = ex.load(argparse.Namespace(data=args.data, limit=args.limit), True)
    sampler = DistributedSampler(data, seed=0)
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler)
    model = DDP(ex.NeuralNetwork())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        dist.barrier()
        wall, cpu = time.perf_counter(), time.process_time()
        ex.train_epoch(model, loader, loss_fn, optimizer)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cpus = [None] * dist.get_world_size()
        dist.all_gather_object(cpus, cpu)
        if dist.get_rank() == 0:
            print(json.dumps({"epoch": epoch, "wall": wall, "cpu": sum(cpus)}), flush=True)
    dist.destroy_process_group()


def measure(ranks: int, args: argparse.Namespace) -> list[dict]:
    """Each epoch's {"wall", "cpu"} seconds on ``ranks`` ranks."""
    env = dict(os.environ, **dict.fromkeys(_THREAD_VARS, "1"))
    cmd = [sys.executable, "-m", "numtorch", "run", "--nproc-per-node", str(ranks),
           __file__, "--worker", "--epochs", str(args.epochs), "--batch-size",
           str(args.batch_size), "--data", args.data]
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None,
                        help="train on the first N images only (default: all 60,000)")
    parser.add_argument("--batch-size", type=int, default=64, help="per rank")
    parser.add_argument("--data", default="data")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    best = {}
    for ranks in args.ranks:
        epochs = measure(ranks, args)
        best[ranks] = min(epochs, key=lambda e: e["wall"])
        shown = ", ".join(f"{e['wall']:.2f}" for e in epochs)
        print(f"{ranks} rank(s): epoch wall times {shown} s", flush=True)
    base = best.get(args.ranks[0]) if args.ranks[0] == 1 else None
    print(f"\n{'ranks':>5} {'epoch (s)':>10} {'cpu (s)':>8} {'speedup':>8} {'efficiency':>10} "
          f"{'cpu eff.':>8}")
    rows = []
    for ranks, e in best.items():
        speedup = base["wall"] / e["wall"] if base else float("nan")
        cpu_efficiency = base["cpu"] / e["cpu"] if base else float("nan")
        rows.append({"ranks": ranks, **e, "speedup": speedup, "efficiency": speedup / ranks,
                     "cpu_efficiency": cpu_efficiency})
        print(f"{ranks:>5} {e['wall']:>10.2f} {e['cpu']:>8.2f} {speedup:>8.2f} "
              f"{speedup / ranks:>10.0%} {cpu_efficiency:>8.0%}")
    print(f"(load average after the runs: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          "cpu eff. = one rank's CPU seconds / all ranks' CPU seconds)")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
