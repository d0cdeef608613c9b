"""Matrix products: matmul, mm, and the transposes they need."""

from __future__ import annotations

from .._primitives import linalg as L
from .._tensor import Tensor
from ._util import promote, write_out
from .shape import permute, reshape

__all__ = ["mm", "matmul", "t"]
METHODS = ["mm", "matmul", "t"]
INPLACE: list[str] = []


def _legacy(t: Tensor) -> str:
    return {"float32": "Float", "float64": "Double", "int64": "Long"}.get(t.dtype.name,
                                                                          t.dtype.name)


def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product of two 2-D tensors."""
    if input._data.ndim != 2 or mat2._data.ndim != 2:
        which = "self" if input._data.ndim != 2 else "mat2"
        raise RuntimeError(f"{which} must be a matrix")
    if input._data.dtype != mat2._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{input.dtype} != {mat2.dtype}")
    (n, k), (k2, m) = input._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    return write_out(L.Mm.apply(input, mat2), out, "mm")


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dims."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    out = permute(input, (1, 0)) if nd == 2 else reshape(input, input.shape)
    if out.grad_fn is not None:
        out.grad_fn.name_ = "TBackward0"
    return out


def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with torch's rules for 1-D and batched operands (to be completed)."""
    a, b = input, other
    if a._data.dtype != b._data.dtype:
        a, b, _ = promote(a, b)
    if a._data.ndim == 2 and b._data.ndim == 2:
        return write_out(mm(a, b), out, "matmul")
    if a._data.ndim == 1 and b._data.ndim == 2:
        return write_out(reshape(mm(reshape(a, (1, -1)), b), (-1,)), out, "matmul")
    if a._data.ndim == 2 and b._data.ndim == 1:
        return write_out(reshape(mm(a, reshape(b, (-1, 1))), (-1,)), out, "matmul")
    if a._data.ndim == 1 and b._data.ndim == 1:
        return write_out(reshape(mm(reshape(a, (1, -1)), reshape(b, (-1, 1))), ()), out,
                         "matmul")
    raise NotImplementedError("batched matmul is not implemented yet")



