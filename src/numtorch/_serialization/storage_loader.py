"""Loading storages named by persistent ids, and placing them where ``map_location`` says.

numtorch computes on the CPU only, so every storage must end up on the CPU: a location (from
the file, or from ``map_location``) naming CUDA fails with the error CPU-only torch raises, and
``map_location='cpu'`` maps anything onto the CPU.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from .._size import CPU, device
from .names import StorageType

_CUDA_UNAVAILABLE = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
    "If you are running on a CPU-only machine, please use torch.load with "
    "map_location=torch.device('cpu') to map your storages to the CPU.")

MapLocation = Callable[[Any, str], Any] | device | str | dict[str, str] | None


class UntypedStorage:
    """The bytes of one saved storage, as a ``map_location`` callable receives them."""

    device = CPU

    def __init__(self, data: np.ndarray) -> None:
        self._data = data  # flat uint8

    def nbytes(self) -> int:
        return self._data.nbytes

    size = nbytes

    def cpu(self) -> UntypedStorage:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> UntypedStorage:
        raise AssertionError("Torch not compiled with CUDA enabled")


def restore_location(data: np.ndarray, location: str, map_location: MapLocation) -> np.ndarray:
    """``data`` (a storage saved at ``location``) after applying ``map_location``."""
    if callable(map_location):
        moved = map_location(UntypedStorage(data), location)
        if moved is not None:  # None asks for the default: the location in the file
            if not isinstance(moved, UntypedStorage):
                raise TypeError("a map_location callable must return the storage it was given "
                                f"(or None), not {type(moved).__name__}")
            return moved._data
        target: Any = location
    elif map_location is None:
        target = location
    elif isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, str) or isinstance(getattr(map_location, "type", None), str):
        target = map_location  # a numtorch device, or torch's: both print as 'cpu', 'cuda:0'
    else:
        raise ValueError("map_location should be either None, a string, a device, a dict or "
                         f"a callable, not {type(map_location).__name__}")
    _check_cpu(str(target))
    return data


def _check_cpu(location: str) -> None:
    kind = location.partition(":")[0]
    if kind == "cpu":
        return
    if kind == "cuda":
        raise RuntimeError(_CUDA_UNAVAILABLE)
    raise RuntimeError(f"numtorch keeps tensors on the CPU and cannot restore a storage on "
                       f"'{location}'; pass map_location='cpu' to load it on the CPU")


class StorageLoader:
    """The ``persistent_load`` of an unpickler: turns ``('storage', type, key, location,
    numel[, view])`` into a typed flat ndarray. One buffer per key, so tensors that viewed
    one storage when saved share memory again, as in torch."""

    def __init__(self, fetch: Callable[[str, int], np.ndarray], map_location: MapLocation,
                 byteorder: str = sys.byteorder) -> None:
        self._fetch = fetch  # (key, nbytes) -> flat uint8 buffer
        self._map_location = map_location
        self._swap = byteorder != sys.byteorder
        self._buffers: dict[str, np.ndarray] = {}
        self._typed: dict[tuple[str, str], np.ndarray] = {}

    def __call__(self, pid: Any) -> np.ndarray:
        stype, key, location, numel, view = _parse_pid(pid)
        typed = self._typed.get((key, stype.dtype.name))
        if typed is None:
            typed = self._typed[(key, stype.dtype.name)] = self._load(stype, key, location, numel)
        if view is None:
            return typed
        offset, size = view  # pre-1.0 files: a storage that views part of another
        if offset < 0 or size < 0 or offset + size > typed.size:
            raise RuntimeError(f"storage view [{offset}, {offset + size}) is out of bounds for a "
                               f"storage of {typed.size} elements")
        return typed[offset:offset + size]

    def storages(self) -> dict[str, np.ndarray]:
        """The typed storages loaded so far, by key."""
        return {key: typed for (key, _), typed in self._typed.items()}

    def _load(self, stype: StorageType, key: str, location: str, numel: int) -> np.ndarray:
        dt = stype.dtype.np
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._fetch(key, numel * dt.itemsize)
            buffer = self._buffers[key] = restore_location(buffer, location, self._map_location)
        if buffer.nbytes < numel * dt.itemsize:
            raise RuntimeError(f"storage {key} holds {buffer.nbytes} bytes, too few for "
                               f"{numel} elements of {stype.dtype}")
        typed = buffer[:numel * dt.itemsize].view(dt)
        if self._swap:
            typed.byteswap(inplace=True)  # the file was written on a machine of the other order
        return typed


def _parse_pid(pid: Any) -> tuple[StorageType, str, str, int, tuple[int, int] | None]:
    """Check a persistent id's shape: it comes from the file, so trust nothing in it."""
    if not (isinstance(pid, tuple) and len(pid) in (5, 6) and pid[0] == "storage"):
        raise pickle.UnpicklingError(f"unsupported persistent id: {pid!r}")
    stype, key, location, numel = pid[1:5]
    view = pid[5] if len(pid) == 6 else None
    if not (isinstance(stype, StorageType) and isinstance(key, str)
            and isinstance(location, str) and type(numel) is int and numel >= 0):
        raise pickle.UnpicklingError(f"malformed storage id: {pid!r}")
    if view is not None:
        if not (isinstance(view, tuple) and len(view) == 3
                and all(type(v) is int for v in view[1:])):
            raise pickle.UnpicklingError(f"malformed storage view: {view!r}")
        view = view[1:]
    return stype, key, location, numel, view
