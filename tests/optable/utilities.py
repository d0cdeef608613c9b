"""Op-table entries: the tutorial utilities (isclose/isin, broadcast_tensors, meshgrid,
cartesian_prod, combinations, block_diag, column_stack, tensor_split and h/v/dsplit, diag,
diagflat, diag_embed, diff).

Values and dtypes are compared for every entry; gradients for the differentiable ones.
"""

from __future__ import annotations

import numpy as np

from . import FLOATS, OpSpec

ALL_DTYPES = FLOATS + ("int64", "int32", "bool")
NUMERIC = FLOATS + ("int64", "int32")
VEC = [((4,),), ((1,),), ((0,),)]
MAT = [((3, 4),), ((4, 3),), ((2, 2),), ((0, 3),)]
ND = [((3, 4),), ((2, 3, 4),), ((5,),), ((2, 0),)]


def _near(rng, shape, dtype, index):
    """Pairs of inputs where about half the elements are within isclose's tolerance."""
    base = np.random.default_rng(7).standard_normal(shape) * 3
    if dtype in ("int32", "int64"):
        base = np.round(base)
    if index == 0:
        return base.astype(dtype)
    nudge = np.where(rng.random(shape) < 0.5, 1e-7, 0.5)
    return (base + nudge * np.abs(base)).astype(dtype)


def _with_specials(rng, shape, dtype, index):
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    if flat.size >= 3:
        flat[: 3] = [np.nan, np.inf, -np.inf] if index == 0 else [np.nan, np.inf, np.inf]
    return x.astype(dtype)


def _small_ints(rng, shape, dtype, index):
    return rng.integers(-3, 4, size=shape).astype(dtype)


OPS: list[OpSpec] = [
    # closeness and membership (bool results: values only)
    OpSpec("isclose", lambda lib, a, b: lib.isclose(a, b), [((3, 4), (3, 4)), ((2, 3), (3,))],
           dtypes=NUMERIC, domain=_near, n_inputs=2, grad=False),
    OpSpec("isclose_tolerances", lambda lib, a, b: a.isclose(b, rtol=0.2, atol=0.5),
           [((3, 4), (3, 4))], dtypes=NUMERIC, domain=_near, n_inputs=2, grad=False),
    OpSpec("isclose_exact", lambda lib, a, b: lib.isclose(a, b, rtol=0, atol=0),
           [((3, 4), (3, 4))], dtypes=ALL_DTYPES, n_inputs=2, grad=False),
    OpSpec("isclose_specials", lambda lib, a, b: lib.isclose(a, b), [((5,), (5,))],
           domain=_with_specials, n_inputs=2, grad=False),
    OpSpec("isclose_equal_nan", lambda lib, a, b: lib.isclose(a, b, equal_nan=True),
           [((5,), (5,))], domain=_with_specials, n_inputs=2, grad=False),
    OpSpec("isin", lambda lib, a, b: lib.isin(a, b), [((3, 4), (5,)), ((), (2, 2)), ((4,), (0,))],
           dtypes=("int64", "int32", "float32"), domain=_small_ints, n_inputs=2, grad=False),
    OpSpec("isin_invert", lambda lib, a, b: lib.isin(a, b, invert=True), [((3, 4), (5,))],
           dtypes=("int64", "float64"), domain=_small_ints, n_inputs=2, grad=False),
    OpSpec("isreal", lambda lib, a: a.isreal(), ND, dtypes=ALL_DTYPES, grad=False),
    # broadcasting and grids
    OpSpec("broadcast_tensors", lambda lib, a, b: lib.broadcast_tensors(a, b),
           [((3, 1), (4,)), ((2, 3), (2, 3)), ((), (2, 0))], dtypes=ALL_DTYPES, n_inputs=2,
           hypothesis="broadcast", gradgradcheck=True),
    OpSpec("meshgrid_ij", lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"),
           [((3,), (4,)), ((), (2,)), ((0,), (3,))], dtypes=ALL_DTYPES, n_inputs=2),
    OpSpec("meshgrid_xy", lambda lib, a, b, c: lib.meshgrid([a, b, c], indexing="xy"),
           [((3,), (4,), (2,))], n_inputs=3, gradgradcheck=True),
    OpSpec("cartesian_prod", lambda lib, a, b: lib.cartesian_prod(a, b),
           [((3,), (4,)), ((1,), (2,)), ((0,), (2,))], dtypes=ALL_DTYPES, n_inputs=2),
    OpSpec("combinations", lambda lib, a: lib.combinations(a), VEC + [((5,),)],
           dtypes=ALL_DTYPES),
    OpSpec("combinations_r3_replacement",
           lambda lib, a: lib.combinations(a, r=3, with_replacement=True), VEC),
    # stacking into matrices
    OpSpec("block_diag", lambda lib, a, b, c: lib.block_diag(a, b, c),
           [((2, 3), (4,), ()), ((0, 2), (1, 1), (3, 0))], dtypes=ALL_DTYPES, n_inputs=3),
    OpSpec("column_stack", lambda lib, a, b, c: lib.column_stack((a, b, c)),
           [((3,), (3, 2), (3, 1)), ((), (1,), (1, 4))], dtypes=ALL_DTYPES, n_inputs=3),
    # splits (views)
    OpSpec("tensor_split_sections", lambda lib, a: lib.tensor_split(a, 3, dim=-1), ND,
           dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("tensor_split_indices", lambda lib, a: a.tensor_split([1, -1, 6], 0), ND),
    OpSpec("hsplit", lambda lib, a: lib.hsplit(a, [1, 2]), ND),
    OpSpec("hsplit_sections", lambda lib, a: a.hsplit(2), [((3, 4),), ((2, 6, 1),), ((4,),)]),
    OpSpec("vsplit", lambda lib, a: a.vsplit(1), [((3, 4),), ((2, 3, 4),)]),
    OpSpec("dsplit", lambda lib, a: lib.dsplit(a, [3]), [((2, 3, 4),), ((1, 1, 2, 2),)]),
    # diagonals
    OpSpec("diag_vector", lambda lib, a: lib.diag(a), VEC, dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("diag_vector_offset", lambda lib, a: a.diag(-2), VEC),
    OpSpec("diag_matrix", lambda lib, a: a.diag(), MAT, dtypes=ALL_DTYPES, gradgradcheck=True),
    OpSpec("diag_matrix_offset", lambda lib, a: lib.diag(a, 1), MAT + [((2, 5),)]),
    OpSpec("diagflat", lambda lib, a: a.diagflat(-1), ND + [((),)], dtypes=ALL_DTYPES),
    OpSpec("diag_embed", lambda lib, a: lib.diag_embed(a), ND, dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("diag_embed_dims", lambda lib, a: a.diag_embed(1, 0, 2), [((3, 4),), ((2, 0),)]),
    # differences
    OpSpec("diff", lambda lib, a: lib.atleast_1d(a).diff(), ND, dtypes=ALL_DTYPES,
           hypothesis="unary", gradgradcheck=True),
    OpSpec("diff_n2_dim0", lambda lib, a: lib.diff(a, n=2, dim=0), ND + [((1, 3),)],
           dtypes=NUMERIC),
    OpSpec("diff_n0", lambda lib, a: lib.diff(a, 0), ND),
    # triangles
    OpSpec("tril", lambda lib, a: a.tril(), MAT + [((2, 3, 4),)], dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("tril_diagonal", lambda lib, a: lib.tril(a, diagonal=-1), MAT),
    OpSpec("triu", lambda lib, a: lib.triu(a), MAT + [((2, 3, 4),)], dtypes=ALL_DTYPES,
           gradgradcheck=True),
    OpSpec("triu_diagonal", lambda lib, a: a.triu(2), MAT),
    OpSpec("tril_inplace", lambda lib, a: (a * 1).tril_(1), MAT),
    # layout helpers (vander: torch 2.13's own backward fails on an in-place check, so values
    # only; the gradient is checked by gradcheck)
    OpSpec("vander", lambda lib, a: lib.vander(a), VEC, dtypes=ALL_DTYPES, grad=False),
    OpSpec("vander_increasing", lambda lib, a: lib.vander(a, N=3, increasing=True), VEC,
           grad=False),
    OpSpec("unravel_index", lambda lib, a: lib.unravel_index(a, (2, 3, 4)),
           [((5,),), ((),), ((2, 3),)], dtypes=("int64", "int32"),
           domain=lambda rng, shape, dtype, i: rng.integers(-30, 30, size=shape).astype(dtype),
           grad=False),
    OpSpec("ravel", lambda lib, a: a.t().ravel() if a.ndim == 2 else lib.ravel(a), ND,
           dtypes=ALL_DTYPES),
    OpSpec("row_stack", lambda lib, a, b: lib.row_stack([a, b]), [((3,), (3,)), ((2, 3), (1, 3))],
           n_inputs=2),
    OpSpec("split_with_sizes", lambda lib, a: a.split_with_sizes([1, a.shape[0] - 1]),
           [((3, 4),), ((5,),)]),
    OpSpec("diff_prepend_append", lambda lib, a, b, c: lib.diff(a, 1, 0, b, c),
           [((3, 4), (1, 4), (2, 4)), ((5,), (2,), (0,))], dtypes=ALL_DTYPES, n_inputs=3),
]
