"""torch.special: special functions (error, gamma, Bessel, normal distribution...).

Loaded on first use (``numtorch.special`` or ``import torch.special`` under ``numtorch run``);
see NOTE [ Lazy submodules ] in numtorch/__init__.py. Most names are the top-level functions
under torch.special's names (``expit`` is ``sigmoid``, ``gammaln`` is ``lgamma``; softmax and
log_softmax take ``dtype`` positionally too, as torch's binding does). The scaled functions
whose tails a composition would lose (erfcx, log_ndtr, ndtri, i0e, i1e), entr, xlog1py and
zeta have primitives of their own in ``_primitives/special_scaled.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from . import _dtype
from ._composites._util import promote as _promote
from ._composites._util import to_float as _to_float
from ._composites._util import write_out as _write
from ._composites.activation import log_softmax, softmax
from ._composites.math_binary import xlogy
from ._composites.math_extra import _check_tensor, digamma, erfc, erfinv, i0, logit, polygamma, sinc
from ._composites.math_extra import lgamma as gammaln
from ._composites.reduction_stats import logsumexp
from ._composites.unary import erf, exp2, expm1, log1p, round
from ._composites.unary import sigmoid as expit
from ._primitives import special_scaled as _K
from ._tensor import Tensor

__all__ = ["digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1",
           "gammaln", "i0", "i0e", "i1", "i1e", "log1p", "log_ndtr", "log_softmax", "logit",
           "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round", "sinc",
           "softmax", "xlog1py", "xlogy", "zeta"]

psi = digamma
_SQRT_HALF = math.sqrt(0.5)


def _scaled(name: str, prim: type, doc: str) -> Callable[..., Tensor]:
    """A float-valued function of one tensor computed by ``prim`` (integer input becomes the
    default float dtype, as in torch)."""
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        _check_tensor(input, f"special_{name}")
        return _write(prim.apply(_to_float(input)), out, f"special_{name}")

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


erfcx = _scaled("erfcx", _K.Erfcx, """``exp(input^2) * erfc(input)``, finite where erfc
    underflows.

    >>> torch.special.erfcx(torch.tensor([0.0, 30.0]))
    tensor([1.0000, 0.0188])
    """)
log_ndtr = _scaled("log_ndtr", _K.LogNdtr, """``log(ndtr(input))``, finite far in the left
    tail.

    >>> torch.special.log_ndtr(torch.tensor([0.0, -40.0]))
    tensor([-6.9315e-01, -8.0461e+02])
    """)
ndtri = _scaled("ndtri", _K.Ndtri, """The inverse of ``ndtr``: the x with ``ndtr(x) = input``,
    -inf at 0 and inf at 1, NaN outside [0, 1].

    >>> torch.special.ndtri(torch.tensor([0.5, 0.975]))
    tensor([0.0000, 1.9600])
    """)
i0e = _scaled("i0e", _K.I0e, """``exp(-|input|) * i0(input)``, finite where i0 overflows.

    >>> torch.special.i0e(torch.tensor([0.0, 1000.0]))
    tensor([1.0000, 0.0126])
    """)
i1e = _scaled("i1e", _K.I1e, """``exp(-|input|) * i1(input)``, finite where i1 overflows.

    >>> torch.special.i1e(torch.tensor([0.0, 1000.0]))
    tensor([0.0000, 0.0126])
    """)
i1 = _scaled("i1", _K.I1, """The modified Bessel function of the first kind of order 1.

    >>> torch.special.i1(torch.tensor([0.0, 1.0]))
    tensor([0.0000, 0.5652])
    """)
entr = _scaled("entr", _K.Entr, """``-input * log(input)``: 0 at 0 and -inf for negative
    input.

    >>> torch.special.entr(torch.tensor([0.0, 0.5, -1.0]))
    tensor([0.0000, 0.3466,   -inf])
    """)


def ndtr(input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The standard normal CDF, ``erfc(-input / sqrt(2)) / 2``. erfc keeps the left tail:
    torch's ``(1 + erf(input / sqrt(2))) / 2`` cancels to noise below 1e-16 there (0 from
    x = -8.3 on, where this gives 1e-16 ... 1e-308), within 1e-15 absolute of it.

    >>> torch.special.ndtr(torch.tensor([0.0, -1.0]))
    tensor([0.5000, 0.1587])
    """
    _check_tensor(input, "special_ndtr")
    return _write(erfc(_to_float(input) * -_SQRT_HALF) * 0.5, out, "special_ndtr")


def _binary(name: str, prim: type, input: Any, other: Any, out: Tensor | None) -> Tensor:
    """``prim`` of two operands in their float result type; either may be a number."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"special_{name}() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__})")
    a, b = (_to_float(t) for t in _promote(input, other)[:2])
    return _write(prim.apply(a, b), out, f"special_{name}")


def xlog1py(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """``input * log1p(other)``, and 0 where input is 0 (unless other is NaN); either operand
    may be a number.

    >>> torch.special.xlog1py(torch.tensor([0.0, 2.0]), torch.tensor([-1.0, 1.0]))
    tensor([0.0000, 1.3863])
    """
    return _binary("xlog1py", _K.Xlog1py, input, other, out)


def zeta(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    """The Hurwitz zeta function ``sum_k (other + k) ** -input``; either operand may be a
    number. Differentiable in ``other`` only, as in torch.

    >>> torch.special.zeta(torch.tensor([2.0, 4.0]), 1.0)
    tensor([1.6449, 1.0823])
    """
    return _binary("zeta", _K.Zeta, input, other, out)


def multigammaln(input: Tensor, p: int, *, out: Tensor | None = None) -> Tensor:
    """The log of the multivariate gamma function of dimension ``p``:
    ``log(pi) p (p - 1) / 4 + sum_{i < p} lgamma(input - i / 2)``.

    >>> torch.special.multigammaln(torch.tensor([2.0]), 2)
    tensor([0.4516])
    """
    _check_tensor(input, "special_multigammaln")
    if input.dtype is _dtype.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _to_float(input)
    total = gammaln(x)
    for i in range(1, p):
        total = total + gammaln(x - i / 2)
    return _write(total + math.log(math.pi) * p * (p - 1) / 4, out, "special_multigammaln")

