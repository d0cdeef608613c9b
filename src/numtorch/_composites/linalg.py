"""Matrix products: matmul (``@``), mm, bmm, mv, dot, vdot, outer/ger, addmm, baddbmm, t.

Each function checks its operands as torch does, with torch's messages and in torch's order
(torch checks shapes before dtypes for mm/mv/bmm, dtypes first for dot and addmm), then runs
one primitive. Operands are never promoted: torch requires equal dtypes for products.
einsum and tensordot live in ``contraction.py``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .._primitives import linalg as L
from .._tensor import _TORCH_TYPE_NAMES, Tensor
from ..autograd.grad_mode import _GradState
from ._util import _legacy_name, as_view, inplace, write_out
from .pointwise import mul
from .shape import reshape

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "outer", "ger", "addmm", "baddbmm",
           "t"]
METHODS = [*__all__, "addmm_", "baddbmm_"]
INPLACE: list[str] = []

# the C++ type names torch prints in mm's messages ("expected m1 and m2 ... float != double")
_CPP = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
        "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
        "bool": "bool"}


def _cpp(t: Tensor) -> str:
    return _CPP[t._data.dtype.name]


def _leg(t: Tensor) -> str:
    return _legacy_name(t.dtype)


def _require_tensors(fname: str, **args: Any) -> None:
    for pos, (name, value) in enumerate(args.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{fname}(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(value).__name__}")


def _no_bool(t: Tensor, kernel: str, work: int = 1) -> None:
    """torch has no bool kernels, but returns before dispatching when there is nothing to
    compute (``work``: the result's size times the contracted size)."""
    if t._data.dtype.kind == "b" and work:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


# -- the checks of torch's three kernels (matmul folds its operands into one of them) ---------
def _check_mm(a: Tensor, b: Tensor, shape_a: tuple, shape_b: tuple) -> None:
    if shape_a[1] != shape_b[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({shape_a[0]}x{shape_a[1]} "
                           f"and {shape_b[0]}x{shape_b[1]})")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("expected m1 and m2 to have the same dtype, but got: "
                           f"{_cpp(a)} != {_cpp(b)}")
    _no_bool(a, "addmm_impl_cpu_", shape_a[0] * shape_a[1] * shape_b[1])


def _check_mv(mat: Tensor, vec: Tensor, shape: tuple) -> None:
    n, k = shape
    if vec._data.shape[0] != k:
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{k}), vec "
                           f"({vec._data.shape[0]})")
    if mat._data.dtype != vec._data.dtype:
        raise RuntimeError(_addmv_dtype_message(vec, mat, vec))
    _no_bool(mat, "addmv_impl_cpu", n * k)


def _addmv_dtype_message(result: Tensor, mat: Tensor, vec: Tensor) -> str:
    return ("addmv input tensors must have the same dtype, but got "
            f"{_leg(result)}, {_leg(mat)}, and {_leg(vec)}")


def _check_bmm(a: Tensor, b: Tensor, batch: int, ka: int, kb: int, work: int,
               bb: int | None = None) -> Tensor:
    """bmm's checks; returns ``a`` in b's dtype when torch skips the checks because there is
    no work (``work`` is 0: an empty result or k == 0; the result then has b's dtype)."""
    if ka != kb or (bb is not None and bb != batch):
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch}, {ka}] but got: [{batch if bb is None else bb}, {kb}].")
    if not work:
        if a._data.dtype == b._data.dtype:
            return a
        if a._requires_grad and _GradState.enabled and b._data.dtype.kind != "f":
            raise RuntimeError(f"Autograd not support dtype: {_leg(b)}")
        return a.to(b.dtype)
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_leg(a)} but found {_leg(b)}")
    _no_bool(a, "bmm")
    return a


def _check_dot(a: Tensor, b: Tensor) -> None:
    if a._data.ndim != 1 or b._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a._data.ndim}D and {b._data.ndim}D "
                           "tensors")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{_leg(a)} and {_leg(b)}")
    n, m = a._data.shape[0], b._data.shape[0]
    if n != m:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           "respectively")
    _no_bool(a, "dot")


def _check_expand(t: Tensor, target: tuple) -> None:
    """torch's errors when ``input`` of addmm/baddbmm cannot broadcast to the result."""
    shape = t._data.shape
    if len(shape) > len(target):
        raise RuntimeError(
            f"expand({_TORCH_TYPE_NAMES[t._data.dtype.name]}{{{list(shape)}}}, "
            f"size={list(target)}): the number of sizes provided ({len(target)}) must be greater "
            f"or equal to the number of dimensions in the tensor ({len(shape)})")
    lead = len(target) - len(shape)
    for i, s in enumerate(shape):
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing "
                f"size ({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"{list(target)}.  Tensor sizes: {list(shape)}")


# -- out= ----------------------------------------------------------------------------------------
def _finish(result: Tensor, out: Tensor | None, fname: str, dtype_error: Any = None) -> Tensor:
    """Write ``result`` into ``out`` with torch's dtype check and resize warning."""
    if out is None:
        return result
    if out._data.dtype != result._data.dtype:
        if dtype_error is not None:
            raise RuntimeError(dtype_error(out))
        raise RuntimeError(f"Expected out tensor to have dtype {_cpp(result)}, but got "
                           f"{_cpp(out)} instead")
    if out._data.size and out._data.shape != result._data.shape:
        warnings.warn(
            f"An output with one or more elements was resized since it had shape "
            f"{list(out.shape)}, which does not match the required output shape "
            f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch release "
            "outputs will not be resized unless they have zero elements. You can explicitly "
            "reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
            UserWarning, stacklevel=3)
    return write_out(result, out, fname)


def _dot_out_error(a: Tensor) -> Any:
    return lambda out: f"result dtype {_leg(out)} does not match input dtype {_leg(a)}"


def _mv_out_error(mat: Tensor, vec: Tensor) -> Any:
    return lambda out: _addmv_dtype_message(out, mat, vec)


# -- the products ------------------------------------------------------------------------------
def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product of two 2-D tensors: (n, k) @ (k, m) -> (n, m).

    >>> torch.mm(torch.ones(2, 3), torch.ones(3, 4)).shape
    torch.Size([2, 4])
    """
    if not (isinstance(input, Tensor) and isinstance(mat2, Tensor)):  # cheap on the hot path
        _require_tensors("mm", input=input, mat2=mat2)
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm(input, mat2, input._data.shape, mat2._data.shape)
    return _finish(L.Mm.apply(input, mat2), out, "mm")


def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Batched matrix product of two 3-D tensors: (b, n, k) @ (b, k, m) -> (b, n, m)."""
    _require_tensors("bmm", input=input, mat2=mat2)
    _check_3d(input, mat2, "batch1", "batch2")
    a, b = input._data.shape, mat2._data.shape
    input = _check_bmm(input, mat2, a[0], a[2], b[1], a[0] * a[1] * a[2] * b[2], b[0])
    return _finish(L.Bmm.apply(input, mat2), out, "bmm")


def _check_3d(a: Tensor, b: Tensor, name_a: str, name_b: str) -> None:
    if a._data.ndim != 3:
        raise RuntimeError(f"{name_a} must be a 3D tensor")
    if b._data.ndim != 3:
        raise RuntimeError(f"{name_b} must be a 3D tensor")


def mv(input: Tensor, vec: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix-vector product: (n, k) @ (k,) -> (n,)."""
    _require_tensors("mv", input=input, vec=vec)
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError("vector + matrix @ vector expected, got 1, "
                           f"{input._data.ndim}, {vec._data.ndim}")
    _check_mv(input, vec, input._data.shape)
    return _finish(L.Mv.apply(input, vec), out, "mv", _mv_out_error(input, vec))


def dot(input: Tensor, tensor: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Inner product of two 1-D tensors of the same length and dtype (a 0-d tensor)."""
    _require_tensors("dot", input=input, tensor=tensor)
    _check_dot(input, tensor)
    return _finish(L.Dot.apply(input, tensor), out, "dot", _dot_out_error(input))


def vdot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """dot with the first argument conjugated: the same as dot for real tensors."""
    _require_tensors("vdot", input=input, other=other)
    _check_dot(input, other)
    return _finish(L.Vdot.apply(input, other), out, "vdot", _dot_out_error(input))


def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Matrix product with torch's rules for every dimensionality.

    1-D @ 1-D is a dot product, 2-D @ 2-D a matrix product, a 1-D operand is a row (left) or
    column (right) vector removed from the result, and dims before the last two are batch
    dims that broadcast: (j, 1, n, k) @ (l, k, m) -> (j, l, n, m). Both operands must have
    the same dtype.

    >>> (torch.ones(5, 2, 3) @ torch.ones(3)).shape
    torch.Size([5, 2])
    """
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        _require_tensors("matmul", input=input, other=other)
    da, db = input._data.ndim, other._data.ndim
    if da == 2 and db == 2:  # the hot path: nn layers without bias, x @ W.t()
        _check_mm(input, other, input._data.shape, other._data.shape)
        return _finish(L.Mm.apply(input, other), out, "matmul")
    if da == 0 or db == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 1 and db == 1:
        _check_dot(input, other)
        return _finish(L.Dot.apply(input, other), out, "matmul", _dot_out_error(input))
    if da == 2 and db == 1:
        _check_mv(input, other, input._data.shape)
        return _finish(L.Mv.apply(input, other), out, "matmul", _mv_out_error(input, other))
    if da == 1 and db == 2:
        _check_mm(input, other, (1, input._data.shape[0]), other._data.shape)
        return _finish(L.Vm.apply(input, other), out, "matmul")
    return _finish(_batched(input, other), out, "matmul")


def _batched(a: Tensor, b: Tensor) -> Tensor:
    """matmul when an operand has batch dims. One np.matmul computes it; the checks (and the
    grad_fn name) are those of the kernel torch picks, see ``_route``."""
    sa, sb = a._data.shape, b._data.shape
    route = _route(a, b)
    if route == "fold":  # a's batch folded into the rows of one mm / mv
        rows = (math.prod(sa[:-1]), sa[-1])
        if len(sb) == 1:
            _check_mv(a, b, rows)
        else:
            _check_mm(a, b, rows, sb[-2:])
        return L.MatMul.apply(a, b, name="UnsafeViewBackward0")
    if route == "tfold":  # b^T folded instead: (b^T a^T)^T, copied when not contiguous
        cols = (math.prod(sb[:-2]) * sb[-1], sb[-2])
        if len(sa) == 1:
            _check_mv(b, a, cols)
            return L.MatMul.apply(a, b, name="UnsafeViewBackward0")
        _check_mm(b, a, cols, (sa[-1], sa[-2]))
        m, n = sa[-2], sb[-1]
        contiguous = m == 1 or n == 1 or not cols[0] * m
        return L.MatMul.apply(a, b, name="TransposeBackward0" if contiguous else "CloneBackward0")
    batch = math.prod(_broadcast_batch(sa[:-2], sb[:-2] if len(sb) >= 2 else ()))
    k = sb[-2] if len(sb) >= 2 else sb[0]
    work = batch * sa[-1] * (sa[-2] if len(sa) >= 2 else 1) * (sb[-1] if len(sb) >= 2 else 1)
    a = _check_bmm(a, b, batch, sa[-1], k, work)
    return L.MatMul.apply(a, b, name="UnsafeViewBackward0")


def _route(a: Tensor, b: Tensor) -> str:
    """The kernel torch's matmul uses for batched operands.

    "fold": a (>= 3-D) against a matrix or vector b is viewed as one tall matrix for mm/mv;
    "tfold": a matrix or vector a against a batched b, done as b^T's folded rows times a^T;
    "bmm": broadcast the batch dims and run bmm. torch folds when the small operand requires
    grad (its gradient is then one mm), never for a matrix a that does not, and otherwise
    when the large operand is empty or its batch dims merge without a copy. A 3-D operand
    with batch 1 that requires grad counts as a matrix against another 3-D operand.
    """
    sa, sb = a._data.shape, b._data.shape
    both_3d = len(sa) == 3 == len(sb)
    if len(sa) >= 3 and (len(sb) <= 2 or (both_3d and _squeezable(b, sa))):
        return "fold" if b._requires_grad or _foldable(a, False) else "bmm"
    if len(sb) >= 3 and (len(sa) <= 2 or (both_3d and _squeezable(a, sb))):
        if a._requires_grad:
            return "tfold"
        return "tfold" if len(sa) == 1 and _foldable(b, True) else "bmm"
    return "bmm"


def _squeezable(t: Tensor, other: tuple) -> bool:
    return t._requires_grad and t._data.shape[0] == 1 and other[0] != 1


def _foldable(t: Tensor, transposed: bool) -> bool:
    """Whether the dims before the last of ``t`` (or of its last-two transpose) merge into
    one without copying, by torch's stride test (which also holds for an empty tensor)."""
    if not t._data.size:
        return True
    shape = list(t._data.shape)
    strides = [s // t._data.itemsize for s in t._data.strides]
    if transposed:
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _broadcast_batch(ba: tuple, bb: tuple) -> tuple:
    n = max(len(ba), len(bb))
    ba, bb = (1,) * (n - len(ba)) + tuple(ba), (1,) * (n - len(bb)) + tuple(bb)
    for i in reversed(range(n)):  # torch reports the last mismatching dim
        x, y = ba[i], bb[i]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {i}")
    return tuple(y if x == 1 else x for x, y in zip(ba, bb))


def matmul_operator(self: Tensor, other: Any) -> Any:
    """``self @ other``; NotImplemented for non-tensors so Python raises its TypeError."""
    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(self, other)


def rmatmul_operator(self: Tensor, other: Any) -> Any:
    """``other @ self`` for a non-Tensor ``other`` on the left."""
    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(other, self)


def outer(input: Tensor, vec2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Outer product of two 1-D tensors, (n,) x (m,) -> (n, m), with type promotion."""
    _require_tensors("outer", input=input, vec2=vec2)
    for name, v in (("self", input), ("vec2", vec2)):
        if v._data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v._data.ndim}-D")
    return write_out(mul(reshape(input, (-1, 1)), vec2), out, "outer")


def ger(input: Tensor, vec2: Tensor, *, out: Tensor | None = None) -> Tensor:
    """Alias of :func:`outer`."""
    return outer(input, vec2, out=out)


def _scalars(t: Tensor, beta: Any, alpha: Any) -> tuple:
    """torch casts beta and alpha to the tensors' type: int(0.7) == 0 for integer tensors."""
    if t._data.dtype.kind in "iu":
        return int(beta), int(alpha)
    return beta, alpha


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1,
          out: Tensor | None = None) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2), ``input`` broadcasting to (n, m).

    What ``nn.Linear`` computes: ``addmm(bias, x, weight.t())``. With ``beta=0`` the input
    is ignored (nan in it does not propagate).
    """
    if not (isinstance(input, Tensor) and isinstance(mat1, Tensor) and isinstance(mat2, Tensor)):
        _require_tensors("addmm", input=input, mat1=mat1, mat2=mat2)
    if input._data.dtype != mat2._data.dtype:
        raise RuntimeError("self and mat2 must have the same dtype, but got "
                           f"{_leg(input)} and {_leg(mat2)}")
    if mat1._data.dtype != mat2._data.dtype:
        raise RuntimeError("mat1 and mat2 must have the same dtype, but got "
                           f"{_leg(mat1)} and {_leg(mat2)}")
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m._data.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m._data.ndim}-D tensor")
    _check_mm(mat1, mat2, mat1._data.shape, mat2._data.shape)
    _check_expand(input, (mat1._data.shape[0], mat2._data.shape[1]))
    beta, alpha = _scalars(input, beta, alpha)
    return _finish(L.Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha), out, "addmm")


def addmm_(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1,
           alpha: Any = 1) -> Tensor:
    """In-place :func:`addmm`: ``self`` must already have the result's shape."""
    if _all_ndim(mat1, mat2, ndim=2):
        _check_inplace_shape(self, (mat1.shape[0], mat2.shape[1]))
    return inplace(self, lambda src: addmm(src, mat1, mat2, beta=beta, alpha=alpha))


def _all_ndim(*ts: Any, ndim: int) -> bool:
    return all(isinstance(t, Tensor) and t._data.ndim == ndim for t in ts)


def _check_inplace_shape(self: Tensor, shape: tuple) -> None:
    if self._data.shape != tuple(shape):
        raise RuntimeError(f"Bad in-place call: input tensor size {list(self.shape)} and output "
                           f"tensor size {list(shape)} should match")


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1,
            out: Tensor | None = None) -> Tensor:
    """beta * input + alpha * (batch1 @ batch2) for 3-D batches, ``input`` broadcasting."""
    _require_tensors("baddbmm", input=input, batch1=batch1, batch2=batch2)
    _check_3d(batch1, batch2, "batch1", "batch2")
    s1, s2 = batch1._data.shape, batch2._data.shape
    _check_expand(input, (s1[0], s1[1], s2[2]))
    if not input._data.dtype == batch1._data.dtype == batch2._data.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {_cpp(input)}, batch1: "
                           f"{_cpp(batch1)}, batch2: {_cpp(batch2)}")
    _no_bool(input, "baddbmm", s1[0] * s1[1] * s2[2])
    _check_bmm(batch1, batch2, s1[0], s1[2], s2[1], 1, s2[0])
    beta, alpha = _scalars(input, beta, alpha)
    return _finish(L.Baddbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha), out,
                   "baddbmm")


def baddbmm_(self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
             alpha: Any = 1) -> Tensor:
    """In-place :func:`baddbmm`."""
    if _all_ndim(batch1, batch2, ndim=3):
        _check_inplace_shape(self, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    return inplace(self, lambda src: baddbmm(src, batch1, batch2, beta=beta, alpha=alpha))


def t(input: Tensor) -> Tensor:
    """Transpose of a tensor with at most 2 dims (0-D and 1-D come back as they are); a view."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return as_view(L.T.apply(input), input)
