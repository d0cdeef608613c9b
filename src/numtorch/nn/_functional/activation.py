"""Activations of ``nn.functional``: one fused primitive each (``_primitives/nonlinearity.py``),
so ``grad_fn`` is torch's; ``inplace=True`` writes the result into ``input``."""

from __future__ import annotations

import warnings
from collections.abc import Callable

from ... import _dtype
from ... import _functions as _ops
from ..._composites._util import inplace as _inplace
from ..._primitives import nonlinearity as _nl
from ..._tensor import Tensor
from ._util import _not_implemented

__all__ = ["relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu",
           "selu_", "celu", "celu_", "gelu", "silu", "mish", "hardtanh", "hardtanh_",
           "softplus", "softsign", "tanhshrink", "logsigmoid", "sigmoid", "tanh", "softmax",
           "softmin", "log_softmax"]

# selu's constants (Klambauer et al., 2017): its fixed point has mean 0 and variance 1
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _apply(input: Tensor, inplace: bool, kernel: str, fn: Callable[[Tensor], Tensor]) -> Tensor:
    """``fn(input)``, or written into ``input`` when ``inplace``; float inputs only."""
    if not input.is_floating_point():
        raise _not_implemented(kernel, input)
    return _inplace(input, fn) if inplace else fn(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0), elementwise; ``inplace=True`` overwrites ``input``.

    >>> F.relu(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return input.relu_() if inplace else _ops.relu(input)


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """clamp(input, min_val, max_val); the gradient is zero outside (min_val, max_val).

    >>> F.hardtanh(torch.tensor([-3.0, 0.5, 3.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")

    def fn(x: Tensor) -> Tensor:
        return _nl.Hardtanh.apply(x, min_val=min_val, max_val=max_val)

    return _inplace(input, fn) if inplace else fn(input)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(input, 0), 6): hardtanh(input, 0, 6), as torch computes it.

    >>> F.relu6(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """input where positive, ``negative_slope * input`` elsewhere.

    >>> F.leaky_relu(torch.tensor([-2.0, 2.0]), 0.1)
    tensor([-0.2000,  2.0000])
    """
    name = "LeakyReluBackward1" if inplace else None
    return _apply(input, inplace, "leaky_relu_cpu", lambda x: _nl.LeakyRelu.apply(
        x, negative_slope=negative_slope, name=name))


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def _elu(input: Tensor, inplace: bool, name: str, **params: float) -> Tensor:
    backward = name + ("Backward1" if inplace else "Backward0")
    return _apply(input, inplace, "elu_cpu",
                  lambda x: _nl.Elu.apply(x, name=backward, **params))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """input where positive, ``alpha * (exp(input) - 1)`` elsewhere.

    >>> F.elu(torch.tensor([-1.0, 1.0]))
    tensor([-0.6321,  1.0000])
    """
    return _elu(input, inplace, "Elu", alpha=alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(input, alpha)`` with the self-normalising constants.

    >>> F.selu(torch.tensor([1.0]))
    tensor([1.0507])
    """
    return _elu(input, inplace, "Elu", alpha=SELU_ALPHA, scale=SELU_SCALE)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """input where positive, ``alpha * (exp(input / alpha) - 1)`` elsewhere.

    >>> F.celu(torch.tensor([-1.0]), alpha=2.0)
    tensor([-0.7869])
    """
    return _elu(input, inplace, "Celu", alpha=alpha, input_scale=1.0 / alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``input * Phi(input)`` (Phi the standard normal CDF); ``approximate='tanh'`` uses
    ``0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))``.

    >>> F.gelu(torch.tensor([1.0]))
    tensor([0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _apply(input, False, "GeluKernelImpl",
                  lambda x: _nl.Gelu.apply(x, approximate=approximate))


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)`` (swish).

    >>> F.silu(torch.tensor([1.0]))
    tensor([0.7311])
    """
    return _apply(input, inplace, "silu_cpu", _nl.Silu.apply)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * tanh(softplus(input))``.

    >>> F.mish(torch.tensor([1.0]))
    tensor([0.8651])
    """
    return _apply(input, inplace, "mish_cpu", _nl.Mish.apply)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * input)) / beta``; ``input`` itself where ``beta * input >
    threshold`` (the two agree there to float precision).

    >>> F.softplus(torch.tensor([0.0]))
    tensor([0.6931])
    """
    return _apply(input, False, "softplus_cpu",
                  lambda x: _nl.Softplus.apply(x, beta=beta, threshold=threshold))


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(input))``, computed as ``-softplus(-input)`` (stable for large |x|).

    >>> F.logsigmoid(torch.tensor([0.0]))
    tensor([-0.6931])
    """
    return _apply(input, False, "log_sigmoid_cpu", _nl.LogSigmoid.apply)


def softsign(input: Tensor) -> Tensor:
    """``input / (1 + |input|)``."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """``input - tanh(input)``."""
    return input - input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-input)), elementwise."""
    return _ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """tanh(input), elementwise."""
    return _ops.tanh(input)


# -- softmax family --------------------------------------------------------------------------
def _implicit_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: _dtype.dtype | None = None) -> Tensor:
    """``exp(x) / exp(x).sum(dim)``; each slice along ``dim`` sums to 1. Without ``dim``,
    torch's legacy choice (0 for 0-, 1- and 3-D inputs, else 1), with its warning.

    >>> F.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([0.0900, 0.2447, 0.6652])
    """
    if dim is None:
        dim = _implicit_dim("softmax", input.dim(), _stacklevel)
    return _ops.softmax(input, dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: _dtype.dtype | None = None) -> Tensor:
    """``softmax(-input)``."""
    if dim is None:
        dim = _implicit_dim("softmin", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return _ops.softmax(-input, dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: _dtype.dtype | None = None) -> Tensor:
    """``log(softmax(input, dim))`` computed stably (the usual input of ``nll_loss``).

    >>> F.log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([-2.4076, -1.4076, -0.4076])
    """
    if dim is None:
        dim = _implicit_dim("log_softmax", input.dim(), _stacklevel)
    return _ops.log_softmax(input, dim, dtype=dtype)
