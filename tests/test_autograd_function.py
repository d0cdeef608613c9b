"""autograd.Function against torch: the polynomial tutorial's LegendrePolynomial3, ctx features
(needs_input_grad, mark_non_differentiable, mark_dirty, set_materialize_grads), setup_context,
once_differentiable, double backward, names and misuse errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_compare import leaf, same

import numtorch


def legendre(lib):
    """The custom Function of PyTorch's polynomial tutorial: P3(x) = (5x^3 - 3x) / 2."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return LegendrePolynomial3


def fn(lib, forward, backward, setup_context=None, name="Fn"):
    """A Function subclass named ``name`` from plain callables."""
    body = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    if setup_context is not None:
        body["setup_context"] = staticmethod(setup_context)
    return type(name, (lib.autograd.Function,), body)




# -- the tutorial ----------------------------------------------------------------------------------
def tutorial_fit(lib):
    """The tutorial's training loop, shortened: fit y = a + b P3(c + d x) to sin(x)."""
    lib.manual_seed(0)
    x = lib.linspace(-np.pi, np.pi, 200)
    y = lib.sin(x)
    a, b, c, d = (lib.full((), v, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
    P3 = legendre(lib).apply  # noqa: N806 - the tutorial's name
    for _ in range(50):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with lib.no_grad():
            for p in (a, b, c, d):
                p -= 5e-6 * p.grad
                p.grad = None
    return loss, a, b, c, d


def legendre_graph(lib):
    x = lib.linspace(-1, 1, 5, requires_grad=True)
    y = legendre(lib).apply(x)
    y.sum().backward()
    fn_node = y.grad_fn
    return (y, x.grad, fn_node.name(), type(fn_node).__name__, y.is_leaf,
            [type(n).__name__ for n, _ in fn_node.next_functions],
            fn_node.next_functions[0][0].variable is x)


def legendre_double_backward(lib):
    x = leaf(lib, [0.3, 0.7], lib.float64)
    (g,) = lib.autograd.grad(legendre(lib).apply(x).sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    return g, gg


def legendre_without_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    with lib.no_grad():
        y = legendre(lib).apply(x)
    z = legendre(lib).apply(lib.ones(2))
    return y.requires_grad, y.grad_fn, z.requires_grad, z.grad_fn


def saved_tensors_before_backward(lib):
    x = leaf(lib, [0.5, 1.0])
    y = legendre(lib).apply(x)
    return y.grad_fn.saved_tensors[0] is x, y.grad_fn.needs_input_grad


@pytest.mark.parametrize("scenario", [
    tutorial_fit, legendre_graph, legendre_double_backward, legendre_without_grad,
    saved_tensors_before_backward])
def test_tutorial_function_matches_torch(scenario):
    same(scenario)


def test_grad_fn_repr_names_the_backward_class():
    x = numtorch.ones(2, requires_grad=True)
    y = legendre(numtorch).apply(x)
    assert repr(y.grad_fn).startswith(
        "<numtorch.autograd.function.LegendrePolynomial3Backward object at 0x")
    assert "grad_fn=<LegendrePolynomial3Backward>" in repr(y)


# -- ctx features ----------------------------------------------------------------------------------
def needs_input_grad(lib):
    seen = []

    def backward(ctx, g):
        seen.append(ctx.needs_input_grad)
        return (g * ctx.k if ctx.needs_input_grad[0] else None,
                g * ctx.k if ctx.needs_input_grad[1] else None, None)

    def forward(ctx, a, b, k):
        ctx.k = k
        seen.append(ctx.needs_input_grad)
        return a * b * k

    a = leaf(lib, [1.0, 2.0])
    fn(lib, forward, backward).apply(a, lib.ones(2), 3.0).sum().backward()
    return seen, a.grad


def non_differentiable_output(lib):
    seen = []

    def forward(ctx, x):
        idx = (x > 1).long()
        other = x * 3
        ctx.mark_non_differentiable(idx, other)
        return x * 2, idx, other

    def backward(ctx, g, g_idx, g_other):
        seen.extend([g_idx, g_other])
        return g * 2

    x = leaf(lib, [1.0, 2.0])
    y, idx, other = fn(lib, forward, backward).apply(x)
    y.sum().backward()
    return idx.requires_grad, other.requires_grad, other.is_leaf, seen, x.grad


def dirty_input(lib):
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    a = leaf(lib, [1.0, 2.0])
    x = a * 1
    y = fn(lib, forward, lambda ctx, g: g * 2, name="Dirty").apply(x)
    y.sum().backward()
    return y is x, x.grad_fn.name(), a.grad, x._version


def dirty_leaf(lib):
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    fn(lib, forward, lambda ctx, g: g).apply(leaf(lib, [1.0, 2.0]))


def materialize_grads(lib):
    seen = []

    def backward(ctx, g1, g2):
        seen.append((g1, g2))
        return g1 if g2 is None else g1 + g2

    def forward_on(ctx, x):
        return x * 2, x * 3

    def forward_off(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    x = leaf(lib, [1.0, 2.0])
    fn(lib, forward_on, backward).apply(x)[0].sum().backward()
    fn(lib, forward_off, backward).apply(x)[0].sum().backward()
    return seen, x.grad


def non_tensor_arguments_and_outputs(lib):
    def forward(ctx, x, scale, name):
        ctx.scale = scale
        return x * scale, name.upper()

    out, label = fn(lib, forward, lambda ctx, g, _: (g * ctx.scale, None, None)).apply(
        leaf(lib, [1.0, 2.0]), 3.0, "ok")
    return out, label, out.grad_fn.name()


def multiple_outputs(lib):
    def forward(ctx, x, y):
        return x * 2, y * 3

    x, y = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0])
    a, b = fn(lib, forward, lambda ctx, g1, g2: (g1 * 2, g2 * 3), name="Two").apply(x, y)
    (a.sum() + b.sum()).backward()
    return x.grad, y.grad, a.grad_fn is b.grad_fn, (a.output_nr, b.output_nr), a.grad_fn.name()


def input_returned_unchanged(lib):
    x = leaf(lib, [1.0, 2.0])
    y = fn(lib, lambda ctx, t: t, lambda ctx, g: g * 5, name="Ident").apply(x)
    y.sum().backward()
    return y is x, y.grad_fn.name(), y.is_leaf, x.grad, y.data_ptr() == x.data_ptr()


def setup_context_style(lib):
    def forward(x, k):
        return x * k

    def setup_context(ctx, inputs, output):
        x, k = inputs
        ctx.k = k
        ctx.save_for_backward(x)

    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * ctx.k + x * 0, None

    x = leaf(lib, [1.0, 2.0])
    y = fn(lib, forward, backward, setup_context, name="Setup").apply(x, 3.0)
    y.sum().backward()
    return x.grad, y.grad_fn.name()


def grad_mode_inside(lib):
    seen = []

    def forward(ctx, x):
        seen.append(lib.is_grad_enabled())
        return x * 2

    def backward(ctx, g):
        seen.append(lib.is_grad_enabled())
        return g

    f = fn(lib, forward, backward)
    x = leaf(lib, [1.0])
    f.apply(x).sum().backward()
    lib.autograd.grad(f.apply(x).sum(), x, create_graph=True)
    return seen


def saved_output_modified(lib):
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y

    y = fn(lib, forward, backward, name="SaveOut").apply(leaf(lib, [0.5, 1.0]))
    y.add_(1)
    y.sum().backward()


def saved_output_double_backward(lib):
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y

    x = leaf(lib, [0.5, 1.0], lib.float64)
    (g,) = lib.autograd.grad(fn(lib, forward, backward).apply(x).sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    return g, gg


@pytest.mark.parametrize("scenario", [
    needs_input_grad, non_differentiable_output, dirty_input, dirty_leaf, materialize_grads,
    non_tensor_arguments_and_outputs, multiple_outputs, input_returned_unchanged,
    setup_context_style, grad_mode_inside, saved_output_modified, saved_output_double_backward])
def test_ctx_features_match_torch(scenario):
    same(scenario)


# -- once_differentiable ---------------------------------------------------------------------------
def _once(lib):
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @lib.autograd.function.once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g

    return fn(lib, forward, backward, name="Once")


def once_plain_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    (g,) = lib.autograd.grad(_once(lib).apply(x).sum(), x, create_graph=True)
    return g, g.requires_grad, g.grad_fn


def once_twice_raises(lib):
    x = leaf(lib, [1.0, 2.0])
    y = _once(lib).apply(x) * x  # the upstream gradient requires grad
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    info = (g.grad_fn.name(), [n.name() for n, _ in g.grad_fn.next_functions])
    try:
        g.sum().backward()
    except RuntimeError as e:
        return info, str(e)
    return info, None


@pytest.mark.parametrize("scenario", [once_plain_grad, once_twice_raises])
def test_once_differentiable_matches_torch(scenario):
    same(scenario)


# -- misuse ----------------------------------------------------------------------------------------
def too_few_grads(lib):
    f = fn(lib, lambda ctx, x, y: x * y, lambda ctx, g: g, name="Wrong")
    f.apply(leaf(lib, [1.0]), leaf(lib, [2.0])).sum().backward()


def too_many_grads(lib):
    f = fn(lib, lambda ctx, x: x * 2, lambda ctx, g: (g, g), name="Wrong")
    f.apply(leaf(lib, [1.0])).sum().backward()


def surplus_nones(lib):
    x = leaf(lib, [1.0])
    fn(lib, lambda ctx, x: x * 2, lambda ctx, g: (g, None, None)).apply(x).sum().backward()
    return x.grad


def grad_for_non_tensor_input(lib):
    f = fn(lib, lambda ctx, x, k: x * k, lambda ctx, g: (g, g), name="NonTensor")
    f.apply(leaf(lib, [1.0]), 2).sum().backward()


def grad_of_wrong_type(lib):
    f = fn(lib, lambda ctx, x: x * 2, lambda ctx, g: 3.0, name="WrongType")
    f.apply(leaf(lib, [1.0])).sum().backward()


def grad_of_wrong_shape(lib):
    f = fn(lib, lambda ctx, x: x * 2, lambda ctx, g: lib.ones(3), name="WrongShape")
    f.apply(leaf(lib, [1.0, 2.0])).sum().backward()


def grad_of_other_dtype(lib):
    x = leaf(lib, [1.0, 2.0])
    f = fn(lib, lambda ctx, x: x * 2, lambda ctx, g: lib.ones(2, dtype=lib.float64))
    f.apply(x).sum().backward()
    return x.grad


def save_non_tensor(lib):
    def forward(ctx, x):
        ctx.save_for_backward(x, 3)
        return x * 2

    fn(lib, forward, lambda ctx, g: g).apply(leaf(lib, [1.0]))


@pytest.mark.parametrize("scenario", [
    too_few_grads, too_many_grads, surplus_nones, grad_for_non_tensor_input, grad_of_wrong_type,
    grad_of_wrong_shape, grad_of_other_dtype, save_non_tensor])
def test_function_misuse_matches_torch(scenario):
    same(scenario)


def test_instantiating_a_function_is_deprecated():
    class Plain(numtorch.autograd.Function):
        pass

    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        Plain()
