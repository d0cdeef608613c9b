"""Padding layers and LayerNorm/GroupNorm/RMSNorm against torch, at the module level: the
stored arguments, repr, class relations, signatures, state_dict keys, reset_parameters, and
outputs and errors for inputs of every rank. (Gradients: tests/test_nn_layers.py.)"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from conftest import require_torch

import numtorch

PADS = [f"{kind}Pad{rank}d" for kind in ("Constant", "Zero", "Reflection", "Replication",
                                         "Circular") for rank in (1, 2, 3)]
PADDINGS = ["1", "(1, 2)", "[2, 0, 1, 1]", "(1, 0, 0, 1, 2, 1)", "np.array([1, 2])",
            "range(2)", "lib.Size([0, 1])"]


def _build(lib, name, padding):
    args = (eval(padding, {"np": np, "lib": lib}),)
    if name.startswith("Constant"):
        args += (2.5,)
    return getattr(lib.nn, name)(*args)


def _run(layer, lib, x):
    """The output as an array, or the error as text."""
    try:
        return layer(lib.tensor(x)).numpy()
    except Exception as e:  # noqa: BLE001 - the error itself is what is compared
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("name", PADS)
def test_padding_layers_match_torch(name):
    torch = require_torch()
    for padding in PADDINGS:
        ours, theirs = _build(numtorch, name, padding), _build(torch, name, padding)
        assert repr(ours) == repr(theirs)
        assert ours.padding == theirs.padding and vars(ours).get("value") == vars(
            theirs).get("value")
        assert list(ours.state_dict()) == list(theirs.state_dict()) == []
        for ndim in range(1, 6):
            x = np.arange(2 * 3 ** (ndim - 1), dtype=np.float32).reshape((2,) + (3,) * (ndim - 1))
            got, want = _run(ours, numtorch, x), _run(theirs, torch, x)
            if isinstance(want, str):
                assert got == want, (padding, ndim)
            else:
                np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", PADS)
def test_padding_classes_and_signatures_match_torch(name):
    torch = require_torch()
    ours, theirs = getattr(numtorch.nn, name), getattr(torch.nn, name)
    assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)
    for other in PADS:
        assert issubclass(ours, getattr(numtorch.nn, other)) == issubclass(
            theirs, getattr(torch.nn, other))  # ZeroPad2d is a ConstantPad2d, as in torch


def test_circular_padding_checks_the_input_rank():
    layer = numtorch.nn.CircularPad2d(1)
    with pytest.raises(ValueError, match=r"^expected 3D or 4D input \(got 2D input\)$"):
        layer(numtorch.zeros(3, 3))


NORMS = [
    "LayerNorm(4)", "LayerNorm((2, 3), eps=1e-3)", "LayerNorm(4, elementwise_affine=False)",
    "LayerNorm(4, bias=False)", "LayerNorm(4, elementwise_affine=False, bias=False)",
    "LayerNorm(np.int64(5))", "LayerNorm([2, 2], dtype=lib.float64)", "RMSNorm(4)",
    "RMSNorm((2, 3), eps=1e-4)", "RMSNorm(4, elementwise_affine=False)", "RMSNorm(np.int32(3))",
    "GroupNorm(2, 4)", "GroupNorm(2, 4, affine=False)", "GroupNorm(2, 4, bias=False)",
]


@pytest.mark.parametrize("expr", NORMS)
def test_norm_layers_state_and_reset_match_torch(expr):
    torch = require_torch()
    built = [eval("lib.nn." + expr, {"np": np, "lib": lib}) for lib in (numtorch, torch)]

    def state(m):
        return (repr(m), list(m.state_dict()), list(m._parameters), hasattr(m, "bias"),
                getattr(m, "normalized_shape", None),
                [(str(p.dtype), p.detach().numpy().tolist()) for p in m.parameters()])

    assert state(built[0]) == state(built[1])
    for m in built:
        for p in m.parameters():
            p.data.fill_(3.0)
        m.reset_parameters()
    assert state(built[0]) == state(built[1])
