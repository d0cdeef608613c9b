"""Elementwise math of two tensors: atan2, hypot, logaddexp(2), copysign, heaviside, xlogy,
ldexp, gcd and lcm. Operands broadcast and promote as in torch (NOTE [ Type promotion ] in
``_dtype``); float-valued functions give integer results the default float dtype.
"""

from __future__ import annotations

from typing import Any

from .. import _dtype
from .._primitives import special as S
from .._primitives import trig as T
from .._tensor import Tensor
from ._util import _legacy_name, promote, to_float, write_out
from .math_extra import _check_tensor

__all__ = ["atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "copysign", "heaviside",
           "xlogy", "ldexp", "gcd", "lcm"]
METHODS = list(__all__)
INPLACE = [n for n in __all__ if n not in ("logaddexp", "logaddexp2")]


def _not_implemented(kernel: str, dt: Any) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_legacy_name(dt)}'")


def _tensors(name: str, input: Any, other: Any, arg: str = "other") -> tuple[Tensor, Tensor]:
    """Both operands, which torch requires to be tensors, promoted to one dtype."""
    _check_tensor(input, name)
    _check_tensor(other, name, arg, 2)
    a, b, _ = promote(input, other)
    return a, b


def _floats(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return to_float(a), to_float(b)


def atan2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The angle of the point (other, input), ``atan(input / other)`` in the right quadrant,
    in [-pi, pi].

    >>> torch.atan2(torch.tensor([1.0, 1.0]), torch.tensor([1.0, -1.0]))
    tensor([0.7854, 2.3562])
    """
    a, b = _floats(*_tensors("atan2", input, other))
    return write_out(T.Atan2.apply(a, b), out, "atan2")


arctan2 = atan2


def _float_only(name: str, input: Any, other: Any) -> tuple[Tensor, Tensor]:
    """Operands of a function torch runs only on float results (hypot, logaddexp)."""
    a, b = _tensors(name, input, other)
    if not a.dtype.is_floating_point:
        raise _not_implemented(f"{name}_cpu", a.dtype)
    return a, b


def hypot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``sqrt(input^2 + other^2)``, without overflow in the squares.

    >>> torch.hypot(torch.tensor([3.0]), torch.tensor([4.0]))
    tensor([5.])
    """
    a, b = _float_only("hypot", input, other)
    return write_out(T.Hypot.apply(a, b), out, "hypot")


def logaddexp(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``log(exp(input) + exp(other))``, without overflow.

    >>> torch.logaddexp(torch.tensor([1000.0]), torch.tensor([1000.0]))
    tensor([1000.6932])
    """
    a, b = _float_only("logaddexp", input, other)
    return write_out(T.LogAddExp.apply(a, b), out, "logaddexp")


def logaddexp2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``log2(2^input + 2^other)``, without overflow.

    >>> torch.logaddexp2(torch.tensor([3.0]), torch.tensor([3.0]))
    tensor([4.])
    """
    a, b = _float_only("logaddexp2", input, other)
    return write_out(T.LogAddExp.apply(a, b, base2=True), out, "logaddexp2")


def copysign(input: Tensor, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``|input|`` with the sign of ``other`` (a tensor or a number; -0.0 counts as
    negative). The gradient reaches ``input`` only (0 where input is 0).

    >>> torch.copysign(torch.tensor([1.0, -2.0]), -0.0)
    tensor([-1., -2.])
    """
    _check_tensor(input, "copysign")
    if isinstance(other, Tensor):
        a, b = _floats(*promote(input, other)[:2])
        return write_out(T.Copysign.apply(a, b), out, "copysign")
    a = promote(input, other)[0]
    return write_out(T.Copysign.apply(to_float(a), scalar=other), out, "copysign")


def heaviside(input: Tensor, values: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The step function: 0 where input < 0 (and NaN), ``values`` where input == 0, 1 where
    input > 0. Both tensors must have one dtype; it has no derivative.

    >>> torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _check_tensor(input, "heaviside")
    _check_tensor(values, "heaviside", "values", 2)
    if input.dtype != values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    return write_out(T.Heaviside.apply(input, values), out, "heaviside")


def xlogy(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * log(other)``, and 0 where input is 0 (unless other is NaN); either operand
    may be a number.

    >>> torch.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """
    a, b = _floats(*promote(input, other)[:2])
    return write_out(S.Xlogy.apply(a, b), out, "xlogy")


def ldexp(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """``input * 2 ** other`` in the (float) promoted dtype. As in torch, the gradient of
    ``input`` is taken with an integer ``2 ** other`` when ``other`` is integer (0 for
    negative ``other``).

    >>> torch.ldexp(torch.tensor([1.0]), torch.tensor([3]))
    tensor([8.])
    """
    _check_tensor(input, "ldexp")
    _check_tensor(other, "ldexp", "other", 2)
    dt = promote(input, other)[2]
    result_dt = dt if dt.is_floating_point else _dtype.get_default_dtype()
    x = input if input.dtype == result_dt else input.to(result_dt)
    e = other.to(result_dt) if other.dtype.is_floating_point else other
    return write_out(S.Ldexp.apply(x, e), out, "ldexp")


def _integer_pair(name: str, input: Any, other: Any, out: Tensor | None) -> Tensor:
    a, b = _tensors(name, input, other)
    if a.dtype.is_floating_point or a.dtype.name == "bool":
        raise _not_implemented(f"{name}_cpu", a.dtype)
    return write_out(S.IntegerPair.apply(a, b, op=name), out, name)


def gcd(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The greatest common divisor, elementwise, of integer tensors (gcd(0, 0) = 0).

    >>> torch.gcd(torch.tensor([4, -6]), torch.tensor([6, 9]))
    tensor([2, 3])
    """
    return _integer_pair("gcd", input, other, out)


def lcm(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The least common multiple, elementwise, of integer tensors (0 if either is 0).

    >>> torch.lcm(torch.tensor([4, -6]), torch.tensor([6, 9]))
    tensor([12, 18])
    """
    return _integer_pair("lcm", input, other, out)
