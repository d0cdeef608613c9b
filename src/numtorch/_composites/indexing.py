"""Indexing: ``tensor[key]``, ``tensor[key] = value``, slicing views (split, chunk, unbind,
narrow, select, diagonal), gather/scatter, index_select, index_add, index_put, masked_fill,
masked_select, take, nonzero.

``tensor[key]`` follows torch: ints, slices, None and ``...`` make views (SelectBackward0,
SliceBackward0, UnsqueezeBackward0); tensors, lists and masks then pick a copy
(IndexBackward0). ``tensor[key] = value`` writes through that view: ``copy_``/``fill_`` for a
basic key, ``index_put_`` for an advanced one, so autograd records CopySlices or
IndexPutBackward0 as torch does.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype
from .._primitives import fill as P
from .._primitives import indexing as I
from .._primitives import shape as S
from .._tensor import Tensor, _wrap_dim
from ..autograd.grad_mode import _GradState
from ._util import _legacy_name, as_tensor_operand, as_view, inplace, write_out
from .shape import expand, expanded_shape, reshape

__all__ = ["split", "chunk", "unbind", "narrow", "select", "diagonal", "gather", "scatter",
           "scatter_add", "index_select", "index_add", "index_put", "masked_fill",
           "masked_select", "take", "nonzero", "argwhere"]
METHODS = list(__all__)
INPLACE = ["scatter", "scatter_add", "index_add", "index_put", "masked_fill"]


# -- tensor[key] -------------------------------------------------------------------------------
def _apply_steps(t: Tensor, steps: list) -> Tensor:
    """Replay the view steps of an IndexPlan on ``t`` (each one a recorded view)."""
    for step in steps:
        kind = step[0]
        if kind == "unsqueeze":
            out = S.Unsqueeze.apply(t, dim=step[1])
        elif kind == "alias":
            out = I.KeyView.apply(t, key=Ellipsis, name="AliasBackward0")
        else:
            name = "SelectBackward0" if kind == "select" else "SliceBackward0"
            out = I.KeyView.apply(t, key=I.step_key(step), name=name)
        t = as_view(out, t)
    return t


def getitem(self: Tensor, key: Any) -> Tensor:
    """``self[key]`` with torch's semantics (see the module docstring)."""
    plan = I.parse_index(self._data.shape, key)
    if not self._requires_grad and plan.advanced is None and len(plan.steps) == 1 \
            and plan.steps[0][0] in ("select", "slice"):  # x[i], x[i:j] with nothing to record
        return as_view(Tensor._make(self._data[I.step_key(plan.steps[0])]), self)
    out = _apply_steps(self, plan.steps)
    if plan.advanced is not None:
        out = I.Index.apply(out, key=plan.advanced)
    return out


# -- tensor[key] = value ------------------------------------------------------------------------
def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``self[key] = value``: value (a tensor or a number) is broadcast and converted.

    A 0-d value is written with ``fill_`` (FillBackward3), a larger one with ``copy_``
    (CopyBackwards), an advanced key with ``index_put_`` (IndexPutBackward0); through a view,
    the base records CopySlices.
    """
    plan = I.parse_index(self._data.shape, key, setitem=True)
    value = _setitem_value(self, value, plan.advanced is not None)
    if not (_GradState.enabled and (self._requires_grad or value._requires_grad)):
        _assign(self, plan, value)  # nothing to record: write straight into the memory
        return
    target = _apply_steps(self, plan.steps)
    if plan.advanced is not None:
        _check_index_value(target._data, plan.advanced, value._data)
        inplace(target, lambda src: I.IndexPut.apply(src, _strip_ones(value),
                                                     key=plan.advanced))
    elif value._data.ndim == 0:
        inplace(target, lambda src: P.Fill.apply(src, value))
    else:
        value = _strip_ones(value)
        if value._data.shape != target._data.shape:
            value = expand(value, target.shape)
        inplace(target, lambda src: P.Copy.apply(src, value))


def _setitem_value(self: Tensor, value: Any, advanced: bool) -> Tensor:
    """The value as a tensor (a Python number takes self's dtype)."""
    if isinstance(value, Tensor):
        if advanced and value._data.dtype != self._data.dtype:
            raise RuntimeError("Index put requires the source and destination dtypes match, got "
                               f"{_legacy_name(self.dtype)} for the destination and "
                               f"{_legacy_name(value.dtype)} for the source.")
        return value
    if not isinstance(value, (bool, int, float)) and getattr(value, "ndim", None) != 0:
        raise TypeError(f"can't assign a {type(value).__name__} to a {self.type()}")
    return as_tensor_operand(value, self.dtype)


def _stripped(shape: tuple) -> tuple:
    """torch drops a value's leading size-1 dims before broadcasting it into the target."""
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return shape[k:]


def _strip_ones(value: Tensor) -> Tensor:
    shape = _stripped(value._data.shape)
    return reshape(value, shape) if shape != value._data.shape else value


def _assign(self: Tensor, plan: I.IndexPlan, value: Tensor) -> None:
    """The unrecorded write: NumPy assignment through the view, with torch's shape errors."""
    target = I.apply_steps_array(self._data, plan.steps)
    if not target.flags.writeable:
        raise RuntimeError(_OVERLAP_MESSAGE)
    if plan.advanced is None:
        expanded_shape(_stripped(value._data.shape), target.shape, value)  # torch's errors
        target[...] = value._data
    else:
        _check_index_value(target, plan.advanced, value._data)
        target[plan.advanced] = value._data
    self._bump_version()


_OVERLAP_MESSAGE = ("unsupported operation: more than one element of the written-to tensor "
                    "refers to a single memory location. Please clone() the tensor before "
                    "performing the operation.")


def _check_index_value(target: Any, key: tuple, value: Any) -> None:
    shape = I.indexed_shape(target.shape, key)
    vshape = _stripped(value.shape)
    if len(vshape) > len(shape) or any(
            v != 1 and v != s for v, s in zip(reversed(vshape), reversed(shape))):
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(shape)}")


# -- split, chunk, unbind, narrow, select, diagonal (views) ---------------------------------
def _views_of(outs: tuple, input: Tensor, op: str) -> tuple:
    """Mark the outputs of a multi-output view op (torch forbids writing into them in place
    when they take part in autograd)."""
    for i, o in enumerate(outs):
        as_view(o, input)._view_creation = (op, i)
    return outs


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed
    sizes; the pieces are views."""
    d = _wrap_dim(dim, tensor._data.ndim)
    size = tensor._data.shape[d]
    sections = split_size_or_sections
    if isinstance(sections, (list, tuple)):
        sizes = tuple(int(s) for s in sections)
        if sum(sizes) != size or any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={list(sizes)}")
        return _split(tensor, d, sizes, "SplitWithSizes")
    step = int(sections)
    if step == 0 and size:
        raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {size}")
    if step < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
    sizes = tuple(min(step, size - i) for i in range(0, size, step)) if size else (0,)
    return _split(tensor, d, sizes, "Split")


def _split(tensor: Tensor, dim: int, sizes: tuple, op: str) -> tuple[Tensor, ...]:
    outs = S.Split.apply(tensor, dim=dim, sizes=sizes, name=op + "Backward0")
    return _views_of(outs, tensor, op)


def _split_method(self: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return split(self, split_size, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces of equal size (the last may be smaller) along ``dim``."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    if size == 0:  # torch gives `chunks` empty pieces
        return _split(input, d, (0,) * chunks, "Split")
    return split(input, -(-size // chunks), d)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """Every slice along ``dim``, with that dim removed (views)."""
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, input._data.ndim)
    return _views_of(S.Unbind.apply(input, dim=d), input, "Unbind")


def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim`` (a view)."""
    d = _wrap_dim(dim, input._data.ndim)
    size, start = input._data.shape[d], int(start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    key = I.step_key(("slice", d, start, start + length, 1))
    return as_view(I.KeyView.apply(input, key=key, name="SliceBackward0"), input)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim``, with that dim removed (a view)."""
    d = _wrap_dim(dim, input._data.ndim)
    size, index = input._data.shape[d], int(index)
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {dim}")
    key = I.step_key(("select", d, index + size if index < 0 else index))
    return as_view(I.KeyView.apply(input, key=key, name="SelectBackward0"), input)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of the (dim1, dim2) planes, as a last dim (a view)."""
    ndim = input._data.ndim
    d1, d2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return as_view(S.Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2), input)


# -- index_put / gather / scatter ------------------------------------------------------------
def index_put(input: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``values`` written (or added, with ``accumulate``) at
    ``input[indices]``; ``indices`` is a tuple of index tensors."""
    if not isinstance(values, Tensor):
        raise TypeError("index_put(): argument 'values' (position 2) must be Tensor, not "
                        f"{type(values).__name__}")
    if values._data.dtype != input._data.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_legacy_name(input.dtype)} for the destination and "
                           f"{_legacy_name(values.dtype)} for the source.")
    key = I.parse_index(input._data.shape, tuple(indices)).advanced
    if key is None:
        raise IndexError("index_put(): expected at least one index tensor")
    _check_index_value(input._data, key, values._data)
    return I.IndexPut.apply(input, _strip_ones(values), key=key, accumulate=accumulate)


def _check_index_dtype(index: Tensor, name: str) -> None:
    if index._data.dtype.kind not in "iu" or index._data.dtype.itemsize < 4:
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _check_along(input: Tensor, dim: int, index: Tensor, src: Tensor | None, name: str) -> int:
    """torch's checks for gather/scatter: dims, index sizes, index range."""
    d = _wrap_dim(dim, input._data.ndim)
    ishape, shape = index._data.shape, input._data.shape
    if index._data.ndim != input._data.ndim and index._data.size:
        which = "input" if name == "gather" else "self"
        raise RuntimeError(f"Index tensor must have the same number of dimensions as {which} "
                           "tensor")
    too_big = any(n > s for k, (n, s) in enumerate(zip(ishape, shape)) if k != d)
    if name == "gather" and too_big:
        raise RuntimeError(f"Size does not match at dimension {_first_bad(ishape, shape, d)} "
                           f"expected index {list(ishape)} to be no larger than self "
                           f"{list(shape)} apart from dimension {d}")
    src_small = src is not None and any(n > s for n, s in zip(ishape, src._data.shape))
    if too_big or src_small:
        tail = f" and to be no larger size than src {list(src.shape)}" if src is not None else ""
        raise RuntimeError(f"Expected index {list(ishape)} to be no larger than self "
                           f"{list(shape)} apart from dimension {d}{tail}")
    _check_range(index, shape[d] if shape else 1, d)
    return d


def _first_bad(ishape: tuple, shape: tuple, dim: int) -> int:
    return next(k for k, (n, s) in enumerate(zip(ishape, shape)) if k != dim and n > s)


def _check_range(index: Tensor, size: int, dim: int) -> None:
    """gather, scatter and index_add take indices in [0, size): no counting from the end."""
    idx = index._data
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {dim} "
                           f"with size {size}")


def _long(index: Tensor) -> Any:
    """The index array as int64 (int32 indices are accepted, as in torch)."""
    return I.long_index(index._data)


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False,
           out: Tensor | None = None) -> Tensor:
    """``out[i][j] = input[index[i][j]][j]`` (dim 0) and so on: values picked along ``dim``.

    >>> torch.tensor([[1, 2], [3, 4]]).gather(1, torch.tensor([[0], [1]]))
    tensor([[1],
            [4]])
    """
    _check_index_dtype(index, "gather")
    d = _check_along(input, dim, index, None, "gather")
    return write_out(I.Gather.apply(input, index=_long(index), dim=d), out, "gather")


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (a tensor) or ``value`` (a number) written along
    ``dim`` at ``index``."""
    if reduce is not None:
        raise NotImplementedError("numtorch does not support scatter(reduce=...); use "
                                  "scatter_add or scatter_reduce")
    if src is None and value is None:
        raise TypeError("scatter() missing 1 required positional argument: 'src' or 'value'")
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src
    _check_index_dtype(index, "scatter")
    if src is not None and src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _check_along(input, dim, index, src, "scatter")
    if src is not None:
        return I.Scatter.apply(input, src, index=_long(index), dim=d)
    return I.Scatter.apply(input, index=_long(index), dim=d, value=value)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added along ``dim`` at ``index`` (repeats add up)."""
    _check_index_dtype(index, "scatter_add")
    if src._data.dtype != input._data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    d = _check_along(input, dim, index, src, "scatter_add")
    return I.ScatterAdd.apply(input, src, index=_long(index), dim=d)


# -- index_select / index_add / take ------------------------------------------------------------
def _vector_index(index: Tensor, name: str) -> Tensor:
    if index._data.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    if index._data.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")
    return reshape(index, (-1,))


def index_select(input: Tensor, dim: int, index: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The slices of ``input`` at ``index`` along ``dim`` (a copy)."""
    index = _vector_index(index, "index_select")
    d = _wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    idx = index._data
    if ((idx < 0) | (idx >= size)).any():
        raise IndexError("index out of range in self")
    if input._data.ndim == 0:
        if idx.size != 1:
            raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                               f"{idx.size} value(s)")
        return write_out(reshape(index_select(reshape(input, (1,)), 0, index), ()), out,
                         "index_select")
    return write_out(I.IndexSelect.apply(input, index=_long(index), dim=d), out,
                     "index_select")


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: Any = 1,
              out: Tensor | None = None) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` added at ``index`` along ``dim``."""
    if index._data.dtype.kind not in "iu":
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{_legacy_name(index.dtype)}")
    if source._data.dtype != input._data.dtype:
        raise RuntimeError(f"index_add_(): self ({_legacy_name(input.dtype)}) and source "
                           f"({_legacy_name(source.dtype)}) must have the same scalar type")
    d = _wrap_dim(dim, input._data.ndim)
    index = _vector_index(index, "index_add")
    _check_index_add(input, d, index, source)
    result = I.IndexAdd.apply(input, source, index=_long(index), dim=d, alpha=alpha)
    return write_out(result, out, "index_add")


def _check_index_add(input: Tensor, d: int, index: Tensor, source: Tensor) -> None:
    shape, sshape = input._data.shape, source._data.shape
    if len(sshape) != len(shape) or any(a != b for k, (a, b) in enumerate(zip(shape, sshape))
                                        if k != d):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(shape)} source.shape "
                           f"= {list(sshape)}")
    if index._data.size != sshape[d]:
        raise RuntimeError(f"index_add_(): Number of indices ({index._data.size}) should be "
                           f"equal to source.size(dim): ({sshape[d]}), for dim: {d}")
    _check_range(index, shape[d], d)


def take(input: Tensor, index: Tensor) -> Tensor:
    """``input.flatten()[index]``, in the shape of ``index``."""
    if index._data.dtype != _dtype.int64.np:
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{_legacy_name(index.dtype)}")
    n, idx = input._data.size, index._data
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].flat[0])} on a "
                         f"tensor of {n} elements.")
    return I.Take.apply(input, index=I.wrap_negative(idx, n))


# -- masks -----------------------------------------------------------------------------------------
def _check_mask(mask: Tensor, name: str) -> None:
    if mask._data.dtype.kind != "b":
        if name == "masked_select":
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        raise RuntimeError(f"{name}_ only supports boolean masks, but got mask with dtype "
                           f"{_TYPE_WORDS.get(mask._data.dtype.name, mask._data.dtype.name)}")


_TYPE_WORDS = {"int32": "int", "int64": "long int", "float32": "float", "float64": "double",
               "uint8": "unsigned char", "int8": "signed char", "int16": "short int"}


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``value`` where ``mask`` is True, ``input`` elsewhere (mask broadcasts)."""
    _check_mask(mask, "masked_fill")
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value._data.ndim} dimension(s).")
        return I.MaskedFill.apply(input, value, mask=mask._data)
    return I.MaskedFill.apply(input, mask=mask._data, scalar=value)


def masked_select(input: Tensor, mask: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The elements of ``input`` where ``mask`` is True, as a 1-D tensor."""
    _check_mask(mask, "masked_select")
    return write_out(I.MaskedSelect.apply(input, mask=mask._data), out, "masked_select")


def nonzero(input: Tensor, *, out: Tensor | None = None, as_tuple: bool = False) -> Any:
    """The indices of non-zero elements: an (n, ndim) int64 tensor, or one 1-D tensor per dim
    with ``as_tuple``."""
    if as_tuple:
        return tuple(Tensor._make(i) for i in I.nonzero_tuple(input._data))
    return write_out(Tensor._make(I.nonzero_rows(input._data)), out, "nonzero")


def argwhere(input: Tensor) -> Tensor:
    """``nonzero(input)``."""
    return nonzero(input)


BOUND_METHODS = {"__getitem__": getitem, "__setitem__": setitem, "split": _split_method}
