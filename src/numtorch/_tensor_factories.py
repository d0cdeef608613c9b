"""Constructors reached through the Tensor class: ``t.to()``'s arguments, ``t.new_*()``,
and the legacy ``torch.Tensor(...)`` / ``torch.FloatTensor(...)`` constructors."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import _dtype
from ._creation import (
    COPY_WARNING,
    check_fill,
    check_shape,
    fill_scalar,
    filled,
    finish,
    is_int,
    memory_of,
    parse_size,
    resolve_dtype,
    size_ints,
    type_name,
)
from ._data import data_to_array, sequence_like
from ._size import Size, check_device
from ._size import device as _Device
from ._tensor import Tensor

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


def to_args(args: tuple, kwargs: dict) -> tuple[_dtype.dtype | None, bool]:
    """The dtype and ``copy`` flag of ``Tensor.to``'s three overloads: ``(device, dtype)``,
    ``(dtype)`` and ``(tensor)``, each followed by ``non_blocking`` and ``copy``."""
    opts = {"dtype": None, "device": None, "non_blocking": False, "copy": False,
            "memory_format": None}
    if kwargs.keys() - opts.keys():
        raise TypeError(_to_overloads(args, kwargs))
    opts.update(kwargs)
    rest = list(args)
    if rest:
        first = rest.pop(0)
        if isinstance(first, Tensor):
            opts["dtype"] = first.dtype
        elif isinstance(first, _dtype.dtype) or first in (float, int, bool):
            opts["dtype"] = first
        elif first is None or isinstance(first, (str, int, _Device)):
            opts["device"] = first
            if rest and (isinstance(rest[0], _dtype.dtype) or rest[0] in (float, int, bool)):
                opts["dtype"] = rest.pop(0)
        else:
            raise TypeError(_to_overloads(args, kwargs))
    if len(rest) > 2:
        raise TypeError(_to_overloads(args, kwargs))
    opts.update(zip(("non_blocking", "copy"), rest))
    if opts["dtype"] is not None and not isinstance(opts["dtype"], _dtype.dtype) and (
            opts["dtype"] not in (float, int, bool)):
        raise TypeError(_to_overloads(args, kwargs))
    check_device(opts["device"])
    return resolve_dtype(opts["dtype"], "to"), bool(opts["copy"])


def _to_overloads(args: tuple, kwargs: dict) -> str:
    got = [type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in kwargs.items()]
    text = ", ".join(got) + (", " if kwargs and not args else "")
    tail = ("bool non_blocking = False, bool copy = False, *, torch.memory_format "
            "memory_format = None)")
    return (f"to() received an invalid combination of arguments - got ({text}), but expected one "
            f"of:\n * (torch.device device = None, torch.dtype dtype = None, {tail}\n"
            f" * (torch.dtype dtype, {tail}\n * (Tensor tensor, {tail}\n")


# -- tensor.new_*: factories that default to another tensor's dtype ---------------------------
def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False, layout: Any = None,
               pin_memory: bool = False) -> Tensor:
    """``self.new_tensor(data)``: a copy of ``data`` with ``self``'s dtype unless told."""
    if isinstance(data, Tensor):
        warnings.warn(COPY_WARNING.format("tensor.new_tensor"), UserWarning, stacklevel=3)
    target = resolve_dtype(dtype, "new_tensor") or self.dtype
    arr = data_to_array(data, target)
    if np.may_share_memory(arr, memory_of(data)):
        arr = arr.copy(order="K")
    return finish(arr, requires_grad, device)


def new_filled(self: Tensor, fname: str, fill: Any, size: tuple, kwargs: dict) -> Tensor:
    """``self.new_zeros/new_ones/new_empty/new_full``: ``self``'s dtype unless told."""
    dtype = resolve_dtype(kwargs.pop("dtype", None), fname) or self.dtype
    device = kwargs.pop("device", None)
    requires_grad = kwargs.pop("requires_grad", False)
    for ignored in ("layout", "pin_memory", "memory_format"):
        kwargs.pop(ignored, None)
    if fname == "new_full":
        if not isinstance(size[0], (tuple, list)):
            raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, "
                            f"not {type_name(size[0])}")
        fill = fill_scalar(fill, fname)
        check_fill(fill, dtype)
    shape = check_shape(parse_size(size, kwargs.pop("size", None), fname), fname)
    if kwargs:
        raise TypeError(f"{fname}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return finish(filled(shape, fill, dtype.np), requires_grad, device)


# -- the legacy constructors: torch.Tensor(...), torch.FloatTensor(...) ------------------------
def legacy_new(cls: type, args: tuple, kwargs: dict, dtype: _dtype.dtype | None = None) -> Any:
    """``torch.Tensor(2, 3)`` (sizes, uninitialised) or ``torch.Tensor([1, 2])`` (data, copied
    as the default float dtype); ``torch.Tensor(t)`` aliases ``t``."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(_new_overloads(args, kwargs))
    check_device(device)
    target = dtype or _dtype.get_default_dtype()
    if not args:
        return Tensor._make(np.empty(0, dtype=target.np))
    if len(args) == 1 and isinstance(args[0], Tensor):
        return _legacy_alias(cls, args[0], dtype)
    if len(args) == 1 and not is_int(args[0]) and not isinstance(args[0], Size):
        data = args[0]
        if not sequence_like(data) and not isinstance(data, str):
            raise TypeError(f"new(): data must be a sequence (got {type_name(data)})")
        arr = data_to_array(data, target)
    else:
        shape = args[0] if len(args) == 1 and isinstance(args[0], Size) else args
        arr = np.zeros(check_shape(size_ints(shape, "new", 1), "new"), dtype=target.np)
    t = Tensor._make(arr)
    if cls is not Tensor:
        t.__class__ = cls
    return t


_CPP_TYPES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool"}


def _options(dtype: _dtype.dtype) -> str:
    return (f"TensorOptions(dtype={_CPP_TYPES[dtype.name]}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


def _new_overloads(args: tuple, kwargs: dict) -> str:
    got = [type_name(a) for a in args] + [
        f"{k}={'torch.dtype' if isinstance(v, _dtype.dtype) else type_name(v)}"
        for k, v in kwargs.items()]
    return (f"new() received an invalid combination of arguments - got ({', '.join(got)}), but "
            "expected one of:\n * (*, torch.device device = None)\n      didn't match because "
            "some of the keywords were incorrect: " + ", ".join(kwargs) + "\n"
            " * (torch.Storage storage)\n * (Tensor other)\n"
            " * (tuple of ints size, *, torch.device device = None)\n"
            " * (object data, *, torch.device device = None)\n")


def _legacy_alias(cls: type, source: Tensor, dtype: _dtype.dtype | None) -> Tensor:
    if dtype is not None and source.dtype is not dtype:
        raise TypeError(f"expected {_options(dtype)} (got {_options(source.dtype)})")
    t = source.detach()
    if cls is not Tensor:
        t.__class__ = cls
    return t


class _LegacyTensorType(type):
    """``torch.FloatTensor`` and friends: constructors of one dtype, and ``isinstance`` checks
    for it (``isinstance(x, torch.FloatTensor)`` is true for float32 tensors)."""

    dtype: _dtype.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __call__(cls, *args: Any, **kwargs: Any) -> Tensor:
        return legacy_new(Tensor, args, kwargs, cls.dtype)

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_type(name: str, dtype: _dtype.dtype) -> type:
    return _LegacyTensorType(name, (), {"dtype": dtype, "__module__": "numtorch"})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool_)
LEGACY_TYPES = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
                "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]
