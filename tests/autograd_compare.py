"""Run one autograd scenario on numtorch and on torch and compare what happened.

A scenario is ``fn(lib)``, written once against the shared API (``lib`` is numtorch or
torch). ``same(fn)`` requires both to return equal values (tensors compared by value, shape and
dtype; containers element by element) or to raise the same exception type with the same
message. Warnings are silenced here; tests check them on their own with ``pytest.warns``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from conftest import require_torch

import numtorch


def plain(value: Any) -> Any:
    """Tensors as ("tensor", values, dtype name); containers recursively; the rest as is."""
    if hasattr(value, "detach") and hasattr(value, "dtype"):
        return ("tensor", np.asarray(value.detach().tolist()), str(value.dtype).split(".")[-1])
    if isinstance(value, (tuple, list)):
        return type(value)(plain(x) for x in value)
    return value


def outcome(fn: Callable[[Any], Any], lib: Any) -> tuple[str, Any]:
    """("ok", plain result) or (exception type name, message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", plain(fn(lib))
        except Exception as e:  # noqa: BLE001 - the error is what is compared
            return type(e).__name__, str(e)


def assert_equal(ours: Any, theirs: Any) -> None:
    if isinstance(theirs, tuple) and theirs[:1] == ("tensor",):
        assert isinstance(ours, tuple) and ours[:1] == ("tensor",), (ours, theirs)
        assert ours[2] == theirs[2] and ours[1].shape == theirs[1].shape, (ours, theirs)
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, atol=1e-6)
    elif isinstance(theirs, (tuple, list)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), (ours, theirs)
        for a, b in zip(ours, theirs):
            assert_equal(a, b)
    else:
        assert ours == theirs


def same(fn: Callable[[Any], Any]) -> None:
    """``fn`` must do the same thing with numtorch as with torch."""
    torch = require_torch()
    try:
        ours, theirs = outcome(fn, numtorch), outcome(fn, torch)
    finally:  # a scenario that fails half-way must not leave grad mode off
        numtorch.set_grad_enabled(True)
        torch.set_grad_enabled(True)
    assert ours[0] == theirs[0], (ours, theirs)
    assert_equal(ours[1], theirs[1])


def leaf(lib: Any, values: Any, dtype: Any = None) -> Any:
    """A tensor that requires grad (float32 unless ``dtype`` says otherwise)."""
    return lib.tensor(values, dtype=dtype or lib.float32, requires_grad=True)
