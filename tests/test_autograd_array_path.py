"""The engine's array path (NOTE [ The array path ]) against its Tensor path: every op of the
op table must give bit-identical gradients both ways, and leaves' gradients stay private."""

from __future__ import annotations

import numpy as np
import pytest
from optable import all_ops
from optable.compare import sample_inputs

import numtorch
from numtorch.autograd import engine

CASES = [(spec, shapes, dtype) for spec in all_ops() if spec.grad for shapes in spec.shapes
         for dtype in spec.dtypes if dtype.startswith("float")]


def _grads(spec, arrays, array_path: bool) -> list:
    inputs = []
    for i, a in enumerate(arrays):
        t = numtorch.from_numpy(a.copy())
        if i not in spec.index_inputs and a.dtype.kind == "f":
            t.requires_grad_(True)
        inputs.append(t)
    result = spec.fn(numtorch, *inputs)
    outs = [o for o in (result if isinstance(result, (tuple, list)) else [result])
            if isinstance(o, numtorch.Tensor) and o.requires_grad]
    if not outs:
        return []
    rng = np.random.default_rng(1)
    seeds = [numtorch.from_numpy(rng.standard_normal(tuple(o.shape)).astype(o._data.dtype))
             for o in outs]
    saved = engine.ARRAY_PATH
    engine.ARRAY_PATH = array_path
    try:
        numtorch.autograd.backward(outs, seeds)
    finally:
        engine.ARRAY_PATH = saved
    return [None if t.grad is None else t.grad._data for t in inputs if t.requires_grad]


@pytest.mark.parametrize(("spec", "shapes", "dtype"), CASES,
                         ids=[f"{s.name}-{sh}-{d}" for s, sh, d in CASES])
def test_array_path_matches_tensor_path(spec, shapes, dtype):
    arrays = sample_inputs(spec, shapes, dtype)
    fast, slow = _grads(spec, arrays, True), _grads(spec, arrays, False)
    assert len(fast) == len(slow)
    for i, (f, s) in enumerate(zip(fast, slow)):
        assert (f is None) == (s is None), f"grad {i} presence"
        if f is not None:
            assert f.dtype == s.dtype and f.shape == s.shape, f"grad {i}"
            np.testing.assert_array_equal(f, s, err_msg=f"grad {i}", strict=True)


def _leaves(n: int, shape: tuple = (3,)) -> list:
    return [numtorch.ones(shape, requires_grad=True) for _ in range(n)]


def _private(*tensors) -> None:
    grads = [t.grad._data for t in tensors]
    for i, g in enumerate(grads):
        assert g.flags.writeable
        for h in grads[i + 1:]:
            assert not np.shares_memory(g, h)


def test_one_gradient_reaching_two_leaves_is_copied():
    a, b = _leaves(2)
    (a + b).sum().backward()  # AddBackward0 hands the same array to both
    _private(a, b)
    a.grad.add_(1)
    assert b.grad.tolist() == [1.0, 1.0, 1.0]


def test_accumulation_never_writes_into_another_leaf():
    a, b = _leaves(2)
    for _ in range(3):
        (a * 2 + b).sum().backward()
    assert a.grad.tolist() == [6.0] * 3 and b.grad.tolist() == [3.0] * 3
    _private(a, b)


def test_users_gradient_is_not_adopted():
    x = numtorch.ones(3, requires_grad=True)
    g = numtorch.tensor([1.0, 2.0, 3.0])
    x.backward(g)
    assert not np.shares_memory(x.grad._data, g._data)
    y = numtorch.ones(3, requires_grad=True)
    (y * 1).backward(g)
    assert y.grad.tolist() == [1.0, 2.0, 3.0]
    y.grad.zero_()
    assert g.tolist() == [1.0, 2.0, 3.0]


def test_gradient_kept_by_a_hook_is_not_adopted():
    x = numtorch.ones(3, requires_grad=True)
    seen = []
    y = x * 2
    y.register_hook(lambda g: seen.append(g))
    (y * 3).sum().backward()
    x_grad_before = x.grad.clone()
    seen[0].add_(100)
    assert x.grad.tolist() == x_grad_before.tolist()


def test_retained_gradient_and_leaf_gradient_are_separate():
    x = numtorch.ones(3, requires_grad=True)
    y = x * 1
    y.retain_grad()
    (y * 2).sum().backward()
    assert not np.shares_memory(x.grad._data, y.grad._data)


def test_broadcast_gradient_becomes_a_writeable_copy():
    x = numtorch.ones(3, requires_grad=True)
    x.sum().backward()  # SumBackward0 gives a read-only broadcast view
    assert x.grad._data.flags.writeable
    x.grad.add_(1)
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_saved_tensors_checked_and_freed_on_the_array_path():
    x = numtorch.ones(3, requires_grad=True)
    y = x * 2
    z = y * y
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    w = (x * x).sum()
    w.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        w.backward()


def test_view_of_a_gradient_someone_keeps_is_copied():
    a = numtorch.ones(3, 4, requires_grad=True)
    v = a.t() * 1  # (4, 3), its gradient arrives row-major; a's is its transpose
    kept = []
    v.register_hook(lambda g: kept.append(g))
    (v.t() * 2).sum().backward()  # TBackward0 hands on a transposed view of v's gradient
    kept[0].add_(100)
    assert a.grad.tolist() == [[2.0] * 4] * 3


def test_linear_weight_gradient_is_row_major_and_private():
    torch_like = numtorch.nn.Linear(4, 3)
    x = numtorch.ones(2, 4)
    torch_like(x).sum().backward()
    w, b = torch_like.weight, torch_like.bias
    assert w.grad.is_contiguous() and b.grad.is_contiguous()
    _private(w, b)
    before = w.grad.clone()
    torch_like(x).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), 2 * before.numpy())


def test_leaf_gradient_takes_the_leafs_layout():
    a = numtorch.ones(3, 4, requires_grad=True)
    (a.t() * 2).sum().backward()  # arrives column-major
    assert a.grad.is_contiguous()
    f = numtorch.ones(4, 3).t().detach().requires_grad_(True)  # a column-major leaf
    (f * 2).sum().backward()
    assert f.grad.stride() == f.stride()
