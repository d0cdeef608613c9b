"""Op-table entries: the losses of ``nn.functional``, every reduction."""

from __future__ import annotations

import warnings

import numpy as np

from . import OpSpec

SAME = [((3, 4), (3, 4)), ((), ()), ((0, 3), (0, 3)), ((2, 3, 4), (2, 3, 4)), ((5,), (5,))]
# torch broadcasts these (with a warning) for mse_loss and l1_loss
BROADCAST = [((3, 1), (3,)), ((2, 3), (3,)), ((4,), (2, 1, 4)), ((), (3,)), ((0, 2), (2,))]
REDUCTIONS = ("none", "mean", "sum")


def _logits_and_targets(rng, shape, dtype, index):
    """Input 0: logits of either sign; input 1: targets in [0, 1]."""
    if index == 0:
        return (rng.standard_normal(shape) * 2).astype(dtype)
    return rng.uniform(0, 1, shape).astype(dtype)


def _probabilities(rng, shape, dtype, index):
    """Both inputs in the unit interval; the input kept off 0 and 1 (where the log clamps)."""
    low, high = (0.05, 0.95) if index == 0 else (0.0, 1.0)
    return np.asarray(rng.uniform(low, high, shape)).astype(dtype)


def _ramp(lib, x):
    """A per-class weight for ``x``: along its last dim (a 0-d one for a 0-d ``x``)."""
    if x.dim() == 0:
        return lib.tensor(0.7, dtype=x.dtype)
    return lib.linspace(0.5, 1.5, x.shape[-1], dtype=x.dtype)


def _quiet(fn, *args, **kwargs):
    """Call a loss that warns about broadcasting (the warning has its own test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


def _bce_logits(r):
    return [
        OpSpec(f"bce_with_logits_{r}", lambda lib, x, t: lib.nn.functional
               .binary_cross_entropy_with_logits(x, t, reduction=r), SAME,
               domain=_logits_and_targets, gradgradcheck=True),
        OpSpec(f"bce_with_logits_weight_{r}", lambda lib, x, t: lib.nn.functional
               .binary_cross_entropy_with_logits(x, t, weight=_ramp(lib, x), reduction=r), SAME,
               domain=_logits_and_targets, gradgradcheck=True),
        OpSpec(f"bce_with_logits_pos_weight_{r}", lambda lib, x, t: lib.nn.functional
               .binary_cross_entropy_with_logits(x, t, pos_weight=_ramp(lib, x) * 2,
                                                 reduction=r),
               SAME, domain=_logits_and_targets, gradgradcheck=True),
    ]


def _bce(r):
    return [
        OpSpec(f"bce_{r}", lambda lib, x, t: lib.nn.functional.binary_cross_entropy(
            x, t, reduction=r), SAME, domain=_probabilities, gradgradcheck=True),
        OpSpec(f"bce_weight_{r}", lambda lib, x, t: lib.nn.functional.binary_cross_entropy(
            x, t, weight=_ramp(lib, x), reduction=r), SAME, domain=_probabilities),
    ]


def _pointwise_losses(r):
    ops = []
    for name in ("mse_loss", "l1_loss"):
        short = name.split("_")[0]
        ops += [
            OpSpec(f"{short}_{r}", lambda lib, x, t, n=name: getattr(lib.nn.functional, n)(
                x, t, reduction=r), SAME, gradgradcheck=short == "mse"),
            OpSpec(f"{short}_broadcast_{r}", lambda lib, x, t, n=name: _quiet(
                getattr(lib.nn.functional, n), x, t, reduction=r), BROADCAST),
            OpSpec(f"{short}_weight_{r}", lambda lib, x, t, n=name: getattr(lib.nn.functional, n)(
                x, t, reduction=r, weight=lib.ones_like(x.detach()) * _ramp(lib, x)), SAME),
        ]
    return ops


OPS: list[OpSpec] = [op for r in REDUCTIONS for op in _bce_logits(r) + _bce(r)
                     + _pointwise_losses(r)]

OPS += [
    # torch's result takes the target's dtype; each gradient its input's
    OpSpec("bce_with_logits_double_target", lambda lib, x, t: lib.nn.functional
           .binary_cross_entropy_with_logits(x, t.double()), SAME[:2], dtypes=("float32",),
           domain=_logits_and_targets),
    OpSpec("mse_mixed_dtypes", lambda lib, x, t: lib.nn.functional.mse_loss(x, t.double()),
           SAME[:2], dtypes=("float32",)),
    OpSpec("mse_integer_target", lambda lib, x, t: lib.nn.functional.mse_loss(
        x, (t.detach() * 3).long(), reduction="sum"), SAME[:2]),
    OpSpec("l1_integer_target", lambda lib, x, t: lib.nn.functional.l1_loss(
        x, (t.detach() * 3).long()), SAME[:2]),
    # hypothesis: random (broadcast) shapes
    OpSpec("mse_hypothesis", lambda lib, x, t: _quiet(lib.nn.functional.mse_loss, x, t),
           BROADCAST[:1], hypothesis="broadcast", n_inputs=2),
    OpSpec("l1_hypothesis_none", lambda lib, x, t: _quiet(
        lib.nn.functional.l1_loss, x, t, reduction="none"), BROADCAST[:1],
        hypothesis="broadcast", n_inputs=2),
    OpSpec("bce_with_logits_hypothesis", lambda lib, x: lib.nn.functional
           .binary_cross_entropy_with_logits(x, lib.full_like(x.detach(), 0.3)), [((3, 4),)],
           hypothesis="unary", domain=_logits_and_targets),
    OpSpec("bce_hypothesis_sum", lambda lib, x: lib.nn.functional.binary_cross_entropy(
        x, lib.full_like(x.detach(), 0.25), reduction="sum"), [((3, 4),)], hypothesis="unary",
        domain=_probabilities),
]
