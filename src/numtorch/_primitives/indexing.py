"""Indexing primitives and torch's reading of an index expression.

``parse_index`` turns ``tensor[key]`` into what torch does with it: a chain of view steps
(select, slice, unsqueeze) followed, when the key holds tensors, lists or masks, by one
advanced index (a copy). The primitives below compute those steps; scatters that may hit one
position several times add with ``np.add.at`` so repeated indices accumulate.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._base import Primitive

_SEQUENCE_WARNING = (
    "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
    "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be "
    "interpreted as tensor index, x[torch.tensor(seq)], which will result either in an error or "
    "a different result")
_UINT8_WARNING = ("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                  "torch.bool instead.")


# -- reading an index ---------------------------------------------------------------------------
class IndexPlan:
    """``steps``: view steps, each ``("select", dim, i)``, ``("slice", dim, start, stop, step)``,
    ``("unsqueeze", dim)`` or ``("alias",)``; ``advanced``: a NumPy key of index arrays (and
    ``slice(None)``) for the view the steps produce, or None."""

    __slots__ = ("steps", "advanced")

    def __init__(self, steps: list, advanced: tuple | None) -> None:
        self.steps, self.advanced = steps, advanced


def _as_tuple(key: Any) -> tuple[tuple, bool]:
    """The key's items, and whether it was written as a tuple (torch's rule for lists)."""
    if type(key) is tuple:
        return key, True
    if isinstance(key, list) and len(key) < 32 and any(
            k is None or k is Ellipsis or isinstance(k, (list, tuple, slice, Tensor))
            for k in key):
        warnings.warn(_SEQUENCE_WARNING, UserWarning, stacklevel=4)
        return tuple(key), True
    return (key,), False


def _classify(item: Any) -> tuple[str, Any]:
    """One index item as (kind, value): none, ellipsis, slice, bool, int, array or mask."""
    if item is None:
        return "none", None
    if item is Ellipsis:
        return "ellipsis", None
    if isinstance(item, slice):
        return "slice", item
    if isinstance(item, (bool, np.bool_)):
        return "bool", bool(item)
    if isinstance(item, (int, np.integer)):
        return "int", int(item)
    if isinstance(item, Tensor):
        arr = item._data
    elif isinstance(item, (np.ndarray, list, tuple)):
        arr = np.asarray(item)
        if arr.size == 0:
            arr = arr.astype(np.int64)  # [] is an empty index, not a float one
    else:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {type(item).__name__})")
    if arr.dtype == np.uint8:
        warnings.warn(_UINT8_WARNING, UserWarning, stacklevel=4)
        arr = arr != 0
    if arr.dtype.kind == "b":
        return ("bool", bool(arr)) if arr.ndim == 0 else ("mask", arr)
    if arr.dtype.kind not in "iu":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return ("int", int(arr)) if arr.ndim == 0 else ("array", arr.astype(np.int64, copy=False))


def _slice_bounds(s: slice, size: int) -> tuple[int, int, int]:
    if s.step is not None and operator.index(s.step) < 0:
        raise ValueError("step must be greater than zero")
    return s.indices(size)  # clamps start/stop like torch; raises for a zero step


def _dims_used(parts: list) -> int:
    return sum(1 if kind in ("int", "slice", "array") else v.ndim if kind == "mask" else 0
               for kind, v in parts)


def parse_index(shape: tuple, key: Any, setitem: bool = False) -> IndexPlan:
    """torch's reading of ``tensor[key]`` for a tensor of ``shape`` (errors included).

    Ints select and slices slice (views) in order; full slices are skipped, except a lone
    ``t[:]`` read; ``None`` and bools insert dims. Index arrays and masks (as their nonzero
    positions) form one advanced key applied after the views, as in torch.
    """
    if type(key) is int and shape:  # the common t[i]: no need for the general walk
        size = shape[0]
        if not -size <= key < size:
            raise IndexError(f"index {key} is out of bounds for dimension 0 with size {size}")
        return IndexPlan([("select", 0, key + size if key < 0 else key)], None)
    if type(key) is slice and shape and not setitem:  # the common t[i:j] read, likewise
        return IndexPlan([("slice", 0, *_slice_bounds(key, shape[0]))], None)
    items, is_tuple = _as_tuple(key)
    parts = []
    for item in items:  # a loop, not a comprehension: warnings point at the caller's line
        parts.append(_classify(item))
    ndim, used = len(shape), _dims_used(parts)
    if used > ndim:
        _too_many(parts, ndim)
    cur, steps, adv, masks = list(shape), [], {}, []
    d, ellipsis_seen = 0, False
    for pos, (kind, v) in enumerate(parts):
        if kind == "ellipsis":
            d += 0 if ellipsis_seen else ndim - used
            ellipsis_seen = True
        elif kind in ("none", "bool"):
            steps.append(("unsqueeze", d))
            cur.insert(d, 1)
            if kind == "bool":
                adv[d] = np.zeros(1 if v else 0, dtype=np.int64)
            d += 1
        elif kind == "int":
            size = cur[d]
            if not -size <= v < size:
                raise IndexError(f"index {v} is out of bounds for dimension {pos} with size "
                                 f"{size}")
            steps.append(("select", d, v + size if v < 0 else v))
            cur.pop(d)
        elif kind == "slice":
            start, stop, step = _slice_bounds(v, cur[d])
            n = len(range(start, stop, step))
            if not (step == 1 and start == 0 and n == cur[d]) or not (is_tuple or setitem):
                steps.append(("slice", d, start, stop, step))
            cur[d] = n
            d += 1
        elif kind == "array":
            adv[d] = v
            d += 1
        else:
            masks.append((d, v))
            d += v.ndim
    for dim, mask in masks:
        _check_mask(mask, cur, dim)
        for j, idx in enumerate(np.nonzero(mask)):
            adv[dim + j] = idx
    if not adv:
        return IndexPlan(steps or ([] if setitem else [("alias",)]), None)
    return IndexPlan(steps, _advanced_key(adv, cur))


def _too_many(parts: list, ndim: int) -> None:
    """torch's error when the key uses more dims than the tensor has (worded for 0-d)."""
    if ndim == 0 and len(parts) == 1 and parts[0][0] in ("int", "slice"):
        if parts[0][0] == "slice":
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    raise IndexError(f"too many indices for tensor of dimension {ndim}")


def _check_mask(mask: np.ndarray, shape: list, dim: int) -> None:
    for j, n in enumerate(mask.shape):
        if n != shape[dim + j]:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not "
                             f"match the shape of the indexed tensor {shape} at index {dim + j}")


def _advanced_key(adv: dict, shape: list) -> tuple:
    """The NumPy key for index arrays at ``adv``'s dims: bounds-checked, negatives wrapped."""
    for k, dim in enumerate(sorted(adv)):
        idx, size = adv[dim], shape[dim]
        if not idx.size:
            continue
        low, high = idx.min(), idx.max()
        if low < -size or high >= size:
            bad = idx[(idx < -size) | (idx >= size)]
            raise IndexError(f"index {int(bad.flat[0])} is out of bounds for dimension {k} "
                             f"with size {size}")
        if low < 0:
            adv[dim] = np.where(idx < 0, idx + size, idx)
    try:
        if len(adv) > 1:
            np.broadcast_shapes(*(a.shape for a in adv.values()))
    except ValueError:
        shapes = ", ".join(str(list(adv[d].shape)) for d in sorted(adv))
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         f"with shapes {shapes}") from None
    return tuple(adv.get(i, slice(None)) for i in range(max(adv) + 1))


def step_key(step: tuple) -> tuple:
    """The NumPy key of a select/slice step (``...`` keeps a 0-d result an array view)."""
    lead = (slice(None),) * step[1]
    if step[0] == "select":
        return lead + (step[2], Ellipsis)
    return lead + (slice(step[2], step[3], step[4]),)


# -- basic (view) indexing -----------------------------------------------------------------------
class KeyView(Primitive):
    """x[key] for a basic key: a view. The gradient is written into zeros at key."""

    name_ = "SliceBackward0"

    def forward(self, x, key, name=None):
        if name is not None:
            self.name_ = name  # SelectBackward0, SliceBackward0, AliasBackward0
        self.in_shape, self.key = x.shape, key
        return x[key]

    def backward(self, grad):
        return KeyEmbed.apply(grad, key=self.key, shape=self.in_shape)


class KeyEmbed(Primitive):
    """zeros of ``shape`` with x written at a basic key (the adjoint of KeyView)."""

    name_ = "SliceBackwardBackward0"

    def forward(self, x, key, shape):
        self.key = key
        out = np.zeros(shape, dtype=x.dtype)
        out[key] = x
        return out

    def backward(self, grad):
        return KeyView.apply(grad, key=self.key)


# -- advanced indexing ---------------------------------------------------------------------------
class Index(Primitive):
    """x[key] with index arrays (a copy); the gradient is added back at key."""

    name_ = "IndexBackward0"

    def forward(self, x, key, name=None):
        if name is not None:
            self.name_ = name
        self.in_shape, self.key = x.shape, key
        return np.ascontiguousarray(x[key])

    def backward(self, grad):
        return IndexAccumulate.apply(grad, key=self.key, shape=self.in_shape)


class IndexAccumulate(Primitive):
    """zeros of ``shape`` with x added at key; repeated indices add up (np.add.at)."""

    name_ = "IndexPutBackward0"

    def forward(self, x, key, shape):
        self.key = key
        out = np.zeros(shape, dtype=x.dtype)
        np.add.at(out, key, x)
        return out

    def backward(self, grad):
        return Index.apply(grad, key=self.key)


class IndexPut(Primitive):
    """x with ``values`` written (or added, with ``accumulate``) at key. values get
    grad[key]; x gets grad, zeroed at key unless accumulating."""

    name_ = "IndexPutBackward0"

    def forward(self, x, values, key, accumulate=False):
        self.key, self.accumulate = key, accumulate
        out = x.copy()
        if accumulate:
            np.add.at(out, key, values)
        else:
            out[key] = values
        return out

    def backward(self, grad):
        need_x, need_values = self.needs_input_grad
        gx = None
        if need_x:
            zero = Tensor._make(np.zeros((), dtype=grad._data.dtype))
            gx = grad if self.accumulate else IndexPut.apply(grad, zero, key=self.key)
        return gx, (Index.apply(grad, key=self.key) if need_values else None)


# -- gather / scatter ------------------------------------------------------------------------------
def _leading(x: np.ndarray, shape: tuple) -> np.ndarray:
    """The leading ``shape`` block of x (scatter reads src only where index has entries)."""
    return x[tuple(slice(0, n) for n in shape)]


def along(index: np.ndarray, dim: int) -> tuple:
    """The NumPy key addressing ``out[i0, .., index[i0, ..], ..]`` for every index position."""
    key = []
    for d, n in enumerate(index.shape):
        if d == dim:
            key.append(index)
        else:
            shape = [1] * index.ndim
            shape[d] = n
            key.append(np.arange(n).reshape(shape))
    return tuple(key)


class Gather(Primitive):
    """x's elements picked along ``dim`` by index; the gradient is scatter-added back."""

    name_ = "GatherBackward0"

    def forward(self, x, index, dim):
        self.in_shape, self.index, self.dim = x.shape, index, dim
        return x[along(index, dim)]

    def backward(self, grad):
        zeros = Tensor._make(np.zeros(self.in_shape, dtype=grad._data.dtype))
        return ScatterAdd.apply(zeros, grad, index=self.index, dim=self.dim)


class Scatter(Primitive):
    """x with src (or a number) written along ``dim`` at index; x gets the gradient zeroed
    there, src gets it gathered."""

    name_ = "ScatterBackward0"

    def forward(self, x, *src, index, dim, value=None):
        self.index, self.dim = index, dim
        out = x.copy()
        if src:
            out[along(index, dim)] = _leading(src[0], index.shape)
        else:
            self.name_ = "ScatterBackward1"
            out[along(index, dim)] = value
        return out

    def backward(self, grad):
        need = self.needs_input_grad
        gx = Scatter.apply(grad, index=self.index, dim=self.dim, value=0) if need[0] else None
        if len(need) == 1:
            return gx
        return gx, (Gather.apply(grad, index=self.index, dim=self.dim) if need[1] else None)


class ScatterAdd(Primitive):
    """x plus src added along ``dim`` at index (repeats add up); src gets grad gathered."""

    name_ = "ScatterAddBackward0"

    def forward(self, x, src, index, dim):
        self.index, self.dim = index, dim
        out = x.copy()
        np.add.at(out, along(index, dim), _leading(src, index.shape))
        return out

    def backward(self, grad):
        need_x, need_src = self.needs_input_grad
        return (grad if need_x else None,
                Gather.apply(grad, index=self.index, dim=self.dim) if need_src else None)


class IndexSelect(Primitive):
    """slices of x along ``dim`` at index; the gradient is index-added back."""

    name_ = "IndexSelectBackward0"

    def forward(self, x, index, dim):
        self.in_shape, self.index, self.dim = x.shape, index, dim
        return np.take(x, index, axis=dim)

    def backward(self, grad):
        zeros = Tensor._make(np.zeros(self.in_shape, dtype=grad._data.dtype))
        return IndexAdd.apply(zeros, grad, index=self.index, dim=self.dim)


class IndexAdd(Primitive):
    """x plus alpha * source added along ``dim`` at index (repeats add up)."""

    name_ = "IndexAddBackward0"

    def forward(self, x, source, index, dim, alpha=1):
        self.index, self.dim, self.alpha = index, dim, alpha
        out = x.copy()
        np.add.at(out, (slice(None),) * dim + (index,), source if alpha == 1 else source * alpha)
        return out

    def backward(self, grad):
        need_x, need_source = self.needs_input_grad
        gs = None
        if need_source:
            gs = IndexSelect.apply(grad, index=self.index, dim=self.dim)
            gs = gs if self.alpha == 1 else gs * self.alpha
        return (grad if need_x else None), gs


# -- masks and flat indexing ---------------------------------------------------------------------
class MaskedFill(Primitive):
    """``value`` where mask holds, x elsewhere; x's gradient is zeroed under the mask and a
    0-d tensor value gets the sum of the masked gradient."""

    name_ = "MaskedFillBackward0"

    def forward(self, x, *value, mask, scalar=None):
        self.mask = mask
        if value:
            self.name_ = "MaskedFillBackward1"
        fill = np.asarray(value[0] if value else scalar).astype(x.dtype)
        return np.where(mask, fill, x)

    def backward(self, grad):
        need = self.needs_input_grad
        gx = MaskedFill.apply(grad, mask=self.mask, scalar=0) if need[0] else None
        if len(need) == 1:
            return gx
        gv = MaskedFill.apply(grad, mask=~self.mask, scalar=0).sum() if need[1] else None
        return gx, gv


class MaskedSelect(Primitive):
    """the elements of x (broadcast with mask) where mask holds, as a 1-D tensor."""

    name_ = "MaskedSelectBackward0"

    def forward(self, x, mask):
        xb, mb = np.broadcast_arrays(x, mask)
        self.key, self.shape = (np.flatnonzero(mb),), xb.shape
        return np.ravel(xb)[self.key]

    def backward(self, grad):
        flat = IndexAccumulate.apply(grad, key=self.key, shape=(int(np.prod(self.shape)),))
        return flat.reshape(self.shape)


class Take(Primitive):
    """x's elements at flat indices; the gradient is added back at them."""

    name_ = "TakeBackward0"

    def forward(self, x, index):
        self.in_shape, self.index = x.shape, index
        return np.ravel(x)[index]

    def backward(self, grad):
        flat = IndexAccumulate.apply(grad, key=(self.index,), shape=(int(np.prod(self.in_shape)),))
        return flat.reshape(self.in_shape)


def nonzero_rows(x: np.ndarray) -> np.ndarray:
    """The indices of the non-zero elements, one row each (int64, shape (n, ndim))."""
    if x.ndim == 0:
        return np.zeros((1 if x else 0, 0), dtype=np.int64)
    return np.argwhere(x).astype(np.int64, copy=False)


def nonzero_tuple(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """``nonzero(as_tuple=True)``: one int64 index array per dim (one for a 0-d input)."""
    if x.ndim == 0:
        return (np.zeros(1 if x else 0, dtype=np.int64),)
    return tuple(i.astype(np.int64, copy=False) for i in np.nonzero(x))


def long_index(index: np.ndarray) -> np.ndarray:
    """An index array as int64 (torch accepts int32 indices too)."""
    return index.astype(np.int64, copy=False)


def wrap_negative(index: np.ndarray, size: int) -> np.ndarray:
    """Indices counted from the end made non-negative, as int64."""
    index = index.astype(np.int64, copy=False)
    return np.where(index < 0, index + size, index) if (index < 0).any() else index


def apply_steps_array(x: np.ndarray, steps: list) -> np.ndarray:
    """An IndexPlan's view steps on a bare array (for writes that record nothing)."""
    for step in steps:
        x = np.expand_dims(x, step[1]) if step[0] == "unsqueeze" else x[step_key(step)]
    return x


def indexed_shape(shape: tuple, key: tuple) -> tuple[int, ...]:
    """The shape of ``x[key]`` for an advanced key, without indexing (NumPy's placement rule:
    the broadcast index shape replaces adjacent indexed dims, else goes first)."""
    where = [i for i, k in enumerate(key) if not isinstance(k, slice)]
    index_shape = np.broadcast_shapes(*(key[i].shape for i in where))
    if where == list(range(where[0], where[-1] + 1)):
        return tuple(shape[:where[0]]) + index_shape + tuple(shape[where[-1] + 1:])
    return index_shape + tuple(s for i, s in enumerate(shape) if i not in where)
