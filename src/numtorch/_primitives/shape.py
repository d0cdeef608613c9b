"""Shape primitives. Most return NumPy views, so outputs share memory with the input.

The composites mark those outputs as views (``_composites._util.as_view``); copies (flip,
roll, repeat, cat, stack) are ordinary results.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.engine import validate
from ..autograd.grad_mode import _GradState
from ..autograd.graph import Node, gradient_edge
from ._base import Primitive


class View(Primitive):
    """reshape without copying; the gradient is reshaped back."""

    name_ = "ViewBackward0"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return np.reshape(x, shape, copy=False)  # raises ValueError when a copy is needed

    def backward(self, grad):
        return grad.reshape(self.in_shape)

    def backward_np(self, grad):
        return np.reshape(grad, self.in_shape)


class UnsafeView(Primitive):
    """reshape of a fresh copy (torch's ``clone`` + ``_unsafe_view``); not a view."""

    name_ = "UnsafeViewBackward0"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return np.reshape(x, shape)

    def backward(self, grad):
        return grad.reshape(self.in_shape)

    def backward_np(self, grad):
        return np.reshape(grad, self.in_shape)


class Expand(Primitive):
    """broadcast to a larger shape (a read-only view); the gradient is summed back."""

    name_ = "ExpandBackward0"

    def forward(self, x, shape):
        return np.broadcast_to(x, shape)

    def backward(self, grad):
        return grad  # the engine's sum_to reduces it to the input's shape

    def backward_np(self, grad):
        return grad


class Permute(Primitive):
    """reorder dims; the gradient is permuted back."""

    name_ = "PermuteBackward0"

    def forward(self, x, dims):
        self.dims = dims
        return np.transpose(x, dims)

    def backward(self, grad):
        return grad.permute(tuple(int(d) for d in np.argsort(self.dims)))

    def backward_np(self, grad):
        return np.transpose(grad, np.argsort(self.dims))


class Transpose(Primitive):
    """swap two dims; the gradient swaps them back."""

    name_ = "TransposeBackward0"

    def forward(self, x, dim0, dim1):
        self.dims = (dim0, dim1)
        return np.swapaxes(x, dim0, dim1)

    def backward(self, grad):
        return grad.transpose(*self.dims)

    def backward_np(self, grad):
        return np.swapaxes(grad, *self.dims)


class Unsqueeze(Primitive):
    """insert a size-1 dim; the gradient drops it."""

    name_ = "UnsqueezeBackward0"

    def forward(self, x, dim):
        self.dim = dim
        return np.expand_dims(x, dim)

    def backward(self, grad):
        return grad.squeeze(self.dim)

    def backward_np(self, grad):
        return np.squeeze(grad, axis=self.dim)


class Squeeze(Primitive):
    """drop size-1 dims; the gradient is reshaped back. ``name`` tells torch's three overloads
    apart (all dims, one dim, a tuple of dims)."""

    def forward(self, x, dims, name):
        self.in_shape, self.name_ = x.shape, name
        return np.squeeze(x, axis=dims)

    def backward(self, grad):
        return grad.reshape(self.in_shape)

    def backward_np(self, grad):
        return np.reshape(grad, self.in_shape)


class Flip(Primitive):
    """reverse dims (a copy, as in torch); the gradient is flipped back."""

    name_ = "FlipBackward0"

    def forward(self, x, dims):
        self.dims = dims
        return np.flip(x, dims).copy()  # a C-ordered copy (0-d stays 0-d)

    def backward(self, grad):
        return grad.flip(self.dims)


class Roll(Primitive):
    """shift elements cyclically; the gradient is rolled back."""

    name_ = "RollBackward0"

    def forward(self, x, shifts, dims):
        self.shifts, self.dims = shifts, dims
        return np.roll(x, shifts, axis=dims)

    def backward(self, grad):
        return grad.roll(tuple(-s for s in self.shifts), self.dims)


class Repeat(Primitive):
    """tile ``x`` ``repeats`` times per dim; the gradient sums the tiles."""

    name_ = "RepeatBackward0"

    def forward(self, x, repeats):
        self.in_shape, self.repeats = x.shape, repeats
        return np.tile(x, repeats)

    def backward(self, grad):
        shape = (1,) * (len(self.repeats) - len(self.in_shape)) + self.in_shape
        split = [n for pair in zip(self.repeats, shape) for n in pair]  # (r0, s0, r1, s1, ...)
        summed = grad.reshape(split).sum(tuple(range(0, len(split), 2)))
        return summed.reshape(self.in_shape)


def _legacy_empty(a: np.ndarray) -> bool:
    """torch.cat skips 1-D empty tensors whatever the other shapes (legacy behaviour)."""
    return a.ndim == 1 and a.shape[0] == 0


class Cat(Primitive):
    """join along ``dim``; each input gets its slice of the gradient."""

    name_ = "CatBackward0"

    def forward(self, *arrays, dim):
        self.legacy = [_legacy_empty(a) for a in arrays]
        kept = [a for a, skip in zip(arrays, self.legacy) if not skip] or list(arrays[:1])
        self.dim, self.sizes = dim, [0 if skip else a.shape[dim]
                                     for a, skip in zip(arrays, self.legacy)]
        return np.concatenate(kept, axis=dim)

    def backward(self, grad):
        out, start = [], 0
        for need, size, legacy in zip(self.needs_input_grad, self.sizes, self.legacy):
            if not need:
                out.append(None)
            elif legacy:  # a skipped 1-D empty input gets an empty gradient
                out.append(Tensor._make(np.zeros((0,), dtype=grad._data.dtype)))
            else:
                out.append(grad.narrow(self.dim, start, size))
            start += size
        return tuple(out)


class Stack(Primitive):
    """join along a new ``dim``; each input gets its slice of the gradient."""

    name_ = "StackBackward0"

    def forward(self, *arrays, dim):
        self.dim = dim
        return np.stack(arrays, axis=dim)

    def backward(self, grad):
        return tuple(grad.select(self.dim, i) if need else None
                     for i, need in enumerate(self.needs_input_grad))


class Diagonal(Primitive):
    """a diagonal as a writable view; the gradient is written back onto the diagonal."""

    name_ = "DiagonalBackward0"

    def forward(self, x, offset, dim1, dim2):
        self.in_shape, self.args = x.shape, (offset, dim1, dim2)
        return diagonal_view(x, offset, dim1, dim2)

    def backward(self, grad):
        return DiagonalEmbed.apply(grad, shape=self.in_shape, args=self.args)


class DiagonalEmbed(Primitive):
    """zeros of ``shape`` with ``x`` on a diagonal (the adjoint of Diagonal)."""

    name_ = "DiagonalBackwardBackward0"

    def forward(self, x, shape, args):
        self.args = args
        out = np.zeros(shape, dtype=x.dtype)
        diagonal_view(out, *args)[...] = x
        return out

    def backward(self, grad):
        return Diagonal.apply(grad, offset=self.args[0], dim1=self.args[1], dim2=self.args[2])


def diagonal_view(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """np.diagonal as a view that stays writable when ``x`` is (NumPy's is read-only)."""
    rest = [d for d in range(x.ndim) if d not in (dim1, dim2)]
    start = [slice(None)] * x.ndim
    start[dim2 if offset >= 0 else dim1] = slice(abs(offset), None)
    sub = x[tuple(start)]
    n = max(0, min(sub.shape[dim1], sub.shape[dim2]))
    shape = tuple(x.shape[d] for d in rest) + (n,)
    strides = tuple(sub.strides[d] for d in rest) + (sub.strides[dim1] + sub.strides[dim2],)
    return np.lib.stride_tricks.as_strided(sub, shape, strides)


class MultiOutput(Primitive):
    """A primitive with several outputs (split, unbind): ``forward`` returns a list of arrays,
    ``backward(*grads)`` gets one gradient per output (None for outputs that got none)."""

    @classmethod
    def apply(cls, *inputs: Tensor, **params) -> tuple[Tensor, ...]:
        node = cls()
        record = _GradState.enabled and any(t._requires_grad for t in inputs)
        if record:
            node.needs_input_grad = tuple(t._requires_grad for t in inputs)
        outs = node.forward(*(t._data for t in inputs), **params)
        if not record or inputs[0]._data.dtype.kind != "f":
            return tuple(Tensor._make(o) for o in outs)
        node.n_outputs = len(outs)
        node.next_functions = tuple(gradient_edge(t) for t in inputs)
        node._input_meta = tuple((t._data.shape, t._data.dtype) for t in inputs)
        node.out_meta = [(o.shape, o.dtype) for o in outs]
        return tuple(Tensor._make(o, True, node, i) for i, o in enumerate(outs))

    def _backward(self, *grads: Tensor | None) -> tuple:
        from .._creation import zeros

        filled = [g if g is not None else zeros(shape, dtype=_np_to_dtype(dt))
                  for g, (shape, dt) in zip(grads, self.out_meta)]
        return (self.backward(*filled),)


def _np_to_dtype(np_dtype: np.dtype):
    from .._dtype import from_numpy_dtype

    return from_numpy_dtype(np_dtype)


class Split(MultiOutput):
    """consecutive pieces of ``sizes`` along ``dim`` (views); the gradients are concatenated."""

    name_ = "SplitBackward0"

    def forward(self, x, dim, sizes, name):
        self.dim, self.name_ = dim, name
        bounds = np.cumsum((0,) + tuple(sizes))
        lead = (slice(None),) * dim
        return [x[lead + (slice(int(a), int(b)),)] for a, b in zip(bounds[:-1], bounds[1:])]

    def backward(self, *grads):
        from .._functions import cat

        return cat(grads, self.dim)


class Unbind(MultiOutput):
    """every slice along ``dim`` (views); the gradients are stacked."""

    name_ = "UnbindBackward0"

    def forward(self, x, dim):
        self.dim = dim
        lead = (slice(None),) * dim
        return [x[lead + (i, ...)] for i in range(x.shape[dim])]

    def backward(self, *grads):
        from .._functions import stack

        return stack(grads, self.dim)


# -- in-place writes through views ------------------------------------------------------------
# NOTE [ In-place on views ]
# A view shares memory with its root base (``view._base``). When an in-place op writes through
# a view of a base that takes part in autograd, the base's old graph no longer describes its
# values: inside the view's region they now come from the in-place op. As in torch, the base
# gets a new grad_fn, ``CopySlices``, which splits the base's gradient: the region goes
# through the op's node (``fn``), the rest through the base's previous grad_fn. Every live
# view of that base then gets an ``AsStridedBackward0`` node reading its region out of the
# base's new gradient (``_composites._util._refresh_views``).
#
# The region is found from memory, not from a recorded chain of view ops: NumPy views address
# the base's buffer, so each view element's byte offset, mapped back to the base's elements,
# gives its flat (C-order) index in the base (``region_index``). This works for any view,
# however it was made (slicing, reshape, permute, diagonal, linalg's t...).
#
# ``fn``'s first input is normally the view's old value (``inplace`` passes a private copy
# wired to the view's grad_fn). Like torch, CopySlices then drops that edge and writes the
# gradient fn returns for it straight into the region; fn's other inputs become CopySlices'
# next_functions. When fn's first input is something else, all of fn's edges are kept and the
# region of the base's gradient is simply zeroed (same gradients, one node more).

def _byte_offsets(a: np.ndarray) -> np.ndarray:
    """The byte offset of every element of ``a`` from its first element, in ``a``'s shape."""
    off = np.zeros(a.shape, dtype=np.intp)
    for d, (n, s) in enumerate(zip(a.shape, a.strides)):
        shape = [1] * a.ndim
        shape[d] = n
        off = off + (np.arange(n, dtype=np.intp) * s).reshape(shape)
    return off


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def region_index(view: np.ndarray, root: np.ndarray) -> np.ndarray:
    """For each element of ``view`` (an array in ``root``'s memory) its flat index in ``root``."""
    offsets = _byte_offsets(view) + (_address(view) - _address(root))
    if root.flags.c_contiguous:
        return offsets // root.itemsize
    root_offsets = _byte_offsets(root).ravel()
    order = np.argsort(root_offsets, kind="stable")
    pos = np.searchsorted(root_offsets[order], offsets)
    return order[np.minimum(pos, max(root_offsets.size - 1, 0))]


def in_memory_of(view: np.ndarray, root: np.ndarray) -> bool:
    """Whether ``view`` still lies in ``root``'s buffer (``.data =`` can swap a base's)."""
    return view.size == 0 or np.may_share_memory(view, root)


def _overlapping(view: np.ndarray) -> bool:
    """Whether two elements of ``view`` share memory (an expanded view)."""
    return any(s == 0 and n > 1 for n, s in zip(view.shape, view.strides))


class Region:
    """Where a view sits in its root base: computed from the arrays, when first needed."""

    __slots__ = ("view", "root", "_index")

    def __init__(self, view: np.ndarray, root: np.ndarray) -> None:
        self.view, self.root, self._index = view, root, None

    @property
    def index(self) -> np.ndarray:
        if self._index is None:
            self._index = region_index(self.view, self.root)
        return self._index

    @property
    def shape(self) -> tuple:
        return self.root.shape


class TakeRegion(Primitive):
    """the elements of a base-shaped tensor that a view covers (as_strided)."""

    name_ = "AsStridedBackward0"

    def forward(self, x, region):
        self.region = region
        return np.ravel(x)[region.index]

    def backward(self, grad):
        return PutRegion.apply(grad, region=self.region)


class PutRegion(Primitive):
    """zeros of the base's shape with ``x`` written over a view's region."""

    name_ = "AsStridedScatterBackward0"

    def forward(self, x, region):
        self.region = region
        out = np.zeros(int(np.prod(region.shape)), dtype=x.dtype)
        if _overlapping(region.view):  # an expanded view: repeated elements accumulate
            np.add.at(out, region.index.ravel(), np.ravel(x))
        else:
            out[region.index] = x
        return out.reshape(region.shape)

    def backward(self, grad):
        return TakeRegion.apply(grad, region=self.region)


class ReplaceRegion(Primitive):
    """``base`` with a view's region replaced by ``src`` (zeros when no src is given)."""

    name_ = "CopySlicesBackward0"

    def forward(self, base, *src, region):
        self.region = region
        out = np.array(base, order="C", copy=True)
        out.reshape(-1)[region.index] = src[0] if src else 0
        return out

    def backward(self, grad):
        need_base = self.needs_input_grad[0]
        base = ReplaceRegion.apply(grad, region=self.region) if need_base else None
        if len(self.needs_input_grad) == 1:
            return base
        return base, (TakeRegion.apply(grad, region=self.region)
                      if self.needs_input_grad[1] else None)


class AsStridedView(Node):
    """The grad_fn a view gets once its base was written in place: its region of the base's
    gradient, as a base-shaped tensor."""

    name_ = "AsStridedBackward0"

    def __init__(self, root: Tensor, view: Tensor) -> None:
        self.next_functions = (gradient_edge(root),)
        self._input_meta = ((root._data.shape, root._data.dtype),)
        self.region = Region(view._data, root._data)

    def _backward(self, grad: Tensor) -> tuple:
        return (PutRegion.apply(grad, region=self.region),)


class CopySlices(Node):
    """The grad_fn of a base after an in-place op wrote through one of its views (see
    NOTE [ In-place on views ]): the view's region goes through ``fn``, the rest to the
    base's previous grad_fn."""

    name_ = "torch::autograd::CopySlices"

    def __init__(self, root: Tensor, view: Tensor, result: Tensor) -> None:
        fn = result.grad_fn if result._requires_grad else None
        self.fn, self.fn_nr = fn, result._output_nr
        self.region = Region(view._data, root._data)
        fn_edges, fn_meta = (fn.next_functions, fn._input_meta) if fn is not None else ((), ())
        self.drop_self = bool(fn_edges) and (fn_edges[0][0] is None or
                                             fn_edges[0] == gradient_edge(view))
        skip = 1 if self.drop_self else 0
        self.next_functions = (gradient_edge(root),) + tuple(fn_edges[skip:])
        self._input_meta = ((root._data.shape, root._data.dtype),) + tuple(fn_meta[skip:])

    def _backward(self, grad: Tensor) -> tuple:
        if self.fn is None:
            return (ReplaceRegion.apply(grad, region=self.region),)
        grads = [None] * self.fn.n_outputs
        grads[self.fn_nr] = TakeRegion.apply(grad, region=self.region)
        fn_grads = validate(self.fn, self.fn._backward(*grads))
        if not self.drop_self:
            return (ReplaceRegion.apply(grad, region=self.region), *fn_grads)
        own = fn_grads[0] if self.fn.next_functions[0][0] is not None else None
        base = ReplaceRegion.apply(grad, *(() if own is None else (own,)), region=self.region)
        return (base, *fn_grads[1:])

    def _release(self) -> None:
        if self.fn is not None:
            self.fn._release()
