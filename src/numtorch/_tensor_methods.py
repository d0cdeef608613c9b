"""Tensor methods and operators that delegate to the torch-level functions.

Kept apart from ``_tensor.py`` so the class stays about state; this module binds
``tensor.exp()`` to ``torch.exp(tensor)`` and friends once, at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _functions as F
from ._composites._util import inplace
from ._tensor import Tensor


def _method(fn: Callable) -> Callable:
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


def _reflected(fn: Callable) -> Callable:
    def method(self: Tensor, other: Any) -> Any:
        return fn(other, self)

    return method


OPERATORS = {
    "__add__": "add", "__sub__": "sub", "__mul__": "mul", "__truediv__": "div",
    "__floordiv__": "floor_divide", "__pow__": "pow", "__eq__": "eq", "__ne__": "ne",
    "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "__neg__": "neg",
    "__abs__": "abs", "__and__": "logical_and", "__or__": "logical_or",
    "__xor__": "logical_xor", "__invert__": "bitwise_not",
}
REFLECTED = {"__radd__": "add", "__rmul__": "mul", "__rtruediv__": "div",
             "__rfloordiv__": "floor_divide", "__rpow__": "pow", "__rand__": "logical_and",
             "__ror__": "logical_or", "__rxor__": "logical_xor"}
AUGMENTED = {"__iadd__": "add", "__isub__": "sub", "__imul__": "mul", "__itruediv__": "div",
             "__ifloordiv__": "floor_divide", "__ipow__": "pow", "__iand__": "logical_and",
             "__ior__": "logical_or", "__ixor__": "logical_xor"}


def install() -> None:
    """Attach every delegating method to Tensor (idempotent)."""
    for family in F.FAMILIES:
        for name in family.METHODS:
            setattr(Tensor, name, _method(getattr(family, name)))
        for name in family.INPLACE:
            setattr(Tensor, name + "_", _inplace_method(getattr(family, name), name + "_"))
    for dunder, name in OPERATORS.items():
        setattr(Tensor, dunder, _method(getattr(F, name)))
    for dunder, name in REFLECTED.items():
        setattr(Tensor, dunder, _reflected(getattr(F, name)))
    for dunder, name in AUGMENTED.items():
        setattr(Tensor, dunder, _inplace_method(getattr(F, name), dunder))
    Tensor.__rsub__ = lambda self, other: F.rsub(self, other)
    Tensor.__matmul__ = lambda self, other: F.matmul(self, other)
    Tensor.__rmatmul__ = lambda self, other: F.matmul(other, self)
