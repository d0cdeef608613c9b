"""Run an optimizer in numtorch and in torch from the same weights on the same loss, and compare
the trajectories: the parameter values after every step.

Each library computes its own gradients of ``loss`` (a quadratic with cross terms), so a
trajectory checks the optimizer's update rule and its state, step after step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

K = 20  # steps per trajectory


def initial(dtype: str) -> dict[str, np.ndarray]:
    """The starting weights (and the loss's constants), the same for both libraries."""
    rng = np.random.default_rng(42)
    shapes = {"w": (3, 4), "b": (3,), "s": (), "unused": (2,), "A": (4, 2), "c": (3, 2)}
    return {k: np.asarray(rng.standard_normal(s) * 0.5).astype(dtype) for k, s in shapes.items()}


def make_params(lib: Any, init: dict[str, np.ndarray]) -> list:
    """Leaf tensors ``w, b, s, unused`` of ``lib`` holding copies of the starting weights."""
    return [lib.from_numpy(init[k].copy()).requires_grad_(True) for k in ("w", "b", "s", "unused")]


def quadratic_loss(lib: Any, params: list, init: dict[str, np.ndarray]) -> Any:
    """A quadratic with cross terms; ``unused`` gets no gradient, so the optimizer must skip it."""
    w, b, s, _ = params
    A, c = lib.from_numpy(init["A"].copy()), lib.from_numpy(init["c"].copy())
    fit = ((lib.matmul(w, A) - c) ** 2).sum() * 0.5
    return fit + (b * w.sum(1)).sum() + 0.3 * s ** 2 + s * b.sum()


def trajectory(lib: Any, dtype: str, make: Callable[[Any, list], Any] | None, steps: int = K,
               init: dict[str, np.ndarray] | None = None, params: list | None = None,
               opt: Any = None) -> tuple[list, Any, list]:
    """``(values after each step, optimizer, parameters)`` for ``steps`` steps of the optimizer
    ``make(lib, params)`` (or of ``opt`` on ``params``, to continue a run)."""
    init = initial(dtype) if init is None else init
    params = make_params(lib, init) if params is None else params
    opt = make(lib, params) if opt is None else opt
    history = []
    for _ in range(steps):
        opt.zero_grad()
        quadratic_loss(lib, params, init).backward()
        opt.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history, opt, params


def assert_same_trajectory(ours: list, theirs: list, *, rtol: float, atol: float) -> None:
    """Every parameter after every step: the same dtype, values within the tolerances."""
    assert len(ours) == len(theirs)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for i, (x, y) in enumerate(zip(a, b)):
            assert x.dtype == y.dtype
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol,
                                       err_msg=f"step {step} param {i}")


def by_name(name: str, **options: Any) -> Callable[[Any, list], Any]:
    """``make`` for ``trajectory``: ``lib.optim.<name>(params, **options)`` for either library."""
    return lambda lib, params: getattr(lib.optim, name)(params, **options)


def assert_same_state(opt: Any, params: list, topt: Any, tparams: list, *, rtol: float,
                      atol: float) -> None:
    """The optimizers' per-parameter state: the same entries, keys in the same order, the same
    dtypes and shapes, values within the tolerance."""
    assert len(opt.state) == len(topt.state)
    for p, tp in zip(params, tparams):
        ours, theirs = opt.state.get(p, {}), topt.state.get(tp, {})
        assert list(ours) == list(theirs)
        for key, value in theirs.items():
            assert str(ours[key].dtype) == str(value.dtype) and ours[key].shape == value.shape
            np.testing.assert_allclose(ours[key].numpy(), value.numpy(), rtol=rtol, atol=atol,
                                       err_msg=key)


def opt_factory(name: str, **kwargs: Any) -> Callable[[Any], Any]:
    """``lib -> lib.optim.<name>`` over one fresh parameter: the error cases' constructor."""
    return lambda lib: getattr(lib.optim, name)([lib.ones(1, requires_grad=True)], **kwargs)


def to_numtorch(obj: Any) -> Any:
    """A torch state_dict (nested dicts and lists) with every tensor as a numtorch one."""
    import numtorch

    if isinstance(obj, dict):
        return {k: to_numtorch(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_numtorch(v) for v in obj]
    if type(obj).__module__.startswith("torch"):
        return numtorch.from_numpy(obj.numpy().copy())
    return obj
