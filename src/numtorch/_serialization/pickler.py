"""A pickler that writes numtorch objects the way torch pickles its own.

A tensor becomes ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
requires_grad, OrderedDict())`` whose storage is a persistent id
``('storage', torch.FloatStorage, key, 'cpu', numel)``; a Parameter wraps that in
``torch._utils._rebuild_parameter``; dtypes, ``Size`` and ``device`` take torch's names.

It extends the pure-Python ``pickle._Pickler`` (as dill does): the C pickler will only write a
GLOBAL it can import back in this process, and ``torch._utils`` is not numtorch. So only the
standard ``pickle`` module can be the ``pickle_module`` of ``save``.
"""

from __future__ import annotations

import io
import pickle
from collections import OrderedDict
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .. import _dtype
from .._size import Size, device
from .._tensor import Tensor
from ..nn.parameter import Parameter
from . import names
from .storages import StorageEntry, StorageTable

_AS_GLOBAL = "torch global"  # reducer_override's "write obj as a GLOBAL" answer (any str works)


class TorchPickler(pickle._Pickler):
    """Writes tensors, dtypes, ``Size`` and ``device`` under torch's names."""

    # pickle._Pickler's own helpers, which typeshed leaves out
    proto: int
    save: Callable[[Any], None]
    write: Callable[[bytes], None]
    memoize: Callable[[Any], None]

    def __init__(self, file: Any, protocol: int, storages: StorageTable, legacy: bool) -> None:
        super().__init__(file, protocol)
        self._storages = storages
        self._legacy = legacy

    def persistent_id(self, obj: Any) -> tuple | None:
        if isinstance(obj, StorageEntry):
            return obj.persistent_id(self._legacy)
        return None

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (names.TorchGlobal, _dtype.dtype)):
            return _AS_GLOBAL
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if isinstance(obj, Size):
            return names.SIZE, (tuple(obj),)
        if isinstance(obj, device):
            return names.DEVICE, (str(obj),)
        return NotImplemented

    def _reduce_tensor(self, t: Tensor) -> tuple:
        if isinstance(t, Parameter):
            # torch pickles the parameter's data as a plain tensor inside _rebuild_parameter
            return names.REBUILD_PARAMETER, (Tensor._make(t._data), t.requires_grad, OrderedDict())
        entry, offset, stride = self._storages.place(t._data)
        # other Tensor subclasses are saved as plain tensors
        args: tuple = (entry, offset, tuple(t._data.shape), stride, t.requires_grad, OrderedDict())
        return names.REBUILD_TENSOR_V2, args

    def save_global(self, obj: Any, name: str | None = None) -> None:
        ref = names.global_name(obj)
        if ref is None:
            super().save_global(obj, name)  # type: ignore[misc]
            return
        module, qualname = ref
        if self.proto >= 4:
            self.save(module)
            self.save(qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{qualname}\n".encode())
        self.memoize(obj)


def dumps(obj: Any, pickle_module: ModuleType | None, protocol: int,
          legacy: bool = False) -> tuple[bytes, list[StorageEntry]]:
    """Pickle ``obj`` as torch's data.pkl; return it with the storages it refers to."""
    if pickle_module is not None and pickle_module is not pickle:
        raise ValueError("numtorch.save writes torch's names with Python's own pickler, so "
                         f"pickle_module must be the standard pickle module, not {pickle_module!r}")
    storages = StorageTable()
    buffer = io.BytesIO()
    TorchPickler(buffer, protocol, storages, legacy).dump(obj)
    return buffer.getvalue(), storages.entries
