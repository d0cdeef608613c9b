"""Tensor factories: tensor, as_tensor, from_numpy, zeros/ones/full/empty (+ _like), eye.

The ranges (arange, linspace, logspace) live in ``_ranges``; turning Python data into an
array with torch's dtype inference and checks lives in ``_data``; the constructors reached
through a Tensor (``t.to``, ``t.new_*``, ``torch.Tensor(...)``) live in ``_tensor_factories``.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

import numpy as np

from . import _dtype
from ._data import astype, data_to_array, legacy_name, numpy_array, overflows
from ._size import check_device
from ._size import device as _Device
from ._tensor import Tensor
from .autograd.grad_mode import _GradState

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "scalar_tensor", "zeros", "ones",
           "full", "empty", "zeros_like", "ones_like", "full_like", "empty_like", "eye"]

COPY_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
    "or sourceTensor.detach().clone().requires_grad_(True), rather than {}(sourceTensor).")
_ASARRAY_GRAD_WARNING = (
    "torch.asarray: unspecified requires_grad now defaults to obj.requires_grad instead of "
    "False. Pass requires_grad=False explicitly to get the old behavior and silence this "
    "warning.")
_INT_GRAD_ERROR = "Only Tensors of floating point and complex dtype can require gradients"


# -- argument handling shared by every factory ---------------------------------------------
def resolve_dtype(dtype: Any, fname: str) -> _dtype.dtype | None:
    """A ``dtype=`` argument: a torch dtype, or Python's ``float``/``int``/``bool`` as torch
    reads them (``float`` is float64 there, not the default dtype)."""
    if dtype is None or isinstance(dtype, _dtype.dtype):
        return dtype
    python_types = {float: _dtype.float64, int: _dtype.int64, bool: _dtype.bool_}
    if dtype in python_types:
        return python_types[dtype]
    raise TypeError(f"{fname}(): argument 'dtype' must be torch.dtype, not "
                    f"{type(dtype).__name__}")


def parse_size(args: tuple, size: Any, fname: str, position: int = 1) -> tuple[int, ...]:
    """The shape from ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(Size)`` or ``size=``,
    with torch's TypeErrors for anything else."""
    if size is not None:
        if args:
            raise TypeError(f"{fname}() got multiple values for argument 'size'")
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"{fname}(): argument 'size' must be tuple of ints, not "
                            f"{type_name(size)}")
        return size_ints(size, fname, position)
    if not args:
        raise TypeError(f'{fname}() missing 1 required positional arguments: "size"')
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return size_ints(args[0], fname, position)
    if len(args) > 1 and any(isinstance(a, (tuple, list)) for a in args):
        raise TypeError(f"{fname}() takes 1 positional argument but {len(args)} were given")
    if len(args) == 1 and not is_int(args[0]):
        raise TypeError(f"{fname}(): argument 'size' (position {position}) must be tuple of "
                        f"ints, not {type_name(args[0])}")
    return size_ints(args, fname, position)


def size_ints(values: Any, fname: str, position: int) -> tuple[int, ...]:
    """The ints of a size sequence, with torch's errors naming the first bad element."""
    for i, v in enumerate(values):
        if is_int(v) or (isinstance(v, bool) and i > 0):
            continue  # torch's unpacking lets a bool through anywhere but first
        if i == 0:
            raise TypeError(f"{fname}(): argument 'size' (position {position}) must be tuple "
                            f"of ints, but found element of type {type_name(v)} at pos 0")
        raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos "
                        f"{i + 1} with error \"type must be tuple of ints,but got "
                        f"{type_name(v)}\"")
    return tuple(operator.index(v) for v in values)


def is_int(v: Any) -> bool:
    """An int for a size: Python and NumPy ints and one-element integer tensors, not bools."""
    if isinstance(v, bool):
        return False
    if isinstance(v, Tensor):
        return v._data.size == 1 and v._data.dtype.kind in "iu"
    return isinstance(v, (int, np.integer))


def type_name(v: Any) -> str:
    """A value's type as torch's argument errors name it."""
    if isinstance(v, (_dtype.dtype, _Device)):
        return f"torch.{type(v).__name__}"
    t = type(v)
    return t.__name__ if t.__module__ in ("builtins", "numtorch._tensor") else (
        f"{t.__module__}.{t.__name__}")


def check_shape(shape: tuple[int, ...], fname: str) -> tuple[int, ...]:
    """``shape`` itself, after torch's error for a negative size."""
    for s in shape:
        if s < 0:
            if fname == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    return shape


def finish(arr: np.ndarray, requires_grad: bool = False, device: Any = None) -> Tensor:
    """Wrap a freshly made array as a leaf tensor."""
    check_device(device)
    t = Tensor._make(arr)
    if requires_grad:
        if arr.dtype.kind != "f":
            raise RuntimeError(_INT_GRAD_ERROR)
        t._requires_grad = True
    return t


def out_dtype(dtype: _dtype.dtype | None, out: Tensor | None) -> _dtype.dtype | None:
    """The dtype a factory makes: ``dtype=``, else that of ``out=``, else None (its default)."""
    if out is None:
        return dtype
    if dtype is not None and dtype is not out.dtype:
        raise RuntimeError(f"dtype {legacy_name(dtype)} does not match dtype of out parameter "
                           f"({legacy_name(out.dtype)})")
    return out.dtype


def emit(arr: np.ndarray, out: Tensor | None, requires_grad: bool, device: Any, fname: str,
         inputs_require_grad: bool = False) -> Tensor:
    """Return ``arr`` as a new tensor, or write it into ``out`` (resized when needed).

    ``fname`` names the op in torch's out= error: ``aten::zeros`` for factories, plain
    ``normal`` for functions of tensors.
    """
    if out is None:
        return finish(arr, requires_grad, device)
    check_device(device)
    if _GradState.enabled and (out._requires_grad or inputs_require_grad):
        raise RuntimeError(f"{fname}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out._data.shape == arr.shape:
        out._data[...] = arr
    else:
        out._data = arr.astype(out._data.dtype)
    out._bump_version()
    if requires_grad:
        out.requires_grad_(True)
    return out


def default_float(dtype: _dtype.dtype | None) -> np.dtype:
    """The NumPy dtype of ``dtype``, or of the default float dtype when it is None."""
    return (dtype or _dtype.get_default_dtype()).np


# -- from data -------------------------------------------------------------------------------
def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new leaf tensor holding a copy of ``data``: nested lists or tuples of numbers, NumPy
    arrays and scalars (their dtype is kept), or tensors.

    Python ints give int64, floats the default dtype (float32), bools bool; mixed lists
    promote as torch does. ``dtype=`` converts, checking that integers fit.

    >>> torch.tensor([[1., 2.], [3., 4.]])
    tensor([[1., 2.],
            [3., 4.]])
    """
    target = resolve_dtype(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn(COPY_WARNING.format("torch.tensor"), UserWarning, stacklevel=2)
    arr = data_to_array(data, target)
    if np.may_share_memory(arr, memory_of(data)):
        arr = arr.copy(order="K")  # keeps a Fortran-ordered array's strides, as torch does
    return finish(arr, requires_grad, device)


def memory_of(data: Any) -> Any:
    """The array ``data`` holds, to tell whether a result still shares memory with it."""
    if isinstance(data, Tensor):
        return data._data
    return data if isinstance(data, np.ndarray) else np.empty(0)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor``, but shares memory with a Tensor or ndarray when no conversion is
    needed (a tensor of the right dtype is returned as is)."""
    target = resolve_dtype(dtype, "as_tensor")
    check_device(device)
    if isinstance(data, Tensor):
        return data if target is None else data.to(target)
    if isinstance(data, np.ndarray):
        arr = numpy_array(data)
        return Tensor._make(arr if target is None else arr.astype(target.np, copy=False))
    return Tensor._make(data_to_array(data, target, warn_grad=False))


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool | None = None) -> Tensor:
    """``obj`` as a tensor, sharing memory unless ``copy=True`` or a conversion needs one;
    ``copy=False`` raises when sharing is impossible."""
    target = resolve_dtype(dtype, "asarray")
    check_device(device)
    if isinstance(obj, Tensor):
        out = _asarray_tensor(obj, target, copy)
        if requires_grad is None:
            if obj._requires_grad and out is obj:
                warnings.warn(_ASARRAY_GRAD_WARNING, UserWarning, stacklevel=2)
            return out
    elif isinstance(obj, np.ndarray):
        arr = numpy_array(obj)
        if target is not None and target.np != arr.dtype:
            _no_alias(copy, arr.dtype, target)
            arr = arr.astype(target.np)
        out = Tensor._make(arr.copy() if copy else arr)
    else:
        if copy is False:
            if isinstance(obj, np.generic):
                raise RuntimeError("can't alias NumPy scalars. Either remove copy=False or "
                                   "transform it in a ndarray. ")
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        out = Tensor._make(data_to_array(obj, target, warn_grad=False))
    if requires_grad and out._data.dtype.kind != "f":
        raise RuntimeError(_INT_GRAD_ERROR)
    if requires_grad is not None and requires_grad != out._requires_grad:
        out = out.requires_grad_(True) if requires_grad else out.detach()
    return out


def _asarray_tensor(obj: Tensor, target: _dtype.dtype | None, copy: bool | None) -> Tensor:
    if target is not None and target.np != obj._data.dtype:
        _no_alias(copy, obj._data.dtype, target)
        return obj.to(target)
    return obj.clone() if copy else obj


def _no_alias(copy: bool | None, have: np.dtype, want: _dtype.dtype) -> None:
    if copy is False:
        raise ValueError(f"can't alias tensor with dtype '{legacy_name(have)}' into dtype "
                         f"'{legacy_name(want)}'.")


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` and keeping its dtype.

    >>> torch.from_numpy(np.array([1.5, 2.0]))
    tensor([1.5000, 2.0000], dtype=torch.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type_name(ndarray)})")
    return Tensor._make(numpy_array(ndarray))


def scalar_tensor(s: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
                  requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A 0-d tensor holding ``s`` (the default float dtype unless ``dtype`` says otherwise)."""
    target = default_float(resolve_dtype(dtype, "scalar_tensor"))
    return finish(np.array(s.item() if isinstance(s, Tensor) else s, dtype=target),
                  requires_grad, device)


def number_tensor(value: Any, np_dtype: np.dtype) -> Tensor:
    """``scalar_tensor(value, dtype=...)`` for a Python number and a NumPy dtype, without
    the argument checks: the operand a binary op makes of a number."""
    return Tensor._make(np.array(value, np_dtype))


# -- filled tensors ------------------------------------------------------------------------
def filled(shape: tuple, fill: Any, target: np.dtype) -> np.ndarray:
    """A new array of ``fill`` converted as torch converts a scalar: floats truncate into
    integers, negative ints wrap into unsigned types, doubles reach float16 via float32."""
    with np.errstate(over="ignore"):
        value = astype(np.asarray(fill), target)
    return np.full(shape, value, dtype=target)


def _filled(fname: str, fill: Any, shape: tuple, dtype: Any, out: Tensor | None,
            device: Any, requires_grad: bool) -> Tensor:
    target = out_dtype(resolve_dtype(dtype, fname), out)
    shape = check_shape(shape, fname)
    return emit(filled(shape, fill, default_float(target)), out, requires_grad, device,
                f"aten::{fname}")


def zeros(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
          **kwargs: Any) -> Tensor:
    """A tensor of zeros (the default float dtype unless ``dtype`` is given).

    >>> torch.zeros(2, 3).shape
    torch.Size([2, 3])
    """
    shape = parse_size(size, kwargs.pop("size", None), "zeros")
    return _filled("zeros", 0, shape, dtype, out, device, requires_grad)


def ones(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
         **kwargs: Any) -> Tensor:
    """A tensor of ones (the default float dtype unless ``dtype`` is given)."""
    shape = parse_size(size, kwargs.pop("size", None), "ones")
    return _filled("ones", 1, shape, dtype, out, device, requires_grad)


def empty(*size: Any, out: Tensor | None = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None, **kwargs: Any) -> Tensor:
    """An uninitialised tensor; numtorch fills it with zeros, one valid content."""
    shape = parse_size(size, kwargs.pop("size", None), "empty")
    return _filled("empty", 0, shape, dtype, out, device, requires_grad)


def full(size: Any, fill_value: Any, *, out: Tensor | None = None, dtype: Any = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False,
         pin_memory: bool = False) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value``; without ``dtype`` the dtype
    follows the value: bool, int64, or the default float dtype.

    >>> torch.full((2,), 7)
    tensor([7, 7])
    """
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type_name(size)}")
    value = fill_scalar(fill_value, "full")
    target = out_dtype(resolve_dtype(dtype, "full"), out) or _dtype.scalar_dtype(value)
    check_fill(value, target)
    return _filled("full", value, size_ints(size, "full", 1), target, out, device, requires_grad)


def fill_scalar(value: Any, fname: str) -> Any:
    """A ``fill_value`` as a Python number (0-d tensors and NumPy scalars accepted)."""
    if isinstance(value, Tensor) and value._data.ndim == 0 and not value._requires_grad:
        return value._data.item()
    if isinstance(value, np.bool_):
        return float(value)  # torch reads a NumPy bool as a number, not as a bool
    if isinstance(value, np.generic) and value.dtype.kind in "iuf":
        return value.item()
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"{fname}(): argument 'fill_value' (position 2) must be Number, not "
                    f"{type_name(value)}")


# C++ names torch uses in fill overflow errors
_FILL_TYPE_NAMES = {"int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
                    "uint8": "uint8_t", "float32": "float", "float64": "double"}


def check_fill(value: Any, target: _dtype.dtype) -> None:
    """torch's errors for a fill value that does not fit ``target``."""
    if isinstance(value, int) and not -2**63 <= value < 2**64:
        raise OverflowError("int too big to convert")
    if target.name in _FILL_TYPE_NAMES and overflows(value, target.np):
        raise RuntimeError(f"value cannot be converted to type {_FILL_TYPE_NAMES[target.name]} "
                           "without overflow")


def _like(fname: str, input: Any, fill: Any, dtype: Any, device: Any,
          requires_grad: bool) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type_name(input)}")
    target = resolve_dtype(dtype, fname) or input.dtype
    if fname == "full_like":
        check_fill(fill, target)
    return finish(filled(input._data.shape, fill, target.np), requires_grad, device)


def zeros_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Zeros with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    return _like("zeros_like", input, 0, dtype, device, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Ones with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    return _like("ones_like", input, 1, dtype, device, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """An uninitialised (here: zero) tensor shaped like ``input``."""
    return _like("empty_like", input, 0, dtype, device, requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False,
              memory_format: Any = None) -> Tensor:
    """``fill_value`` in the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    return _like("full_like", input, fill_scalar(fill_value, "full_like"), dtype, device,
                 requires_grad)


def eye(n: int, m: int | None = None, *, out: Tensor | None = None, dtype: Any = None,
        layout: Any = None, device: Any = None, requires_grad: bool = False,
        pin_memory: bool = False) -> Tensor:
    """The ``n`` x ``m`` identity matrix (``m`` defaults to ``n``)."""
    if not is_int(n):
        raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {type_name(n)}")
    if m is not None and not is_int(m):
        rest = ("*, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                "torch.device device = None, bool pin_memory = False, bool requires_grad = "
                "False)\n")
        raise TypeError(f"eye() received an invalid combination of arguments - got "
                        f"({type_name(n)}, {type_name(m)}), but expected one of:\n"
                        f" * (int n, {rest} * (int n, int m, {rest}")
    for name, v in (("n", n), ("m", m)):
        if v is not None and int(v) < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {int(v)}")
    target = out_dtype(resolve_dtype(dtype, "eye"), out)
    arr = np.eye(int(n), int(n if m is None else m), dtype=default_float(target))
    return emit(arr, out, requires_grad, device, "aten::eye")
