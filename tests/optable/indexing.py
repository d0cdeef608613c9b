"""Op-table entries: indexing (``t[key]``, ``t[key] = v``, in-place writes through views),
gather/scatter, index_select/index_add/index_put, masked_fill/masked_select, take, nonzero.

Index tensors come from ``index_inputs`` (int64, never differentiated). Assignments need
statements, so they are small functions; each works on ``a * 1`` (a non-leaf) and returns the
written tensor, so gradients flow through CopySlices / IndexPutBackward0 to both inputs.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec

ALL_DTYPES = FLOATS + ("int64", "int32", "bool")
ND1 = [((3, 4),), ((2, 0),), ((2, 3, 4),), ((5,),)]
ND2 = [((3, 4),), ((2, 3, 4),), ((4, 1),)]
ND3 = [((2, 3, 4),), ((3, 2, 2),)]


def _rows(n: int, size_dim: int = 0, negative: bool = True):
    """index_inputs entry: ``n`` indices (with repeats, and negative ones where the op counts
    from the end) into dim ``size_dim`` of input 0."""
    def make(rng, shapes):
        size = shapes[0][size_dim]
        return rng.integers(-size if negative else 0, size, size=n)
    return make


def _along(dim: int, keep: int = 0):
    """index_inputs entry for gather/scatter: input 0's shape, ``keep`` shorter along ``dim``
    and repeats allowed."""
    def make(rng, shapes):
        shape = list(shapes[0])
        size = shape[dim]
        shape[dim] = max(1, size - keep) if size else 0
        return rng.integers(0, max(size, 1), size=shape)
    return make


def _unique_along(dim: int):
    """Indices along ``dim`` without repeats (a permutation per position): scatter's result
    with repeats depends on write order, so torch and numtorch may differ."""
    def make(rng, shapes):
        shape = shapes[0]
        idx = np.argsort(rng.random(shape), axis=dim)
        return idx
    return make


def _flat(n: int):
    def make(rng, shapes):
        size = int(np.prod(shapes[0]))
        return rng.integers(-size, size, size=n)
    return make


# -- assignments ---------------------------------------------------------------------------
def _set_row(lib, a, b):
    y = a * 1
    y[1] = b
    return y


def _set_slice_scalar(lib, a):
    y = a * 1
    y[:, 1:] = 2.5
    return y


def _set_broadcast(lib, a, b):
    y = a * 1
    y[..., 1:3] = b
    return y


def _set_all(lib, a, b):
    y = a * 1
    y[...] = b
    return y


def _set_index(lib, a, b):
    y = a * 1
    y[[0, 2]] = b
    return y


def _set_mask(lib, a):
    y = a * 1
    y[y > 0] = 0.0
    return y


def _set_mask_tensor(lib, a, b):
    y = a * 1
    y[a[:, 0] > 0] = b
    return y


def _set_mixed(lib, a, b):
    y = a * 1
    y[0, [1, 0]] = b
    return y


def _set_tensor_index(lib, a, b, i):
    y = a * 1
    y[i] = b
    return y


def _iadd_row(lib, a):
    y = a * 1
    y[0] += 1
    y[:, -1] *= y[:, 0].clone()  # a view of y itself would be saved, then modified: an error
    return y


def _inplace_view(lib, a):
    y = a * 1
    v = y[1:]
    v.mul_(2)
    return y, v


def _inplace_view_of_view(lib, a, b):
    y = a * 2
    v = y.view(-1)[1:5]
    v.add_(b)
    return y, v


def _inplace_transposed(lib, a):
    y = a * 1
    y.t()[0].mul_(3.0)
    return y


def _base_then_view(lib, a):
    y = a * 1
    v = y[0]
    y.mul_(3)
    return v


def _write_through_setitem_view(lib, a, b):
    y = a * 1
    v = y[:, :2]
    v[1] = b
    return y, v


OPS: list[OpSpec] = [
    # reading
    OpSpec("getitem_int", lambda lib, a: a[0], ND1, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("getitem_negative", lambda lib, a: a[-1, ...], ND1),
    OpSpec("getitem_slice", lambda lib, a: a[:, 1:], ND2, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("getitem_step", lambda lib, a: a[::2, None, 1:], ND2),
    OpSpec("getitem_lone_slice", lambda lib, a: a[:], ND1),
    OpSpec("getitem_ellipsis", lambda lib, a: a[..., 0], [((3, 4),), ((2, 3, 4),), ((5,),)]),
    OpSpec("getitem_none", lambda lib, a: a[None, ..., None], [((3, 4),), ((),)]),
    OpSpec("getitem_empty_tuple", lambda lib, a: a[()], [((3, 4),), ((),)]),
    OpSpec("getitem_list", lambda lib, a: a[[0, 2, 0]], [((3, 4),), ((3,),)], dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("getitem_index_tensor", lambda lib, a, i: a[i], [((4, 3), (5,)), ((4,), (2, 3))],
           index_inputs={1: _rows(6)}, gradgradcheck=True),
    OpSpec("getitem_index_2d", lambda lib, a, i: a[:, i], [((3, 4), (2, 2))],
           index_inputs={1: lambda rng, s: rng.integers(0, 4, size=(2, 2))}),
    OpSpec("getitem_mask", lambda lib, a: a[a > 0], ND1 + [((),)], dtypes=FLOATS + ("int64",),
           gradgradcheck=True),
    OpSpec("getitem_row_mask", lambda lib, a: a[a[:, 0] > 0], [((4, 3),)]),
    OpSpec("getitem_two_lists", lambda lib, a: a[[0, 1, 1], [2, 0, 2]], [((3, 4),)]),
    OpSpec("getitem_split_advanced", lambda lib, a: a[[1, 0], :, [0, 1]], ND3),
    OpSpec("getitem_int_then_list", lambda lib, a: a[0, :, [1, 0]], ND3),
    OpSpec("getitem_bool_scalar", lambda lib, a: a[True], [((3, 4),), ((),)]),
    OpSpec("getitem_false", lambda lib, a: a[False], [((3,),)]),
    OpSpec("getitem_mixed_none", lambda lib, a: a[:, None, [0, 1], None, 0], [((4, 3, 5),)]),
    # assignment
    OpSpec("setitem_row", _set_row, [((3, 4), (4,)), ((3, 4), (1, 4)), ((3,), ())],
           n_inputs=2, gradgradcheck=True),
    OpSpec("setitem_slice_scalar", _set_slice_scalar, [((3, 4),), ((2, 1),)],
           gradgradcheck=True),
    OpSpec("setitem_broadcast", _set_broadcast, [((3, 4), (3, 1)), ((2, 3, 4), (2,))],
           n_inputs=2),
    OpSpec("setitem_all", _set_all, [((3, 4), (4,)), ((), ())], n_inputs=2),
    OpSpec("setitem_index", _set_index, [((3, 4), (4,)), ((3, 4), (2, 4)), ((3,), ())],
           n_inputs=2, gradgradcheck=True),
    OpSpec("setitem_mask", _set_mask, ND1),
    OpSpec("setitem_mask_tensor", _set_mask_tensor, [((4, 3), (3,))], n_inputs=2),
    OpSpec("setitem_mixed", _set_mixed, [((3, 4), ()), ((3, 4), (2,))], n_inputs=2),
    OpSpec("setitem_index_tensor", _set_tensor_index, [((5, 3), (3,), (2,))],
           index_inputs={2: lambda rng, s: rng.permutation(5)[:2]}, n_inputs=3),
    # in-place through views (CopySlices, AsStridedBackward0)
    OpSpec("iadd_row", _iadd_row, [((3, 4),), ((2, 2),)], gradgradcheck=True),
    OpSpec("inplace_on_view", _inplace_view, [((3, 4),), ((2,),)], gradgradcheck=True),
    OpSpec("inplace_view_of_view", _inplace_view_of_view, [((2, 3), (4,)), ((3, 2), ())],
           n_inputs=2, gradgradcheck=True),
    OpSpec("inplace_transposed_view", _inplace_transposed, [((3, 4),)]),
    OpSpec("inplace_base_then_view", _base_then_view, [((3, 4),)]),
    OpSpec("setitem_through_view", _write_through_setitem_view, [((3, 4), (2,))], n_inputs=2),
    # gather / scatter
    OpSpec("gather", lambda lib, a, i: a.gather(1, i), [((3, 4), ()), ((2, 3, 4), ())],
           index_inputs={1: _along(1, keep=1)}, gradgradcheck=True),
    OpSpec("gather_fn_dim0", lambda lib, a, i: lib.gather(a, 0, i), [((3, 4), ())],
           index_inputs={1: _along(0, keep=-2)}),
    OpSpec("gather_0d", lambda lib, a, i: a.gather(0, i), [((), ())],
           index_inputs={1: lambda rng, s: np.array(0)}),
    OpSpec("scatter_src", lambda lib, a, i, b: a.scatter(1, i, b),
           [((3, 4), (), (3, 4)), ((2, 4), (), (2, 4))], index_inputs={1: _unique_along(1)},
           gradgradcheck=True),
    OpSpec("scatter_value", lambda lib, a, i: lib.scatter(a, 0, i, 1.5), [((3, 4), ())],
           index_inputs={1: _along(0)}),
    OpSpec("scatter_value_kw", lambda lib, a, i: a.scatter(0, i, value=-1), [((3, 4), ())],
           index_inputs={1: _along(0, keep=1)}),
    OpSpec("scatter_add", lambda lib, a, i, b: a.scatter_add(0, i, b),
           [((3, 4), (), (3, 4)), ((2, 3, 4), (), (2, 3, 4))], index_inputs={1: _along(0)},
           gradgradcheck=True),
    OpSpec("scatter_add_fn", lambda lib, a, i, b: lib.scatter_add(a, 1, i, b),
           [((3, 4), (), (3, 2))], index_inputs={1: _along(1, keep=2)}),
    # index_select / index_add / index_put / take
    OpSpec("index_select", lambda lib, a, i: a.index_select(0, i), [((4, 3), ()), ((4,), ())],
           index_inputs={1: _rows(5, negative=False)}, dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("index_select_fn_dim", lambda lib, a, i: lib.index_select(a, -1, i),
           [((3, 4), ())], index_inputs={1: _rows(3, 1, negative=False)}),
    OpSpec("index_add", lambda lib, a, i, b: a.index_add(0, i, b), [((4, 3), (), (5, 3))],
           index_inputs={1: _rows(5, negative=False)}, gradgradcheck=True),
    OpSpec("index_add_alpha", lambda lib, a, i, b: lib.index_add(a, 1, i, b, alpha=2.0),
           [((3, 4), (), (3, 2))], index_inputs={1: _rows(2, 1, negative=False)}),
    OpSpec("index_put", lambda lib, a, i, b: a.index_put((i,), b), [((5, 3), (), (3,))],
           index_inputs={1: lambda rng, s: rng.permutation(5)[:3]}),
    OpSpec("index_put_accumulate", lambda lib, a, i, b: lib.index_put(a, (i,), b, True),
           [((5, 3), (), (3,))], index_inputs={1: _rows(4)}, gradgradcheck=True),
    OpSpec("take", lambda lib, a, i: a.take(i), [((3, 4), ()), ((5,), ())],
           index_inputs={1: _flat(6)}, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("take_fn", lambda lib, a, i: lib.take(a, i), [((3, 4), ())],
           index_inputs={1: lambda rng, s: rng.integers(0, 12, size=(2, 2))}),
    # masks
    OpSpec("masked_fill", lambda lib, a: a.masked_fill(a > 0, 2.0), ND1 + [((),)],
           dtypes=ALL_DTYPES[:-1], hypothesis="unary", gradgradcheck=True),
    OpSpec("masked_fill_broadcast", lambda lib, a: lib.masked_fill(a, a[0] > 0, -1), ND2),
    OpSpec("masked_fill_tensor", lambda lib, a, b: a.masked_fill(a < 0, b), [((3, 4), ())],
           n_inputs=2, gradgradcheck=True),
    OpSpec("masked_select", lambda lib, a: a.masked_select(a > 0), ND1 + [((),)],
           dtypes=ALL_DTYPES[:-1], hypothesis="unary", gradgradcheck=True),
    OpSpec("masked_select_broadcast", lambda lib, a, b: lib.masked_select(a, b > 0),
           [((3, 4), (4,)), ((4,), (3, 4))], n_inputs=2),
    OpSpec("nonzero", lambda lib, a: (a > 0).nonzero(), ND1 + [((),)], hypothesis="unary"),
    OpSpec("nonzero_tuple", lambda lib, a: lib.nonzero(a > 0, as_tuple=True), ND1 + [((),)]),
    OpSpec("argwhere", lambda lib, a: lib.argwhere(a), ND1, dtypes=("int64", "bool")),
    OpSpec("where_single", lambda lib, a: lib.where(a > 0), ND1),
]
