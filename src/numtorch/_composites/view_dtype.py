"""``tensor.view(dtype)``: the same bytes read as another dtype (torch's rules and errors)."""

from __future__ import annotations

from collections.abc import Sequence

from .. import _dtype
from .._tensor import Tensor
from ._util import _legacy_name


def view_dtype(input: Tensor, dtype: _dtype.dtype) -> Tensor:
    """``input.view(dtype)``: the same bytes read as ``dtype``, no copy, no conversion.

    With another element size the last dim scales by the ratio (float32 (2, 4) as int16 is
    (2, 8), as float64 (2, 2)); that needs torch's conditions, checked in torch's order
    (``_check_view_dtype``). As in torch, the result shares memory and the version counter
    with ``input`` but stays outside autograd: it never requires grad, and autograd does not
    count it as a view (``_base`` is None), so writes through it are not differentiated.

    >>> torch.tensor([1.0]).view(torch.int32)
    tensor([1065353216], dtype=torch.int32)
    """
    if dtype.itemsize != input._data.itemsize:
        _check_view_dtype(input, dtype)
    out = Tensor._make(input._data.view(dtype.np))
    out._vc = input._counter()
    return out


def _check_view_dtype(input: Tensor, dtype: _dtype.dtype) -> None:
    """torch's errors for a view to another element size; a narrower dtype asks only for a
    last dim of stride 1, a wider one also for whole wide elements everywhere."""
    what = (f"to view {_legacy_name(input.dtype)} as {_legacy_name(dtype)} (different element "
            "sizes)")
    if input._data.ndim == 0:
        raise RuntimeError(f"self.dim() cannot be 0 {what}")
    ratio = dtype.itemsize // input._data.itemsize  # 0 for a narrower dtype
    if ratio:
        if input.shape[-1] % ratio:
            raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {what}, but got "
                               f"{input.shape[-1]}")
        if input.storage_offset() % ratio:
            raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {what}, "
                               f"but got {input.storage_offset()}")
    # an empty array's NumPy strides are all 0; torch sees a contiguous tensor's
    strides = input.stride() if input._data.size else _contiguous_strides(input.shape)
    if strides[-1] != 1:
        raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {strides[-1]}")
    for i, stride in enumerate(strides[:-1]):
        if ratio and stride % ratio:
            raise RuntimeError(f"self.stride({i}) must be divisible by {ratio} {what}, but "
                               f"got {stride}")


def _contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))
