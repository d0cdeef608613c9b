"""Tutorial utilities: closeness and membership tests, tensor predicates, detach.

All are built from other composites; none records a new kind of node. The shape and creation
helpers (meshgrid, diag, diff, tensor_split...) are in ``utilities_shape.py``.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _dtype
from .._creation import ones_like, scalar_tensor, zeros
from .._quiet import quiet
from .._tensor import Tensor
from . import pointwise as P
from . import unary as U
from ._util import _legacy_name, write_out
from .reduction import all as _all

__all__ = ["isclose", "allclose", "isin", "isreal", "is_floating_point", "is_complex",
           "is_signed", "is_nonzero", "is_same_size", "numel", "detach", "detach_", "is_conj",
           "is_neg", "conj", "resolve_conj", "resolve_neg", "real", "imag", "typename"]
METHODS = ["isclose", "allclose", "isreal", "is_nonzero", "is_same_size", "is_conj", "is_neg",
           "conj", "resolve_conj", "resolve_neg"]
INPLACE: list[str] = []


def check_tensor(fn: str, arg: str, position: int, value: Any) -> Tensor:
    """torch's TypeError for a non-tensor where its signature takes a Tensor."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not "
                        f"{type(value).__name__}")
    return value


# -- closeness --------------------------------------------------------------------------------
def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (equal infinities count as
    close, NaNs only with ``equal_nan``); both tensors must have the same dtype.

    Integer and bool inputs are compared in the default float dtype, so ``uint8`` differences
    do not wrap around.

    >>> torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1]))
    tensor([ True, False])
    """
    check_tensor("isclose", "input", 1, input)
    check_tensor("isclose", "other", 2, other)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_legacy_name(input.dtype)} did not match {_legacy_name(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    x, y = input._data, other._data
    if x.shape == y.shape and x.dtype.kind == "f" and x.dtype.itemsize > 2:
        return Tensor._make(_close_arrays(x, y, rtol, atol, equal_nan))
    a, b = input.detach(), other.detach()  # the result is bool: nothing to differentiate
    close = P.eq(a, b)
    if equal_nan and a.dtype.is_floating_point:
        close = P.logical_or(close, P.logical_and(U.isnan(a), U.isnan(b)))
    if rtol == 0 and atol == 0:  # the inequality degenerates to the equality above
        return close
    if not a.dtype.is_floating_point:
        a, b = a.to(_dtype.get_default_dtype()), b.to(_dtype.get_default_dtype())
    allowed = _scalar_op(P.add, U.abs(_scalar_op(P.mul, b, rtol)), atol)
    actual = U.abs(P.sub(a, b))
    # an infinite error (inf vs -inf, inf vs a number) is never within tolerance
    within = P.logical_and(U.isfinite(actual), P.le(actual, allowed))
    return P.logical_or(close, within)


# NOTE [ isclose on arrays ]
# allclose guards tutorial training loops and tests, so its common case, two float32 or float64
# tensors of one shape, runs on the arrays directly: the same formula in the same dtype (a
# Python scalar is weak for NumPy as for torch: ``float32 * 1e-5`` is float32), without
# building six tensors. float16 (computed in float32 by torch, see _scalar_op), integers
# (compared in the default float dtype) and broadcasting (torch's error words) take the tensor
# path below the fast one.
@quiet
def _close_arrays(x: Any, y: Any, rtol: float, atol: float, equal_nan: bool) -> Any:
    if x.ndim == 0:  # 0-d operands give NumPy scalars; a tensor holds an array
        return _close_arrays(x.reshape(1), y.reshape(1), rtol, atol, equal_nan).reshape(())
    close = x == y
    if equal_nan:
        close |= (x != x) & (y != y)  # both NaN
    if rtol == 0 and atol == 0:
        return close
    actual = abs(x - y)
    # an infinite (or NaN) error is never within tolerance
    return close | ((actual < math.inf) & (actual <= abs(y * rtol) + atol))


def _scalar_op(op: Any, t: Tensor, scalar: float) -> Tensor:
    """``op(t, scalar)`` as torch's CPU kernels do it: float16 in float32 arithmetic (the scalar
    kept in float32, not rounded to float16 first), the result rounded back to float16."""
    if t.dtype is _dtype.float16:
        return op(t.to(_dtype.float32), scalar).to(_dtype.float16)
    return op(t, scalar)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether every element of ``input`` is close to ``other`` (see ``isclose``).

    >>> torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-9]))
    True
    """
    check_tensor("allclose", "input", 1, input)
    check_tensor("allclose", "other", 2, other)
    return bool(_all(isclose(input, other, rtol, atol, equal_nan))._data)


# -- membership ---------------------------------------------------------------------------------
_ISIN_SIGNATURES = (
    "isin() received an invalid combination of arguments - got ({}), but expected one of:\n"
    " * (Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n"
    " * (Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n"
    " * (Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n")
_NUMBER = (int, float, bool)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False,
         invert: bool = False, out: Tensor | None = None) -> Tensor:
    """Whether each element of ``elements`` occurs in ``test_elements`` (a bool tensor of
    ``elements``' shape); either side may be a Python number. NaN is never found.

    >>> torch.isin(torch.tensor([1, 2, 3]), torch.tensor([2, 5]))
    tensor([False,  True, False])
    """
    kinds = [isinstance(x, Tensor) or (isinstance(x, _NUMBER) and isinstance(y, Tensor))
             for x, y in ((elements, test_elements), (test_elements, elements))]
    if not all(kinds):
        raise TypeError(_ISIN_SIGNATURES.format(
            f"{type(elements).__name__}, {type(test_elements).__name__}"))
    for x in (elements, test_elements):
        if isinstance(x, bool) or (isinstance(x, Tensor) and x.dtype is _dtype.bool_):
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    dt = _dtype.result_type(elements, test_elements)
    values = _as_array(elements, dt)
    pool = _as_array(test_elements, dt).reshape(-1)
    pool.sort()
    # a sorted pool and a binary search: n log m, not the n * m of comparing every pair; on
    # 1-D arrays, as 0-d ones would give NumPy scalars
    flat = values.reshape(-1)
    if pool.size:
        found = pool.take(pool.searchsorted(flat).clip(0, pool.size - 1)) == flat
    else:
        found = zeros(flat.shape, dtype=_dtype.bool_)._data
    if invert:
        found = ~found
    return write_out(Tensor._make(found.reshape(values.shape)), out, "isin")


def _as_array(x: Any, dt: _dtype.dtype) -> Any:
    t = x if isinstance(x, Tensor) else scalar_tensor(x, dtype=dt)
    return t._data.astype(dt.np, copy=True)


def isreal(input: Tensor) -> Tensor:
    """Whether each element is real-valued: always True, as numtorch has no complex dtypes.

    >>> torch.isreal(torch.tensor([1.0, float("nan")]))
    tensor([True, True])
    """
    check_tensor("isreal", "input", 1, input)
    return ones_like(input, dtype=_dtype.bool_)


# -- predicates and detach ----------------------------------------------------------------------
def is_floating_point(input: Tensor) -> bool:
    """Whether ``input``'s dtype is a floating point one.

    >>> torch.is_floating_point(torch.tensor([1.0]))
    True
    """
    return check_tensor("is_floating_point", "input", 1, input).dtype.is_floating_point


def is_complex(input: Tensor) -> bool:
    """Whether ``input``'s dtype is complex (never, in numtorch).

    >>> torch.is_complex(torch.tensor([1.0]))
    False
    """
    return check_tensor("is_complex", "input", 1, input).dtype.is_complex


def is_signed(input: Tensor) -> bool:
    """Whether ``input``'s dtype holds negative numbers (bool and uint8 do not).

    >>> torch.is_signed(torch.tensor([1], dtype=torch.uint8))
    False
    """
    return check_tensor("is_signed", "input", 1, input).dtype.is_signed


def is_nonzero(input: Tensor) -> bool:
    """The truth of a one-element tensor (torch's errors for none or several elements).

    >>> torch.is_nonzero(torch.tensor([0.5]))
    True
    """
    check_tensor("is_nonzero", "input", 1, input)
    n = input._data.size
    if n != 1:
        what = "no values" if n == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {what} is ambiguous")
    return bool(input._data.reshape(()))


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape.

    >>> torch.is_same_size(torch.ones(2, 3), torch.zeros(2, 3))
    True
    """
    check_tensor("is_same_size", "input", 1, input)
    return input._data.shape == check_tensor("is_same_size", "other", 2, other)._data.shape


def numel(input: Tensor) -> int:
    """The number of elements of ``input``.

    >>> torch.numel(torch.ones(2, 3))
    6
    """
    return check_tensor("numel", "input", 1, input)._data.size


def detach(input: Tensor) -> Tensor:
    """``input.detach()``: the same memory, cut from the graph.

    >>> torch.detach(torch.ones(2, requires_grad=True)).requires_grad
    False
    """
    return check_tensor("detach", "input", 1, input).detach()


def detach_(input: Tensor) -> Tensor:
    """``input.detach_()``: cut ``input`` itself from the graph (not allowed on views).

    >>> torch.detach_(torch.ones(2) * 2).grad_fn is None
    True
    """
    return check_tensor("detach_", "input", 1, input).detach_()


# -- complex views of real tensors -------------------------------------------------------------
def is_conj(input: Tensor) -> bool:
    """Whether ``input`` is a lazily conjugated view (never: numtorch has no complex dtypes).

    >>> torch.is_conj(torch.ones(2))
    False
    """
    check_tensor("is_conj", "input", 1, input)
    return False


def is_neg(input: Tensor) -> bool:
    """Whether ``input`` is a lazily negated view (never, in numtorch).

    >>> torch.is_neg(torch.ones(2))
    False
    """
    check_tensor("is_neg", "input", 1, input)
    return False


def conj(input: Tensor) -> Tensor:
    """The complex conjugate: ``input`` itself for a real tensor, as in torch.

    >>> x = torch.ones(2); torch.conj(x) is x
    True
    """
    return check_tensor("conj", "input", 1, input)


def resolve_conj(input: Tensor) -> Tensor:
    """``input`` with a lazy conjugation applied: ``input`` itself for a real tensor.

    >>> x = torch.ones(2); torch.resolve_conj(x) is x
    True
    """
    return check_tensor("resolve_conj", "input", 1, input)


def resolve_neg(input: Tensor) -> Tensor:
    """``input`` with a lazy negation applied: ``input`` itself for a real tensor.

    >>> x = torch.ones(2); torch.resolve_neg(x) is x
    True
    """
    return check_tensor("resolve_neg", "input", 1, input)


def real(input: Tensor) -> Tensor:
    """The real part: ``input`` itself for a real tensor.

    >>> x = torch.ones(2); torch.real(x) is x
    True
    """
    return check_tensor("real", "input", 1, input)


def imag(input: Tensor) -> Tensor:
    """The imaginary part; real tensors have none, so this raises as torch does."""
    check_tensor("imag", "input", 1, input)
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def typename(obj: Any) -> str:
    """torch's type name: the legacy tensor type for a tensor (``torch.FloatTensor``), the
    qualified class name for anything else.

    >>> torch.typename(torch.ones(2))
    'torch.FloatTensor'
    """
    if isinstance(obj, Tensor):
        return f"torch.{_legacy_name(obj.dtype)}Tensor"
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"
