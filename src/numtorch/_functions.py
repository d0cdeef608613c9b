"""The flat namespace of torch-level functions (``torch.exp``, ``torch.sum``...).

Each family module in ``_composites`` lists its public functions in ``__all__`` and the
Tensor methods it provides in ``METHODS`` / ``INPLACE``; this module gathers them, numtorch
re-exports them and ``_tensor_methods`` binds the methods.
"""

from __future__ import annotations

from ._composites import (
    activation,
    contraction,
    indexing,
    linalg,
    linalg_ext,
    linalg_legacy,
    linalg_norms,
    linalg_products,
    math_binary,
    math_extra,
    nn_aliases,
    pointwise,
    reduction,
    shape,
    sorting,
    unary,
    utilities,
    utilities_layout,
    utilities_shape,
)

FAMILIES = [pointwise, unary, activation, reduction, shape, indexing, linalg, contraction,
            linalg_ext, linalg_legacy, linalg_norms, linalg_products, sorting, utilities,
            utilities_shape, utilities_layout, math_extra, math_binary, nn_aliases]

__all__: list[str] = []
for _family in FAMILIES:
    for _name in _family.__all__:
        globals()[_name] = getattr(_family, _name)
        __all__.append(_name)
