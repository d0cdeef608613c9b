"""nn.functional beyond the op table: grad_fn names (torch's graph structure, in-place
spellings included), errors word for word, and edge values."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch

import numtorch
import numtorch.nn.functional as F


def F_(lib):  # noqa: N802
    return lib.nn.functional


def _x(lib, *shape):
    n = int(np.prod(shape)) if shape else 1
    return lib.linspace(-2, 2, n).reshape(shape).requires_grad_(True)


def _names(node, depth):
    """grad_fn names along the first edge, ``depth`` nodes deep."""
    out = []
    while node is not None and len(out) < depth:
        out.append(node.name())
        edges = [n for n, _ in node.next_functions if n is not None]
        node = edges[0] if edges else None
    return out


GRAPHS = {
    "relu6": lambda lib: F_(lib).relu6(_x(lib, 3, 4)),
    "leaky_relu": lambda lib: F_(lib).leaky_relu(_x(lib, 3, 4)),
    "elu": lambda lib: F_(lib).elu(_x(lib, 3, 4)),
    "selu": lambda lib: F_(lib).selu(_x(lib, 3, 4)),
    "celu": lambda lib: F_(lib).celu(_x(lib, 3, 4)),
    "gelu": lambda lib: F_(lib).gelu(_x(lib, 3, 4), approximate="tanh"),
    "silu": lambda lib: F_(lib).silu(_x(lib, 3, 4)),
    "mish": lambda lib: F_(lib).mish(_x(lib, 3, 4)),
    "hardtanh": lambda lib: F_(lib).hardtanh(_x(lib, 3, 4)),
    "softplus": lambda lib: F_(lib).softplus(_x(lib, 3, 4)),
    "logsigmoid": lambda lib: F_(lib).logsigmoid(_x(lib, 3, 4)),
    "softsign": lambda lib: F_(lib).softsign(_x(lib, 3, 4)),
    "tanhshrink": lambda lib: F_(lib).tanhshrink(_x(lib, 3, 4)),
    "leaky_relu_": lambda lib: F_(lib).leaky_relu(_x(lib, 3, 4) * 1, inplace=True),
    "elu_": lambda lib: F_(lib).elu(_x(lib, 3, 4) * 1, inplace=True),
    "selu_": lambda lib: F_(lib).selu(_x(lib, 3, 4) * 1, inplace=True),
    "celu_": lambda lib: F_(lib).celu(_x(lib, 3, 4) * 1, inplace=True),
    "relu6_": lambda lib: F_(lib).relu6(_x(lib, 3, 4) * 1, inplace=True),
    "silu_": lambda lib: F_(lib).silu(_x(lib, 3, 4) * 1, inplace=True),
    "linear_2d": lambda lib: F_(lib).linear(_x(lib, 3, 4), _x(lib, 5, 4), _x(lib, 5)),
    "linear_3d": lambda lib: F_(lib).linear(_x(lib, 2, 3, 4), _x(lib, 5, 4), _x(lib, 5)),
    "linear_1d": lambda lib: F_(lib).linear(_x(lib, 4), _x(lib, 5, 4), _x(lib, 5)),
    "linear_no_bias": lambda lib: F_(lib).linear(_x(lib, 3, 4), _x(lib, 5, 4)),
    "layer_norm": lambda lib: F_(lib).layer_norm(_x(lib, 3, 4), (4,)),
    "batch_norm": lambda lib: F_(lib).batch_norm(_x(lib, 3, 4), None, None, training=True),
    "group_norm": lambda lib: F_(lib).group_norm(_x(lib, 2, 4, 3), 2),
    "embedding": lambda lib: F_(lib).embedding(lib.tensor([1, 2]), _x(lib, 4, 3)),
    "pad": lambda lib: F_(lib).pad(_x(lib, 3, 4), (1, 2)),
    "normalize": lambda lib: F_(lib).normalize(_x(lib, 3, 4)),
    "dropout": lambda lib: F_(lib).dropout(_x(lib, 3, 4)),
    "dropout2d": lambda lib: F_(lib).dropout2d(_x(lib, 2, 3, 4, 1)),
    "cross_entropy_3d": lambda lib: F_(lib).cross_entropy(_x(lib, 2, 3, 4),
                                                          lib.zeros(2, 4, dtype=lib.int64)),
    "kl_div": lambda lib: F_(lib).kl_div(_x(lib, 3, 4), _x(lib, 3, 4).detach().exp(),
                                         reduction="none"),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_graph_structure_matches_torch(name):
    torch = require_torch()
    ours, theirs = GRAPHS[name](numtorch), GRAPHS[name](torch)
    assert _names(ours.grad_fn, 3) == _names(theirs.grad_fn, 3)


ERRORS = [
    lambda lib: F_(lib).elu(lib.tensor([1, -2])),
    lambda lib: F_(lib).gelu(lib.tensor([1, -2])),
    lambda lib: F_(lib).silu(lib.tensor([1, -2])),
    lambda lib: F_(lib).softplus(lib.tensor([1, -2])),
    lambda lib: F_(lib).logsigmoid(lib.tensor([1, -2])),
    lambda lib: F_(lib).gelu(_x(lib, 2), approximate="foo"),
    lambda lib: F_(lib).hardtanh(_x(lib, 2), 2.0, 1.0),
    lambda lib: F_(lib).bilinear(lib.ones(2, 3), lib.ones(2, 3, 4), lib.ones(5, 3, 4)),
    lambda lib: F_(lib).bilinear(lib.ones(2, 3), lib.ones(3, 4), lib.ones(5, 3, 4)),
    lambda lib: F_(lib).bilinear(lib.ones(2, 2), lib.ones(2, 4), lib.ones(5, 3, 4)),
    lambda lib: F_(lib).bilinear(lib.ones(2, 3), lib.ones(2, 5), lib.ones(5, 3, 4)),
    lambda lib: F_(lib).bilinear(lib.ones(2, 3), lib.ones(2, 4), lib.ones(5, 3, 4),
                                 lib.ones(4)),
    lambda lib: F_(lib).layer_norm(lib.ones(2, 4), 4),
    lambda lib: F_(lib).layer_norm(lib.ones(2, 5), (4,)),
    lambda lib: F_(lib).layer_norm(lib.ones(2, 4), (4,), None, lib.ones(3)),
    lambda lib: F_(lib).batch_norm(lib.ones(2, 5), lib.zeros(4), lib.ones(4)),
    lambda lib: F_(lib).one_hot(lib.tensor([0, 3]), 2),
    lambda lib: F_(lib).one_hot(lib.tensor([0, -1])),
    lambda lib: F_(lib).one_hot(lib.tensor([0.0, 1.0])),
    lambda lib: F_(lib).one_hot(lib.tensor([], dtype=lib.int64)),
    lambda lib: F_(lib).embedding(lib.tensor([1, 5]), lib.ones(5, 3)),
    lambda lib: F_(lib).embedding(lib.tensor([1, 2]), lib.ones(5)),
    lambda lib: F_(lib).embedding(lib.tensor([1, 2]), lib.ones(5, 3), padding_idx=-6),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (1,)),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (1, 1, 1, 1, 1, 1)),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (-2, -2)),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (1, 1), mode="foo"),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (1, 1), mode="reflect", value=1.0),
    lambda lib: F_(lib).pad(lib.ones(2, 3), (3, 1), mode="reflect"),
    lambda lib: F_(lib).pad(lib.ones(2), (1, 1), mode="reflect"),
    lambda lib: F_(lib).scaled_dot_product_attention(
        lib.ones(2, 3, 4), lib.ones(2, 5, 4), lib.ones(2, 5, 4),
        attn_mask=lib.ones(3, 5, dtype=lib.bool), is_causal=True),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    torch = require_torch()
    with pytest.raises(Exception) as theirs:
        ERRORS[case](torch)
    with pytest.raises(type(theirs.value)) as ours:
        ERRORS[case](numtorch)
    assert str(ours.value) == str(theirs.value)


def test_integer_inputs_where_torch_takes_them():
    torch = require_torch()
    for fn in (lambda lib: F_(lib).relu6(lib.tensor([1, -2, 8])),
               lambda lib: F_(lib).hardtanh(lib.tensor([1, -2, 8])),
               lambda lib: F_(lib).one_hot(lib.tensor([[0, 2], [1, 1]])),
               lambda lib: F_(lib).pad(lib.tensor([1, 2]), (1, 1), value=2.5)):
        ours, theirs = fn(numtorch), fn(torch)
        assert str(ours.dtype) == str(theirs.dtype)
        assert ours.tolist() == theirs.tolist()


def test_inplace_activation_returns_and_overwrites_its_input():
    x = numtorch.tensor([-1.0, 0.5, 3.0])
    for fn in (F.elu, F.selu, F.celu, F.leaky_relu, F.relu6, F.hardtanh, F.silu, F.mish,
               F.relu):
        y = x.clone()
        out = fn(y, inplace=True)
        assert out is y
        np.testing.assert_allclose(y.numpy(), fn(x).numpy(), rtol=1e-6)
    for fn in (F.elu_, F.selu_, F.celu_, F.leaky_relu_, F.hardtanh_, F.relu_):
        y = x.clone()
        assert fn(y) is y


def test_stable_at_extremes():
    big = numtorch.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    for fn in (F.softplus, F.logsigmoid, F.silu, F.mish, F.gelu, F.elu, F.selu):
        assert np.isfinite(fn(big).numpy()).all(), fn.__name__
    np.testing.assert_allclose(F.logsigmoid(big).numpy()[0], -1000.0)
    np.testing.assert_allclose(F.softplus(big).numpy()[-1], 1000.0)


def test_sdpa_fully_masked_row_attends_to_nothing_like_torch():
    torch = require_torch()
    mask = [[False, False, False], [True, True, False]]
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((2, 3)).astype("float32"),
               rng.standard_normal((3, 3)).astype("float32"),
               rng.standard_normal((3, 4)).astype("float32"))
    results = []
    for lib in (numtorch, torch):
        qt = lib.from_numpy(q.copy()).requires_grad_(True)
        out = F_(lib).scaled_dot_product_attention(qt, lib.from_numpy(k), lib.from_numpy(v),
                                                   attn_mask=lib.tensor(mask))
        out.sum().backward()
        results.append((out.detach().numpy(), qt.grad.numpy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
