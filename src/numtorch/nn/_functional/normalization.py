"""Normalization in ``nn.functional``: layer_norm, batch_norm, group_norm, normalize,
rms_norm (instance_norm and local_response_norm are in ``norm_extra.py``). The first three
are one fused node each (see NOTE [ One normalization, three layouts ] in
``_primitives/normalization.py``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..._primitives import normalization as _norm
from ..._size import Size
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["layer_norm", "batch_norm", "group_norm", "normalize", "rms_norm"]


def _affine(weight: Tensor | None, bias: Tensor | None) -> dict:
    return {"has_weight": weight is not None, "has_bias": bias is not None}


def _params(weight: Tensor | None, bias: Tensor | None) -> tuple:
    return tuple(t for t in (weight, bias) if t is not None)


def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the last ``len(normalized_shape)`` dims to mean 0 and variance 1, then
    scale by ``weight`` and shift by ``bias`` (both of ``normalized_shape``).

    >>> F.layer_norm(torch.tensor([[1.0, 3.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    if not isinstance(normalized_shape, (tuple, list, Size)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple "
                        f"of ints, not {type(normalized_shape).__name__}")
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != shape or input.dim() < k:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in shape)}], but got input of size"
                           f"{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")
    layout = _norm.layer_layout(tuple(input.shape), k)
    return _norm.Normalization.apply(input, *_params(weight, bias), layout=layout, eps=eps,
                                     **_affine(weight, bias))


def _verify_batch_size(shape: tuple) -> None:
    per_channel = math.prod(shape) // shape[1]
    if per_channel == 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"{Size(shape)}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel (dim 1) over the batch and spatial dims.

    Training uses the batch's statistics and, when given, updates the running ones in place:
    ``running = (1 - momentum) running + momentum batch_stat`` (the variance unbiased).
    Evaluation uses the running statistics.

    Shape: input (N, C) or (N, C, *); running stats, weight and bias (C,).

    >>> F.batch_norm(torch.tensor([[1.0], [3.0]]), None, None, training=True)
    tensor([[-1.0000],
            [ 1.0000]])
    """
    shape = tuple(input.shape)
    if training:
        _verify_batch_size(shape)
    channels = shape[1] if len(shape) > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode")
    stats = running = None
    if not training:
        stats = (running_mean._data, running_var._data)
    elif running_mean is not None or running_var is not None:
        running = tuple(None if t is None else t._data for t in (running_mean, running_var))
    out = _norm.Normalization.apply(
        input, *_params(weight, bias), layout=_norm.channel_layout(shape), eps=eps,
        name="NativeBatchNormBackward0", stats=stats, running=running, momentum=momentum,
        **_affine(weight, bias))
    for t in (running_mean, running_var):
        if running is not None and t is not None:
            t._bump_version()
    return out


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Split the channels (dim 1) into ``num_groups`` groups and normalize each (sample,
    group) over its channels and spatial dims; then a per-channel affine map.

    >>> F.group_norm(torch.tensor([[1.0, 3.0]]), 1)
    tensor([[-1.0000,  1.0000]])
    """
    shape = tuple(input.shape)
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    if shape[1] % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(shape)} and num_groups={num_groups}")
    layout = _norm.group_layout(shape, num_groups)
    return _norm.Normalization.apply(input, *_params(weight, bias), layout=layout, eps=eps,
                                     name="NativeGroupNormBackward0", **_affine(weight, bias))


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """``input / max(||input||_p, eps)`` along ``dim``: unit-norm slices.

    >>> F.normalize(torch.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    if out is None:
        return input / denom
    with no_grad():
        return out.copy_(input / denom)


_MACHINE_EPS = {"torch.float16": 2.0 ** -10, "torch.float32": 2.0 ** -23,
                "torch.float64": 2.0 ** -52}


def rms_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """``input / sqrt(mean(input^2) + eps) * weight`` over the last
    ``len(normalized_shape)`` dims; ``eps`` defaults to the dtype's machine epsilon.

    >>> F.rms_norm(torch.tensor([[3.0, 4.0]]), (2,), eps=0.0)
    tensor([[0.8485, 1.1314]])
    """
    shape = tuple(normalized_shape)
    if tuple(input.shape[input.dim() - len(shape):]) != shape or input.dim() < len(shape):
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*{', '.join(str(s) for s in shape)}], but got input of size"
                           f"{list(input.shape)}")
    if eps is None:
        eps = _MACHINE_EPS[str(input.dtype)]
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight
