"""Elementwise functions of one tensor (exp, log, sin, relu, floor, isnan...) and the in-place
writers ``zero_``, ``fill_`` and ``copy_`` (the random fills are in ``_random_tensor``).

Float-valued functions give integer and bool inputs the default float dtype, as torch does;
rounding and sign keep integers as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype
from .._primitives import fill as P
from .._primitives import unary as U
from .._tensor import Tensor
from ..autograd.grad_mode import _GradState
from ._util import _legacy_name, as_tensor_operand, check_inplace, inplace, to_float, write_out

__all__ = [
    "neg", "negative", "positive", "abs", "absolute", "sign", "sgn", "exp", "exp2", "expm1",
    "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "tanh",
    "sigmoid", "erf", "relu", "floor", "ceil", "round", "trunc", "fix", "frac", "nan_to_num",
    "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "logical_not",
    "bitwise_not", "zero_", "fill_", "fill",
]

# Tensor methods bound to these functions (tensor.NAME), and in-place variants (tensor.NAME_)
METHODS = [n for n in __all__ if n != "fill"] + ["copy_"]
INPLACE = [
    "neg", "negative", "abs", "absolute", "sign", "sgn", "exp", "exp2", "expm1", "log", "log2",
    "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "tanh", "sigmoid",
    "erf", "relu", "floor", "ceil", "round", "trunc", "fix", "frac", "nan_to_num",
    "logical_not", "bitwise_not",
]


def _not_implemented(kernel: str, dt: _dtype.dtype) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_legacy_name(dt)}'")


def _require_tensor(input: Any, name: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def _float_function(name: str, prim: type[U.Pointwise]) -> Callable[..., Tensor]:
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        _require_tensor(input, name)
        return write_out(prim.apply(to_float(input)), out, name)

    fn.__name__ = name
    fn.__doc__ = prim.__doc__.split(";")[0] + ", elementwise (integers become float)."
    return fn


exp = _float_function("exp", U.Exp)
exp2 = _float_function("exp2", U.Exp2)
expm1 = _float_function("expm1", U.Expm1)
log = _float_function("log", U.Log)
log2 = _float_function("log2", U.Log2)
log10 = _float_function("log10", U.Log10)
log1p = _float_function("log1p", U.Log1p)
sqrt = _float_function("sqrt", U.Sqrt)
rsqrt = _float_function("rsqrt", U.Rsqrt)
reciprocal = _float_function("reciprocal", U.Reciprocal)
sin = _float_function("sin", U.Sin)
cos = _float_function("cos", U.Cos)
tan = _float_function("tan", U.Tan)
tanh = _float_function("tanh", U.Tanh)
sigmoid = _float_function("sigmoid", U.Sigmoid)
erf = _float_function("erf", U.Erf)


def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``-input``."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return write_out(U.Neg.apply(input), out, "neg")


negative = neg


def positive(input: Tensor) -> Tensor:
    """``+input``: the tensor itself."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    """``|input|``; the gradient at 0 is 0."""
    if input._data.dtype.kind == "b":
        raise _not_implemented("abs_cpu", input.dtype)
    return write_out(U.Abs.apply(input), out, "abs")


absolute = abs


def relu(input: Tensor) -> Tensor:
    """``max(input, 0)``; the gradient at 0 is 0."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return U.Relu.apply(input)


def _step(name: str, grad_name: str, bools: bool = False) -> Callable[..., Tensor]:
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        if input._data.dtype.kind == "b" and not bools:
            raise _not_implemented(f"{name}_vml_cpu", input.dtype)
        return write_out(U.Step.apply(input, name=grad_name), out, name)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}``; piecewise constant, so its gradient is zero."
    return fn


sign = _step("sign", "SignBackward0", bools=True)
sgn = _step("sgn", "SgnBackward0", bools=True)
floor = _step("floor", "FloorBackward0")
ceil = _step("ceil", "CeilBackward0")
trunc = _step("trunc", "TruncBackward0")
fix = trunc


def round(input: Tensor, *, decimals: int | None = None,  # noqa: A001
          out: Tensor | None = None) -> Tensor:
    """Round half to even, to ``decimals`` decimal places (0 by default)."""
    if decimals is None:
        if input._data.dtype.kind == "b":
            raise _not_implemented("round_vml_cpu", input.dtype)
        return write_out(U.Step.apply(input, name="RoundBackward0"), out, "round")
    if not input.dtype.is_floating_point:
        raise _not_implemented("round_vml_cpu" if decimals == 0 else "round_cpu", input.dtype)
    return write_out(U.Step.apply(input, name="RoundBackward1", decimals=decimals), out, "round")


def frac(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``input - trunc(input)``, keeping the sign."""
    if not input.dtype.is_floating_point:
        raise _not_implemented("frac_cpu", input.dtype)
    return write_out(U.Frac.apply(input), out, "frac")


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None, *, out: Tensor | None = None) -> Tensor:
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0 and
    the dtype's largest and smallest finite values)."""
    if not input.dtype.is_floating_point:
        return write_out(P.Clone.apply(input), out, "nan_to_num")
    result = U.NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)
    return write_out(result, out, "nan_to_num")


def _predicate(name: str) -> Callable[..., Tensor]:
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        if name == "bitwise_not" and input.dtype.is_floating_point:
            raise _not_implemented("bitwise_not_cpu", input.dtype)
        return write_out(U.Predicate.apply(input, fn=name), out, name)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}``, never differentiable."
    return fn


isnan, isinf, isfinite, isposinf, isneginf, signbit, logical_not, bitwise_not = (
    _predicate(n) for n in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit",
                            "logical_not", "bitwise_not"))


# -- in-place writers -----------------------------------------------------------------------


def zero_(input: Tensor) -> Tensor:
    """Set every element to zero, in place."""
    if not _GradState.enabled:  # nothing to record (``p.grad.zero_()`` in no_grad): write
        check_inplace(input)
        input._data[...] = 0
        input._bump_version()
        return input
    return inplace(input, lambda src: P.Fill.apply(src, scalar=0, name="ZeroBackward0"))


def fill(input: Tensor, value: Any) -> Tensor:
    """A tensor like ``input`` with every element ``value`` (a number or a 0-d tensor)."""
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return P.Fill.apply(input, value)
    if not isinstance(value, (bool, int, float, complex)) and not hasattr(value, "dtype"):
        raise TypeError("fill_() received an invalid combination of arguments - got "
                        f"({type(value).__name__}), but expected one of:\n * (Tensor value)\n"
                        " * (Number value)")
    return P.Fill.apply(input, scalar=value, name="FillBackward2")


def fill_(input: Tensor, value: Any) -> Tensor:
    """Set every element to ``value`` (a number or a 0-d tensor), in place."""
    return inplace(input, lambda src: fill(src, value))


def copy_(input: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast to this shape, converted to this dtype) into the tensor.

    Differentiable: ``src`` receives the gradient (``CopyBackwards``)."""
    src = src if isinstance(src, Tensor) else as_tensor_operand(src, input.dtype)
    _check_broadcast_into(input.shape, src.shape)
    return inplace(input, lambda dst: P.Copy.apply(dst, src))


def _check_broadcast_into(dst: tuple, src: tuple) -> None:
    """torch's two errors for a src that does not broadcast to dst's shape (a clash is
    reported at the last clashing dim, as torch scans from the end)."""
    n = max(len(dst), len(src))
    padded_dst, padded_src = (1,) * (n - len(dst)) + dst, (1,) * (n - len(src)) + src
    for dim in reversed(range(n)):
        x, y = padded_dst[dim], padded_src[dim]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {dim}")
    shape = tuple(y if x == 1 else x for x, y in zip(padded_dst, padded_src))
    if shape != tuple(dst):
        raise RuntimeError(f"output with shape {list(dst)} doesn't match the broadcast shape "
                           f"{list(shape)}")


def _invert_operator(self: Tensor) -> Tensor:
    """``~tensor``: bitwise not, with torch's TypeError for floating tensors."""
    if self.dtype.is_floating_point:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)


# methods with no function of the same name, bound as they are
BOUND_METHODS = {"__invert__": _invert_operator}
