"""Tensor factories: tensor, from_numpy, zeros/ones/full/empty (+ _like), arange, linspace..."""

from __future__ import annotations

import builtins
import math
import warnings
from typing import Any

import numpy as np

from . import _dtype
from ._size import check_device
from ._tensor import Tensor

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "scalar_tensor", "zeros", "ones",
           "full", "empty", "zeros_like", "ones_like", "full_like", "empty_like", "arange",
           "range", "linspace", "logspace", "eye", "complex_unsupported"]

_COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
    "or sourceTensor.detach().clone().requires_grad_(True), rather than "
    "torch.tensor(sourceTensor).")


def _finish(data: np.ndarray, requires_grad: bool, device: Any = None) -> Tensor:
    check_device(device)
    t = Tensor._make(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _np_dtype(dtype: Any) -> np.dtype | None:
    return None if dtype is None else _dtype.to_dtype(dtype).np


def _infer_array(data: Any) -> np.ndarray:
    """NumPy array of ``data`` with torch's dtype inference for Python values."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data)
        _dtype.from_numpy_dtype(arr.dtype)  # raises for unsupported NumPy dtypes
        return arr
    if isinstance(data, (list, tuple)) and _holds_tensors(data):
        return np.stack([_infer_array(d) for d in data]) if len(data) else np.array([])
    arr = np.array(data)
    kind = arr.dtype.kind
    if kind == "f" or (kind == "O" and _is_numeric_nested(data)):
        return arr.astype(_dtype.get_default_dtype().np)
    if kind in "iu":
        return arr.astype(np.int64)
    if kind == "b":
        return arr
    if kind in "US":
        raise TypeError(f"new(): invalid data type '{type(_first_leaf(data)).__name__}'")
    raise TypeError(f"Could not infer dtype of {type(_first_leaf(data)).__name__}")


def _holds_tensors(data: Any) -> bool:
    return builtins.any(isinstance(d, Tensor) or (isinstance(d, (list, tuple)) and
                                                  _holds_tensors(d)) for d in data)


def _is_numeric_nested(data: Any) -> bool:
    return False


def _first_leaf(data: Any) -> Any:
    while isinstance(data, (list, tuple)) and data:
        data = data[0]
    return data


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (nested lists, scalars, arrays, tensors).

    >>> torch.tensor([[1., 2.], [3., 4.]])
    tensor([[1., 2.],
            [3., 4.]])
    """
    if isinstance(data, Tensor):
        warnings.warn(_COPY_WARNING, UserWarning, stacklevel=2)
    arr = _infer_array(data)
    target = _np_dtype(dtype)
    arr = np.array(arr, dtype=target, copy=True)
    return _finish(arr, requires_grad, device)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a Tensor or ndarray when no conversion is needed."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(_dtype.to_dtype(dtype))
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    arr = _infer_array(data)
    target = _np_dtype(dtype)
    if target is not None and arr.dtype != target:
        arr = arr.astype(target)
    return Tensor._make(arr)


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool = False) -> Tensor:
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy:
        t = Tensor._make(t._data.copy())
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` and keeping its dtype."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def scalar_tensor(value: Any, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    """A 0-d tensor (the default float dtype unless ``dtype`` says otherwise)."""
    target = _np_dtype(dtype) if dtype is not None else _dtype.get_default_dtype().np
    return _finish(np.array(value, dtype=target), requires_grad, device)


def _size(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) and not (
                isinstance(s, Tensor) and s._data.ndim == 0):
            raise TypeError(f"expected a sequence of integers or a single integer, got "
                            f"'{type(s).__name__}'")
    out = tuple(int(s) for s in size)
    for s in out:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(out)}")
    return out


def _float_or(dtype: Any) -> np.dtype:
    return _np_dtype(dtype) if dtype is not None else _dtype.get_default_dtype().np


def _filled(fill: Any, size: tuple, dtype: Any, device: Any, requires_grad: bool,
            out: Tensor | None) -> Tensor:
    shape = _size(size)
    arr = np.full(shape, fill, dtype=_float_or(dtype)) if fill is not None else np.empty(
        shape, dtype=_float_or(dtype))
    if out is not None:
        out._data = arr
        return out
    return _finish(arr, requires_grad, device)


def zeros(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros (default float dtype)."""
    return _filled(0, size, dtype, device, requires_grad, out)


def ones(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones (default float dtype)."""
    return _filled(1, size, dtype, device, requires_grad, out)


def empty(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None) -> Tensor:
    """An uninitialised tensor (numtorch fills it with zeros, which is one valid content)."""
    return _filled(0, size, dtype, device, requires_grad, out)


def full(size: Any, fill_value: Any, *, out: Tensor | None = None, dtype: Any = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype is inferred from the value, as torch."""
    if dtype is None:
        dtype = _dtype.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor)
                                    else fill_value)
    return _filled(fill_value, (size,) if isinstance(size, int) else tuple(size), dtype, device,
                   requires_grad, out)


def _like(input: Tensor, fill: Any, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    target = input._data.dtype if dtype is None else _np_dtype(dtype)
    return _finish(np.full(input._data.shape, fill, dtype=target), requires_grad, device)


def zeros_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _like(input, 0, dtype, device, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _like(input, 1, dtype, device, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _like(input, 0, dtype, device, requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False,
              memory_format: Any = None) -> Tensor:
    return _like(input, fill_value, dtype, device, requires_grad)


def _num(x: Any) -> Any:
    return x.item() if isinstance(x, Tensor) else x


def arange(start: Any = 0, end: Any = None, step: Any = 1, *, out: Tensor | None = None,
           dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 for integer arguments."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_int = builtins.all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = _dtype.int64 if is_int else _dtype.get_default_dtype()
    n = math.ceil((end - start) / step)
    arr = (start + step * np.arange(n, dtype=np.float64)).astype(_np_dtype(dtype))
    if _dtype.to_dtype(dtype)._category == 1:
        arr = (np.arange(n, dtype=np.int64) * int(step) + int(start)).astype(_np_dtype(dtype))
    return _out_or(arr, out, requires_grad, device)


def range(start: Any = 0, end: Any = None, step: Any = 1, *, dtype: Any = None,  # noqa: A001
          device: Any = None, requires_grad: bool = False) -> Tensor:
    """Deprecated in torch: like arange but includes ``end`` and defaults to float."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    n = int(math.floor((_num(end) - _num(start)) / _num(step))) + 1
    arr = (_num(start) + _num(step) * np.arange(n, dtype=np.float64)).astype(_float_or(dtype))
    return _finish(arr, requires_grad, device)


def _out_or(arr: np.ndarray, out: Tensor | None, requires_grad: bool, device: Any) -> Tensor:
    if out is not None:
        out._data = arr.astype(out._data.dtype)
        return out
    return _finish(arr, requires_grad, device)


def linspace(start: Any, end: Any, steps: int, *, out: Tensor | None = None, dtype: Any = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive (tensors accepted)."""
    start, end = _num(start), _num(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    # torch fills the first half from start and the second half from end, which keeps the
    # endpoints exact; computed in float64, then rounded once to the target dtype
    idx = np.arange(steps, dtype=np.float64)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    half = steps // 2
    arr = np.where(idx < half, start + step * idx, end - step * (steps - 1 - idx))
    target = _float_or(dtype)
    if np.dtype(target).kind in "iu":
        arr = np.trunc(arr)
    return _out_or(arr.astype(target), out, requires_grad, device)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Tensor | None = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``."""
    exps = linspace(start, end, steps, dtype=_dtype.float64)._data
    arr = np.power(base, exps).astype(_float_or(dtype))
    return _out_or(arr, out, requires_grad, device)


def eye(n: int, m: int | None = None, *, out: Tensor | None = None, dtype: Any = None,
        layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An identity matrix (``n`` x ``m``)."""
    arr = np.eye(n, n if m is None else m, dtype=_float_or(dtype))
    return _out_or(arr, out, requires_grad, device)


def legacy_new(cls: type, args: tuple, kwargs: dict) -> Tensor:
    """``torch.Tensor(...)``: sizes give an uninitialised float tensor, data is copied as float."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"{tuple(kwargs)}")
    default = _dtype.get_default_dtype().np
    if not args:
        arr = np.empty((0,), dtype=default)
    elif builtins.all(isinstance(a, (int, np.integer)) for a in args):
        arr = np.zeros(_size(args), dtype=default)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        t = args[0]
        if t._data.dtype != default:
            raise TypeError(f"expected {_dtype.get_default_dtype()} (got {t.dtype})")
        return t
    elif len(args) == 1:
        arr = np.array(_infer_array(args[0]), dtype=default)
    else:
        raise TypeError("new(): invalid arguments")
    t = _finish(arr, False, device)
    if cls is not Tensor:
        t.__class__ = cls
    return t


def complex_unsupported(*args: Any, **kwargs: Any) -> None:
    raise TypeError("numtorch has no complex dtypes")
