"""Unpicklers for torch checkpoints, and the functions that rebuild tensors from them.

NOTE [ Weights-only loading ]
Unpickling calls whatever callables the file names, so an untrusted checkpoint could run any
code. With ``weights_only=True`` (the default, as in torch) ``find_class`` hands out only the
globals a checkpoint of tensors and plain containers needs and refuses everything else before
importing it. Every way a pickle names a global (GLOBAL, STACK_GLOBAL, INST, EXT*) goes through
``find_class``, so nothing else in a file can reach code. The allowlist follows torch's default
one: the tensor and parameter rebuild functions, storage classes, dtypes, ``torch.Size``,
``torch.device``, ``collections.OrderedDict`` and ``Counter``, the builtins ``set``, ``complex``
and ``bytearray``, and ``_codecs.encode`` (how protocol 2 pickles bytes).

Two more guards. BUILD sets attributes on whatever object is on the stack, which could be an
allowed class or a shared object such as ``numtorch.float32``: a hostile file could rewrite them
for the whole process. So weights-only loading uses the pure-Python unpickler, whose BUILD can
be intercepted, and allows it only on OrderedDicts, Counters, tensors and instances of classes
added with ``add_safe_globals`` (as torch does). And the rebuild functions check their
arguments, so that no tensor can read outside its storage.
"""

from __future__ import annotations

import collections
import importlib
import operator
import pickle
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import IO, Any, ClassVar

import numpy as np

from .._size import Size, device
from .._tensor import Tensor
from ..nn.parameter import Parameter
from . import names

WEIGHTS_ONLY_FAILED = (
    "Weights only load failed. Re-running `numtorch.load` with `weights_only` set to `False` "
    "will likely succeed, but it can result in arbitrary code execution. Do it only if you got "
    "the file from a trusted source.")


# -- rebuild functions (what torch._utils._rebuild_* resolve to) -----------------------------

def rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any,
                      requires_grad: Any, backward_hooks: Any, metadata: Any = None) -> Tensor:
    """A tensor viewing ``storage``; backward hooks and metadata are not restored."""
    t = Tensor._make(strided_view(storage, storage_offset, size, stride))
    if requires_grad:
        t.requires_grad_(True)
    return t


def rebuild_tensor(storage: Any, storage_offset: Any, size: Any, stride: Any) -> Tensor:
    return rebuild_tensor_v2(storage, storage_offset, size, stride, False, None)


def rebuild_parameter(data: Any, requires_grad: Any, backward_hooks: Any) -> Parameter:
    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError("_rebuild_parameter expects a tensor")
    return Parameter(data, bool(requires_grad))


def rebuild_parameter_with_state(data: Any, requires_grad: Any, backward_hooks: Any,
                                 state: Any) -> Parameter:
    param = rebuild_parameter(data, requires_grad, backward_hooks)
    _set_state(param, state)
    return param


def rebuild_from_type_v2(func: Any, new_type: Any, args: Any, state: Any) -> Tensor:
    """A tensor rebuilt by ``func(*args)``, made a ``new_type``, with attributes ``state``."""
    if new_type not in (Tensor, Parameter) or not isinstance(args, tuple):
        raise pickle.UnpicklingError(f"numtorch cannot rebuild a tensor of type {new_type!r}")
    out = func(*args)
    if not isinstance(out, Tensor):
        raise pickle.UnpicklingError("_rebuild_from_type_v2 expects a tensor rebuild function")
    if new_type is Parameter and not isinstance(out, Parameter):
        out = Parameter(out, out.requires_grad)
    _set_state(out, state)
    return out


def _set_state(obj: Tensor, state: Any) -> None:
    """Restore user attributes saved with a tensor; numtorch's own attributes stay unreachable."""
    if not state:
        return
    if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
        raise pickle.UnpicklingError(f"unsupported tensor state: {state!r}")
    for key, value in state.items():
        if key in vars(obj) or hasattr(Tensor, key):
            raise pickle.UnpicklingError(f"tensor state may not set numtorch's attribute {key!r}")
        setattr(obj, key, value)


def strided_view(storage: Any, offset: Any, size: Any, stride: Any) -> np.ndarray:
    """An ndarray over ``storage`` (a flat typed array) with torch's geometry, in elements."""
    if not isinstance(storage, np.ndarray) or storage.ndim != 1:
        raise pickle.UnpicklingError("a tensor's storage must come from a persistent id")
    offset, size, stride = operator.index(offset), _ints(size), _ints(stride)
    if len(size) != len(stride) or offset < 0 or min(size + stride, default=0) < 0:
        raise RuntimeError(f"invalid tensor geometry: size {list(size)}, stride {list(stride)}, "
                           f"storage offset {offset}")
    empty = 0 in size
    needed = 0 if empty else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    item = storage.itemsize
    if needed > storage.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {item} requiring a storage size of {needed * item} are out of bounds "
            f"for storage of size {storage.nbytes}")
    arr = np.ndarray(size, storage.dtype, buffer=storage, offset=0 if empty else offset * item,
                     strides=tuple(s * item for s in stride))
    if _overlaps(size, stride):  # numtorch marks memory shared between elements read-only
        arr.flags.writeable = False
    return arr


def _ints(values: Any) -> tuple[int, ...]:
    if not isinstance(values, (tuple, list)):
        raise pickle.UnpicklingError(f"expected a tuple of ints, got {type(values).__name__}")
    return tuple(operator.index(v) for v in values)


def _overlaps(size: tuple[int, ...], stride: tuple[int, ...]) -> bool:
    """Whether two elements may share memory: going from the smallest stride up, each stride
    must step past everything the smaller dims reach."""
    reach = 1
    for step, n in sorted((s, n) for n, s in zip(size, stride) if n > 1):
        if step < reach:
            return True
        reach += (n - 1) * step
    return False


def _latin1_encode(text: Any, encoding: Any = "utf-8") -> bytes:
    """``_codecs.encode`` as protocol 2 uses it for bytes, and for nothing else."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("_codecs.encode is allowed only to rebuild bytes")
    return text.encode("latin1")


# -- the allowlist ----------------------------------------------------------------------------

@cache
def allowlist() -> dict[tuple[str, str], Any]:
    """The globals weights_only allows, by (module, name). Built on first use: the legacy
    tensor types come from the finished ``numtorch`` package."""
    import numtorch

    allowed: dict[tuple[str, str], Any] = {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("collections", "Counter"): collections.Counter,
        ("_codecs", "encode"): _latin1_encode,
        ("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor_v2,
        ("torch._utils", "_rebuild_tensor"): rebuild_tensor,
        ("torch._utils", "_rebuild_parameter"): rebuild_parameter,
        ("torch._utils", "_rebuild_parameter_with_state"): rebuild_parameter_with_state,
        ("torch._tensor", "_rebuild_from_type_v2"): rebuild_from_type_v2,
        ("torch", "Size"): Size,
        ("torch", "device"): device,
        ("torch", "Tensor"): Tensor,
        ("torch.nn.parameter", "Parameter"): Parameter,
    }
    for module in ("builtins", "__builtin__"):  # protocol 2 spells builtins the Python 2 way
        allowed.update({(module, f.__name__): f for f in (set, complex, bytearray)})
    allowed.update({("torch", name): dt for name, dt in names.DTYPES.items()})
    allowed.update({("torch", name): st for name, st in names.STORAGE_TYPES.items()})
    for legacy in ("FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
                   "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"):
        allowed[("torch", legacy)] = getattr(numtorch, legacy)
    return allowed


SAFE_GLOBALS: dict[str, Any] = {}  # "module.name" -> object, from serialization.add_safe_globals


def weights_only_global(module: str, name: str) -> Any:
    """``find_class`` under weights_only: allowlisted globals, else UnpicklingError."""
    key = (module, name)
    if key in allowlist():
        return allowlist()[key]
    if f"{module}.{name}" in SAFE_GLOBALS:
        return SAFE_GLOBALS[f"{module}.{name}"]
    _refuse_unsupported(module, name)
    raise pickle.UnpicklingError(
        f"{WEIGHTS_ONLY_FAILED}\n\nUnsupported global: GLOBAL {module}.{name} was not an "
        f"allowed global by default. Please use `numtorch.serialization.add_safe_globals("
        f"[{name}])` or the `numtorch.serialization.safe_globals([{name}])` context manager to "
        "allowlist this global if you trust this class/function.")


def full_global(module: str, name: str, fallback: Callable[[str, str], Any]) -> Any:
    """``find_class`` without weights_only: torch's names map onto numtorch, others import."""
    if (module, name) in allowlist():
        return allowlist()[(module, name)]
    if module != "torch" and not module.startswith("torch."):
        return fallback(module, name)
    _refuse_unsupported(module, name)
    try:  # torch.nn.modules.linear.Linear -> numtorch.nn.modules.linear.Linear
        obj: Any = importlib.import_module("numtorch" + module[len("torch"):])
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise pickle.UnpicklingError(f"numtorch has no counterpart of {module}.{name}") from None
    return obj


def _refuse_unsupported(module: str, name: str) -> None:
    """A clear error for torch content that is safe but that numtorch cannot represent."""
    if module == "torch" and name in names.MISSING_DTYPES:
        raise RuntimeError(f"numtorch has no dtype torch.{name}, so it cannot load this file")
    if module == "torch" and name in names.MISSING_STORAGES:
        raise RuntimeError(f"numtorch cannot load torch.{name}: it has no such element type")
    if module == "torch._utils" and name in names.UNSUPPORTED_REBUILDS:
        raise RuntimeError(f"numtorch cannot load {names.UNSUPPORTED_REBUILDS[name]}")


# -- unpicklers -------------------------------------------------------------------------------

class WeightsUnpickler(pickle._Unpickler):
    """Resolves only allowlisted globals, and builds only plain containers and tensors
    (NOTE [ Weights-only loading ])."""

    stack: list[Any]  # pickle._Unpickler's own, which typeshed leaves out

    def __init__(self, file: IO[bytes], load_storage: Callable[[Any], Any],
                 **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self._load_storage = load_storage

    def persistent_load(self, pid: Any) -> Any:
        return self._load_storage(pid)

    def find_class(self, module: str, name: str) -> Any:
        return weights_only_global(module, name)

    def load_build(self) -> None:
        target, state = self.stack[-2], self.stack[-1]
        if isinstance(target, Tensor):
            self.stack.pop()
            _set_state(target, state)
        elif type(target) in (collections.OrderedDict, collections.Counter) or any(
                type(target) is cls for cls in SAFE_GLOBALS.values()):
            super().load_build()  # type: ignore[misc]
        else:
            raise pickle.UnpicklingError(
                f"{WEIGHTS_ONLY_FAILED}\n\nCan only build Tensor, Parameter, OrderedDict or "
                f"types allowlisted via `add_safe_globals`, but got {type(target)}")

    # the opcode table with BUILD replaced by the guarded one above
    dispatch: ClassVar[dict[int, Callable[[Any], None]]] = {
        **pickle._Unpickler.dispatch, pickle.BUILD[0]: load_build}


@cache
def _full_unpickler_class(base: type) -> type:
    class FullUnpickler(base):
        """Resolves any global; torch's names become numtorch's. Can run code from the file."""

        def __init__(self, file: IO[bytes], load_storage: Callable[[Any], Any],
                     **kwargs: Any) -> None:
            super().__init__(file, **kwargs)
            self._load_storage = load_storage

        def persistent_load(self, pid: Any) -> Any:
            return self._load_storage(pid)

        def find_class(self, module: str, name: str) -> Any:
            return full_global(module, name, super().find_class)

    return FullUnpickler


def unpickler(file: IO[bytes], load_storage: Callable[[Any], Any], weights_only: bool,
              pickle_module: ModuleType | None, load_args: dict[str, Any]) -> Any:
    """The unpickler ``load`` reads data.pkl with."""
    if weights_only:
        return WeightsUnpickler(file, load_storage, **load_args)
    cls = _full_unpickler_class((pickle_module or pickle).Unpickler)
    return cls(file, load_storage, **load_args)
