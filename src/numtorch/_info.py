"""Numeric facts about dtypes: ``torch.finfo``, ``torch.iinfo`` and the math constants.

The values come from NumPy's ``finfo``/``iinfo`` of the dtype's NumPy type (the same IEEE and
two's-complement numbers torch reports), kept as Python floats and ints as torch gives them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _dtype

__all__ = ["finfo", "iinfo", "e", "pi", "inf", "nan", "newaxis"]

e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
newaxis = None  # torch.newaxis, as NumPy's: ``x[:, torch.newaxis]``
_MISSING = object()


def _dtype_argument(name: str, type: Any) -> _dtype.dtype:
    if not isinstance(type, _dtype.dtype):
        raise TypeError(f"{name}(): argument 'type' (position 1) must be torch.dtype, not "
                        f"{type.__class__.__name__}")
    return type


class _Info:
    """Read-only attributes set once, equal when they describe the same dtype (unhashable,
    as torch's)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"attribute '{name}' of 'torch.{type(self).__name__}' objects is "
                             "not writable")

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.dtype == self.dtype

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n):g}" for n in self._shown)
        return f"{type(self).__name__}({fields}, dtype={self.dtype})"


class finfo(_Info):  # noqa: N801 - torch's name
    """Machine limits of a floating point dtype (the default float dtype when none is given).

    Attributes: ``bits``, ``eps`` (the gap between 1 and the next number), ``max``, ``min``,
    ``tiny`` and ``smallest_normal`` (the smallest positive normal number), ``resolution``
    (10 ** -decimal digits) and ``dtype`` (its name, a string).

    >>> torch.finfo(torch.float16).eps
    0.0009765625
    """

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    _shown = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, type: Any = _MISSING) -> None:  # noqa: A002 - torch's argument name
        dt = _dtype.get_default_dtype() if type is _MISSING else _dtype_argument("finfo", type)
        if not dt.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        info = np.finfo(dt.np)
        self._set(bits=info.bits, eps=float(info.eps), max=float(info.max),
                  min=float(info.min), tiny=float(info.tiny),
                  smallest_normal=float(info.smallest_normal),
                  resolution=10.0 ** -info.precision, dtype=dt.name)


class iinfo(_Info):  # noqa: N801 - torch's name
    """Machine limits of an integer dtype: ``bits``, ``max``, ``min`` and ``dtype`` (its name).

    >>> torch.iinfo(torch.int8).max
    127
    """

    __slots__ = ("bits", "max", "min", "dtype")
    _shown = ("min", "max")

    def __init__(self, type: Any = _MISSING) -> None:  # noqa: A002 - torch's argument name
        if type is _MISSING:
            raise TypeError('iinfo() missing 1 required positional arguments: "type"')
        dt = _dtype_argument("iinfo", type)
        if dt is _dtype.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dt.is_floating_point:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo "
                            "to handle 'torch.iinfo'")
        info = np.iinfo(dt.np)
        self._set(bits=info.bits, max=int(info.max), min=int(info.min), dtype=dt.name)

