"""torch.special: the lazy module, aliases, dense value and gradient sweeps over the tails
against torch, ``out=``, dtypes and errors. The op table (tests/optable/special.py) covers
shapes, dtypes, gradcheck and hypothesis."""

import subprocess
import sys

import numpy as np
import pytest

import numtorch
import numtorch.special as S
from tests.conftest import require_torch

torch = require_torch()

# dense grids over the tails: [-1000, 1000] with the region around 0 finer
GRID = np.concatenate([np.linspace(-40, 40, 4001), np.geomspace(40, 1000, 200),
                       -np.geomspace(40, 1000, 200), np.geomspace(1e-12, 1, 100),
                       [0.0, -0.0, np.inf, -np.inf, np.nan]])
PROBS = np.concatenate([np.linspace(0, 1, 2001), np.geomspace(1e-300, 0.1, 600),
                        1 - np.geomspace(1e-16, 0.1, 200), [-0.5, 1.5, np.nan]])
UNARY = {"erfcx": GRID, "log_ndtr": GRID, "ndtr": GRID, "i0e": GRID, "i1": GRID,
         "i1e": GRID, "entr": GRID, "ndtri": PROBS}
# torch's ndtr is (1 + erf(x / sqrt 2)) / 2: noise below 1e-16 in the left tail, where
# numtorch's erfc(-x / sqrt 2) / 2 keeps the digits
ATOL = {"ndtr": 1e-15}
# torch's own results move between its vectorized and scalar paths, which one an element
# takes depending on the buffer's alignment: ndtr by up to ~5e-12 from run to run
RTOL64 = {"ndtr": 1e-11}
# torch computes float32 in float32 (erfcx's exp(x^2) carries x^2's rounding error; ndtr's
# 1 + erf cancels to 0 from x = -5.5 on); numtorch in float64, rounded once
RTOL32 = {"erfcx": 1e-5, "log_ndtr": 1e-5}
ATOL32 = {"ndtr": 6e-8}
# the slopes cancel: 2 x erfcx(x) - 2/sqrt(pi) (a 1e-16 difference of erfcx grows with x^2)
# and exp(-(log_ndtr(x) + x^2/2)) (a 2e-14 relative difference of log_ndtr grows with x^2)
# and ndtr's slope is subnormal in the far tails
GRAD_TOL = {"erfcx": (1e-12, 1e-14), "log_ndtr": (1e-9, 0.0), "ndtr": (1e-12, 1e-300)}


def _compare(ours, theirs, rtol, atol):
    ours, theirs = ours.detach().numpy(), theirs.detach().numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_array_equal(ours[np.isinf(theirs)], theirs[np.isinf(theirs)])
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("name", UNARY)
def test_values_float64(name):
    x = UNARY[name]
    _compare(getattr(S, name)(numtorch.tensor(x)), getattr(torch.special, name)(torch.tensor(x)),
             rtol=RTOL64.get(name, 2e-14), atol=ATOL.get(name, 0.0))


@pytest.mark.parametrize("name", UNARY)
def test_values_float32(name):
    x = UNARY[name].astype(np.float32)
    _compare(getattr(S, name)(numtorch.tensor(x)), getattr(torch.special, name)(torch.tensor(x)),
             rtol=RTOL32.get(name, 2e-6), atol=ATOL32.get(name, 1e-38))


@pytest.mark.parametrize("name", UNARY)
def test_gradients_float64(name):
    x = UNARY[name]
    if name == "entr":
        x = np.abs(x)
    a = numtorch.tensor(x, requires_grad=True)
    b = torch.tensor(x, requires_grad=True)
    getattr(S, name)(a).sum().backward()
    getattr(torch.special, name)(b).sum().backward()
    rtol, atol = GRAD_TOL.get(name, (1e-12, 0.0))
    _compare(a.grad, b.grad, rtol=rtol, atol=atol)


def test_xlog1py_matches_torch():
    x = np.array([0.0, 0.0, 0.0, -1.0, 2.0, 0.5, 3.0, 0.0, np.nan])
    y = np.array([-1.0, np.nan, -2.0, -1.0, 1e-20, -2.0, 1e300, 5.0, 1.0])
    a, b = numtorch.tensor(x, requires_grad=True), numtorch.tensor(y, requires_grad=True)
    ta, tb = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    ours, theirs = S.xlog1py(a, b), torch.special.xlog1py(ta, tb)
    _compare(ours, theirs, 1e-15, 0.0)
    ours.sum().backward()
    theirs.sum().backward()
    _compare(a.grad, ta.grad, 1e-15, 0.0)
    _compare(b.grad, tb.grad, 1e-15, 0.0)
    _compare(S.xlog1py(2, numtorch.tensor([1, 3])), torch.special.xlog1py(2, torch.tensor([1, 3])),
             1e-6, 0.0)
    _compare(S.xlog1py(numtorch.tensor([1, 3]), 2.5),
             torch.special.xlog1py(torch.tensor([1, 3]), 2.5), 1e-6, 0.0)


def test_zeta_matches_torch():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(1.001, 60, 3000), rng.integers(2, 20, 500),
                        1 + 10 ** -rng.uniform(1, 8, 500)])
    q = np.concatenate([rng.uniform(-20, 50, 3000), rng.uniform(-20, 5, 500),
                        rng.uniform(0.01, 5, 500)])
    q = np.where(rng.random(q.size) < 0.3, np.abs(q) * 10 ** rng.uniform(-5, 5, q.size), q)
    a, b = numtorch.tensor(q, requires_grad=True), torch.tensor(q, requires_grad=True)
    ours, theirs = S.zeta(numtorch.tensor(x), a), torch.special.zeta(torch.tensor(x), b)
    _compare(ours, theirs, 1e-14, 1e-290)
    finite = np.isfinite(theirs.detach().numpy())
    ours[numtorch.tensor(finite)].sum().backward()
    theirs[torch.tensor(finite)].sum().backward()
    _compare(a.grad, b.grad, 1e-13, 1e-290)
    _compare(S.zeta(2, numtorch.tensor([1, 2])), torch.special.zeta(2, torch.tensor([1, 2])),
             1e-6, 0.0)
    x = numtorch.tensor([2.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        S.zeta(x, 1.5).backward()


def test_multigammaln_matches_torch():
    x = np.linspace(1.01, 30, 50)
    for p in (1, 2, 5):
        a, b = numtorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, theirs = S.multigammaln(a, p), torch.special.multigammaln(b, p)
        _compare(ours, theirs, 1e-13, 1e-14)  # lgamma's zero at 1 is absolute
        ours.sum().backward()
        theirs.sum().backward()
        _compare(a.grad, b.grad, 1e-12, 0.0)


ALIASES = {"expit": "sigmoid", "gammaln": "lgamma", "psi": "digamma", "erf": "erf",
           "erfc": "erfc", "erfinv": "erfinv", "logit": "logit", "xlogy": "xlogy",
           "polygamma": "polygamma", "i0": "i0", "sinc": "sinc", "round": "round",
           "log1p": "log1p", "expm1": "expm1", "exp2": "exp2", "logsumexp": "logsumexp"}


@pytest.mark.parametrize("name", ALIASES)
def test_aliases_are_the_top_level_functions(name):
    assert getattr(S, name) is getattr(numtorch, ALIASES[name])


def test_all_names_exist_in_torch():
    assert sorted(S.__all__) == S.__all__
    assert all(hasattr(torch.special, n) for n in S.__all__)


def test_softmax_takes_dtype():
    x = numtorch.tensor([[1.0, 2.0], [3.0, 5.0]])
    tx = torch.tensor([[1.0, 2.0], [3.0, 5.0]])
    _compare(S.softmax(x, 1, dtype=numtorch.float64),
             torch.special.softmax(tx, 1, dtype=torch.float64), 1e-15, 0.0)
    _compare(S.log_softmax(x, 0), torch.special.log_softmax(tx, 0), 1e-6, 0.0)
    # torch's binding takes dtype positionally too, whatever its docstring says
    _compare(S.softmax(x, 0, numtorch.float64), torch.special.softmax(tx, 0, torch.float64),
             1e-15, 0.0)


@pytest.mark.parametrize("name", ["erfcx", "log_ndtr", "ndtr", "ndtri", "i0e", "i1", "i1e",
                                  "entr"])
def test_out_and_int_inputs(name):
    ints = [0, 1, 2]
    ours = getattr(S, name)(numtorch.tensor(ints))
    theirs = getattr(torch.special, name)(torch.tensor(ints))
    _compare(ours, theirs, 1e-6, 0.0)
    out = numtorch.empty(0, dtype=numtorch.float64)
    result = getattr(S, name)(numtorch.tensor([0.25, 0.5], dtype=numtorch.float64), out=out)
    assert result is out
    expected = getattr(torch.special, name)(torch.tensor([0.25, 0.5], dtype=torch.float64))
    _compare(out, expected, 1e-15, 0.0)


@pytest.mark.parametrize("call", [
    lambda lib: lib.special.erfcx(1.0),
    lambda lib: lib.special.xlog1py(2.0, 3.0),
    lambda lib: lib.special.zeta(2.0, 3.0),
    lambda lib: lib.special.multigammaln(lib.tensor([2.0]), 0),
    lambda lib: lib.special.multigammaln(lib.tensor([True]), 2),
])
def test_errors_match_torch(call):
    with pytest.raises((TypeError, RuntimeError)) as theirs:
        call(torch)
    with pytest.raises(theirs.type) as ours:
        call(numtorch)
    if theirs.type is RuntimeError:
        assert str(ours.value) == str(theirs.value)


def test_special_is_lazy_and_aliased(tmp_path):
    code = ("import sys, numtorch\n"
            "before = 'numtorch.special' in sys.modules\n"
            "listed = 'special' in dir(numtorch)\n"
            "numtorch.special.ndtr\n"
            "print(before, listed, 'numtorch.special' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
    script = tmp_path / "uses_special.py"
    script.write_text("import torch.special\nimport torch\n"
                      "print(torch.special.ndtri(torch.tensor([0.5])).item(),"
                      " torch.__name__)\n")
    out = subprocess.run([sys.executable, "-m", "numtorch", "run", str(script)],
                         capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["0.0", "numtorch"]
