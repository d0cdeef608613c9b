"""torch's pre-1.6 checkpoint format (``_use_new_zipfile_serialization=False``).

One stream of five pickles and then raw storages: a magic number, the protocol version
(1001), a dict describing the writer (byte order, C type sizes), the object itself (storages
as persistent ids ``('storage', type, key, location, numel, view)``), and the list of storage
keys; then, for each key in that order, its element count as an 8-byte integer followed by its
bytes. The storages come after the object, so loading allocates them while unpickling and
fills them in afterwards.
"""

from __future__ import annotations

import pickle
import struct
import sys
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from .storage_loader import MapLocation, StorageLoader
from .storages import StorageEntry

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
_COUNT = struct.Struct("=q")  # the writer's native order, which sys_info records

Unpickle = Callable[[IO[bytes], Callable[[Any], Any]], Any]


def write_legacy(out: IO[bytes], data_pkl: bytes, storages: list[StorageEntry],
                 protocol: int) -> None:
    """Write a legacy checkpoint whose object pickle is ``data_pkl``."""
    sys_info = {"protocol_version": PROTOCOL_VERSION,
                "little_endian": sys.byteorder == "little",
                "type_sizes": {"short": 2, "int": 4, "long": 4}}
    for header in (MAGIC_NUMBER, PROTOCOL_VERSION, sys_info):
        pickle.dump(header, out, protocol=protocol)
    out.write(data_pkl)
    pickle.dump([entry.key for entry in storages], out, protocol=protocol)
    for entry in storages:
        out.write(_COUNT.pack(entry.numel))
        out.write(entry.payload.data)


def load_legacy(fh: IO[bytes], map_location: MapLocation, unpickle: Unpickle) -> Any:
    """Read a legacy checkpoint; ``unpickle(file, persistent_load)`` reads one pickle."""
    if _header(fh, unpickle) != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = _header(fh, unpickle)
    if version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = _header(fh, unpickle)
    little = sys_info.get("little_endian", True) if isinstance(sys_info, dict) else True
    loader = StorageLoader(lambda key, nbytes: np.empty(nbytes, np.uint8), map_location)
    result = unpickle(fh, loader)
    keys = _header(fh, unpickle)
    typed = loader.storages()
    for key in keys if isinstance(keys, list) else ():
        _fill(fh, key, typed)
    if little != (sys.byteorder == "little"):
        for storage in typed.values():
            storage.byteswap(inplace=True)
    return result


def _header(fh: IO[bytes], unpickle: Unpickle) -> Any:
    return unpickle(fh, _no_storages)


def _no_storages(pid: Any) -> Any:
    raise pickle.UnpicklingError("a storage id outside the object pickle")


def _fill(fh: IO[bytes], key: Any, typed: dict[str, np.ndarray]) -> None:
    """Read storage ``key``'s count and bytes into the array unpickling allocated for it."""
    if key not in typed:
        raise RuntimeError(f"the file stores data for unknown storage {key!r}")
    storage = typed[key]
    count = _COUNT.unpack(_read(fh, _COUNT.size))[0]
    if count != storage.size:
        raise RuntimeError(f"storage {key} has {count} elements in the file, expected "
                           f"{storage.size}")
    storage.view(np.uint8)[:] = np.frombuffer(_read(fh, storage.nbytes), np.uint8)


def _read(fh: IO[bytes], n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise RuntimeError("unexpected end of file in a legacy checkpoint")
    return data
