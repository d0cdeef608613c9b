"""torch.linalg and the top-level matrix functions: errors (type and message) against torch,
named tuples, out=, keyword names, the lazy module and LinAlgError."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch

# Each case builds its inputs from ``lib``; torch's error (type, message) must be ours.
ERRORS = [
    "lib.linalg.inv(lib.ones(2, 3))",
    "lib.linalg.inv(lib.zeros(3, 3))",
    "lib.linalg.inv(lib.zeros(2, 3, 3))",
    "lib.linalg.inv(lib.tensor([[1., 2.], [2., 4.]]))",
    "lib.linalg.inv(lib.ones(3, 3, dtype=lib.int64))",
    "lib.linalg.inv(lib.ones(3))",
    "lib.inverse(lib.zeros(3, 3))",
    "lib.linalg.det(lib.ones(2, 3))",
    "lib.linalg.det(lib.ones(3, 3, dtype=lib.int64))",
    "lib.det(lib.ones(3))",
    "lib.linalg.slogdet(lib.ones(2, 3))",
    "lib.linalg.solve(lib.zeros(3, 3), lib.ones(3))",
    "lib.linalg.solve(lib.zeros(2, 3, 3), lib.ones(2, 3))",
    "lib.linalg.solve(lib.ones(2, 3), lib.ones(3))",
    "lib.linalg.solve(lib.ones(2, 3, dtype=lib.int64), lib.ones(2))",
    "lib.linalg.solve(lib.eye(3), lib.ones(4))",
    "lib.linalg.solve(lib.eye(3), lib.ones(3, 2), left=False)",
    "lib.linalg.solve(lib.eye(3), lib.ones(3, dtype=lib.float64))",
    "lib.linalg.cholesky(-lib.eye(3))",
    "lib.linalg.cholesky(lib.tensor([[1., 0.], [0., -1.]]))",
    "lib.linalg.cholesky(lib.stack([lib.eye(2), -lib.eye(2)]))",
    "lib.linalg.cholesky(lib.ones(2, 3))",
    "lib.linalg.cholesky(lib.ones(3, 3, dtype=lib.int64))",
    "lib.linalg.qr(lib.ones(2, 3), mode='bad')",
    "lib.linalg.qr(lib.ones(2, 3, dtype=lib.int64))",
    "lib.linalg.qr(lib.ones(3))",
    "lib.linalg.eigh(lib.ones(2, 3))",
    "lib.linalg.eigh(lib.eye(2), UPLO='X')",
    "lib.linalg.eigvalsh(lib.ones(3, 3, dtype=lib.int64))",
    "lib.linalg.svd(lib.ones(3))",
    "lib.linalg.svd(lib.ones(2, 3, dtype=lib.int64))",
    "lib.linalg.svdvals(lib.ones(3))",
    "lib.linalg.pinv(lib.ones(3, 3, dtype=lib.int64))",
    "lib.linalg.pinv(lib.ones(3))",
    "lib.linalg.matrix_rank(lib.ones(3))",
    "lib.linalg.matrix_rank(lib.ones(2, 3, dtype=lib.int64))",
    "lib.linalg.matrix_power(lib.ones(2, 3), 2)",
    "lib.linalg.matrix_power(lib.zeros(3, 3), -1)",
    "lib.linalg.matrix_power(lib.ones(3), 2)",
    "lib.linalg.norm(lib.ones(3, dtype=lib.int64))",
    "lib.linalg.norm(lib.ones(2, 3), ord='fro', dim=0)",
    "lib.linalg.norm(lib.ones(2, 3, 4), ord=2)",
    "lib.linalg.norm(lib.ones(3), ord='fro')",
    "lib.linalg.vector_norm(lib.ones(2, 3), ord='fro')",
    "lib.linalg.vector_norm(lib.zeros(0), ord=float('inf'))",
    "lib.linalg.vector_norm(lib.zeros(0), ord=-1)",
    "lib.linalg.matrix_norm(lib.ones(3))",
    "lib.linalg.matrix_norm(lib.ones(2, 3), ord=3)",
    "lib.linalg.matrix_norm(lib.ones(2, 3), ord='abc')",
    "lib.linalg.cross(lib.ones(2, 4), lib.ones(2, 4))",
    "lib.linalg.cross(lib.ones(3), lib.ones(3, dtype=lib.float64))",
    "lib.cross(lib.ones(2, 4), lib.ones(2, 4))",
    "lib.cross(lib.ones(2, 3), lib.ones(2, 3), dim=0)",
    "lib.linalg.vecdot(lib.ones(3), lib.ones(3, dtype=lib.float64))",
    "lib.linalg.vecdot(lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64))",
    "lib.linalg.multi_dot([])",
    "lib.linalg.multi_dot([lib.ones(3)])",
    "lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(2, 3)])",
    "lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(3, 2, dtype=lib.float64)])",
    "lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(3, 2, 2), lib.ones(2)])",
    "lib.linalg.multi_dot([lib.ones(3, 2, 2), lib.ones(2)])",
    "lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(3, 2, 2)])",
    "lib.inner(lib.ones(2, 2), lib.ones(3))",
    "lib.inner(lib.ones(2, dtype=lib.int64), lib.ones(2))",
    "lib.cdist(lib.ones(3, 2), lib.ones(4, 3))",
    "lib.cdist(lib.ones(3), lib.ones(4, 2))",
    "lib.cdist(lib.ones(2, 3, dtype=lib.int64), lib.ones(2, 3))",
    "lib.cdist(lib.ones(2, 3), lib.ones(2, 3), p=-1)",
    "lib.cdist(lib.ones(2, 3), lib.ones(2, 3, dtype=lib.float64))",
    "lib.dist(lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64))",
    "lib.cholesky_inverse(lib.ones(3))", "lib.cholesky_inverse(lib.ones(2, 3))",
    "lib.cholesky_inverse(lib.ones(2, 2, dtype=lib.int64))",
    "lib.cholesky_solve(lib.ones(2), lib.eye(2))",
    "lib.cholesky_solve(lib.ones(3, 1), lib.eye(2))",
    "lib.cholesky_solve(lib.ones(2, 1, dtype=lib.float64), lib.eye(2))",
    "lib.svd(lib.ones(3))", "lib.svd(lib.ones(2, 2, dtype=lib.int64))",
    "lib.cholesky(lib.ones(2, 3))", "lib.cholesky(-lib.eye(2))",
    "lib.linalg.inv_ex(lib.zeros(2, 2), check_errors=True)",
    "lib.linalg.cholesky_ex(-lib.eye(2), check_errors=True)",
    "lib.linalg.cond(lib.ones(3))", "lib.linalg.cond(lib.eye(2), 3)",
    "lib.linalg.cond(lib.ones(2, 3), 1)",
    "lib.linalg.cond(lib.ones(2, 2, dtype=lib.int64))",
    "lib.linalg.solve_triangular(lib.eye(2), lib.ones(2), upper=True)",
    "lib.linalg.solve_triangular(lib.eye(2), lib.ones(3, 1), upper=True)",
    "lib.linalg.vander(lib.tensor(2.))", "lib.linalg.vander(lib.ones(2), N=0)",
]


def _error(lib, expr):
    with pytest.raises(Exception) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.cross's deprecation warning, tested below
        eval(expr, {"lib": lib})
    return info.value


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_match_torch(expr):
    torch = require_torch()
    theirs, ours = _error(torch, expr), _error(numtorch, expr)
    assert str(ours) == str(theirs)
    if isinstance(theirs, torch.linalg.LinAlgError):
        assert isinstance(ours, numtorch.linalg.LinAlgError)
    else:
        assert type(ours) is type(theirs)


def test_linalg_error_is_a_runtime_error():
    assert issubclass(numtorch.linalg.LinAlgError, RuntimeError)
    with pytest.raises(RuntimeError, match="singular"):
        numtorch.linalg.inv(numtorch.zeros(2, 2))


@pytest.mark.parametrize(("expr", "fields"), [
    ("lib.linalg.slogdet(lib.eye(2))", ("sign", "logabsdet")),
    ("lib.slogdet(lib.eye(2))", ("sign", "logabsdet")),
    ("lib.linalg.qr(lib.eye(2))", ("Q", "R")),
    ("lib.linalg.eigh(lib.eye(2))", ("eigenvalues", "eigenvectors")),
    ("lib.linalg.svd(lib.eye(2))", ("U", "S", "Vh")),
    ("lib.svd(lib.eye(2))", ("U", "S", "V")),
    ("lib.svd(lib.eye(2), compute_uv=False)", ("U", "S", "V")),
])
def test_named_tuples_match_torch(expr, fields):
    torch = require_torch()
    theirs, ours = eval(expr, {"lib": torch}), eval(expr, {"lib": numtorch})
    assert type(ours).__name__ == type(theirs).__name__
    assert isinstance(ours, tuple) and len(ours) == len(fields)
    for name in fields:
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(),
                                   atol=1e-6)
    assert repr(ours).startswith(f"torch.return_types.{type(theirs).__name__}(")
    assert getattr(numtorch.return_types, type(theirs).__name__) is type(ours)


@pytest.mark.parametrize("expr", [
    "lib.linalg.det(lib.zeros(0, 0))", "lib.linalg.inv(lib.zeros(2, 0, 0))",
    "lib.det(lib.zeros(3, 3))", "lib.logdet(-lib.eye(3))", "lib.logdet(lib.zeros(2, 2))",
    "lib.linalg.matrix_power(lib.ones(3, 3, dtype=lib.int64), 3)",
    "lib.matrix_power(lib.eye(2, dtype=lib.float64), 0)",
    "lib.linalg.matrix_rank(lib.zeros(3, 3))", "lib.linalg.matrix_rank(lib.ones(2, 3))",
    "lib.linalg.matrix_rank(lib.eye(3), hermitian=True)",
    "lib.linalg.matrix_rank(lib.eye(3), atol=0.5, rtol=0.1)",
    "lib.linalg.matrix_rank(lib.eye(3) * 1e-3, tol=1e-2)",
    "lib.linalg.pinv(lib.ones(2, 3))", "lib.linalg.pinv(lib.eye(3), rcond=0.1)",
    "lib.linalg.pinv(lib.eye(3), hermitian=True)",
    "lib.linalg.multi_dot([lib.ones(3), lib.ones(3)])",
    "lib.linalg.multi_dot([lib.ones(2, 3, dtype=lib.int64), lib.ones(3, 2, dtype=lib.int64)])",
    "lib.kron(lib.ones(2, dtype=lib.int64), lib.ones(3))",
    "lib.kron(lib.arange(4).reshape(2, 2), lib.arange(3))",
    "lib.inner(lib.ones(2, 3), lib.tensor(2.))",
    "lib.dist(lib.ones(3), lib.zeros(3, dtype=lib.float64))",
    "lib.linalg.vector_norm(lib.ones(2, 3), dtype=lib.float64)",
    "lib.linalg.vector_norm(lib.tensor([0., 2., 0.]), 0)",
    "lib.linalg.solve(lib.eye(3).expand(2, 3, 3), lib.ones(3))",
    "lib.linalg.cross(lib.ones(2, 3), lib.ones(1, 3))",
    "lib.linalg.inv_ex(lib.stack([lib.eye(2), lib.zeros(2, 2)])).info",
    "lib.linalg.cholesky_ex(lib.tensor([[1., 0.], [0., -1.]])).info",
    "lib.linalg.solve_ex(lib.zeros(2, 2), lib.ones(2)).info",
    "lib.linalg.cond(lib.zeros(2, 2))", "lib.linalg.cond(lib.zeros(2, 2), 1)",
    "lib.linalg.solve_triangular(lib.tensor([[0., 1.], [5., 4.]]), lib.ones(2, 1), upper=True)",
    "lib.linalg.vander(lib.tensor([1, 2, 3]), N=4)",
])
def test_values_and_dtypes_match_torch(expr):
    torch = require_torch()
    theirs, ours = eval(expr, {"lib": torch}), eval(expr, {"lib": numtorch})
    assert str(ours.dtype) == str(theirs.dtype) and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-6)


def test_cross_without_dim_warns_once_and_uses_the_first_dim_of_size_3():
    import numtorch._composites.linalg_products as P

    P._CROSS_WARNED = False
    a, b = numtorch.randn(3, 3), numtorch.randn(3, 3)
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        out = numtorch.cross(a, b)
    np.testing.assert_allclose(out.numpy(), numtorch.linalg.cross(a, b, dim=0).numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numtorch.cross(a, b)


@pytest.mark.parametrize(("expr", "match"), [
    ("lib.qr(lib.eye(2))", "torch.qr is deprecated"),
    ("lib.cholesky(lib.eye(2))", "torch.cholesky is deprecated"),
    ("lib.chain_matmul(lib.eye(2), lib.eye(2))", "torch.chain_matmul is deprecated"),
])
def test_deprecated_spellings_warn_once(expr, match):
    import numtorch._composites.linalg_legacy as legacy

    legacy._WARNED.clear()
    with pytest.warns(UserWarning, match=match):
        first = eval(expr, {"lib": numtorch})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = eval(expr, {"lib": numtorch})
    for a, b in zip(first if isinstance(first, tuple) else [first],
                    second if isinstance(second, tuple) else [second]):
        np.testing.assert_allclose(a.numpy(), b.numpy())


def test_out_and_methods():
    a = numtorch.tensor([[2., 1.], [1., 3.]])
    out = numtorch.empty(2, 2)
    assert numtorch.linalg.inv(a, out=out) is out
    np.testing.assert_allclose((out @ a).numpy(), np.eye(2), atol=1e-6)
    sign, logabs = numtorch.empty(()), numtorch.empty(())
    result = numtorch.linalg.slogdet(a, out=(sign, logabs))
    assert result.sign is sign and float(logabs) == pytest.approx(np.log(5))
    for name in ("det", "logdet", "slogdet", "inverse", "matrix_power", "cross", "kron", "inner",
                 "dist", "pinverse", "svd", "qr", "cholesky", "cholesky_solve",
                 "cholesky_inverse"):
        assert hasattr(numtorch.Tensor, name), name
    assert float(a.det()) == pytest.approx(5)


def test_gradients_of_qr_r_only_raise_at_backward():
    torch = require_torch()
    msgs = []
    for lib in (torch, numtorch):
        a = lib.ones(2, 3, requires_grad=True)
        r = lib.linalg.qr(a, mode="r").R
        with pytest.raises(RuntimeError) as info:
            r.sum().backward()
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


def test_linalg_is_lazy_and_aliased():
    code = ("import sys, numtorch; assert 'numtorch.linalg' not in sys.modules; "
            "import numtorch.linalg as L; assert numtorch.linalg is L; "
            "print(L.norm(numtorch.ones(4)).item())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "2.0"
    assert "linalg" in dir(numtorch)
