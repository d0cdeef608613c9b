"""Op-table entries: conversions and factories tied to a tensor (``to``, ``type``,
``new_*``, ``*_like``) and random draws made deterministic (``normal`` with zero std,
``bernoulli`` of 0/1 probabilities), whose gradients torch defines as zero.

The random entries skip the finite-difference layer: their values move with the input but
their defined gradient is zero, which is exactly what the differential layer checks.
"""

from __future__ import annotations

from . import FLOATS, OpSpec

UNARY = [((3, 4),), ((),), ((2, 0),), ((2, 3, 4),)]
PAIRS = [((3, 4), (3, 4)), ((2, 3), (3,)), ((3,), (2, 3)), ((), ())]


def _zero_one(rng, shape, dtype, index):
    """Probabilities of exactly 0 or 1: a Bernoulli draw of them is certain."""
    return (rng.random(shape) < 0.5).astype(dtype)


OPS = [
    OpSpec("to_copy_same_dtype", lambda lib, a: a.to(a.dtype, copy=True) * a, UNARY),
    OpSpec("to_device_dtype", lambda lib, a: a.to("cpu", lib.float64) * 2, UNARY),
    OpSpec("to_other", lambda lib, a, b: a.to(b) + b, [((3, 4), (3, 4)), ((), ())],
           dtypes=FLOATS),
    OpSpec("type_dtype", lambda lib, a: a.type(lib.float64).exp(), UNARY),
    OpSpec("type_name", lambda lib, a: a.type("torch.DoubleTensor") * a.double(), UNARY),
    OpSpec("half_float", lambda lib, a: a.half().float(), UNARY, rtol=1e-3, atol=1e-3,
           gradcheck=False),
    OpSpec("new_zeros_add", lambda lib, a: a.new_zeros(a.shape) + a, UNARY),
    OpSpec("new_ones_mul", lambda lib, a: a.new_ones(tuple(a.shape)) * a, UNARY),
    OpSpec("new_full_mul", lambda lib, a: a.new_full(tuple(a.shape), 2.5) * a, UNARY),
    OpSpec("new_tensor_mul", lambda lib, a: a * a.new_tensor(1.5), UNARY),
    OpSpec("zeros_like_add", lambda lib, a: lib.zeros_like(a) + a * 3, UNARY),
    OpSpec("full_like_mul", lambda lib, a: lib.full_like(a, -2.0) * a, UNARY),
    OpSpec("normal_std0", lambda lib, a: lib.normal(a, 0.0), UNARY, gradcheck=False),
    OpSpec("normal_tensors_std0", lambda lib, a, b: lib.normal(a, b * 0), PAIRS,
           gradcheck=False),
    OpSpec("normal_float_mean", lambda lib, b: lib.normal(1.5, b * 0), UNARY, gradcheck=False),
    OpSpec("bernoulli_certain", lambda lib, p: lib.bernoulli(p), UNARY, domain=_zero_one,
           gradcheck=False),
    OpSpec("bernoulli_method", lambda lib, p: p.bernoulli() * p, UNARY, domain=_zero_one,
           gradcheck=False),
    OpSpec("bernoulli_inplace", lambda lib, a: a.clone().bernoulli_(1.0) + a, UNARY,
           gradcheck=False),
    OpSpec("uniform_inplace_point", lambda lib, a: a.clone().uniform_(2.0, 2.0) * a, UNARY,
           gradcheck=False),
    OpSpec("normal_inplace_std0", lambda lib, a: a.clone().normal_(0.5, 0.0) + a, UNARY,
           gradcheck=False),
]
