"""Shared plumbing for the composites: operands, promotion, views, ``out=``, in-place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _dtype
from .._tensor import Tensor
from ..autograd.grad_mode import _GradState

Number = (int, float, bool)


def as_tensor_operand(value: Any, dtype: _dtype.dtype) -> Tensor:
    """A Tensor of ``dtype`` for a tensor or a Python/NumPy scalar operand."""
    if isinstance(value, Tensor):
        if value._data.dtype is dtype.np or value._data.dtype == dtype.np:
            return value
        return value.to(dtype)
    from .._creation import scalar_tensor

    return scalar_tensor(value, dtype)


def promote(a: Any, b: Any) -> tuple[Tensor, Tensor, _dtype.dtype]:
    """Both operands as tensors of their torch result type (see NOTE [ Type promotion ])."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a._data.dtype == b._data.dtype:
        return a, b, a.dtype
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError("expected at least one Tensor operand")
    _check_operand(a)
    _check_operand(b)
    dt = _dtype.result_type(a, b)
    return as_tensor_operand(a, dt), as_tensor_operand(b, dt), dt


def _check_operand(x: Any) -> None:
    if not isinstance(x, (Tensor, int, float, bool)) and not hasattr(x, "dtype"):
        raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


def to_float(t: Tensor) -> Tensor:
    """Integer and bool inputs of float-valued functions (exp, sqrt, /) become the default
    float dtype, as in torch."""
    if t._data.dtype.kind == "f":
        return t
    return t.to(_dtype.get_default_dtype())


def as_view(out: Tensor, base: Tensor) -> Tensor:
    """Mark ``out`` as a view of ``base``: same root base, same version counter."""
    out._base = base._base if base._base is not None else base
    out._vc = base._counter()
    return out


def write_out(result: Tensor, out: Tensor | None, name: str) -> Tensor:
    """Implement ``out=``: copy the result into ``out`` (resizing it if needed)."""
    if out is None:
        return result
    if _GradState.enabled and (result._requires_grad or out._requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out._data.shape == result._data.shape:
        out._data[...] = result._data
    else:
        out._data = result._data.astype(out._data.dtype)
    out._bump_version()
    return out


def check_inplace(t: Tensor) -> None:
    """torch's errors for in-place writes into leaves that require grad (outside no_grad)."""
    if not _GradState.enabled:
        return
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    base = t._base
    if base is not None and base._requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")


def inplace(t: Tensor, compute: Callable[[Tensor], Tensor]) -> Tensor:
    """Run ``compute`` out of place, then write the result into ``t``'s memory.

    When the op is recorded, ``t`` takes over the result's place in the graph; the node
    saw a private copy of ``t``'s old values, so overwriting them breaks nothing.
    """
    check_inplace(t)
    record = _GradState.enabled
    src = t
    if record:  # the node may save the old values: give it a copy that stays unchanged
        src = Tensor._make(t._data.copy(), t._requires_grad, t.grad_fn, t._output_nr)
    result = compute(src)
    if result._data.dtype != t._data.dtype and not _dtype.can_cast(result.dtype, t.dtype):
        raise RuntimeError(f"result type {_legacy_name(result.dtype)} can't be cast to the "
                           f"desired output type {_legacy_name(t.dtype)}")
    if result._data.shape != t._data.shape:
        raise RuntimeError(f"output with shape {list(t.shape)} doesn't match the broadcast "
                           f"shape {list(result.shape)}")
    t._data[...] = result._data
    t._bump_version()
    if record and result._requires_grad:
        if t._base is not None:
            _rebase_view(t, result)
        t._requires_grad, t.grad_fn, t._output_nr = True, result.grad_fn, result._output_nr
    return t


def _rebase_view(view: Tensor, result: Tensor) -> None:
    raise NotImplementedError(
        "numtorch does not yet record in-place operations on views of tensors that require "
        "grad; use an out-of-place operation (e.g. torch.cat or torch.where) instead")


_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _legacy_name(d: _dtype.dtype) -> str:
    return _LEGACY[d.name]
