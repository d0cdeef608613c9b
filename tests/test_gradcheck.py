"""gradcheck / gradgradcheck against torch: signature, results, GradcheckError messages,
raise_exception=False, and that a deliberately wrong custom backward is caught."""

from __future__ import annotations

import inspect
import random
import time

import pytest
from autograd_compare import same
from conftest import require_torch

import numtorch
from numtorch.autograd.gradcheck import GradcheckError


def x64(lib, values=(1.0, 2.0)):
    return lib.tensor(list(values), dtype=lib.float64, requires_grad=True)


def function(lib, name, forward, backward):
    return type(name, (lib.autograd.Function,), {"forward": staticmethod(forward),
                                                  "backward": staticmethod(backward)})


def wrong_square(lib):
    """x**2 whose backward says 3x: gradcheck must catch it."""
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x

    return function(lib, "WrongSquare", forward, backward)


def wrong_second_derivative(lib):
    """x**3 whose backward detaches x: first derivative right, second wrong."""
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x.detach() ** 2

    return function(lib, "Cube", forward, backward)


def passes(lib):
    x, y = x64(lib), x64(lib, [3.0])
    s = lib.tensor(2.0, dtype=lib.float64, requires_grad=True)
    e = lib.zeros(0, dtype=lib.float64, requires_grad=True)
    ac = lib.autograd
    return [ac.gradcheck(lambda a: a ** 2, x),
            ac.gradcheck(lambda a, b: (a * b, a + b), (x, y)),
            ac.gradcheck(lambda a, k: a * k, (x, 3)),
            ac.gradcheck(lambda a: (a * 2, (a > 0).long()), (x,)),
            ac.gradcheck(lambda a: a * a, (s,)),
            ac.gradcheck(lambda a: a * 2, (e,)),
            ac.gradcheck(lambda a: lib.ones(2, dtype=lib.float64), (x,)),
            ac.gradcheck(lambda a: a.sin(), (x,), fast_mode=True),
            ac.gradgradcheck(lambda a, b: (a * b * a, a + b), (x, y)),
            ac.gradgradcheck(lambda a: a * a * a, (s,)),
            ac.gradgradcheck(lambda a: a * 2, (x,)),
            ac.gradgradcheck(lambda a: a * 2, (e,)),
            ac.gradgradcheck(lambda a: a.sin(), (x,), (lib.ones(2, dtype=lib.float64),))]


def non_contiguous_input(lib):
    base = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64)
    xt = base.t().requires_grad_()
    w = lib.tensor([[1.0], [2.0], [3.0]], dtype=lib.float64)
    return lib.autograd.gradcheck(lambda a: a.exp() * w, (xt,)), xt.is_contiguous()


def catches_wrong_backward(lib):
    return lib.autograd.gradcheck(wrong_square(lib).apply, (x64(lib),))


def wrong_backward_no_raise(lib):
    return lib.autograd.gradcheck(wrong_square(lib).apply, (x64(lib),), raise_exception=False)


def input_index_counts_differentiable_inputs(lib):
    def forward(ctx, a, k, b):
        ctx.save_for_backward(a, b)
        return a * b

    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g * b, None, (g * a).sum().reshape(1) * 0

    f = function(lib, "ZeroForB", forward, backward)
    return lib.autograd.gradcheck(f.apply, (x64(lib), 3, x64(lib, [3.0])))


def detached_output(lib):
    return lib.autograd.gradcheck(lambda a: a.detach() * 2, (x64(lib),))


def detached_output_no_raise(lib):
    return lib.autograd.gradcheck(lambda a: a.detach() * 2, (x64(lib),), raise_exception=False)


def nothing_requires_grad(lib):
    return lib.autograd.gradcheck(lambda a: a * 2, (lib.ones(2, dtype=lib.float64),))


def not_multiplied_by_grad_output(lib):
    f = function(lib, "AddsOne", lambda ctx, a: a * 2, lambda ctx, g: g * 2 + 1)
    return lib.autograd.gradcheck(f.apply, (x64(lib),), atol=2.0)


def nan_gradient(lib):
    x = lib.tensor([-1.0, 1.0], dtype=lib.float64, requires_grad=True)
    return lib.autograd.gradcheck(lambda a: a.sqrt(), (x,))


def gradgrad_catches_wrong_second_derivative(lib):
    # the numbers in the message depend on random grad_outputs: compare the first line
    try:
        lib.autograd.gradgradcheck(wrong_second_derivative(lib).apply, (x64(lib),))
    except RuntimeError as e:
        return type(e).__name__, str(e).splitlines()[0]
    return None


def gradgrad_no_raise(lib):
    return lib.autograd.gradgradcheck(wrong_second_derivative(lib).apply, (x64(lib),),
                                      raise_exception=False)


def not_reentrant(lib):
    f = function(lib, "Noisy", lambda ctx, a: a * 2,
                 lambda ctx, g: g * 2 + random.random() * 1e-3)
    return lib.autograd.gradcheck(f.apply, x64(lib), atol=1e-2)


@pytest.mark.parametrize("scenario", [
    passes, non_contiguous_input, catches_wrong_backward, wrong_backward_no_raise,
    input_index_counts_differentiable_inputs, detached_output, detached_output_no_raise,
    nothing_requires_grad, not_multiplied_by_grad_output, nan_gradient,
    gradgrad_catches_wrong_second_derivative, gradgrad_no_raise, not_reentrant])
def test_gradcheck_matches_torch(scenario):
    same(scenario)


def test_gradcheck_error_is_a_runtime_error():
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        numtorch.autograd.gradcheck(wrong_square(numtorch).apply, (x64(numtorch),))
    assert issubclass(GradcheckError, RuntimeError)


def test_float32_inputs_warn_like_torch():
    x = numtorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double"):
        assert numtorch.autograd.gradcheck(lambda a: a * 3, (x,), eps=1e-2, atol=1e-2)


def test_signatures_match_torch():
    torch = require_torch()
    for name in ("gradcheck", "gradgradcheck"):
        ours = inspect.signature(getattr(numtorch.autograd, name)).parameters
        theirs = inspect.signature(getattr(torch.autograd, name)).parameters
        assert list(ours) == list(theirs)
        for p in theirs:
            assert ours[p].default == theirs[p].default and ours[p].kind == theirs[p].kind, p


def test_inputs_are_left_unchanged():
    x = x64(numtorch, [0.3, -0.7, 1.1])
    before = x.tolist()
    assert numtorch.autograd.gradcheck(lambda a: a.tanh(), (x,))
    assert x.tolist() == before and x.grad is None


def test_gradcheck_is_quick_on_small_inputs():
    x = numtorch.randn(4, 6, dtype=numtorch.float64, requires_grad=True)
    w = numtorch.randn(6, 3, dtype=numtorch.float64, requires_grad=True)
    start = time.perf_counter()
    assert numtorch.autograd.gradcheck(lambda a, b: (a @ b).tanh(), (x, w))
    assert time.perf_counter() - start < 2.0
