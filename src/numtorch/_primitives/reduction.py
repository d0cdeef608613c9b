"""Reduction primitives: sums, products, extremes, moments, norms, scans.

``dims`` is always a sorted tuple of non-negative axes, already checked by the composites
(``_composites/reduction.py``); ``None`` stands for "every dim, no dim argument given", which
only changes the grad_fn name (``SumBackward0`` against ``SumBackward1``).

NOTE [ Ties in max and min ]
torch sends the gradient of a full ``max()``/``min()``/``median()`` (and of ``amax``/``amin``
over any dims) evenly to every element equal to the result. The dim forms (``max(dim)``,
``median(dim)``) return an index instead, and the whole gradient goes to that index. The masks
involved are constants: the derivative of a selection is zero almost everywhere.
"""

from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import _GradState
from ..autograd.graph import gradient_edge
from ._base import Primitive, quiet
from .elementwise import where

_QUIET = quiet
_add_reduce = np.add.reduce


def _kept_shape(shape: tuple, dims: tuple) -> tuple:
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _all_dims(x: np.ndarray, dims: tuple | None) -> tuple:
    return tuple(range(x.ndim)) if dims is None else dims


def _count(shape: tuple, dims: tuple) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def _squeeze(out: np.ndarray, dims: tuple, keepdim: bool) -> np.ndarray:
    """Drop the kept reduced dims unless ``keepdim``."""
    if keepdim or not dims:
        return out
    return out.reshape(tuple(s for i, s in enumerate(out.shape) if i not in dims))


def _expand(grad: Tensor, shape: tuple, dims: tuple) -> Tensor:
    """Broadcast a reduced tensor back over the reduced dims (keepdim or not)."""
    return grad.reshape(_kept_shape(shape, dims)).expand(shape)


def _const(array: np.ndarray) -> Tensor:
    return Tensor._make(np.asarray(array))


def _select(mask: np.ndarray, grad: Tensor) -> Tensor:
    """``grad`` where ``mask`` holds, exactly 0 elsewhere (even where grad is inf or nan)."""
    return where(_const(mask), grad, _const(np.zeros((), grad._data.dtype)))


def _accumulator(x: np.ndarray) -> type | None:
    return np.float32 if x.dtype == np.float16 else None  # torch sums half in float


def _share(mask: np.ndarray, dims: tuple, dtype: np.dtype) -> np.ndarray:
    """``mask`` divided by its count over ``dims``: an even split among ties."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (mask / mask.sum(axis=dims, keepdims=True)).astype(dtype)


def sum_array(x: np.ndarray, dims: tuple, keepdim: bool, dtype: np.dtype | None = None
              ) -> np.ndarray:
    """The sum kernel (also the engine's ``sum_to_array``): half sums in float32."""
    if dtype is None and x.dtype.type is np.float16:  # see _accumulator
        return _add_reduce(x, dims, np.float32, None, keepdim).astype(x.dtype)
    return _add_reduce(x, dims, dtype, None, keepdim)  # x.sum(dims, ...), one frame less


def _expand_np(grad: np.ndarray, shape: tuple, dims: tuple) -> np.ndarray:
    """``_expand`` on arrays: the same values."""
    if grad.shape == shape:  # nothing was reduced away: a size-1 dim or no dims at all
        return grad
    out = np.empty(shape, grad.dtype)  # filled, not broadcast_to: cheaper, and writeable
    out[...] = grad if grad.ndim in (0, len(shape)) else grad.reshape(_kept_shape(shape, dims))
    return out


class Sum(Primitive):
    """sum over dims; the gradient is broadcast back over them."""

    name_ = "SumBackward0"

    def forward(self, x, dims=None, keepdim=False, dtype=None):
        if dims is not None:
            self.name_ = "SumBackward1"
        self.shape, self.dims = x.shape, _all_dims(x, dims)
        return sum_array(x, self.dims, keepdim, dtype)

    def backward(self, grad):
        return _expand(grad, self.shape, self.dims)

    def backward_np(self, grad):
        return _expand_np(grad, self.shape, self.dims)


class Mean(Primitive):
    """mean over dims; the gradient is spread evenly back over them."""

    name_ = "MeanBackward0"

    def forward(self, x, dims=None, keepdim=False):
        if dims is not None:
            self.name_ = "MeanBackward1"
        self.shape, self.dims = x.shape, _all_dims(x, dims)
        self.count = _count(x.shape, self.dims)
        total = _add_reduce(x, self.dims, _accumulator(x), None, keepdim)
        return (total / self.count).astype(x.dtype)  # of nothing: nan (apply keeps it quiet)

    def backward(self, grad):
        return _expand(grad, self.shape, self.dims) / max(self.count, 1)

    @_QUIET
    def backward_np(self, grad):
        return np.true_divide(_expand_np(grad, self.shape, self.dims),
                              np.array(max(self.count, 1), grad.dtype))


class Prod(Primitive):
    """product over one dim or all; d/dx_k = product of the others (zeros handled exactly)."""

    name_ = "ProdBackward0"

    def forward(self, x, dim=None, keepdim=False, dtype=None):
        if dim is not None:
            self.name_ = "ProdBackward1"
        self.shape, self.dim = x.shape, dim
        self.dims = _all_dims(x, None if dim is None or x.ndim == 0 else (dim,))
        out = np.asarray(np.prod(x, axis=self.dims, keepdims=keepdim, dtype=dtype))
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        g = _expand(grad, self.shape, self.dims)
        zero = x._data == 0
        if not zero.any():
            return g * _expand(out, self.shape, self.dims) / x
        return g * self._others_with_zeros(x, zero)

    def _others_with_zeros(self, x, zero):
        # p / x_k fails at zeros: with p the product of the non-zeros and Z the slice's zeros,
        # d/dx_k = p * prod(Z without x_k) / (x_k if x_k is not in Z). Products of zeros stay
        # as tensors (value 0) where the second derivative needs them: one zero, or two.
        dims, dtype = self.dims, x._data.dtype
        n_zero = zero.sum(axis=dims, keepdims=True)
        nonzero = where(_const(zero), _const(np.ones((), dtype)), x)
        p = Prod.apply(nonzero, dim=self.dim, keepdim=True) if self.dim is not None else \
            Prod.apply(nonzero).reshape(_kept_shape(self.shape, dims))
        zeros = Sum.apply(_select(zero, x), dims=dims, keepdim=True)  # their sum: 0
        off_zero = p / nonzero * (_const((n_zero == 0).astype(dtype))
                                  + zeros * _const((n_zero == 1).astype(dtype)))
        at_zero = p * (_const((n_zero == 1).astype(dtype))
                       + (zeros - x) * _const((n_zero == 2).astype(dtype)))
        return where(_const(zero), at_zero, off_zero)


class Extreme(Primitive):
    """max/min over dims (amax, amin, full max(), min()); ties share the gradient evenly.

    See NOTE [ Ties in max and min ].
    """

    name_ = "AmaxBackward0"

    def forward(self, x, dims, keepdim, largest, name, nan_wins=False):
        self.name_, self.shape, self.dims = name, x.shape, dims
        out = (np.amax if largest else np.amin)(x, axis=dims, keepdims=True)
        if self.needs_input_grad:  # the mask only matters when recording
            mask = x == out
            if nan_wins:  # full max()/min(): the gradient goes to the nan that won
                mask |= np.isnan(x) & np.isnan(out)
            self.share = _share(mask, dims, x.dtype)
        return _squeeze(out, dims, keepdim)

    def backward(self, grad):
        return _expand(grad, self.shape, self.dims) * _const(self.share)


class Median(Primitive):
    """the lower median of all elements; ties share the gradient (NOTE [ Ties in max and min ])."""

    name_ = "MedianBackward0"

    def forward(self, x):
        self.shape = x.shape
        flat = x.reshape(-1)
        self.share = np.zeros(x.shape, x.dtype)
        if flat.size == 0:  # torch: nan, or the lowest integer
            return np.array(np.nan if x.dtype.kind == "f" else np.iinfo(x.dtype).min, x.dtype)
        nan = np.isnan(flat) if flat.dtype.kind == "f" else np.zeros(flat.shape, bool)
        out = flat[nan][0] if nan.any() else np.partition(flat, (flat.size - 1) // 2)[
            (flat.size - 1) // 2]
        if self.needs_input_grad:
            mask = (x == out) | (nan.reshape(x.shape) if nan.any() else False)
            self.share = _share(mask, _all_dims(x, None), x.dtype)
        return np.asarray(out)

    def backward(self, grad):
        return grad.expand(self.shape) * _const(self.share)


class SelectAlongDim(Primitive):
    """x at given indices along one dim (max(dim), min(dim), median(dim)); the gradient goes
    to those indices only. ``idx`` is an int64 input that needs no gradient."""

    name_ = "MaxBackward0"

    def forward(self, x, idx, dim, keepdim, name):
        self.name_, self.shape, self.dim = name, x.shape, dim
        if x.ndim == 0:
            self.mask = np.array(True)
            return x.copy()
        at = idx if keepdim else np.expand_dims(idx, dim)
        if self.needs_input_grad:
            positions = np.arange(x.shape[dim]).reshape(
                tuple(-1 if i == dim else 1 for i in range(x.ndim)))
            self.mask = positions == at
        out = np.take_along_axis(x, at, axis=dim)
        return out if keepdim else np.squeeze(out, dim)

    def backward(self, grad):
        return _select(self.mask, _expand(grad, self.shape, (self.dim,))), None


class Reduce(Primitive):
    """A reduction with no gradient (argmax, all, any, count_nonzero...): ``fn(x, **kw)``."""

    name_ = "Reduce"

    def forward(self, x, fn, **kwargs):
        return fn(x, **kwargs)


def argextreme(x: np.ndarray, dim: int | None, keepdim: bool, largest: bool) -> np.ndarray:
    """argmax/argmin; nan wins, the first of equal values wins (as torch)."""
    if x.ndim == 0:
        return np.array(0)
    fn = np.argmax if largest else np.argmin
    return np.asarray(fn(x, axis=dim, keepdims=keepdim)).astype(np.int64)


def median_index(x: np.ndarray, dim: int, keepdim: bool) -> np.ndarray:
    """The index of the lower median along ``dim``: a stable sort matches torch among ties;
    a nan in the slice wins (its first occurrence)."""
    if x.ndim == 0:
        return np.array(0)
    idx = np.take(np.argsort(x, axis=dim, kind="stable"), (x.shape[dim] - 1) // 2, axis=dim)
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        idx = np.where(nan.any(axis=dim), np.argmax(nan, axis=dim), idx)
    return (np.expand_dims(idx, dim) if keepdim else idx).astype(np.int64)


def truth(x: np.ndarray, dims: tuple | None, keepdim: bool, every: bool) -> np.ndarray:
    """all / any; uint8 in gives uint8 out, as in torch."""
    out = (np.all if every else np.any)(x, axis=dims, keepdims=keepdim)
    return np.asarray(out).astype(np.uint8 if x.dtype == np.uint8 else np.bool_)


def count_nonzero(x: np.ndarray, dims: tuple | None) -> np.ndarray:
    return np.asarray(np.count_nonzero(x, axis=dims)).astype(np.int64)


class Var(Primitive):
    """var = sum((x - mean)^2) / (N - correction); with ``sqrt`` the standard deviation."""

    name_ = "VarBackward0"

    def forward(self, x, dims, correction, keepdim, sqrt):
        self.name_ = "StdBackward0" if sqrt else "VarBackward0"
        self.shape, self.dims, self.sqrt = x.shape, dims, sqrt
        out = _moments(x, dims, correction, self)[0]
        out = _squeeze(np.sqrt(out) if sqrt else out, dims, keepdim)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return _var_grad(self, x, _expand(grad, self.shape, self.dims), out)


def _moments(x: np.ndarray, dims: tuple, correction: float, node: Primitive) -> tuple:
    """(variance, mean), both kept over ``dims``; records the degrees of freedom on ``node``."""
    n = _count(x.shape, dims)
    node.dof = max(0.0, n - correction)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.sum(x, axis=dims, keepdims=True, dtype=_accumulator(x)) / n
        dev = x - mean.astype(x.dtype)
        var = np.sum(dev * dev, axis=dims, keepdims=True, dtype=_accumulator(x)) / node.dof
    return var.astype(x.dtype), mean.astype(x.dtype)


def _var_grad(node: Primitive, x: Tensor, g: Tensor, out: Tensor | None = None) -> Tensor:
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero std gives nan, quietly
        dev = x - x.mean(node.dims, keepdim=True)
        if node.sqrt:  # d std = d var / (2 std)
            std = _expand(out, node.shape, node.dims) if out is not None else \
                ((dev * dev).sum(node.dims, keepdim=True) / node.dof).sqrt()
            std = std + _const((std._data == 0).astype(std._data.dtype))  # torch: 0 at std 0
            return g * dev / (std * node.dof)
        return g * dev * (2.0 / node.dof if node.dof else float("inf"))


class VarMean(Primitive):
    """(var or std, mean) in one node with two outputs, as torch's var_mean / std_mean."""

    name_ = "VarMeanBackward0"
    n_outputs = 2

    @classmethod
    def apply(cls, x, **params):
        node = cls()
        record = _GradState.enabled and x._requires_grad
        if record:
            node.needs_input_grad = (True,)
        var, mean = node.forward(x._data, **params)
        if not record:
            return Tensor._make(var), Tensor._make(mean)
        node.next_functions = (gradient_edge(x),)
        node._input_meta = ((x._data.shape, x._data.dtype),)
        node._saved, node._saved_any = ((x, x._version),), True
        return Tensor._make(var, True, node, 0), Tensor._make(mean, True, node, 1)

    def forward(self, x, dims, correction, keepdim, sqrt):
        self.name_ = "StdMeanBackward0" if sqrt else "VarMeanBackward0"
        self.shape, self.dims, self.sqrt = x.shape, dims, sqrt
        var, mean = _moments(x, dims, correction, self)
        return _squeeze(np.sqrt(var) if sqrt else var, dims, keepdim), _squeeze(mean, dims,
                                                                               keepdim)

    def backward(self, grad_var, grad_mean):
        (x,) = self.saved_tensors
        total = None
        if grad_var is not None:
            total = _var_grad(self, x, _expand(grad_var, self.shape, self.dims))
        if grad_mean is not None:
            g = _expand(grad_mean, self.shape, self.dims) / max(_count(self.shape, self.dims), 1)
            total = g if total is None else total + g
        return total


class Norm(Primitive):
    """vector p-norm over dims: (sum |x|^p)^(1/p); max |x| for inf, nonzero count for 0.

    torch's gradient is 0 where it is undefined (x = 0 for p < 1, a zero norm).
    """

    name_ = "LinalgVectorNormBackward0"

    def forward(self, x, p, dims, keepdim):
        self.shape, self.dims, self.p = x.shape, dims, p
        a = np.abs(x)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p in (np.inf, -np.inf):
                out = (np.amax if p > 0 else np.amin)(a, axis=dims, keepdims=True)
                if self.needs_input_grad:
                    self.share = _share(a == out, dims, x.dtype)
            elif p == 0:
                out = np.sum(a != 0, axis=dims, keepdims=True).astype(x.dtype)
            elif p == 1:
                out = np.sum(a, axis=dims, keepdims=True)
            elif p == 2:
                out = np.sqrt(np.sum(a * a, axis=dims, keepdims=True))
            else:
                out = np.sum(a ** p, axis=dims, keepdims=True) ** (1.0 / p)
        out = _squeeze(np.asarray(out, x.dtype), dims, keepdim)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        p = self.p
        if p == 0:
            return None  # piecewise constant: torch leaves the gradient undefined
        g = _expand(grad, self.shape, self.dims)
        sign = _const(np.sign(x._data))
        if p == 1:
            return g * sign
        if p in (np.inf, -np.inf):
            return g * sign * _const(self.share)
        norm = _expand(out, self.shape, self.dims)
        norm = norm + _const((norm._data == 0).astype(x._data.dtype))  # 0/0 -> 0/1
        if p == 2:
            return g * x / norm
        zero = (x._data == 0).astype(x._data.dtype)
        size = x * sign + _const(zero)  # |x|, with 1 in place of 0 to keep pow finite
        return g * sign * size ** (p - 1) * _const(1 - zero) / norm ** (p - 1)


class Logsumexp(Primitive):
    """log(sum(exp(x))) over dims, shifted by the max for stability; d/dx = exp(x - out)."""

    name_ = "LogsumexpBackward0"

    def forward(self, x, dims, keepdim):
        self.shape, self.dims = x.shape, dims
        top = np.amax(x, axis=dims, keepdims=True, initial=-np.inf)
        top = np.where(np.isfinite(top), top, 0)  # all -inf or an inf: shifting would make nan
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.log(np.sum(np.exp(x - top), axis=dims, keepdims=True)) + top
        out = _squeeze(out.astype(x.dtype), dims, keepdim)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return _expand(grad, self.shape, self.dims) * (x - _expand(out, self.shape,
                                                                  self.dims)).exp()


class Cumsum(Primitive):
    """running sum along dim; the gradient is the running sum of grad taken backwards."""

    name_ = "CumsumBackward0"

    def forward(self, x, dim, dtype=None, reverse=False):
        self.dim, self.reverse = dim, reverse
        if x.ndim == 0:
            return x.astype(dtype or x.dtype, copy=True)
        if reverse:
            return np.ascontiguousarray(
                np.flip(np.cumsum(np.flip(x, dim), axis=dim, dtype=dtype), dim))
        return np.cumsum(x, axis=dim, dtype=dtype)

    def backward(self, grad):
        return Cumsum.apply(grad, dim=self.dim, reverse=not self.reverse)


class Cumprod(Primitive):
    """running product along dim; exact at zeros (see ``_grad_with_zeros``)."""

    name_ = "CumprodBackward0"

    def forward(self, x, dim):
        self.dim = dim
        out = x.copy() if x.ndim == 0 else np.cumprod(x, axis=dim)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        if x.ndim == 0:
            return grad
        if not (x._data == 0).any():  # d out_j / d x_k = out_j / x_k for j >= k
            return Cumsum.apply(grad * out, dim=self.dim, reverse=True) / x
        return self._grad_with_zeros(x, grad)

    def _grad_with_zeros(self, x, grad):
        # grad_k = sum_{j >= k} grad_j * prod_{i <= j, i != k} x_i, with a new axis k in front
        # of dim: the products come from a cumprod of x with x_k replaced by 1 (n^2 memory, so
        # only when a zero forces it)
        dim, n = self.dim, x.shape[self.dim]
        after = (1,) * (x.ndim - dim - 1)
        lead = x.shape[:dim] + (1,) + x.shape[dim:]
        eye = _const(np.eye(n, dtype=bool).reshape((n, n) + after))
        upper = _const(np.triu(np.ones((n, n), bool)).reshape((n, n) + after))
        one = _const(np.ones((), x._data.dtype))
        others = Cumprod.apply(where(eye, one, x.reshape(lead)), dim=dim + 1)
        terms = _select(upper._data, grad.reshape(lead) * others)
        return Sum.apply(terms, dims=(dim + 1,), keepdim=False)
