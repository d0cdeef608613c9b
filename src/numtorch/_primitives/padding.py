"""Padding: constant padding as one node (its backward is the opposite padding, a crop), and
the source-index maps that make reflect / replicate / circular padding an index_select."""

from __future__ import annotations

import numpy as np

from ._base import Primitive


class ConstantPad(Primitive):
    """x widened by ``pads`` (before, after) per dim, filled with ``value``; a negative pad
    crops. d/dx is the gradient padded by the opposite amounts."""

    name_ = "ConstantPadNdBackward0"

    def forward(self, x, pads, value=0):
        self.pads = pads
        crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(pads, x.shape))
        x = x[crop]
        widths = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
        return np.pad(x, widths, constant_values=np.asarray(value).astype(x.dtype))

    def backward(self, grad):
        return ConstantPad.apply(grad, pads=tuple((-lo, -hi) for lo, hi in self.pads))


# np.pad's name for each of torch's modes
_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad_source_index(shape: tuple, pads: tuple, mode: str) -> np.ndarray:
    """For the padded trailing dims ``shape``: the flat source index of every output element
    (the padding of an ``arange``), so that padding is ``x.flatten(-k)[..., index]``."""
    source = np.arange(int(np.prod(shape))).reshape(shape)
    return np.pad(source, pads, mode=_NUMPY_MODES[mode])
