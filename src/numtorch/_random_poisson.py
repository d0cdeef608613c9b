"""torch's CPU Poisson sampler.

NOTE [ Poisson draws ]
Each rate is sampled in turn from float64 uniforms (two 32-bit draws each). A rate below 10
multiplies uniforms until the product drops to ``exp(-rate)`` or below and returns how many
products stayed above it; a rate of 10 or more uses Hoermann's transformed rejection (PTRS,
1993), two uniforms a try. A zero rate draws nothing. How many uniforms an element takes depends
on the values drawn, so the elements are walked one by one: this is the one sampler with a
Python loop per element. The uniforms are drawn in blocks and the stream is then set to just
after the last one used.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ._random_engine import Engine

__all__ = ["poisson_draws"]

_BLOCK = 4096


class _Uniforms:
    """Float64 uniforms taken one at a time from blocks drawn ahead."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.start = engine.tell()
        self.used = 0
        self.block: list[float] = []

    def __iter__(self) -> Iterator[float]:
        while True:
            if self.used == len(self.block):
                raw = self.engine.random64(_BLOCK) & np.uint64(2**53 - 1)
                self.block.extend((raw.astype(np.float64) * 2.0**-53).tolist())
            self.used += 1
            yield self.block[self.used - 1]

    def settle(self) -> None:
        """Leave the stream just after the last uniform used."""
        self.engine.seek(self.start, 2 * self.used)


def _small(rate: float, draws: Iterator[float]) -> int:
    """Count uniforms whose running product stays above exp(-rate)."""
    limit, product, count = math.exp(-rate), 1.0, 0
    while True:
        product *= next(draws)
        if product <= limit:
            return count
        count += 1


def _ptrs(rate: float, draws: Iterator[float]) -> int:
    """Hoermann's transformed rejection with squeeze, for rates of 10 or more."""
    root, log_rate = math.sqrt(rate), math.log(rate)
    b = 0.931 + 2.53 * root
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = next(draws) - 0.5
        v = next(draws)
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + rate + 0.43)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
                <= -rate + k * log_rate - math.lgamma(k + 1.0)):
            return k


def poisson_draws(engine: Engine, rates: np.ndarray) -> np.ndarray:
    """One Poisson sample per rate (flat, in order), as float64 (NOTE [ Poisson draws ])."""
    out = np.zeros(rates.size)
    if rates.size == 0:
        return out
    uniforms = _Uniforms(engine)
    draws = iter(uniforms)
    for i, rate in enumerate(rates.astype(np.float64).tolist()):
        if rate >= 10:
            out[i] = _ptrs(rate, draws)
        elif rate > 0:
            out[i] = _small(rate, draws)
    uniforms.settle()
    return out
