"""Tensor: an ndarray plus autograd state. Operations live elsewhere; methods delegate.

The ndarray is ``_data``; views made by shape and indexing ops share it (and the version
counter) with their ``_base``, so writes through a view show in the base as in torch.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from . import _dtype
from ._size import CPU, Size, check_device, device

__all__ = ["Tensor"]

_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If "
    "you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. "
    "See github.com/pytorch/pytorch/pull/30531 for more information.")

_DETACH_VIEW_MESSAGE = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
    "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
    "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
    "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")

# how torch's messages about .grad name dtypes: the C++ type, and the scalar type
_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool"}
_SCALAR_NAME = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}

# float(t) and torch.tensor([t]) on a tensor that requires grad (int(t) and t.item() do not)
GRAD_SCALAR_WARNING = ("Converting a tensor with requires_grad=True to a scalar may lead to "
                       "unexpected behavior.\nConsider using tensor.detach() first.")

_TORCH_TYPE_NAMES = {
    "float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
    "float16": "torch.HalfTensor", "int64": "torch.LongTensor", "int32": "torch.IntTensor",
    "int16": "torch.ShortTensor", "int8": "torch.CharTensor", "uint8": "torch.ByteTensor",
    "bool": "torch.BoolTensor"}
_TYPE_NAME_TO_DTYPE = {v: getattr(_dtype, k if k != "bool" else "bool_")
                       for k, v in _TORCH_TYPE_NAMES.items()}


def _autograd_backward(*args: Any, **kwargs: Any) -> None:
    """``autograd.backward``: numtorch.autograd (which imports this module) puts it here when
    it loads, so ``tensor.backward()`` runs no import statement."""
    from .autograd import backward

    backward(*args, **kwargs)


def _plain_backward(t: Tensor, retain_graph: bool | None) -> None:
    """``t.backward()`` with no gradient: ``autograd.engine.plain_backward`` once the engine
    is loaded (it puts itself here), the general route until then."""
    _autograd_backward(t, None, retain_graph)


_tuple_new = tuple.__new__


class _VersionCounter:
    """Counts in-place writes; shared by a tensor and its views."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class Tensor:
    """A multi-dimensional array that can record operations for automatic differentiation."""

    # class-level defaults keep creation cheap: a tensor sets only what differs
    _requires_grad = False
    grad_fn = None
    _output_nr = 0
    _grad: Tensor | None = None
    _vc: _VersionCounter | None = None
    _base: Tensor | None = None
    _views = None  # a root base's weak list of its views (see _composites._util.as_view)
    _view_creation = None  # how a view was made, when autograd forbids writing into it
    _grad_acc = None
    _backward_hooks: list | None = None
    _post_accumulate_hooks: list | None = None
    _retains_grad = False
    __array_priority__ = 1000  # ndarray op Tensor defers to Tensor's reflected operators

    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Legacy constructor: ``torch.Tensor([1, 2])`` or ``torch.Tensor(2, 3)`` (float)."""
        from ._tensor_factories import legacy_new

        return legacy_new(cls, args, kwargs)

    @staticmethod
    def _make(data: np.ndarray, requires_grad: bool = False, grad_fn: Any = None,
              output_nr: int = 0) -> Tensor:
        t = object.__new__(Tensor)
        t._data = data
        if requires_grad:
            t._requires_grad = True
            t.grad_fn = grad_fn
            t._output_nr = output_nr
        return t

    # -- metadata --------------------------------------------------------------------------
    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype._FROM_NUMPY[self._data.dtype]

    @property
    def shape(self) -> Size:
        return _tuple_new(Size, self._data.shape)  # NumPy's ints: nothing to check

    def size(self, dim: int | None = None) -> Size | int:
        if dim is None:
            return _tuple_new(Size, self._data.shape)  # NumPy's ints: nothing to check
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    @property
    def device(self) -> device:
        return CPU

    is_cuda = False
    is_sparse = False
    is_quantized = False
    is_meta = False
    is_mps = False

    def get_device(self) -> int:
        return -1

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return False

    def is_signed(self) -> bool:
        return self._data.dtype.kind in "if"

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        item = self._data.itemsize
        strides = tuple(s // item for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format: Any = None) -> bool:
        return bool(self._data.flags.c_contiguous)

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0]

    def storage_offset(self) -> int:
        base = self._base._data if self._base is not None else self._data
        return (self.data_ptr() - base.__array_interface__["data"][0]) // self._data.itemsize

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def _version(self) -> int:
        return self._vc.value if self._vc is not None else 0

    def _counter(self) -> _VersionCounter:
        if self._vc is None:
            self._vc = _VersionCounter()
        return self._vc

    def _bump_version(self) -> None:
        self._counter().value += 1

    # -- autograd state --------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        # torch words the two spellings differently; the setter mentions complex dtypes
        self._set_requires_grad(flag, "only Tensors of floating point and complex dtype")

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (only leaves may turn it off); returns self."""
        self._set_requires_grad(requires_grad, "only Tensors of floating point dtype")
        return self

    def _set_requires_grad(self, flag: bool, which: str) -> None:
        if self.grad_fn is not None:
            if flag:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if flag and self._data.dtype.kind != "f":
            raise RuntimeError(f"{which} can require gradients")
        self._requires_grad = bool(flag)

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        """Which output of ``grad_fn`` this tensor is (0 for leaves)."""
        return self._output_nr

    @property
    def grad(self) -> Tensor | None:
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value is self:
                raise RuntimeError("can't assign Variable as its own grad")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{_C_TYPE[value._data.dtype.name]}' to a tensor with grad_dtype "
                    f"'{_SCALAR_NAME[self._data.dtype.name]}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and its "
                    "gradient may break downstream systems that assume they match.")
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def data(self) -> Tensor:
        """The same values, outside autograd: shares memory, not the version counter."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    def detach(self) -> Tensor:
        """A tensor sharing memory (and the version counter) that is cut from the graph."""
        out = Tensor._make(self._data)
        out._vc = self._counter()
        return out

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf without grad."""
        if self._base is not None:
            raise RuntimeError(_DETACH_VIEW_MESSAGE)
        self.grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    def retain_grad(self) -> None:
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            self.grad_fn._retain_grad(self._output_nr, self)
            self._retains_grad = True

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Any:
        """``hook(grad)`` runs when the gradient for this tensor is computed; may replace it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_tensor_hook(self._output_nr, hook)
        from .autograd.graph import _RemovableHandle

        if self._backward_hooks is None:
            self._backward_hooks = []
        self._backward_hooks.append(hook)
        return _RemovableHandle(self._backward_hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> Any:
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        from .autograd.graph import _RemovableHandle

        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
        self._post_accumulate_hooks.append(hook)
        return _RemovableHandle(self._post_accumulate_hooks, hook)

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Any = None) -> None:
        """Accumulate the gradient of this tensor into the leaves' ``.grad``."""
        if gradient is None and inputs is None and not create_graph and self.grad_fn is not None:
            _plain_backward(self, retain_graph)
        else:
            _autograd_backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- conversion to Python and NumPy ------------------------------------------------------
    def item(self) -> Any:
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            which = "more than one value" if self._data.size else "no values"
            raise RuntimeError(f"Boolean value of Tensor with {which} is ambiguous")
        return bool(self._data.item())

    def __float__(self) -> float:
        if self._requires_grad:
            warnings.warn(GRAD_SCALAR_WARNING, UserWarning, stacklevel=2)
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __complex__(self) -> complex:
        if self._requires_grad:
            warnings.warn(GRAD_SCALAR_WARNING, UserWarning, stacklevel=2)
        return complex(self._scalar())

    def __index__(self) -> int:
        if self._data.size != 1 or self._data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.item())

    def _scalar(self) -> Any:
        if self._data.size != 1:  # float(t), int(t): torch's wording differs from item()'s
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.item()

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self._data.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self)

    __str__ = __repr__

    def __hash__(self) -> int:
        return id(self)

    def __reduce_ex__(self, protocol: int) -> Any:
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        out = Tensor._make(self._data.copy())
        out.__class__ = type(self)
        out._requires_grad = self._requires_grad
        if self._grad is not None:
            out._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = out
        return out

    # -- dtype and device conversion ---------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """``to(dtype)``, ``to(device, dtype)``, ``to(other)`` (+ ``non_blocking``, ``copy``).

        Returns ``self`` when nothing changes, unless ``copy=True``.
        """
        if not kwargs and len(args) == 1 and isinstance(args[0], _dtype.dtype):
            dtype, copy = args[0], False  # the common t.to(dtype), without parsing
        else:
            from ._tensor_factories import to_args

            dtype, copy = to_args(args, kwargs)
        if not copy and (dtype is None or dtype.np == self._data.dtype):
            return self
        from ._composites.pointwise import to_dtype

        return to_dtype(self, dtype or self.dtype)

    def type(self, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
        """``type()`` names the legacy type (``'torch.FloatTensor'``); ``type(t)`` converts to
        a dtype, a legacy type or its name."""
        if dtype is None:
            return _TORCH_TYPE_NAMES[self._data.dtype.name]
        if isinstance(dtype, str):
            if dtype not in _TYPE_NAME_TO_DTYPE:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = _TYPE_NAME_TO_DTYPE[dtype]
        elif isinstance(getattr(dtype, "dtype", None), _dtype.dtype):  # torch.FloatTensor...
            dtype = dtype.dtype
        elif not isinstance(dtype, _dtype.dtype):
            name = getattr(dtype, "__name__", str(dtype))
            module = getattr(dtype, "__module__", "builtins")
            if module != "builtins":
                name = f"{module}.{name}"
            raise ValueError(f"invalid type: '{name}'")
        return self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def float(self) -> Tensor:
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        return self.to(_dtype.float64)

    def half(self) -> Tensor:
        return self.to(_dtype.float16)

    def long(self) -> Tensor:
        return self.to(_dtype.int64)

    def int(self) -> Tensor:
        return self.to(_dtype.int32)

    def short(self) -> Tensor:
        return self.to(_dtype.int16)

    def char(self) -> Tensor:
        return self.to(_dtype.int8)

    def byte(self) -> Tensor:
        return self.to(_dtype.uint8)

    def bool(self) -> Tensor:
        return self.to(_dtype.bool_)

    def cpu(self, memory_format: Any = None) -> Tensor:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        check_device("cuda")
        return self  # pragma: no cover - check_device raises

    def contiguous(self, memory_format: Any = None) -> Tensor:
        return self if self._data.flags.c_contiguous else self.clone()

    # -- factories for tensors like this one (dtype defaults to self's) ----------------------
    def new_tensor(self, data: Any, **kwargs: Any) -> Tensor:
        """A new leaf tensor of ``data`` (copied), with this tensor's dtype unless told."""
        from ._tensor_factories import new_tensor

        return new_tensor(self, data, **kwargs)

    def new_zeros(self, *size: Any, **kwargs: Any) -> Tensor:
        from ._tensor_factories import new_filled

        return new_filled(self, "new_zeros", 0, size, kwargs)

    def new_ones(self, *size: Any, **kwargs: Any) -> Tensor:
        from ._tensor_factories import new_filled

        return new_filled(self, "new_ones", 1, size, kwargs)

    def new_empty(self, *size: Any, **kwargs: Any) -> Tensor:
        from ._tensor_factories import new_filled

        return new_filled(self, "new_empty", 0, size, kwargs)

    def new_full(self, size: Any, fill_value: Any, **kwargs: Any) -> Tensor:
        from ._tensor_factories import new_filled

        return new_filled(self, "new_full", fill_value, (size,), kwargs)

    def new(self, *args: Any, **kwargs: Any) -> Tensor:
        """Legacy: ``t.new(2, 3)`` (sizes) or ``t.new(data)``, in this tensor's dtype."""
        from ._tensor_factories import legacy_new

        return legacy_new(Tensor, args, kwargs, self.dtype)


def _wrap_dim(dim: int, ndim: int) -> int:
    """A possibly negative dim as an index, with torch's IndexError when out of range."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim + n if dim < 0 else dim


def _rebuild(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(data)
    t._requires_grad = requires_grad
    return t
