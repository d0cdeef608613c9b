"""The benchmark's workloads: ``setup(lib) -> step``, the same code for numtorch and torch.

``lib`` is the ``numtorch`` or the ``torch`` module; a setup builds the data and the model
once and returns ``step``, the thing timed. This module imports only the standard library
(NumPy inside the functions that need it) and nothing of numtorch: ``probe.py`` loads it by
path in a fresh process that must hold one library alone.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Step = Callable[[], None]


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    setup: Callable[[Any], Step]
    inner: int  # one timing sample runs step() this many times
    target: float | None  # the largest acceptable ratio numtorch/torch
    slow: bool  # seconds a sample: run only when named in --only


WORKLOADS: dict[str, Workload] = {}
TINY_TARGET = 0.5  # tiny-op loops: twice as fast as torch
MLP_TARGET = 0.85
CNN_TARGET = 1.5
IMPORT_TARGET = 0.1
MEMORY_TARGET = 1.0  # peak memory of the MLP epoch: at most torch's
FLOOR_TARGET = 1.3  # the MLP epoch over its own matrix products


def workload(name: str, description: str, inner: int, target: float | None,
             slow: bool = False) -> Callable[[Callable[[Any], Step]], Callable[[Any], Step]]:
    """Register ``setup(lib) -> step`` under ``name``."""
    def register(setup: Callable[[Any], Step]) -> Callable[[Any], Step]:
        WORKLOADS[name] = Workload(name, description, setup, inner, target, slow)
        return setup

    return register


@workload("op_1", "fwd+bwd of (a*b + c).sum(), 1 element", 2000, TINY_TARGET)
def _op_1(lib: Any) -> Step:
    a, b, c = (lib.ones(1, requires_grad=True) for _ in range(3))
    return lambda: (a * b + c).sum().backward()


@workload("op_100", "fwd+bwd of (a*b + c).sum(), 100 elements", 2000, TINY_TARGET)
def _op_100(lib: Any) -> Step:
    a, b, c = (lib.ones(100, requires_grad=True) for _ in range(3))
    return lambda: (a * b + c).sum().backward()


@workload("linear_relu", "Linear(10, 10) + ReLU step on a 1x10 input, SGD", 1000, TINY_TARGET)
def _linear_relu(lib: Any) -> Step:
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(10, 10), lib.nn.ReLU())
    opt = lib.optim.SGD(net.parameters(), lr=0.01)
    x = lib.ones(1, 10)

    def step() -> None:
        opt.zero_grad()
        net(x).sum().backward()
        opt.step()

    return step


@workload("linreg", "d2l linear regression from scratch: 1,000 samples, batch 10, 3 epochs", 1,
          TINY_TARGET)
def _linreg(lib: Any) -> Step:
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


@workload("polynomial", "PyTorch's polynomial-fitting tutorial loop, 2,000 steps", 1,
          TINY_TARGET)
def _polynomial(lib: Any) -> Step:
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


@workload("lenet", "LeNet-5 training step on 256 28x28 images: conv, pool, cross_entropy, SGD",
          1, CNN_TARGET)
def _lenet(lib: Any) -> Step:
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


_MLP_LAYERS = ((784, 512), (512, 512), (512, 10))
_MLP_BATCH = 64
MLP_EPOCHS = ("mlp_epoch", "mlp_epoch_adam")  # the workloads whose floor is mlp_matmul
FLOOR = "mlp_matmul"


def fashion_mnist_dir() -> str:
    """FashionMNIST's IDX files: the Debian package's place, under $NUMTORCH_SYSTEM_DATASETS
    when set (as for ``numtorch train``)."""
    return os.path.join(os.environ.get("NUMTORCH_SYSTEM_DATASETS", "/usr/share/datasets"),
                        "fashion-mnist")


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
    """The 60,000 training images as float32 in [0, 1] (188 MB) and their int64 labels."""
    import numpy as np

    root = fashion_mnist_dir()
    if not os.path.isdir(root):
        raise FileNotFoundError(f"the MLP workloads need FashionMNIST's IDX files in {root} "
                                "(Debian: apt-get install dataset-fashion-mnist)")
    images = _idx(f"{root}/train-images-idx3-ubyte.gz").astype(np.float32) / 255
    labels = _idx(f"{root}/train-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels


def _mlp_epoch(lib: Any, optimizer: str) -> Step:
    """Seed 001's MLP: one epoch, shuffled TensorDataset + DataLoader at batch 64."""
    images, labels = _fashion_mnist()
    lib.manual_seed(0)
    data = lib.utils.data.TensorDataset(lib.from_numpy(images), lib.from_numpy(labels))
    loader = lib.utils.data.DataLoader(data, batch_size=_MLP_BATCH, shuffle=True)
    nn = lib.nn
    layers: list = [nn.Flatten()]
    for i, (n_in, n_out) in enumerate(_MLP_LAYERS):
        layers += [nn.Linear(n_in, n_out)] + ([nn.ReLU()] if i < len(_MLP_LAYERS) - 1 else [])
    model = nn.Sequential(*layers)
    opt = getattr(lib.optim, optimizer)(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        for x, y in loader:
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()

    return step


@workload("mlp_epoch", "one epoch of seed 001's MLP on FashionMNIST (784-512-512-10, SGD "
          "lr=1e-3, batch 64, shuffled TensorDataset + DataLoader)", 1, MLP_TARGET, slow=True)
def _mlp_epoch_sgd(lib: Any) -> Step:
    return _mlp_epoch(lib, "SGD")


@workload("mlp_epoch_adam", "mlp_epoch with Adam (lr=1e-3) instead of SGD", 1, MLP_TARGET,
          slow=True)
def _mlp_epoch_adam(lib: Any) -> Step:
    return _mlp_epoch(lib, "Adam")


@workload("mlp_matmul", "the matrix products of one mlp_epoch alone, at their shapes (the "
          "epoch's floor): NumPy's for numtorch, torch.mm for torch", 1, None, slow=True)
def _mlp_matmul(lib: Any) -> Step:
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
