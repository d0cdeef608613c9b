"""Tensor methods and operators that delegate to the torch-level functions.

Kept apart from ``_tensor.py`` so the class stays about state; this module binds
``tensor.exp()`` to ``torch.exp(tensor)`` and friends once, at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any

import numpy as np

from . import _functions as F
from ._composites._util import _INT53, inplace
from ._composites.pointwise import arithmetic_operators
from ._quiet import quiet_off, quiet_on
from ._tensor import Tensor
from .autograd.grad_mode import _GradState


def _method(fn: Callable) -> Callable:
    """``fn`` as a method: itself when it is a Python function (which binds ``self`` to its
    first parameter, with no extra frame per call), else a function calling it."""
    if type(fn) is FunctionType:
        return fn

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    method.__name__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


def _inplace_method(fn: Callable, name: str) -> Callable:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return inplace(self, lambda src: fn(src, *args, **kwargs))

    method.__name__ = name
    return method


# NOTE [ Unrecorded in-place arithmetic ]
# ``p -= lr * p.grad`` inside no_grad is the heart of every hand-written training loop. With
# nothing to record, ``inplace`` would still compute the result into a new array and copy it
# over; a float tensor and an operand of its dtype (or a Python number, converted as the
# out-of-place operator converts it) go straight through NumPy's ufunc with ``out=``: the same
# values, written in place. Anything else, including a shape that does not broadcast to the
# tensor's (NumPy refuses before writing), takes the general route and its errors.
_IN_PLACE_UFUNCS = {"__iadd__": np.add, "__isub__": np.subtract, "__imul__": np.multiply,
                    "__itruediv__": np.true_divide}


def _unrecorded_in_place(ufunc: np.ufunc, general: Callable) -> Callable:
    def operator(self: Tensor, other: Any) -> Any:
        data = self._data
        if _GradState.enabled or data.dtype.kind != "f" or not data.flags.writeable:
            return general(self, other)
        if isinstance(other, Tensor):
            operand = other._data
            if operand.dtype != data.dtype:
                return general(self, other)
        elif type(other) is float or (type(other) is int and -_INT53 < other < _INT53):
            operand = np.array(other, data.dtype)  # as number_tensor converts it
        else:
            return general(self, other)
        token = quiet_on()
        try:
            ufunc(data, operand, out=data)
        except ValueError:  # not broadcastable into self: the general route says it torch's way
            return general(self, other)
        finally:
            quiet_off(token)
        self._bump_version()
        return self

    return operator


def _reflected(fn: Callable) -> Callable:
    def method(self: Tensor, other: Any) -> Any:
        return fn(other, self)

    return method


def _operator(method: Callable) -> Callable:
    """A binary operator that answers NotImplemented for operands it cannot take, as torch's
    do, so Python falls back: ``x == None`` is False, ``x + "a"`` raises Python's TypeError."""
    def operator(self: Tensor, other: Any) -> Any:
        try:
            return method(self, other)
        except TypeError:
            return NotImplemented

    operator.__name__ = getattr(method, "__name__", "operator")
    return operator


OPERATORS = {
    "__add__": "add", "__sub__": "sub", "__mul__": "mul", "__truediv__": "div",
    "__floordiv__": "floor_divide", "__pow__": "pow", "__eq__": "eq", "__ne__": "ne",
    "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "__neg__": "neg",
    "__abs__": "abs", "__and__": "bitwise_and", "__or__": "bitwise_or",
    "__xor__": "bitwise_xor", "__mod__": "remainder",
    "__pos__": "positive",
    # commutative: torch's reflected form keeps the tensor first (2 + x is add(x, 2))
    "__radd__": "add", "__rmul__": "mul", "__rand__": "bitwise_and", "__ror__": "bitwise_or",
    "__rxor__": "bitwise_xor",
}
UNARY = {"__neg__", "__abs__", "__pos__"}
REFLECTED = {"__rfloordiv__": "floor_divide", "__rpow__": "pow", "__rmod__": "remainder"}
AUGMENTED = {"__iadd__": "add", "__isub__": "sub", "__imul__": "mul", "__itruediv__": "div",
             "__ifloordiv__": "floor_divide", "__ipow__": "pow", "__iand__": "bitwise_and",
             "__ior__": "bitwise_or", "__ixor__": "bitwise_xor", "__imod__": "remainder"}


def install() -> None:
    """Attach every delegating method to Tensor (idempotent)."""
    for family in F.FAMILIES:
        for name in family.METHODS:
            setattr(Tensor, name, _method(getattr(family, name)))
        for name in family.INPLACE:
            setattr(Tensor, name + "_", _inplace_method(getattr(family, name), name + "_"))
        for name, fn in getattr(family, "BOUND_METHODS", {}).items():
            setattr(Tensor, name, fn)  # already written as methods (self first), bound as-is
    from . import _random_tensor  # tensor.normal_(), .bernoulli(), .multinomial()...

    for name, fn in _random_tensor.BOUND_METHODS.items():
        setattr(Tensor, name, fn)
    for dunder, name in OPERATORS.items():
        fn = getattr(F, name)  # called directly: one Python frame less on every operator
        if name in arithmetic_operators:  # the common float cases first, then fn
            setattr(Tensor, dunder, arithmetic_operators[name])
        else:
            setattr(Tensor, dunder, _method(fn) if dunder in UNARY else _operator(fn))
    for dunder, name in REFLECTED.items():
        setattr(Tensor, dunder, _operator(_reflected(getattr(F, name))))
    for dunder, name in AUGMENTED.items():
        general = _operator(_inplace_method(getattr(F, name), dunder))
        if dunder in _IN_PLACE_UFUNCS:
            general = _unrecorded_in_place(_IN_PLACE_UFUNCS[dunder], general)
        setattr(Tensor, dunder, general)
    Tensor.__rsub__ = _operator(lambda self, other: F.rsub(self, other))
    from ._composites.linalg import matmul_operator, rmatmul_operator

    Tensor.__matmul__ = matmul_operator
    Tensor.__rmatmul__ = rmatmul_operator
