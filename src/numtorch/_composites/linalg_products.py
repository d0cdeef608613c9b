"""Products and distances of the linalg family: cross (torch.cross and torch.linalg.cross),
vecdot, multi_dot, kron, inner, cdist and dist, built from existing primitives (so their
gradients need no new code).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from .._tensor import Tensor, _wrap_dim
from ._util import _legacy_name, promote, write_out
from .contraction import tensordot
from .linalg_norms import vector_norm
from .shape import roll

__all__ = ["cross", "kron", "inner", "cdist", "dist"]
METHODS = ["cross", "kron", "inner", "dist"]
INPLACE: list[str] = []

_CROSS_WARNED = False


def _same_dtype(a: Tensor, b: Tensor) -> None:
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_legacy_name(a.dtype)} but found "
                           f"{_legacy_name(b.dtype)}")


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1,
                 out: Tensor | None = None) -> Tensor:
    """The cross product of 3-vectors along ``dim``; the other dims broadcast.

    >>> torch.linalg.cross(torch.tensor([1., 0., 0.]), torch.tensor([0., 1., 0.]))
    tensor([0., 0., 1.])
    """
    _same_dtype(input, other)
    nd = max(input._data.ndim, other._data.ndim)
    d = _wrap_dim(dim, nd)
    la = input._data.shape[d - nd + input._data.ndim] if input._data.ndim else 1
    lb = other._data.shape[d - nd + other._data.ndim] if other._data.ndim else 1
    if la != 3 or lb != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {la} "
                           f"and {lb}")
    # c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}: rolling by -1 brings a_{i+1} to place i
    d_in, d_ot = d - nd + input._data.ndim, d - nd + other._data.ndim
    result = (roll(input, -1, d_in) * roll(other, -2, d_ot)
              - roll(input, -2, d_in) * roll(other, -1, d_ot))
    return write_out(result, out, "linalg_cross")


def cross(input: Tensor, other: Tensor, dim: int | None = None, *,
          out: Tensor | None = None) -> Tensor:
    """torch.cross: as :func:`torch.linalg.cross`, but without ``dim`` the first dim of
    size 3 is used (deprecated, with torch's warning, given once).

    >>> torch.cross(torch.tensor([0., 1., 0.]), torch.tensor([0., 0., 1.]), dim=0)
    tensor([1., 0., 0.])
    """
    if dim is None:
        global _CROSS_WARNED
        if not _CROSS_WARNED:
            _CROSS_WARNED = True
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                          "Please either pass the dim explicitly or simply use "
                          "torch.linalg.cross.\nThe default value of dim will change to agree "
                          "with that of linalg.cross in a future release.", UserWarning,
                          stacklevel=2)
        _same_dtype(input, other)
        shape = input._data.shape if input._data.ndim >= other._data.ndim else other._data.shape
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return linalg_cross(input, other, dim=dim, out=out)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out: Tensor | None = None) -> Tensor:
    """The dot product of vectors along ``dim`` (other dims broadcast).

    >>> torch.linalg.vecdot(torch.ones(2, 3), torch.ones(3))
    tensor([3., 3.])
    """
    if x._data.dtype.kind != "f":
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as "
                           f"input. Got {_legacy_name(x.dtype)}")
    if x._data.dtype != y._data.dtype:
        raise RuntimeError("linalg.vecdot: Expected x and y to have the same dtype, but found "
                           f"x of type {_legacy_name(x.dtype)} and y of type "
                           f"{_legacy_name(y.dtype)} instead")
    return write_out((x * y).sum(dim), out, "linalg_vecdot")


def multi_dot(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """The product of a chain of matrices; the first may be a row vector and the last a
    column vector (1-D), which are dropped from the result.

    >>> torch.linalg.multi_dot([torch.ones(3), torch.ones(3, 2), torch.ones(2)])
    tensor(6.)
    """
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        nd = t._data.ndim
        where = "the first tensor" if i == 0 else ("the last tensor" if i == n - 1 else None)
        if where is not None and nd not in (1, 2):
            raise RuntimeError(f"multi_dot(): {where} must be 1D or 2D but got {nd}D")
        if where is None and nd != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {nd}D")
        if t._data.dtype != tensors[0]._data.dtype:
            raise RuntimeError("multi_dot(): all tensors must have be the same dtype but tensor "
                               f"0 is {_cpp(tensors[0])} and tensor {i} {_cpp(t)}")
    mats = list(tensors)
    first_vec, last_vec = mats[0]._data.ndim == 1, mats[-1]._data.ndim == 1
    if first_vec:
        mats[0] = mats[0].unsqueeze(0)
    if last_vec:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i in range(n - 1):
        a, b = mats[i]._data.shape, mats[i + 1]._data.shape
        if a[1] != b[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes "
                               f"{list(tensors[i].shape)} and {list(tensors[i + 1].shape)} "
                               "cannot be multiplied")
    result = mats[0]
    for m in mats[1:]:
        result = result @ m
    if first_vec:
        result = result.squeeze(0)
    if last_vec:
        result = result.squeeze(-1)
    return write_out(result, out, "linalg_multi_dot")


def _cpp(t: Tensor) -> str:
    from .linalg import _cpp as cpp

    return cpp(t)


def kron(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The Kronecker product: blocks input[i] * other, over every dim (shorter shapes are
    padded with leading 1s).

    >>> torch.kron(torch.eye(2), torch.ones(1, 2))
    tensor([[1., 1., 0., 0.],
            [0., 0., 1., 1.]])
    """
    a, b, _ = promote(input, other)
    nd = max(a._data.ndim, b._data.ndim)
    sa = (1,) * (nd - a._data.ndim) + a._data.shape
    sb = (1,) * (nd - b._data.ndim) + b._data.shape
    # interleave: a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then merge pairs
    wide = a.reshape(tuple(x for s in sa for x in (s, 1))) * \
        b.reshape(tuple(x for s in sb for x in (1, s)))
    return write_out(wide.reshape(tuple(x * y for x, y in zip(sa, sb))), out, "kron")


def inner(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The dot products over the last dims: shape input.shape[:-1] + other.shape[:-1]; a
    0-d operand multiplies.

    >>> torch.inner(torch.ones(2, 3), torch.ones(4, 3)).shape
    torch.Size([2, 4])
    """
    if input._data.ndim == 0 or other._data.ndim == 0:
        return write_out(input * other, out, "inner")
    if input._data.shape[-1] != other._data.shape[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(input.shape)} and {list(other.shape)}")
    if input._data.dtype != other._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    result = tensordot(input, other, dims=([input._data.ndim - 1], [other._data.ndim - 1]))
    return write_out(result, out, "inner")


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M):
    (..., P, R).

    >>> torch.cdist(torch.zeros(1, 2), torch.tensor([[3., 4.]]))
    tensor([[5.]])
    """
    for name, x in (("X1", x1), ("X2", x2)):
        if x._data.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{x._data.ndim}D")
    if x1._data.shape[-1] != x2._data.shape[-1]:
        raise RuntimeError("X1 and X2 must have the same number of columns. X1: "
                           f"{x1._data.shape[-1]} X2: {x2._data.shape[-1]}")
    for name, x in (("X1", x1), ("X2", x2)):
        if x._data.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_legacy_name(x.dtype)}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    _same_dtype(x1, x2)
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    return vector_norm(diff, p, -1)


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of ``input - other`` (broadcast, with type promotion).

    >>> torch.dist(torch.ones(3), torch.zeros(3))
    tensor(1.7321)
    """
    a, b, dtype = promote(input, other)
    if not dtype.is_floating_point:
        raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                           f"Got {_legacy_name(dtype)} instead.")
    return vector_norm(a - b, p)
