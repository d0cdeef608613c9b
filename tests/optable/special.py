"""Op-table entries: torch.special (``lib.special.<name>``), the aliases of top-level functions
and the functions of its own (erfcx, log_ndtr, ndtr, ndtri, i0e, i1, i1e, entr, xlog1py,
multigammaln), on ordinary values and on tails, zeros and non-finite points.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec
from .pointwise import ANY_INPUT, BROADCAST, INTS, UNARY


def _op(name, fn, shapes=UNARY, **kw):
    return OpSpec(name, fn, shapes, **kw)


def _wide(rng, shape, dtype, index):
    """Values over the tails of the scaled functions: |x| up to ~60."""
    return (rng.standard_normal(shape) * 20.0).astype(dtype)


def _tails(rng, shape, dtype, index):
    """Zeros, both tails, the |x| = 30 switch of the Bessel series, overflow and non-finite."""
    pool = np.array([0.0, -0.0, 1e-3, -1.0, 1.0, -5.0, 5.0, 29.9, 30.0, 30.1, -30.5, 40.0,
                     -40.0, 1000.0, -1000.0, np.nan, np.inf, -np.inf])
    return np.asarray(pool[rng.integers(0, len(pool), size=shape)]).astype(dtype)


def _probability(rng, shape, dtype, index):
    """Probabilities across (0, 1), down to 1e-30 (1e-6 in float32) in both tails."""
    low = 30 if dtype == "float64" else 6
    p = 10.0 ** -rng.uniform(0.3, low, size=shape)
    p = np.where(rng.random(shape) < 0.5, p, 1.0 - p)
    return np.where(rng.random(shape) < 0.3, rng.uniform(0.05, 0.95, size=shape), p).astype(dtype)


def _inner_probability(rng, shape, dtype, index):
    """Probabilities a finite-difference step stays inside (0, 1) from."""
    return rng.uniform(0.01, 0.99, size=shape).astype(dtype)


def _probability_edges(rng, shape, dtype, index):
    pool = np.array([0.0, 1.0, 0.5, -0.1, 1.1, 1e-300, 1e-30, 0.25, 0.75, np.nan])
    return np.asarray(pool[rng.integers(0, len(pool), size=shape)]).astype(dtype)


def _nonnegative(rng, shape, dtype, index):
    """entr's domain, with exact zeros (its value is 0 there, its slope inf)."""
    x = np.abs(rng.standard_normal(shape)) * 2.0
    return np.where(rng.random(shape) < 0.15, 0.0, x + 0.05).astype(dtype)


def _xlog1py_domain(rng, shape, dtype, index):
    if index == 0:
        x = rng.standard_normal(shape)
        return np.where(rng.random(shape) < 0.2, 0.0, x).astype(dtype)
    return (np.abs(rng.standard_normal(shape)) - 0.8).astype(dtype)  # > -1


def _zeta_edges(rng, shape, dtype, index):
    """x at 1 and below, q at the poles 0, -1, -2 and between them, non-finite values."""
    pool = ([1.0, 0.5, 2.0, 3.0, 2.5, 7.0, np.inf, np.nan, 1.0001] if index == 0 else
            [0.0, -1.0, -2.5, 1e-3, 0.5, 1.0, 1e9, np.inf, np.nan, -0.5])
    pool = np.array(pool)
    return np.asarray(pool[rng.integers(0, len(pool), size=shape)]).astype(dtype)


def _multigamma_domain(rng, shape, dtype, index):
    return rng.uniform(1.6, 8.0, size=shape).astype(dtype)


SCALED = ("erfcx", "log_ndtr", "ndtr", "i0e", "i1", "i1e")
# log_ndtr's slope exp(-(log_ndtr(x) + x^2/2)) cancels in the exponent, in float32 in torch as
# here: the two differ by a few float32 ulps of log_ndtr(x) ~ x^2/2 times x^2/2
_RTOL = {"log_ndtr": 1e-3}
# torch's ndtr is (1 + erf(x / sqrt(2))) / 2, which cancels to noise below 1e-16 in the left
# tail; numtorch's erfc(-x / sqrt(2)) / 2 keeps it (1e-27 at x = -10.7, where torch gives 0)
_ATOL = {"ndtr": 1e-15}

OPS = [
    *[_op(f"special_{n}", lambda lib, a, n=n: getattr(lib.special, n)(a), domain=_wide,
          dtypes=ANY_INPUT, hypothesis="unary", rtol=_RTOL.get(n, 1e-5),
          atol=_ATOL.get(n, 1e-30)) for n in SCALED],
    *[_op(f"special_{n}_tails", lambda lib, a, n=n: getattr(lib.special, n)(a), domain=_tails,
          dtypes=("float64",), atol=_ATOL.get(n, 1e-30), gradcheck=False) for n in SCALED],
    *[_op(f"special_{n}_tails32", lambda lib, a, n=n: getattr(lib.special, n)(a),
          domain=_tails, dtypes=("float32",), grad=False) for n in SCALED],
    *[_op(f"special_{n}_gradgrad", lambda lib, a, n=n: getattr(lib.special, n)(a),
          dtypes=("float64",), gradgradcheck=True) for n in SCALED],
    _op("special_ndtri", lambda lib, a: lib.special.ndtri(a), domain=_probability,
        rtol=1e-5, atol=1e-30, gradcheck=False),
    _op("special_ndtri_smooth", lambda lib, a: lib.special.ndtri(a), domain=_inner_probability,
        dtypes=ANY_INPUT[:2], gradgradcheck=True),
    _op("special_ndtri_edges", lambda lib, a: lib.special.ndtri(a), domain=_probability_edges,
        gradcheck=False),
    _op("special_entr", lambda lib, a: lib.special.entr(a), domain=_nonnegative,
        gradcheck=False),
    _op("special_entr_positive", lambda lib, a: lib.special.entr(a), domain="positive",
        dtypes=ANY_INPUT, gradgradcheck=True),
    _op("special_entr_tails", lambda lib, a: lib.special.entr(a), domain=_tails,
        gradcheck=False),
    _op("special_xlog1py", lambda lib, a, b: lib.special.xlog1py(a, b), BROADCAST,
        domain=_xlog1py_domain, n_inputs=2, hypothesis="broadcast", gradcheck=False),
    _op("special_xlog1py_smooth", lambda lib, a, b: lib.special.xlog1py(a, b),
        [((3, 4), (4,))], domain="positive", gradgradcheck=True),
    _op("special_xlog1py_number", lambda lib, a: lib.special.xlog1py(2, a), domain="positive",
        dtypes=ANY_INPUT),
    # zeta has no derivative in x (torch raises): x is detached, q gets the gradient
    _op("special_zeta", lambda lib, a, b: lib.special.zeta(a.detach() * 3 + 1.05, b), BROADCAST,
        domain="positive", n_inputs=2, rtol=1e-5, atol=1e-30, gradcheck=False),
    _op("special_zeta_q", lambda lib, b: lib.special.zeta(lib.full_like(b, 3.5), b),
        domain="positive", gradgradcheck=True),
    _op("special_zeta_edges", lambda lib, a, b: lib.special.zeta(a, b), BROADCAST,
        domain=_zeta_edges, n_inputs=2, grad=False),
    _op("special_zeta_ints", lambda lib, a, b: lib.special.zeta(a + 2, b), [((3, 4), (4,))],
        domain="positive", dtypes=("int64", "int32"), grad=False),
    _op("special_multigammaln", lambda lib, a: lib.special.multigammaln(a, 3),
        domain=_multigamma_domain, dtypes=FLOATS + INTS, gradgradcheck=True),
    _op("special_expit", lambda lib, a: lib.special.expit(a), dtypes=ANY_INPUT),
    _op("special_gammaln", lambda lib, a: lib.special.gammaln(a), domain="positive"),
    _op("special_psi", lambda lib, a: lib.special.psi(a), domain="positive"),
    _op("special_softmax", lambda lib, a: lib.special.softmax(a, -1, dtype=lib.float64),
        [((3, 4),), ((2, 3, 4),)], dtypes=FLOATS),
    _op("special_log_softmax", lambda lib, a: lib.special.log_softmax(a, 0),
        [((3, 4),), ((5,),)]),
    _op("special_logsumexp", lambda lib, a: lib.special.logsumexp(a, 1, keepdim=True),
        [((3, 4),), ((2, 3, 4),)]),
    _op("special_round", lambda lib, a: lib.special.round(a * 10), gradcheck=False),
]
