"""Op-table entries: inverse trigonometric/hyperbolic functions, atan2, hypot, logaddexp,
copysign, heaviside, xlogy, ldexp, gcd/lcm and the special functions (erfc, erfinv, lgamma,
digamma, polygamma, i0, sinc, logit, frexp).

Integer and bool inputs of the float-valued functions check torch's default-float results.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec
from .pointwise import ANY_INPUT, BROADCAST, INTS, UNARY

HALF = FLOATS + ("float16",)


def _op(name, fn, shapes=UNARY, **kw):
    return OpSpec(name, fn, shapes, **kw)


def _above_one(rng, shape, dtype, index):
    """acosh's domain, away from the infinite slope at 1."""
    return (np.abs(rng.standard_normal(shape)) + 1.2).astype(dtype)


def _gamma_domain(rng, shape, dtype, index):
    """Positive and negative values, at least 0.15 from the poles at 0, -1, -2..."""
    x = rng.uniform(-3.5, 6.0, size=shape)
    r = x - np.round(x)
    x = np.where((x < 0.5) & (np.abs(r) < 0.15), np.round(x) + np.copysign(0.3, r + 1e-9), x)
    return np.asarray(x).astype(dtype)


def _probability(rng, shape, dtype, index):
    return rng.uniform(0.05, 0.95, size=shape).astype(dtype)


def _logit_eps(rng, shape, dtype, index):
    """Values in and beyond [eps, 1 - eps] = [0.2, 0.8], away from the clamp's corners."""
    x = rng.uniform(-0.3, 1.3, size=shape)
    x = np.where(np.abs(x - 0.2) < 0.03, 0.3, np.where(np.abs(x - 0.8) < 0.03, 0.7, x))
    return np.asarray(x).astype(dtype)


def _edges(rng, shape, dtype, index):
    """acos/asin/atanh inputs at and around their domain edges, with nan and inf."""
    pool = np.array([-1.0, 1.0, 0.0, -0.0, 0.5, -0.999, 1.5, np.nan, np.inf, -np.inf])
    return np.asarray(pool[rng.integers(0, len(pool), size=shape)]).astype(dtype)


def _special_points(rng, shape, dtype, index):
    """Poles, zeros, tails and non-finite values of the special functions."""
    pool = np.array([0.0, -0.0, -1.0, -2.0, 1.0, 2.0, -2.5, 1e-3, 30.0, 150.0, -0.99, 0.999999,
                     np.nan, np.inf, -np.inf, 7.5, -7.5])
    return np.asarray(pool[rng.integers(0, len(pool), size=shape)]).astype(dtype)


def _int_pairs(rng, shape, dtype, index):
    return rng.integers(-12, 13, size=shape).astype(dtype)


def _nonzero_x(rng, shape, dtype, index):
    """xlogy's x with exact zeros (the 0 * log(y) = 0 case), y positive."""
    if index == 0:
        return np.where(rng.random(shape) < 0.3, 0.0, rng.standard_normal(shape)).astype(dtype)
    return (np.abs(rng.standard_normal(shape)) + 0.3).astype(dtype)


def _steps(rng, shape, dtype, index):
    if index == 0:
        return rng.integers(-2, 3, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def _ldexp(rng, shape, dtype, index):
    if index == 1:
        return rng.integers(-3, 4, size=shape).astype("int64")
    return rng.standard_normal(shape).astype(dtype)


TRIG = [
    _op("acos", lambda lib, a: a.acos(), domain="unit", dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("arccos", lambda lib, a: lib.arccos(a), domain="unit"),
    _op("asin", lambda lib, a: lib.asin(a), domain="unit", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("arcsin", lambda lib, a: a.arcsin(), domain="unit"),
    _op("atan", lambda lib, a: lib.atan(a), dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("arctan", lambda lib, a: a.arctan(), dtypes=FLOATS),
    _op("acosh", lambda lib, a: a.acosh(), domain=_above_one, gradgradcheck=True),
    _op("acosh_ints", lambda lib, a: lib.arccosh(a), dtypes=INTS + ("bool",), gradcheck=False),
    _op("asinh", lambda lib, a: lib.asinh(a), dtypes=ANY_INPUT + ("float16",),
        gradgradcheck=True),
    _op("arcsinh", lambda lib, a: a.arcsinh()),
    _op("atanh", lambda lib, a: a.atanh(), domain="unit", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("arctanh", lambda lib, a: lib.arctanh(a), domain="unit"),
    # one function per entry: summing their +-inf gradients into one input would test the
    # engine's accumulation of inf + -inf, not these derivatives
    *(_op(f"{name}_edges", lambda lib, a, name=name: getattr(a, name)(), domain=_edges,
          gradcheck=False) for name in ("acos", "asin", "atanh", "acosh", "atan")),
    _op("cosh", lambda lib, a: lib.cosh(a), dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("sinh", lambda lib, a: a.sinh(), dtypes=ANY_INPUT + ("float16",), gradgradcheck=True),
    _op("deg2rad", lambda lib, a: (a * 90).deg2rad(), dtypes=ANY_INPUT + ("float16",)),
    _op("rad2deg", lambda lib, a: lib.rad2deg(a), dtypes=ANY_INPUT + ("float16",)),
]

BINARY = [
    _op("atan2", lambda lib, a, b: lib.atan2(a, b), BROADCAST, domain="nonzero",
        dtypes=ANY_INPUT + ("float16",), hypothesis="broadcast", n_inputs=2,
        gradgradcheck=True),
    _op("arctan2_method", lambda lib, a, b: a.arctan2(b), BROADCAST, domain="nonzero"),
    _op("hypot", lambda lib, a, b: lib.hypot(a, b), BROADCAST, domain="nonzero",
        dtypes=HALF, hypothesis="broadcast", n_inputs=2, gradgradcheck=True),
    _op("logaddexp", lambda lib, a, b: lib.logaddexp(a, b), BROADCAST, dtypes=HALF,
        hypothesis="broadcast", n_inputs=2, gradgradcheck=True),
    _op("logaddexp_large", lambda lib, a, b: (a * 500).logaddexp(b * 500), BROADCAST,
        gradcheck=False),
    _op("logaddexp2", lambda lib, a, b: a.logaddexp2(b), BROADCAST, dtypes=HALF,
        gradgradcheck=True),
    _op("copysign", lambda lib, a, b: lib.copysign(a, b), BROADCAST, domain="nonzero",
        dtypes=ANY_INPUT + ("float16",), hypothesis="broadcast", n_inputs=2),
    _op("copysign_scalar", lambda lib, a: a.copysign(-0.0), domain=_steps, gradcheck=False,
        dtypes=ANY_INPUT),
    _op("copysign_zero", lambda lib, a, b: lib.copysign(a, b), BROADCAST, domain=_steps,
        gradcheck=False),
    _op("heaviside", lambda lib, a, b: lib.heaviside(a, b), BROADCAST, domain=_steps,
        dtypes=HALF + INTS + ("bool",), grad=False),
    _op("xlogy", lambda lib, a, b: lib.xlogy(a, b), BROADCAST, domain=_nonzero_x,
        dtypes=ANY_INPUT + ("float16",), hypothesis="broadcast", n_inputs=2),
    _op("xlogy_method", lambda lib, a, b: a.xlogy(b), BROADCAST, domain="positive",
        gradgradcheck=True),
    _op("xlogy_scalar_self", lambda lib, a: lib.xlogy(2, a), domain="positive",
        dtypes=ANY_INPUT),
    _op("xlogy_scalar_other", lambda lib, a: lib.xlogy(a, 3.5), dtypes=ANY_INPUT),
    _op("xlogy_special", lambda lib, a, b: lib.xlogy(a * 0, b), BROADCAST,
        domain=_special_points, gradcheck=False),
    # torch's gradient of x takes 2 ** e in integers (0 for e < 0): no finite differences
    _op("ldexp", lambda lib, a, b: lib.ldexp(a, b), [((3, 4), (3, 4)), ((2, 3), (3,)), ((), ())],
        domain=_ldexp, dtypes=HALF, gradcheck=False),
    _op("ldexp_ints", lambda lib, a, b: a.ldexp(b), BROADCAST, dtypes=INTS + ("bool",),
        gradcheck=False),
    _op("ldexp_float_exponent", lambda lib, a, b: lib.ldexp(a, b), BROADCAST, dtypes=HALF,
        gradgradcheck=True),
    _op("gcd", lambda lib, a, b: lib.gcd(a, b), BROADCAST, domain=_int_pairs, dtypes=INTS,
        gradcheck=False),
    _op("lcm", lambda lib, a, b: a.lcm(b), BROADCAST, domain=_int_pairs,
        dtypes=("int64", "int32", "int16"), gradcheck=False),
]

SPECIAL = [
    _op("erfc", lambda lib, a: a.erfc(), dtypes=ANY_INPUT + ("float16",), hypothesis="unary",
        gradgradcheck=True),
    _op("erfc_tail", lambda lib, a: lib.erfc(a * 4), gradcheck=False),
    _op("erfinv", lambda lib, a: lib.erfinv(a), domain="unit", dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("lgamma", lambda lib, a: a.lgamma(), domain=_gamma_domain,
        dtypes=ANY_INPUT + ("float16",), gradgradcheck=True),
    _op("digamma", lambda lib, a: lib.digamma(a), domain=_gamma_domain, dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("polygamma1", lambda lib, a: lib.polygamma(1, a), domain=_gamma_domain,
        gradgradcheck=True),
    # positive integers: torch's trigamma is finite garbage at the poles (this gives inf)
    _op("polygamma1_ints", lambda lib, a: lib.polygamma(1, a), domain="positive", dtypes=INTS,
        gradcheck=False),
    _op("polygamma3_method", lambda lib, a: a.polygamma(3), domain=_gamma_domain),
    _op("special_points", lambda lib, a: (a.erfc(), a.erfinv(), a.lgamma(), a.digamma(),
                                          a.polygamma(2), a.i0(), a.sinc()),
        domain=_special_points, dtypes=FLOATS, gradcheck=False, grad=False),
    _op("i0", lambda lib, a: lib.i0(a * 3), dtypes=ANY_INPUT + ("float16",),
        gradgradcheck=True),
    _op("sinc", lambda lib, a: a.sinc(), domain=_steps, dtypes=ANY_INPUT + ("float16",)),
    _op("sinc_smooth", lambda lib, a: lib.sinc(a), hypothesis="unary", gradgradcheck=True),
    _op("logit", lambda lib, a: a.logit(), domain=_probability, dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("logit_eps", lambda lib, a: lib.logit(a, eps=0.2), domain=_logit_eps),
    _op("logit_outside", lambda lib, a: lib.logit(a), domain=_logit_eps, gradcheck=False),
    _op("frexp", lambda lib, a: lib.frexp(a * 10), dtypes=HALF),
    _op("frexp_method", lambda lib, a: a.frexp(), domain=_special_points, gradcheck=False),
]

INPLACE = [
    _op("acos_", lambda lib, a: (a * 1).acos_(), domain="unit"),
    _op("lgamma_", lambda lib, a: (a * 1).lgamma_(), domain=_gamma_domain),
    _op("polygamma_", lambda lib, a: (a * 1).polygamma_(1), domain=_gamma_domain),
    _op("atan2_", lambda lib, a, b: (a * 1).atan2_(b), BROADCAST[:2], domain="nonzero"),
    _op("xlogy_top_level", lambda lib, a, b: lib.xlogy_(a * 1, b), BROADCAST[:2],
        domain="positive"),
    _op("top_level_inplace", lambda lib, a: (lib.sinh_(a * 1), lib.exp_(a * 1),
                                             lib.erfc_(a * 1), lib.frac_(a * 3))),
]

OPS = TRIG + BINARY + SPECIAL + INPLACE
