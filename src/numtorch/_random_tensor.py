"""Random sampling driven by a tensor's values (bernoulli, multinomial, poisson) and the
in-place random fills (``tensor.normal_()``, ``uniform_``, ``bernoulli_``, ``random_``...).

Every draw is recorded with a zero gradient, as torch defines it (``sampled`` in _random).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._composites._util import inplace
from ._creation import emit
from ._data import legacy_name
from ._random import (
    Generator,
    check_int_range,
    not_implemented,
    numpy_generator,
    sampled,
    standard_normal,
    std_text,
    uniform,
)
from ._tensor import Tensor

__all__ = ["bernoulli", "multinomial", "poisson"]

_P_IN_RANGE = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
               "message be improved?  If so, please report an enhancement request to PyTorch.)")


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Tensor | None = None) -> Tensor:
    """1 with probability ``input`` (elementwise), or ``p`` when given, else 0; the dtype
    of ``input``.

    >>> torch.bernoulli(torch.tensor([0., 1.]))
    tensor([0., 1.])
    """
    g = numpy_generator(generator, "bernoulli")
    if p is not None:
        _check_p(p)
        return Tensor._make(_bernoulli_draw(g, input._data.shape, p, input._data.dtype))
    if input._data.dtype.kind != "f":
        raise not_implemented("bernoulli_tensor_cpu_p_", input._data.dtype)
    probs = input._data
    if not np.all((probs >= 0) & (probs <= 1)):  # nan fails both comparisons
        raise RuntimeError(_P_IN_RANGE)
    arr = _bernoulli_draw(g, probs.shape, probs, probs.dtype)
    if out is not None:
        return emit(arr, out, False, None, "bernoulli", inputs_require_grad=input._requires_grad)
    return sampled("BernoulliBackward0").apply(input, sample=arr)


def _bernoulli_draw(g: np.random.Generator, shape: tuple, p: Any, dtype: np.dtype) -> np.ndarray:
    return (g.random(shape) < p).astype(dtype)


def _check_p(p: Any) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={std_text(p)}")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None, out: Tensor | None = None) -> Tensor:
    """Category indices drawn from each row of ``input`` (non-negative weights, normalised
    here); without replacement every index in a row is distinct.

    >>> torch.multinomial(torch.tensor([0., 1., 0.]), 1)
    tensor([1])
    """
    probs = _check_multinomial(input, num_samples, replacement)
    rows = probs.reshape(-1, probs.shape[-1])
    g = numpy_generator(generator, "multinomial")
    if replacement:
        picks = _with_replacement(g, rows, num_samples)
    else:
        # Exponential race: each category's key is E / p with E ~ Exp(1); the smallest keys
        # are a draw without replacement weighted by p, and zero weights come last.
        with np.errstate(divide="ignore"):
            keys = g.exponential(size=rows.shape) / rows
        picks = np.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    arr = picks.astype(np.int64).reshape(probs.shape[:-1] + (num_samples,))
    if out is not None:
        if out.dtype.name != "int64":
            raise RuntimeError(f"multinomial expects Long tensor out, got: "
                               f"{legacy_name(out.dtype)}")
        return emit(arr, out, False, None, "multinomial")
    return Tensor._make(arr)


def _check_multinomial(input: Tensor, num_samples: int, replacement: bool) -> np.ndarray:
    if input._data.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{legacy_name(input._data.dtype)}")
    if input._data.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input._data.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    probs = input._data.astype(np.float64)
    if not np.all(np.isfinite(probs) & (probs >= 0)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if probs.size == 0 or (probs.sum(axis=-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return probs


def _with_replacement(g: np.random.Generator, rows: np.ndarray, n: int) -> np.ndarray:
    cdf = np.cumsum(rows, axis=1)
    cdf /= cdf[:, -1:]  # the last entry is exactly 1, so u < 1 never runs past the end
    u = g.random((rows.shape[0], n))
    # a zero-weight category has an empty interval in the cdf and is never picked
    return np.stack([np.searchsorted(c, r, side="right") for c, r in zip(cdf, u)])


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """Samples from Poisson distributions with rates ``input`` (same dtype)."""
    if input._data.dtype.kind != "f":
        raise not_implemented("poisson_cpu", input._data.dtype)
    rates = input._data
    if not np.all(rates >= 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    arr = numpy_generator(generator, "poisson").poisson(rates).astype(rates.dtype)
    return sampled("PoissonBackward0").apply(input, sample=arr)


# -- in-place fills: tensor.normal_() and friends ----------------------------------------------
def _fill(t: Tensor, name: str, draw: Callable[[np.random.Generator], np.ndarray],
          generator: Generator | None, fname: str) -> Tensor:
    """Overwrite ``t`` with ``draw(g)`` cast to its dtype, as an in-place op named ``name``."""
    arr = np.asarray(draw(numpy_generator(generator, fname))).astype(t._data.dtype)
    return inplace(t, lambda src: sampled(name).apply(src, sample=arr))


def _float_fill(t: Tensor, kernel: str) -> np.dtype:
    if t._data.dtype.kind != "f":
        raise not_implemented(kernel, t._data.dtype)
    return t._data.dtype


def _continuous(t: Tensor, name: str) -> None:
    if t._data.dtype.kind != "f":
        ctype = {"int64": "long int"}.get(t._data.dtype.name, legacy_name(t._data.dtype))
        which = legacy_name(t._data.dtype) if name == "Exponential" else ctype
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {which}")


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with samples from N(mean, std**2)."""
    target = _float_fill(self, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std_text(std)}")
    return _fill(self, "NormalBackward0", lambda g: standard_normal(
        g, self._data.shape, target) * target.type(std) + target.type(mean), generator,
        "normal_")


def uniform_(self: Tensor, *args: Any, generator: Generator | None = None,
             **kwargs: Any) -> Tensor:
    """Fill with samples from U[from, to) (``uniform_(from=0, to=1)``)."""
    low, high = _from_to(args, kwargs, "uniform_", (0.0, 1.0))
    target = _float_fill(self, "check_uniform_bounds")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={std_text(low)} > to={std_text(high)}")
    return _fill(self, "UniformBackward0", lambda g: uniform(
        g, self._data.shape, target) * target.type(high - low) + target.type(low), generator,
        "uniform_")


def _from_to(args: tuple, kwargs: dict, fname: str, defaults: tuple) -> tuple:
    """``from`` is a Python keyword, so torch's ``uniform_(from=, to=)`` arrives in kwargs."""
    values = dict(zip(("from", "to"), args))
    for key, value in kwargs.items():
        if key not in ("from", "to") or key in values:
            raise TypeError(f"{fname}() got an unexpected keyword argument '{key}'")
        values[key] = value
    return values.get("from", defaults[0]), values.get("to", defaults[1])


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill with 1 with probability ``p`` (a float or a tensor of probabilities), else 0."""
    if isinstance(p, Tensor):
        probs = _expand_to(p._data, self._data.shape)
        name = "BernoulliBackward1"
    else:
        _check_p(p)
        probs, name = p, "BernoulliBackward2"
    return _fill(self, name, lambda g: g.random(self._data.shape) < probs, generator,
                 "bernoulli_")


def _expand_to(arr: np.ndarray, shape: tuple) -> np.ndarray:
    try:
        return np.broadcast_to(arr, shape)
    except ValueError:
        pad = (1,) * (len(shape) - arr.ndim) + arr.shape if arr.ndim <= len(shape) else arr.shape
        dim = next((d for d, (a, b) in enumerate(zip(pad, shape)) if a not in (1, b)), 0)
        raise RuntimeError(
            f"The expanded size of the tensor ({shape[dim]}) must match the existing size "
            f"({pad[dim]}) at non-singleton dimension {dim}.  Target sizes: {list(shape)}.  "
            f"Tensor sizes: {list(arr.shape)}") from None


def random_(self: Tensor, *args: Any, generator: Generator | None = None,
            **kwargs: Any) -> Tensor:
    """Fill with integers: ``random_(from, to)`` in [from, to), ``random_(to)`` in [0, to),
    ``random_()`` over every integer the dtype holds exactly."""
    target = self._data.dtype
    if len(args) + len(kwargs) == 1 and not kwargs.keys() - {"to"}:
        low, high, number = 0, (args or (kwargs["to"],))[0], 1
    elif args or kwargs:
        (low, high), number = _from_to(args, kwargs, "random_", (0, None)), 0
    else:
        low, high, number = 0, _random_top(target), 2
    check_int_range(low, high, target)
    return _fill(self, f"RandomBackward{number}", lambda g: g.integers(
        low, high, self._data.shape, dtype=np.int64), generator, "random_")


def _random_top(target: np.dtype) -> int:
    if target.kind == "f":
        return 2 ** (np.finfo(target).nmant + 1) + 1  # every integer exactly representable
    if target.kind == "b":
        return 2
    return int(np.iinfo(target).max) + 1


def exponential_(self: Tensor, lambd: float = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
    """Fill with samples from the exponential distribution with rate ``lambd``."""
    _continuous(self, "Exponential")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda="
                           f"{std_text(lambd)}")
    return _fill(self, "ExponentialBackward0",
                 lambda g: g.exponential(1.0 / lambd, self._data.shape), generator,
                 "exponential_")


def geometric_(self: Tensor, p: float, *, generator: Generator | None = None) -> Tensor:
    """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if self._data.dtype.kind == "b":
        raise not_implemented("geometric_cpu", self._data.dtype)
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={std_text(p)}")
    return _fill(self, "GeometricBackward0", lambda g: g.geometric(p, self._data.shape),
                 generator, "geometric_")


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *,
                generator: Generator | None = None) -> Tensor:
    """Fill with exp(N(mean, std**2)) samples."""
    _float_fill(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std_text(std)}")
    return _fill(self, "LogNormalBackward0",
                 lambda g: g.lognormal(mean, std, self._data.shape), generator, "log_normal_")


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with samples from the Cauchy distribution."""
    _continuous(self, "Cauchy")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={std_text(sigma)}")
    return _fill(self, "CauchyBackward0",
                 lambda g: median + sigma * g.standard_cauchy(self._data.shape), generator,
                 "cauchy_")


def _bernoulli_method(self: Tensor, p: Any = None, *, generator: Generator | None = None,
                      out: Tensor | None = None) -> Tensor:
    return bernoulli(self, p, generator=generator, out=out)


def _multinomial_method(self: Tensor, num_samples: int, replacement: bool = False, *,
                        generator: Generator | None = None) -> Tensor:
    return multinomial(self, num_samples, replacement, generator=generator)


# Tensor methods this module provides (bound by _tensor_methods.install)
BOUND_METHODS = {"normal_": normal_, "uniform_": uniform_, "bernoulli_": bernoulli_,
                 "random_": random_, "exponential_": exponential_, "geometric_": geometric_,
                 "log_normal_": log_normal_, "cauchy_": cauchy_, "bernoulli": _bernoulli_method,
                 "multinomial": _multinomial_method}
