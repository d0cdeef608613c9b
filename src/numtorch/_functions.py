"""The flat namespace of torch-level functions (``torch.exp``, ``torch.sum``...).

Each family module in ``_composites`` lists its public functions in ``__all__`` and the
Tensor methods it provides in ``METHODS`` / ``INPLACE``; this module gathers them, numtorch
re-exports them and ``_tensor_methods`` binds the methods.
"""

from __future__ import annotations

from ._composites import linalg, pointwise, reduction, shape

FAMILIES = [pointwise, reduction, shape, linalg]

__all__: list[str] = []
for _family in FAMILIES:
    for _name in _family.__all__:
        globals()[_name] = getattr(_family, _name)
        __all__.append(_name)
