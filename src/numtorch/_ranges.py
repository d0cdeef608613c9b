"""Ranges: arange, range, linspace, logspace, with torch's values to the last bit.

NOTE [ Matching torch's range arithmetic ]
Float ranges are not exact, so "the same numbers as torch" means "the same roundings as
torch's CPU kernels", which were worked out by comparing against torch 2.13:

* arange computes in double (float for float16) and writes through 256-bit vectors: in
  blocks of two vectors (8 float64s, 16 float32s, 32 float16s) each vector starts at
  ``base = start + step * k`` and its lanes are ``base + step * j``; what does not fill a
  block is ``start + step * i``. The compiler fuses those multiply-adds (one rounding).
* linspace fills the first half forwards from ``start`` and the second half backwards from
  ``end`` in the output dtype itself: fused multiply-adds for float32/float64, every
  operation rounded to half for float16; integers step in double from truncated endpoints.
* logspace computes its exponents in double (without fusing) from endpoints rounded to the
  output dtype, and raises ``base`` to them in double.

A fused multiply-add is emulated exactly for float32 (the product is exact in float64 and
the sum is rounded to odd, then to float32) and to within rare double-rounding ties for
float64 (Dekker's error-free product).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import _dtype
from ._creation import emit, out_dtype, resolve_dtype
from ._data import astype
from ._tensor import Tensor

__all__ = ["arange", "range", "linspace", "logspace"]

_F16, _F32, _F64 = np.float16, np.float32, np.float64
_RANGE_DEPRECATED = (
    "torch.range is deprecated and will be removed in a future release because its behavior "
    "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
    "values in [start, end).")


# -- fused multiply-add ----------------------------------------------------------------------
def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # 2**27 + 1: Veltkamp's split into two 26-bit halves
    high = c - (c - a)
    return high, a - high


def fma64(a: Any, b: Any, c: Any) -> np.ndarray:
    """``a * b + c`` in float64 with (almost always) a single rounding."""
    a, b, c = (np.asarray(x, dtype=_F64) for x in (a, b, c))
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    product_error = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # a*b == p + product_error
    s = p + c
    bb = s - p
    sum_error = (p - (s - bb)) + (c - bb)  # p + c == s + sum_error
    with np.errstate(invalid="ignore"):
        return s + (sum_error + product_error)


def fma32(a: Any, b: Any, c: Any) -> np.ndarray:
    """``a * b + c`` rounded once to float32 (``a``, ``c`` float32; ``b`` a small integer)."""
    p = np.asarray(a, dtype=_F64) * np.asarray(b, dtype=_F64)  # exact: 24 + 29 bits
    c = np.asarray(c, dtype=_F64)
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)
    # Round to odd: an inexact sum with an even last bit moves one ulp towards the true
    # value, so the final rounding to float32 cannot be a false tie.
    even = (s.view(np.int64) & 1) == 0
    with np.errstate(invalid="ignore"):
        s = np.where((err != 0) & even, np.nextafter(s, s + err), s)
    return s.astype(_F32)


# -- arguments -------------------------------------------------------------------------------
def _number(value: Any, fname: str, name: str, position: int | None = None) -> Any:
    """A range endpoint as a Python number (0-d tensors and NumPy scalars accepted)."""
    if isinstance(value, Tensor):
        if value._data.ndim and fname == "arange":
            position = position or {"start": 1, "end": 2, "step": 3}[name]
            raise TypeError(f"arange(): argument '{name}' (position {position}) must be Number, "
                            "not Tensor")
        if value._data.ndim:
            raise RuntimeError(f"{fname} only supports 0-dimensional start and end tensors, "
                               f"but got {name} with {value._data.ndim} dimension(s).")
        return value._data.item()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"{fname}(): argument '{name}' must be Number, not {type(value).__name__}")


def _not_bool(dtype: _dtype.dtype, kernel: str) -> None:
    if dtype is _dtype.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


# -- arange ----------------------------------------------------------------------------------
def arange(start: Any = 0, end: Any = None, step: Any = 1, *, out: Tensor | None = None,
           dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Values from ``start`` (default 0) up to ``end`` (exclusive) by ``step``.

    int64 when every argument is an integer, else the default float dtype.

    >>> torch.arange(0, 1, 0.25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if end is None:
        end = _number(start, "arange", "end", position=1)
        start = 0
    start, end, step = (_number(v, "arange", n) for v, n in
                        ((start, "start"), (end, "end"), (step, "step")))
    given = resolve_dtype(dtype, "arange")
    target = out_dtype(given, out)
    if target is None:
        integral = all(isinstance(v, int) for v in (start, end, step))
        target = _dtype.int64 if integral else _dtype.get_default_dtype()
    _not_bool(target, "arange_cpu")
    n = _arange_size(start, end, step)
    if target is _dtype.int64:
        n = _int64_arange_size(start, end, step)
    if target.is_floating_point:
        arr = _float_arange(start, step, n, target.np)
    else:
        istart, istep = int(start), int(step)  # torch truncates in its int64 accumulator
        if istep == 0 and given is not None:
            raise ValueError("step must be nonzero")
        arr = (istart + istep * np.arange(n, dtype=np.int64)).astype(target.np)
    return emit(arr, out, requires_grad, device, "aten::arange")


def _arange_size(start: Any, end: Any, step: Any) -> int:
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if all(isinstance(v, int) for v in (start, end, step)):
        return -((start - end) // step)  # exact ceil for integers of any size
    return math.ceil((end - start) / step)


def _int64_arange_size(start: Any, end: Any, step: Any) -> int:
    """torch sizes an int64 arange from the truncated arguments, in integer arithmetic."""
    istart, iend, istep = int(start), int(end), int(step)
    if istep == 0:
        raise ValueError("step must be nonzero")
    sign = (istep > 0) - (istep < 0)
    quotient = abs(iend - istart + istep - sign) // abs(istep)  # C division truncates
    return max(quotient if (iend - istart + istep - sign) * istep >= 0 else -quotient, 0)


def _float_arange(start: float, step: float, n: int, target: np.dtype) -> np.ndarray:
    """See NOTE [ Matching torch's range arithmetic ]."""
    lanes = {np.dtype(_F64): 4, np.dtype(_F32): 8, np.dtype(_F16): 16}[target]
    i = np.arange(n, dtype=np.int64)
    k = i - i % lanes
    j = i - k
    vector = i < n - n % (2 * lanes)
    if target == _F16:
        s, st = _F32(start), _F32(step)
        base = fma32(st, k, s).astype(_F16)
        return np.where(vector, fma32(st, j, base), fma32(st, i, s)).astype(_F16)
    base = fma64(step, k, start)
    if target == _F32:
        base = base.astype(_F32)
    return np.where(vector, fma64(step, j, base), fma64(step, i, start)).astype(target)


def range(start: Any = 0, end: Any = None, step: Any = 1, *,  # noqa: A001 - torch's name
          out: Tensor | None = None, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Deprecated in torch: like ``arange`` but includes ``end`` and defaults to float."""
    warnings.warn(_RANGE_DEPRECATED, UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = (_number(v, "range", n) for v, n in
                        ((start, "start"), (end, "end"), (step, "step")))
    target = out_dtype(resolve_dtype(dtype, "range"), out) or _dtype.get_default_dtype()
    if step == 0:
        raise RuntimeError("step must be nonzero")
    n = int(math.floor((end - start) / step)) + 1
    if n < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    arr = start + step * np.arange(n, dtype=_F64)
    if not target.is_floating_point:
        arr = np.trunc(arr)
    return emit(arr.astype(target.np), out, requires_grad, device, "aten::range")


# -- linspace / logspace -----------------------------------------------------------------------
def _steps(steps: Any, fname: str, args: tuple) -> int:
    if isinstance(steps, Tensor) and steps._data.ndim == 0 and steps._data.dtype.kind in "iu":
        steps = steps._data.item()
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        got = ", ".join(type(a).__name__ for a in args)
        base = "float base = 10.0, " if fname == "logspace" else ""
        rest = (f"int steps, {base}*, Tensor out = None, torch.dtype dtype = None, torch.layout "
                "layout = None, torch.device device = None, bool pin_memory = False, bool "
                "requires_grad = False)\n")
        raise TypeError(f"{fname}() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n" + "".join(
                            f" * ({a} start, {b} end, {rest}" for a, b in (
                                ("Tensor", "Tensor"), ("Number", "Tensor"),
                                ("Tensor", "Number"), ("Number", "Number"))))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return int(steps)


def linspace(start: Any, end: Any, steps: int, *, out: Tensor | None = None, dtype: Any = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False,
             pin_memory: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    >>> torch.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    n = _steps(steps, "linspace", (start, end, steps))
    start, end = _number(start, "linspace", "start"), _number(end, "linspace", "end")
    target = out_dtype(resolve_dtype(dtype, "linspace"), out) or _dtype.get_default_dtype()
    _not_bool(target, "linspace_cpu")
    arr = _linspace(start, end, n, target.np)
    return emit(arr, out, requires_grad, device, "aten::linspace")


def _linspace(start: Any, end: Any, n: int, target: np.dtype) -> np.ndarray:
    """See NOTE [ Matching torch's range arithmetic ]."""
    i = np.arange(n, dtype=np.int64)
    back = n - 1 - i  # steps counted from the end, for the second half
    first = i < n // 2
    if target == _F64 or target == _F32:
        s, e = target.type(start), target.type(end)
        step = (e - s) / target.type(n - 1) if n > 1 else target.type(0)
        fma = fma64 if target == _F64 else fma32
        out = np.where(first, fma(step, i, s), fma(-step, back, e))
    elif target == _F16:
        out = _linspace_half(start, end, n, i, back, first)
    else:  # integers: truncated endpoints, a double step, truncated values
        s, e = float(int(start)), float(int(end))
        step = (e - s) / (n - 1) if n > 1 else 0.0
        out = np.trunc(np.where(first, fma64(step, i, s), fma64(-step, back, e)))
        out = out.astype(np.int64)
    if n == 1:
        out = np.full(1, start)
    return out.astype(target)


def _linspace_half(start: Any, end: Any, n: int, i: np.ndarray, back: np.ndarray,
                   first: np.ndarray) -> np.ndarray:
    """float16 linspace: each operation is done in float and rounded back to half."""
    def half(x: Any) -> np.ndarray:
        return np.asarray(x, dtype=_F32).astype(_F16).astype(_F32)

    s, e = half(start), half(end)
    step = half(half(e - s) / half(max(n - 1, 1)))
    return np.where(first, half(s + half(step * half(i))),
                    half(e - half(step * half(back)))).astype(_F16)


def _pow(base: float, x: float) -> float:
    try:
        return math.pow(base, x)
    except OverflowError:
        return math.inf
    except ValueError:  # a negative base to a fractional power
        return math.nan


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *,
             out: Tensor | None = None, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False,
             pin_memory: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``.

    >>> torch.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    n = _steps(steps, "logspace", (start, end, steps))
    start, end = _number(start, "logspace", "start"), _number(end, "logspace", "end")
    target = out_dtype(resolve_dtype(dtype, "logspace"), out) or _dtype.get_default_dtype()
    _not_bool(target, "logspace_cpu")
    if target.is_floating_point:
        s, e = target.np.type(start), target.np.type(end)
    else:
        s, e = int(start), int(end)
    step = float(e - s) / (n - 1) if n > 1 else 0.0
    i = np.arange(n, dtype=_F64)
    exps = np.where(i < n // 2, float(s) + step * i, float(e) - step * (n - 1 - i))
    if n == 1:
        exps[0] = float(start)  # a single step is base ** start, unrounded
    # the C library's pow, element by element: NumPy's vectorised pow can differ in the last bit
    arr = np.array([_pow(float(base), x) for x in exps.tolist()], dtype=_F64)
    if not target.is_floating_point:
        arr = np.trunc(arr)
    with np.errstate(invalid="ignore", over="ignore"):
        return emit(astype(arr, target.np), out, requires_grad, device, "aten::logspace")
