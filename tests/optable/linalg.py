"""Op-table entries: linalg ops (matrix products, einsum, tensordot, t)."""

from __future__ import annotations

from . import OpSpec

FLOATS = ("float32", "float64")
WITH_INT = ("float32", "float64", "int64")  # torch multiplies int64 matrices on CPU

MM = [((3, 4), (4, 5)), ((1, 1), (1, 1)), ((0, 4), (4, 5)), ((3, 0), (0, 5)),
      ((3, 4), (4, 0))]
DOT = [((4,), (4,)), ((1,), (1,)), ((0,), (0,))]
VM = [((4,), (4, 5)), ((1,), (1, 1)), ((0,), (0, 3)), ((3,), (3, 0))]
MV = [((3, 4), (4,)), ((1, 1), (1,)), ((0, 4), (4,)), ((3, 0), (0,))]
# every batched route torch takes: bmm with broadcast batch dims, a's batch folded into mm/mv,
# b^T folded when a is a matrix (or a squeezable batch of 1) that requires grad, empty dims
BATCHED = [
    ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)),
    ((1, 3, 4), (2, 4, 5)), ((2, 3, 4), (1, 4, 5)), ((1, 3, 4), (1, 4, 5)),
    ((2, 3, 4), (4,)), ((4,), (2, 4, 5)), ((2, 2, 3, 4), (4,)), ((4,), (3, 2, 4, 5)),
    ((2, 1, 3, 4), (1, 2, 4, 5)), ((0, 3, 4), (4, 5)), ((2, 3, 0), (2, 0, 4)),
    ((2, 0, 3), (3, 4)), ((3, 4), (0, 4, 5)), ((4,), (0, 4, 2)),
]
BMM = [((2, 3, 4), (2, 4, 5)), ((1, 1, 1), (1, 1, 1)), ((0, 3, 4), (0, 4, 5)),
       ((2, 0, 4), (2, 4, 5)), ((2, 3, 0), (2, 0, 5))]
ADDMM = [((5,), (3, 4), (4, 5)), ((3, 5), (3, 4), (4, 5)), ((), (3, 4), (4, 5)),
         ((3, 1), (3, 4), (4, 5)), ((1, 5), (0, 4), (4, 5)), ((5,), (3, 0), (0, 5))]
BADDBMM = [((5,), (2, 3, 4), (2, 4, 5)), ((2, 3, 5), (2, 3, 4), (2, 4, 5)),
           ((3, 1), (2, 3, 4), (2, 4, 5)), ((), (1, 2, 2), (1, 2, 2)),
           ((5,), (0, 3, 4), (0, 4, 5))]
OUTER = [((3,), (4,)), ((1,), (1,)), ((0,), (4,)), ((3,), (0,))]
T_SHAPES = [((3, 4),), ((3,),), ((),), ((0, 2),), ((1, 1),)]


def _lift(lib, x, rows, cols):
    """x of any shape as a batch of (rows, cols) matrices: x[..., None, None] * M."""
    m = lib.arange(1, rows * cols + 1, dtype=x.dtype).reshape(rows, cols)
    return x.reshape(tuple(x.shape) + (1, 1)) * m


def _einsum(name, equation, shapes, dtypes=FLOATS, gradgrad=False, **kw):
    return OpSpec(f"einsum[{name}]", lambda lib, *xs: lib.einsum(equation, *xs), shapes,
                  dtypes=dtypes, gradgradcheck=gradgrad, **kw)


OPS: list[OpSpec] = [
    # matmul, every dimensionality, function / operator / method forms
    OpSpec("matmul_2d", lambda lib, a, b: lib.matmul(a, b), MM, dtypes=WITH_INT,
           gradgradcheck=True),
    OpSpec("matmul_2d_operator", lambda lib, a, b: a @ b, MM[:2], dtypes=WITH_INT),
    OpSpec("matmul_2d_method", lambda lib, a, b: a.matmul(b), MM[:2]),
    OpSpec("matmul_2d_transposed", lambda lib, a, b: a @ b.t(), [((3, 4), (5, 4))],
           gradgradcheck=True),
    OpSpec("matmul_1d_1d", lambda lib, a, b: lib.matmul(a, b), DOT, dtypes=WITH_INT,
           gradgradcheck=True),
    OpSpec("matmul_1d_2d", lambda lib, a, b: a @ b, VM, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("matmul_2d_1d", lambda lib, a, b: a @ b, MV, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("matmul_batched", lambda lib, a, b: lib.matmul(a, b), BATCHED, dtypes=WITH_INT,
           gradgradcheck=True),
    OpSpec("matmul_batched_method", lambda lib, a, b: a.matmul(b), BATCHED[:4]),
    OpSpec("matmul_batched_nonleaf", lambda lib, a, b: (a * 2) @ b, BATCHED[:3]),
    OpSpec("matmul_broadcast_batches",
           lambda lib, a, b: lib.matmul(_lift(lib, a, 2, 3), _lift(lib, b, 3, 4)),
           [((4, 1), (3,)), ((), (2,)), ((2, 1, 3), (4, 1)), ((0,), (1,))],
           hypothesis="broadcast", n_inputs=2, atol=1e-4),  # float32 sums cancel
    # the kernels
    OpSpec("mm", lambda lib, a, b: lib.mm(a, b), MM, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("mm_method", lambda lib, a, b: a.mm(b), MM[:2], dtypes=WITH_INT),
    OpSpec("bmm", lambda lib, a, b: lib.bmm(a, b), BMM, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("bmm_method", lambda lib, a, b: a.bmm(b), BMM[:2]),
    OpSpec("mv", lambda lib, a, b: lib.mv(a, b), MV, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("mv_method", lambda lib, a, b: a.mv(b), MV[:2]),
    OpSpec("dot", lambda lib, a, b: lib.dot(a, b), DOT, dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("dot_method", lambda lib, a, b: a.dot(b), DOT[:2]),
    OpSpec("vdot", lambda lib, a, b: lib.vdot(a, b), DOT, dtypes=WITH_INT),
    OpSpec("vdot_method", lambda lib, a, b: a.vdot(b), DOT[:1]),
    OpSpec("outer", lambda lib, a, b: lib.outer(a, b), OUTER,
           dtypes=("float32", "float64", "int64", "bool"), gradgradcheck=True),
    OpSpec("outer_method", lambda lib, a, b: a.outer(b), OUTER[:2]),
    OpSpec("ger", lambda lib, a, b: lib.ger(a, b), OUTER[:2]),
    OpSpec("ger_method", lambda lib, a, b: a.ger(b), OUTER[:1]),
    OpSpec("addmm", lambda lib, i, a, b: lib.addmm(i, a, b), ADDMM, dtypes=WITH_INT,
           gradgradcheck=True),
    OpSpec("addmm_beta_alpha", lambda lib, i, a, b: lib.addmm(i, a, b, beta=0.5, alpha=-2.0),
           ADDMM[:4]),
    OpSpec("addmm_int_beta_alpha", lambda lib, i, a, b: lib.addmm(i, a, b, beta=2, alpha=3),
           ADDMM[:2], dtypes=WITH_INT),
    OpSpec("addmm_beta_zero", lambda lib, i, a, b: lib.addmm(i, a, b, beta=0), ADDMM[:2]),
    OpSpec("addmm_method", lambda lib, i, a, b: i.addmm(a, b, alpha=1.5), ADDMM[:2]),
    OpSpec("addmm_linear", lambda lib, bias, x, w: lib.addmm(bias, x, w.t()),
           [((5,), (3, 4), (5, 4)), ((5,), (0, 4), (5, 4))], gradgradcheck=True),
    OpSpec("addmm_inplace", lambda lib, i, a, b: (i * 1).addmm_(a, b, beta=2.0),
           [((3, 5), (3, 4), (4, 5))]),
    OpSpec("baddbmm", lambda lib, i, a, b: lib.baddbmm(i, a, b), BADDBMM, dtypes=WITH_INT,
           gradgradcheck=True),
    OpSpec("baddbmm_beta_alpha",
           lambda lib, i, a, b: lib.baddbmm(i, a, b, beta=-1.5, alpha=0.5), BADDBMM[:3]),
    OpSpec("baddbmm_method", lambda lib, i, a, b: i.baddbmm(a, b), BADDBMM[:2]),
    OpSpec("baddbmm_inplace", lambda lib, i, a, b: (i * 1).baddbmm_(a, b, alpha=2.0),
           [((2, 3, 5), (2, 3, 4), (2, 4, 5))]),
    OpSpec("t", lambda lib, a: lib.t(a), T_SHAPES, dtypes=("float32", "float64", "int64",
                                                            "bool")),
    OpSpec("t_method", lambda lib, a: a.t() * 2, T_SHAPES, gradgradcheck=True),
    # einsum: explicit and implicit output, contractions, diagonals, ellipsis, broadcasting
    _einsum("mm", "ij,jk->ik", [((2, 3), (3, 4)), ((0, 3), (3, 4)), ((2, 0), (0, 4))],
            dtypes=WITH_INT, gradgrad=True),
    _einsum("mm_implicit", "ij,jk", [((2, 3), (3, 4))]),
    _einsum("implicit_sorted", "ba,Ab", [((2, 3), (4, 2))]),
    _einsum("bmm", "bij,bjk->bik", [((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2))],
            gradgrad=True),
    _einsum("ellipsis_matmul", "...ij,...jk->...ik",
            [((2, 1, 2, 3), (4, 3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4))], gradgrad=True),
    _einsum("ellipsis_implicit", "...ij,...jk", [((2, 1, 2, 3), (4, 3, 4))]),
    _einsum("ellipsis_middle", "i...j->j...i", [((2, 3, 4, 5),), ((2, 3),)]),
    _einsum("ellipsis_summed", "...ij->ij", [((5, 2, 3),), ((2, 3),)]),
    _einsum("diagonal", "ii->i", [((3, 3),), ((0, 0),)], gradgrad=True),
    _einsum("trace", "ii", [((3, 3),), ((1, 1),)], dtypes=WITH_INT, gradgrad=True),
    _einsum("diagonal_3d", "iij->ji", [((3, 3, 2),)]),
    _einsum("diagonal_sum", "iji->j", [((3, 2, 3),)]),
    _einsum("diagonal_product", "ii,i->i", [((3, 3), (3,))], gradgrad=True),
    _einsum("transpose", "ij->ji", [((2, 3),), ((0, 3),)], dtypes=WITH_INT),
    _einsum("identity_implicit", "ij", [((2, 3),)]),
    _einsum("sum_all", "ij->", [((2, 3),), ((0, 3),)], dtypes=WITH_INT),
    _einsum("sum_rows", "ijk->ik", [((2, 3, 4),)]),
    _einsum("dot", "i,i->", [((4,), (4,)), ((1,), (4,))], gradgrad=True),
    _einsum("outer", "i,j->ij", [((2,), (3,)), ((0,), (3,))], dtypes=WITH_INT, gradgrad=True),
    _einsum("outer_4d", "ij,kl->ijkl", [((2, 3), (4, 1))]),
    _einsum("hadamard_broadcast", "ij,ij->ij", [((1, 3), (2, 3)), ((2, 3), (2, 1))]),
    _einsum("frobenius", "ij,ij->", [((2, 3), (2, 3)), ((1, 3), (2, 3))]),
    _einsum("size_one_contraction", "ij,jk->ik", [((2, 1), (3, 4)), ((2, 3), (1, 4))]),
    _einsum("sum_then_mul", "ij,k->k", [((2, 3), (4,))]),
    _einsum("chain", "ij,jk,kl->il", [((2, 3), (3, 4), (4, 5))], gradgrad=True),
    _einsum("three_way", "bn,anm,bm->ba", [((2, 3), (4, 3, 5), (2, 5))], gradgrad=True),
    _einsum("mixed_pairs", "ij,j,k->ik", [((2, 3), (3,), (4,))]),
    _einsum("scalars", ",->", [((), ())]),
    _einsum("scalar_times_vector", "i,->i", [((3,), ())]),
    _einsum("uppercase", "Ab,bC->AC", [((2, 3), (3, 4))]),
    OpSpec("einsum_list", lambda lib, a, b: lib.einsum("ij,jk->ik", [a, b]), [((2, 3), (3, 4))]),
    OpSpec("einsum_sublist", lambda lib, a, b: lib.einsum(a, [0, 1], b, [1, 2], [0, 2]),
           [((2, 3), (3, 4))]),
    OpSpec("einsum_broadcast", lambda lib, a, b: lib.einsum("...,...->...", a, b),
           [((2, 1), (3,)), ((), (2,))], hypothesis="broadcast", n_inputs=2),
    OpSpec("einsum_broadcast_contract",
           lambda lib, a, b: lib.einsum("...ij,...jk->...ik", _lift(lib, a, 2, 3),
                                        _lift(lib, b, 3, 4)),
           [((4, 1), (3,)), ((), ())], hypothesis="broadcast", n_inputs=2,
           atol=1e-4),  # float32 sums with cancellation: absolute error ~ eps * sum |terms|
    # tensordot
    OpSpec("tensordot", lambda lib, a, b: lib.tensordot(a, b),
           [((2, 3, 4), (3, 4, 5)), ((2, 3), (2, 3)), ((0, 3, 4), (3, 4, 2))],
           dtypes=WITH_INT, gradgradcheck=True),
    OpSpec("tensordot_int_dims", lambda lib, a, b: lib.tensordot(a, b, dims=1),
           [((2, 3, 4), (4, 5)), ((3,), (3, 4)), ((2, 1), (3, 4)), ((2, 3), (1, 4))]),
    OpSpec("tensordot_outer", lambda lib, a, b: lib.tensordot(a, b, dims=0),
           [((2, 3), (4,)), ((), (3, 4))]),
    OpSpec("tensordot_lists", lambda lib, a, b: lib.tensordot(a, b, dims=([1, 2], [1, 0])),
           [((2, 3, 4), (4, 3, 5))]),
    OpSpec("tensordot_nested_list", lambda lib, a, b: lib.tensordot(a, b, dims=[[-1], [0]]),
           [((2, 3, 4), (4, 3, 5))]),
]
