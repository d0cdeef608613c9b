"""Elementwise functions of two or more operands: arithmetic, powers, maximum/minimum,
clamp, where, lerp, comparisons, logical and bitwise ops, dtype conversion.

Operands are promoted first (NOTE [ Type promotion ] in ``_dtype``), so a primitive sees
arrays of one dtype. One-operand math (exp, floor...) and zero_/fill_/copy_ are in
``unary.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from .. import _dtype
from .._creation import number_tensor
from .._primitives import elementwise as E
from .._primitives import fill as P
from .._primitives import powers as PW
from .._tensor import Tensor
from ._util import (
    _INT53,
    _legacy_name,
    as_tensor_operand,
    inplace,
    promote,
    to_float,
    write_out,
)
from .unary import reciprocal

__all__ = [
    "add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
    "floor_divide", "remainder", "fmod", "pow", "float_power", "square", "maximum", "minimum",
    "fmax", "fmin", "clamp", "clip", "clamp_min", "clamp_max", "where", "lerp", "to_dtype",
    "clone", "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
    "less_equal", "not_equal", "equal", "logical_and", "logical_or", "logical_xor",
    "bitwise_and", "bitwise_or", "bitwise_xor",
]

# Tensor methods bound to these functions (tensor.NAME), and in-place variants (tensor.NAME_)
METHODS = [n for n in __all__ if n not in ("rsub", "where", "to_dtype")] + ["float_power_"]
INPLACE = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "square", "clamp", "clip", "clamp_min", "clamp_max", "lerp",
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
    "not_equal", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
    "bitwise_xor",
]


def _not_implemented(kernel: str, dt: _dtype.dtype) -> NotImplementedError:
    """torch's error for a dtype its kernel was not built for."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_legacy_name(dt)}'")


def _is_bool(x: Any) -> bool:
    return isinstance(x, bool) or (isinstance(x, Tensor) and x._data.dtype.kind == "b")


def _check_no_bool_sub(input: Any, other: Any) -> None:
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if _is_bool(input) or _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def _check_alpha(alpha: Any, dt: _dtype.dtype) -> None:
    if isinstance(alpha, float) and not dt.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


# -- arithmetic -----------------------------------------------------------------------------


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input + alpha * other``, broadcasting and promoting.

    >>> torch.add(torch.tensor([1., 2.]), 10, alpha=2)
    tensor([21., 22.])
    """
    a, b, dt = promote(input, other)
    if type(alpha) is not int or alpha != 1:
        _check_alpha(alpha, dt)
    result = E.Add.apply(a, b, alpha=alpha)
    return result if out is None else write_out(result, out, "add")


def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input - alpha * other``; bool operands are refused, as in torch."""
    if _is_bool(input) or _is_bool(other):
        _check_no_bool_sub(input, other)
    a, b, dt = promote(input, other)
    if type(alpha) is not int or alpha != 1:
        _check_alpha(alpha, dt)
    result = E.Sub.apply(a, b, alpha=alpha)
    return result if out is None else write_out(result, out, "sub")


subtract = sub


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input`` (what ``2 - tensor`` runs)."""
    _check_no_bool_sub(input, other)
    if isinstance(other, Tensor):
        a, b, dt = promote(input, other)
        _check_alpha(alpha, dt)
        return E.Rsub.apply(a, b, alpha=alpha)
    dt = _dtype.result_type(input, other)
    _check_alpha(alpha, dt)
    return E.Rsub.apply(as_tensor_operand(input, dt), alpha=alpha, scalar=other)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * other``."""
    a, b, _ = promote(input, other)
    result = E.Mul.apply(a, b)
    return result if out is None else write_out(result, out, "mul")


multiply = mul


def div(input: Any, other: Any, *, rounding_mode: str | None = None,
        out: Tensor | None = None) -> Tensor:
    """``input / other``. Integers divide to the default float dtype unless
    ``rounding_mode`` is ``"trunc"`` or ``"floor"``, which keep the promoted dtype."""
    if rounding_mode not in (None, "trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    a, b, dt = promote(input, other)
    if rounding_mode is None:
        result = E.Div.apply(to_float(a), to_float(b))
        return result if out is None else write_out(result, out, "div")
    if dt is _dtype.bool_:
        raise _not_implemented(f"div_{rounding_mode}_cpu", dt)
    return write_out(E.DivRounding.apply(a, b, rounding_mode=rounding_mode), out, "div")


divide = div


def true_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input / other`` (``div`` without rounding)."""
    return div(input, other, out=out)


def _arithmetic_operator(fn: Callable, prim: type, params: dict) -> Callable:
    """The operator (``tensor + other``...) of ``fn`` (add, sub, mul, div), with the common case
    first: a float tensor and a tensor of its dtype or a Python number. There ``fn`` would
    promote and check nothing and only call ``prim``, so the operator calls it directly.
    Operands ``fn`` cannot take answer NotImplemented, as the other operators do."""
    def operator(self: Tensor, other: Any) -> Any:
        dt = self._data.dtype
        if dt.kind == "f":
            if isinstance(other, Tensor):
                if other._data.dtype is dt or other._data.dtype == dt:
                    return prim.apply(self, other, **params)
            elif type(other) is float or (type(other) is int and -_INT53 < other < _INT53):
                return prim.apply(self, number_tensor(other, dt), **params)
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented

    operator.__name__ = fn.__name__
    return operator


# what _tensor_methods binds to + - * / (and the reflected + and *)
arithmetic_operators = {
    "add": _arithmetic_operator(add, E.Add, {"alpha": 1}),
    "sub": _arithmetic_operator(sub, E.Sub, {"alpha": 1}),
    "mul": _arithmetic_operator(mul, E.Mul, {}),
    "div": _arithmetic_operator(div, E.Div, {}),
}


def _not_differentiable(input: Any, other: Any, op: str) -> Tensor:
    """Record ``op`` as torch does, with a number operand kept out of the node's inputs."""
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        a, b, _ = promote(input, other)
        return E.NotDifferentiable.apply(a, b, op=op)
    dt = _dtype.result_type(input, other)
    tensor, number = (input, other) if isinstance(input, Tensor) else (other, input)
    return E.NotDifferentiable.apply(as_tensor_operand(tensor, dt), op=op, scalar=number,
                                     scalar_first=tensor is other)


def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input // other``, rounding down; torch has no derivative for it."""
    if _dtype.result_type(input, other) is _dtype.bool_:
        raise _not_implemented("div_floor_cpu", _dtype.bool_)
    return write_out(_not_differentiable(input, other, "floor_divide"), out, "floor_divide")


def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input % other`` with the sign of ``other`` (Python's modulo)."""
    dt = _dtype.result_type(input, other)
    if dt is _dtype.bool_:
        raise _not_implemented("remainder_cpu", dt)
    if not isinstance(input, Tensor):  # torch records Scalar % Tensor as not differentiable
        return write_out(_not_differentiable(input, other, "remainder"), out, "remainder")
    if isinstance(other, Tensor):
        a, b, _ = promote(input, other)
        return write_out(E.Remainder.apply(a, b), out, "remainder")
    result = E.Remainder.apply(as_tensor_operand(input, dt), scalar=other)
    return write_out(result, out, "remainder")


def fmod(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """C's fmod: the remainder of ``input / other`` with the sign of ``input``."""
    dt = _dtype.result_type(input, other)
    if dt is _dtype.bool_:
        raise _not_implemented("fmod_cpu", dt)
    if isinstance(other, Tensor):
        a, b, _ = promote(input, other)
        return write_out(E.Fmod.apply(a, b), out, "fmod")
    return write_out(E.Fmod.apply(as_tensor_operand(input, dt), scalar=other), out, "fmod")


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    """``input ** exponent``; either may be a Python number (not both).

    The grad_fn tells the forms apart as torch does: PowBackward0 for tensor ** number,
    PowBackward1 for tensor ** tensor, PowBackward2 for number ** tensor.
    """
    if (type(exponent) is float or type(exponent) is int) and isinstance(input, Tensor) \
            and input._data.dtype.kind == "f":  # the common case: nothing to promote
        result = PW.PowScalar.apply(input, exponent=exponent)
        return result if out is None else write_out(result, out, "pow")
    dt = _dtype.result_type(input, exponent)
    if not isinstance(input, Tensor):
        if dt is _dtype.bool_:
            raise _not_implemented("pow", dt)
        x = as_tensor_operand(exponent, dt)
        return write_out(PW.RpowScalar.apply(x, base=input), out, "pow")
    if not isinstance(exponent, Tensor):
        if not dt.is_floating_point and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        x = as_tensor_operand(input, dt)
        return write_out(PW.PowScalar.apply(x, exponent=exponent), out, "pow")
    a, b, dt = promote(input, exponent)
    if dt is _dtype.bool_:
        raise _not_implemented("pow", dt)
    return write_out(PW.Pow.apply(a, b), out, "pow")


def float_power_(input: Tensor, exponent: Any) -> Tensor:
    """In-place ``float_power``: only a float64 tensor can hold the result."""
    if input.dtype is not _dtype.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {_legacy_name(input.dtype)} "
                           "but the operation's result requires dtype Double")
    return inplace(input, lambda src: float_power(src, exponent))


def float_power(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:
    """``input ** exponent`` computed in float64."""
    def wide(x: Any) -> Any:
        return x.to(_dtype.float64) if isinstance(x, Tensor) else x

    return write_out(pow(wide(input), wide(exponent)), out, "float_power")


def square(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``input ** 2`` (recorded as PowBackward0, as torch)."""
    return write_out(pow(input, 2), out, "square")


# -- maximum, minimum, clamp, where, lerp ---------------------------------------------------


def _binary_tensors(name: str, prim: type[E.Primitive]) -> Any:
    def fn(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
        if not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                            f"{type(other).__name__}")
        a, b, _ = promote(input, other)
        return write_out(prim.apply(a, b), out, name)

    fn.__name__ = name
    fn.__doc__ = prim.__doc__
    return fn


maximum = _binary_tensors("maximum", E.Maximum)
minimum = _binary_tensors("minimum", E.Minimum)
fmax = _binary_tensors("fmax", E.Fmax)
fmin = _binary_tensors("fmin", E.Fmin)


def clamp(input: Tensor, min: Any = None, max: Any = None, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    """Limit every element to ``[min, max]`` (numbers or tensors; either may be None).

    >>> torch.tensor([-2., 0.5, 3.]).clamp(0, 1)
    tensor([0.0000, 0.5000, 1.0000])
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return write_out(_clamp_tensors(input, min, max), out, "clamp")
    dt = _dtype.result_type(input, *(v for v in (min, max) if v is not None))
    if dt is _dtype.bool_:
        which = "clamp" if min is not None and max is not None else \
            ("clamp_min" if min is not None else "clamp_max")
        raise _not_implemented(f"{which}_scalar_cpu", dt)
    x = as_tensor_operand(input, dt)
    return write_out(E.Clamp.apply(x, lo=min, hi=max), out, "clamp")


clip = clamp


def _clamp_tensors(input: Tensor, lo: Any, hi: Any) -> Tensor:
    if (lo is not None and not isinstance(lo, Tensor)) or \
            (hi is not None and not isinstance(hi, Tensor)):
        raise TypeError("clamp(): min and max must both be tensors or both be numbers, got "
                        f"({type(lo).__name__}, {type(hi).__name__})")
    dt = _dtype.result_type(*(v for v in (input, lo, hi) if v is not None))
    unused = as_tensor_operand(0, dt)  # stands in for a missing bound (see ClampTensor)
    bounds = [unused if v is None else as_tensor_operand(v, dt) for v in (lo, hi)]
    return E.ClampTensor.apply(as_tensor_operand(input, dt), *bounds, has_lo=lo is not None,
                               has_hi=hi is not None)


def _one_sided(input: Tensor, bound: Any, upper: bool, out: Tensor | None) -> Tensor:
    name = "clamp_max" if upper else "clamp_min"
    grad_name = "ClampMaxBackward" if upper else "ClampMinBackward"
    if isinstance(bound, Tensor):
        a, b, _ = promote(input, bound)
        return write_out(E.ClampBound.apply(a, b, upper=upper, name=grad_name + "1"), out, name)
    dt = _dtype.result_type(input, bound)
    x = as_tensor_operand(input, dt)
    limits = {"hi": bound} if upper else {"lo": bound}
    return write_out(E.Clamp.apply(x, name=grad_name + "0", **limits), out, name)


def clamp_min(input: Tensor, min: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """``max(input, min)`` elementwise (ClampMinBackward0/1)."""
    return _one_sided(input, min, False, out)


def clamp_max(input: Tensor, max: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """``min(input, max)`` elementwise (ClampMaxBackward0/1)."""
    return _one_sided(input, max, True, out)


def where(condition: Tensor, input: Any = None, other: Any = None, *,
          out: Tensor | None = None) -> Any:
    """Elements of ``input`` where ``condition`` holds, else of ``other`` (numbers allowed).
    With only ``condition``, the indices of its nonzero elements (``nonzero(as_tuple=True)``).

    >>> torch.where(torch.tensor([True, False]), torch.tensor([1., 2.]), 0.)
    tensor([1., 0.])
    """
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if condition._data.dtype.kind != "b":
        condition = _bool_condition(condition)
    dt = _dtype.result_type(input, other)
    a, b = as_tensor_operand(input, dt), as_tensor_operand(other, dt)
    return write_out(E.Where.apply(a, b, condition=condition), out, "where")


def _bool_condition(condition: Tensor) -> Tensor:
    if condition.dtype is not _dtype.uint8:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_legacy_name(condition.dtype)}")
    warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and will "
                  "be removed in a future version of PyTorch. Use a boolean condition instead.",
                  UserWarning, stacklevel=3)
    return condition.to(_dtype.bool_)


def _where_method(self: Tensor, condition: Tensor, y: Any) -> Tensor:
    """``x.where(condition, y)`` is ``torch.where(condition, x, y)``."""
    return where(condition, self, y)


def lerp(input: Tensor, end: Tensor, weight: Any, *, out: Tensor | None = None) -> Tensor:
    """``input + weight * (end - input)``: linear interpolation, floats only."""
    _same_dtype(input, end, "end")
    tensor_weight = isinstance(weight, Tensor)
    if not input.dtype.is_floating_point:
        raise _not_implemented("lerp_kernel_" + ("tensor" if tensor_weight else "scalar"),
                               input.dtype)
    if tensor_weight:
        _same_dtype(input, weight, "weight")
        return write_out(E.Lerp.apply(input, end, weight), out, "lerp")
    return write_out(E.Lerp.apply(input, end, scalar=weight), out, "lerp")


_C_TYPES = {"float32": "float", "float64": "double", "float16": "c10::Half"}


def _same_dtype(input: Tensor, other: Tensor, what: str) -> None:
    if other.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_C_TYPES.get(input.dtype.name, input.dtype.name)} "
                           f"for `{what}` but got dtype "
                           f"{_C_TYPES.get(other.dtype.name, other.dtype.name)}")


# -- conversion -----------------------------------------------------------------------------


def to_dtype(input: Tensor, dtype: _dtype.dtype) -> Tensor:
    """A copy of ``input`` converted to ``dtype`` (``ToCopyBackward0``)."""
    return P.ToCopy.apply(input, dtype=dtype.np)


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy that stays in the graph (``CloneBackward0``)."""
    return P.Clone.apply(input)


# -- comparisons, logical and bitwise ops ---------------------------------------------------


def _comparison(name: str, op: str) -> Any:
    def fn(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
        a, b, dt = promote(input, other)
        if op.startswith("bitwise") and dt.is_floating_point:
            raise _not_implemented(op + "_cpu", dt)
        return write_out(E.Compare.apply(a, b, op=E.COMPARISONS[op]), out, name)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{op}`` of two operands, broadcasting" + (
        " (integers and bools only)." if op.startswith("bitwise") else "; a bool tensor.")
    return fn


eq, ne, lt, le, gt, ge = (_comparison(n, n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, greater_equal, less, less_equal, not_equal = (
    _comparison(n, op) for n, op in (("greater", "gt"), ("greater_equal", "ge"), ("less", "lt"),
                                     ("less_equal", "le"), ("not_equal", "ne")))
logical_and, logical_or, logical_xor = (
    _comparison(n, n) for n in ("logical_and", "logical_or", "logical_xor"))
bitwise_and, bitwise_or, bitwise_xor = (
    _comparison(n, n) for n in ("bitwise_and", "bitwise_or", "bitwise_xor"))


def equal(input: Tensor, other: Tensor) -> bool:
    """True when both tensors have the same shape and the same values."""
    if input.shape != other.shape:
        return False
    a, b, _ = promote(input, other)
    return bool(E.Compare.apply(a, b, op=E.COMPARISONS["eq"])._data.all())


def _rdiv_operator(self: Tensor, other: Any) -> Tensor:
    """``number / tensor``: torch computes ``tensor.reciprocal() * number`` (MulBackward0)."""
    if not isinstance(other, (int, float, bool)) and not hasattr(other, "dtype"):
        return NotImplemented  # Python then raises its own TypeError, as with torch
    return mul(reciprocal(self), other)


# methods whose argument order differs from the function's, bound as they are
BOUND_METHODS = {"where": _where_method, "__rtruediv__": _rdiv_operator}
