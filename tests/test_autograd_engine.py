"""The autograd engine against torch: accumulation, graph shapes, retain_graph, autograd.grad,
higher derivatives, hooks, graph structure, grad_fn names, deep graphs, anomaly mode.

Most tests are scenarios ``fn(lib)`` run on numtorch and on torch (see ``autograd_compare``).
Tensor-level autograd state and misuse errors are in ``test_autograd_tensor.py``.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest
from autograd_compare import leaf, same
from conftest import require_torch

import numtorch


# -- accumulation and graph shapes -------------------------------------------------------------
def accumulate_twice(lib):
    x = leaf(lib, [1.0, 2.0])
    (x * x).sum().backward()
    (x * x).sum().backward()
    return x.grad


def diamond(lib):
    x = leaf(lib, 3.0)
    a, b = x * 2, x.exp()
    (a * b + a).backward()
    return x.grad


def square_by_mul(lib):
    x = leaf(lib, [1.0, -2.0, 3.0])
    (x * x).sum().backward()
    return x.grad


def rebinding_chain(lib):
    x = leaf(lib, 3.0)
    y = x
    for _ in range(4):
        y = y * 2
    y.backward()
    return x.grad, y


def multiple_roots(lib):
    x = leaf(lib, [1.0, 2.0])
    a, b = x * 2, x ** 2
    lib.autograd.backward([a, b], [lib.ones(2), lib.tensor([1.0, 10.0])])
    return x.grad


def shared_leaf_in_two_roots(lib):
    x, w = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    lib.autograd.backward([(x * w).sum(), (x + w).sum()])
    return x.grad, w.grad


def broadcast_grad(lib):
    x, b = leaf(lib, [[1.0, 2.0], [3.0, 4.0]]), leaf(lib, [0.5, 1.5])
    ((x * b).exp() * 0.1).sum().backward()
    return x.grad, b.grad


def dtype_promotion(lib):
    x = leaf(lib, [1.0, 2.0])
    d = leaf(lib, [3.0, 4.0], lib.float64)
    (x * d).sum().backward()
    return x.grad, d.grad


def float64_seed_into_float32(lib):
    x = leaf(lib, [1.0, 2.0, 3.0])
    (x * 2).backward(lib.ones(3, dtype=lib.float64))
    return x.grad


def accumulate_into_existing_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    x.grad = lib.tensor([10.0, 10.0])
    kept = x.grad
    (x * 3).sum().backward()
    return x.grad, kept is x.grad, kept


def leaf_as_root(lib):
    x = leaf(lib, [1.0, 2.0])
    x.backward(lib.tensor([3.0, 4.0]))
    return x.grad


def separate_leaf_grads(lib):
    # a+b sends one gradient to two leaves: their .grad must not share memory
    a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    (a + b).sum().backward()
    with lib.no_grad():
        a.grad.mul_(5)
    return a.grad, b.grad


@pytest.mark.parametrize("scenario", [
    accumulate_twice, diamond, square_by_mul, rebinding_chain, multiple_roots,
    shared_leaf_in_two_roots, broadcast_grad, dtype_promotion, float64_seed_into_float32,
    accumulate_into_existing_grad, leaf_as_root, separate_leaf_grads])
def test_accumulation_matches_torch(scenario):
    same(scenario)


# -- retain_graph ----------------------------------------------------------------------------
def twice_without_saved_tensors(lib):
    a, w = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    loss = (a + w).sum()
    loss.backward()
    loss.backward()
    return a.grad, w.grad


def twice_with_saved_tensors(lib):
    x = leaf(lib, [1.0, 2.0, 3.0])
    loss = (x * x).sum()
    loss.backward()
    loss.backward()


def twice_retained(lib):
    x = leaf(lib, [1.0, 2.0, 3.0])
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    return x.grad


def grad_then_backward(lib):
    x = leaf(lib, [1.0, 2.0])
    y = x.exp().sum()
    lib.autograd.grad(y, x)
    y.backward()


def function_saved_tensors_after_free(lib):
    x = leaf(lib, [1.0, 2.0])
    y = _Square(lib).apply(x)
    y.sum().backward()
    return y.grad_fn.saved_tensors


def _Square(lib):  # noqa: N802 - returns a class
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    return Square


@pytest.mark.parametrize("scenario", [
    twice_without_saved_tensors, twice_with_saved_tensors, twice_retained, grad_then_backward,
    function_saved_tensors_after_free])
def test_retain_graph_matches_torch(scenario):
    same(scenario)


# -- backward(inputs=...) and autograd.grad ----------------------------------------------------
def backward_inputs_leaf(lib):
    x, w = leaf(lib, 1.0), leaf(lib, 2.0)
    (x * w).backward(inputs=[x])
    return x.grad, w.grad


def backward_inputs_single_tensor(lib):
    x, w = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    (x * w).sum().backward(inputs=w)
    return x.grad, w.grad


def backward_inputs_non_leaf(lib):
    x, w = leaf(lib, 1.0), leaf(lib, 2.0)
    h = x * w
    (h * 3).backward(inputs=[h])
    return x.grad, w.grad, h.grad, h.retains_grad


def retained_grad_under_create_graph(lib):
    x = leaf(lib, [1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h ** 3).sum().backward(create_graph=True)
    return h.grad, h.grad.grad_fn.name(), x.grad.grad_fn.name()


def backward_inputs_unreached(lib):
    x, y = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0])
    (x * 2).sum().backward(inputs=[y])
    return x.grad, y.grad


def backward_inputs_empty(lib):
    (leaf(lib, [1.0]) * 2).sum().backward(inputs=[])


def backward_inputs_no_grad(lib):
    (leaf(lib, [1.0]) * 2).sum().backward(inputs=[lib.ones(1)])


def grad_basic(lib):
    x = leaf(lib, [1.0, 2.0])
    h = x * 2
    h.retain_grad()
    out = lib.autograd.grad((h * h).sum(), x)
    return out, x.grad, h.grad  # grad() does not accumulate into leaves


def grad_unused(lib):
    x, y = leaf(lib, 1.0), leaf(lib, 2.0)
    return lib.autograd.grad(x * 2, [x, y])


def grad_allow_unused(lib):
    x, y = leaf(lib, 1.0), leaf(lib, [2.0, 3.0])
    return lib.autograd.grad(x * 2, [x, y], allow_unused=True)


def grad_materialize(lib):
    x, y = leaf(lib, 1.0), leaf(lib, [2.0, 3.0])
    return lib.autograd.grad(x * 2, [x, y], materialize_grads=True)


def grad_materialize_conflict(lib):
    x = leaf(lib, 1.0)
    return lib.autograd.grad(x * 2, [x], materialize_grads=True, allow_unused=False)


def grad_non_leaf_inputs(lib):
    x = leaf(lib, [1.0, 2.0, 3.0])
    h = x * 2
    return lib.autograd.grad((h * h).sum(), [h, x])


def grad_outputs_given(lib):
    x = leaf(lib, [1.0, 2.0])
    return lib.autograd.grad([x * 2, x.sin()], [x], [lib.tensor([1.0, 2.0]), lib.ones(2)])


def grad_inputs_empty(lib):
    return lib.autograd.grad(leaf(lib, [1.0]).sum(), [])


def grad_input_without_grad(lib):
    return lib.autograd.grad(leaf(lib, [1.0]).sum(), [lib.ones(1)])


def grad_duplicate_inputs(lib):
    x = leaf(lib, [1.0, 2.0])
    return lib.autograd.grad((x * x).sum(), [x, x])


def grad_through_shared_intermediate(lib):
    # h feeds both the root and p: p must count as leading to x although the walk meets it
    # before h is explored
    x = leaf(lib, [1.0, 2.0])
    h = x * 2
    p = h * 3
    out = (h + p).sum()
    first = lib.autograd.grad(out, x, retain_graph=True)
    out.backward(inputs=[x])
    return first, x.grad, lib.autograd.grad((h * 1 + h.exp()).sum(), [x, h])


def second_derivative(lib):
    x = leaf(lib, [0.5, 2.0], lib.float64)
    (g,) = lib.autograd.grad((x ** 3).sum(), x, create_graph=True)
    (gg,) = lib.autograd.grad(g.sum(), x)
    return g, gg, g.requires_grad


def third_derivatives(lib):
    x = leaf(lib, 2.0, lib.float64)
    out = []
    for f in (lambda t: t ** 3, lambda t: t.sin()):
        (g1,) = lib.autograd.grad(f(x), x, create_graph=True)
        (g2,) = lib.autograd.grad(g1, x, create_graph=True)
        (g3,) = lib.autograd.grad(g2, x)
        out.append((g1, g2, g3))
    return out


def create_graph_backward(lib):
    x = leaf(lib, 2.0)
    (x ** 3).backward(create_graph=True)
    g = x.grad
    info = (g.requires_grad, g.is_leaf, g.grad_fn.name())
    x.grad = None
    g.backward()
    return info, x.grad


def create_graph_accumulates(lib):
    x = leaf(lib, [1.0, 2.0])
    (x * x).sum().backward(create_graph=True)
    (x * x).sum().backward(create_graph=True)
    return x.grad, x.grad.grad_fn.name()


def create_graph_constant_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    (x * 3).sum().backward(create_graph=True)
    return x.grad, x.grad.requires_grad, x.grad.grad_fn


def create_graph_then_plain(lib):
    x = leaf(lib, [1.0, 2.0])
    (x * x).sum().backward(create_graph=True)
    kept = x.grad
    (x * x).sum().backward()  # accumulates in place into the graph-connected .grad
    return kept is x.grad, x.grad, x.grad.grad_fn.name()


@pytest.mark.parametrize("scenario", [
    backward_inputs_leaf, backward_inputs_single_tensor, backward_inputs_non_leaf,
    retained_grad_under_create_graph, backward_inputs_unreached, backward_inputs_empty,
    backward_inputs_no_grad, grad_basic,
    grad_unused, grad_allow_unused, grad_materialize, grad_materialize_conflict,
    grad_non_leaf_inputs, grad_outputs_given, grad_inputs_empty, grad_input_without_grad,
    grad_duplicate_inputs, grad_through_shared_intermediate, second_derivative,
    third_derivatives, create_graph_backward, create_graph_accumulates,
    create_graph_constant_grad, create_graph_then_plain])
def test_grad_and_inputs_match_torch(scenario):
    same(scenario)


def test_create_graph_backward_warns_about_the_cycle():
    x = numtorch.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle between the parameter and its grad"):
        (x ** 2).backward(create_graph=True)
    assert x.grad.requires_grad
    x.grad = None


# -- retain_grad and hooks ---------------------------------------------------------------------
def retain_grad_non_leaf(lib):
    x = leaf(lib, [1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    (h * h).sum().backward()  # h's grad accumulates too
    return h.grad, h.retains_grad, x.retains_grad, x.grad


def retain_grad_leaf_is_noop(lib):
    x = leaf(lib, [1.0])
    x.retain_grad()
    return x.retains_grad


def retain_grad_no_grad(lib):
    lib.ones(2).retain_grad()


def hooks_order_and_removal(lib):
    x = leaf(lib, [1.0, 2.0])
    log = []
    h1 = x.register_hook(lambda g: log.append(("x1", g.tolist())) or g * 2)
    x.register_hook(lambda g: log.append(("x2", g.tolist())))
    y = x * 3
    y.register_hook(lambda g: log.append(("y", g.tolist())) or g + 1)
    y.sum().backward()
    h1.remove()
    h1.remove()  # removing twice is harmless
    (x * 3).sum().backward()
    return log, x.grad


def hook_and_retain_grad(lib):
    out = []
    for hook_first in (True, False):
        x = leaf(lib, [1.0, 2.0])
        y = x * 3
        if hook_first:
            y.register_hook(lambda g: g * 10)
        y.retain_grad()
        if not hook_first:
            y.register_hook(lambda g: g * 10)
        y.sum().backward()
        out.append((y.grad, x.grad))  # retain_grad always sees the hooked gradient
    return out


def hooks_in_autograd_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    x.register_hook(lambda g: g * 10)
    h = x * 2
    h.register_hook(lambda g: g * 10)
    return lib.autograd.grad((h * 2).sum(), [x]), lib.autograd.grad((h * 2).sum(), [h, x])


def hook_on_no_grad_tensor(lib):
    lib.ones(2).register_hook(lambda g: g)


def node_hooks(lib):
    x = leaf(lib, [1.0, 2.0])
    y = x * 3
    log = []
    y.grad_fn.register_prehook(lambda go: log.append(("pre", [g.tolist() for g in go])))
    y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
    y.grad_fn.register_hook(lambda gi, go: log.append(
        ("post", [None if g is None else g.tolist() for g in gi], [g.tolist() for g in go])))
    handle = y.grad_fn.register_hook(lambda gi, go: log.append("removed"))
    handle.remove()
    y.sum().backward()
    return log, x.grad


def node_hook_replaces_grads(lib):
    x, w = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    y = x * w
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0, gi[1]))
    y.sum().backward()
    return x.grad, w.grad


def post_accumulate_hook(lib):
    x = leaf(lib, [1.0, 2.0])
    seen = []
    x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
    (x * 2).sum().backward()
    (x * 2).sum().backward()
    return seen


@pytest.mark.parametrize("scenario", [
    retain_grad_non_leaf, retain_grad_leaf_is_noop, retain_grad_no_grad, hooks_order_and_removal,
    hook_and_retain_grad, hooks_in_autograd_grad, hook_on_no_grad_tensor, node_hooks,
    node_hook_replaces_grads, post_accumulate_hook])
def test_hooks_match_torch(scenario):
    same(scenario)


# -- graph structure and names -------------------------------------------------------------------
def _structure(node, depth=0):
    """The graph below ``node`` as nested (name, children) tuples."""
    if node is None:
        return None
    return (node.name(), tuple((_structure(n, depth + 1), nr) for n, nr in node.next_functions))


def next_functions_structure(lib):
    x, w = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    y = ((x * lib.tensor([1.0, 2.0])).exp() + w * x).sum()
    return _structure(y.grad_fn)


def accumulate_grad_variable(lib):
    x = leaf(lib, [1.0, 2.0])
    node = (x * 2).grad_fn.next_functions[0][0]
    other = (x + 1).grad_fn.next_functions[0][0]
    return node.variable is x, node is other, node.name(), node.next_functions


def test_graph_structure_matches_torch():
    same(next_functions_structure)
    same(accumulate_grad_variable)


GRAD_FN_CASES = {
    "add": lambda lib, a, b: a + b, "add_scalar": lambda lib, a, b: a + 2,
    "rsub": lambda lib, a, b: 1 - a, "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b, "div": lambda lib, a, b: a / b, "neg": lambda lib, a, b: -a,
    "pow": lambda lib, a, b: a ** 2, "rpow": lambda lib, a, b: 2 ** a,
    "mm": lambda lib, a, b: a @ b.t(), "sum": lambda lib, a, b: a.sum(),
    "sum_dim": lambda lib, a, b: a.sum(1), "mean": lambda lib, a, b: a.mean(),
    "mean_dim": lambda lib, a, b: a.mean(0), "exp": lambda lib, a, b: a.exp(),
    "log": lambda lib, a, b: a.abs().log(), "relu": lambda lib, a, b: a.relu(),
    "sigmoid": lambda lib, a, b: a.sigmoid(), "tanh": lambda lib, a, b: a.tanh(),
    "abs": lambda lib, a, b: a.abs(), "sqrt": lambda lib, a, b: a.abs().sqrt(),
    "view": lambda lib, a, b: a.view(6), "reshape": lambda lib, a, b: a.reshape(3, 2),
    "t": lambda lib, a, b: a.t(), "permute": lambda lib, a, b: a.permute(1, 0),
    "clone": lambda lib, a, b: a.clone(), "expand": lambda lib, a, b: a.sum(0).expand(2, 3),
    "where": lambda lib, a, b: lib.where(a > 0, a, b),
}


@pytest.mark.parametrize("case", sorted(GRAD_FN_CASES))
def test_grad_fn_names_match_torch(case):
    def names(lib):
        a = leaf(lib, [[1.0, -2.0, 3.0], [0.5, 1.5, -1.0]])
        b = leaf(lib, [[2.0, 1.0, 0.5], [1.0, 3.0, 2.0]])
        y = GRAD_FN_CASES[case](lib, a, b)
        return y.grad_fn.name(), repr(y.grad_fn).split(" object at ")[0]
    same(names)


# -- deep graphs ---------------------------------------------------------------------------------
def test_ten_thousand_op_chain_is_iterative_and_fast():
    x = numtorch.tensor([1.0, 2.0], dtype=numtorch.float64, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.sum().backward()
    elapsed = time.perf_counter() - start
    np.testing.assert_allclose(x.grad.numpy(), [1.0001 ** 10_000] * 2, rtol=1e-9)
    assert elapsed < 5.0, f"10,000-op chain took {elapsed:.2f}s"


def test_deep_chain_autograd_grad_and_create_graph():
    x = numtorch.tensor(0.5, dtype=numtorch.float64, requires_grad=True)
    y = x
    for _ in range(3_000):
        y = y.sin()
    (g,) = numtorch.autograd.grad(y, x, create_graph=True)
    (gg,) = numtorch.autograd.grad(g, x)
    assert g.requires_grad and np.isfinite(gg.item())


def test_wide_fan_in_accumulates_once_per_edge():
    x = numtorch.tensor(1.0, requires_grad=True)
    total = x * 0
    for _ in range(2_000):
        total = total + x
    total.backward()
    assert x.grad.item() == 2_000


def test_anomaly_mode_names_the_nan_node():
    torch = require_torch()
    x = numtorch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        guard = numtorch.autograd.detect_anomaly()
    with guard:
        assert numtorch.autograd.is_anomaly_enabled()
        y = (x.sqrt() * numtorch.tensor([float("nan"), 1.0])).sum()
        with pytest.raises(RuntimeError) as ours:
            y.backward()
    assert not numtorch.autograd.is_anomaly_enabled()
    tx = torch.tensor([0.0, 1.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            ty = (tx.sqrt() * torch.tensor([float("nan"), 1.0])).sum()
            with pytest.raises(RuntimeError) as theirs:
                ty.backward()
    assert str(ours.value) == str(theirs.value)
