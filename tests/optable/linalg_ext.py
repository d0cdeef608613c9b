"""Op-table entries: torch.linalg (matrix functions, factorizations, norms, products) and the
sorting/counting family (argsort, kthvalue, mode, cummax, nan-reductions, histograms).

Factorizations are compared through gauge-invariant outputs (eigenvalues, |eigenvectors|,
|U|, S, |Vh|) on well-conditioned inputs; symmetric inputs are made inside ``fn`` (a + a^T),
so finite differences see the same function as the analytic gradient.
"""

from __future__ import annotations

import math

import numpy as np

from . import OpSpec

FLOATS = ("float32", "float64")
LA = {"rtol": 1e-4, "atol": 1e-4}  # LAPACK routines differ between the libraries


def _wellcond(rng, shape, dtype, index):
    """Square matrices with a dominant diagonal (first input); other inputs normal."""
    x = rng.standard_normal(shape)
    if index == 0 and len(shape) >= 2 and shape[-1] == shape[-2]:
        x = x + 3 * np.eye(shape[-1])
    return x.astype(dtype)


def _distinct(rng, shape, dtype, index):
    """Distinct values (no ties), so selections agree and are differentiable."""
    n = math.prod(shape)
    return (rng.permutation(n).reshape(shape) * 0.5 + rng.random(shape) * 0.1).astype(dtype)


def _ties(rng, shape, dtype, index):
    return rng.integers(0, 3, size=shape).astype(dtype)


def _with_nans(rng, shape, dtype, index):
    x = rng.standard_normal(shape)
    x[rng.random(shape) < 0.3] = np.nan
    return x.astype(dtype)


def _sym(lib, a):
    return a + a.transpose(-1, -2)


def _spd(lib, a):
    return a @ a.transpose(-1, -2) + 3 * lib.eye(a.shape[-1], dtype=a.dtype)


SQ = [((3, 3),), ((2, 3, 3),), ((1, 1),), ((2, 1, 4, 4),)]
RECT = [((4, 3),), ((3, 5),), ((3, 3),), ((2, 4, 3),)]
SOLVE = [((3, 3), (3, 2)), ((2, 3, 3), (2, 3)), ((3, 3), (3,)), ((2, 3, 3), (3, 1))]
VEC3 = [((3,), (3,)), ((2, 3), (1, 3)), ((4, 3), (4, 3))]
ORDS = ["fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2]
VORDS = [2, 1, 3, 0.5, math.inf, -math.inf, -1]
SORT = [((6,),), ((4, 5),), ((2, 3, 4),)]


def _op(name, fn, shapes, **kw):
    return OpSpec(name, fn, shapes, **{"domain": _wellcond, **LA, **kw})


OPS = [
    # -- matrix functions --------------------------------------------------------------------
    _op("linalg.inv", lambda lib, a: lib.linalg.inv(a), SQ, gradgradcheck=True),
    _op("inverse", lambda lib, a: a.inverse(), SQ),
    _op("linalg.det", lambda lib, a: lib.linalg.det(a), SQ, gradgradcheck=True),
    _op("det_method", lambda lib, a: a.det(), SQ),
    _op("linalg.slogdet", lambda lib, a: lib.linalg.slogdet(a).logabsdet, SQ),
    _op("linalg.slogdet_sign", lambda lib, a: lib.linalg.slogdet(a).sign, SQ, grad=False),
    _op("slogdet", lambda lib, a: lib.slogdet(a)[1], SQ),
    _op("logdet", lambda lib, a: lib.logdet(_spd(lib, a)), SQ, gradgradcheck=True),
    _op("linalg.solve", lambda lib, a, b: lib.linalg.solve(a, b), SOLVE, gradgradcheck=True),
    _op("linalg.solve_right", lambda lib, a, b: lib.linalg.solve(a, b, left=False),
        [((3, 3), (2, 3)), ((2, 3, 3), (2, 4, 3))]),
    _op("linalg.cholesky", lambda lib, a: lib.linalg.cholesky(_spd(lib, a)), SQ,
        gradgradcheck=True),
    _op("linalg.cholesky_upper", lambda lib, a: lib.linalg.cholesky(_spd(lib, a), upper=True),
        SQ[:2]),
    _op("linalg.matrix_power", lambda lib, a: lib.linalg.matrix_power(a, 3), SQ),
    _op("linalg.matrix_power_neg", lambda lib, a: lib.linalg.matrix_power(a, -2), SQ[:2]),
    _op("matrix_power_0", lambda lib, a: lib.matrix_power(a, 0), SQ[:2]),
    _op("matrix_power_method", lambda lib, a: a.matrix_power(2), SQ[:2]),
    # -- factorizations ----------------------------------------------------------------------
    _op("linalg.qr", lambda lib, a: tuple(lib.linalg.qr(a)), RECT),
    _op("linalg.qr_complete", lambda lib, a: tuple(lib.linalg.qr(a, mode="complete")),
        [((3, 5),), ((3, 3),)]),
    _op("linalg.eigh", lambda lib, a: (lambda r: (r[0], r[1].abs()))(lib.linalg.eigh(_sym(lib, a))),
        SQ),
    _op("linalg.eigh_upper", lambda lib, a: lib.linalg.eigh(_sym(lib, a), UPLO="U")[0], SQ[:2]),
    _op("linalg.eigvalsh", lambda lib, a: lib.linalg.eigvalsh(_sym(lib, a)), SQ),
    _op("linalg.svd", lambda lib, a: (lambda r: (r.U.abs(), r.S, r.Vh.abs()))(
        lib.linalg.svd(a, full_matrices=False)), RECT, domain="normal"),
    _op("linalg.svd_full", lambda lib, a: (lambda r: (r.U.abs(), r.S, r.Vh.abs()))(
        lib.linalg.svd(a)), [((3, 3),), ((2, 3, 3),)], domain="normal"),
    _op("linalg.svd_full_S", lambda lib, a: lib.linalg.svd(a)[1], RECT, domain="normal"),
    _op("linalg.svdvals", lambda lib, a: lib.linalg.svdvals(a), RECT, domain="normal"),
    _op("linalg.pinv", lambda lib, a: lib.linalg.pinv(a), RECT),
    _op("pinverse", lambda lib, a: a.pinverse(), RECT[:2]),
    _op("linalg.matrix_rank", lambda lib, a: lib.linalg.matrix_rank(a), RECT, grad=False),
    _op("svd_legacy", lambda lib, a: (lambda r: (r.U.abs(), r.S, r.V.abs()))(lib.svd(a)), RECT,
        domain="normal"),
    _op("svd_legacy_S", lambda lib, a: a.svd(some=False)[1], RECT, domain="normal"),
    _op("cholesky_solve", lambda lib, b, a: lib.cholesky_solve(b, lib.linalg.cholesky(
        _spd(lib, a))), [((3, 2), (3, 3)), ((2, 3, 1), (3, 3)), ((3, 2), (2, 3, 3))]),
    _op("cholesky_solve_upper", lambda lib, b, a: b.cholesky_solve(lib.linalg.cholesky(
        _spd(lib, a), upper=True), upper=True), [((3, 2), (3, 3))]),
    _op("cholesky_inverse", lambda lib, a: lib.cholesky_inverse(lib.linalg.cholesky(
        _spd(lib, a))), SQ[:2]),
    _op("linalg.inv_ex", lambda lib, a: tuple(lib.linalg.inv_ex(a)), SQ[:2]),
    _op("linalg.cholesky_ex", lambda lib, a: tuple(lib.linalg.cholesky_ex(_spd(lib, a))), SQ[:2]),
    _op("linalg.solve_ex", lambda lib, a, b: tuple(lib.linalg.solve_ex(a, b)), SOLVE[:3]),
    _op("linalg.solve_triangular", lambda lib, a, b: lib.linalg.solve_triangular(
        a, b, upper=True), [((3, 3), (3, 2)), ((2, 3, 3), (3, 1))]),
    _op("linalg.solve_triangular_unit", lambda lib, a, b: lib.linalg.solve_triangular(
        a, b, upper=False, left=False, unitriangular=True), [((3, 3), (2, 3))]),
    # torch's own backward of cond for fro / inf / 1 fails (it writes into inv's output)
    *[_op(f"linalg.cond_{p}", lambda lib, a, p=p: lib.linalg.cond(a, p), SQ[:2],
          grad=p in (None, -2, "nuc")) for p in (None, -2, "fro", "nuc", math.inf, 1)],
    _op("linalg.vander", lambda lib, a: lib.linalg.vander(a), [((3,),), ((2, 4),)],
        domain="normal"),
    _op("linalg.vander_N", lambda lib, a: lib.linalg.vander(a, N=2), [((3,),)], domain="normal",
        dtypes=("float32", "float64", "int64")),
    _op("linalg.diagonal", lambda lib, a: lib.linalg.diagonal(a, offset=1), SQ[:2]),
    # -- norms -------------------------------------------------------------------------------
    *[_op(f"linalg.matrix_norm_{o}", lambda lib, a, o=o: lib.linalg.matrix_norm(a, ord=o),
          [((3, 4),), ((2, 3, 3),)], domain="normal") for o in ORDS],
    *[_op(f"linalg.matrix_norm_{o}_dims", lambda lib, a, o=o: lib.linalg.matrix_norm(
        a, ord=o, dim=(2, 0), keepdim=True), [((3, 2, 4),)], domain="normal") for o in ORDS],
    *[_op(f"linalg.vector_norm_{o}", lambda lib, a, o=o: lib.linalg.vector_norm(a, o, 1),
          [((3, 4),), ((2, 3, 4),)], domain="nonzero") for o in VORDS],
    _op("linalg.vector_norm_all", lambda lib, a: lib.linalg.vector_norm(a), [((3, 4),)],
        domain="normal"),
    _op("linalg.norm", lambda lib, a: lib.linalg.norm(a), [((3, 4),), ((2, 3, 4),)],
        domain="normal"),
    _op("linalg.norm_ord", lambda lib, a: lib.linalg.norm(a, -2), [((3, 4),)], domain="normal"),
    _op("linalg.norm_dim", lambda lib, a: lib.linalg.norm(a, 1, dim=(0, 1)), [((3, 4, 2),)],
        domain="normal"),
    # -- products ----------------------------------------------------------------------------
    _op("linalg.cross", lambda lib, a, b: lib.linalg.cross(a, b), VEC3, domain="normal"),
    _op("cross_dim", lambda lib, a, b: a.cross(b, dim=0), [((3, 2), (3, 2))], domain="normal"),
    _op("linalg.vecdot", lambda lib, a, b: lib.linalg.vecdot(a, b), [((2, 3), (3,))],
        domain="normal"),
    _op("linalg.multi_dot", lambda lib, a, b, c, d: lib.linalg.multi_dot([a, b, c, d]),
        [((3,), (3, 4), (4, 2), (2,)), ((2, 3), (3, 4), (4, 5), (5, 2))], domain="normal"),
    _op("kron", lambda lib, a, b: lib.kron(a, b), [((2, 3), (4,)), ((2, 2), (3, 1, 2))],
        domain="normal"),
    _op("inner", lambda lib, a, b: lib.inner(a, b), [((2, 3), (4, 3)), ((3,), (3,)),
                                                     ((2, 3), ())], domain="normal"),
    _op("cdist", lambda lib, a, b: lib.cdist(a, b), [((3, 4), (5, 4)), ((2, 3, 4), (2, 5, 4))],
        domain="normal"),
    _op("cdist_p1", lambda lib, a, b: lib.cdist(a, b, p=1), [((3, 4), (5, 4))],
        domain="normal"),
    _op("dist", lambda lib, a, b: lib.dist(a, b, 3), [((3, 4), (4,))], domain="normal"),
    # -- sorting and selection ---------------------------------------------------------------
    OpSpec("sort", lambda lib, a: tuple(lib.sort(a)), SORT, domain=_distinct,
           hypothesis="unary"),
    OpSpec("sort_desc", lambda lib, a: tuple(a.sort(0, True)), SORT, domain=_distinct),
    OpSpec("sort_stable_ties", lambda lib, a: tuple(lib.sort(a, stable=True, descending=True)),
           SORT, domain=_ties, gradcheck=False),
    OpSpec("topk", lambda lib, a: tuple(lib.topk(a, 2)), SORT, domain=_distinct),
    OpSpec("topk_smallest", lambda lib, a: tuple(a.topk(2, 0, largest=False)), SORT[1:],
           domain=_distinct),
    OpSpec("argsort", lambda lib, a: lib.argsort(a, stable=True), SORT, domain=_ties,
           grad=False, hypothesis="unary"),
    OpSpec("argsort_desc", lambda lib, a: a.argsort(dim=0, descending=True, stable=True), SORT,
           domain=_ties, grad=False),
    OpSpec("msort", lambda lib, a: lib.msort(a), SORT, domain=_distinct),
    OpSpec("kthvalue", lambda lib, a: tuple(lib.kthvalue(a, 2)), SORT, domain=_distinct),
    OpSpec("kthvalue_keepdim", lambda lib, a: tuple(a.kthvalue(3, 0, True)),
           [((4, 5),), ((3, 2, 4),)], domain=_distinct),
    OpSpec("mode", lambda lib, a: tuple(lib.mode(a)), SORT, domain=_ties, gradcheck=False),
    OpSpec("cummax", lambda lib, a: tuple(lib.cummax(a, 0)), SORT, domain=_distinct,
           hypothesis="unary"),
    OpSpec("cummax_ties", lambda lib, a: tuple(a.cummax(-1)), SORT, domain=_ties,
           gradcheck=False),
    OpSpec("cummin", lambda lib, a: tuple(lib.cummin(a, -1)), SORT, domain=_ties,
           gradcheck=False),
    OpSpec("nansum", lambda lib, a: lib.nansum(a), SORT, domain=_with_nans, gradcheck=False,
           hypothesis="unary"),
    OpSpec("nansum_dim", lambda lib, a: a.nansum(0, keepdim=True), SORT, domain=_with_nans,
           gradcheck=False),
    OpSpec("nanmean", lambda lib, a: lib.nanmean(a, -1), SORT, domain=_with_nans,
           gradcheck=False),
    OpSpec("nanmedian", lambda lib, a: lib.nanmedian(a), SORT, domain=_with_nans,
           gradcheck=False),
    OpSpec("nanmedian_dim", lambda lib, a: tuple(a.nanmedian(0)), SORT, domain=_with_nans,
           gradcheck=False),
    OpSpec("aminmax", lambda lib, a: tuple(lib.aminmax(a)), SORT, domain=_distinct),
    OpSpec("aminmax_dim", lambda lib, a: tuple(a.aminmax(dim=0, keepdim=True)), SORT,
           domain=_distinct),
    OpSpec("logcumsumexp", lambda lib, a: lib.logcumsumexp(a, -1), SORT + [((),)],
           hypothesis="unary"),
    OpSpec("logcumsumexp_wide", lambda lib, a: a.logcumsumexp(0), [((5, 3),)],
           domain=lambda rng, shape, dtype, i: (rng.standard_normal(shape) * 20).astype(dtype)),
    # -- counting ----------------------------------------------------------------------------
    OpSpec("histc", lambda lib, a: lib.histc(a, bins=5), SORT, grad=False),
    OpSpec("histc_range", lambda lib, a: a.histc(4, -1, 1), SORT, grad=False),
    OpSpec("bucketize", lambda lib, a, b: lib.bucketize(a, lib.from_numpy(np.sort(b.numpy()))),
           [((4, 5), (6,))], grad=False, domain=_distinct),
    OpSpec("searchsorted", lambda lib, a, b: lib.searchsorted(
        lib.from_numpy(np.sort(b.numpy(), -1)), a, right=True), [((4, 5), (4, 6)), ((5,), (6,))],
        grad=False, domain=_distinct),
]
