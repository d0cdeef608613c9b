"""Finite-difference checks of analytical gradients (torch.autograd.gradcheck / gradgradcheck).

NOTE [ gradcheck ]
For each input element that requires grad, the function runs twice (under no_grad) with the
element nudged by +eps and -eps; central differences give one row of the numerical Jacobian
``J[i][j]`` (input i, output j, shape (input numel, output numel), as torch lays it out). The
analytical Jacobian comes from one ``autograd.grad`` per output element, seeded with a one-hot
``grad_output``; each is run twice to check that backward is deterministic (reentrant).
Outputs that do not require grad must have a numerical Jacobian of zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._tensor import Tensor
from .grad_mode import enable_grad, no_grad

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

_NOT_REENTRANT = (
    "Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
    "times gives different values, although analytical gradient matches numerical gradient.The "
    "tolerance for nondeterminism was {}.\n\nNOTE: If your op relies on non-deterministic "
    "operations i.e., it is listed here:\n"
    "https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html\n"
    "this failure might be expected.\n\nIf you are adding a new operator, please file an issue "
    "and then use one of the\nworkarounds. The workaround depends on how your test invokes "
    "gradcheck/gradgradcheck.\nIf the test\n- manually invokes gradcheck/gradgradcheck, then call "
    "gradcheck/gradgradcheck\n  with `nondet_tol=<tol>` as a keyword argument.\n- is OpInfo-based "
    "(e.g., in test_ops_gradients.py), then modify the OpInfo for the test\n  to have "
    "`gradcheck_nondet_tol=<tol>`.\n- is a Module test (e.g., in common_nn.py), then modify the "
    "corresponding\n  module_test entry to have `gradcheck_nondet_tol=<tol>`\n")


class GradcheckError(RuntimeError):
    """Raised when numerical and analytical gradients disagree."""


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _float_outputs(func: Callable, inputs: tuple) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(func(*inputs))
                 if isinstance(o, Tensor) and o._data.dtype.kind == "f")


def _check_inputs(inputs: tuple) -> list[int]:
    """Positions of the inputs that require grad; torch's warning for non-double ones."""
    wrt = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t._requires_grad]
    for k, i in enumerate(wrt):
        if inputs[i]._data.dtype != np.float64:
            warnings.warn(f"Input #{k} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ", UserWarning,
                          stacklevel=3)
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    return wrt


def _numerical(func: Callable, inputs: tuple, wrt: list[int], eps: float) -> list[list]:
    """J[k][j] for the k-th input that requires grad and the j-th float output."""
    with no_grad():
        outs = _float_outputs(func, inputs)
        jac = [[np.zeros((inputs[i]._data.size, o._data.size), inputs[i]._data.dtype)
                for o in outs] for i in wrt]
        for k, i in enumerate(wrt):
            data = inputs[i]._data  # written in place: the function sees the nudged values
            for e, idx in enumerate(np.ndindex(data.shape)):
                orig = data[idx].copy()
                data[idx] = orig + eps
                plus = [o._data.copy() for o in _float_outputs(func, inputs)]
                data[idx] = orig - eps
                minus = [o._data.copy() for o in _float_outputs(func, inputs)]
                data[idx] = orig
                for j, (p, m) in enumerate(zip(plus, minus)):
                    jac[k][j][e] = ((p - m) / (2 * eps)).reshape(-1)
    return jac


def _analytical(outs: tuple, inputs: tuple, wrt: list[int], nondet_tol: float) -> list[list]:
    """J[k][j] by one backward per output element (each run twice: see NOTE [ gradcheck ])."""
    from . import grad as autograd_grad

    diff = [inputs[i] for i in wrt]
    jac = [[np.zeros((t._data.size, o._data.size), t._data.dtype) for o in outs] for t in diff]
    for j, o in enumerate(outs):
        for e in range(o._data.size):
            seed = np.zeros(o._data.shape, o._data.dtype)
            seed.reshape(-1)[e] = 1
            seed_t = Tensor._make(seed)
            first = autograd_grad(o, diff, seed_t, retain_graph=True, allow_unused=True)
            again = autograd_grad(o, diff, seed_t, retain_graph=True, allow_unused=True)
            for k, (g, h) in enumerate(zip(first, again)):
                if g is None:
                    continue
                if h is None or np.abs(g._data - h._data).max(initial=0.0) > nondet_tol:
                    raise GradcheckError(_NOT_REENTRANT.format(nondet_tol))
                jac[k][j][:, e] = g._data.reshape(-1)
    return jac


def _check_zero_grad_output(outs: tuple, inputs: tuple, wrt: list[int]) -> None:
    """A zero grad_output must give zero gradients of the inputs' dtype and shape."""
    from . import grad as autograd_grad

    if not outs:
        return
    zeros = tuple(Tensor._make(np.zeros_like(o._data)) for o in outs)
    grads = autograd_grad(outs, [inputs[i] for i in wrt], zeros, retain_graph=True,
                          allow_unused=True)
    for i, g in zip(wrt, grads):
        if g is None:
            continue
        if np.any(g._data != 0):
            raise GradcheckError("backward not multiplied by grad_output")
        if g._data.dtype != inputs[i]._data.dtype:
            raise GradcheckError("grad is incorrect type")
        if g._data.shape != inputs[i]._data.shape:
            raise GradcheckError("grad is incorrect size")


def _check(func: Callable, inputs: tuple, wrt: list[int], eps: float, atol: float, rtol: float,
           nondet_tol: float) -> None:
    numerical = _numerical(func, inputs, wrt, eps)
    outs = _float_outputs(func, inputs)
    diff_out = [j for j, o in enumerate(outs) if o._requires_grad]
    for j in range(len(outs)):
        if j not in diff_out and any(np.any(row[j] != 0) for row in numerical):
            raise GradcheckError("Numerical gradient for function expected to be zero")
    diff_outs = tuple(outs[j] for j in diff_out)
    analytical = _analytical(diff_outs, inputs, wrt, nondet_tol)
    for k in range(len(wrt)):
        for jd, j in enumerate(diff_out):
            n, a = numerical[k][j], analytical[k][jd]
            if not np.allclose(a, n, rtol=rtol, atol=atol, equal_nan=True):
                raise GradcheckError(
                    f"Jacobian mismatch for output {jd} with respect to input {k},\n"
                    f"numerical:{Tensor._make(n)}\nanalytical:{Tensor._make(a)}\n")
    _check_zero_grad_output(diff_outs, inputs, wrt)


def gradcheck(func: Callable, inputs: Tensor | Sequence[Tensor], *, eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
              nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False,
              masked: bool | None = None) -> bool:
    """Compare the gradients of ``func`` at ``inputs`` with central finite differences.

    Inputs that require grad should be float64, as in torch. Returns True, or raises
    GradcheckError (returns False when ``raise_exception`` is False). The batched, undefined-
    grad and fast-mode variants of torch's check are accepted and run as the plain check;
    forward-mode AD is not supported. See NOTE [ gradcheck ].

    >>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    >>> torch.autograd.gradcheck(torch.sin, (x,))
    True
    """
    if check_forward_ad:
        raise NotImplementedError("numtorch has no forward-mode AD (check_forward_ad=True)")
    inputs = _as_tuple(inputs)
    wrt = _check_inputs(inputs)
    if not check_backward_ad:
        return True
    try:
        _check(func, inputs, wrt, eps, atol, rtol, nondet_tol)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(func: Callable, inputs: Tensor | Sequence[Tensor],
                  grad_outputs: Tensor | Sequence[Tensor] | None = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """gradcheck of the gradients themselves (second derivatives, via create_graph=True).

    Random ``grad_outputs`` (requiring grad) are drawn when not given, so the check covers
    the derivative with respect to them too.
    """
    from . import grad as autograd_grad

    inputs = _as_tuple(inputs)
    outs = tuple(o for o in _float_outputs(func, inputs) if o._requires_grad)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(Tensor._make(rng.standard_normal(o._data.shape).astype(
            o._data.dtype)).requires_grad_(True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_grads(*args: Tensor) -> tuple:
        ins, gos = args[:n_in], args[n_in:]
        diff = [t for t in ins if isinstance(t, Tensor) and t._requires_grad]
        with enable_grad():  # also while the numerical pass runs under no_grad
            outs = tuple(o for o in _float_outputs(func, ins) if o._requires_grad)
            grads = autograd_grad(outs, diff, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol)
