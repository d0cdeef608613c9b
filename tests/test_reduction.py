"""Targeted tests of the reductions: grad_fn names, named tuples, errors, dtypes, warnings,
ties, zeros and second derivatives, each compared with torch."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch

X = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]], dtype=np.float32)


def _pair(torch, array=X, requires_grad=True):
    ours = numtorch.from_numpy(array.copy())
    theirs = torch.from_numpy(array.copy())
    if requires_grad and array.dtype.kind == "f":
        ours.requires_grad_(True)
        theirs.requires_grad_(True)
    return ours, theirs


def _first(result):
    return result[0] if isinstance(result, tuple) else result


GRAD_FN_CALLS = [
    "x.sum()", "x.sum(1)", "x.sum(None)", "x.sum([])", "x.sum(dtype=lib.float64)",
    "x.mean()", "x.mean(0)", "x.mean(dim=None)", "x.prod()", "x.prod(1)", "x.max()",
    "x.max(1)", "x.min()", "x.min(0)", "x.amax()", "x.amin(1)", "x.median()", "x.median(1)",
    "x.std()", "x.var(1)", "lib.std_mean(x)", "lib.var_mean(x, 1)", "x.norm()", "x.norm(1)",
    "x.norm(float('inf'), 1)", "x.logsumexp(1)", "x.cumsum(1)", "x.cumprod(0)",
]


@pytest.mark.parametrize("call", GRAD_FN_CALLS)
def test_grad_fn_names_match_torch(call):
    torch = require_torch()
    names = []
    for lib in (numtorch, torch):
        x = lib.from_numpy(X.copy()).requires_grad_(True)
        names.append(_first(eval(call, {"x": x, "lib": lib})).grad_fn.name())
    assert names[0] == names[1]


# -- named tuples ------------------------------------------------------------------------------
def test_max_dim_returns_torch_named_tuple():
    torch = require_torch()
    ours, theirs = _pair(torch)
    for call in (lambda t: t.max(1), lambda t: t.min(0, keepdim=True), lambda t: t.median(1)):
        assert repr(call(ours)) == repr(call(theirs))
        assert str(call(ours.detach())) == str(call(theirs.detach()))
    result = numtorch.max(ours, dim=1)
    values, indices = result
    assert result.values is values and result.indices is indices
    assert result[0] is values and result[-1] is indices and len(result) == 2
    assert isinstance(result, tuple) and type(result).__name__ == "max"
    assert result[1:] == (indices,) and result.n_fields == 2
    np.testing.assert_array_equal(indices.numpy(), [1, 0])


def test_named_tuple_construction_and_pickle():
    return_types = numtorch.return_types
    made = return_types.max((1, 2))
    assert (made.values, made.indices) == (1, 2)
    assert repr(made) == "torch.return_types.max(\nvalues=1,\nindices=2)"
    with pytest.raises(TypeError, match=r"takes a 2-sequence \(3-sequence given\)"):
        return_types.max((1, 2, 3))
    back = pickle.loads(pickle.dumps(numtorch.tensor([[1.0, 3.0], [4.0, 2.0]]).max(1)))
    assert type(back) is return_types.max
    np.testing.assert_array_equal(back.indices.numpy(), [1, 0])


def test_max_with_other_is_the_elementwise_maximum():
    torch = require_torch()
    ours, theirs = _pair(torch)
    other = np.array([2.0, 2.0, 5.0], dtype=np.float32)
    for name in ("max", "min"):
        o = getattr(numtorch, name)(ours, numtorch.from_numpy(other.copy()))
        t = getattr(torch, name)(theirs, torch.from_numpy(other.copy()))
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy())
        o2 = getattr(ours, name)(other=numtorch.from_numpy(other.copy()))
        np.testing.assert_allclose(o2.detach().numpy(), t.detach().numpy())


# -- errors ------------------------------------------------------------------------------------
ERROR_CALLS = [
    ("x.sum(2)", "float32"), ("x.mean((0, 5))", "float32"), ("x.amax((0, 2))", "float32"),
    ("x.max(2)", "float32"), ("x.argmax(-3)", "float32"), ("x.std(2)", "float32"),
    ("x.norm(dim=2)", "float32"), ("x.cumsum(2)", "float32"), ("x.prod(2)", "float32"),
    ("x.logsumexp(2)", "float32"), ("x.all(2)", "float32"), ("x.median(2)", "float32"),
    ("x.count_nonzero(2)", "float32"),
    ("x.sum((0, 0))", "float32"), ("x.sum((1, -1))", "float32"), ("x.amax([1, -1])", "float32"),
    ("x.var((0, 0))", "float32"), ("x.norm(dim=(0, 0))", "float32"),
    ("x.logsumexp((0, 0))", "float32"), ("x.all((0, 0))", "float32"),
    ("x.count_nonzero((0, 0))", "float32"),
    ("x.mean()", "int64"), ("x.mean()", "bool"), ("x.mean(dtype=lib.int64)", "float32"),
    ("x.std()", "int64"), ("x.var(0)", "int32"), ("x.norm()", "int64"),
    ("x.norm(dtype=lib.int64)", "float32"), ("x.norm(dtype=lib.float32)", "float64"),
    ("x.norm(p='abc')", "float32"), ("x.argmax()", "bool"), ("x.argmin(0)", "bool"),
    ("x.median()", "bool"),
    ("lib.ones(2, 3).norm(p='fro', dim=(0, 1, 1))", "float32"),
]


@pytest.mark.parametrize(("call", "dtype"), ERROR_CALLS)
def test_errors_match_torch(call, dtype):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        x = lib.from_numpy(X.astype(dtype))
        with pytest.raises(Exception) as info:  # noqa: PT011 - compared with torch's below
            eval(call, {"x": x, "lib": lib})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1])
    assert str(caught[0]) == str(caught[1])


EMPTY_ERRORS = [
    "e.max()", "e.min()", "e.amax()", "e.amin([])", "e.max(0)", "e.min(0, True)", "e.amax(0)",
    "e.amax((0, 1))", "e.argmax()", "e.argmin(0)", "e.median(0)",
    "e.norm(float('inf'))", "e.norm(float('-inf'), 0)", "lib.ones(0, 0).max(1)",
]


@pytest.mark.parametrize("call", EMPTY_ERRORS)
def test_empty_max_like_errors_match_torch(call):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises(Exception) as info:  # noqa: PT011 - compared with torch's below
            eval(call, {"e": lib.zeros(0, 3), "lib": lib})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1]) and str(caught[0]) == str(caught[1])


@pytest.mark.parametrize("call", ["x.sum(dtype=lib.int64)", "x.prod(dtype=lib.int64)",
                                  "x.cumsum(0, dtype=lib.int64)", "x.sum(dtype=lib.bool)"])
def test_integer_dtype_with_grad_errors_like_torch(call):
    torch = require_torch()
    messages = []
    for lib in (numtorch, torch):
        with pytest.raises(RuntimeError) as info:
            eval(call, {"x": lib.ones(3, requires_grad=True), "lib": lib})
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_type_errors_for_bad_dims():
    x = numtorch.ones(2, 3)
    for call in (lambda: x.prod((0, 1)), lambda: x.cumsum((0, 1)), lambda: x.max((0,)),
                 lambda: x.sum(1.0), lambda: x.median(None)):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(TypeError):
        x.cumsum()  # dim is required, as in torch


def test_out_with_requires_grad_errors_like_torch():
    torch = require_torch()
    messages = []
    for lib in (numtorch, torch):
        with pytest.raises(RuntimeError) as info:
            lib.sum(lib.ones(2, 3, requires_grad=True), 1, out=lib.empty(0))
        messages.append(str(info.value))
    assert messages[0] == messages[1]


# -- dtypes, 0-d and empty inputs --------------------------------------------------------------
DTYPE_CALLS = [
    ("x.sum()", "int32"), ("x.sum()", "bool"), ("x.sum()", "uint8"), ("x.sum(0)", "int8"),
    ("x.sum(dtype=lib.float16)", "float32"), ("x.sum(dtype=lib.int32)", "float32"),
    ("x.mean(dtype=lib.float64)", "int64"), ("x.mean()", "float16"), ("x.prod()", "int32"),
    ("x.prod()", "bool"), ("x.max()", "int32"), ("x.max()", "bool"), ("x.amax(0)", "uint8"),
    ("x.argmax()", "float32"), ("x.all()", "uint8"), ("x.any(0)", "uint8"),
    ("x.all()", "float32"), ("x.any()", "int32"), ("x.count_nonzero()", "int32"),
    ("x.logsumexp(0)", "int64"), ("x.logsumexp(0)", "bool"), ("x.logsumexp(1)", "float64"),
    ("x.cumsum(0)", "int32"), ("x.cumsum(0)", "uint8"), ("x.cumsum(0)", "bool"),
    ("x.cumprod(0)", "int32"), ("x.cumprod(1, dtype=lib.float64)", "float32"),
    ("x.median()", "int32"), ("x.std()", "float16"), ("x.norm()", "float16"),
    ("x.norm(dtype=lib.float64)", "float32"), ("x.any(dim=())", "float32"),
    ("x.count_nonzero([])", "float32"), ("x.sum(dim=())", "float32"),
]


@pytest.mark.parametrize(("call", "dtype"), DTYPE_CALLS)
def test_result_dtypes_and_values_match_torch(call, dtype):
    torch = require_torch()
    results = [_first(eval(call, {"x": lib.from_numpy(X.astype(dtype)), "lib": lib}))
               for lib in (numtorch, torch)]
    assert str(results[0].dtype) == str(results[1].dtype)
    assert tuple(results[0].shape) == tuple(results[1].shape)
    np.testing.assert_allclose(results[0].numpy().astype(float),
                               results[1].numpy().astype(float), rtol=2e-3)


ZERO_D_CALLS = [
    "z.sum(0)", "z.sum(-1, keepdim=True)", "z.sum((0,))", "z.mean(-1)", "z.prod(0)",
    "z.max(0)", "z.min(-1, keepdim=True)", "z.amax(0)", "z.argmax(0)", "z.argmax(keepdim=True)",
    "z.median(0)", "z.norm(dim=0)", "z.logsumexp(0)", "z.cumsum(0)", "z.cumprod(-1)",
    "z.all(0)", "z.count_nonzero(0)", "z.var(0, correction=0)", "z.std(correction=0)",
]


@pytest.mark.parametrize("call", ZERO_D_CALLS)
def test_zero_dim_inputs_accept_dim_0_and_minus_1(call):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        z = lib.tensor(2.5, requires_grad=True)
        out = _first(eval(call, {"z": z}))
        if out.requires_grad:
            out.backward()
        results.append((out, z.grad))
    (o, og), (t, tg) = results
    assert tuple(o.shape) == tuple(t.shape) and str(o.dtype) == str(t.dtype)
    np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy())
    assert (og is None) == (tg is None)
    if tg is not None:
        np.testing.assert_allclose(og.numpy(), tg.numpy())


@pytest.mark.parametrize("call", ["z.sum(1)", "z.max(1)", "z.amax(-2)", "z.argmax(1)",
                                  "z.norm(dim=1)", "z.cumsum(1)", "z.std(-2)", "z.sum((0, -1))"])
def test_zero_dim_inputs_reject_other_dims_like_torch(call):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises((IndexError, RuntimeError)) as info:
            eval(call, {"z": lib.tensor(2.5)})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1]) and str(caught[0]) == str(caught[1])


EMPTY_CALLS = ["e.sum()", "e.mean()", "e.prod()", "e.norm()", "e.norm(0)", "e.logsumexp(0)",
               "e.logsumexp(1)", "e.all()", "e.any()", "e.median()", "e.cumsum(0)",
               "e.amax(1)", "e.max(1)", "e.argmax(1)", "e.count_nonzero()", "e.mean(1)"]


@pytest.mark.parametrize("call", EMPTY_CALLS)
def test_empty_inputs_match_torch(call):
    torch = require_torch()
    results = [_first(eval(call, {"e": lib.zeros(0, 3)})) for lib in (numtorch, torch)]
    assert tuple(results[0].shape) == tuple(results[1].shape)
    assert str(results[0].dtype) == str(results[1].dtype)
    np.testing.assert_array_equal(results[0].numpy(), results[1].numpy())


def test_degrees_of_freedom_warning_like_torch():
    torch = require_torch()
    message = r"std\(\): degrees of freedom is <= 0. Correction should be strictly less than"
    with pytest.warns(UserWarning, match=message):
        ours = numtorch.ones(3, 1).std(1)
    with pytest.warns(UserWarning, match=message):
        theirs = torch.ones(3, 1).std(1)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.warns(UserWarning, match=r"var_mean\(\): degrees of freedom"):
        numtorch.var_mean(numtorch.ones(2), correction=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numtorch.ones(3, 2).var(1)  # 2 values, 1 degree of freedom: no warning


# -- gradients: ties, zeros, nan, std at 0, p-norms at 0 ---------------------------------------
GRAD_CASES = [
    ("x.max()", [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
    ("x.max(1)", [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
    ("x.min(1)", [[1.0, 3.0, 1.0], [2.0, 2.0, 2.0]]),
    ("x.amax(1)", [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
    ("x.amin()", [[1.0, 3.0, 1.0], [2.0, 1.0, 2.0]]),
    ("x.median()", [1.0, 2.0, 2.0, 2.0]),
    ("x.median(0)", [1.0, 2.0, 2.0, 2.0]),
    ("x.max()", [1.0, float("nan"), 2.0]),
    ("x.amax()", [1.0, float("nan"), 2.0]),
    ("x.median()", [1.0, float("nan"), 2.0]),
    ("x.prod()", [1.0, 0.0, 2.0, 3.0]),
    ("x.prod()", [1.0, 0.0, 0.0, 3.0]),
    ("x.prod(1)", [[1.0, 0.0, 2.0], [0.0, 0.0, 3.0], [1.0, 2.0, 3.0]]),
    ("x.cumprod(0)", [2.0, 0.0, 3.0, 0.0, 4.0]),
    ("x.norm()", [0.0, 0.0]),
    ("x.norm(dim=1)", [[0.0, 0.0], [3.0, 4.0]]),
    ("x.norm(1)", [0.0, 1.0, -2.0]),
    ("x.norm(float('inf'))", [0.0, 3.0, -3.0]),
    ("x.norm(float('-inf'))", [1.0, 3.0, -1.0]),
    ("x.norm(0)", [1.0, 0.0, -1.0]),
    ("x.norm(3)", [0.0, 0.0]),
    ("x.norm(0.5)", [0.0, 1.0]),
    ("x.std()", [2.0, 2.0]),
    ("lib.std_mean(x)", [2.0, 2.0]),
    ("x.logsumexp(0)", [float("-inf"), float("-inf")]),
    ("x.logsumexp(0)", [float("inf"), 1.0]),
]


@pytest.mark.parametrize(("call", "values"), GRAD_CASES)
def test_gradients_at_ties_zeros_and_nans_match_torch(call, values):
    torch = require_torch()
    grads, outs = [], []
    for lib in (numtorch, torch):
        x = lib.tensor(values, requires_grad=True)
        out = _first(eval(call, {"x": x, "lib": lib}))
        with np.errstate(all="ignore"):
            out.backward(lib.ones_like(out))
        outs.append(out.detach().numpy())
        grads.append(None if x.grad is None else x.grad.numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6)
    assert (grads[0] is None) == (grads[1] is None)
    if grads[1] is not None:
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6, atol=1e-7)


SECOND_ORDER = [
    ("x.var()", None), ("x.std(1)", None), ("lib.var_mean(x, 1)", None),
    ("lib.std_mean(x, (0, 1), correction=0)", None), ("x.logsumexp(1)", None),
    ("x.norm()", None), ("x.norm(3, dim=1)", None), ("x.prod(1)", None),
    ("x.prod(1)", [(0, 1), (1, 1), (2, 1)]), ("x.prod()", [(1, 2)]),
    ("x.prod(1)", [(0, 1), (0, 2), (1, 3)]), ("x.cumprod(1)", [(0, 1), (1, 1), (1, 3)]),
    ("x.cumprod(1)", None),
]


@pytest.mark.parametrize(("call", "zeros"), SECOND_ORDER)
def test_second_derivatives_match_torch(call, zeros):
    """backward(create_graph=True), then the gradient of a weighted sum of that gradient."""
    torch = require_torch()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    for at in zeros or ():
        a[at] = 0.0
    u = rng.standard_normal((3, 4))
    results = []
    for lib in (numtorch, torch):
        x = lib.from_numpy(a.copy()).requires_grad_(True)
        out = eval(call, {"x": x, "lib": lib})
        if isinstance(out, tuple):
            out = out[0] * 1.5 + out[1] * 0.5
        (g,) = lib.autograd.grad(out, x, lib.ones_like(out) * 0.7, create_graph=True)
        x.grad = None
        (g * lib.from_numpy(u)).sum().backward()
        results.append(x.grad.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-7, atol=1e-10)


# -- keywords and out= -------------------------------------------------------------------------
def test_keywords_and_legacy_forms_match_torch():
    torch = require_torch()
    calls = [
        "lib.sum(input=x, dim=1, keepdim=True)", "lib.mean(x, dim=(0, 1), keepdim=True)",
        "x.std(0, False, True)", "x.std(unbiased=False)", "x.var(dim=1, correction=0)",
        "x.std(False)", "lib.var_mean(x, 1, True)", "lib.std_mean(x, 1, True, True)[0]",
        "lib.norm(x, 2, 1, True)", "lib.norm(x, p='fro', dim=(0, 1))", "x.norm(p=None)",
        "x.norm(dim=[])", "lib.max(x, dim=1, keepdim=True)[0]", "lib.argmax(x, dim=None)",
        "x.argmax(keepdim=True)", "lib.logsumexp(x, dim=[0, 1])", "x.count_nonzero(dim=(0,))",
        "lib.cumsum(x, dim=-1, dtype=lib.float64)", "x.all(dim=(0,))", "x.any(1, True)",
        "x.var(correction=1.5)", "x.amax(dim=[1, 0])",
    ]
    for call in calls:
        o, t = (_first(eval(call, {"x": lib.from_numpy(X.copy()), "lib": lib}))
                for lib in (numtorch, torch))
        assert tuple(o.shape) == tuple(t.shape), call
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6, err_msg=call)


def test_out_argument_writes_into_the_given_tensor():
    x = numtorch.from_numpy(X.copy())
    out = numtorch.empty(0)
    assert numtorch.sum(x, 1, out=out) is out
    np.testing.assert_allclose(out.numpy(), [7.0, 4.0])
    values, indices = numtorch.empty(0), numtorch.empty(0, dtype=numtorch.int64)
    result = numtorch.max(x, 1, out=(values, indices))
    assert result.values is values and result.indices is indices
    np.testing.assert_array_equal(indices.numpy(), [1, 0])


def test_cumsum_in_place_method():
    torch = require_torch()
    ours, theirs = numtorch.from_numpy(X.copy()), torch.from_numpy(X.copy())
    assert ours.cumsum_(1) is ours
    theirs.cumsum_(1)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_logsumexp_is_stable_and_norm_method_on_data():
    big = numtorch.tensor([1000.0, 1000.0])
    assert np.isclose(big.logsumexp(0).item(), 1000.0 + np.log(2.0))
    w = numtorch.tensor([3.0, 4.0], requires_grad=True)
    assert w.data.norm().item() == 5.0  # the tutorials' y.data.norm()
    assert numtorch.tensor([-float("inf")] * 2).logsumexp(0).item() == -float("inf")
