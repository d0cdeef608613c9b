"""``nn.functional.pad``: constant, reflect, replicate and circular padding."""

from __future__ import annotations

from collections.abc import Sequence

from ..._primitives.padding import ConstantPad, pad_source_index
from ..._tensor import Tensor

__all__ = ["pad"]

_INDEX_MODES = ("reflect", "replicate", "circular")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pad the last ``len(pad) // 2`` dims: ``pad = (left, right)`` for the last dim, then
    ``(top, bottom)`` for the one before, and so on.

    Args:
        mode: ``'constant'`` (fill with ``value``, default 0; a negative pad crops),
            ``'reflect'`` (mirror without repeating the edge), ``'replicate'`` (repeat the
            edge) or ``'circular'`` (wrap around).

    >>> F.pad(torch.tensor([[1.0, 2.0]]), (1, 2))
    tensor([[0., 1., 2., 0., 0.]])
    """
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    k, ndim = len(pad) // 2, input.dim()
    if k > ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{ndim}")
    # pairs for the trailing k dims, first dim first
    pairs = tuple((int(pad[2 * i]), int(pad[2 * i + 1])) for i in reversed(range(k)))
    if mode == "constant":
        widths = ((0, 0),) * (ndim - k) + pairs
        if any(n + lo + hi < 0 for n, (lo, hi) in zip(input.shape, widths)):
            raise RuntimeError("narrow(): length must be non-negative.")
        return ConstantPad.apply(input, pads=widths, value=0 if value is None else value)
    if mode not in _INDEX_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    _check_index_mode(input, pairs, mode)
    shape = tuple(input.shape)
    index = pad_source_index(shape[ndim - k:], pairs, mode)
    out = input.flatten(ndim - k).index_select(-1, Tensor._make(index.reshape(-1)))
    return out.reshape(*shape[:ndim - k], *index.shape)


def _check_index_mode(input: Tensor, pairs: tuple, mode: str) -> None:
    k, ndim = len(pairs), input.dim()
    if not 1 <= k <= 3 or ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {2 * k} is not supported for {ndim}D input tensor.\nSupported "
            "combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    shape = tuple(input.shape)
    for i, (lo, hi) in enumerate(pairs):
        dim = ndim - k + i
        if mode == "reflect" and (lo >= shape[dim] or hi >= shape[dim]):
            raise RuntimeError("Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension "
                               f"{dim} of input {list(shape)}")
