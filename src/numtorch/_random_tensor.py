"""Random sampling driven by a tensor's values (bernoulli, multinomial, poisson) and the
in-place random fills (``tensor.normal_()``, ``uniform_``, ``bernoulli_``, ``random_``...).

Every draw is recorded with a zero gradient, as torch defines it (``sampled`` in _random). The
values are torch's (see ``_random_distributions``); a fill walks the tensor in memory order, as
torch's kernels do (NOTE [ Fill order ]).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._composites._util import inplace
from ._creation import emit
from ._data import legacy_name
from ._random import Generator, check_int_range, engine_of, not_implemented, sampled, std_text
from ._random_distributions import (
    bernoulli_scalar,
    bernoulli_tensor,
    cauchy,
    exponential,
    float_digits,
    geometric,
    log_normal,
    normal,
    random_from_to,
    random_full,
    rounded,
    uniform_real,
)
from ._random_engine import Engine
from ._random_permutation import multinomial_with_replacement, top_keys
from ._random_poisson import poisson_draws
from ._tensor import Tensor

__all__ = ["bernoulli", "multinomial", "poisson"]

_P_IN_RANGE = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
               "message be improved?  If so, please report an enhancement request to PyTorch.)")


# NOTE [ Fill order ]
# torch's kernels visit a tensor in memory order (its TensorIterator sorts the dimensions by
# stride), so a transposed tensor receives the stream along its storage, not along its logical
# rows. ``laid_out`` puts the flat draws in that order; for a contiguous tensor it is a reshape.


def _memory_axes(arr: np.ndarray) -> tuple[int, ...]:
    """The axes of ``arr`` from outermost to innermost in memory (ties keep their order)."""
    strides = [abs(st) if size > 1 else 0 for st, size in zip(arr.strides, arr.shape)]
    return tuple(sorted(range(arr.ndim), key=lambda d: -strides[d]))


def laid_out(flat: np.ndarray, like: np.ndarray) -> np.ndarray:
    """The flat draws as an array shaped like ``like`` that takes them in its memory order."""
    axes = _memory_axes(like)
    if axes == tuple(range(like.ndim)):
        return flat.reshape(like.shape)
    out = np.empty(like.shape, flat.dtype)
    np.transpose(out, axes)[...] = flat.reshape([like.shape[d] for d in axes])
    return out


def in_memory_order(arr: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``arr`` (shaped like ``like``) read flat in ``like``'s memory order."""
    return np.transpose(arr, _memory_axes(like)).ravel()


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None,
              out: Tensor | None = None) -> Tensor:
    """1 with probability ``input`` (elementwise), or ``p`` when given, else 0; the dtype
    of ``input``.

    >>> torch.bernoulli(torch.tensor([0., 1.]))
    tensor([0., 1.])
    """
    engine = engine_of(generator, "bernoulli")
    data = input._data
    if p is not None:
        _check_p(p)
        flat = bernoulli_scalar(engine, data.size, p)
        return Tensor._make(laid_out(flat, data).astype(data.dtype))
    if data.dtype.kind != "f":
        raise not_implemented("bernoulli_tensor_cpu_p_", data.dtype)
    if not np.all((data >= 0) & (data <= 1)):  # nan fails both comparisons
        raise RuntimeError(_P_IN_RANGE)
    flat = bernoulli_tensor(engine, in_memory_order(data, data))
    arr = laid_out(flat, data).astype(data.dtype)
    if out is not None:
        return emit(arr, out, False, None, "bernoulli", inputs_require_grad=input._requires_grad)
    return sampled("BernoulliBackward0").apply(input, sample=arr)


def _check_p(p: Any) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={std_text(p)}")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None, out: Tensor | None = None) -> Tensor:
    """Category indices drawn from each row of ``input`` (non-negative weights, normalised
    here); without replacement every index in a row is distinct (NOTE [ multinomial ]).

    >>> torch.multinomial(torch.tensor([0., 1., 0.]), 1)
    tensor([1])
    """
    _check_multinomial(input, num_samples, replacement)
    weights = input._data
    rows = weights.reshape(-1, weights.shape[-1])
    engine = engine_of(generator, "multinomial")
    if replacement and num_samples > 1:
        picks = multinomial_with_replacement(engine, rows, num_samples)
    else:
        # keys weight / q with q ~ Exp(1): the largest keys are a weighted draw without
        # replacement (zero weights come last)
        q = laid_out(exponential(engine, weights.size, 1.0), weights).astype(weights.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = (weights / q).reshape(rows.shape)
        picks = top_keys(keys, num_samples)
    arr = picks.astype(np.int64).reshape(weights.shape[:-1] + (num_samples,))
    if out is not None:
        if out.dtype.name != "int64":
            raise RuntimeError(f"multinomial expects Long tensor out, got: "
                               f"{legacy_name(out.dtype)}")
        return emit(arr, out, False, None, "multinomial")
    return Tensor._make(arr)


def _check_multinomial(input: Tensor, num_samples: int, replacement: bool) -> None:
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


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """Samples from Poisson distributions with rates ``input`` (same dtype)."""
    if input._data.dtype.kind != "f":
        raise not_implemented("poisson_cpu", input._data.dtype)
    rates = input._data
    if not np.all(rates >= 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    flat = poisson_draws(engine_of(generator, "poisson"), in_memory_order(rates, rates))
    arr = laid_out(flat, rates).astype(rates.dtype)
    return sampled("PoissonBackward0").apply(input, sample=arr)


# -- in-place fills: tensor.normal_() and friends ----------------------------------------------
def _fill(t: Tensor, name: str, draw: Callable[[Engine, int], np.ndarray],
          generator: Generator | None, fname: str) -> Tensor:
    """Overwrite ``t`` with ``draw(engine, numel)`` (flat, in memory order) cast to its dtype,
    as an in-place op named ``name``."""
    flat = rounded(np.asarray(draw(engine_of(generator, fname), t._data.size)), t._data.dtype)
    arr = laid_out(flat, t._data)
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
    """Fill with samples from N(mean, std**2) (NOTE [ torch's normal samplers ])."""
    target = _float_fill(self, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std_text(std)}")
    contiguous = self.is_contiguous()
    return _fill(self, "NormalBackward0",
                 lambda e, n: normal(e, n, target, mean, std, contiguous), generator, "normal_")


def uniform_(self: Tensor, *args: Any, generator: Generator | None = None,
             **kwargs: Any) -> Tensor:
    """Fill with samples from U[from, to) (``uniform_(from=0, to=1)``)."""
    low, high = _from_to(args, kwargs, "uniform_", (0.0, 1.0))
    target = _float_fill(self, "check_uniform_bounds")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={std_text(low)} > to={std_text(high)}")
    return _fill(self, "UniformBackward0", lambda e, n: uniform_real(e, n, target, low, high),
                 generator, "uniform_")


def _from_to(args: tuple, kwargs: dict, fname: str, defaults: tuple) -> tuple:
    """``from`` is a Python keyword, so torch's ``uniform_(from=, to=)`` arrives in kwargs."""
    values = dict(zip(("from", "to"), args))
    for key, value in kwargs.items():
        if key not in ("from", "to") or key in values:
            raise TypeError(f"{fname}() got an unexpected keyword argument '{key}'")
        values[key] = value
    return values.get("from", defaults[0]), values.get("to", defaults[1])


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill with 1 with probability ``p`` (a float or a tensor of probabilities), else 0
    (NOTE [ Bernoulli draws ])."""
    if isinstance(p, Tensor):
        probs = in_memory_order(_expand_to(p._data, self._data.shape), self._data)
        return _fill(self, "BernoulliBackward1", lambda e, n: bernoulli_tensor(e, probs),
                     generator, "bernoulli_")
    _check_p(p)
    return _fill(self, "BernoulliBackward2", lambda e, n: bernoulli_scalar(e, n, p), generator,
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
    ``random_()`` over every integer the dtype holds exactly (NOTE [ Random integers ])."""
    target = self._data.dtype
    if len(args) + len(kwargs) == 1 and not kwargs.keys() - {"to"}:
        low, high, number = 0, (args or (kwargs["to"],))[0], 1
    elif args or kwargs:
        (low, high), number = _from_to(args, kwargs, "random_", (0, None)), 0
    else:
        check_int_range(0, _random_top(target), target)
        return _fill(self, "RandomBackward2", lambda e, n: random_full(e, n, target), generator,
                     "random_")
    check_int_range(low, high, target)
    return _fill(self, f"RandomBackward{number}",
                 lambda e, n: random_from_to(e, n, target, int(low), int(high)), generator,
                 "random_")


def _random_top(target: np.dtype) -> int:
    if target.kind == "f":
        return 2 ** float_digits(target) + 1  # every integer exactly representable
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
    return _fill(self, "ExponentialBackward0", lambda e, n: exponential(e, n, lambd), generator,
                 "exponential_")


def geometric_(self: Tensor, p: float, *, generator: Generator | None = None) -> Tensor:
    """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if self._data.dtype.kind == "b":
        raise not_implemented("geometric_cpu", self._data.dtype)
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={std_text(p)}")
    return _fill(self, "GeometricBackward0", lambda e, n: geometric(e, n, p), generator,
                 "geometric_")


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *,
                generator: Generator | None = None) -> Tensor:
    """Fill with exp(N(mean, std**2)) samples."""
    _float_fill(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std_text(std)}")
    return _fill(self, "LogNormalBackward0", lambda e, n: log_normal(e, n, mean, std),
                 generator, "log_normal_")


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with samples from the Cauchy distribution."""
    _continuous(self, "Cauchy")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={std_text(sigma)}")
    return _fill(self, "CauchyBackward0", lambda e, n: cauchy(e, n, median, sigma), generator,
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
