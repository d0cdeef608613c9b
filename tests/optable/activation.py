"""Op-table entries: softmax and log_softmax."""

from __future__ import annotations

from . import FLOATS, OpSpec

SHAPES = [((3, 4),), ((2, 3, 4),), ((5,),), ((),), ((2, 0),), ((0, 3),), ((1, 1),)]


def _dim(a) -> int:
    """A dim of ``a`` chosen from its shape (0 for a 0-d tensor), sometimes negative."""
    if a.ndim == 0:
        return 0
    d = sum(a.shape) % a.ndim
    return d - a.ndim if a.shape[d] % 2 else d


def _large(rng, shape, dtype, index):
    """Scores in the hundreds: exp overflows unless the maximum is subtracted first."""
    return (rng.standard_normal(shape) * 300).astype(dtype)


OPS: list[OpSpec] = [
    OpSpec("softmax", lambda lib, a: lib.softmax(a, _dim(a)), SHAPES,
           dtypes=FLOATS + ("float16",), hypothesis="unary", gradgradcheck=True),
    OpSpec("softmax_method_dim0", lambda lib, a: a.softmax(0), SHAPES, gradgradcheck=True),
    OpSpec("softmax_last_dim", lambda lib, a: a.softmax(dim=-1), SHAPES),
    OpSpec("softmax_dtype", lambda lib, a: lib.softmax(a, -1, dtype=lib.float64), SHAPES,
           dtypes=("float32",)),
    OpSpec("softmax_dtype_int", lambda lib, a: a.softmax(0, dtype=lib.float32), SHAPES,
           dtypes=("int64", "int32", "uint8", "bool"), grad=False),
    OpSpec("softmax_large", lambda lib, a: lib.softmax(a, -1), SHAPES, domain=_large,
           gradcheck=False),
    OpSpec("log_softmax", lambda lib, a: lib.log_softmax(a, _dim(a)), SHAPES,
           dtypes=FLOATS + ("float16",), hypothesis="unary", gradgradcheck=True),
    OpSpec("log_softmax_method", lambda lib, a: a.log_softmax(dim=1), SHAPES[:2] + SHAPES[4:],
           gradgradcheck=True),
    OpSpec("log_softmax_dtype", lambda lib, a: a.log_softmax(0, lib.float64), SHAPES,
           dtypes=("float32", "float16")),
    OpSpec("log_softmax_large", lambda lib, a: lib.log_softmax(a, 0), SHAPES, domain=_large,
           gradcheck=False),
]
