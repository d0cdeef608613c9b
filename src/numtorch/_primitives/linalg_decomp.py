"""Primitives of matrix functions and factorizations: inv, log|det|, det, solve, cholesky,
qr, eigh and svd (batched over leading dims, real floating inputs).

NOTE [ One formula for tensors and arrays ]
Each backward is written once, in ``@``, ``*``, ``/``, ``-`` and the helpers ``_mT``,
``_diag``, ``_embed``, ``_mask``, which do the same NumPy operation on an ndarray and the
matching numtorch op on a Tensor. ``backward`` calls it with the saved tensors (so
``create_graph`` records it), ``backward_np`` with the saved arrays: the same NumPy calls in
the same order, hence bit-identical gradients.

NOTE [ Factorizations with several outputs ]
A primitive has one output, but qr, eigh and svd have two or three. Their backward is linear
in the output gradients (gA = f(gQ, 0) + f(0, gR)), so each output is its own primitive over
the same input, with the same formula given only its own gradient; the engine adds the parts.
The factorization is computed once and handed to each primitive as a parameter. Those saved
factors are constants to the graph: double backward through qr/eigh/svd is not supported.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ._base import Primitive


# -- the generic helpers (NOTE [ One formula for tensors and arrays ]) ------------------------
def _mT(x: Any) -> Any:
    return np.swapaxes(x, -1, -2) if isinstance(x, np.ndarray) else x.transpose(-1, -2)


def _diag(x: Any) -> Any:
    """The diagonals of a batch of matrices, (..., n)."""
    if isinstance(x, np.ndarray):
        return np.diagonal(x, axis1=-2, axis2=-1)
    return x.diagonal(dim1=-2, dim2=-1)


def _const(like: Any, a: np.ndarray) -> Any:
    a = a.astype(like.dtype if isinstance(like, np.ndarray) else like._data.dtype)
    return a if isinstance(like, np.ndarray) else Tensor._make(a)


def _embed(v: Any) -> Any:
    """A batch of diagonal matrices with diagonals ``v``: (..., n) -> (..., n, n)."""
    eye = _const(v, np.eye(v.shape[-1]))
    return (v[..., None] if isinstance(v, np.ndarray) else v.unsqueeze(-1)) * eye


def _row(v: Any) -> Any:
    return v.unsqueeze(-2) if isinstance(v, Tensor) else np.asarray(v)[..., None, :]


def _column(v: Any) -> Any:
    # np.asarray: a product of 0-d arrays is a NumPy scalar
    return v.unsqueeze(-1) if isinstance(v, Tensor) else np.asarray(v)[..., None]


def _mask(x: Any, k: int, upper: bool = False) -> Any:
    """x with everything above diagonal ``k`` (below, when ``upper``) zeroed: tril / triu."""
    n, m = x.shape[-2:]
    keep = np.triu(np.ones((n, m)), k) if upper else np.tril(np.ones((n, m)), k)
    return x * _const(x, keep)


def _inv(x: Any) -> Any:
    return np.linalg.inv(x) if isinstance(x, np.ndarray) else Inv.apply(x)


# -- matrix functions --------------------------------------------------------------------------
class Inv(Primitive):
    """X = A^{-1}; gA = -X^T g X^T."""

    name_ = "LinalgInvExBackward0"

    def forward(self, a):
        out = np.linalg.inv(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        return _inv_grad(self.saved_tensors[0], grad)

    def backward_np(self, grad):
        return _inv_grad(self.saved_arrays[0], grad)


def _inv_grad(out: Any, grad: Any) -> Any:
    xt = _mT(out)
    return -(xt @ grad @ xt)


class LogAbsDet(Primitive):
    """log|det A|; gA = g A^{-T} (nan where A is singular: torch's is not finite there)."""

    name_ = "LinalgSlogdetBackward0"

    def forward(self, a):
        out = np.asarray(np.linalg.slogdet(a)[1])
        self.save_for_backward(a, out)
        return out

    def backward(self, grad):
        return _logabsdet_grad(*self.saved_tensors, grad)

    def backward_np(self, grad):
        return _logabsdet_grad(*self.saved_arrays, grad)


def _logabsdet_grad(a: Any, out: Any, grad: Any) -> Any:
    singular = np.isneginf(_array(out))
    if np.any(singular):
        a = _invertible(a, singular)
        grad = grad + _const(grad, np.where(singular, np.nan, 0.0))
    return _column(_column(grad)) * _mT(_inv(a))


def _invertible(a: Any, singular: np.ndarray) -> Any:
    """``a`` with its singular matrices replaced by the identity."""
    keep = ~singular[..., None, None]
    return a * _const(a, keep) + _const(a, ~keep * np.eye(a.shape[-1]))


class Det(Primitive):
    """det A; gA = g det(A) A^{-T}, and 0 where det A == 0 (torch's value there)."""

    name_ = "LinalgDetBackward0"

    def forward(self, a):
        out = np.asarray(np.linalg.det(a))
        self.save_for_backward(a, out)
        return out

    def backward(self, grad):
        return _det_grad(*self.saved_tensors, grad)

    def backward_np(self, grad):
        return _det_grad(*self.saved_arrays, grad)


def _det_grad(a: Any, out: Any, grad: Any) -> Any:
    singular = _array(out) == 0
    if np.any(singular):  # g det(A) is 0 there, as torch's gradient: invert I instead of A
        a = _invertible(a, singular)
    return _column(_column(grad * out)) * _mT(_inv(a))


def _array(x: Any) -> np.ndarray:
    return x if isinstance(x, np.ndarray) else x._data


class Solve(Primitive):
    """X = A^{-1} B (B a batch of matrices); gB = A^{-T} g, gA = -gB X^T."""

    name_ = "LinalgSolveExBackward0"

    def forward(self, a, b):
        out = np.linalg.solve(a, b)
        self.save_for_backward(a, out)
        return out

    def backward(self, grad):
        a, out = self.saved_tensors
        gb = Solve.apply(_mT(a), grad)
        return (-(gb @ _mT(out)) if self.needs_input_grad[0] else None), gb

    def backward_np(self, grad):
        a, out = self.saved_arrays
        gb = np.linalg.solve(_mT(a), grad)
        return (-(gb @ _mT(out)) if self.needs_input_grad[0] else None), gb


class Cholesky(Primitive):
    """L with A = L L^T; gA = sym(L^{-T} Phi(L^T gL) L^{-1}), Phi: the lower triangle with the
    diagonal halved, sym(S) = (S + S^T) / 2."""

    name_ = "LinalgCholeskyExBackward0"

    def forward(self, a):
        out = np.linalg.cholesky(a)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        return _cholesky_grad(self.saved_tensors[0], grad)

    def backward_np(self, grad):
        return _cholesky_grad(self.saved_arrays[0], grad)


def _cholesky_grad(low: Any, grad: Any) -> Any:
    phi = _mask(_mT(low) @ _mask(grad, 0), 0)
    phi = phi - _embed(_diag(phi)) * 0.5
    linv = _inv(low)
    s = _mT(linv) @ phi @ linv
    return (s + _mT(s)) * 0.5


# -- factorizations with several outputs (NOTE [ Factorizations with several outputs ]) -------
class QrPart(Primitive):
    """Q or R of A = QR (reduced, or complete when m <= n); see ``_qr_grad``."""

    name_ = "LinalgQrBackward0"

    def forward(self, a, q=None, r=None, part=0):
        self.part = part
        self.save_for_backward(q, r)
        return q if part == 0 else r

    def backward(self, grad):
        q, r = self.saved_tensors
        return _qr_grad(q, r, grad if self.part == 0 else None, grad if self.part else None)

    def backward_np(self, grad):
        q, r = self.saved_arrays
        return _qr_grad(q, r, grad if self.part == 0 else None, grad if self.part else None)


def _qr_grad(q: Any, r: Any, gq: Any, gr: Any) -> Any:
    """gA for A = QR. Square or tall: M = R gR^T - gQ^T Q, gA = (gQ + Q copyltu(M)) R^{-T},
    copyltu(M) = tril(M) + tril(M, -1)^T. Wide (m < n, R = [U | V], A = [X | Y]): X = QU is
    square, Y = QV, so gY = Q gV and X gets the square formula with gQ + Y gV^T."""
    m, n = q.shape[-2], r.shape[-1]
    if m < n:
        u, y = r[..., :m], q @ r[..., m:]
        if gr is None:
            gu, gy = None, _const(y, np.zeros(y.shape))
        else:
            gu, gv = gr[..., :m], gr[..., m:]
            gy, extra = q @ gv, y @ _mT(gv)
            gq = extra if gq is None else gq + extra
        return _cat_last(_qr_grad(q, u, gq, gu), gy)
    if gr is None:
        msym = -(_mT(gq) @ q)
    else:
        msym = r @ _mT(gr)
        if gq is not None:
            msym = msym - _mT(gq) @ q
    copy = _mask(msym, 0) + _mT(_mask(msym, -1))
    ga = q @ copy
    if gq is not None:
        ga = gq + ga
    return ga @ _mT(_inv(r))


def _cat_last(a: Any, b: Any) -> Any:
    if isinstance(a, np.ndarray):
        return np.concatenate([a, b], axis=-1)
    from .._composites.shape import cat

    return cat([a, b], dim=-1)


class EighPart(Primitive):
    """Eigenvalues (part 0) or eigenvectors (part 1) of a symmetric A = V diag(L) V^T:
    gA = V (diag(gL) + skew(V^T gV) / E) V^T, E_ij = L_j - L_i off the diagonal,
    skew(X) = (X - X^T) / 2."""

    name_ = "LinalgEighBackward0"

    def forward(self, a, w=None, v=None, part=0):
        self.part = part
        self.save_for_backward(w, v)
        return w if part == 0 else v

    def backward(self, grad):
        w, v = self.saved_tensors
        return _eigh_grad(w, v, grad, self.part)

    def backward_np(self, grad):
        w, v = self.saved_arrays
        return _eigh_grad(w, v, grad, self.part)


def _eigh_grad(w: Any, v: Any, grad: Any, part: int) -> Any:
    if part == 0:
        return v @ (_column(grad) * _mT(v))
    e = _row(w) - _column(w)
    e = e + _const(e, np.eye(w.shape[-1]))  # no division by zero on the diagonal
    inner = _mT(v) @ grad
    inner = (inner - _mT(inner)) * 0.5  # torch keeps the symmetric part of gA (skew V^T gV)
    return v @ (inner / e) @ _mT(v)


class SvdPart(Primitive):
    """U (part 0), S (1) or Vh (2) of the reduced A = U diag(S) Vh; see ``_svd_grad``."""

    name_ = "LinalgSvdBackward0"

    def forward(self, a, u=None, s=None, vh=None, part=0):
        self.part = part
        self.save_for_backward(u, s, vh)
        return (u, s, vh)[part]

    def backward(self, grad):
        return _svd_grad(*self.saved_tensors, grad, self.part)

    def backward_np(self, grad):
        return _svd_grad(*self.saved_arrays, grad, self.part)


def _svd_grad(u: Any, s: Any, vh: Any, grad: Any, part: int) -> Any:
    """gA of the reduced SVD given the gradient of one factor. With S2 = S^2 and
    E_ij = S2_j - S2_i: gU gives (skew(U^T gU) S_j / E) and, when m > k, the part of gU
    outside span(U) divided by S; gVh the mirror image; gS gives U diag(gS) Vh."""
    if part == 1:
        return u @ (_column(grad) * vh)
    s2 = s * s
    e = _row(s2) - _column(s2)
    e = e + _const(e, np.eye(s.shape[-1]))
    if part == 0:
        uhgu = _mT(u) @ grad
        core = (uhgu - _mT(uhgu)) / e * _row(s)
        outside = grad / _row(s)
        outside = outside - u @ (_mT(u) @ outside)
        return (u @ core + outside) @ vh
    vhgv = vh @ _mT(grad)
    core = _column(s) * ((vhgv - _mT(vhgv)) / e)
    outside = grad / _column(s)
    outside = outside - (outside @ _mT(vh)) @ vh
    return u @ (core @ vh + outside)


class RequireQ(Primitive):
    """R of ``qr(A, mode='r')``: torch refuses to differentiate it, at backward time."""

    name_ = "LinalgQrBackward0"

    def forward(self, a, r=None):
        return r

    def backward(self, grad):
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                           "when mode='r'. Please use linalg.qr(A, mode='reduced') if you are "
                           "going to differentiate through linalg.qr.")

    def backward_np(self, grad):
        return self.backward(grad)  # the same error on the array path
