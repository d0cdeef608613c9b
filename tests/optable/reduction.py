"""Op-table entries: reduction ops.

The hypothesis layer draws random shapes only, so entries that reduce over "a random dim"
derive it from the shape (``_dim``, ``_dims``): the same choice for numtorch and torch, varying
from one drawn shape to the next.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec

INTS = ("int64", "int32", "uint8", "bool")
FULL = [((3, 4),), ((),), ((2, 0),), ((2, 3, 4),), ((5,),)]
DIM1 = [((3, 4),), ((2, 0),), ((2, 3, 4),), ((1, 5),)]  # shapes where dim 1 exists
DIMS = [((3, 4),), ((2, 3, 4),), ((4, 1, 2),)]  # two dims or more (dim 1 of size 1 last)
NONEMPTY = [((3, 4),), ((),), ((2, 3, 4),), ((5,),), ((1, 1),)]


def _dim(a, k: int = 0) -> int:
    """A dim chosen from ``a``'s shape, sometimes negative."""
    n = a.ndim
    if n == 0:
        return -1 if k % 2 else 0
    d = (sum(a.shape) + 3 * k + n) % n
    return d - n if (a.shape[d] + k) % 2 else d


def _dims(a) -> tuple:
    """A non-empty tuple of dims chosen from ``a``'s shape."""
    chosen = tuple(d for d in range(a.ndim) if (a.shape[d] + d) % 2 == 0)
    return chosen or (-1,)


def _keep(a) -> bool:
    return sum(a.shape) % 2 == 0


def _full_dim(a) -> int | None:
    """A dim of non-zero size (max-like reductions have no identity), or None."""
    if a.ndim == 0:
        return 0
    sizes = [d for d in range(a.ndim) if a.shape[d] > 0]
    return sizes[sum(a.shape) % len(sizes)] if sizes else None


def _counted(a) -> tuple | None:
    """Dims whose reduced count is at least 2 (so var/std have degrees of freedom)."""
    if a.ndim == 0 or a.numel() == 0:
        return None
    dims = tuple(d for d in range(a.ndim) if a.shape[d] > 1)
    return dims[: 1 + sum(a.shape) % 2] if dims else None


def _ties(rng, shape, dtype, index):
    """Small integers: many ties for max, min, median."""
    return rng.integers(-2, 3, size=shape).astype(dtype)


def _with_zeros(rng, shape, dtype, index):
    """Normal values with zeros: one in most rows, two in some (prod, cumprod)."""
    x = rng.standard_normal(shape)
    if x.ndim and x.size:
        flat = x.reshape(-1, x.shape[-1])
        flat[:, 0] = 0
        flat[::2, -1] = 0
    return x.astype(dtype)


def _zeros_and_ones(rng, shape, dtype, index):
    return (rng.random(shape) < 0.6).astype(dtype) * rng.integers(1, 4, size=shape).astype(dtype)


def _max_dim(lib, a):
    d = _full_dim(a)
    return a.max(d, keepdim=_keep(a)) if d is not None else a.sum()


def _amin_dims(lib, a):
    dims = tuple(d for d in _dims(a) if a.ndim == 0 or a.shape[d] > 0)
    if a.numel() == 0 and not dims:
        return a.sum()
    return lib.amin(a, dims, keepdim=_keep(a))


def _median_dim(lib, a):
    d = _full_dim(a)
    return lib.median(a, d, _keep(a)) if d is not None else a.sum()


def _std_dims(lib, a):
    dims = _counted(a)
    return a.std(dims, keepdim=_keep(a)) if dims else a.sum()


def _var_mean_dims(lib, a):
    dims = _counted(a)
    return lib.var_mean(a, dims, correction=0) if dims else (a.sum(), a.sum())


def _norm_inf(lib, a):
    d = _full_dim(a)
    return a.norm(float("inf"), dim=d) if d is not None else a.sum()


OPS: list[OpSpec] = [
    # sum
    OpSpec("sum", lambda lib, a: a.sum(), FULL, dtypes=FLOATS + INTS, hypothesis="unary",
           gradgradcheck=True),
    OpSpec("sum_fn", lambda lib, a: lib.sum(a), FULL, dtypes=("float32", "int8", "int16")),
    OpSpec("sum_dim", lambda lib, a: lib.sum(a, 1), DIM1, dtypes=FLOATS + INTS),
    OpSpec("sum_neg_dim", lambda lib, a: a.sum(-1), FULL),
    OpSpec("sum_dims_keepdim", lambda lib, a: a.sum((0, -1), keepdim=True), DIMS,
           dtypes=FLOATS + ("int32",), gradgradcheck=True),
    OpSpec("sum_dim_list", lambda lib, a: lib.sum(a, dim=[-1, 0]), DIMS),
    OpSpec("sum_empty_list", lambda lib, a: a.sum([]), FULL),
    OpSpec("sum_none", lambda lib, a: a.sum(None, True), FULL),
    OpSpec("sum_dtype", lambda lib, a: a.sum(1, dtype=lib.float64), DIM1,
           dtypes=("float32", "int32")),
    OpSpec("sum_random_dims", lambda lib, a: a.sum(_dims(a), keepdim=_keep(a)), FULL,
           hypothesis="unary"),
    # mean
    OpSpec("mean", lambda lib, a: a.mean(), FULL, hypothesis="unary", gradgradcheck=True),
    OpSpec("mean_fn_dim", lambda lib, a: lib.mean(a, 1), DIM1),
    OpSpec("mean_dims_keepdim", lambda lib, a: a.mean((-1, 0), True), DIMS),
    OpSpec("mean_dtype", lambda lib, a: a.mean(-1, dtype=lib.float64), FULL,
           dtypes=("float32", "int64")),
    OpSpec("mean_random_dim", lambda lib, a: a.mean(_dim(a), keepdim=_keep(a)), FULL,
           hypothesis="unary"),
    # prod
    OpSpec("prod", lambda lib, a: a.prod(), FULL, dtypes=FLOATS + INTS, hypothesis="unary",
           gradgradcheck=True),
    OpSpec("prod_dim", lambda lib, a: lib.prod(a, 1, keepdim=True), DIM1 + [((3, 1),)],
           dtypes=FLOATS + ("int32",), gradgradcheck=True),
    OpSpec("prod_zeros", lambda lib, a: a.prod(), [((2, 3),), ((5,),), ((1, 4),)],
           domain=_with_zeros),
    OpSpec("prod_dim_zeros", lambda lib, a: a.prod(-1), [((4, 3),), ((3, 5),), ((2, 2, 2),)],
           domain=_with_zeros),
    OpSpec("prod_zero_dtype", lambda lib, a: a.prod(0, dtype=lib.float64), [((3, 2),), ((),)],
           domain=_with_zeros),
    OpSpec("prod_random_dim", lambda lib, a: a.prod(_dim(a), keepdim=_keep(a)), FULL,
           hypothesis="unary"),
    # max / min / amax / amin
    OpSpec("max", lambda lib, a: a.max(), NONEMPTY, dtypes=FLOATS + INTS),
    OpSpec("min_fn", lambda lib, a: lib.min(a), NONEMPTY, dtypes=FLOATS + ("int32",)),
    OpSpec("max_ties", lambda lib, a: lib.max(a), NONEMPTY, domain=_ties, gradcheck=False),
    OpSpec("max_dim", lambda lib, a: a.max(1), DIMS + [((0, 3),)], dtypes=FLOATS + INTS),
    OpSpec("max_dim_keepdim", lambda lib, a: lib.max(a, -1, keepdim=True), NONEMPTY),
    OpSpec("min_dim", lambda lib, a: lib.min(a, dim=0), NONEMPTY, dtypes=FLOATS + ("int64",)),
    OpSpec("max_dim_ties", lambda lib, a: a.max(-1), [((4, 5),), ((3, 2, 3),)], domain=_ties,
           gradcheck=False),
    OpSpec("max_random_dim", _max_dim, FULL, hypothesis="unary"),
    OpSpec("amax", lambda lib, a: a.amax(), NONEMPTY, dtypes=FLOATS + INTS),
    OpSpec("amax_dims", lambda lib, a: lib.amax(a, (0, -1), keepdim=True), DIMS,
           dtypes=FLOATS + ("int32",)),
    OpSpec("amax_ties", lambda lib, a: a.amax(1), [((4, 5),), ((3, 2, 3),)], domain=_ties,
           gradcheck=False),
    OpSpec("amin_ties", lambda lib, a: a.amin(), NONEMPTY, domain=_ties, gradcheck=False),
    OpSpec("amin_random_dims", _amin_dims, FULL, hypothesis="unary"),
    # argmax / argmin
    OpSpec("argmax", lambda lib, a: a.argmax(), NONEMPTY, dtypes=FLOATS + ("int64", "uint8")),
    OpSpec("argmax_dim", lambda lib, a: lib.argmax(a, 1, keepdim=True), DIMS + [((0, 3),)],
           dtypes=FLOATS + ("int32",)),
    OpSpec("argmin_ties", lambda lib, a: a.argmin(-1), NONEMPTY, domain=_ties),
    OpSpec("argmin_keepdim", lambda lib, a: lib.argmin(a, keepdim=True), NONEMPTY),
    # median
    OpSpec("median", lambda lib, a: a.median(), NONEMPTY + [((2, 0),)],
           dtypes=FLOATS + ("int64",)),
    OpSpec("median_ties", lambda lib, a: a.median(), NONEMPTY, domain=_ties, gradcheck=False),
    OpSpec("median_dim", lambda lib, a: lib.median(a, 1), DIMS + [((0, 3),)],
           dtypes=FLOATS + ("int32",)),
    OpSpec("median_dim_ties", lambda lib, a: a.median(-1, keepdim=True), [((4, 6),), ((3, 5),)],
           domain=_ties, gradcheck=False),
    OpSpec("median_random_dim", _median_dim, FULL, hypothesis="unary"),
    # all / any / count_nonzero (no gradients)
    OpSpec("all", lambda lib, a: a.all(), FULL, dtypes=("float32", "bool", "uint8", "int64"),
           domain=_zeros_and_ones),
    OpSpec("any_dim", lambda lib, a: lib.any(a, 1, keepdim=True), DIM1,
           dtypes=("float32", "bool", "uint8", "int32"), domain=_zeros_and_ones),
    OpSpec("all_dims", lambda lib, a: lib.all(a, dim=(0, -1)), DIMS,
           dtypes=("float64", "bool"), domain=_zeros_and_ones),
    OpSpec("count_nonzero", lambda lib, a: lib.count_nonzero(a), FULL,
           dtypes=("float32", "bool", "int64"), domain=_zeros_and_ones),
    OpSpec("count_nonzero_dims", lambda lib, a: a.count_nonzero((0, -1)), DIMS,
           dtypes=("float32", "uint8"), domain=_zeros_and_ones),
    # var / std and their _mean forms
    # gradgradcheck of var, var_mean, std_mean and logsumexp waits for a fix in the engine's
    # autograd.grad (it misses paths such as x - x.mean()); test_reduction.py checks their
    # second derivatives against torch through backward(create_graph=True) meanwhile
    OpSpec("var", lambda lib, a: a.var(), [((3, 4),), ((5,),), ((2, 3, 4),)]),
    OpSpec("std", lambda lib, a: lib.std(a), [((3, 4),), ((5,),), ((2, 3, 4),)],
           gradgradcheck=True),
    OpSpec("var_dim_biased", lambda lib, a: a.var(1, unbiased=False), DIMS),
    OpSpec("std_dims_correction", lambda lib, a: a.std((0, -1), correction=0, keepdim=True),
           DIMS, gradgradcheck=True),
    OpSpec("std_legacy_unbiased", lambda lib, a: a.std(0, False, True), [((3, 4),), ((),)]),
    OpSpec("var_correction_2", lambda lib, a: lib.var(a, -1, correction=2), DIMS[:2]),
    OpSpec("std_random_dims", _std_dims, FULL, hypothesis="unary"),
    OpSpec("var_mean", lambda lib, a: lib.var_mean(a), [((3, 4),), ((5,),)]),
    OpSpec("std_mean_dim", lambda lib, a: lib.std_mean(a, 1, keepdim=True), DIMS[:2]),
    OpSpec("var_mean_random_dims", _var_mean_dims, FULL, hypothesis="unary"),
    # norm
    OpSpec("norm", lambda lib, a: a.norm(), FULL, hypothesis="unary", gradgradcheck=True),
    OpSpec("norm_fn_fro_dim", lambda lib, a: lib.norm(a, "fro", dim=1), DIM1),
    OpSpec("norm_p1", lambda lib, a: a.norm(1), NONEMPTY, domain="nonzero"),
    OpSpec("norm_inf_dim", lambda lib, a: a.norm(float("inf"), dim=-1, keepdim=True), NONEMPTY),
    OpSpec("norm_neg_inf", lambda lib, a: a.norm(p=float("-inf")), NONEMPTY),
    OpSpec("norm_p3_dims", lambda lib, a: lib.norm(a, 3, (0, -1)), DIMS, domain="nonzero",
           gradgradcheck=True),
    OpSpec("norm_p_half", lambda lib, a: a.norm(0.5, 1), DIMS, domain="nonzero"),
    OpSpec("norm_p0", lambda lib, a: a.norm(0), [((3, 4),)], domain=_zeros_and_ones),
    OpSpec("norm_dtype", lambda lib, a: a.norm(dim=0, dtype=lib.float64), [((3, 4),), ((),)],
           dtypes=("float32",)),
    OpSpec("norm_inf_random_dim", _norm_inf, FULL, hypothesis="unary"),
    # logsumexp
    OpSpec("logsumexp", lambda lib, a: a.logsumexp(1), DIM1),
    OpSpec("logsumexp_dims", lambda lib, a: lib.logsumexp(a, (0, -1), keepdim=True), DIMS),
    OpSpec("logsumexp_0d", lambda lib, a: a.logsumexp((0,)), [((),)]),
    OpSpec("logsumexp_large", lambda lib, a: (a * 1000).logsumexp(-1), NONEMPTY),
    OpSpec("logsumexp_int", lambda lib, a: lib.logsumexp(a, 0), [((3, 4),)],
           dtypes=("int64", "bool", "uint8")),
    OpSpec("logsumexp_random_dims", lambda lib, a: a.logsumexp(_dims(a), _keep(a)), FULL,
           hypothesis="unary"),
    # cumsum / cumprod
    OpSpec("cumsum", lambda lib, a: a.cumsum(1), DIM1, dtypes=FLOATS + INTS,
           gradgradcheck=True),
    OpSpec("cumsum_fn_neg", lambda lib, a: lib.cumsum(a, -1), FULL),
    OpSpec("cumsum_dtype", lambda lib, a: a.cumsum(0, dtype=lib.float64), [((3, 4),), ((),)],
           dtypes=("float32", "int32")),
    OpSpec("cumsum_random_dim", lambda lib, a: a.cumsum(_dim(a)), FULL, hypothesis="unary"),
    OpSpec("cumprod", lambda lib, a: a.cumprod(1), DIM1, dtypes=FLOATS + INTS,
           gradgradcheck=True),
    OpSpec("cumprod_zeros", lambda lib, a: lib.cumprod(a, -1), [((4, 3),), ((3, 5),), ((5,),)],
           domain=_with_zeros),
    OpSpec("cumprod_zeros_dim0", lambda lib, a: a.cumprod(0), [((4, 3),), ((2, 3, 2),)],
           domain=lambda rng, shape, dtype, i: np.where(rng.random(shape) < 0.3, 0.0,
                                                        rng.standard_normal(shape)).astype(dtype)),
    OpSpec("cumprod_dtype", lambda lib, a: a.cumprod(-1, dtype=lib.float64), FULL,
           dtypes=("float32", "int64")),
    OpSpec("cumprod_random_dim", lambda lib, a: a.cumprod(_dim(a, 1)), FULL, hypothesis="unary"),
]
