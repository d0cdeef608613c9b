"""Instance normalization (with running statistics) and local response normalization of
``nn.functional``.

NOTE [ Instance norm as batch norm ]
Instance norm normalizes each (sample, channel) over its spatial dims: batch norm of the input
viewed as (1, N C, *), with the per-channel weight, bias and running statistics repeated N
times. In training the N copies of each running statistic move separately; their mean over
the batch is then written back (always, as torch does, even in evaluation where the copies
stay equal).
"""

from __future__ import annotations

import math

from ..._size import Size
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .normalization import batch_norm
from .padding import pad
from .pooling import avg_pool2d, avg_pool3d

__all__ = ["instance_norm", "local_response_norm"]


def _verify_spatial_size(shape: tuple) -> None:
    if math.prod(shape[2:]) == 1:
        raise ValueError("Expected more than 1 spatial element when training, got input size "
                         f"{Size(shape)}")


def _repeat(t: Tensor | None, times: int) -> Tensor | None:
    return None if t is None else t.repeat(times)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each (sample, channel) of an (N, C, *) input over its spatial dims, then a
    per-channel affine map. With ``use_input_stats=False`` the running statistics are used
    instead; in training given running statistics follow the batch's (NOTE [ Instance norm
    as batch norm ]).

    >>> F.instance_norm(torch.tensor([[[1.0, 3.0]]]))
    tensor([[[-1.0000,  1.0000]]])
    """
    shape = tuple(input.shape)
    if use_input_stats:
        _verify_spatial_size(shape)
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    n, c = shape[0], shape[1]
    stats = [_repeat(t, n) for t in (running_mean, running_var)]
    out = batch_norm(input.reshape(1, n * c, *shape[2:]), stats[0], stats[1],
                     _repeat(weight, n), _repeat(bias, n), use_input_stats, momentum, eps)
    with no_grad():
        for running, copies in zip((running_mean, running_var), stats):
            if running is not None:
                running.copy_(copies.view(n, c).mean(0))
    return out.reshape(shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """Divide each element by ``(k + alpha * mean of the squares over a window of ``size``
    channels)^beta``, the window from ``size // 2`` channels before to ``(size - 1) // 2``
    after, zeros beyond the ends (AlexNet's normalization across channels, dim 1).

    >>> F.local_response_norm(torch.ones(1, 2, 1), size=2, alpha=1.0, k=0.0, beta=1.0)
    tensor([[[2.],
             [1.]]])
    """
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality{' ' * 26}input (got {dim} "
                         "dimensions)")
    if input.numel() == 0:
        return input
    # the mean of squares over a window of channels: an average pool along the channel dim,
    # padded with zeros so the window is centred (torch's construction, so values agree)
    div = input.mul(input)
    before, after = size // 2, (size - 1) // 2
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, before, after))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        shape = tuple(input.shape)
        div = div.view(shape[0], 1, shape[1], shape[2], -1)
        div = pad(div, (0, 0, 0, 0, before, after))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(shape)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div
