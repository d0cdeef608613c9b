"""Side-by-side timings of numtorch and torch on the tutorials' workloads.

    python benchmarks/bench.py                 # every workload, default threads
    python benchmarks/bench.py --threads 1     # pin BLAS/torch threads
    python benchmarks/bench.py --only op_1 linreg --json out.json
    python benchmarks/bench.py --only mlp_epoch mlp_matmul --repeat 3   # not in the default set

Each workload is a function ``setup(lib) -> step`` built once per library; the harness runs
the two libraries alternately (numtorch, torch, numtorch, ...) for ``--repeat`` rounds so a
noisy neighbour hits both, and prints the median, min and max of each and the ratio of
medians numtorch/torch (below 1: numtorch is faster). Timings are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

WORKLOADS: dict[str, tuple[str, Callable[[Any], Callable[[], None]], int]] = {}


def workload(name: str, description: str, inner: int) -> Callable:
    """Register ``setup(lib) -> step``; one timing sample runs ``step`` ``inner`` times."""
    def register(setup: Callable) -> Callable:
        WORKLOADS[name] = (description, setup, inner)
        return setup

    return register


@workload("op_1", "fwd+bwd of (a*b + c).sum(), 1 element", 2000)
def _op_1(lib: Any) -> Callable[[], None]:
    a, b, c = (lib.ones(1, requires_grad=True) for _ in range(3))
    return lambda: (a * b + c).sum().backward()


@workload("op_100", "fwd+bwd of (a*b + c).sum(), 100 elements", 2000)
def _op_100(lib: Any) -> Callable[[], None]:
    a, b, c = (lib.ones(100, requires_grad=True) for _ in range(3))
    return lambda: (a * b + c).sum().backward()


@workload("linear_relu", "Linear(10, 10) + ReLU step on a 1x10 input, SGD", 1000)
def _linear_relu(lib: Any) -> Callable[[], None]:
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(10, 10), lib.nn.ReLU())
    opt = lib.optim.SGD(net.parameters(), lr=0.01)
    x = lib.ones(1, 10)

    def step() -> None:
        opt.zero_grad()
        net(x).sum().backward()
        opt.step()

    return step


@workload("linreg", "d2l linear regression from scratch: 1,000 samples, batch 10, 3 epochs", 1)
def _linreg(lib: Any) -> Callable[[], None]:
    lib.manual_seed(0)
    true_w = lib.tensor([2.0, -3.4])
    features = lib.normal(0, 1, (1000, 2))
    labels = (lib.matmul(features, true_w) + 4.2).reshape(-1, 1)

    def step() -> None:
        w = lib.normal(0, 0.01, size=(2, 1), requires_grad=True)
        b = lib.zeros(1, requires_grad=True)
        for _ in range(3):
            for i in range(0, 1000, 10):
                x, y = features[i:i + 10], labels[i:i + 10]
                loss = ((lib.matmul(x, w) + b - y) ** 2 / 2).sum()
                loss.backward()
                with lib.no_grad():
                    for p in (w, b):
                        p -= 0.03 * p.grad / 10
                        p.grad.zero_()

    return step


@workload("polynomial", "PyTorch's polynomial-fitting tutorial loop, 2,000 steps", 1)
def _polynomial(lib: Any) -> Callable[[], None]:
    import math

    x = lib.linspace(-math.pi, math.pi, 2000)
    y = lib.sin(x)

    def step() -> None:
        a, b, c, d = (lib.randn((), requires_grad=True) for _ in range(4))
        for _ in range(2000):
            y_pred = a + b * x + c * x ** 2 + d * x ** 3
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with lib.no_grad():
                for p in (a, b, c, d):
                    p -= 1e-6 * p.grad
                    p.grad = None

    return step


@workload("lenet", "LeNet-5 training step on 256 28x28 images: conv, pool, cross_entropy, SGD", 1)
def _lenet(lib: Any) -> Callable[[], None]:
    nn = lib.nn
    lib.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
                        nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 120), nn.ReLU(),
                        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = lib.optim.SGD(net.parameters(), lr=0.01)
    x, y = lib.randn(256, 1, 28, 28), lib.randint(0, 10, (256,))

    def step() -> None:
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    return step


CLOCKS = {"wall": time.perf_counter, "thread": time.thread_time, "process": time.process_time}
SLOW = {"mlp_epoch", "mlp_matmul"}  # seconds per sample: run only when named in --only
FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
_MLP_LAYERS = ((784, 512), (512, 512), (512, 10))
_MLP_BATCH = 64


def _idx(path: str) -> Any:
    """An IDX file (gzip) as a NumPy array."""
    import gzip

    import numpy as np

    with gzip.open(path) as f:
        data = f.read()
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _fashion_mnist() -> tuple[Any, Any]:
    import numpy as np

    images = _idx(f"{FASHION_MNIST}/train-images-idx3-ubyte.gz").astype(np.float32) / 255
    labels = _idx(f"{FASHION_MNIST}/train-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels


@workload("mlp_epoch", "one epoch of seed 001's MLP on FashionMNIST (784-512-512-10, SGD, "
          "batch 64, shuffled TensorDataset + DataLoader)", 1)
def _mlp_epoch(lib: Any) -> Callable[[], None]:
    images, labels = _fashion_mnist()
    lib.manual_seed(0)
    data = lib.utils.data.TensorDataset(lib.from_numpy(images), lib.from_numpy(labels))
    loader = lib.utils.data.DataLoader(data, batch_size=_MLP_BATCH, shuffle=True)
    nn = lib.nn
    layers: list = [nn.Flatten()]
    for i, (n_in, n_out) in enumerate(_MLP_LAYERS):
        layers += [nn.Linear(n_in, n_out)] + ([nn.ReLU()] if i < len(_MLP_LAYERS) - 1 else [])
    model = nn.Sequential(*layers)
    opt = lib.optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        for x, y in loader:
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()

    return step


@workload("mlp_matmul", "the matrix products of one mlp_epoch alone (its floor): NumPy's for "
          "numtorch, torch.mm for torch", 1)
def _mlp_matmul(lib: Any) -> Callable[[], None]:
    import numpy as np

    rng = np.random.default_rng(0)
    n_batches = -(-60000 // _MLP_BATCH)
    weights = [rng.standard_normal((n_out, n_in), dtype=np.float32)
               for n_in, n_out in _MLP_LAYERS]
    acts = [rng.standard_normal((_MLP_BATCH, n_in), dtype=np.float32) for n_in, _ in _MLP_LAYERS]
    grads = [rng.standard_normal((_MLP_BATCH, n_out), dtype=np.float32)
             for _, n_out in _MLP_LAYERS]
    if lib.__name__ == "torch":
        weights, acts, grads = ([lib.from_numpy(a) for a in arrays]
                                for arrays in (weights, acts, grads))
        mm = lib.mm
    else:  # numtorch's products are NumPy's
        mm = np.matmul

    def step() -> None:
        for _ in range(n_batches):
            for i, (w, x, g) in enumerate(zip(weights, acts, grads)):
                mm(x, w.T)  # forward: x @ W^T
                mm(g.T, x)  # the weight's gradient
                if i:  # the input's gradient (none for the images)
                    mm(g, w)

    return step


def _import_time(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; " \
           "print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


def set_threads(n: int | None, torch: Any) -> None:
    if n is None:
        return
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
    except ImportError:
        pass
    if torch is not None:
        torch.set_num_threads(n)


def run(names: list[str], repeat: int, libs: list[Any],
        clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    for name in names:
        _, setup, inner = WORKLOADS[name]
        steps = {lib.__name__: setup(lib) for lib in libs}
        for step in steps.values():  # warm up both before timing either
            step()
        samples: dict[str, list[float]] = {lib.__name__: [] for lib in libs}
        for _ in range(repeat):
            for lib_name, step in steps.items():
                t = clock()
                for _ in range(inner):
                    step()
                samples[lib_name].append((clock() - t) / inner)
        results[name] = samples
    return results


def _fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.3f} s "


def report(results: dict[str, dict[str, list[float]]]) -> None:
    print(f"{'workload':<14} {'library':<9} {'median':>11} {'min':>11} {'max':>11}  ratio")
    for name, samples in results.items():
        medians = {lib: statistics.median(v) for lib, v in samples.items()}
        for lib, v in samples.items():
            ratio = ""
            if lib == "numtorch" and "torch" in medians:
                ratio = f"{medians['numtorch'] / medians['torch']:.2f}"
            print(f"{name:<14} {lib:<9} {_fmt(medians[lib])} {_fmt(min(v))} {_fmt(max(v))}"
                  f"  {ratio}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", choices=sorted(WORKLOADS), help="workloads to run")
    ap.add_argument("--repeat", type=int, default=7, help="alternating rounds per workload")
    ap.add_argument("--threads", type=int, default=None, help="BLAS/torch threads (default: "
                    "leave as is)")
    ap.add_argument("--no-torch", action="store_true", help="time numtorch alone")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall", help="wall (default); "
                    "thread: this thread's CPU time, steadier on a busy machine (meaningful with "
                    "--threads 1 only); process: the whole process's CPU time")
    ap.add_argument("--json", metavar="FILE", help="also write the samples as JSON")
    opts = ap.parse_args(argv)
    import numtorch

    torch = None
    if not opts.no_torch:
        try:
            import torch
        except ImportError:
            print("torch is not installed: timing numtorch alone")
    set_threads(opts.threads, torch)
    libs = [numtorch] + ([torch] if torch is not None else [])
    print(f"threads={opts.threads or 'default'} OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')} OPENBLAS_L2_SIZE="
          f"{os.environ.get('OPENBLAS_L2_SIZE', '(unset)')} repeat={opts.repeat}"
          f" clock={opts.clock}")
    clock = CLOCKS[opts.clock]
    names = opts.only or [n for n in WORKLOADS if n not in SLOW]
    results = run(names, opts.repeat, libs, clock)
    report(results)
    imports = {lib.__name__: _import_time(lib.__name__) for lib in libs}
    print("import time: " + ", ".join(f"{k} {v * 1e3:.0f} ms" for k, v in imports.items()))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump({"samples": results, "import_s": imports}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
