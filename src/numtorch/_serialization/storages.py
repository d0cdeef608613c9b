"""Which tensors share memory, so that each shared buffer is written once, as one storage.

NOTE [ Storages ]
torch writes each storage (the whole buffer behind a tensor) once, and each tensor as
(storage, offset, size, stride), so loading restores the sharing between a view and its base.
numtorch has no storage object: a tensor is an ndarray, and tensors share memory when their
ndarrays view one buffer. The storage of an ndarray is its *root*: follow ``.base`` up through
ndarrays (and NumPy's stride-trick wrappers) to the last ndarray, the one that owns the memory or
wraps a foreign buffer such as an mmap. The root's byte span is the storage, and an ndarray's
offset and strides are counted in elements from the start of that span. As in torch, saving a
small view of a big tensor writes the big tensor's whole buffer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _dtype
from . import names


@dataclass
class StorageEntry:
    """One storage to write: its key (the record ``data/<key>``), element type and bytes."""

    key: str
    dtype: _dtype.dtype
    numel: int
    payload: np.ndarray  # uint8, exactly numel * itemsize bytes

    def persistent_id(self, legacy: bool = False) -> tuple:
        """How data.pkl refers to this storage, as torch writes it."""
        pid = ("storage", names.storage_global(self.dtype), self.key, "cpu", self.numel)
        return pid + (None,) if legacy else pid  # legacy ids end with a view slot


class StorageTable:
    """The storages met while pickling, in first-seen order (which numbers their keys)."""

    def __init__(self) -> None:
        self.entries: list[StorageEntry] = []
        self._by_root: dict[int, tuple[StorageEntry, int]] = {}  # id(root) -> (entry, start)

    def place(self, arr: np.ndarray) -> tuple[StorageEntry, int, tuple[int, ...]]:
        """The storage holding ``arr``, with arr's offset and strides in elements of it."""
        root = root_array(arr)
        found = self._by_root.get(id(root))
        if found is None:
            start, end = byte_span(root)
            found = self._add(root, start, end, arr.dtype)
        entry, start = found
        if entry.dtype.np != arr.dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data "
                               "as different types")
        layout = _element_layout(arr, start, entry.numel)
        if layout is None:  # not whole elements into the span: a storage of its own
            copy = np.ascontiguousarray(arr)
            entry = self._add(copy, *byte_span(copy), copy.dtype)[0]
            layout = _element_layout(copy, address(copy), entry.numel)
        assert layout is not None
        return (entry, *layout)

    def _add(self, root: np.ndarray, start: int, end: int,
             dtype: np.dtype) -> tuple[StorageEntry, int]:
        numel = (end - start) // dtype.itemsize
        payload = _bytes_at(root, start, numel * dtype.itemsize)
        entry = StorageEntry(str(len(self.entries)), _dtype.from_numpy_dtype(dtype), numel,
                             payload)
        self.entries.append(entry)
        self._by_root[id(root)] = (entry, start)  # the payload keeps root alive: ids stay unique
        return entry, start


def root_array(arr: np.ndarray) -> np.ndarray:
    """The last ndarray up arr's ``.base`` chain (see NOTE [ Storages ])."""
    root, obj = arr, arr.base
    # as_strided's result hangs off a non-ndarray wrapper whose .base is the real array
    while obj is not None and (isinstance(obj, np.ndarray) or hasattr(obj, "__array_interface__")):
        if isinstance(obj, np.ndarray):
            root = obj
        obj = getattr(obj, "base", None)
    return root


def address(arr: np.ndarray) -> int:
    return arr.__array_interface__["data"][0]


def byte_span(arr: np.ndarray) -> tuple[int, int]:
    """The addresses ``[start, end)`` of the memory arr's elements occupy."""
    start = end = address(arr)
    if arr.size == 0:
        return start, end
    for n, step in zip(arr.shape, arr.strides):
        if step < 0:
            start += (n - 1) * step
        else:
            end += (n - 1) * step
    return start, end + arr.itemsize


def _element_layout(arr: np.ndarray, start: int,
                    numel: int) -> tuple[int, tuple[int, ...]] | None:
    """arr's storage offset and strides in elements from ``start``, or None if they are not
    whole elements (or negative, which torch has no way to express)."""
    item = arr.itemsize
    offset, rem = divmod(address(arr) - start, item)
    if rem or offset < 0 or (arr.size and any(s < 0 or s % item for s in arr.strides)):
        return None
    if arr.size == 0:  # any strides fit no elements; torch writes the contiguous ones
        return offset, _contiguous_strides(arr.shape)
    strides = tuple(s // item for s in arr.strides)
    if offset + sum((n - 1) * s for n, s in zip(arr.shape, strides)) >= numel:
        return None
    return offset, strides


def _contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


class _Span:
    """``nbytes`` of memory at ``start`` presented to NumPy as a flat uint8 array. It holds
    the array owning that memory, so the memory lives as long as the bytes view does."""

    def __init__(self, owner: np.ndarray, start: int, nbytes: int) -> None:
        self.owner = owner
        self.__array_interface__ = {"data": (start, True), "shape": (nbytes,),
                                    "typestr": "|u1", "version": 3}


def _bytes_at(root: np.ndarray, start: int, nbytes: int) -> np.ndarray:
    # the span may include bytes between strided elements, so no view *of root* covers it
    return np.asarray(_Span(root, start, nbytes))
