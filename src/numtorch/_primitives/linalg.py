"""Linear-algebra primitives: matrix products and the transposes their gradients need.

Every product saves only the operand the *other* gradient needs (``a`` for ``b``'s
gradient, ``b`` for ``a``'s), as torch does, so modifying an operand whose partner needs
no gradient is not an error.

NOTE [ matmul's grad_fn names ]
torch builds ``matmul`` for 1-D and batched operands from views around ``mm``/``mv``/``bmm``
(``unsqueeze -> mm -> squeeze`` for vector @ matrix, ``view -> mm -> _unsafe_view`` for a
folded batch...). numtorch records one ``MatMul`` node per product instead (one NumPy call
forward, one per needed gradient backward) and gives it the name of torch's *outermost*
node, so ``y.grad_fn.name()`` and the printed ``grad_fn=<...>`` agree with torch; the nodes
behind it differ.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ._base import Primitive, quiet
from .elementwise import number

_QUIET = quiet


def _mT(t):
    """The last two dims swapped (a view): the transpose of a batch of matrices."""
    return t.transpose(-1, -2)


def _mT_np(a: np.ndarray) -> np.ndarray:
    return np.swapaxes(a, -1, -2)


def _save_operands(node: Primitive, a: np.ndarray, b: np.ndarray) -> None:
    """Save b for a's gradient and a for b's, only where that gradient is needed."""
    if node.needs_input_grad:
        need = node.needs_input_grad
        node.save_for_backward(a if need[-1] else None, b if need[-2] else None)
        node.columns = (_column_major(a), _column_major(b))


def _column_major(a: np.ndarray) -> bool:
    """A matrix stored by columns: a transposed one, as ``weight.t()`` in ``linear``."""
    return a.flags.f_contiguous and not a.flags.c_contiguous


def _mm_grads(node: Primitive, grad, a, b) -> tuple:
    """(grad @ b^T, a^T @ grad) where needed, the matrix product's gradients. As torch does,
    a column-major operand's gradient is computed as the transpose of the product the other
    way round, so it comes out column-major too: ``weight.t()``'s gradient transposes back
    to a row-major ``weight.grad``, with no copy."""
    need_a, need_b = node.needs_input_grad[-2:]
    col_a, col_b = node.columns
    ga = gb = None
    if need_a:
        ga = T.apply(Mm.apply(b, T.apply(grad))) if col_a else Mm.apply(grad, T.apply(b))
    if need_b:
        gb = T.apply(Mm.apply(T.apply(grad), a)) if col_b else Mm.apply(T.apply(a), grad)
    return ga, gb


def _mm_grads_np(node: Primitive, grad: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple:
    """``_mm_grads`` on arrays."""
    need_a, need_b = node.needs_input_grad[-2:]
    col_a, col_b = node.columns
    ga = gb = None
    if need_a:
        ga = np.matmul(b, grad.T).T if col_a else np.matmul(grad, b.T)
    if need_b:
        gb = np.matmul(grad.T, a).T if col_b else np.matmul(a.T, grad)
    return ga, gb


class T(Primitive):
    """transpose of a tensor with at most 2 dims; the gradient is transposed back."""

    name_ = "TBackward0"

    def forward(self, x):
        return x.T

    def backward(self, grad):
        return T.apply(grad)

    def backward_np(self, grad):
        return grad.T


class Mm(Primitive):
    """a @ b for matrices; d/da = grad @ b^T, d/db = a^T @ grad."""

    name_ = "MmBackward0"

    def forward(self, a, b):
        _save_operands(self, a, b)
        return np.matmul(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        return _mm_grads(self, grad, a, b)

    def backward_np(self, grad):
        a, b = self.saved_arrays
        return _mm_grads_np(self, grad, a, b)


class Addmm(Primitive):
    """beta * input + alpha * (mat1 @ mat2); input broadcasts (the engine sums its gradient)."""

    name_ = "AddmmBackward0"

    def forward(self, input, mat1, mat2, beta=1, alpha=1):
        self.beta, self.alpha = beta, alpha
        _save_operands(self, mat1, mat2)
        if beta == 1 and alpha == 1 and _swap_pays(input, mat1, mat2):
            return _addmm_swapped(input, mat1, mat2)
        out = np.matmul(mat1, mat2)
        if alpha != 1:
            out *= alpha
        if beta != 0:  # beta == 0 ignores input entirely, nan and inf included (as torch)
            out += input if beta == 1 else input * beta
        return out

    def backward(self, grad):
        mat1, mat2 = self.saved_tensors
        need_in = self.needs_input_grad[0]
        g = grad if self.alpha == 1 else grad * self.alpha
        return (_scaled(grad, self.beta) if need_in else None,) + _mm_grads(self, g, mat1, mat2)

    def backward_np(self, grad):
        mat1, mat2 = self.saved_arrays
        g = _scaled_np(grad, self.alpha)
        return (_scaled_np(grad, self.beta) if self.needs_input_grad[0] else None,
                ) + _mm_grads_np(self, g, mat1, mat2)


# NOTE [ The product's orientation ]
# ``mat1 @ mat2`` can also be computed as ``(mat2^T @ mat1^T)^T``: BLAS then runs its kernel
# with the two output dims swapped. Each entry is the same sum in the same order, but the
# speed differs by kernel: for a linear layer's product (a batch of 64 times a transposed
# 784x512 or 512x512 weight) OpenBLAS's AVX-512 kernel was ~20% faster swapped, its AVX2
# kernel a few percent slower. So ``addmm`` of a row-major mat1 and a transposed (column-major)
# mat2 times both forms the first time it meets a shape (``_swap_pays``), keeps the swapped one
# only if it was clearly faster *and* gave the same bits, and remembers the choice per shape.
# The swapped product is column-major; adding the bias writes it row-major, in the same pass.
_SWAP_CHOICES: dict[tuple, bool] = {}
_SWAP_MAX_SHAPES = 64  # shapes timed per process; past that, new shapes use the plain form
_SWAP_MIN_WORK = 1 << 22  # multiply-adds below which the timing is noise


def _swap_pays(input: np.ndarray, mat1: np.ndarray, mat2: np.ndarray) -> bool:
    """Whether this addmm runs swapped (NOTE [ The product's orientation ])."""
    if not (mat2.flags.f_contiguous and mat1.flags.c_contiguous and mat1.ndim == 2
            and mat2.ndim == 2 and mat1.dtype == mat2.dtype == input.dtype
            and mat1.dtype.char in "fd" and not mat2.flags.c_contiguous):
        return False
    key = (mat1.shape, mat2.shape, input.shape, mat1.dtype.char)
    choice = _SWAP_CHOICES.get(key)
    if choice is None:
        (n, k), m = mat1.shape, mat2.shape[1]
        if n * k * m < _SWAP_MIN_WORK or len(_SWAP_CHOICES) >= _SWAP_MAX_SHAPES:
            return False
        choice = _SWAP_CHOICES[key] = _time_swap(input, mat1, mat2)
    return choice


def _addmm_swapped(input: np.ndarray, mat1: np.ndarray, mat2: np.ndarray) -> np.ndarray:
    out = np.empty((mat1.shape[0], mat2.shape[1]), mat1.dtype)
    return np.add(np.matmul(mat2.T, mat1.T).T, input, out=out)


def _addmm_plain(input: np.ndarray, mat1: np.ndarray, mat2: np.ndarray) -> np.ndarray:
    out = np.matmul(mat1, mat2)
    out += input
    return out


def _time_swap(input: np.ndarray, mat1: np.ndarray, mat2: np.ndarray) -> bool:
    """Time both orientations (best of 3 each, interleaved); True when swapped is clearly
    faster and bit-identical."""
    forms = (_addmm_plain, _addmm_swapped)
    best, outs = [math.inf, math.inf], [None, None]
    for _ in range(3):
        for i, form in enumerate(forms):
            start = time.perf_counter()
            outs[i] = form(input, mat1, mat2)
            best[i] = min(best[i], time.perf_counter() - start)
    bits = f"u{mat1.dtype.itemsize}"
    return best[1] < 0.95 * best[0] and np.array_equal(outs[0].view(bits), outs[1].view(bits))


def _scaled(grad, factor):
    return grad if factor == 1 else grad * factor


@_QUIET
def _scaled_np(grad, factor):
    return grad if factor == 1 else grad * number(factor, grad)


class Bmm(Primitive):
    """batched a @ b (3-D); the gradients are batched products with transposes."""

    name_ = "BmmBackward0"

    def forward(self, a, b):
        _save_operands(self, a, b)
        return np.matmul(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (Bmm.apply(grad, _mT(b)) if need_a else None,
                Bmm.apply(_mT(a), grad) if need_b else None)

    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        return (np.matmul(grad, _mT_np(b)) if need_a else None,
                np.matmul(_mT_np(a), grad) if need_b else None)


class Baddbmm(Primitive):
    """beta * input + alpha * (batch1 @ batch2), batched."""

    name_ = "BaddbmmBackward0"

    def forward(self, input, batch1, batch2, beta=1, alpha=1):
        self.beta, self.alpha = beta, alpha
        _save_operands(self, batch1, batch2)
        out = np.matmul(batch1, batch2)
        if alpha != 1:
            out *= alpha
        if beta != 0:
            out += input if beta == 1 else input * beta
        return out

    def backward(self, grad):
        b1, b2 = self.saved_tensors
        need_in, need_1, need_2 = self.needs_input_grad
        g = grad if self.alpha == 1 else grad * self.alpha
        return (_scaled(grad, self.beta) if need_in else None,
                Bmm.apply(g, _mT(b2)) if need_1 else None,
                Bmm.apply(_mT(b1), g) if need_2 else None)

    def backward_np(self, grad):
        b1, b2 = self.saved_arrays
        need_in, need_1, need_2 = self.needs_input_grad
        g = _scaled_np(grad, self.alpha)
        return (_scaled_np(grad, self.beta) if need_in else None,
                np.matmul(g, _mT_np(b2)) if need_1 else None,
                np.matmul(_mT_np(b1), g) if need_2 else None)


class Mv(Primitive):
    """matrix @ vector; d/dmat = outer(grad, vec), d/dvec = mat^T @ grad."""

    name_ = "MvBackward0"

    def forward(self, mat, vec):
        _save_operands(self, mat, vec)
        return np.matmul(mat, vec)

    def backward(self, grad):
        mat, vec = self.saved_tensors
        need_mat, need_vec = self.needs_input_grad
        return (grad.reshape(-1, 1) * vec if need_mat else None,
                Mv.apply(T.apply(mat), grad) if need_vec else None)

    @_QUIET
    def backward_np(self, grad):
        mat, vec = self.saved_arrays
        need_mat, need_vec = self.needs_input_grad
        return (grad.reshape(-1, 1) * vec if need_mat else None,
                np.matmul(mat.T, grad) if need_vec else None)


class Vm(Primitive):
    """vector @ matrix (torch: unsqueeze, mm, squeeze; see NOTE [ matmul's grad_fn names ])."""

    name_ = "SqueezeBackward4"

    def forward(self, vec, mat):
        _save_operands(self, vec, mat)
        return np.matmul(vec, mat)

    def backward(self, grad):
        vec, mat = self.saved_tensors
        need_vec, need_mat = self.needs_input_grad
        return (Mv.apply(mat, grad) if need_vec else None,
                vec.reshape(-1, 1) * grad if need_mat else None)

    @_QUIET
    def backward_np(self, grad):
        vec, mat = self.saved_arrays
        need_vec, need_mat = self.needs_input_grad
        return (np.matmul(mat, grad) if need_vec else None,
                vec.reshape(-1, 1) * grad if need_mat else None)


class Dot(Primitive):
    """a . b for vectors; d/da = grad * b, d/db = grad * a (grad is 0-d)."""

    name_ = "DotBackward0"

    def forward(self, a, b):
        _save_operands(self, a, b)
        return np.dot(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)

    @_QUIET
    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Vdot(Dot):
    """vdot: dot for real tensors (no conjugation to do)."""

    name_ = "VdotBackward0"


class MatMul(Primitive):
    """a @ b with NumPy's rules: 1-D operands are a row (a) or column (b) vector that is
    dropped from the result, batch dims broadcast. Gradients are the matrix formulas on
    the full broadcast shape; the engine sums them back over the broadcast batch dims."""

    name_ = "UnsafeViewBackward0"

    def forward(self, a, b, name="UnsafeViewBackward0"):
        self.name_ = name
        self.vectors = (a.ndim == 1, b.ndim == 1)
        _save_operands(self, a, b)
        return np.matmul(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        need_a, need_b = self.needs_input_grad
        a_vec, b_vec = self.vectors
        shape = grad.shape
        if a_vec:  # (..., n) -> (..., 1, n): the row a was seen as
            grad = grad.reshape(shape[:-1] + (1, shape[-1]))
        if b_vec:  # (..., m) -> (..., m, 1)
            grad = grad.reshape(tuple(shape) + (1,))
        ga = gb = None
        if need_a:  # grad @ b^T, with b^T of a column vector being a row
            ga = MatMul.apply(grad, b.reshape(1, -1) if b_vec else _mT(b))
        if need_b:  # a^T @ grad
            gb = MatMul.apply(a.reshape(-1, 1) if a_vec else _mT(a), grad)
            if b_vec:
                gb = gb.reshape(gb.shape[:-1])
        return ga, gb

    def backward_np(self, grad):
        a, b = self.saved_arrays
        need_a, need_b = self.needs_input_grad
        a_vec, b_vec = self.vectors
        shape = grad.shape
        if a_vec:
            grad = grad.reshape(shape[:-1] + (1, shape[-1]))
        if b_vec:
            grad = grad.reshape(shape + (1,))
        ga = gb = None
        if need_a:
            ga = np.matmul(grad, b.reshape(1, -1) if b_vec else _mT_np(b))
        if need_b:
            gb = np.matmul(a.reshape(-1, 1) if a_vec else _mT_np(a), grad)
            if b_vec:
                gb = gb.reshape(gb.shape[:-1])
        return ga, gb
