"""Elementwise functions: arithmetic, math, comparisons, dtype conversion."""

from __future__ import annotations

from typing import Any

from .. import _dtype
from .._primitives import elementwise as E
from .._primitives.elementwise import COMPARISONS, UNARY_MATH
from .._tensor import Tensor
from ._util import Number, as_tensor_operand, promote, to_float, write_out

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "neg", "negative", "pow", "exp", "log", "sqrt", "sin", "cos", "tanh",
           "sigmoid", "relu", "abs", "where", "to_dtype", "clone", "eq", "ne", "lt", "le", "gt",
           "ge", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_not",
           "square"]

# Tensor methods bound to these functions (tensor.NAME), and in-place variants (tensor.NAME_)
METHODS = [n for n in __all__ if n not in ("where", "to_dtype")] + ["where"]
INPLACE = ["add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
           "floor_divide", "neg", "negative", "pow", "exp", "log", "sqrt", "sin", "cos", "tanh",
           "sigmoid", "relu", "abs", "square", "logical_not", "eq", "ne", "lt", "le", "gt", "ge"]


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """input + alpha * other, with broadcasting and type promotion."""
    a, b, _ = promote(input, other)
    return write_out(E.Add.apply(a, b, alpha=alpha), out, "add")


def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """input - alpha * other."""
    a, b, dt = promote(input, other)
    if dt is _dtype.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    return write_out(E.Sub.apply(a, b, alpha=alpha), out, "sub")


subtract = sub


def rsub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """other - alpha * input (what ``2 - tensor`` calls)."""
    a, b, _ = promote(input, other)
    if isinstance(other, Tensor):
        return E.Sub.apply(b, a, alpha=alpha)
    return E.Rsub.apply(a, b, alpha=alpha)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """input * other."""
    a, b, _ = promote(input, other)
    return write_out(E.Mul.apply(a, b), out, "mul")


multiply = mul


def div(input: Any, other: Any, *, rounding_mode: str | None = None,
        out: Tensor | None = None) -> Tensor:
    """input / other; integers divide to the default float unless ``rounding_mode`` is set."""
    a, b, dt = promote(input, other)
    if rounding_mode is None and dt._category != 2:
        a, b = to_float(a), to_float(b)
    elif rounding_mode not in (None, "trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    return write_out(E.Div.apply(a, b, rounding_mode=rounding_mode), out, "div")


divide = div


def true_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return div(input, other, out=out)


def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return div(input, other, rounding_mode="floor", out=out)


def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """-input."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return write_out(E.Neg.apply(input), out, "neg")


negative = neg


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    """input ** exponent, where either may be a Python number."""
    if not isinstance(input, Tensor):
        x = as_tensor_operand(exponent, _dtype.result_type(input, exponent))
        return write_out(E.RpowScalar.apply(x, base=input), out, "pow")
    if isinstance(exponent, Number):
        dt = _dtype.result_type(input, exponent)
        x = as_tensor_operand(input, dt)
        if dt._category == 1 and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return write_out(E.PowScalar.apply(x, exponent=exponent), out, "pow")
    a, b, _ = promote(input, exponent)
    return write_out(E.Pow.apply(a, b), out, "pow")


def square(input: Tensor) -> Tensor:
    return pow(input, 2)


def _float_unary(prim: type[E.Primitive]) -> Any:
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        return write_out(prim.apply(to_float(input)), out, prim.__name__.lower())

    fn.__name__ = prim.__name__.lower()
    fn.__doc__ = prim.__doc__
    return fn


exp = _float_unary(E.Exp)
log = _float_unary(E.Log)
sqrt = _float_unary(E.Sqrt)
sin = _float_unary(E.Sin)
cos = _float_unary(E.Cos)
tanh = _float_unary(E.Tanh)
sigmoid = _float_unary(E.Sigmoid)


def relu(input: Tensor) -> Tensor:
    """max(input, 0)."""
    return E.Relu.apply(input)


def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    """|input|."""
    return write_out(E.Abs.apply(input), out, "abs")


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Elements of ``input`` where ``condition`` holds, else of ``other``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if condition._data.dtype.kind != "b":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_LEGACY_NAMES.get(condition.dtype.name)}")
    a, b, _ = promote(input, other)
    return E.Where.apply(condition, a, b)


_LEGACY_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
                 "uint8": "Byte"}


def to_dtype(input: Tensor, dtype: _dtype.dtype) -> Tensor:
    """A copy of ``input`` converted to ``dtype`` (``ToCopyBackward0``)."""
    return E.ToCopy.apply(input, dtype=dtype.np)


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy that stays in the graph (``CloneBackward0``)."""
    return E.Clone.apply(input)


def _comparison(name: str) -> Any:
    def fn(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
        a, b, _ = promote(input, other)
        return write_out(E.Compare.apply(a, b, op=COMPARISONS[name]), out, name)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}``; a bool tensor, never differentiable."
    return fn


eq, ne, lt, le, gt, ge = (_comparison(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
logical_and, logical_or, logical_xor = (
    _comparison(n) for n in ("logical_and", "logical_or", "logical_xor"))


def logical_not(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    return write_out(E.Unary.apply(input, fn=UNARY_MATH["logical_not"]), out, "logical_not")


def bitwise_not(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    if input._data.dtype.kind == "f":
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return write_out(E.Unary.apply(input, fn=UNARY_MATH["bitwise_not"]), out, "bitwise_not")
