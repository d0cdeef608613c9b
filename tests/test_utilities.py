"""Targeted tests for the tutorial utilities (``_composites/utilities*.py``): torch's errors
(type and message), keyword names, defaults, warnings, views, ``out=`` and dtype results.
Values and gradients over shapes and dtypes are in the op table (tests/optable/utilities.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def _both(fn):
    """``fn`` on numtorch and on torch, with results as nested lists (bools, ints, floats)."""
    torch = require_torch()
    return _plain(fn(numtorch)), _plain(fn(torch))


def _plain(x):
    if isinstance(x, (tuple, list)):
        return [_plain(v) for v in x]
    if hasattr(x, "tolist"):
        return (str(x.dtype).replace("torch.", ""), tuple(x.shape), _plain(x.tolist()))
    return "nan" if isinstance(x, float) and x != x else x  # NaN compares equal to NaN here


def _raises_like(fn):
    torch = require_torch()
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(numtorch)
    assert str(ours.value) == str(theirs.value)


# -- isclose / allclose / isin / isreal ----------------------------------------------------------
def _pair(lib):
    nan, inf = float("nan"), float("inf")
    return lib.tensor([1.0, 2.0, nan, inf, -inf]), lib.tensor([1.0 + 1e-9, 2.1, nan, inf, inf])


SAME = [
    lambda lib: lib.isclose(*_pair(lib)),
    lambda lib: lib.isclose(*_pair(lib), equal_nan=True),
    lambda lib: _pair(lib)[0].isclose(_pair(lib)[1], rtol=0.1),
    lambda lib: lib.isclose(input=_pair(lib)[0], other=_pair(lib)[1], rtol=1e-5, atol=1e-8,
                            equal_nan=False),
    lambda lib: lib.isclose(*_pair(lib), 1e-5, 1e-8, True),
    lambda lib: lib.allclose(*_pair(lib)),
    lambda lib: lib.allclose(_pair(lib)[0], _pair(lib)[0], equal_nan=True),
    lambda lib: _pair(lib)[0][:2].allclose(_pair(lib)[0][:2]),
    lambda lib: lib.allclose(lib.ones(2, 1), lib.ones(3)),
    lambda lib: lib.isclose(lib.tensor([1, 2]), lib.tensor([1, 3]), atol=1),
    lambda lib: lib.isclose(lib.tensor([1], dtype=lib.uint8), lib.tensor([3], dtype=lib.uint8),
                            atol=2),
    lambda lib: lib.isclose(lib.tensor([3]), lib.tensor([2]), rtol=0.5, atol=0),
    lambda lib: lib.isclose(lib.tensor([True, False]), lib.tensor([True, True])),
    lambda lib: lib.isclose(lib.tensor([1e10]), lib.tensor([1.00001e10])),
    lambda lib: lib.isclose(lib.tensor([-1.931], dtype=lib.float16),
                            lib.tensor([-1.928], dtype=lib.float16), rtol=1e-3, atol=1e-3),
    lambda lib: lib.isclose(lib.tensor(1.0), lib.tensor([1.0, 2.0])),
    lambda lib: lib.isclose(lib.tensor([3.0], requires_grad=True), lib.tensor([3.0])),
    lambda lib: lib.isin(lib.tensor([[1, 2], [3, 4]]), lib.tensor([2, 3])),
    lambda lib: lib.isin(lib.tensor([[1, 2], [3, 4]]), lib.tensor([2, 3]), invert=True),
    lambda lib: lib.isin(lib.tensor([[1, 2], [3, 4]]), 2),
    lambda lib: lib.isin(3, lib.tensor([[1, 2], [3, 4]])),
    lambda lib: lib.isin(lib.tensor([1, 2]), lib.tensor([2.0, 3.5])),
    lambda lib: lib.isin(lib.tensor([1.0, float("nan")]), lib.tensor([float("nan")])),
    lambda lib: lib.isin(elements=lib.tensor([1, 2]), test_elements=lib.tensor([2]),
                         assume_unique=True),
    lambda lib: lib.isreal(lib.tensor([1.0, float("nan")])),
    lambda lib: lib.tensor([[1, 2]]).isreal(),
]


@pytest.mark.parametrize("fn", SAME)
def test_comparisons_match_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


def test_isin_out():
    out = numtorch.empty(3, dtype=numtorch.bool)
    got = numtorch.isin(numtorch.tensor([1, 2, 3]), numtorch.tensor([2]), out=out)
    assert got is out and out.tolist() == [False, True, False]


def test_isclose_result_is_bool_without_graph():
    out = numtorch.isclose(numtorch.ones(2, requires_grad=True), numtorch.ones(2))
    assert out.dtype is numtorch.bool and not out.requires_grad
    for dtype in (numtorch.float16, numtorch.float32, numtorch.int64):
        zero_d = numtorch.isclose(numtorch.tensor(1, dtype=dtype), numtorch.tensor(1, dtype=dtype))
        assert zero_d.shape == () and zero_d._data.__class__.__name__ == "ndarray"
    assert type(numtorch.allclose(numtorch.ones(2), numtorch.ones(2))) is bool


@pytest.mark.parametrize("fn", [
    lambda lib: lib.isclose(lib.ones(2), lib.ones(2, dtype=lib.float64)),
    lambda lib: lib.isclose(lib.ones(2), lib.tensor([1, 2])),
    lambda lib: lib.isclose(lib.ones(2), 1.0),
    lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol=-1),
    lambda lib: lib.isclose(lib.ones(2), lib.ones(2), atol=-1),
    lambda lib: lib.isclose(lib.ones(1), lib.ones(2, dtype=lib.float64), rtol=-1),
    lambda lib: lib.isclose(lib.ones(2), lib.ones(3)),
    lambda lib: lib.allclose(lib.ones(2), lib.ones(3)),
    lambda lib: lib.allclose(lib.ones(2), 1.0),
    lambda lib: lib.isin(lib.tensor([1]), lib.tensor([True])),
    lambda lib: lib.isin(lib.tensor([True]), lib.tensor([1])),
    lambda lib: lib.isin(lib.tensor([1]), [1]),
    lambda lib: lib.isin(2, 3),
    lambda lib: lib.isreal(3.0),
])
def test_comparison_errors_match_torch(fn):
    _raises_like(fn)


# -- broadcasting, grids -------------------------------------------------------------------------
@pytest.mark.parametrize("shapes", [((2, 1), (3,)), (2, (3, 1)), (), ([2, 1], [1, 4]),
                                    ((2, 3), (4, 2, 1)), ((0,), (1,)), (None, (2,))])
def test_broadcast_shapes_matches_torch(shapes):
    torch = require_torch()
    ours, theirs = numtorch.broadcast_shapes(*shapes), torch.broadcast_shapes(*shapes)
    assert ours == theirs and isinstance(ours, numtorch.Size)


@pytest.mark.parametrize("shapes", [((2,), (3,)), ((-1,), (3,)), ((0,), (3,)), (1.5,), ((2,), 3),
                                    (-1,), ([2], [3])])
def test_broadcast_shapes_errors_match_torch(shapes):
    _raises_like(lambda lib: lib.broadcast_shapes(*shapes))


def test_broadcast_tensors_views_and_identity():
    x, y = numtorch.ones(2, 1, requires_grad=True), numtorch.ones(3)
    a, b = numtorch.broadcast_tensors(x, y)
    assert a.shape == b.shape == (2, 3) and a._base is x and b._base is y
    assert a.grad_fn.name() == "ExpandBackward0" and b.grad_fn is None
    assert a.stride() == (1, 0)
    same = numtorch.broadcast_tensors(x, x.detach())
    assert same[0] is x
    assert numtorch.broadcast_tensors() == ()


@pytest.mark.parametrize("fn", [
    lambda lib: lib.broadcast_tensors(lib.ones(2), lib.ones(3)),
    lambda lib: lib.broadcast_tensors(lib.ones(2), 1),
    lambda lib: lib.broadcast_tensors([lib.ones(2)]),
    lambda lib: lib.broadcast_tensors(lib.ones(2, 3), lib.ones(2, 1), lib.ones(4, 1, 1, 2)),
])
def test_broadcast_tensors_errors_match_torch(fn):
    _raises_like(fn)


def test_meshgrid_warns_without_indexing_as_torch():
    torch = require_torch()
    a = [1, 2, 3]
    with pytest.warns(UserWarning) as theirs:
        expected = torch.meshgrid(torch.tensor(a), torch.tensor([4, 5]))
    with pytest.warns(UserWarning) as ours:
        got = numtorch.meshgrid(numtorch.tensor(a), numtorch.tensor([4, 5]))
    assert str(theirs[0].message).startswith(str(ours[0].message))
    assert [g.tolist() for g in got] == [g.tolist() for g in expected]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numtorch.meshgrid(numtorch.tensor(a), indexing="ij")


def test_meshgrid_outputs_are_expanded_views():
    x = numtorch.ones(3, requires_grad=True)
    gx, gy = numtorch.meshgrid(x, numtorch.ones(2), indexing="xy")
    assert gx.shape == (2, 3) and gx.stride() == (0, 1) and gx._base is not None
    assert gx.grad_fn.name() == "ExpandBackward0"


@pytest.mark.parametrize("fn", [
    lambda lib: lib.meshgrid(lib.ones(3), lib.ones(2), indexing="foo"),
    lambda lib: lib.meshgrid(indexing="ij"),
    lambda lib: lib.meshgrid(lib.ones(2), lib.tensor([1, 2]), indexing="ij"),
    lambda lib: lib.cartesian_prod(),
    lambda lib: lib.cartesian_prod(lib.tensor([1, 2]), lib.ones(2)),
    lambda lib: lib.cartesian_prod(lib.ones(2, 2), lib.ones(2)),
    lambda lib: lib.cartesian_prod(lib.tensor(1), lib.ones(2)),
    lambda lib: lib.combinations(lib.ones(2, 2)),
    lambda lib: lib.combinations(lib.tensor(1.0)),
    lambda lib: lib.combinations(lib.ones(3), r=-1),
])
def test_grid_errors_match_torch(fn):
    _raises_like(fn)


def test_meshgrid_2d_input_error():
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        numtorch.meshgrid(numtorch.ones(2, 2), numtorch.ones(2), indexing="ij")


def test_cartesian_prod_and_combinations_edges():
    x = numtorch.ones(3, requires_grad=True)
    assert numtorch.cartesian_prod(x) is x
    for fn in (lambda lib: lib.combinations(lib.tensor([1, 2, 3]), r=0),
               lambda lib: lib.combinations(lib.tensor([1, 2, 3]), r=4),
               lambda lib: lib.combinations(lib.tensor([1, 2, 3]), 2, True),
               lambda lib: lib.combinations(input=lib.tensor([1.0]), r=2, with_replacement=False),
               lambda lib: lib.combinations(lib.tensor([]))):
        ours, theirs = _both(fn)
        assert ours == theirs


# -- block_diag, column_stack ----------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda lib: lib.block_diag(),
    lambda lib: lib.block_diag(lib.ones(2, dtype=lib.int64), lib.ones(1, 2)),
    lambda lib: lib.block_diag(lib.ones(1), lib.ones(1, dtype=lib.bool)),
    lambda lib: lib.block_diag(lib.ones(0, 2), lib.ones(2, 0)),
    lambda lib: lib.column_stack([lib.tensor(1.0), lib.tensor(2.0)]),
    lambda lib: lib.column_stack([lib.ones(3), lib.ones(3, dtype=lib.int32)]),
    lambda lib: lib.column_stack([lib.ones(2, 2, 2), lib.ones(2, 1, 2)]),
])
def test_matrix_builders_match_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


@pytest.mark.parametrize("fn", [
    lambda lib: lib.block_diag(lib.ones(2, 2, 2)),
    lambda lib: lib.block_diag([lib.ones(1)]),
    lambda lib: lib.column_stack([]),
    lambda lib: lib.column_stack(lib.ones(3)),
    lambda lib: lib.column_stack([lib.ones(3), lib.ones(2)]),
])
def test_matrix_builder_errors_match_torch(fn):
    _raises_like(fn)


def test_column_stack_out():
    out = numtorch.empty(3, 2)
    got = numtorch.column_stack([numtorch.ones(3), numtorch.zeros(3)], out=out)
    assert got is out and out.tolist() == [[1.0, 0.0]] * 3


# -- splits --------------------------------------------------------------------------------------
def _x(lib):
    return lib.arange(24.0).reshape(2, 3, 4)


@pytest.mark.parametrize("fn", [
    lambda lib: lib.tensor_split(_x(lib), 3, dim=2),
    lambda lib: lib.tensor_split(_x(lib), (1, 5), dim=2),
    lambda lib: lib.tensor_split(_x(lib), [3, 1], dim=2),
    lambda lib: lib.tensor_split(_x(lib), [-1], dim=2),
    lambda lib: lib.tensor_split(_x(lib), [], dim=2),
    lambda lib: lib.tensor_split(_x(lib), lib.tensor([1, 3]), dim=2),
    lambda lib: lib.tensor_split(_x(lib), lib.tensor(2), dim=2),
    lambda lib: lib.tensor_split(_x(lib), sections=2, dim=1),
    lambda lib: lib.tensor_split(_x(lib), indices=[1], dim=1),
    lambda lib: lib.tensor_split(_x(lib), tensor_indices_or_sections=lib.tensor([1]), dim=1),
    lambda lib: lib.hsplit(_x(lib), sections=3),
    lambda lib: lib.hsplit(_x(lib), indices=[1]),
    lambda lib: lib.hsplit(lib.arange(6.0), 3),
    lambda lib: _x(lib).vsplit([1]),
    lambda lib: _x(lib).dsplit(2),
])
def test_splits_match_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


@pytest.mark.parametrize("fn", [
    lambda lib: lib.tensor_split(_x(lib), lib.tensor([2.0]), dim=2),
    lambda lib: lib.tensor_split(_x(lib), lib.tensor([[2]]), dim=2),
    lambda lib: lib.tensor_split(_x(lib), 0),
    lambda lib: lib.tensor_split(_x(lib), -1),
    lambda lib: lib.tensor_split(lib.tensor(1.0), 2),
    lambda lib: lib.tensor_split(_x(lib), 2, 5),
    lambda lib: lib.hsplit(_x(lib), 2),
    lambda lib: lib.hsplit(_x(lib), 0),
    lambda lib: lib.hsplit(lib.arange(6.0), 4),
    lambda lib: lib.hsplit(lib.tensor(1.0), 1),
    lambda lib: lib.vsplit(_x(lib), 3),
    lambda lib: lib.vsplit(lib.arange(6.0), 2),
    lambda lib: lib.dsplit(lib.ones(2, 2), 2),
    lambda lib: lib.dsplit(_x(lib), 3),
])
def test_split_errors_match_torch(fn):
    _raises_like(fn)


def test_split_pieces_are_views():
    x = numtorch.arange(6.0).requires_grad_()
    pieces = numtorch.tensor_split(x * 1, 3)
    assert all(p._base is not None for p in pieces)
    assert [p.grad_fn.name() for p in pieces] == ["SliceBackward0"] * 3


# -- diag, diagflat, diag_embed, tril/triu_indices -----------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda lib: lib.diag(lib.tensor([1.0, 2.0]), 1),
    lambda lib: lib.diag(input=lib.tensor([1.0, 2.0]), diagonal=-1),
    lambda lib: lib.diag(lib.arange(12.0).reshape(3, 4), -5),
    lambda lib: lib.diag(lib.tensor([True, False])),
    lambda lib: lib.diag(lib.ones(0, 3)),
    lambda lib: lib.diagflat(lib.tensor(2.0)),
    lambda lib: lib.diagflat(input=lib.tensor([1, 2]), offset=1),
    lambda lib: lib.diag_embed(lib.arange(6.0).reshape(2, 3), offset=-1, dim1=0, dim2=2),
    lambda lib: lib.arange(6.0).reshape(2, 3).diag_embed(0, -1, -2),
    lambda lib: lib.tril_indices(4, 3, 1),
    lambda lib: lib.triu_indices(4, 3, -1),
    lambda lib: lib.tril_indices(3, 3, dtype=lib.int32),
    lambda lib: lib.tril_indices(0, 0),
    lambda lib: lib.triu_indices(3, 3, 5),
    lambda lib: lib.tril_indices(row=2, col=2, offset=0, dtype=lib.long, device="cpu"),
])
def test_diagonals_match_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


@pytest.mark.parametrize("fn", [
    lambda lib: lib.diag(lib.tensor(1.0)),
    lambda lib: lib.diag(lib.ones(2, 2, 2)),
    lambda lib: lib.diag_embed(lib.ones(3, 4), dim1=1, dim2=1),
    lambda lib: lib.diag_embed(lib.tensor(1.0)),
    lambda lib: lib.diag_embed(lib.ones(3, 4), dim1=3),
    lambda lib: lib.tril_indices(3, 3, dtype=lib.float32),
    lambda lib: lib.tril_indices(3, 3, dtype=lib.uint8),
    lambda lib: lib.triu_indices(3, 3, dtype=lib.bool),
    lambda lib: lib.tril_indices(-1, 3),
    lambda lib: lib.triu_indices(3, -1),
])
def test_diagonal_errors_match_torch(fn):
    _raises_like(fn)


def test_diag_of_matrix_is_a_copy_and_out_works():
    m = numtorch.arange(9.0).reshape(3, 3)
    d = numtorch.diag(m)
    assert d._base is None
    d[0] = 100.0
    assert m[0, 0].item() == 0.0
    out = numtorch.empty(2, 2)
    assert numtorch.diag(numtorch.tensor([1.0, 2.0]), out=out) is out
    assert out.tolist() == [[1.0, 0.0], [0.0, 2.0]]


# -- diff ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda lib: lib.diff(lib.tensor([1.0, 4.0, 9.0, 16.0]), 5),
    lambda lib: lib.diff(lib.tensor([True, False, False]), n=2),
    lambda lib: lib.diff(lib.tensor([1, 5, 2], dtype=lib.uint8)),
    lambda lib: lib.diff(lib.tensor([1.0, 4.0]), prepend=lib.tensor([1])),
    lambda lib: lib.diff(lib.tensor([True, False]), prepend=lib.tensor([1])),
    lambda lib: lib.diff(lib.tensor([1.0, 2.0], dtype=lib.float64), prepend=lib.tensor([1.0])),
    lambda lib: lib.diff(input=lib.tensor([1.0, 3.0]), n=1, dim=-1, prepend=None, append=None),
    lambda lib: lib.tensor([1.0, 4.0]).diff(1, 0, lib.tensor([0.0])),
])
def test_diff_matches_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


@pytest.mark.parametrize("fn", [
    lambda lib: lib.diff(lib.tensor(1.0)),
    lambda lib: lib.diff(lib.tensor(1.0), -1),
    lambda lib: lib.diff(lib.ones(3), -1),
    lambda lib: lib.diff(lib.ones(3), dim=2),
    lambda lib: lib.diff(lib.ones(3), prepend=lib.tensor(1.0)),
    lambda lib: lib.diff(lib.ones(3, 4), prepend=lib.zeros(2, 4)),
    lambda lib: lib.diff(lib.ones(3), prepend=1.0),
    lambda lib: lib.diff(lib.ones(3, requires_grad=True), out=lib.empty(2)),
])
def test_diff_errors_match_torch(fn):
    _raises_like(fn)


def test_diff_out_and_n0_copy():
    x = numtorch.tensor([1.0, 4.0, 9.0])
    out = numtorch.empty(2)
    assert numtorch.diff(x, out=out) is out and out.tolist() == [3.0, 5.0]
    same = numtorch.diff(x, 0)
    assert same is not x and same._base is None
    np.testing.assert_array_equal(same.numpy(), x.numpy())


# -- layout helpers and real-tensor complex views -------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda lib: lib.tril(lib.full((2, 2), float("nan"))),
    lambda lib: lib.triu(input=lib.full((2, 3), float("inf")), diagonal=-1),
    lambda lib: lib.ones(2, 3).tril_(5),
    lambda lib: lib.tril(lib.ones(2, 2), out=lib.empty(2, 2)),
    lambda lib: lib.vander(lib.tensor([1, 2], dtype=lib.int32)),
    lambda lib: lib.vander(lib.tensor([True, False])),
    lambda lib: lib.vander(lib.tensor([1.0, 2.0]), N=0),
    lambda lib: lib.vander(x=lib.tensor([1.0, 2.0]), N=3, increasing=True),
    lambda lib: lib.unravel_index(lib.tensor([6, -1]), (2, 3)),
    lambda lib: lib.unravel_index(lib.tensor([1]), 6),
    lambda lib: lib.unravel_index(lib.tensor([0]), ()),
    lambda lib: lib.unravel_index(indices=lib.tensor([[1, 7]]), shape=lib.Size([2, 3])),
    lambda lib: lib.row_stack([lib.ones(2), lib.zeros(2)]),
    lambda lib: lib.arange(5).split_with_sizes([2, 3]),
    lambda lib: [lib.typename(lib.ones(1, dtype=d)) for d in (lib.bool, lib.float16, lib.uint8,
                                                             lib.int8, lib.int64, lib.float64)],
    lambda lib: [lib.typename(v) for v in ([1], None, 3)],
    lambda lib: (lib.is_conj(lib.ones(1)), lib.is_neg(lib.ones(1)), lib.ones(1).is_conj()),
])
def test_layout_helpers_match_torch(fn):
    ours, theirs = _both(fn)
    assert ours == theirs


@pytest.mark.parametrize("fn", [
    lambda lib: lib.tril(lib.ones(3)),
    lambda lib: lib.triu(lib.tensor(1.0)),
    lambda lib: lib.ones(2, 2, requires_grad=True).tril_(),
    lambda lib: lib.vander(lib.ones(2, 2)),
    lambda lib: lib.vander(lib.tensor([1.0]), N=-1),
    lambda lib: lib.unravel_index(lib.tensor([1.0]), (2, 3)),
    lambda lib: lib.unravel_index(lib.tensor([True]), (2, 3)),
    lambda lib: lib.unravel_index(lib.tensor([1]), (-1, 3)),
    lambda lib: lib.unravel_index(lib.tensor([1]), (2.5,)),
    lambda lib: lib.unravel_index(lib.tensor([1]), (0, 3)),
    lambda lib: lib.imag(lib.ones(2)),
    lambda lib: lib.is_conj(3),
])
def test_layout_errors_match_torch(fn):
    _raises_like(fn)


def test_real_tensor_complex_views_are_the_input():
    x = numtorch.ones(2)
    for fn in (numtorch.conj, numtorch.resolve_conj, numtorch.resolve_neg, numtorch.real):
        assert fn(x) is x
    assert x.conj() is x and x.resolve_neg() is x


def test_vander_gradient():
    # torch 2.13's vander backward trips its own in-place check, so finite differences instead
    x = numtorch.tensor([0.5, -1.5, 2.0], dtype=numtorch.float64, requires_grad=True)
    assert numtorch.autograd.gradcheck(lambda t: numtorch.vander(t, N=4), [x])
