"""More elementwise math of one tensor: inverse trigonometric and hyperbolic functions,
degree/radian conversion, special functions (erfc, erfinv, lgamma, digamma, polygamma, i0,
sinc, logit) and frexp; plus torch's top-level in-place variants (``torch.exp_(t)``...).

Float-valued functions give integer and bool inputs the default float dtype, as torch does.
The functions of two tensors (atan2, hypot, xlogy...) are in ``math_binary.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._primitives import special as S
from .._primitives import trig as T
from .._tensor import Tensor
from ._util import inplace, to_float, write_out
from .reduction import _StructSeq, return_types

__all__ = [
    "acos", "arccos", "asin", "arcsin", "atan", "arctan", "acosh", "arccosh", "asinh",
    "arcsinh", "atanh", "arctanh", "cosh", "sinh", "deg2rad", "rad2deg", "erfc", "erfinv",
    "lgamma", "digamma", "polygamma", "i0", "sinc", "logit", "frexp",
]
METHODS = [n for n in __all__ if n != "polygamma"]
INPLACE = [n for n in __all__ if n not in ("polygamma", "frexp")]


def _check_tensor(input: Any, name: str, arg: str = "input", position: int = 1) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be Tensor, "
                        f"not {type(input).__name__}")


def _float_function(name: str, prim: type, doc: str, **params: Any) -> Callable[..., Tensor]:
    def fn(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        _check_tensor(input, name)
        return write_out(prim.apply(to_float(input), **params), out, name)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


acos = _float_function("acos", T.Acos, """arccos, elementwise, in [0, pi] (NaN outside
    [-1, 1]; integers become float). The gradient -1/sqrt(1 - x^2) is -inf at +-1.

    >>> torch.acos(torch.tensor([1.0, 0.0]))
    tensor([0.0000, 1.5708])
    """)
asin = _float_function("asin", T.Asin, """arcsin, elementwise, in [-pi/2, pi/2].

    >>> torch.asin(torch.tensor([1.0]))
    tensor([1.5708])
    """)
atan = _float_function("atan", T.Atan, """arctan, elementwise, in (-pi/2, pi/2).

    >>> torch.atan(torch.tensor([1.0]))
    tensor([0.7854])
    """)
acosh = _float_function("acosh", T.Acosh, """arccosh, elementwise (NaN below 1).

    >>> torch.acosh(torch.tensor([1.0]))
    tensor([0.])
    """)
asinh = _float_function("asinh", T.Asinh, """arcsinh, elementwise.

    >>> torch.asinh(torch.tensor([0.0]))
    tensor([0.])
    """)
atanh = _float_function("atanh", T.Atanh, """arctanh, elementwise (+-inf at +-1).

    >>> torch.atanh(torch.tensor([0.0]))
    tensor([0.])
    """)
cosh = _float_function("cosh", T.Cosh, """cosh, elementwise.

    >>> torch.cosh(torch.tensor([0.0]))
    tensor([1.])
    """)
sinh = _float_function("sinh", T.Sinh, """sinh, elementwise.

    >>> torch.sinh(torch.tensor([0.0]))
    tensor([0.])
    """)
arccos, arcsin, arctan = acos, asin, atan
arccosh, arcsinh, arctanh = acosh, asinh, atanh

deg2rad = _float_function("deg2rad", T.Scale, """Degrees to radians, ``input * pi / 180``.

    >>> torch.deg2rad(torch.tensor([180.0]))
    tensor([3.1416])
    """, factor=T.DEG_TO_RAD, node="Deg2RadBackward0")
rad2deg = _float_function("rad2deg", T.Scale, """Radians to degrees, ``input * 180 / pi``.

    >>> torch.rad2deg(torch.tensor([3.141592653589793]))
    tensor([180.])
    """, factor=T.RAD_TO_DEG, node="Rad2DegBackward0")
erfc = _float_function("erfc", S.Erfc, """``1 - erf(input)``, accurate where it is tiny.

    >>> torch.erfc(torch.tensor([0.0, 5.0]))
    tensor([1.0000e+00, 1.5375e-12])
    """)
erfinv = _float_function("erfinv", S.Erfinv, """The inverse of erf: +-inf at +-1, NaN beyond.

    >>> torch.erfinv(torch.tensor([0.0, 0.5]))
    tensor([0.0000, 0.4769])
    """)
lgamma = _float_function("lgamma", S.Lgamma, """``log |Gamma(input)|`` (inf at the poles).

    >>> torch.lgamma(torch.tensor([0.5, 3.0]))
    tensor([0.5724, 0.6931])
    """)
digamma = _float_function("digamma", S.Polygamma, """``d/dx lgamma(x)``, the digamma
    function psi (-inf at 0, NaN at the negative integers).

    >>> torch.digamma(torch.tensor([1.0]))
    tensor([-0.5772])
    """, n=0)
i0 = _float_function("i0", S.I0, """The modified Bessel function of the first kind, order 0.

    >>> torch.i0(torch.tensor([0.0, 1.0]))
    tensor([1.0000, 1.2661])
    """)
sinc = _float_function("sinc", S.Sinc, """The normalized sinc, ``sin(pi x) / (pi x)``, 1 at 0.

    >>> torch.sinc(torch.tensor([0.0, 0.5]))
    tensor([1.0000, 0.6366])
    """)


def polygamma(n: int, input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The n-th derivative of digamma, ``psi^(n)(input)`` (n = 0: digamma).

    >>> torch.polygamma(1, torch.tensor([1.0]))
    tensor([1.6449])
    """
    _check_tensor(input, "polygamma", position=2)
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return write_out(S.Polygamma.apply(to_float(input), n=n), out, "polygamma")


def _polygamma_method(self: Tensor, n: int) -> Tensor:
    return polygamma(n, self)


def _polygamma_inplace(self: Tensor, n: int) -> Tensor:
    return inplace(self, lambda src: polygamma(n, src))


def logit(input: Tensor, eps: float | None = None, *, out: Tensor | None = None) -> Tensor:
    """``log(p / (1 - p))``, with ``p`` clamped to ``[eps, 1 - eps]`` when ``eps`` is given
    (the gradient is then 0 outside that interval).

    >>> torch.logit(torch.tensor([0.5, 0.0]), eps=1e-6)
    tensor([  0.0000, -13.8155])
    """
    _check_tensor(input, "logit")
    return write_out(S.Logit.apply(to_float(input), eps=eps), out, "logit")


class _Frexp(_StructSeq):
    """``torch.return_types.frexp``: (mantissa, exponent)."""

    __slots__ = ()
    _names = ("mantissa", "exponent")

    @property
    def mantissa(self) -> Tensor:
        return self[0]

    @property
    def exponent(self) -> Tensor:
        return self[1]


_Frexp.__name__ = _Frexp.__qualname__ = "frexp"
return_types.frexp = _Frexp


def frexp(input: Tensor, *, out: tuple[Tensor, Tensor] | None = None) -> _Frexp:
    """Split ``input`` into ``mantissa * 2 ** exponent``, ``|mantissa|`` in [0.5, 1) (0 for 0)
    and an int32 exponent; returns ``torch.return_types.frexp(mantissa, exponent)``.

    >>> torch.frexp(torch.tensor([8.0]))
    torch.return_types.frexp(
    mantissa=tensor([0.5000]),
    exponent=tensor([4], dtype=torch.int32))
    """
    _check_tensor(input, "frexp")
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = S.FrexpMantissa.apply(input), S.frexp_exponent(input)
    if out is None:
        return _Frexp((mantissa, exponent))
    mantissa_out, exponent_out = out
    if mantissa_out.dtype != input.dtype:
        raise RuntimeError("torch.frexp() expects mantissa to have dtype "
                           f"{_C_NAMES[input.dtype.name]} but got "
                           f"{_C_NAMES.get(mantissa_out.dtype.name, mantissa_out.dtype.name)}")
    if exponent_out.dtype.name != "int32":
        raise RuntimeError("torch.frexp() expects exponent to have int dtype but got "
                           f"{_C_NAMES.get(exponent_out.dtype.name, exponent_out.dtype.name)}")
    write_out(mantissa, mantissa_out, "frexp")
    write_out(exponent, exponent_out, "frexp")
    return _Frexp((mantissa_out, exponent_out))


# the C type names torch prints in frexp's dtype error
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


# -- torch's top-level in-place variants ------------------------------------------------------

_TOP_LEVEL_INPLACE = INPLACE + [
    "abs", "ceil", "clamp", "clamp_max", "clamp_min", "clip", "cos", "erf", "exp2", "exp",
    "expm1", "fix", "floor", "frac", "log10", "log1p", "log2", "log", "nan_to_num", "neg",
    "negative", "reciprocal", "relu", "round", "rsqrt", "sigmoid", "sin", "sqrt", "square",
    "tan", "tanh", "trunc", "xlogy", "ldexp", "gcd", "lcm",  # the last four: math_binary
]
_NO_TOP_LEVEL = ("erfinv", "lgamma", "digamma", "frexp")  # Tensor methods only, in torch


_EXAMPLE_ARGS = {"clamp": ("0.5", ", 0, 1"), "clip": ("0.5", ", 0, 1"),
                 "clamp_min": ("0.5", ", 0"), "clamp_max": ("0.5", ", 1"),
                 "xlogy": ("0.5", ", t"), "ldexp": ("0.5", ", torch.tensor([1])"),
                 "gcd": ("4", ", torch.tensor([6])"), "lcm": ("4", ", torch.tensor([6])")}


def _top_level_inplace(name: str) -> Callable[..., Tensor]:
    method = name + "_"

    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        _check_tensor(input, method)
        return getattr(input, method)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = method
    value, args = _EXAMPLE_ARGS.get(name, ("0.5", ""))
    fn.__doc__ = (f"In-place ``{name}``: ``torch.{method}(t, ...)`` is ``t.{method}(...)``.\n\n"
                  f"    >>> t = torch.tensor([{value}])\n    >>> torch.{method}(t{args}) is t\n"
                  "    True\n")
    return fn


for _name in _TOP_LEVEL_INPLACE:
    if _name not in _NO_TOP_LEVEL:
        globals()[_name + "_"] = _top_level_inplace(_name)
        __all__.append(_name + "_")

BOUND_METHODS = {"polygamma": _polygamma_method, "polygamma_": _polygamma_inplace}

