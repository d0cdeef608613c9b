"""Grad modes against torch: no_grad, enable_grad, set_grad_enabled, inference_mode as context
managers and decorators (with and without parentheses, on functions, methods and generators),
nesting and errors."""

from __future__ import annotations

import pytest
from autograd_compare import same

import numtorch


def records(lib, x):
    """Whether an op on ``x`` is recorded now."""
    return (x * 2).requires_grad


def nesting(lib):
    x = lib.ones(2, requires_grad=True)
    seen = []
    with lib.no_grad():
        seen += [lib.is_grad_enabled(), records(lib, x)]
        with lib.enable_grad():
            seen += [lib.is_grad_enabled(), records(lib, x)]
            with lib.no_grad():
                seen.append(records(lib, x))
        seen.append(lib.is_grad_enabled())
    seen.append(lib.is_grad_enabled())
    return seen


def restored_after_exception(lib):
    try:
        with lib.no_grad():
            raise ValueError("inside")
    except ValueError:
        pass
    return lib.is_grad_enabled()


def decorators(lib):
    x = lib.ones(2, requires_grad=True)

    @lib.no_grad()
    def called(t):
        return records(lib, t), lib.is_grad_enabled()

    @lib.no_grad
    def bare(t):
        return records(lib, t)

    @lib.enable_grad()
    def enabled(t):
        return records(lib, t)

    @lib.enable_grad
    def enabled_bare(t):
        return records(lib, t)

    with lib.no_grad():
        inside = (enabled(x), enabled_bare(x))
    return called(x), bare(x), inside, called.__name__, bare.__name__, lib.is_grad_enabled()


def decorated_method(lib):
    class Model:
        @lib.no_grad()
        def predict(self, t):
            return records(lib, t)

    return Model().predict(lib.ones(1, requires_grad=True))


def generator_functions(lib):
    @lib.no_grad()
    def gen():
        for _ in range(2):
            yield lib.is_grad_enabled()

    @lib.no_grad
    def gen_bare():
        sent = yield lib.is_grad_enabled()
        yield sent, lib.is_grad_enabled()

    seen = list(gen())
    g = gen()
    seen += [next(g), lib.is_grad_enabled()]  # the caller keeps its own mode between steps
    b = gen_bare()
    seen += [next(b), b.send("hi"), lib.is_grad_enabled()]
    return seen


def set_grad_enabled_forms(lib):
    seen = []
    lib.set_grad_enabled(False)
    seen.append(lib.is_grad_enabled())
    lib.set_grad_enabled(True)
    with lib.set_grad_enabled(False):
        seen.append(lib.is_grad_enabled())
    seen.append(lib.is_grad_enabled())

    @lib.set_grad_enabled(False)
    def off():
        return lib.is_grad_enabled()

    seen += [lib.is_grad_enabled(), off(), lib.is_grad_enabled()]
    with lib.no_grad():
        with lib.set_grad_enabled(True):
            seen.append(lib.is_grad_enabled())
        seen.append(lib.is_grad_enabled())
    guard = lib.set_grad_enabled(False)  # takes effect when called, even before ``with``
    seen.append(lib.is_grad_enabled())
    with guard:
        seen.append(lib.is_grad_enabled())
    seen.append(lib.is_grad_enabled())
    return seen


def set_grad_enabled_repr(lib):
    return str(lib.set_grad_enabled(True)).split("autograd.grad_mode.")[1]


@pytest.mark.parametrize("value", [1, 0, None, 1.0, "yes"])
def test_set_grad_enabled_rejects_non_bool(value):
    same(lambda lib: lib.set_grad_enabled(value))


def inference_mode_forms(lib):
    x = lib.ones(2, requires_grad=True)
    seen = []
    with lib.inference_mode():
        seen += [lib.is_grad_enabled(), lib.is_inference_mode_enabled(), records(lib, x)]
        with lib.inference_mode(False):
            seen += [lib.is_grad_enabled(), lib.is_inference_mode_enabled()]
    with lib.no_grad():
        with lib.inference_mode(False):  # as in torch, mode False turns recording on
            seen.append(lib.is_grad_enabled())

    @lib.inference_mode()
    def called():
        return lib.is_grad_enabled(), lib.is_inference_mode_enabled()

    @lib.inference_mode
    def bare():
        return lib.is_grad_enabled(), lib.is_inference_mode_enabled()

    @lib.inference_mode(mode=False)
    def off():
        return lib.is_grad_enabled(), lib.is_inference_mode_enabled()

    return seen, called(), bare(), off(), lib.is_inference_mode_enabled()


def reused_instance(lib):
    guard = lib.no_grad()
    with guard:
        pass
    with guard:
        inside = lib.is_grad_enabled()
    return inside, lib.is_grad_enabled()


def enter_returns(lib):
    with lib.no_grad() as a, lib.enable_grad() as b, lib.set_grad_enabled(True) as c:
        pass
    with lib.inference_mode() as d:
        pass
    return a, b, c, d


def backward_inside_no_grad(lib):
    x = lib.ones(2, requires_grad=True)
    y = (x * x).sum()
    with lib.no_grad():
        y.backward()  # the engine runs regardless of the caller's mode
    return x.grad.tolist(), lib.is_grad_enabled()


@pytest.mark.parametrize("scenario", [
    nesting, restored_after_exception, decorators, decorated_method, generator_functions,
    set_grad_enabled_forms, set_grad_enabled_repr, inference_mode_forms, reused_instance,
    enter_returns, backward_inside_no_grad])
def test_grad_modes_match_torch(scenario):
    same(scenario)


def test_decorating_a_class_is_deprecated():
    with pytest.warns(FutureWarning, match="Decorating classes is deprecated"):
        @numtorch.no_grad()
        class Holder:
            def __init__(self):
                self.enabled = numtorch.is_grad_enabled()

    assert Holder().enabled is False
    assert numtorch.is_grad_enabled()


def test_manual_sgd_step_under_no_grad():
    w = numtorch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with numtorch.no_grad():
        w -= 0.1 * w.grad
    assert w.is_leaf and w.requires_grad and w._version == 1
    assert w.tolist() == pytest.approx([0.8, 1.6])
