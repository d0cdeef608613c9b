"""The sorting and counting family against torch: values, indices (ties, nan), dtypes,
named tuples, errors, out= and methods."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch

import numtorch

NAN = float("nan")
X = "lib.tensor([[3., 1., 2., 1.], [2., 2., 5., 0.]])"

CASES = [
    f"lib.sort({X})", f"lib.sort({X}, 0, True)", f"lib.sort({X}, descending=True, stable=True)",
    f"{X}.sort(stable=True, dim=0)", "lib.sort(lib.tensor([1., NAN, 0.]))",
    "lib.sort(lib.tensor(3.))", "lib.sort(lib.tensor([True, False]))",
    "lib.topk(lib.tensor([[3., 1., 2., 4.], [2., 7., 5., 0.]]), 2)",
    "lib.topk(lib.tensor([[3., 1., 2., 4.], [2., 7., 5., 0.]]), 2, largest=False)",
    f"lib.topk({X}, 0)", "lib.topk(lib.tensor([1., NAN, 0.]), 1)",
    "lib.topk(lib.tensor([1., NAN, 0.]), 1, largest=False)", "lib.topk(lib.tensor(3.), 1)",
    "lib.topk(lib.tensor([3., 1., 2.]), 2, sorted=False)",
    f"lib.argsort({X})", f"lib.argsort({X}, dim=0, descending=True)",
    f"lib.argsort({X}, stable=True, descending=True)", f"{X}.argsort(1, True)",
    "lib.argsort(lib.tensor([1., NAN, 0.]))", "lib.argsort(lib.tensor([1., NAN, 0.]), "
    "descending=True)", "lib.argsort(lib.tensor(3.))",
    "lib.argsort(lib.tensor([1, 1, 1, 0, 0, 1] * 5), stable=True)",
    "lib.argsort(lib.tensor([1, 1, 1, 0, 0, 1] * 5), stable=True, descending=True)",
    f"lib.msort({X})", "lib.msort(lib.tensor(3.))",
    f"lib.kthvalue({X}, 2)", f"lib.kthvalue({X}, 1, 0, True)",
    "lib.kthvalue(lib.tensor([1., NAN, 0.]), 3)", "lib.kthvalue(lib.tensor(3.), 1)",
    f"lib.mode({X})", "lib.mode(lib.tensor([1, 2, 2, 1, 3]))",
    "lib.mode(lib.tensor([3, 2, 2, 3, 1]))", "lib.mode(lib.tensor(3.))",
    "lib.mode(lib.tensor([[1, 1, 2], [4, 3, 3]]), 1, keepdim=True)",
    f"lib.cummax({X}, 1)", "lib.cummin(lib.tensor([2., 1., 1., NAN, 0.]), 0)",
    "lib.cummax(lib.tensor([1, 3, 3, 2]), 0)", "lib.cummax(lib.tensor([True, False, True]), 0)",
    "lib.cummax(lib.tensor([NAN, 1., NAN, 2.]), 0)", "lib.cummin(lib.tensor(2.), 0)",
    "lib.nansum(lib.tensor([1., NAN, 2.]))", "lib.nansum(lib.tensor([1, 2]))",
    "lib.nansum(lib.tensor([True, True]))", f"lib.nansum({X}, 1, dtype=lib.float64)",
    "lib.nanmean(lib.tensor([1., NAN, 2.]))", "lib.nanmean(lib.tensor([NAN, NAN]))",
    "lib.nanmedian(lib.tensor([1., NAN, 2., 0.]))", "lib.nanmedian(lib.tensor([NAN, NAN]))",
    "lib.nanmedian(lib.tensor([[NAN, NAN], [1., NAN]]), 1)",
    "lib.nanmedian(lib.tensor([[NAN, 2., 1.], [1., NAN, 5.]]), 1)",
    "lib.nanmedian(lib.tensor([1, 3, 2]))", "lib.nanmedian(lib.zeros(0))",
    f"lib.aminmax({X})", f"lib.aminmax({X}, dim=1, keepdim=True)",
    "lib.aminmax(lib.tensor([True, False]))",
    f"lib.logcumsumexp({X}, 1)", "lib.logcumsumexp(lib.tensor([-float('inf'), 0.]), 0)",
    "lib.logcumsumexp(lib.tensor([float('inf'), 0.]), 0)", "lib.logcumsumexp(lib.tensor(2.), 0)",
    "lib.logcumsumexp(lib.tensor([-1000., 0.], dtype=lib.float64), 0)",
    "lib.bincount(lib.tensor([0, 1, 1, 3]))", "lib.bincount(lib.tensor([0, 1, 1, 3]), minlength=6)",
    "lib.bincount(lib.tensor([0, 1, 1, 3]), weights=lib.tensor([1., 2., 3., 4.]))",
    "lib.bincount(lib.tensor([0, 1, 1, 3]), lib.tensor([1., 2., 3., 4.], dtype=lib.float64))",
    "lib.bincount(lib.tensor([0, 1, 1, 3]), weights=lib.tensor([1, 2, 3, 4]))",
    "lib.bincount(lib.tensor([], dtype=lib.int64))",
    "lib.bincount(lib.tensor([0, 1], dtype=lib.int32))",
    "lib.histc(lib.tensor([1., 2., 1.]), bins=4, min=0, max=3)",
    "lib.histc(lib.tensor([1., 2., 1., 5.]), bins=4)", "lib.histc(lib.tensor([1., 1.]), bins=4)",
    "lib.histc(lib.tensor([0., 3.]), bins=3, min=0, max=3)",
    "lib.histc(lib.tensor([1., 2.], dtype=lib.float64), bins=2)",
    "lib.bucketize(lib.tensor([[1., 6.], [9., 3.]]), lib.tensor([1., 3., 5., 7.]))",
    "lib.bucketize(lib.tensor([1., 6., 3.]), lib.tensor([1., 3., 5., 7.]), right=True)",
    "lib.bucketize(lib.tensor([1., 6.]), lib.tensor([1., 3., 5., 7.]), out_int32=True)",
    "lib.bucketize(3., lib.tensor([1., 3., 5., 7.]))",
    "lib.bucketize(lib.tensor([1, 6]), lib.tensor([1., 3., 5., 7.]))",
    "lib.searchsorted(lib.tensor([1., 3., 5., 7.]), lib.tensor([3., 6.]))",
    "lib.searchsorted(lib.tensor([1., 3., 5., 7.]), 3.)",
    "lib.searchsorted(lib.tensor([1., 3., 5., 7.]), lib.tensor([3., 6.]), side='right')",
    "lib.searchsorted(lib.tensor([[1., 3.], [2., 4.]]), lib.tensor([[2.], [3.]]))",
    "lib.searchsorted(lib.tensor([3., 1., 2.]), lib.tensor([2.]), sorter=lib.tensor([1, 2, 0]))",
    "lib.searchsorted(lib.tensor([1, 3]), lib.tensor([2.]), out_int32=True)",
]

ERRORS = [
    f"lib.topk({X}, 5)", f"lib.topk({X}, -1)", "lib.topk(lib.tensor([True, False]), 1)",
    f"lib.sort({X}, dim=3)",
    f"lib.kthvalue({X}, 5)", f"lib.kthvalue({X}, 0)",
    "lib.kthvalue(lib.tensor([True, False]), 1)", "lib.mode(lib.zeros(0))",
    "lib.nanmean(lib.tensor([1, 2]))", "lib.nanmedian(lib.zeros(0, 3), 0)",
    "lib.bincount(lib.tensor([0, -1]))", "lib.bincount(lib.tensor([[0, 1]]))",
    "lib.bincount(lib.tensor([0., 1.]))", "lib.bincount(lib.tensor([0, 1]), minlength=-1)",
    "lib.bincount(lib.tensor([0, 1]), weights=lib.ones(3))",
    "lib.histc(lib.tensor([1, 2]), bins=4)", "lib.histc(lib.tensor([1., 2.]), bins=0)",
    "lib.histc(lib.tensor([1., 2.]), bins=4, min=3, max=1)",
    "lib.histc(lib.tensor([1., float('inf')]), bins=2)",
    "lib.bucketize(lib.tensor([1., 6.]), lib.ones(2, 2))",
    "lib.searchsorted(lib.tensor([1., 3.]), lib.tensor([3.]), side='left', right=True)",
    "lib.searchsorted(lib.tensor([[1., 3.], [2., 4.]]), lib.tensor([2.]))",
    "lib.searchsorted(lib.tensor([1., 3.]), lib.tensor([3.]), side='middle')",
    "lib.searchsorted(lib.tensor(1.), lib.tensor([2.]))",
    "lib.aminmax(lib.zeros(0))", f"lib.aminmax({X}, dim=5)",
    "lib.logcumsumexp(lib.tensor([1, 2]), 0)",
]


def _outputs(result):
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("expr", CASES)
def test_matches_torch(expr):
    torch = require_torch()
    theirs = eval(expr, {"lib": torch, "NAN": NAN})
    ours = eval(expr, {"lib": numtorch, "NAN": NAN})
    if isinstance(theirs, tuple):
        assert type(ours).__name__ == type(theirs).__name__
        assert repr(ours).startswith(f"torch.return_types.{type(theirs).__name__}(")
    for o, t in zip(_outputs(ours), _outputs(theirs), strict=True):
        assert str(o.dtype) == str(t.dtype) and tuple(o.shape) == tuple(t.shape)
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_match_torch(expr):
    torch = require_torch()
    with pytest.raises(Exception) as theirs:
        eval(expr, {"lib": torch})
    with pytest.raises(Exception) as ours:
        eval(expr, {"lib": numtorch})
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_named_fields_and_return_types():
    r = numtorch.aminmax(numtorch.tensor([3., 1.]))
    assert (r.min.item(), r.max.item()) == (1.0, 3.0)
    assert numtorch.return_types.aminmax is type(r)
    k = numtorch.kthvalue(numtorch.tensor([3., 1., 2.]), 2)
    assert isinstance(k, numtorch.return_types.kthvalue) and k.indices.item() == 2
    assert type(numtorch.nanmedian(numtorch.ones(2, 2), 0)).__name__ == "nanmedian"


def test_out_arguments():
    x = numtorch.tensor([[3., 1.], [2., 5.]])
    values, indices = numtorch.empty(2), numtorch.empty(2, dtype=numtorch.int64)
    r = numtorch.kthvalue(x, 1, out=(values, indices))
    assert r.values is values and indices.tolist() == [1, 0]
    out = numtorch.empty(2)
    assert numtorch.nansum(x, 1, out=out) is out and out.tolist() == [4.0, 7.0]
    lo, hi = numtorch.empty(()), numtorch.empty(())
    assert numtorch.aminmax(x, out=(lo, hi)).max is hi and hi.item() == 5.0


def test_methods_exist():
    for name in ("sort", "topk", "argsort", "msort", "kthvalue", "mode", "cummax", "cummin",
                 "nansum", "nanmean", "nanmedian", "aminmax", "logcumsumexp", "bincount", "histc"):
        assert hasattr(numtorch.Tensor, name), name


def test_gradients_go_to_the_selected_elements():
    torch = require_torch()
    grads = []
    for lib in (torch, numtorch):
        x = lib.tensor([[3., 1., 2.], [0., 5., 4.]], requires_grad=True)
        (lib.kthvalue(x, 2).values.sum() + lib.cummax(x, 1).values.sum() * 2
         + lib.nanmedian(x) * 3 + lib.logcumsumexp(x, 0).sum()).backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-6)
