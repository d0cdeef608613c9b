"""Dtypes with torch's names, and torch's type-promotion rules, written once.

NOTE [ Type promotion ]
torch promotes in three tiers: tensors with dim > 0, then 0-d tensors, then Python
scalars. A lower tier only changes the result when it belongs to a higher *category*
(bool < integer < floating), so ``float32_tensor * 2.0`` stays float32,
``int_tensor * 2.5`` becomes the default float dtype and ``float16_tensor + float64_0d``
stays float16. Within one tier, the usual lattice applies (uint8 + int8 -> int16).
"""

from __future__ import annotations

import builtins

import numpy as np

__all__ = [
    "dtype", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
    "bool_", "half", "float", "double", "short", "int", "long", "get_default_dtype",
    "set_default_dtype", "promote_types", "result_type", "can_cast",
]

_BOOL, _INT, _FLOAT = 0, 1, 2


class dtype:
    """A tensor element type (``torch.float32``...), wrapping a NumPy dtype."""

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype: type) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        kind = self.np.kind
        self._category = {"b": _BOOL, "i": _INT, "u": _INT, "f": _FLOAT}[kind]
        self.is_floating_point = kind == "f"
        self.is_signed = kind in "if"
        self.itemsize = self.np.itemsize

    @property
    def is_complex(self) -> bool:
        return False

    def to_real(self) -> dtype:
        return self

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self) -> tuple:
        return (_unpickle, (self.name,))  # pickles resolve to the one object per dtype


float16 = dtype("float16", np.float16)
float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
uint8 = dtype("uint8", np.uint8)
bool_ = dtype("bool", np.bool_)
half, float, double = float16, float32, float64  # noqa: A001 - torch's aliases
short, int, long = int16, int32, int64  # noqa: A001

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool_)
_FROM_NUMPY = {d.np: d for d in ALL}


def _unpickle(name: str) -> dtype:
    return _FROM_NUMPY[np.dtype(name)]

_default_float = float32


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """The numtorch dtype of a NumPy dtype; TypeError for types torch has no tensor for."""
    try:
        return _FROM_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, int64, int32, int16, int8, "
            "uint8, and bool.") from None


def to_dtype(d: object) -> dtype:
    """Accept a numtorch dtype, a NumPy dtype, or a Python type (``float``, ``int``...)."""
    if isinstance(d, dtype):
        return d
    if d is builtins.float:
        return _default_float
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool_
    return from_numpy_dtype(d)



def get_default_dtype() -> dtype:
    """The dtype of floating tensors made from Python floats (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype; only float16/32/64 are allowed, as in torch."""
    global _default_float
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


_PROMOTE_CACHE: dict[tuple[dtype, dtype], dtype] = {}


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to (torch.promote_types)."""
    key = (a, b)
    out = _PROMOTE_CACHE.get(key)
    if out is None:
        if a._category != b._category:
            # torch, unlike NumPy: int64 + float16 is float16, not float64
            out = a if a._category > b._category else b
        else:
            out = _FROM_NUMPY[np.promote_types(a.np, b.np)]
        _PROMOTE_CACHE[key] = out
    return out


def scalar_dtype(value: object) -> dtype:
    """The dtype a Python (or NumPy) scalar gets on its own."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return bool_
    if isinstance(value, (builtins.int, np.integer)):
        return int64
    if isinstance(value, (builtins.float, np.floating)):
        return _default_float
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def _tier_result(dtypes: list[dtype]) -> dtype | None:
    out = None
    for d in dtypes:
        out = d if out is None else promote_types(out, d)
    return out


_PY_NUMBERS = (builtins.bool, builtins.int, builtins.float)


def result_type(*operands: object) -> dtype:
    """torch.result_type for tensors and scalars (see NOTE [ Type promotion ])."""
    from ._tensor import Tensor

    if len(operands) == 2:  # fast path for the common tensor-and-number case
        a, b = operands
        if isinstance(b, Tensor) and not isinstance(a, Tensor):
            a, b = b, a
        if isinstance(a, Tensor) and isinstance(b, _PY_NUMBERS):
            mine, theirs = a.dtype, scalar_dtype(b)
            return theirs if theirs._category > mine._category else mine
    dim_types, zero_types, scalar_types = [], [], []
    for op in operands:
        if isinstance(op, Tensor):
            (dim_types if op._data.ndim else zero_types).append(op.dtype)
        else:
            scalar_types.append(scalar_dtype(op))
    out = _tier_result(dim_types)
    for tier in (zero_types, scalar_types):
        cand = _tier_result(tier)
        if cand is None:
            continue
        if out is None:
            out = cand
        elif cand._category > out._category:
            out = cand
    return out


def can_cast(from_: dtype, to: dtype) -> bool:
    """torch.can_cast: same-kind casting (no float -> int, no int -> bool)."""
    return from_._category <= to._category
