"""Depthwise convolution timings, numtorch against torch (one thread, thread CPU time, best of 7).

    python benchmarks/depthwise_conv.py

Cases: Conv2d(32, 32, 3, groups=32, padding=1) on (64, 32, 28, 28), the same with stride 2,
with a channel multiplier of 2, and a 5x5 kernel on 14x14; forward, and forward + backward
(input, weight and bias gradients).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
from threadpoolctl import threadpool_limits

import numtorch

CASES = [
    ((64, 32, 28, 28), dict(in_channels=32, out_channels=32, kernel_size=3, groups=32,
                            padding=1)),
    ((64, 32, 28, 28), dict(in_channels=32, out_channels=32, kernel_size=3, groups=32,
                            padding=1, stride=2)),
    ((64, 32, 28, 28), dict(in_channels=32, out_channels=64, kernel_size=3, groups=32,
                            padding=1)),
    ((64, 32, 14, 14), dict(in_channels=32, out_channels=32, kernel_size=5, groups=32,
                            padding=2)),
]


def best_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.thread_time()
        fn()
        times.append(time.thread_time() - start)
    return min(times) * 1e3


def timings(lib, shape: tuple, kwargs: dict) -> tuple[float, float]:
    lib.manual_seed(0)
    conv = lib.nn.Conv2d(**kwargs)
    x = lib.randn(*shape, requires_grad=True)
    upstream = lib.randn(*conv(x).shape)

    def step() -> None:
        x.grad = None
        conv.zero_grad()
        conv(x).backward(upstream)

    return best_ms(lambda: conv(x)), best_ms(step)


def main() -> None:
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for shape, kwargs in CASES:
            (nf, nb), (tf, tb) = timings(numtorch, shape, kwargs), timings(torch, shape, kwargs)
            print(f"{shape} {kwargs}\n  forward  numtorch {nf:6.2f} ms  torch {tf:6.2f} ms  "
                  f"ratio {nf / tf:.2f}\n  fwd+bwd  numtorch {nb:6.2f} ms  torch {tb:6.2f} ms  "
                  f"ratio {nb / tb:.2f}")


if __name__ == "__main__":
    main()
