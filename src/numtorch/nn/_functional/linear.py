"""Linear maps of ``nn.functional``: ``linear`` and ``bilinear``."""

from __future__ import annotations

from ... import _functions as _ops
from ..._tensor import Tensor

__all__ = ["linear", "bilinear"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``.

    With a bias the product is one fused ``addmm`` (``AddmmBackward0``); an input of other
    than 2 dims is flattened to (-1, in_features) around it and viewed back, as torch does.
    Without a bias it is ``matmul``.

    Shape: input (*, in_features), weight (out_features, in_features), bias (out_features,)
    -> (*, out_features).

    >>> F.linear(torch.ones(2, 3), torch.ones(4, 3), torch.zeros(4)).shape
    torch.Size([2, 4])
    """
    if bias is None or weight.dim() != 2 or input.dim() == 0:
        out = _ops.matmul(input, weight.t())
        return out if bias is None else out + bias
    if input.dim() == 2:
        return _ops.addmm(bias, input, weight.t())
    flat = input.reshape(-1, input.shape[-1])
    return _ops.addmm(bias, flat, weight.t()).view(*input.shape[:-1], weight.shape[0])


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Tensor | None = None) -> Tensor:
    """``y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]``.

    Shape: input1 (*, in1), input2 (*, in2), weight (out, in1, in2) -> (*, out).

    >>> F.bilinear(torch.ones(2, 3), torch.ones(2, 4), torch.ones(5, 3, 4)).shape
    torch.Size([2, 5])
    """
    _check_bilinear(input1, input2, weight, bias)
    n_out, in1, in2 = weight.shape
    lead = tuple(input1.shape[:-1])
    x1, x2 = input1.reshape(-1, in1), input2.reshape(-1, in2)
    # (N, in1) @ (in1, out * in2) gives x1^T A for every output, then dot with x2
    left = _ops.mm(x1, weight.transpose(0, 1).reshape(in1, n_out * in2))
    out = (left.view(-1, n_out, in2) * x2.unsqueeze(1)).sum(-1)
    if bias is not None:
        out = out + bias
    return out.view(*lead, n_out)


def _check_bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for d, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: "
                               f"got {a} and {b}")
    weight.size(2)  # torch's IndexError for a weight of fewer than 3 dims
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    if bias is not None and bias.numel() != weight.shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.numel()} but expected {weight.shape[0]}")
