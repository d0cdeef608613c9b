"""NumPy's floating-point errors switched off, cheaply (NOTE [ Quiet arithmetic ])."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np


def _quiet_switch() -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """``(enter, leave)``: NumPy's floating-point errors ignored from ``token = enter()`` until
    ``leave(token)``, as ``np.errstate(all="ignore")`` does, without building the error state
    (nor a context manager) on every call: their cost was a tenth of a small op's."""
    try:
        from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
    except ImportError:  # another NumPy layout: the public spelling
        def enter() -> Any:
            state = np.errstate(all="ignore")
            state.__enter__()
            return state

        return enter, lambda state: state.__exit__(None, None, None)
    return functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore")), \
        _extobj_contextvar.reset


# NOTE [ Quiet arithmetic ]
# torch computes inf and nan silently (1 / 0, log(0), exp(1000)); NumPy warns, and under
# ``-W error`` a warning would become an exception. So every forward runs with NumPy's errors
# ignored (``Primitive.apply`` switches them off around it), and so does a whole backward
# pass on the array path (``autograd._array_path.run``); ``quiet`` does it for one function.
quiet_on, quiet_off = _quiet_switch()


def quiet(fn: Callable) -> Callable:
    """``fn`` with NumPy's floating-point errors ignored (NOTE [ Quiet arithmetic ])."""
    @functools.wraps(fn)
    def quiet_fn(*args: Any, **kwargs: Any) -> Any:
        token = quiet_on()
        try:
            return fn(*args, **kwargs)
        finally:
            quiet_off(token)

    return quiet_fn
