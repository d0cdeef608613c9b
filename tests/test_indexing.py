"""Targeted tests for indexing: ``t[key]`` graphs and errors, ``t[key] = v`` (values, casts,
versions, no_grad, autograd), in-place writes through views (CopySlices) against torch, and
the index ops' errors. Values and gradients of each op are covered by tests/optable/indexing.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch

import numtorch

X = np.random.default_rng(0).standard_normal((4, 3, 5)).astype("float32")


def _chain(t):
    """The grad_fn names from ``t`` back along first inputs."""
    out, node = [], t.grad_fn
    while node is not None and "AccumulateGrad" not in node.name():
        out.append(node.name())
        node = node.next_functions[0][0] if node.next_functions else None
    return out


def _both(fn):
    torch = require_torch()
    return fn(numtorch), fn(torch)


KEYS = ["[0]", "[0, 1:3]", "[:, 1:]", "[:]", "[...]", "[None]", "[..., 0]", "[0, ..., None, 1]",
        "[::2]", "[1:3, None, 0]", "[:, :, 1:2]", "[-1]", "[[0, 2]]", "[:, [0, 1]]",
        "[0, [0, 1]]", "[[0, 1], [1, 2]]", "[x > 0]", "[x[..., 0] > 0]", "[lib.tensor(1)]",
        "[True]", "[False]", "[1:2, [0, 1], 0]", "[:, [0, 1], [1, 2]]", "[[0, 1], :, [1, 2]]",
        "[lib.tensor([True, False, True, True])]", "[[True, False, True, True]]", "[(0, 1)]",
        "[:, :]", "[0:4:1, 0:3]", "[()]", "[-100:100]", "[5:]", "[None, [0, 1]]",
        "[lib.tensor(True)]", "[lib.tensor([1])]", "[:, None, [0, 1], None, 0]",
        "[[0, 1], None, [0, 2]]", "[lib.tensor([[0, 1], [1, 2]])]", "[[]]", "[..., ...]",
        "[lib.tensor(1), lib.tensor([0, 1])]", "[[-1, -4]]", "[0, 0, -1]", "[1:3][0]"]


@pytest.mark.parametrize("key", KEYS)
def test_getitem_matches_torch(key):
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        y = eval("x" + key, {"x": x, "lib": lib})
        return y, x

    (ours, x_ours), (theirs, x_theirs) = _both(run)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert _chain(ours) == _chain(theirs)
    assert (ours._base is x_ours) == (theirs._base is x_theirs)
    assert ours.is_contiguous() == theirs.is_contiguous()


def test_basic_getitem_is_a_view():
    x = numtorch.zeros(4, 3)
    x[1:, ::2][0, 1] = 7
    assert x[1, 2].item() == 7
    x[[1, 2]][0, 0] = 9  # advanced indexing copies
    assert x[1, 0].item() == 0


GETITEM_ERRORS = ["[1.5]", "[0, 0, 0, 0]", "[5]", "[-5]", "[:, 3]", "[[4]]", "[[-5]]",
                  "[[0, 1], [0, 1, 2]]", "[lib.tensor([0.])]", "[lib.tensor([True, False])]",
                  "[::-1]", "[::0]", "[None, 5]", "[None, :, 3]", "[[1], [5]]", "[..., 9]",
                  "[0, ..., 9]", "[lib.ones(4, 2, dtype=lib.bool)]", "[:, [3]]", "[0, :, [7]]",
                  "[:, lib.ones(2, dtype=lib.bool)]", "[0, lib.ones(2, 5, dtype=lib.bool)]",
                  "[lib.ones(4, dtype=lib.bool), [0, 1]]", "[None, 0, 0, 0, 0]", "[0, 1, 2, 3]"]


@pytest.mark.parametrize("key", GETITEM_ERRORS)
def test_getitem_errors_match_torch(key):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises(Exception) as info:
            eval("x" + key, {"x": lib.tensor(X), "lib": lib})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1])
    assert str(caught[0]) == str(caught[1])


def test_uint8_mask_and_list_of_sequences_warn_like_torch():
    x = numtorch.tensor(X)
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        assert x[numtorch.ones(4, dtype=numtorch.uint8)].shape == (4, 3, 5)
    with pytest.warns(UserWarning, match="Using a non-tuple sequence for multidimensional"):
        assert x[[[0, 1], [1, 2]]].shape == (2, 5)


SETS = [("[0]", "1.5"), ("[:, 1]", "lib.arange(5.)"), ("[..., 0]", "-1"),
        ("[[0, 2]]", "lib.ones(3, 5)"), ("[x > 0]", "0.0"), ("[0, [1, 0]]", "2"),
        ("[1:3, None]", "lib.ones(1, 1, 3, 5)"), ("[...]", "lib.tensor(3.)"),
        ("[:]", "lib.ones(5, dtype=lib.float64)"), ("[[0, 0], 1]", "lib.ones(2, 1)"),
        ("[x[..., 0] > 0, 1:3]", "7"), ("[lib.tensor([[0], [1]]), [1, 2]]", "4.0"),
        ("[True]", "5"), ("[1, 2, 3]", "lib.tensor(8)"), ("[0]", "True"),
        ("[0, [1]]", "lib.ones(5)")]


@pytest.mark.parametrize(("key", "value"), SETS)
def test_setitem_values_and_version_match_torch(key, value):
    def run(lib):
        x = lib.tensor(X)
        view = x[1:]
        exec(f"x{key} = {value}", {"x": x, "lib": lib})
        return x, view

    (ours, ours_view), (theirs, theirs_view) = _both(run)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours._version == theirs._version == 1
    assert ours_view._version == 1
    np.testing.assert_array_equal(ours_view.numpy(), theirs_view.numpy())


def test_setitem_casts_to_the_target_dtype():
    torch = require_torch()
    for lib in (numtorch, torch):
        x = lib.zeros(3, dtype=lib.int64)
        x[0] = 2.7
        x[1:] = lib.tensor([1.9, -1.9])
        assert x.tolist() == [2, 1, -1]
        b = lib.zeros(2, dtype=lib.bool)
        b[1] = 3
        assert b.tolist() == [False, True]


SET_ERRORS = [("[0]", "lib.ones(2, 5)"), ("[[0, 1]]", "lib.ones(3, 3, 5)"),
              ("[0]", "lib.ones(2, 1, 3, 5)"), ("[[0]]", "lib.ones(3, 5, dtype=lib.float64)"),
              ("[:, 1]", "lib.arange(4.)"), ("[[0, 0], 1]", "lib.tensor([1., 2.])"),
              ("[0, 0, [1]]", "lib.ones(2)"), ("[7]", "1"), ("[0, 0, 0, 0]", "1"),
              ("[0]", "[1, 2, 3]"), ("[[0]]", "lib.tensor(2)")]


@pytest.mark.parametrize(("key", "value"), SET_ERRORS)
def test_setitem_errors_match_torch(key, value):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises(Exception) as info:
            exec(f"x{key} = {value}", {"x": lib.tensor(X), "lib": lib})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1])
    assert str(caught[0]) == str(caught[1])


def test_setitem_on_a_leaf_that_requires_grad():
    torch = require_torch()
    for lib in (numtorch, torch):
        x = lib.tensor(X, requires_grad=True)
        with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad"):
            x[0] = 1
        with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
            x[[0]] = 1
        with lib.no_grad():
            x[0] = 1  # the manual-update pattern: allowed, still a leaf
            x[x > 1] = 0
        assert x.is_leaf and x.requires_grad and x._version == 2
        assert float(x[0].detach().sum()) == 15


SET_GRAPHS = [("[0]", "w"), ("[0]", "2."), ("[...]", "w"), ("[:]", "w"), ("[...]", "0."),
              ("[[0, 1]]", "w"), ("[x > 0]", "w[0]"), ("[0, [0, 1]]", "0."), ("[1:, 1]", "3."),
              ("[:, [0, 1]]", "0."), ("[0]", "lib.tensor(2.)"), ("[1, 0]", "w[0]"),
              ("[0, 0]", "w.sum()")]


@pytest.mark.parametrize(("key", "value"), SET_GRAPHS)
def test_setitem_records_torch_graph_and_gradients(key, value):
    def run(lib):
        x = lib.tensor(X[:2, :3, 0], requires_grad=True)
        w = lib.tensor(X[0, :3, 1], requires_grad=True)
        y = x * 1
        exec(f"y{key} = {value}", {"x": x, "y": y, "w": w, "lib": lib})
        names = (y.grad_fn.name(), [n.name() if n is not None else None
                                    for n, _ in y.grad_fn.next_functions])
        (y * lib.arange(6.).reshape(2, 3)).sum().backward()
        return names, x.grad, w.grad, y._version

    ours, theirs = _both(run)
    assert ours[0] == theirs[0]
    assert ours[3] == theirs[3]
    for a, b in zip(ours[1:3], theirs[1:3]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_repeated_indices_accumulate_gradients():
    torch = require_torch()
    grads = []
    for lib in (numtorch, torch):
        x = lib.tensor(X[:, 0, 0], requires_grad=True)
        idx = lib.tensor([0, 0, 3, 0, 3])
        (x[idx] * lib.arange(5.)).sum().backward()
        x2 = lib.tensor(X[:, :, 0], requires_grad=True)
        x2.gather(0, lib.tensor([[0, 0, 0], [0, 1, 0]])).sum().backward()
        x3 = lib.tensor(X[:, :, 0], requires_grad=True)
        x3.index_select(0, lib.tensor([1, 1, 1])).sum().backward()
        x4 = lib.tensor(X[:, :, 0], requires_grad=True)
        x4.take(lib.tensor([0, -12, 0])).sum().backward()
        grads.append([t.grad.numpy() for t in (x, x2, x3, x4)])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b)
    assert grads[0][0].tolist() == [4.0, 0.0, 0.0, 6.0]  # 0 + 1 + 3 at 0, 2 + 4 at 3


# -- in-place writes through views -----------------------------------------------------------
def _view_slice_mul(lib, x, w):
    y = x * 1
    v = y[1:]
    v.mul_(2)
    return [y, v]


def _iadd_row(lib, x, w):
    y = x * 1
    y[0] += w
    return [y]


def _view_of_view(lib, x, w):
    y = x.sin()
    v = y.t()[1:].unsqueeze(0)
    v.mul_(w[:1, None])
    return [y, v]


def _reshape_view(lib, x, w):
    y = x * 2
    y.view(-1)[::2].add_(w.sum())
    return [y]


def _stale_view(lib, x, w):
    y = x * 1
    v = y[0]
    y.mul_(w[0])
    return [v, y]


def _sibling_view(lib, x, w):
    y = x * 1
    a, b = y[0], y[:, 1]
    a.mul_(w)
    return [b, y]


def _two_writes(lib, x, w):
    y = x.sin()
    y[0].mul_(w)
    y[:, 0].add_(y[1].detach().clone())
    y.t()[2].sub_(w)
    return [y]


def _grad_free_base(lib, x, w):
    z = lib.zeros(3, 3)
    v = z[2]
    z[0] = w
    z[1:] += x[:2]
    return [z, v]


def _inplace_unary_on_view(lib, x, w):
    y = x * 1
    y.diagonal().zero_()
    y.narrow(0, 1, 2).clamp_(min=0.5)
    y[:, 1:].exp_()  # last: exp_ saves its result, which a later write would change
    return [y]


def _masked_fill_on_view(lib, x, w):
    y = x * w
    y[1].masked_fill_(y[1] > 0, 0.)
    y[2:].index_add_(1, lib.tensor([0, 0]), y[:1, :2].detach() * 3)
    return [y]


def _setitem_view(lib, x, w):
    y = x * 1
    v = y[:, :2]
    v[1] = w[:2]
    v[[0, 2], 1] = w[2]
    return [y, v]


INPLACE_CASES = [_view_slice_mul, _iadd_row, _view_of_view, _reshape_view, _stale_view,
                 _sibling_view, _two_writes, _grad_free_base, _inplace_unary_on_view,
                 _masked_fill_on_view, _setitem_view]


@pytest.mark.parametrize("case", INPLACE_CASES, ids=[c.__name__ for c in INPLACE_CASES])
def test_inplace_on_views_matches_torch(case):
    def run(lib):
        x = lib.tensor(X[:3, :3, 0].astype("float64"), requires_grad=True)
        w = lib.tensor(X[0, :3, 1].astype("float64"), requires_grad=True)
        outs = case(lib, x, w)
        rng = np.random.default_rng(5)
        grads = [lib.tensor(rng.standard_normal(tuple(o.shape))) for o in outs]
        lib.autograd.backward(outs, grads)
        return ([o.detach().numpy().copy() for o in outs],
                [o.grad_fn.name() for o in outs], x.grad, w.grad)

    ours, theirs = _both(run)
    for a, b in zip(ours[0], theirs[0]):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert ours[1] == theirs[1]
    for a, b in zip(ours[2:], theirs[2:]):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10)


@pytest.mark.parametrize("case", [_view_slice_mul, _iadd_row, _view_of_view, _setitem_view],
                         ids=lambda c: c.__name__)
def test_inplace_on_views_gradgradcheck(case):
    x = numtorch.tensor(X[:3, :3, 0].astype("float64"), requires_grad=True)
    w = numtorch.tensor(X[0, :3, 1].astype("float64"), requires_grad=True)
    assert numtorch.autograd.gradgradcheck(lambda a, b: tuple(case(numtorch, a, b)), (x, w))


def test_double_backward_through_copyslices_matches_torch():
    def run(lib):
        x = lib.tensor(X[:3, :3, 0].astype("float64"), requires_grad=True)
        y = x * x
        y[1:].mul_(x[0])
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (g * g).sum().backward()
        return g.detach().numpy(), x.grad.numpy()

    ours, theirs = _both(run)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)


def test_views_regain_grad_after_their_base_does():
    torch = require_torch()
    for lib in (numtorch, torch):
        z = lib.zeros(3, 2)
        v = z[2]
        w = lib.ones(2, requires_grad=True)
        z[0] = w
        assert v.requires_grad and v.grad_fn.name() == "AsStridedBackward0"
        assert z.grad_fn.name() == "torch::autograd::CopySlices"


def test_inplace_on_view_keeps_memory_and_version_shared():
    x = numtorch.randn(3, 4, requires_grad=True)
    y = x * 1
    v = y[1:]
    v.mul_(2)
    assert v._base is y and np.shares_memory(v.numpy(force=True), y.numpy(force=True))
    assert y._version == v._version == 1
    np.testing.assert_allclose(y[1:].detach().numpy(), 2 * x[1:].detach().numpy())


def test_view_created_in_no_grad_refuses_recorded_inplace():
    torch = require_torch()
    for lib in (numtorch, torch):
        y = lib.ones(3, requires_grad=True) * 1
        with lib.no_grad():
            v = y[0]
        with pytest.raises(RuntimeError, match="A view was created in no_grad mode and is being "
                                               "modified inplace with grad mode enabled"):
            v.mul_(2)


def test_saved_view_modified_through_its_base_errors_like_torch():
    torch = require_torch()
    messages = []
    for lib in (numtorch, torch):
        x = lib.tensor(X[:3, :4, 0], requires_grad=True)
        y = x * 1
        y[0] += 1
        y[:, -1] *= y[:, 0]  # mul_ saves y[:, 0], which the write itself then changes
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
        messages.append(str(info.value))
    assert messages[0] == messages[1]


# -- index ops: errors ---------------------------------------------------------------------
OP_ERRORS = [
    "m.gather(1, i.float())", "m.gather(5, i)", "m.gather(1, i + 5)", "m.gather(1, i - 5)",
    "m.gather(1, lib.tensor([0, 1]))", "m.gather(1, lib.tensor([[0, 1, 2, 0]] * 5))",
    "m.scatter(1, i + 5, 1.0)", "m.scatter(1, i, lib.ones(4, 1, dtype=lib.float64))",
    "m.scatter(1, lib.tensor([0, 1]), 1.0)", "m.scatter(1, lib.tensor([[0, 1, 2, 0]] * 5), 1.0)",
    "m.scatter(1, i, lib.ones(2, 1))", "m.scatter_add(1, i, lib.ones(2, 1))",
    "m.scatter_add(1, i, lib.ones(4, 1, dtype=lib.float64))", "m.scatter_add(1, i + 5, m)",
    "m.scatter(1, i - 1, m)", "m.index_select(0, lib.tensor([[0]]))",
    "m.index_select(0, lib.tensor([5]))", "m.index_select(0, lib.tensor([-1]))",
    "m.index_select(0, lib.tensor([0.]))", "m.index_add(0, lib.tensor([0, 5]), lib.ones(2, 3))",
    "m.index_add(0, lib.tensor([0, 1]), lib.ones(3, 3))",
    "m.index_add(0, lib.tensor([0, 1]), lib.ones(2, 2))",
    "m.index_add(0, lib.tensor([0, 1]), lib.ones(2, 3, dtype=lib.float64))",
    "m.index_add(0, lib.tensor([0., 1.]), lib.ones(2, 3))",
    "m.index_add(0, lib.tensor([-1]), m[:1])", "m.take(lib.tensor([12]))",
    "m.take(lib.tensor([-13]))", "m.take(lib.tensor([1.]))",
    "m.masked_fill(m, 1.)", "m.masked_fill(m > 0, lib.ones(2))", "m.masked_select(m)",
    "m.masked_fill(lib.tensor([True, False, True]).int(), 2)",
    "m.index_put((lib.tensor([0, 1]),), 1.)",
    "m.index_put((lib.tensor([0]),), lib.ones(3, dtype=lib.float64))",
    "lib.tensor(3.).index_select(0, lib.tensor([0, 0]))",
    "lib.zeros(3, 2).masked_fill_(lib.ones(2, 3, 2, dtype=lib.bool), 1)",
]


@pytest.mark.parametrize("expr", OP_ERRORS)
def test_index_op_errors_match_torch(expr):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        m = lib.tensor(X[:, :, 0])
        i = lib.tensor([[0], [1], [2], [0]])
        with pytest.raises(Exception) as info:
            eval(expr, {"lib": lib, "m": m, "i": i})
        caught.append(info.value)
    assert type(caught[0]) is type(caught[1])
    assert str(caught[0]) == str(caught[1])


OP_GRAPHS = [
    "m.gather(1, i)", "m.scatter(1, i, m[:, :1])", "m.scatter(1, i, 2.0)",
    "m.scatter_add(1, i, m[:, :1])", "m.index_select(0, lib.tensor([0, 2]))",
    "m.masked_fill(m > 0, 1.)", "m.masked_fill(m > 0, lib.tensor(1.))", "m.masked_select(m > 0)",
    "m.take(lib.tensor([0, 5]))", "m.index_add(0, lib.tensor([0, 2]), m[:2])",
    "m.index_put((lib.tensor([0, 1]),), m[0, 0])", "m.clone().masked_fill_(m > 0, 0.)",
    "m.clone().index_put_((lib.tensor([1]),), m[0], accumulate=True)",
    "lib.tensor(3., requires_grad=True).gather(0, lib.tensor(0))",
]


@pytest.mark.parametrize("expr", OP_GRAPHS)
def test_index_op_graphs_match_torch(expr):
    def run(lib):
        m = lib.tensor(X[:, :, 0], requires_grad=True)
        i = lib.tensor([[0], [1], [2], [0]])
        out = eval(expr, {"lib": lib, "m": m, "i": i})
        return out.grad_fn.name(), [n.name() if n is not None else None
                                    for n, _ in out.grad_fn.next_functions], out.dtype

    ours, theirs = _both(run)
    assert ours[:2] == theirs[:2]
    assert str(ours[2]) == str(theirs[2])


def test_index_ops_accept_int32_indices_and_keywords():
    torch = require_torch()
    outs = []
    for lib in (numtorch, torch):
        m = lib.tensor(X[:, :, 0])
        i = lib.tensor([[0], [1], [2], [0]], dtype=lib.int32)
        outs.append([m.gather(1, i), m.scatter(dim=1, index=i, value=2.0),
                     m.scatter(1, i, src=m), m.index_select(0, i[:, 0]),
                     lib.index_add(m, 0, i[:2, 0], m[:2], alpha=-1.0),
                     m.int().masked_fill(m > 0, 2.5)])
    for a, b in zip(*outs):
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(a.numpy(), b.numpy())


def test_nonzero_forms_match_torch():
    torch = require_torch()
    for expr in ["lib.nonzero(lib.tensor(1.))", "lib.nonzero(lib.tensor(0.), as_tuple=True)",
                 "lib.tensor(1.).nonzero(as_tuple=True)", "lib.zeros(2, 0).nonzero()",
                 "lib.where(lib.tensor([[1, 0], [0, 1]]))",
                 "lib.tensor([[1, 0], [0, 1]]).argwhere()",
                 "lib.tensor([0, 3, 0, 1]).nonzero()"]:
        ours, theirs = (eval(expr, {"lib": lib}) for lib in (numtorch, torch))
        ours = ours if isinstance(ours, tuple) else (ours,)
        theirs = theirs if isinstance(theirs, tuple) else (theirs,)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype), expr
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_inplace_index_methods_write_into_self():
    x = numtorch.zeros(3, 2)
    assert x.index_put_((numtorch.tensor([0, 0]),), numtorch.tensor(1.), accumulate=True) is x
    x.masked_fill_(x == 0, 5.)
    x.scatter_(1, numtorch.tensor([[1], [0], [1]]), 0.)
    x.scatter_add_(0, numtorch.tensor([[2, 2]]), numtorch.ones(1, 2))
    x.index_add_(1, numtorch.tensor([0]), numtorch.ones(3, 1))
    assert x.tolist() == [[3., 0.], [1., 5.], [7., 1.]]
    assert x._version == 5


@pytest.mark.parametrize("expr", ["x[0]", "x[[0]]", "x[0:1]", "x[None]", "x[...]",
                                  "x[lib.tensor(True)]", "x[False]"])
def test_zero_dim_indexing_matches_torch(expr):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        try:
            results.append(tuple(eval(expr, {"x": lib.tensor(1.), "lib": lib}).shape))
        except IndexError as e:
            results.append(str(e))
    assert results[0] == results[1]
