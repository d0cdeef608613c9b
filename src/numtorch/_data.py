"""Python data to arrays the way ``torch.tensor`` reads it.

NOTE [ Reading nested data ]
torch reads ``torch.tensor(data)`` in three passes, and the order decides which error a bad
input gets:

1. the shape, from the first element at every level (``[[1, 2], [3]]`` is 2 x 2);
2. the dtype, promoting over every leaf: Python bool -> bool, int -> int64, float -> the
   default dtype; NumPy scalars and arrays and tensors bring their own dtype
   (``[np.float64(1.5), 2]`` is float64, ``[torch.tensor(1), 2.5]`` is float32);
3. the values, checking every sequence against the shape and every leaf against the dtype.
   Integer dtypes reject values that do not fit ("value cannot be converted to type uint8
   without overflow"); floats overflow to inf silently.

Tensors count as leaves, not sequences, so a list of one-element tensors works and a list of
longer tensors does not. NumPy arrays are sequences, read whole.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import _dtype
from ._tensor import GRAD_SCALAR_WARNING, Tensor

__all__ = ["data_to_array", "numpy_array", "overflows", "legacy_name", "sequence_like", "astype"]

_PLAIN = {int, float, bool}
_SEQUENCES = (list, tuple, range, np.ndarray)
_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
_NEGATIVE_STRIDES = (
    "At least one stride in the given numpy array is negative, and tensors with negative "
    "strides are not currently supported. (You can probably work around this by making a copy "
    "of your array  with array.copy().) ")
_READ_ONLY = (
    "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
    "This means writing to this tensor will result in undefined behavior. You may want to copy "
    "the array to protect its data or make it writable before converting it to a tensor. This "
    "type of warning will be suppressed for the rest of this program.")
_LIST_OF_ARRAYS = (
    "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider "
    "converting the list to a single numpy.ndarray with numpy.array() before converting to a "
    "tensor.")
_warned_read_only = False


def legacy_name(d: Any) -> str:
    """torch's legacy type name of a dtype (``Float`` for float32), as its errors print it."""
    return _LEGACY[d.name if isinstance(d, _dtype.dtype) else np.dtype(d).name]


def sequence_like(obj: Any) -> bool:
    """Whether torch reads ``obj`` as a sequence of values (lists, tuples, ranges, arrays)."""
    return isinstance(obj, _SEQUENCES)


def numpy_array(arr: np.ndarray) -> np.ndarray:
    """``arr`` itself, after torch's checks for arrays a tensor can share memory with."""
    global _warned_read_only
    if arr.dtype.byteorder not in "=|":
        raise ValueError("given numpy array has byte order different from the native byte "
                         "order. Conversion between byte orders is currently not supported.")
    if arr.dtype not in _dtype._FROM_NUMPY:
        raise TypeError(f"can't convert np.ndarray of type numpy.{arr.dtype.type.__name__}. The "
                        "only supported types are: float64, float32, float16, int64, int32, "
                        "int16, int8, uint8, and bool.")
    if any(s < 0 for s in arr.strides):
        raise ValueError(_NEGATIVE_STRIDES)
    if not arr.flags.writeable and not _warned_read_only:
        _warned_read_only = True
        warnings.warn(_READ_ONLY, UserWarning, stacklevel=4)
    return arr


def data_to_array(data: Any, dtype: _dtype.dtype | None, warn_grad: bool = True) -> np.ndarray:
    """An array of ``data`` (see NOTE [ Reading nested data ]); may share memory with a
    Tensor or ndarray ``data`` when no conversion is needed."""
    if isinstance(data, Tensor):
        return _cast(data._data, dtype)
    if isinstance(data, np.ndarray):
        return _cast(numpy_array(data), dtype)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    sizes = _sizes(data)
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray):
        warnings.warn(_LIST_OF_ARRAYS, UserWarning, stacklevel=4)
    if dtype is None:
        dtype = _infer(data)
    leaves: list = []
    if 0 not in sizes:  # torch reads no values (and checks no lengths) for an empty result
        _flatten(data, sizes, 0, leaves, dtype.np.kind, warn_grad)
    return _convert(leaves, dtype.np).reshape(sizes)


def _cast(arr: np.ndarray, dtype: _dtype.dtype | None) -> np.ndarray:
    if dtype is None or arr.dtype == dtype.np:
        return arr
    with np.errstate(all="ignore"):  # arrays convert unchecked, as in torch
        return astype(arr, dtype.np)


def astype(arr: np.ndarray, target: np.dtype) -> np.ndarray:
    """``arr`` converted to ``target`` the way torch converts: float64 reaches float16 through
    float32 (two roundings, which differ from NumPy's one in rare ties)."""
    if target == np.float16 and arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    return arr.astype(target)


def _sizes(data: Any) -> tuple[int, ...]:
    """The shape, read from the first element at each level."""
    sizes = []
    while isinstance(data, _SEQUENCES):
        if isinstance(data, np.ndarray):
            return (*sizes, *data.shape) if data.ndim else (*sizes, len(data))
        sizes.append(len(data))
        if not sizes[-1]:
            break
        data = data[0]
        if isinstance(data, str):
            raise ValueError("too many dimensions 'str'")
    return tuple(sizes)


def _infer(data: Any) -> _dtype.dtype | None:
    """The promoted dtype of every leaf (an empty sequence counting as the default dtype)."""
    if isinstance(data, (list, tuple, range)):
        kinds = set(map(type, data))
        if kinds <= _PLAIN:  # the common case, without a Python call per element
            return _plain_dtype(kinds)
        out = None
        for item in data:
            d = _infer(item)
            if d is not None:
                out = d if out is None else _dtype.promote_types(out, d)
        return out
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(data.dtype)
    if type(data) in _PLAIN:
        return _plain_dtype({type(data)})
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _plain_dtype(kinds: set) -> _dtype.dtype:
    if float in kinds or not kinds:  # an empty sequence counts as the default dtype
        return _dtype.get_default_dtype()
    if int in kinds:
        return _dtype.int64
    return _dtype.bool_


def _flatten(data: Any, sizes: tuple, dim: int, out: list, kind: str, warn_grad: bool) -> None:
    """Append every leaf of ``data`` to ``out``, checking its shape against ``sizes``."""
    if dim == len(sizes):
        out.append(_leaf(data, kind, warn_grad))
        return
    if isinstance(data, np.ndarray):
        _check_shape(data.shape, sizes, dim)
        out.extend(data.ravel().tolist())
        return
    if not isinstance(data, _SEQUENCES):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} "
                         f"(got {len(data)})")
    if dim == len(sizes) - 1 and set(map(type, data)) <= _PLAIN:
        out.extend(data)
        return
    for item in data:
        _flatten(item, sizes, dim + 1, out, kind, warn_grad)


def _check_shape(shape: tuple, sizes: tuple, dim: int) -> None:
    for axis, (got, want) in enumerate(zip(shape, sizes[dim:])):
        if got != want:
            raise ValueError(f"expected sequence of length {want} at dim {dim + axis} "
                             f"(got {got})")
    if len(shape) != len(sizes) - dim:
        raise TypeError("not a sequence")


def _leaf(value: Any, kind: str, warn_grad: bool) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Tensor):
        if value._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if value._requires_grad and warn_grad:
            warnings.warn(GRAD_SCALAR_WARNING, UserWarning, stacklevel=5)
        return value._data.item()
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if kind == "f":
        raise TypeError(f"must be real number, not {type(value).__name__}")
    raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")


def _convert(leaves: list, target: np.dtype) -> np.ndarray:
    """The leaves as an array of ``target``, with torch's overflow checks for integers."""
    if target.kind == "f":
        with np.errstate(over="ignore"):  # float overflow gives inf, unchecked
            return astype(np.array(leaves, dtype=np.float64), target)
    if target.kind == "b":
        return np.array([bool(v) for v in leaves], dtype=bool)
    try:
        values = np.array(leaves)
    except OverflowError:
        values = np.array(leaves, dtype=object)
    if values.dtype.kind not in "biuf" or values.dtype == np.uint64:
        raise ValueError("Overflow when unpacking long long")  # an int beyond int64
    if values.size and _any_overflow(values, target):
        raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")
    if values.dtype.kind == "f":
        values = np.trunc(values)
    return values.astype(np.int64).astype(target)  # negative ints wrap into unsigned types


def _any_overflow(values: np.ndarray, target: np.dtype) -> bool:
    info = np.iinfo(target)
    if values.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            return bool(np.any(~((values >= (0 if target.kind == "u" else info.min))
                                 & (values <= info.max))))
    low = -int(info.max) if target.kind == "u" else int(info.min)
    return bool((values < low).any() or (values > int(info.max)).any())


def overflows(value: Any, target: np.dtype) -> bool:
    """Whether a scalar does not fit ``target`` (c10's rule): integers must be in range (an
    unsigned type also takes negatives down to -max, which wrap); floats must be finite and
    in range for an integer type; float32 rejects finite values past its range. float16,
    float64 and bool take anything."""
    if target.kind == "b" or target in (np.float16, np.float64):
        return False
    if target.kind == "f":
        return bool(np.isfinite(value)) and abs(value) > float(np.finfo(target).max)
    info = np.iinfo(target)
    if isinstance(value, (float, np.floating)):
        low = 0 if target.kind == "u" else int(info.min)
        return not low <= value <= int(info.max)
    low = -int(info.max) if target.kind == "u" else int(info.min)
    return not low <= int(value) <= int(info.max)
