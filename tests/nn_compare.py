"""Compare one layer in numtorch and torch: construction (repr, parameter order and shapes,
state_dict keys), then, with torch's weights loaded through NumPy, outputs and the gradients
of inputs and parameters through a random upstream gradient."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import numtorch

TOLERANCE = {"float32": (1e-5, 1e-5), "float64": (1e-10, 1e-10)}


@dataclass
class Index:
    """An integer input: values in [0, high) of ``shape``."""

    shape: tuple
    high: int


def construct_both(torch: Any, make: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``make(nn)`` in both libraries; checks repr, parameters, buffers and state_dict keys,
    then loads torch's state into ours."""
    theirs, ours = make(torch.nn), make(numtorch.nn)
    assert repr(ours) == repr(theirs)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    load_torch_state(ours, theirs)
    return ours, theirs


def load_torch_state(ours: Any, theirs: Any) -> None:
    ours.load_state_dict({k: numtorch.from_numpy(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})


def flat(out: Any) -> list:
    """The tensors of a (possibly nested) output, in order; None entries kept."""
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in flat(o)]
    return [out]


def assert_close(ours: Any, theirs: Any, dtype: str, what: str) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: {ours.shape} vs {theirs.shape}"
    assert str(ours.dtype) == str(theirs.dtype), f"{what}: {ours.dtype} vs {theirs.dtype}"
    rtol, atol = TOLERANCE[dtype]
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol, err_msg=what)


def _inputs(lib: Any, arrays: list, grad: bool) -> list:
    out = []
    for a in arrays:
        t = lib.from_numpy(a.copy())
        if grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


def sample(specs: tuple, dtype: str, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, s.high, size=s.shape) if isinstance(s, Index)
            else rng.standard_normal(s).astype(dtype) for s in specs]


def compare_run(torch: Any, ours: Any, theirs: Any, specs: tuple, dtype: str = "float32",
                call: Callable | None = None, seed: int = 0) -> None:
    """One forward and backward on both modules with the same inputs (``specs``: shapes, or
    ``Index``); ``call(lib, module, *inputs)`` overrides ``module(*inputs)``."""
    call = call or (lambda lib, m, *xs: m(*xs))
    arrays = sample(specs, dtype, seed)
    xs_ours, xs_theirs = _inputs(numtorch, arrays, True), _inputs(torch, arrays, True)
    outs_ours = flat(call(numtorch, ours, *xs_ours))
    outs_theirs = flat(call(torch, theirs, *xs_theirs))
    assert len(outs_ours) == len(outs_theirs)
    for k, (o, t) in enumerate(zip(outs_ours, outs_theirs)):
        assert (o is None) == (t is None), f"output {k} presence"
        if t is not None:
            assert_close(o, t, dtype, f"output {k}")
    pairs = [(o, t) for o, t in zip(outs_ours, outs_theirs) if t is not None and t.requires_grad]
    if not pairs:
        return
    rng = np.random.default_rng(seed + 1)
    grads = [rng.standard_normal(tuple(t.shape)).astype(dtype) for _, t in pairs]
    numtorch.autograd.backward([o for o, _ in pairs], [numtorch.from_numpy(g) for g in grads])
    torch.autograd.backward([t for _, t in pairs], [torch.from_numpy(g) for g in grads])
    for k, (o, t) in enumerate(zip(xs_ours, xs_theirs)):
        if t.requires_grad:
            assert (o.grad is None) == (t.grad is None), f"grad of input {k} presence"
            if t.grad is not None:
                assert_close(o.grad, t.grad, dtype, f"grad of input {k}")
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert (p.grad is None) == (q.grad is None), f"grad of {name} presence"
        if q.grad is not None:
            assert_close(p.grad, q.grad, dtype, f"grad of {name}")
    ours.zero_grad()
    theirs.zero_grad()


def compare_module(torch: Any, make: Callable[[Any], Any], input_specs: list,
                   call: Callable | None = None, train: bool = True,
                   dtypes: tuple = ("float32", "float64")) -> None:
    """Construct in both libraries, load torch's weights, compare every input set in every
    dtype."""
    for dtype in dtypes:
        ours, theirs = construct_both(torch, make)
        if dtype == "float64":
            ours.double()
            theirs.double()
        ours.train(train)
        theirs.train(train)
        for seed, specs in enumerate(input_specs):
            compare_run(torch, ours, theirs, specs, dtype, call, seed)
