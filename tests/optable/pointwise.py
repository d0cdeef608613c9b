"""Op-table entries: elementwise ops (arithmetic, math, clamp/where, comparisons, in-place).

Integer and bool dtypes are listed wherever torch accepts them, so result dtypes (int / int
-> float, bool + bool -> bool, exp(int) -> float) are checked against torch as well.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec

BROADCAST = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (5,)), ((0, 3), (3,)),
             ((), ())]
TERNARY = [((3, 4), (3, 4), (3, 4)), ((3, 1), (4,), ()), ((2, 0), (2, 1), (0,)), ((), (), ())]
UNARY = [((3, 4),), ((),), ((2, 0),), ((2, 3, 4),)]
CLAMP_BOUNDS = [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), ()), ((2, 3), (3,), (2, 1)),
                ((2, 0), (2, 1), (0,)), ((), (), ())]

INTS = ("int64", "int32", "int16", "int8", "uint8")
NUMERIC = FLOATS + ("float16",) + INTS
ALL = NUMERIC + ("bool",)
ANY_INPUT = FLOATS + INTS + ("bool",)  # for float-valued functions: ints become float32


def _ties(rng, shape, dtype, index):
    """Small integers as floats, so maximum/minimum/clamp see many exact ties."""
    return rng.integers(-2, 3, size=shape).astype(dtype)


def _special(rng, shape, dtype, index):
    """Normal values sprinkled with nan, inf and -inf."""
    x = rng.standard_normal(shape).astype(dtype)
    if dtype.startswith("float"):
        pick = rng.integers(0, 5, size=shape)
        x = np.where(pick == 1, np.nan, np.where(pick == 2, np.inf, np.where(pick == 3, -np.inf,
                                                                           x)))
    return np.asarray(x).astype(dtype)


def _int_exponents(rng, shape, dtype, index):
    """Bases in [-3, 3] and exponents in [-2, 3]: negative integer powers included."""
    low, high = (-3, 4) if index == 0 else (-2, 4)
    return rng.integers(low, high, size=shape).astype(dtype)


def _away_from_steps(rng, shape, dtype, index):
    """Operands with a / b = k + 1/2 (b = +-1.7): far from the jumps of remainder and fmod,
    so finite differences see the smooth pieces."""
    if index == 1:
        return np.where(rng.random(shape) < 0.5, -1.7, 1.7).astype(dtype)
    return ((rng.integers(-3, 3, size=shape) + 0.5) * 1.7).astype(dtype)


def _op(name, fn, shapes, **kw):
    return OpSpec(name, fn, shapes, **kw)


ARITHMETIC = [
    _op("add", lambda lib, a, b: lib.add(a, b), BROADCAST, dtypes=ALL, hypothesis="broadcast",
        n_inputs=2, gradgradcheck=True),
    _op("add_operator", lambda lib, a, b: a + b, BROADCAST, dtypes=NUMERIC),
    _op("add_alpha", lambda lib, a, b: lib.add(a, b, alpha=2.5), BROADCAST, n_inputs=2),
    _op("add_method_int_alpha", lambda lib, a, b: a.add(b, alpha=3), BROADCAST,
        dtypes=FLOATS + INTS),
    _op("add_scalar", lambda lib, a: a + 2, UNARY, dtypes=ALL),
    _op("add_float_scalar", lambda lib, a: a + 2.5, UNARY, dtypes=ALL),
    _op("radd_scalar", lambda lib, a: 3 + a, UNARY, dtypes=NUMERIC),
    _op("add_bool_scalar", lambda lib, a: a + True, UNARY, dtypes=ALL),
    _op("sub", lambda lib, a, b: a - b, BROADCAST, dtypes=NUMERIC, hypothesis="broadcast",
        n_inputs=2, gradgradcheck=True),
    _op("sub_alpha", lambda lib, a, b: a.sub(b, alpha=2), BROADCAST, dtypes=FLOATS + INTS),
    _op("subtract", lambda lib, a, b: lib.subtract(a, b, alpha=0.5), BROADCAST),
    _op("rsub_scalar", lambda lib, a: 1 - a, UNARY, dtypes=NUMERIC),
    _op("rsub_tensor", lambda lib, a, b: lib.rsub(a, b), BROADCAST, dtypes=FLOATS + INTS),
    _op("rsub_alpha", lambda lib, a: lib.rsub(a, 2, alpha=3), UNARY, dtypes=FLOATS + INTS),
    _op("mul", lambda lib, a, b: a * b, BROADCAST, dtypes=ALL, hypothesis="broadcast",
        n_inputs=2, gradgradcheck=True),
    _op("mul_method", lambda lib, a, b: a.mul(b), BROADCAST),
    _op("multiply", lambda lib, a, b: lib.multiply(a, b), BROADCAST, dtypes=NUMERIC),
    _op("scalar_mul", lambda lib, a: 2.5 * a, UNARY, dtypes=ALL),
    _op("div", lambda lib, a, b: a / b, BROADCAST, domain="nonzero", dtypes=FLOATS + INTS,
        hypothesis="broadcast", n_inputs=2, gradgradcheck=True),
    _op("div_function", lambda lib, a, b: lib.div(a, b), BROADCAST, domain="nonzero",
        dtypes=ALL[:-1]),
    _op("divide", lambda lib, a, b: lib.divide(a, b), BROADCAST, domain="nonzero"),
    _op("true_divide", lambda lib, a, b: lib.true_divide(a, b), BROADCAST, domain="nonzero",
        dtypes=FLOATS + INTS),
    _op("div_scalar", lambda lib, a: a / 4, UNARY, dtypes=ALL),
    _op("rdiv_scalar", lambda lib, a: 2 / a, UNARY, domain="nonzero", dtypes=FLOATS + INTS,
        gradgradcheck=True),
    _op("div_floor", lambda lib, a, b: lib.div(a, b, rounding_mode="floor"), BROADCAST,
        domain="nonzero", dtypes=FLOATS + INTS, gradcheck=False),
    _op("div_trunc", lambda lib, a, b: a.div(b, rounding_mode="trunc"), BROADCAST,
        domain="nonzero", dtypes=FLOATS + INTS, gradcheck=False),
    _op("floor_divide", lambda lib, a, b: a // b, BROADCAST, domain="nonzero",
        dtypes=FLOATS + INTS, grad=False),
    _op("floor_divide_scalar", lambda lib, a: lib.floor_divide(a, -3), UNARY,
        dtypes=FLOATS + INTS, grad=False),
    _op("rfloordiv_scalar", lambda lib, a: 7 // a, UNARY, domain="nonzero",
        dtypes=FLOATS + INTS, grad=False),
    _op("remainder", lambda lib, a, b: a % b, BROADCAST, domain="nonzero",
        dtypes=FLOATS + INTS, hypothesis="broadcast", n_inputs=2, gradcheck=False),
    _op("remainder_smooth", lambda lib, a, b: lib.remainder(a, b), BROADCAST,
        domain=_away_from_steps),
    _op("remainder_scalar", lambda lib, a: lib.remainder(a, 1.5), UNARY, dtypes=FLOATS + INTS),
    _op("remainder_int_scalar", lambda lib, a: a.remainder(-3), UNARY, dtypes=FLOATS + INTS),
    _op("rremainder_scalar", lambda lib, a: 5 % a, UNARY, domain="nonzero",
        dtypes=FLOATS + INTS, grad=False),
    _op("fmod", lambda lib, a, b: lib.fmod(a, b), BROADCAST, domain="nonzero",
        dtypes=FLOATS + INTS, gradcheck=False),
    _op("fmod_smooth", lambda lib, a, b: a.fmod(b), BROADCAST, domain=_away_from_steps),
    _op("fmod_scalar", lambda lib, a: a.fmod(-1.5), UNARY, dtypes=FLOATS + INTS),
    _op("reciprocal", lambda lib, a: a.reciprocal(), UNARY, domain="nonzero", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("neg", lambda lib, a: -a, UNARY, dtypes=NUMERIC, hypothesis="unary"),
    _op("negative", lambda lib, a: lib.negative(a), UNARY),
    _op("positive", lambda lib, a: +a, UNARY, dtypes=NUMERIC),
]

POWERS = [
    _op("pow_scalar", lambda lib, a: a ** 3, UNARY, dtypes=NUMERIC, hypothesis="unary",
        gradgradcheck=True),
    _op("pow_float_scalar", lambda lib, a: a ** 2.5, UNARY, domain="positive",
        dtypes=FLOATS + INTS, gradgradcheck=True),
    _op("pow_negative_scalar", lambda lib, a: lib.pow(a, -2), UNARY, domain="nonzero"),
    _op("pow_zero", lambda lib, a: a.pow(0), UNARY, dtypes=NUMERIC),
    _op("pow_bool_scalar", lambda lib, a: a ** 2, UNARY, dtypes=("bool",)),
    _op("pow_tensor", lambda lib, a, b: a ** b, BROADCAST, domain="positive", n_inputs=2,
        hypothesis="broadcast", gradgradcheck=True),
    _op("pow_tensor_method", lambda lib, a, b: a.pow(b), BROADCAST, domain=_int_exponents,
        dtypes=INTS, gradcheck=False),
    _op("pow_0d_exponent", lambda lib, a, b: lib.pow(a, b), [((3, 4), ()), ((), ())],
        domain="positive"),
    _op("rpow", lambda lib, a: 2 ** a, UNARY, dtypes=FLOATS + INTS, gradgradcheck=True),
    _op("rpow_float", lambda lib, a: lib.pow(1.5, a), UNARY, dtypes=FLOATS + INTS),
    _op("rpow_zero_base", lambda lib, a: 0 ** a, UNARY, domain="nonzero", gradcheck=False),
    _op("square", lambda lib, a: a.square(), UNARY, dtypes=ALL, gradgradcheck=True),
    _op("float_power", lambda lib, a, b: lib.float_power(a, b), BROADCAST, domain="positive",
        dtypes=FLOATS + ("int64",)),
]

MATH = [
    _op("exp", lambda lib, a: a.exp(), UNARY, dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("exp2", lambda lib, a: lib.exp2(a), UNARY, dtypes=ANY_INPUT, gradgradcheck=True),
    _op("expm1", lambda lib, a: a.expm1(), UNARY, dtypes=ANY_INPUT, gradgradcheck=True),
    _op("log", lambda lib, a: lib.log(a), UNARY, domain="positive", dtypes=ANY_INPUT,
        hypothesis="unary", gradgradcheck=True),
    _op("log_nonpositive", lambda lib, a: a.log(), UNARY, gradcheck=False),
    _op("log2", lambda lib, a: a.log2(), UNARY, domain="positive", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("log10", lambda lib, a: lib.log10(a), UNARY, domain="positive", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("log1p", lambda lib, a: a.log1p(), UNARY, domain="positive", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("sqrt", lambda lib, a: a.sqrt(), UNARY, domain="positive", dtypes=ANY_INPUT,
        hypothesis="unary", gradgradcheck=True),
    _op("rsqrt", lambda lib, a: lib.rsqrt(a), UNARY, domain="positive", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("sin", lambda lib, a: a.sin(), UNARY, dtypes=ANY_INPUT, hypothesis="unary",
        gradgradcheck=True),
    _op("cos", lambda lib, a: lib.cos(a), UNARY, dtypes=ANY_INPUT, hypothesis="unary",
        gradgradcheck=True),
    _op("tan", lambda lib, a: a.tan(), UNARY, domain="unit", dtypes=ANY_INPUT,
        gradgradcheck=True),
    _op("tanh", lambda lib, a: a.tanh(), UNARY, dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("sigmoid", lambda lib, a: lib.sigmoid(a), UNARY, dtypes=ANY_INPUT + ("float16",),
        hypothesis="unary", gradgradcheck=True),
    _op("sigmoid_large", lambda lib, a: (a * 100).sigmoid(), UNARY, gradcheck=False),
    _op("erf", lambda lib, a: a.erf(), UNARY, dtypes=ANY_INPUT + ("float16",),
        gradgradcheck=True),
    _op("relu", lambda lib, a: lib.relu(a), UNARY, domain="nonzero", dtypes=NUMERIC,
        hypothesis="unary"),
    _op("relu_method", lambda lib, a: a.relu(), UNARY, domain=_ties, gradcheck=False),
    _op("abs", lambda lib, a: a.abs(), UNARY, domain="nonzero", dtypes=NUMERIC,
        hypothesis="unary"),
    _op("abs_at_zero", lambda lib, a: lib.abs(a), UNARY, domain=_ties, gradcheck=False),
    _op("abs_operator", lambda lib, a: abs(a), UNARY, dtypes=INTS),
    _op("sign", lambda lib, a: a.sign(), UNARY, domain=_ties, dtypes=ALL, gradcheck=False),
    # torch's sgn gradient of a real tensor is a ZeroTensor that cannot be read: values only
    _op("sgn", lambda lib, a: lib.sgn(a), UNARY, dtypes=FLOATS + INTS, grad=False),
    _op("floor", lambda lib, a: a.floor(), UNARY, dtypes=NUMERIC),
    _op("ceil", lambda lib, a: lib.ceil(a), UNARY, dtypes=NUMERIC),
    _op("round", lambda lib, a: (a * 2).round(), UNARY, dtypes=NUMERIC),
    _op("round_decimals", lambda lib, a: lib.round(a * 10, decimals=1), UNARY),
    _op("round_negative_decimals", lambda lib, a: (a * 300).round(decimals=-2), UNARY),
    _op("trunc", lambda lib, a: lib.trunc(a * 3), UNARY, dtypes=NUMERIC),
    _op("fix", lambda lib, a: (a * 3).fix(), UNARY, dtypes=FLOATS + INTS),
    _op("frac", lambda lib, a: (a * 3).frac(), UNARY, dtypes=FLOATS + ("float16",),
        gradgradcheck=True),
    _op("nan_to_num", lambda lib, a: a.nan_to_num(), UNARY, domain=_special,
        dtypes=FLOATS + ("float16", "int64"), gradcheck=False),
    _op("nan_to_num_values", lambda lib, a: lib.nan_to_num(a, nan=1.5, posinf=9.0, neginf=-9.0),
        UNARY, domain=_special, gradcheck=False),
]

CLAMP = [
    _op("clamp", lambda lib, a: a.clamp(-0.5, 0.5), UNARY, dtypes=FLOATS + ("float16",),
        hypothesis="unary"),
    _op("clamp_ties", lambda lib, a: lib.clamp(a, -1, 1), UNARY, domain=_ties, gradcheck=False),
    _op("clamp_min_kw", lambda lib, a: lib.clamp(a, min=0.1), UNARY, dtypes=FLOATS + INTS),
    _op("clamp_max_kw", lambda lib, a: a.clamp(max=0.2), UNARY, dtypes=FLOATS + INTS),
    _op("clamp_int_bounds", lambda lib, a: a.clamp(-2, 3), UNARY, dtypes=NUMERIC),
    _op("clamp_bool_int_bound", lambda lib, a: a.clamp(0, 1), UNARY, dtypes=("bool",)),
    _op("clamp_inverted", lambda lib, a: a.clamp(1, -1), UNARY, dtypes=FLOATS + INTS),
    _op("clip", lambda lib, a: lib.clip(a, -1, 1), UNARY),
    # bounds broadcast to the input's shape only: torch's own backward fails when the input
    # is the smaller operand (numtorch's does not)
    _op("clamp_tensors", lambda lib, a, lo, hi: a.clamp(lo, hi), CLAMP_BOUNDS),
    _op("clamp_tensors_ties", lambda lib, a, lo, hi: lib.clamp(a, lo, hi), CLAMP_BOUNDS,
        domain=_ties, gradcheck=False),
    _op("clamp_tensor_min", lambda lib, a, b: lib.clamp(a, min=b), BROADCAST,
        dtypes=FLOATS + INTS),
    _op("clamp_tensor_max", lambda lib, a, b: a.clamp(max=b), BROADCAST, dtypes=FLOATS + INTS),
    _op("clamp_min", lambda lib, a: lib.clamp_min(a, 0.1), UNARY, dtypes=FLOATS + INTS),
    _op("clamp_max", lambda lib, a: a.clamp_max(0.1), UNARY, dtypes=FLOATS + INTS),
    _op("clamp_min_tensor", lambda lib, a, b: a.clamp_min(b), BROADCAST, domain=_ties,
        gradcheck=False),
    _op("clamp_max_tensor", lambda lib, a, b: lib.clamp_max(a, b), BROADCAST),
    _op("maximum", lambda lib, a, b: lib.maximum(a, b), BROADCAST, dtypes=ALL,
        hypothesis="broadcast", n_inputs=2),
    _op("maximum_ties", lambda lib, a, b: a.maximum(b), BROADCAST, domain=_ties,
        gradcheck=False),
    _op("maximum_nan", lambda lib, a, b: lib.maximum(a, b), BROADCAST, domain=_special,
        gradcheck=False),
    _op("minimum", lambda lib, a, b: a.minimum(b), BROADCAST, dtypes=ALL),
    _op("minimum_ties", lambda lib, a, b: lib.minimum(a, b), BROADCAST, domain=_ties,
        gradcheck=False),
    _op("fmax", lambda lib, a, b: lib.fmax(a, b), BROADCAST, domain=_special, gradcheck=False),
    _op("fmin_ties", lambda lib, a, b: a.fmin(b), BROADCAST, domain=_ties, gradcheck=False),
    _op("where", lambda lib, c, a, b: lib.where(c > 0, a, b), TERNARY, dtypes=NUMERIC,
        hypothesis="broadcast", n_inputs=3, gradgradcheck=True),
    _op("where_scalar", lambda lib, a: lib.where(a > 0, a, 0.0), UNARY, dtypes=FLOATS + INTS),
    _op("where_scalars", lambda lib, a: lib.where(a > 0, 1, 2.5), UNARY),
    _op("where_method", lambda lib, a, b: a.where(a < 0, b), BROADCAST),
    _op("where_bool", lambda lib, a, b: lib.where(a, a, b), BROADCAST, dtypes=("bool",),
        grad=False),
    _op("lerp", lambda lib, a, b: lib.lerp(a, b, 0.3), BROADCAST, gradgradcheck=True),
    _op("lerp_far", lambda lib, a, b: a.lerp(b, 0.8), BROADCAST),
    _op("lerp_tensor", lambda lib, a, b, w: lib.lerp(a, b, w), TERNARY, domain="unit",
        hypothesis="broadcast", n_inputs=3, gradgradcheck=True),
]


def _comparison(name, fn):
    return _op(name, fn, BROADCAST, dtypes=ALL, grad=False)


COMPARISONS = [
    _comparison("eq", lambda lib, a, b: a == b),
    _comparison("ne", lambda lib, a, b: lib.ne(a, b)),
    _comparison("lt", lambda lib, a, b: a < b),
    _comparison("le", lambda lib, a, b: a.le(b)),
    _comparison("gt", lambda lib, a, b: lib.gt(a, b)),
    _comparison("ge", lambda lib, a, b: a >= b),
    _comparison("greater", lambda lib, a, b: lib.greater(a, b)),
    _comparison("less_equal", lambda lib, a, b: a.less_equal(b)),
    _comparison("not_equal", lambda lib, a, b: lib.not_equal(a, b)),
    _op("lt_scalar", lambda lib, a: a < 0.5, UNARY, dtypes=ALL, grad=False),
    _op("eq_int_scalar", lambda lib, a: a.eq(1), UNARY, dtypes=ALL, grad=False),
    _op("rgt_scalar", lambda lib, a: 0 > a, UNARY, dtypes=ALL, grad=False),
    _comparison("logical_and", lambda lib, a, b: lib.logical_and(a, b)),
    _comparison("logical_or", lambda lib, a, b: a.logical_or(b)),
    _comparison("logical_xor", lambda lib, a, b: lib.logical_xor(a, b)),
    _op("logical_not", lambda lib, a: a.logical_not(), UNARY, dtypes=ALL, grad=False),
    _op("bitwise_and", lambda lib, a, b: a & b, BROADCAST, dtypes=INTS + ("bool",), grad=False),
    _op("bitwise_or", lambda lib, a, b: lib.bitwise_or(a, b), BROADCAST,
        dtypes=INTS + ("bool",), grad=False),
    _op("bitwise_xor", lambda lib, a, b: a ^ b, BROADCAST, dtypes=INTS + ("bool",), grad=False),
    _op("bitwise_scalar", lambda lib, a: (a & 3) | 8, UNARY, dtypes=INTS, grad=False),
    _op("bitwise_not", lambda lib, a: ~a, UNARY, dtypes=INTS + ("bool",), grad=False),
    _op("isnan", lambda lib, a: a.isnan(), UNARY, domain=_special, dtypes=ALL, grad=False),
    _op("isinf", lambda lib, a: lib.isinf(a), UNARY, domain=_special, dtypes=ALL, grad=False),
    _op("isfinite", lambda lib, a: a.isfinite(), UNARY, domain=_special, dtypes=ALL,
        grad=False),
    _op("isposinf", lambda lib, a: lib.isposinf(a), UNARY, domain=_special, dtypes=NUMERIC,
        grad=False),
    _op("isneginf", lambda lib, a: a.isneginf(), UNARY, domain=_special, dtypes=NUMERIC,
        grad=False),
    _op("signbit", lambda lib, a: a.signbit(), UNARY, dtypes=NUMERIC, grad=False),
]

CONVERSION = [
    _op("to_float64", lambda lib, a: a.to(lib.float64), UNARY, dtypes=ALL),
    _op("to_int", lambda lib, a: (a * 3).to(lib.int32), UNARY),
    _op("double", lambda lib, a: a.double() * 2, UNARY, dtypes=ALL[:-1]),
    _op("clone", lambda lib, a: lib.clone(a), UNARY, dtypes=ALL, gradgradcheck=True),
    _op("clone_method", lambda lib, a: a.clone() * a, UNARY),
]

# in-place ops on a non-leaf copy: the tensor takes over the op's place in the graph
INPLACE = [
    _op("add_", lambda lib, a, b: a.clone().add_(b, alpha=2), [((3, 4), (4,)), ((), ())],
        gradgradcheck=True),
    _op("iadd", lambda lib, a, b: _iadd(a * 1, b), [((3, 4), (3, 4)), ((2, 3), ())]),
    _op("mul_", lambda lib, a, b: (a * 1).mul_(b), [((3, 4), (4,)), ((), ())],
        gradgradcheck=True),
    _op("div_", lambda lib, a, b: a.clone().div_(b), [((3, 4), (3, 4))], domain="nonzero"),
    _op("sub_int", lambda lib, a, b: a.clone().sub_(b), [((3, 4), (4,))], dtypes=INTS),
    _op("pow_", lambda lib, a: a.clone().pow_(2), UNARY, gradgradcheck=True),
    _op("exp_", lambda lib, a: (a * 1).exp_(), UNARY, gradgradcheck=True),
    _op("sigmoid_", lambda lib, a: (a * 1).sigmoid_() * 2, UNARY),
    _op("clamp_", lambda lib, a: a.clone().clamp_(-0.5, 0.5), UNARY),
    _op("relu_", lambda lib, a: a.clone().relu_(), UNARY, domain="nonzero"),
    _op("neg_", lambda lib, a: a.clone().neg_(), UNARY, dtypes=NUMERIC),
    _op("floor_", lambda lib, a: a.clone().floor_() + a, UNARY, dtypes=FLOATS + INTS),
    _op("zero_", lambda lib, a: a.clone().zero_() + a, UNARY, dtypes=ALL),
    _op("fill_scalar", lambda lib, a: a.clone().fill_(2.5) * a, UNARY, dtypes=FLOATS + INTS),
    _op("fill_tensor", lambda lib, a, b: (a * 1).fill_(b.sum()) * a, [((3, 4), (2,)), ((), ())],
        gradgradcheck=True),
    _op("copy_", lambda lib, a, b: (a * 1).copy_(b) * a, [((3, 4), (4,)), ((3, 4), (3, 4)),
                                                        ((2, 3), ()), ((0, 2), (2,))],
        gradgradcheck=True),
    _op("copy_cast", lambda lib, a, b: (a * 1).double().copy_(b), [((3, 4), (3, 4))]),
    _op("copy_into_int", lambda lib, a, b: (a * 1).long().copy_(b * 3), [((3, 4), (4,))]),
    _op("lt_", lambda lib, a, b: a.clone().lt_(b), [((3, 4), (4,))], dtypes=NUMERIC,
        grad=False),
]


def _iadd(a, b):
    a += b
    return a


OPS: list[OpSpec] = ARITHMETIC + POWERS + MATH + CLAMP + COMPARISONS + CONVERSION + INPLACE
