"""Random numbers: the Generator, manual_seed, and the random factories.

The distributions are right; reproducing torch's exact streams is a separate piece of work
(the generator is an mt19937, as torch's CPU generator is).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _dtype
from ._creation import _finish, _float_or, _np_dtype, _size
from ._tensor import Tensor

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "rand", "randn", "randint", "randperm", "normal",
           "bernoulli", "multinomial", "rand_like", "randn_like", "randint_like", "poisson"]

_DEFAULT_SEED = 67280421310721


class Generator:
    """A source of random numbers with its own state (``torch.Generator``)."""

    def __init__(self, device: Any = "cpu") -> None:
        self.device = device
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xFFFF_FFFF_FFFF_FFFF:
            raise RuntimeError(f"Overflow when unpacking long long ({seed})")
        self._seed = seed % 2**64
        self._np = np.random.Generator(np.random.MT19937(self._seed))
        return self

    def seed(self) -> int:
        new = int.from_bytes(np.random.default_rng().bytes(8), "little") >> 1
        self.manual_seed(new)
        return new

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Tensor:
        state = self._np.bit_generator.state
        key = np.asarray(state["state"]["key"], dtype=np.uint32)
        header = np.array([state["state"]["pos"], self._seed & 0xFFFFFFFF, self._seed >> 32],
                          dtype=np.uint64).view(np.uint8)
        return Tensor._make(np.concatenate([key.view(np.uint8), header]))

    def set_state(self, new_state: Tensor) -> Generator:
        raw = np.asarray(new_state._data, dtype=np.uint8)
        key = raw[:624 * 4].view(np.uint32)
        pos, lo, hi = raw[624 * 4:].view(np.uint64)
        self._seed = int(lo) | (int(hi) << 32)
        bitgen = np.random.MT19937()
        bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": int(pos)}}
        self._np = np.random.Generator(bitgen)
        return self


default_generator = Generator()


def _gen(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator)._np


def manual_seed(seed: int) -> Generator:
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def _check_float(dtype: Any, name: str) -> np.dtype:
    target = _float_or(dtype)
    if np.dtype(target).kind != "f":
        kind = _dtype.from_numpy_dtype(target)
        raise RuntimeError(f"\"{name}\" not implemented for '{_LEGACY.get(kind.name, kind.name)}'")
    return target


_LEGACY = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
           "bool": "Bool"}


def rand(*size: Any, generator: Generator | None = None, out: Tensor | None = None,
         dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Uniform samples from [0, 1)."""
    target = _check_float(dtype, "check_uniform_bounds")
    arr = _gen(generator).random(_size(size), dtype=np.float64).astype(target)
    return _finish(arr, requires_grad, device)


def randn(*size: Any, generator: Generator | None = None, out: Tensor | None = None,
          dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Standard normal samples."""
    target = _check_float(dtype, "normal_kernel_cpu")
    arr = _gen(generator).standard_normal(_size(size)).astype(target)
    return _finish(arr, requires_grad, device)


def randint(*args: Any, generator: Generator | None = None, out: Tensor | None = None,
            dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """Integers uniform in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``."""
    if "size" in kwargs:
        args = args + (kwargs.pop("size"),)
    low = kwargs.pop("low", None)
    high = kwargs.pop("high", None)
    if low is not None or high is not None:
        args = ((low or 0), high) + args
    if len(args) == 2:
        low, high, size = 0, args[0], args[1]
    elif len(args) == 3:
        low, high, size = args
    else:
        raise TypeError("randint() received an invalid combination of arguments")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    target = _np_dtype(dtype) if dtype is not None else np.int64
    arr = _gen(generator).integers(low, high, size=_size((size,)), dtype=np.int64).astype(target)
    return _finish(arr, requires_grad, device)


def randperm(n: int, *, generator: Generator | None = None, out: Tensor | None = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    target = _np_dtype(dtype) if dtype is not None else np.int64
    return _finish(_gen(generator).permutation(n).astype(target), requires_grad, device)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *,
           generator: Generator | None = None, out: Tensor | None = None, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Normal samples: every overload of torch.normal (tensor or float mean and std)."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if std_t and (std._data < 0).any() or not std_t and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            "(float, float), but expected (float mean, float std, tuple of ints "
                            "size, ...)")
        target = _check_float(dtype, "normal_kernel_cpu")
        arr = _gen(generator).normal(mean, std, _size((size,) if isinstance(size, int)
                                                      else (tuple(size),)))
        return _finish(arr.astype(target), requires_grad, device)
    ref = mean if mean_t else std
    m = mean._data if mean_t else mean
    s = std._data if std_t else std
    shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    arr = _gen(generator).standard_normal(shape) * s + m
    return _finish(arr.astype(ref._data.dtype), requires_grad, device)


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Tensor | None = None) -> Tensor:
    """1 with probability ``input`` (or ``p``), else 0; same dtype as ``input``."""
    prob = input._data if p is None else p
    if np.any((np.asarray(prob) < 0) | (np.asarray(prob) > 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")
    arr = (_gen(generator).random(input._data.shape) < prob).astype(input._data.dtype)
    return Tensor._make(arr)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None, out: Tensor | None = None) -> Tensor:
    """Indices drawn from the rows of ``input`` (unnormalised non-negative weights)."""
    probs = np.asarray(input._data, dtype=np.float64)
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if (probs < 0).any() or not np.isfinite(probs).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rows = probs.reshape(-1, probs.shape[-1])
    if (rows.sum(1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    g = _gen(generator)
    picks = [g.choice(rows.shape[1], size=num_samples, replace=replacement, p=r / r.sum())
             for r in rows]
    arr = np.asarray(picks, dtype=np.int64).reshape(probs.shape[:-1] + (num_samples,))
    return Tensor._make(arr)


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    return Tensor._make(_gen(generator).poisson(input._data).astype(input._data.dtype))


def rand_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None,
                 layout: Any = None, device: Any = None, requires_grad: bool = False,
                 memory_format: Any = None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype)
