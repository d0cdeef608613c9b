"""Finite-difference checks of analytical gradients (torch.autograd.gradcheck / gradgradcheck)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._tensor import Tensor

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised when numerical and analytical gradients disagree."""


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _differentiable_outputs(func: Callable, inputs: tuple) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(func(*inputs))
                 if isinstance(o, Tensor) and o._data.dtype.kind == "f")


def _numerical_jacobians(func: Callable, inputs: tuple, eps: float) -> list[list[np.ndarray]]:
    """jac[i][j]: d output_j / d input_i, as a (numel_in, numel_out) array, by central
    differences on each input element."""
    from .grad_mode import no_grad

    with no_grad():
        outs = _differentiable_outputs(func, inputs)
        jac = [[np.zeros((t._data.size, o._data.size)) for o in outs] for t in inputs]
        for i, t in enumerate(inputs):
            if not (isinstance(t, Tensor) and t._requires_grad):
                continue
            flat = t._data.reshape(-1)  # a view: inputs are contiguous (checked by the caller)
            for k in range(flat.size):
                orig = flat[k]
                flat[k] = orig + eps
                plus = [o._data.copy() for o in _differentiable_outputs(func, inputs)]
                flat[k] = orig - eps
                minus = [o._data.copy() for o in _differentiable_outputs(func, inputs)]
                flat[k] = orig
                for j, (p, m) in enumerate(zip(plus, minus)):
                    jac[i][j][k] = ((p - m) / (2 * eps)).reshape(-1)
    return jac


def _analytical_jacobians(func: Callable, inputs: tuple) -> list[list[np.ndarray]]:
    from . import grad as autograd_grad

    outs = _differentiable_outputs(func, inputs)
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t._requires_grad]
    jac = [[np.zeros((t._data.size, o._data.size)) for o in outs] for t in inputs]
    for j, o in enumerate(outs):
        for k in range(o._data.size):
            seed = np.zeros(o._data.size, dtype=o._data.dtype)
            seed[k] = 1
            grads = autograd_grad(o, diff_inputs, Tensor._make(seed.reshape(o._data.shape)),
                                  retain_graph=True, allow_unused=True)
            pos = 0
            for i, t in enumerate(inputs):
                if isinstance(t, Tensor) and t._requires_grad:
                    g = grads[pos]
                    pos += 1
                    if g is not None:
                        jac[i][j][:, k] = g._data.reshape(-1)
    return jac


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Compare the gradients of ``func`` at ``inputs`` with central finite differences.

    Inputs that require grad should be float64, as in torch; returns True or raises
    GradcheckError (False when ``raise_exception`` is False).
    """
    inputs = _as_tuple(inputs)
    for t in inputs:
        if isinstance(t, Tensor) and t._requires_grad and not t._data.flags.c_contiguous:
            raise ValueError("gradcheck expects contiguous inputs")
    numerical = _numerical_jacobians(func, inputs, eps)
    analytical = _analytical_jacobians(func, inputs)
    for i, (num_row, ana_row) in enumerate(zip(numerical, analytical)):
        for j, (n, a) in enumerate(zip(num_row, ana_row)):
            if not np.allclose(a, n, rtol=rtol, atol=atol, equal_nan=True):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {j} with respect to input {i},\n"
                    f"numerical:{n}\nanalytical:{a}\n")
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Sequence[Tensor] | None = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """gradcheck of the gradients themselves (second derivatives, via create_graph=True)."""
    from . import grad as autograd_grad
    from .grad_mode import enable_grad

    inputs = _as_tuple(inputs)
    outs = _differentiable_outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(o._data.shape)).requires_grad_(True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_grads(*args: Tensor) -> tuple:
        ins, gos = args[:n_in], args[n_in:]
        diff = [t for t in ins if isinstance(t, Tensor) and t._requires_grad]
        with enable_grad():  # also while the numerical pass runs under no_grad
            outs = _differentiable_outputs(func, ins)
            grads = autograd_grad(outs, diff, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_grads, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
