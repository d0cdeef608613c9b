"""Shared plumbing for the composites: operands, promotion, views, ``out=``, in-place."""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import Any

from .. import _dtype
from .._creation import number_tensor
from .._tensor import Tensor
from ..autograd.grad_mode import _GradState

Number = (int, float, bool)
_INT53 = 2 ** 53  # Python ints a float dtype's scalar conversion takes without a second look


def as_tensor_operand(value: Any, dtype: _dtype.dtype) -> Tensor:
    """A Tensor of ``dtype`` for a tensor or a Python/NumPy scalar operand."""
    if isinstance(value, Tensor):
        if value._data.dtype is dtype.np or value._data.dtype == dtype.np:
            return value
        return value.to(dtype)
    from .._creation import scalar_tensor

    try:
        return scalar_tensor(value, dtype=dtype)
    except OverflowError:  # torch wraps an out-of-range integer operand (int8 + 300 adds 44)
        return scalar_tensor(value, dtype=_dtype.int64).to(dtype)


def promote(a: Any, b: Any) -> tuple[Tensor, Tensor, _dtype.dtype]:
    """Both operands as tensors of their torch result type (see NOTE [ Type promotion ])."""
    if isinstance(a, Tensor):  # the common cases first, without result_type
        da = a._data.dtype
        if isinstance(b, Tensor):
            if b._data.dtype is da or b._data.dtype == da:
                return a, b, a.dtype
        elif da.kind == "f" and (type(b) is float or (type(b) is int and -_INT53 < b < _INT53)):
            # a float tensor and a Python number: the tensor's dtype, the number as a 0-d
            # array of it (what scalar_tensor makes)
            return a, number_tensor(b, da), a.dtype
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
    """Mark ``out`` as a view of ``base``: same root base, same version counter. The root
    remembers its views so that an in-place write can refresh their grad_fn (NOTE [ In-place
    on views ] in ``_primitives/shape.py``)."""
    root = base._base if base._base is not None else base
    out._base = root
    out._vc = base._counter()
    if _GradState.enabled:
        if root._views is None:
            root._views = _ViewRefs()
        root._views.add(out)
    elif root._requires_grad:
        out._view_creation = "no_grad"
    return out


def write_out(result: Tensor, out: Tensor | None, name: str) -> Tensor:
    """Implement ``out=``: copy the result into ``out`` (resizing it if needed)."""
    if out is None:
        return result
    if _GradState.enabled and (result._requires_grad or out._requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if not _dtype.can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {_legacy_name(result.dtype)} can't be cast to the "
                           f"desired output type {_legacy_name(out.dtype)}")
    if out._data.shape == result._data.shape:
        out._data[...] = result._data
    else:
        if out._data.size:
            warnings.warn(_RESIZE_WARNING.format(list(out.shape), list(result.shape)),
                          UserWarning, stacklevel=3)
        out._data = result._data.astype(out._data.dtype)
    out._bump_version()
    return out


_RESIZE_WARNING = (
    "An output with one or more elements was resized since it had shape {}, which does not "
    "match the required output shape {}. This behavior is deprecated, and in a future PyTorch "
    "release outputs will not be resized unless they have zero elements. You can explicitly "
    "reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).")


def check_inplace(t: Tensor) -> None:
    """torch's errors for in-place writes into leaves that require grad (outside no_grad),
    into expanded memory, and into views autograd cannot follow."""
    if not t._data.flags.writeable:
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the tensor "
                           "before performing the operation.")
    if not _GradState.enabled:
        return
    if t._view_creation is not None and t._base._requires_grad:
        _view_creation_error(t)
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
    if record and t._base is not None and (result._requires_grad or t._base._requires_grad):
        _rebase_view(t, result)
    elif record and result._requires_grad:
        t._requires_grad, t.grad_fn, t._output_nr = True, result.grad_fn, result._output_nr
        if t._views is not None:
            _refresh_views(t)
    return t


def _rebase_view(view: Tensor, result: Tensor) -> None:
    """After ``result`` was written into ``view``, make the root base's grad_fn a CopySlices
    node routing the view's region through ``result``'s node and the rest to the base's old
    grad_fn, then refresh the grad_fn of every live view of that base (``view`` included).
    See NOTE [ In-place on views ] in ``_primitives/shape.py``."""
    from .._primitives.shape import CopySlices

    root = view._base
    node = CopySlices(root, view, result)
    root._requires_grad, root.grad_fn, root._output_nr = True, node, 0
    _refresh_views(root, view)


def _refresh_views(root: Tensor, also: Tensor | None = None) -> None:
    """Point every live view of ``root`` at the root's current grad_fn (AsStridedBackward0),
    as torch regenerates a view's grad_fn once its base changed in place."""
    from .._primitives.shape import AsStridedView, in_memory_of

    views = root._views.live() if root._views is not None else []
    if also is not None and all(v is not also for v in views):
        views.append(also)
    for v in views:
        if in_memory_of(v._data, root._data):
            v._requires_grad, v.grad_fn, v._output_nr = True, AsStridedView(root, v), 0


class _ViewRefs:
    """Weak references to a root base's views; dead ones are dropped as the list grows."""

    __slots__ = ("refs", "limit")

    def __init__(self) -> None:
        self.refs: list = []
        self.limit = 16

    def add(self, view: Tensor) -> None:
        if len(self.refs) >= self.limit:
            self.refs = [r for r in self.refs if r() is not None]
            self.limit = max(16, 2 * len(self.refs))
        self.refs.append(weakref.ref(view))

    def live(self) -> list[Tensor]:
        return [v for v in (r() for r in self.refs) if v is not None]


def _view_creation_error(t: Tensor) -> None:
    if t._view_creation == "no_grad":
        raise RuntimeError(
            "A view was created in no_grad mode and is being modified inplace with grad mode "
            "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. "
            "You can clarify your code by moving both the view and the inplace either both "
            "inside the no_grad block (if you don't want the inplace to be tracked) or both "
            "outside (if you want the inplace to be tracked).")
    op, nr = t._view_creation
    raise RuntimeError(
        f"Output {nr} of {op} is a view and is being modified inplace. This view is the output "
        "of a function that returns multiple views. Such functions do not allow the output "
        "views to be modified inplace. You should replace the inplace operation by an "
        "out-of-place one.")


_LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _legacy_name(d: _dtype.dtype) -> str:
    return _LEGACY[d.name]
