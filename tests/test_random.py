"""Random numbers: generators and seeding, the random factories and samplers, and the
in-place fills.

Shapes, dtypes, grad_fn names and errors are compared with torch here, and the distributions
are checked with fixed seeds and 5-sigma bounds (the same seed always gives the same samples, so
these checks cannot flake). The values themselves are compared with torch's, draw for draw, in
test_rng_torch_exact.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import numpy as np
import pytest
from conftest import require_torch

import numtorch

N = 100_000
_TRIGGERED = re.compile(r" \(Triggered internally at .*\)$", re.S)


def meta(value: Any) -> Any:
    """A random result without its values: dtype, shape and grad state."""
    if isinstance(value, numtorch.Tensor) or type(value).__name__ == "Tensor":
        grad_fn = value.grad_fn.name() if value.grad_fn is not None else None
        return "tensor", str(value.dtype), tuple(value.shape), value.requires_grad, grad_fn
    return "value", repr(value) if not type(value).__name__ == "Generator" else "Generator"


def outcome(module: Any, expr: str, setup: str) -> tuple[Any, list]:
    env = {"T": module, "np": np}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(setup, env)
            out = meta(eval(expr, env))
        except Exception as e:  # noqa: BLE001 - the error is the outcome being compared
            out = ("error", type(e).__name__, str(e))
    return out, [_TRIGGERED.sub("", str(w.message)) for w in caught
                 if issubclass(w.category, UserWarning)]


SETUP = ("x = T.ones(3, 4); i = T.tensor([1, 2]); g = T.Generator(); g.manual_seed(3); "
         "m = T.zeros(2, 3); s = T.ones(3); p = T.full((2, 3), 0.5); "
         "w = T.tensor([1., 2., 3.]); gm = T.zeros(3, requires_grad=True)")

SAME_META = [
    # generators and seeding
    "T.manual_seed(0) is T.default_generator", "T.manual_seed(0).initial_seed()",
    "T.manual_seed(-1).initial_seed()", "T.manual_seed(2**64 - 1).initial_seed()",
    "T.manual_seed(2**64)", "T.manual_seed(-2**63 - 1)", "T.manual_seed(1.5).initial_seed()",
    "T.manual_seed('a')", "T.manual_seed(T.tensor(5)).initial_seed()", "type(T.seed()).__name__",
    "T.Generator().initial_seed()", "T.Generator('cpu').device", "T.Generator(device='cpu').device",
    "T.Generator('cuda')", "g.initial_seed()", "g.manual_seed(5) is g", "type(g.seed()).__name__",
    "g.get_state()", "T.get_rng_state()", "T.set_rng_state(T.get_rng_state())",
    "g.set_state(g.get_state()) is g", "T.set_rng_state(T.zeros(3))",
    "T.set_rng_state(T.zeros(10, dtype=T.uint8))", "T.set_rng_state([1, 2])",
    "T.Generator().set_state(T.zeros(5056, dtype=T.uint8))",
    # rand / randn
    "T.rand(2, 3)", "T.rand((2, 3))", "T.rand([2, 3])", "T.rand(size=(2, 3))", "T.rand(())",
    "T.rand(0)", "T.rand(2, dtype=T.float64)", "T.rand(2, dtype=T.float16)",
    "T.rand(2, dtype=T.int64)",
    "T.rand(2, dtype=T.bool)", "T.rand(2, requires_grad=True)", "T.rand(2, generator=g)",
    "T.rand(-1)", "T.rand(2, -1)", "T.rand(2.5)", "T.rand((2, 2.5))", "T.rand(None)",
    "T.rand(2, out=T.empty(5))", "T.rand(2, out=T.empty(0, dtype=T.float64))",
    "T.rand(2, out=T.empty(0, dtype=T.int64))", "T.rand(2, device='cuda')",
    "T.randn(2, 3)", "T.randn(2, dtype=T.float16)", "T.randn(2, dtype=T.int32)",
    "T.randn(2, 3, generator=g)", "T.randn(size=(4,))", "T.randn(2, requires_grad=True)",
    "T.randn(2, dtype=T.float32, out=T.empty(0, dtype=T.float64))",
    # randint
    "T.randint(5, (3,))", "T.randint(2, 5, (3,))", "T.randint(5, size=(3,))",
    "T.randint(low=2, high=5, size=(3,))", "T.randint(high=5, size=(3,))",
    "T.randint(5, (3,), dtype=T.float32)", "T.randint(2, (3,), dtype=T.bool)",
    "T.randint(5, (3,), dtype=T.int16)", "T.randint(0, 2**63 - 1, (3,))",
    "T.randint(3, (2,), generator=g)", "T.randint(3, T.Size([2]))", "T.randint(3, [2])",
    "T.randint(5, (3,), dtype=T.float32, requires_grad=True)", "T.randint(5, (2,), out=T.empty(0))",
    "T.randint(5, (3,), dtype=T.bool)", "T.randint(-1, 1, (2,), dtype=T.bool)",
    "T.randint(300, (3,), dtype=T.uint8)", "T.randint(-5, 2, (2,), dtype=T.uint8)",
    "T.randint(-200, 2, (2,), dtype=T.int8)", "T.randint(0, 2**40, (2,), dtype=T.int32)",
    "T.randint(0, 2**40, (2,), dtype=T.int16)", "T.randint(5, 5, (3,))", "T.randint(5, 2, (3,))",
    "T.randint(0, (3,))", "T.randint(5, 3)", "T.randint(2, 5)", "T.randint(2.5, (3,))",
    "T.randint(5, (2.5,))", "T.randint(5, (-1,))", "T.randint(0, 2**63, (2,))",
    "T.randint(5, (3,), requires_grad=True)", "T.randint(low=2, size=(3,))",
    # randperm
    "T.randperm(5)", "T.randperm(0)", "T.randperm(-1)", "T.randperm(5, dtype=T.float32)",
    "T.randperm(5, dtype=T.int32)", "T.randperm(5, dtype=T.float16)", "T.randperm(5, dtype=T.bool)",
    "T.randperm(300, dtype=T.uint8)", "T.randperm(256, dtype=T.uint8)",
    "T.randperm(3000, dtype=T.float16)",
    "T.randperm(5, generator=g)", "T.randperm(5, requires_grad=True)", "T.randperm(2.5)",
    "T.randperm(3, dtype=T.float32, requires_grad=True)",
    "T.randperm(3, out=T.empty(0, dtype=T.float64))",
    # normal, every overload
    "T.normal(0., 1., (2, 3))", "T.normal(0, 1, (2, 3))", "T.normal(0., 1., size=(2, 3))",
    "T.normal(0., 1., (2, 3), dtype=T.float64)", "T.normal(0., 1., (2, 3), dtype=T.int64)",
    "T.normal(0., 1., [2])", "T.normal(0., 1., T.Size([2]))", "T.normal(0., -1., (2,))",
    "T.normal(0., -0.5, (2,))", "T.normal(0., 1., (2,), generator=g)",
    "T.normal(0., 1., (2,), requires_grad=True)", "T.normal(0., 1., (2,), out=T.empty(5))",
    "T.normal(m, s)", "T.normal(m, 1.)", "T.normal(0., s)", "T.normal(1, s)", "T.normal(m, 2)",
    "T.normal(mean=m, std=s)", "T.normal(mean=m)", "T.normal(m)", "T.normal(m.double(), s)",
    "T.normal(m, s.double())", "T.normal(m.double(), 1.)", "T.normal(0., s.half())",
    "T.normal(T.tensor(0.), T.tensor(1.))", "T.normal(T.zeros(3), T.ones(2, 3))",
    "T.normal(m, s, generator=g)", "T.normal(m, s, out=T.empty(0))",
    "T.normal(m, 1., out=T.empty(2, 3))", "T.normal(gm, s)", "T.normal(gm, 1.)",
    "T.normal(0., gm + 1)", "T.normal(gm, gm + 1)", "T.normal(i, 1.)", "T.normal(m, i)",
    "T.normal(m, -s)", "T.normal(m, -1.)", "T.normal(-1., -s)", "T.normal(m, T.ones(4))",
    "T.normal(T.zeros(6), T.ones(2, 3))", "T.normal(T.zeros(2), gm[:2] + 1, out=T.empty(2))",
    # bernoulli, multinomial, poisson
    "T.bernoulli(p)", "T.bernoulli(p.double())", "T.bernoulli(p, 0.3)", "T.bernoulli(p, p=0.3)",
    "T.bernoulli(T.tensor([0.5, 1.5]))", "T.bernoulli(T.tensor([-0.5]))",
    "T.bernoulli(T.tensor([float('nan')]))", "T.bernoulli(T.tensor([0.5]), 1.5)",
    "T.bernoulli(T.tensor([1, 0]))", "T.bernoulli(T.tensor([1, 0]), 0.5)",
    "T.bernoulli(T.tensor([True, False]))", "T.bernoulli(T.tensor([0.5]), generator=g)",
    "T.bernoulli(p, out=T.empty(2, 3))", "T.bernoulli(gm + 0.5)", "p.bernoulli()",
    "p.bernoulli(0.2)", "T.bernoulli(T.zeros(2), out=T.empty(2, requires_grad=True))",
    "T.multinomial(w, 2)", "T.multinomial(w, 5, replacement=True)", "T.multinomial(w, 5)",
    "T.multinomial(w, 4)", "T.multinomial(T.tensor([[1., 2., 3.], [1., 1., 1.]]), 2)",
    "T.multinomial(T.ones(2, 2, 2), 1)", "T.multinomial(T.tensor([1., -2., 3.]), 1)",
    "T.multinomial(T.tensor([1., float('nan'), 3.]), 1)",
    "T.multinomial(T.tensor([1., float('inf')]), 1)",
    "T.multinomial(T.tensor([0., 0.]), 1)", "T.multinomial(T.tensor([[0., 0.], [1, 1]]), 1)",
    "T.multinomial(T.tensor([1, 2]), 1)", "T.multinomial(w, 0)", "T.multinomial(w, -1)",
    "T.multinomial(T.tensor(1.), 1)", "T.multinomial(w, 1, True, generator=g)",
    "T.multinomial(w, num_samples=1, replacement=True)", "T.multinomial(T.zeros(0), 1)",
    "T.multinomial(T.zeros(2, 0), 1)", "T.multinomial(w.half(), 1)",
    "T.multinomial(w, 1, out=T.empty(0, dtype=T.int64))", "T.multinomial(w, 1, out=T.empty(0))",
    "w.multinomial(1)", "w.multinomial(2, True)", "T.multinomial(gm + 1, 2)",
    "T.poisson(T.ones(3))", "T.poisson(T.ones(3), generator=g)", "T.poisson(-T.ones(3))",
    "T.poisson(T.ones(3, dtype=T.int64))", "T.poisson(gm + 1)",
    # *_like
    "T.rand_like(x)", "T.rand_like(x, dtype=T.float64)", "T.rand_like(i)",
    "T.rand_like(i, dtype=T.float32)", "T.randn_like(x.double())", "T.randn_like(i)",
    "T.randn_like(x, requires_grad=True)", "T.randint_like(x, 5)", "T.randint_like(x, 2, 5)",
    "T.randint_like(i, 5)", "T.randint_like(x, high=5)", "T.randint_like(x, low=2, high=5)",
    "T.randint_like(i, 5, dtype=T.float64)", "T.randint_like(x, 0)", "T.rand_like(gm)",
    "T.randint_like(x, 5, generator=g)", "T.rand_like(x, generator=g)",
    "T.randn_like(x, generator=g)", "T.rand_like([1, 2])",
    # in-place fills
    "x.normal_()", "x.normal_(2, 3)", "x.uniform_()", "x.uniform_(2, 3)", "x.uniform_(3, 2)",
    "x.uniform_(**{'from': 0, 'to': 2})", "x.bernoulli_(0.5)", "x.bernoulli_(T.full((3, 4), 0.5))",
    "x.bernoulli_(1.5)", "x.random_()", "x.random_(5)", "x.random_(1, 5)", "x.random_(5, 2)",
    "x.random_(0)", "x.random_(-1)", "x.exponential_()", "x.exponential_(0)", "x.exponential_(-1)",
    "x.geometric_(0.5)", "x.log_normal_()", "x.cauchy_()", "x.normal_(0, -1)",
    "x.normal_(generator=g)", "x.uniform_(generator=g)", "i.random_(5)", "i.random_()",
    "i.bernoulli_(0.5)", "i.uniform_()", "i.normal_()", "i.exponential_()",
    "T.ones(3, dtype=T.uint8).random_(300)", "T.ones(3, dtype=T.int32).random_(2**40)",
    "T.ones(3, dtype=T.bool).random_()", "gm.normal_()", "(gm * 2).normal_()",
    "(gm * 2).uniform_()", "(gm * 2).bernoulli_(0.5)", "(gm * 2).bernoulli_(T.full((3,), .5))",
    "(gm * 2).random_()", "(gm * 2).random_(5)", "(gm * 2).random_(1, 5)",
    "(gm * 2).exponential_()", "(gm * 2).geometric_(0.5)", "(gm * 2).log_normal_()",
    "(gm * 2).cauchy_()", "i.geometric_(0.5)", "i.log_normal_()", "i.cauchy_()",
    "x.geometric_(1.5)", "x.geometric_(1)", "x.log_normal_(1, 0)", "x.cauchy_(0, -1)",
    "T.ones(2, dtype=T.bool).geometric_(0.5)", "T.ones(2, dtype=T.bool).bernoulli_(0.5)",
    "T.ones(2).bernoulli_(T.full((3,), .5))", "x.bernoulli_(T.full((4,), .5))",
]


@pytest.mark.parametrize("expr", SAME_META)
def test_shapes_dtypes_errors_match_torch(expr: str) -> None:
    torch = require_torch()
    assert outcome(numtorch, expr, SETUP) == outcome(torch, expr, SETUP)


def _within(sample: np.ndarray, mean: float, std: float, sigmas: float = 5.0) -> None:
    """The sample mean is within ``sigmas`` standard errors of ``mean``."""
    sample = np.asarray(sample, dtype=np.float64)
    bound = sigmas * std / math.sqrt(sample.size)
    assert abs(sample.mean() - mean) < bound, (sample.mean(), mean, bound)


def _std_within(sample: np.ndarray, std: float) -> None:
    """The sample standard deviation is within 5 of its standard errors (normal data)."""
    sample = np.asarray(sample, dtype=np.float64)
    assert abs(sample.std() - std) < 5 * std / math.sqrt(2 * sample.size), sample.std()


# -- generators --------------------------------------------------------------------------------
def test_same_seed_same_numbers() -> None:
    for make in (lambda: numtorch.rand(5), lambda: numtorch.randn(5),
                 lambda: numtorch.randint(0, 100, (5,)), lambda: numtorch.randperm(10),
                 lambda: numtorch.normal(0.0, 1.0, (5,)),
                 lambda: numtorch.multinomial(numtorch.ones(10), 3)):
        numtorch.manual_seed(123)
        first = make().tolist()
        numtorch.manual_seed(123)
        assert make().tolist() == first
    numtorch.manual_seed(1)
    a = numtorch.rand(5).tolist()
    numtorch.manual_seed(2)
    assert numtorch.rand(5).tolist() != a


def test_generator_is_independent_of_the_global_one() -> None:
    g = numtorch.Generator().manual_seed(7)
    first = numtorch.rand(5, generator=g).tolist()
    numtorch.manual_seed(0)
    g.manual_seed(7)
    numtorch.rand(100)  # draws from the default generator do not move g
    assert numtorch.rand(5, generator=g).tolist() == first
    numtorch.manual_seed(0)
    expected = numtorch.rand(3).tolist()
    numtorch.manual_seed(0)
    numtorch.rand(3, generator=g)
    assert numtorch.rand(3).tolist() == expected


def test_rng_state_round_trip() -> None:
    numtorch.manual_seed(5)
    numtorch.rand(3)
    state = numtorch.get_rng_state()
    a = numtorch.randn(4).tolist()
    numtorch.set_rng_state(state)
    assert numtorch.randn(4).tolist() == a
    g = numtorch.Generator().manual_seed(9)
    saved = g.get_state()
    b = numtorch.randint(0, 1000, (5,), generator=g).tolist()
    g.set_state(saved)
    assert numtorch.randint(0, 1000, (5,), generator=g).tolist() == b
    assert g.initial_seed() == 9 and saved.dtype is numtorch.uint8
    other = numtorch.Generator().set_state(saved)  # the state carries to another generator
    assert numtorch.randint(0, 1000, (5,), generator=other).tolist() == b


def test_seeding_functions() -> None:
    assert numtorch.manual_seed(42) is numtorch.default_generator
    assert numtorch.initial_seed() == 42
    s = numtorch.seed()
    assert numtorch.initial_seed() == s and 0 <= s < 2**64
    assert numtorch.Generator().initial_seed() == 67280421310721  # torch's default seed
    numtorch.manual_seed(0)


# -- distributions -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_rand_is_uniform(dtype: str) -> None:
    numtorch.manual_seed(0)
    x = numtorch.rand(N, dtype=getattr(numtorch, dtype)).numpy()
    assert x.dtype == dtype and x.min() >= 0 and x.max() < 1
    _within(x, 0.5, math.sqrt(1 / 12))
    counts = np.histogram(x, bins=10, range=(0, 1))[0]
    _counts_within(counts, np.full(10, N / 10))


def _counts_within(counts: np.ndarray, expected: np.ndarray) -> None:
    # binomial counts: each within 5 sigma of its expectation
    p = expected / expected.sum()
    sigma = np.sqrt(expected.sum() * p * (1 - p))
    assert np.all(np.abs(counts - expected) < 5 * sigma + 1e-9), (counts, expected)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_randn_is_standard_normal(dtype: str) -> None:
    numtorch.manual_seed(1)
    x = numtorch.randn(N, dtype=getattr(numtorch, dtype)).numpy().astype(np.float64)
    _within(x, 0.0, 1.0)
    _std_within(x, 1.0)
    below = (x < 1.0).astype(float)  # P(Z < 1) = 0.8413
    _within(below, 0.841345, math.sqrt(0.841345 * (1 - 0.841345)))


def test_randint_is_uniform_over_its_range() -> None:
    numtorch.manual_seed(2)
    x = numtorch.randint(-3, 7, (N,)).numpy()
    assert x.min() == -3 and x.max() == 6
    _counts_within(np.bincount(x + 3, minlength=10), np.full(10, N / 10))
    y = numtorch.randint(5, (N,), dtype=numtorch.float32).numpy()
    assert set(np.unique(y)) == {0.0, 1.0, 2.0, 3.0, 4.0}


def test_randperm_is_a_permutation() -> None:
    numtorch.manual_seed(3)
    for n in (0, 1, 7, 1000):
        assert sorted(numtorch.randperm(n).tolist()) == list(range(n))
    firsts = np.array([numtorch.randperm(5)[0].item() for _ in range(5000)])
    _counts_within(np.bincount(firsts, minlength=5), np.full(5, 1000.0))


def test_normal_overloads_have_the_right_moments() -> None:
    numtorch.manual_seed(4)
    x = numtorch.normal(2.0, 3.0, (N,)).numpy()
    _within(x, 2.0, 3.0)
    _std_within(x, 3.0)
    mean = numtorch.tensor([-5.0, 0.0, 5.0])
    std = numtorch.tensor([0.5, 1.0, 2.0])
    cases = [(numtorch.normal(mean.expand(N, 3), std), [-5.0, 0.0, 5.0], [0.5, 1.0, 2.0]),
             (numtorch.normal(mean.expand(N, 3), 2.0), [-5.0, 0.0, 5.0], [2.0] * 3),
             (numtorch.normal(1.0, std.expand(N, 3)), [1.0] * 3, [0.5, 1.0, 2.0])]
    for sample, means, stds in cases:
        for col in range(3):
            _within(sample.numpy()[:, col], means[col], stds[col])
            _std_within(sample.numpy()[:, col], stds[col])
    out = numtorch.empty(0)
    assert numtorch.normal(mean, std, out=out) is out and out.shape == (3,)
    g = numtorch.Generator().manual_seed(3)
    a = numtorch.normal(mean, std, generator=g).tolist()
    g.manual_seed(3)
    assert numtorch.normal(mean, std, generator=g).tolist() == a


def test_random_draws_have_zero_gradients() -> None:
    mean = numtorch.zeros(3, requires_grad=True)
    std = numtorch.ones(3, requires_grad=True)
    y = numtorch.normal(mean, std)
    assert y.grad_fn.name() == "NormalBackward3"
    y.sum().backward()
    assert mean.grad.tolist() == [0.0] * 3 and std.grad.tolist() == [0.0] * 3
    p = numtorch.full((3,), 0.5, requires_grad=True)
    numtorch.bernoulli(p).sum().backward()
    assert p.grad.tolist() == [0.0] * 3
    z = p * 2
    z.normal_()
    assert z.grad_fn.name() == "NormalBackward0"


def test_bernoulli_frequencies() -> None:
    numtorch.manual_seed(5)
    probs = numtorch.tensor([0.0, 0.1, 0.5, 0.9, 1.0]).expand(N, 5)
    x = numtorch.bernoulli(probs).numpy()
    assert set(np.unique(x)) <= {0.0, 1.0}
    for col, q in enumerate([0.0, 0.1, 0.5, 0.9, 1.0]):
        _within(x[:, col], q, math.sqrt(q * (1 - q)) + 1e-12)
    y = numtorch.bernoulli(numtorch.zeros(N), 0.3).numpy()
    _within(y, 0.3, math.sqrt(0.21))
    z = numtorch.empty(N).bernoulli_(0.7).numpy()
    _within(z, 0.7, math.sqrt(0.21))


def test_multinomial_with_replacement_follows_the_weights() -> None:
    numtorch.manual_seed(6)
    weights = numtorch.tensor([1.0, 0.0, 2.0, 7.0])  # unnormalised; index 1 is impossible
    x = numtorch.multinomial(weights, N, replacement=True).numpy()
    assert x.dtype == np.int64 and not (x == 1).any()
    _counts_within(np.bincount(x, minlength=4), N * np.array([0.1, 0.0, 0.2, 0.7]))
    rows = numtorch.multinomial(numtorch.tensor([[1.0, 0.0], [0.0, 1.0]]), 50, True)
    assert rows.shape == (2, 50) and set(rows[0].tolist()) == {0} and set(rows[1].tolist()) == {1}


def test_multinomial_without_replacement() -> None:
    numtorch.manual_seed(7)
    weights = numtorch.tensor([1.0, 2.0, 3.0, 4.0, 0.0])
    firsts = []
    for _ in range(4000):
        draw = numtorch.multinomial(weights, 4).tolist()
        assert len(set(draw)) == 4 and 4 not in draw  # distinct, zero weight never before others
        firsts.append(draw[0])
    _counts_within(np.bincount(firsts, minlength=5)[:4], 4000 * np.array([0.1, 0.2, 0.3, 0.4]))
    assert numtorch.multinomial(numtorch.tensor([1.0, 0.0, 0.0]), 2).tolist()[0] == 0
    full = numtorch.multinomial(numtorch.rand(3, 6) + 0.1, 6)
    assert full.shape == (3, 6) and all(sorted(r) == list(range(6)) for r in full.tolist())


def test_poisson_mean() -> None:
    numtorch.manual_seed(8)
    x = numtorch.poisson(numtorch.full((N,), 3.5)).numpy()
    assert x.dtype == np.float32 and (x == np.round(x)).all()
    _within(x, 3.5, math.sqrt(3.5))


def test_in_place_fills() -> None:
    numtorch.manual_seed(9)
    x = numtorch.empty(N)
    assert x.uniform_(-2.0, 4.0) is x
    assert x.min().item() >= -2 and x.max().item() < 4
    _within(x.numpy(), 1.0, 6 / math.sqrt(12))
    _within(numtorch.empty(N).normal_(3.0, 0.5).numpy(), 3.0, 0.5)
    _within(numtorch.empty(N).exponential_(2.0).numpy(), 0.5, 0.5)
    geo = numtorch.empty(N).geometric_(0.25).numpy()
    assert geo.min() >= 1
    _within(geo, 4.0, math.sqrt(0.75) / 0.25)
    logn = np.log(numtorch.empty(N, dtype=numtorch.float64).log_normal_(1.0, 0.5).numpy())
    _within(logn, 1.0, 0.5)
    cauchy = numtorch.empty(N).cauchy_(2.0, 1.0).numpy()
    assert abs(np.median(cauchy) - 2.0) < 0.05
    ints = numtorch.empty(N, dtype=numtorch.int64).random_(3, 8).numpy()
    assert ints.min() == 3 and ints.max() == 7
    top = numtorch.empty(1000, dtype=numtorch.uint8).random_().numpy()
    assert top.max() > 200
    flags = numtorch.empty(1000, dtype=numtorch.bool).random_().numpy()
    assert set(np.unique(flags)) == {False, True}


def test_in_place_fill_rules() -> None:
    leaf = numtorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        leaf.normal_()
    with numtorch.no_grad():
        leaf.uniform_(0, 1)  # the nn.init pattern
    assert leaf.is_leaf and leaf.requires_grad and leaf._version == 1
    x = numtorch.zeros(4)
    view = x[1:3]
    view.normal_()
    assert x.tolist()[0] == 0.0 and x.tolist()[3] == 0.0 and x.tolist()[1] != 0.0


def test_like_functions() -> None:
    x = numtorch.zeros(3, 4, dtype=numtorch.float64)
    for fn in (numtorch.rand_like, numtorch.randn_like):
        y = fn(x)
        assert y.shape == (3, 4) and y.dtype is numtorch.float64
    r = numtorch.randint_like(x, 3, 5)
    assert r.dtype is numtorch.float64 and set(np.unique(r.numpy())) <= {3.0, 4.0}
    g = numtorch.Generator().manual_seed(1)
    a = numtorch.rand_like(x, generator=g).tolist()
    g.manual_seed(1)
    assert numtorch.rand_like(x, generator=g).tolist() == a
