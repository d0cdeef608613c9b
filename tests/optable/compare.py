"""Run one op-table sample on numtorch and torch and compare values, dtypes and gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

import numtorch

from . import OpSpec, make_array


def sample_inputs(spec: OpSpec, shapes: tuple, dtype: str, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = []
    for i, shape in enumerate(shapes):
        if i in spec.index_inputs:
            arrays.append(np.asarray(spec.index_inputs[i](rng, shapes), dtype=np.int64))
        else:
            arrays.append(make_array(rng, shape, dtype, spec.domain, i))
    return arrays


def _wrap(lib: Any, arrays: list[np.ndarray], spec: OpSpec) -> list[Any]:
    out = []
    for i, a in enumerate(arrays):
        t = lib.from_numpy(a.copy())
        if spec.grad and i not in spec.index_inputs and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


def _outputs(result: Any) -> list[Any]:
    if isinstance(result, (tuple, list)):
        return list(result)
    return [result]


def _tolerances(spec: OpSpec, dtype: Any) -> tuple[float, float]:
    if str(dtype).endswith("float16"):
        return max(spec.rtol, 1e-2), max(spec.atol, 1e-2)
    if str(dtype).endswith("float32"):
        return max(spec.rtol, 1e-5), max(spec.atol, 1e-5)
    return spec.rtol, spec.atol


def assert_same(ours: Any, theirs: Any, spec: OpSpec, what: str) -> None:
    assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {ours.shape} vs " \
        f"{theirs.shape}"
    assert str(ours.dtype) == str(theirs.dtype), f"{what}: dtype {ours.dtype} vs {theirs.dtype}"
    rtol, atol = _tolerances(spec, theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol, equal_nan=True, err_msg=what)


def check_against_torch(torch: Any, spec: OpSpec, arrays: list[np.ndarray], seed: int = 0) -> None:
    """Values, shapes and dtypes of every output, then the gradients of every float input
    through a random upstream gradient (not a plain .sum())."""
    ours_in, theirs_in = _wrap(numtorch, arrays, spec), _wrap(torch, arrays, spec)
    ours = _outputs(spec.fn(numtorch, *ours_in))
    theirs = _outputs(spec.fn(torch, *theirs_in))
    assert len(ours) == len(theirs)
    for k, (o, t) in enumerate(zip(ours, theirs)):
        assert_same(o, t, spec, f"{spec.name} output {k}")
    diff = [(o, t) for o, t in zip(ours, theirs) if t.requires_grad]
    if not diff:
        return
    rng = np.random.default_rng(seed + 1)
    grads = [rng.standard_normal(tuple(t.shape)).astype(str(t.dtype).replace("torch.", ""))
             for _, t in diff]
    numtorch.autograd.backward([o for o, _ in diff], [numtorch.from_numpy(g) for g in grads])
    torch.autograd.backward([t for _, t in diff], [torch.from_numpy(g) for g in grads])
    for i, (o, t) in enumerate(zip(ours_in, theirs_in)):
        if t.requires_grad:
            assert (o.grad is None) == (t.grad is None), f"{spec.name}: grad {i} presence"
            if t.grad is not None:
                assert_same(o.grad, t.grad, spec, f"{spec.name} grad of input {i}")
