"""Dropout in ``nn.functional``: elementwise, channel-wise (1d/2d/3d) and alpha dropout.

NOTE [ Dropout masks ]
A mask is drawn as torch draws it: an empty tensor filled by ``bernoulli_(1 - p)`` (of the
input's shape, or (N, C, 1, ...) for channel-wise dropout), scaled by ``1 / (1 - p)``, then
multiplied into the input, so ``grad_fn`` is ``MulBackward0`` and the kept values are
``input / (1 - p)``. Outside training, or with ``p == 0``, the input itself is returned.
The draw goes through numtorch's generator, which reproduces torch's: after the same
``torch.manual_seed`` the masks are torch's masks.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

from ..._creation import empty, zeros
from ..._tensor import Tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout"]

# -(selu's scale * alpha): the value a dropped unit takes under SELU's negative saturation
_ALPHA = 1.7580993408473766


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _mask(input: Tensor, p: float, feature: bool) -> Tensor:
    """1 with probability 1 - p, else 0 (see NOTE [ Dropout masks ])."""
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2) if feature else input.shape
    if p == 1:
        return zeros(shape, dtype=input.dtype)
    return empty(shape, dtype=input.dtype).bernoulli_(1 - p)


def _dropout(input: Tensor, p: float, training: bool, inplace: bool, feature: bool) -> Tensor:
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    noise = _mask(input, p, feature)
    if p < 1:
        noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool,
                   feature: bool) -> Tensor:
    """Dropped units take SELU's saturation value, then an affine map restores mean 0 and
    variance 1: ``a (x m + alpha' (1 - m)) + b`` with ``a = ((1 - p)(1 + p alpha'^2))^-1/2``,
    ``b = a alpha' p`` and ``alpha' = -_ALPHA``."""
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        zero = zeros((), dtype=input.dtype)
        return input.mul_(zero) if inplace else input * zero
    noise = _mask(input, p, feature)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    shift = (noise - 1) * (_ALPHA * a) + _ALPHA * a * p
    noise.mul_(a)
    out = input.mul_(noise) if inplace else input * noise
    return out.add_(shift) if inplace else out + shift


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``, so the
    expectation is unchanged; the identity when ``training`` is False.

    >>> F.dropout(torch.ones(4), p=0.5, training=False)
    tensor([1., 1., 1., 1.])
    """
    return _dropout(input, p, training, inplace, feature=False)


_DEPRECATED_DIM = (
    "{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an "
    "error in a future release. To retain the behavior and silence this warning, please use "
    "dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with "
    "{k} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
    "{lo}D or {hi}D inputs).")


def _unbatched(input: Tensor, batched: bool, fn: Callable[[Tensor], Tensor]) -> Tensor:
    """Run channel-wise dropout ``fn`` on (N, C, ...); an unbatched input gets a batch dim."""
    if batched:
        return fn(input)
    return fn(input.unsqueeze(0)).squeeze(0)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, L) or (C, L) input with probability ``p``."""
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note "
            "that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    return _unbatched(input, input.dim() == 3,
                      lambda x: _dropout(x, p, training, inplace, feature=True))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, H, W) or (C, H, W) input with probability ``p``.

    A 3-D input is taken as (N, C, L), with torch's warning."""
    _check_p(p)
    ndim = input.dim()
    if ndim not in (3, 4):
        warnings.warn(_DEPRECATED_DIM.format(name="dropout2d", ndim=ndim, k=2, lo=3, hi=4),
                      UserWarning, stacklevel=2)
    if ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            UserWarning, stacklevel=2)
    return _dropout(input, p, training, inplace, feature=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of an (N, C, D, H, W) or (C, D, H, W) input with probability
    ``p``."""
    _check_p(p)
    ndim = input.dim()
    if ndim not in (4, 5):
        warnings.warn(_DEPRECATED_DIM.format(name="dropout3d", ndim=ndim, k=3, lo=4, hi=5),
                      UserWarning, stacklevel=2)
    return _unbatched(input, ndim == 5,
                      lambda x: _dropout(x, p, training, inplace, feature=True))


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: a zero-mean, unit-variance input keeps its mean and
    variance."""
    return _alpha_dropout(input, p, training, inplace, feature=False)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels of an (N, C, ...) input."""
    return _alpha_dropout(input, p, training, inplace, feature=True)
