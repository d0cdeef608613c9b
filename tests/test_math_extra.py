"""The math_extra / math_binary families against torch: the special-function kernels on many
points (tails, poles, nan/inf), gradients at domain edges, errors, keywords, ``out=``,
aliases, in-place methods and torch's top-level in-place variants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch._composites import math_binary, math_extra
from numtorch._primitives import _bessel, _erf, _gamma


def _points(low: float, high: float, extra: list[float]) -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.concatenate([
        np.linspace(low, high, 20001), rng.uniform(low, high, 5000),
        np.sign(rng.standard_normal(2000)) * 10.0 ** rng.uniform(-30, 3, 2000),
        extra, [0.0, -0.0, np.inf, -np.inf, np.nan]])


GAMMA_POINTS = _points(-40, 60, [1.0, 2.0, 3.0, -1.0, -2.0, -1e10, 1e-300, 2.5e305, 1e308,
                                 1.4616321449683622, -0.5, -2.4570247])

# (name, our kernel on float64 arrays, torch function, points, worst relative error in
# float64, absolute floor of the error measure): torch's own float32 results are ~1e-6
# relative; near a root (lgamma(1), psi(1.46)) the absolute error is what counts
KERNELS = [
    ("erfc", _erf.erfc, "erfc", _points(-30, 30, [4.0, 26.5, 27.2, 0.46875]), 1e-13, 1e-300),
    ("erfinv", _erf.erfinv, "erfinv",
     np.concatenate([_points(-1, 1, [1.0, -1.0, 1.5, -2.0]), 1 - np.logspace(-16, -1, 500)]),
     1e-9, 1e-300),
    ("lgamma", _gamma.lgamma, "lgamma", GAMMA_POINTS, 1e-9, 1e-6),
    ("digamma", _gamma.digamma, "digamma", GAMMA_POINTS, 1e-9, 1e-6),
    ("i0", _bessel.i0, "i0", _points(-750, 750, [700.0, 713.0]), 1e-13, 1e-300),
    ("i1", _bessel.i1, "special.i1", _points(-750, 750, [29.9, 30.0, 30.1]), 1e-13, 1e-300),
]


def _torch_fn(torch, dotted: str):
    fn = torch
    for part in dotted.split("."):
        fn = getattr(fn, part)
    return fn


def _check_close(ours: np.ndarray, theirs: np.ndarray, rtol: float, floor: float) -> None:
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    inf = np.isinf(theirs)
    assert np.array_equal(ours[inf], theirs[inf])
    finite = np.isfinite(theirs)
    err = np.abs(ours[finite] - theirs[finite]) / np.maximum(np.abs(theirs[finite]), floor)
    assert err.max(initial=0.0) <= rtol, (err.max(), ours[finite][err.argmax()],
                                          theirs[finite][err.argmax()])


@pytest.mark.parametrize(("name", "kernel", "torch_name", "x", "rtol", "floor"), KERNELS,
                         ids=[k[0] for k in KERNELS])
def test_kernels_match_torch_in_float64(name, kernel, torch_name, x, rtol, floor):
    torch = require_torch()
    with np.errstate(all="ignore"):
        _check_close(kernel(x), _torch_fn(torch, torch_name)(torch.from_numpy(x)).numpy(),
                     rtol, floor)


@pytest.mark.parametrize(("name", "kernel", "torch_name", "x", "rtol", "floor"), KERNELS,
                         ids=[k[0] for k in KERNELS])
def test_public_functions_match_torch_in_float32(name, kernel, torch_name, x, rtol, floor):
    torch = require_torch()
    with np.errstate(all="ignore"):
        x32 = x[np.abs(x) < 1e30].astype(np.float32)
    if name == "i1":  # i1 is only i0's derivative here: its kernel, rounded
        with np.errstate(over="ignore"):
            ours = kernel(x32).astype(np.float32)
    else:
        ours = getattr(numtorch, name)(numtorch.from_numpy(x32)).numpy()
    theirs = _torch_fn(torch, torch_name)(torch.from_numpy(x32)).numpy()
    # torch's float32 kernels are themselves a few ulps off (and cancel near roots and
    # poles, where torch's trigamma even gives huge finite numbers)
    finite = np.isfinite(theirs) & np.isfinite(ours)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_polygamma_matches_torch(n):
    torch = require_torch()
    # below -5 the Hurwitz sums of torch's polygamma (n >= 2) cancel to ~1e-7 relative: this
    # file's reflection formula is the accurate one there
    x = GAMMA_POINTS[(GAMMA_POINTS > -5) & (GAMMA_POINTS < 1e4)]
    with np.errstate(all="ignore"):
        ours = _gamma.polygamma(n, x)
    theirs = torch.polygamma(n, torch.from_numpy(x)).numpy()
    if n == 1:  # torch's trigamma: finite garbage (~1e32) at the negative poles, inf here
        pole = (x < 0) & (x == np.round(x))
        ours, theirs = ours[~pole], theirs[~pole]
    _check_close(ours, theirs, 1e-8, 1e-12)


def test_lgamma_matches_math_lgamma():
    x = np.random.default_rng(1).uniform(-20, 20, 500)
    x = x[np.abs(x - np.round(x)) > 1e-3]  # math.lgamma raises at the poles
    assert np.allclose(_gamma.lgamma(x), [math.lgamma(v) for v in x], rtol=1e-11, atol=1e-13)


def test_gradients_at_domain_edges_match_torch():
    torch = require_torch()
    edges = [-1.0, 1.0, 0.0, 0.999999, -0.999999, 1.5]
    # (not digamma: torch's float32 trigamma is 10% off at -0.999999 and finite at -1)
    for name in ("acos", "asin", "atanh", "acosh", "erfinv", "sinc", "logit", "lgamma", "i0",
                 "erfc", "atan", "asinh"):
        for dtype in ("float32", "float64"):
            x = np.array(edges, dtype)
            ours_in = numtorch.from_numpy(x.copy()).requires_grad_(True)
            theirs_in = torch.from_numpy(x.copy()).requires_grad_(True)
            getattr(numtorch, name)(ours_in).sum().backward()
            getattr(torch, name)(theirs_in).sum().backward()
            np.testing.assert_allclose(ours_in.grad.numpy(), theirs_in.grad.numpy(),
                                       rtol=1e-5, equal_nan=True, err_msg=f"{name} {dtype}")


def test_binary_gradients_at_zero_match_torch():
    torch = require_torch()
    a, b = np.array([0.0, 0.0, -0.0, 1.0, -np.inf]), np.array([0.0, 2.0, -1.0, 0.0, -np.inf])
    for name in ("atan2", "hypot", "logaddexp", "logaddexp2", "copysign", "xlogy"):
        grads = []
        for lib in (numtorch, torch):
            x = lib.from_numpy(a.copy()).requires_grad_(True)
            y = lib.from_numpy(b.copy()).requires_grad_(True)
            getattr(lib, name)(x, y).sum().backward()
            grads.append((x.grad.numpy(), y.grad.numpy()))
        for ours, theirs in zip(*grads):
            np.testing.assert_allclose(ours, theirs, equal_nan=True, err_msg=name)


def test_aliases_are_the_same_functions():
    for alias, name in [("arccos", "acos"), ("arcsin", "asin"), ("arctan", "atan"),
                        ("arccosh", "acosh"), ("arcsinh", "asinh"), ("arctanh", "atanh"),
                        ("arctan2", "atan2")]:
        assert getattr(numtorch, alias) is getattr(numtorch, name)
    x = numtorch.tensor([0.25, -0.5])
    assert numtorch.equal(x.arccos(), x.acos()) and numtorch.equal(x.arctan2(x), x.atan2(x))


def test_keywords_as_in_torch():
    torch = require_torch()
    x, y = [0.25, 0.5], [0.75, 2.0]
    for lib in (numtorch, torch):
        t, u = lib.tensor(x), lib.tensor(y)
        lib.atan2(input=t, other=u)
        lib.logit(input=t, eps=0.1)
        lib.polygamma(n=1, input=t)
        lib.heaviside(input=t, values=u)
        lib.xlogy(input=t, other=u)
        t.logit(eps=0.3)
        t.polygamma(2)
    ours = numtorch.logit(numtorch.tensor(x), eps=0.3)
    assert np.allclose(ours.numpy(), torch.logit(torch.tensor(x), eps=0.3).numpy())


def test_out_argument():
    out = numtorch.empty(2)
    result = numtorch.atan2(numtorch.tensor([1.0, 1.0]), numtorch.tensor([1.0, -1.0]), out=out)
    assert result is out and np.allclose(out.numpy(), [math.pi / 4, 3 * math.pi / 4])
    out64 = numtorch.empty(2, dtype=numtorch.float64)
    numtorch.lgamma(numtorch.tensor([3, 4]), out=out64)  # int -> float32, written to float64
    assert np.allclose(out64.numpy(), [math.log(2), math.log(6)])
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Long"):
        numtorch.erfc(numtorch.tensor([1.0]), out=numtorch.empty(1, dtype=numtorch.int64))


def test_frexp_returns_torch_named_tuple_and_takes_out():
    torch = require_torch()
    x = [8.0, 0.3, 0.0, -5.0, 1e-45]
    ours, theirs = numtorch.frexp(numtorch.tensor(x)), torch.frexp(torch.tensor(x))
    assert type(ours).__name__ == "frexp" and ours.mantissa is ours[0]
    assert ours.exponent.dtype == numtorch.int32
    assert np.array_equal(ours.mantissa.numpy(), theirs.mantissa.numpy())
    assert np.array_equal(ours.exponent.numpy(), theirs.exponent.numpy())
    assert repr(ours).startswith("torch.return_types.frexp(\nmantissa=")
    m, e = numtorch.empty(5), numtorch.empty(5, dtype=numtorch.int32)
    result = numtorch.frexp(numtorch.tensor(x), out=(m, e))
    assert result.mantissa is m and result.exponent is e
    for lib in (numtorch, torch):
        with pytest.raises(RuntimeError, match="expects exponent to have int dtype but got "
                                               "long int"):
            lib.frexp(lib.tensor(x), out=(lib.empty(5), lib.empty(5, dtype=lib.int64)))
        with pytest.raises(RuntimeError, match="only supports floating-point dtypes"):
            lib.frexp(lib.tensor([1]))


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and message are what is compared
        return type(e), str(e)
    return None


@pytest.mark.parametrize("call", [
    lambda lib: lib.polygamma(-1, lib.tensor([1.0])),
    lambda lib: lib.polygamma(1.5, lib.tensor([1.0])),
    lambda lib: lib.tensor([1, 2]).acos_(),
    lambda lib: lib.exp_(lib.tensor([1, 2])),
    lambda lib: lib.atan2(lib.tensor([1.0]), 2),
    lambda lib: lib.atan2(2, lib.tensor([1.0])),
    lambda lib: lib.hypot(lib.tensor([1]), lib.tensor([2])),
    lambda lib: lib.logaddexp(lib.tensor([True]), lib.tensor([False])),
    lambda lib: lib.gcd(lib.tensor([1.0]), lib.tensor([2])),
    lambda lib: lib.lcm(lib.tensor([True]), lib.tensor([True])),
    lambda lib: lib.heaviside(lib.tensor([1.0]), lib.tensor([2])),
    lambda lib: lib.heaviside(lib.tensor([1.0]), 0.5),
    lambda lib: lib.heaviside(lib.tensor([1.0], requires_grad=True),
                              lib.tensor([0.5])).sum().backward(),
    lambda lib: lib.acos(lib.tensor([0.5], requires_grad=True), out=lib.empty(1)),
    lambda lib: lib.tensor([0.5], requires_grad=True).acos_(),
    lambda lib: lib.acos(0.5),
    lambda lib: lib.tensor([1.0]).logaddexp_(lib.tensor([1.0])),
    lambda lib: lib.tensor([1.0]).atan2_(lib.tensor([[1.0], [2.0]])),
])
def test_errors_match_torch(call):
    torch = require_torch()
    theirs = _error(lambda: call(torch))
    assert theirs is not None
    assert _error(lambda: call(numtorch)) == theirs


def test_in_place_methods_and_top_level_variants():
    torch = require_torch()
    names = [n for n in dir(torch) if n.endswith("_") and not n.startswith("_")
             and n[:-1] in math_extra._TOP_LEVEL_INPLACE]
    assert names and all(hasattr(numtorch, n) for n in names)
    for name in names:
        arity = 2 if name[:-1] in math_binary.__all__ else 1
        x = np.array([0.25, 0.5, 3.0]) if name[:-1] not in ("gcd", "lcm") else np.array([4, 6, 9])
        args = {"clamp_": (0.3, 0.6), "clamp_min_": (0.3,), "clamp_max_": (0.3,),
                "clip_": (0.3, 0.6)}.get(name, ())
        results = []
        for lib in (numtorch, torch):
            t = lib.from_numpy(x.copy())
            extra = (lib.from_numpy(x[::-1].copy()),) if arity == 2 else args
            result = getattr(lib, name)(t, *extra)
            assert result is t, name
            results.append(t.numpy())
        np.testing.assert_allclose(results[0], results[1], rtol=1e-6, err_msg=name)
    for name in ("erfinv_", "lgamma_", "digamma_", "polygamma_", "atan2_", "hypot_",
                 "copysign_", "heaviside_", "arctan2_"):
        assert hasattr(numtorch.Tensor, name), name
        assert not hasattr(numtorch, name) and not hasattr(torch, name), name


def test_in_place_records_the_gradient():
    torch = require_torch()
    grads = []
    for lib in (numtorch, torch):
        x = lib.tensor([0.2, 0.7], dtype=lib.float64, requires_grad=True)
        y = x * 1
        y.asin_().lgamma_().polygamma_(0)
        y.sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(*grads, rtol=1e-8)  # torch's float64 trigamma: ~1e-10


def test_result_dtypes_follow_torch():
    torch = require_torch()
    for dtype in ("int64", "uint8", "bool", "float16", "float64"):
        x = np.array([1, 0, 1]).astype(dtype)
        for name in ("acos", "cosh", "deg2rad", "erfc", "erfinv", "lgamma", "digamma", "i0",
                     "sinc", "logit"):
            ours = getattr(numtorch, name)(numtorch.from_numpy(x.copy()))
            theirs = getattr(torch, name)(torch.from_numpy(x.copy()))
            assert str(ours.dtype) == str(theirs.dtype), (name, dtype)
    for a, b in [("int32", "int64"), ("bool", "bool"), ("float16", "int8"), ("int64", "float16"),
                 ("float32", "float64")]:
        x, y = np.ones(2, a), np.ones(2, b)
        for name in ("atan2", "copysign", "xlogy", "ldexp"):
            ours = getattr(numtorch, name)(numtorch.from_numpy(x), numtorch.from_numpy(y))
            theirs = getattr(torch, name)(torch.from_numpy(x), torch.from_numpy(y))
            assert str(ours.dtype) == str(theirs.dtype), (name, a, b)
