"""More activations of ``nn.functional``: prelu, glu, the hard ones (hardswish, hardsigmoid,
hardshrink, softshrink), threshold and rrelu. Each is a composite of existing ops (a
``where`` or a hardtanh picks the branch), built so that the gradient at a branch point and
the output for NaN are those of torch's kernel."""

from __future__ import annotations

import numpy as np

from ... import _dtype
from ... import _functions as _ops
from ..._composites._util import _legacy_name
from ..._composites._util import inplace as _inplace
from ..._random import Generator, engine_of
from ..._random_distributions import uniform_real
from ..._tensor import Tensor
from ._util import _not_implemented
from .activation import hardtanh, leaky_relu

__all__ = ["prelu", "glu", "hardswish", "hardsigmoid", "hardshrink", "softshrink", "threshold",
           "threshold_", "rrelu", "rrelu_"]

_ONE_SIXTH = float(np.float32(1.0) / np.float32(6.0))  # NOTE [ hardsigmoid's one sixth ]


def _float_only(input: Tensor, kernel: str) -> None:
    if not input.is_floating_point():
        raise _not_implemented(kernel, input)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``input`` where positive, ``weight * input`` elsewhere; ``weight`` holds one slope, or
    one per channel (dim 1).

    >>> F.prelu(torch.tensor([-2.0, 3.0]), torch.tensor([0.25]))
    tensor([-0.5000,  3.0000])
    """
    if weight.dim() > 1:
        raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.dim()}")
    if weight.dtype is not input.dtype:
        raise RuntimeError("prelu: Type promoting not supported. Got "
                           f"{_legacy_name(input.dtype)} and {_legacy_name(weight.dtype)}")
    if weight.numel() == 1:
        slope = weight.reshape(())
    else:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.dim() >= 2 else 1
        if weight.numel() != channels:
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {weight.numel()} and channel size = "
                               f"{channels}.")
        slope = weight.reshape((channels,) + (1,) * (input.dim() - 2))
    # at 0 the gradient takes the negative branch (slope for input, input for weight), as torch's
    return _ops.where(input > 0, input, slope * input)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split ``input`` in halves ``a``, ``b`` along ``dim``; ``a *
    sigmoid(b)``.

    >>> F.glu(torch.tensor([1.0, 0.0]))
    tensor([0.5000])
    """
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    _float_only(input, "glu_cpu")
    size = input.size(dim)
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension "
                           f"{dim % input.dim()} is size {size}")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6``.

    The gradient is ``x / 3 + 0.5`` strictly inside (-3, 3), 0 below and 1 above: hardtanh's
    gradient vanishes at its ends, as torch's hardswish backward does there.

    >>> F.hardswish(torch.tensor([-4.0, 1.0, 4.0]))
    tensor([-0.0000,  0.6667,  4.0000])
    """
    _float_only(input, "hardswish_cpu")

    def fn(x: Tensor) -> Tensor:
        return x * hardtanh(x + 3, 0.0, 6.0) / 6

    return _inplace(input, fn) if inplace else fn(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``; the gradient is ``1 / 6`` strictly inside (-3, 3), else 0.

    >>> F.hardsigmoid(torch.tensor([-4.0, 0.0, 4.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _float_only(input, "hardsigmoid_cpu")

    def fn(x: Tensor) -> Tensor:
        # NOTE [ hardsigmoid's one sixth ]
        # torch divides by 6 going forward but its backward multiplies by float32's 1/6, in
        # every dtype (a float64 gradient is off by 3e-8 relative). The output is
        # ``a + (b - a)``, ``a = h * c`` recorded and ``b = h / 6`` not: a and b are within a
        # factor 2, so ``b - a`` is exact and the sum is exactly b, while the gradient is a's.
        h = hardtanh(x + 3, 0.0, 6.0)
        scaled = h * _ONE_SIXTH
        return scaled + (h.detach() / 6 - scaled.detach())

    return _inplace(input, fn) if inplace else fn(input)


def _zero(input: Tensor) -> Tensor:
    return input.new_zeros(())


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """0 on ``[-lambd, lambd]``, ``input`` elsewhere.

    >>> F.hardshrink(torch.tensor([-1.0, 0.2, 1.0]))
    tensor([-1.,  0.,  1.])
    """
    _float_only(input, "hardshrink_cpu")
    inside = (input >= -lambd).logical_and(input <= lambd)
    return _ops.where(inside, _zero(input), input)


def _format_float(value: float) -> str:
    """A number as C++'s default stream prints it (6 significant digits)."""
    return f"{value:g}"


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``input - lambd`` above ``lambd``, ``input + lambd`` below ``-lambd``, 0 between.

    >>> F.softshrink(torch.tensor([-1.0, 0.2, 1.0]))
    tensor([-0.5000,  0.0000,  0.5000])
    """
    _float_only(input, "softshrink_check")
    if lambd < 0:
        top = float(np.finfo(input.dtype.np).max)
        raise RuntimeError(f"lambda must be in range [0, {_format_float(top)}] for input dtype "
                           f"{_legacy_name(input.dtype)}, but found {_format_float(lambd)}")
    # ``input * 0`` between the bounds: NaN stays NaN and -0.0 keeps its sign, as in torch
    return _ops.where(input > lambd, input - lambd,
                      _ops.where(input < -lambd, input + lambd, input * 0))


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``input`` where it is above ``threshold``, ``value`` elsewhere.

    >>> F.threshold(torch.tensor([0.5, 2.0]), 1.0, -1.0)
    tensor([-1.,  2.])
    """
    return _threshold(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place :func:`threshold`."""
    return _threshold(input, threshold, value, True)


def _threshold(input: Tensor, level: float, value: float, inplace: bool) -> Tensor:
    # at ``level`` itself the output is ``value`` and the gradient 0; NaN stays NaN (torch's)
    def fn(x: Tensor) -> Tensor:
        return _ops.where(x <= level, x.new_full((), value), x)

    return _inplace(input, fn) if inplace else fn(input)


# NOTE [ rrelu's noise ]
# In training each non-positive element draws its own slope from U[lower, upper), in memory
# order, one 64-bit draw each (torch's kernel samples a double per element whatever the dtype,
# from the bounds rounded to the input's dtype, then rounds the slope back to it; it has no
# float16 version). Positive
# elements draw nothing and keep slope 1. The noise is a constant of the graph: the gradient
# is ``grad * noise``. Unlike ``uniform_`` (NOTE [ Uniform floats ]) the scaling ``u * (upper -
# lower) + lower`` is rounded twice, not fused (checked bit for bit against torch). Outside
# training the slope is the fixed mean ``(lower + upper) / 2``.
def _rrelu_noise(input: Tensor, lower: float, upper: float,
                 generator: Generator | None = None) -> Tensor:
    data = input._data
    negative = data <= 0
    count = int(negative.sum())
    kind = data.dtype.type
    lo, hi = float(kind(lower)), float(kind(upper))
    noise = input.new_ones(input.shape)
    if count:
        unit = uniform_real(engine_of(generator, "rrelu"), count, np.float64)
        slopes = unit * (hi - lo) + lo  # two roundings: this kernel's line is not fused
        noise._data[negative] = slopes.astype(kind).astype(data.dtype)
    return noise


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomized leaky relu: negative inputs are scaled by a slope drawn from U[lower, upper)
    in training (NOTE [ rrelu's noise ]), by ``(lower + upper) / 2`` otherwise.

    >>> F.rrelu(torch.tensor([-3.0, 1.0]), 0.1, 0.3)
    tensor([-0.6000,  1.0000])
    """
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    if not input.is_floating_point() or input.dtype is _dtype.float16:  # no half kernel either
        raise _not_implemented("rrelu_with_noise_out_cpu", input)
    noise = _rrelu_noise(input, lower, upper)

    def fn(x: Tensor) -> Tensor:
        return x * noise

    return _inplace(input, fn) if inplace else fn(input)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    """In-place :func:`rrelu`."""
    return rrelu(input, lower, upper, training, inplace=True)
