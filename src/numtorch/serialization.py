"""``numtorch.save`` and ``numtorch.load``, in PyTorch's own checkpoint format.

A file written by ``numtorch.save`` loads with ``torch.load`` (``weights_only=True`` included),
and ``numtorch.load`` reads files written by ``torch.save``: the zip format of torch >= 1.6 and
the older non-zip one. Tensors that share memory are written as one storage and share memory
again after loading (NOTE [ Storages ] in ``_serialization/storages.py``).

Loading is weights-only by default, as in torch: only what a checkpoint of tensors and plain
containers needs can be unpickled (NOTE [ Weights-only loading ] in
``_serialization/unpickler.py``). ``weights_only=False`` unpickles anything, so a file can then
run code of its choosing: use it only for files you trust.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from functools import partial
from types import ModuleType
from typing import IO, Any, TypeGuard

from ._serialization import unpickler as _unpickler
from ._serialization.archive import (
    ALIGNMENT,
    ArchiveReader,
    archive_name,
    is_zip,
    write_archive,
    write_atomically,
)
from ._serialization.legacy import load_legacy, write_legacy
from ._serialization.pickler import dumps
from ._serialization.storage_loader import MapLocation, StorageLoader
from ._serialization.storages import StorageEntry

__all__ = ["save", "load", "add_safe_globals", "clear_safe_globals", "get_safe_globals",
           "safe_globals"]

FileLike = str | os.PathLike | IO[bytes]


def save(obj: object, f: FileLike, pickle_module: Any = pickle, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """Save ``obj`` to ``f`` in torch's checkpoint format.

    Args:
        obj: tensors, Parameters, state dicts, and any picklable containers of them.
        f: a path (``str`` or ``os.PathLike``) or a writable binary file object. A path is
            written atomically: into a temporary file beside it, flushed and fsynced, then
            renamed over it, so a failure midway leaves any previous file as it was.
        pickle_module: the standard ``pickle`` module, the only one numtorch can write torch's
            names with.
        pickle_protocol: the pickle protocol of ``data.pkl`` (torch's default, 2).
        _use_new_zipfile_serialization: False writes torch's legacy (pre-1.6) format.
        _disable_byteorder_record: leave out the ``byteorder`` record, as torch does.

    >>> numtorch.save({"weight": numtorch.ones(2, 3)}, "checkpoint.pt")
    """
    legacy = not _use_new_zipfile_serialization
    data_pkl, storages = dumps(obj, pickle_module, pickle_protocol, legacy)
    if legacy:
        write: Callable[[IO[bytes]], None] = partial(
            write_legacy, data_pkl=data_pkl, storages=storages, protocol=pickle_protocol)
    else:
        records = _zip_records(data_pkl, storages, not _disable_byteorder_record)
        name = archive_name(f) if _is_path(f) else "archive"
        write = partial(write_archive, name=name, records=records)
    if _is_path(f):
        write_atomically(f, write)
    elif hasattr(f, "write"):
        write(f)  # type: ignore[arg-type]
    else:
        raise TypeError(f"f must be a path or a writable binary file object, not "
                        f"{type(f).__name__}")


def _zip_records(data_pkl: bytes, storages: list[StorageEntry],
                 byteorder: bool) -> list[tuple[str, Any]]:
    """The records of torch's zip format, in the order torch writes them."""
    records: list[tuple[str, Any]] = [
        ("data.pkl", data_pkl), (".format_version", b"1"),
        (".storage_alignment", str(ALIGNMENT).encode())]
    if byteorder:
        records.append(("byteorder", sys.byteorder.encode()))
    records += [(f"data/{entry.key}", entry.payload) for entry in storages]
    records.append(("version", b"3\n"))
    return records


def load(f: FileLike, map_location: MapLocation = None, pickle_module: ModuleType | None = None,
         *, weights_only: bool | None = None, mmap: bool | None = None,
         **pickle_load_args: Any) -> Any:
    """Load an object saved with ``numtorch.save`` or ``torch.save``.

    Args:
        f: a path, or a readable binary file object.
        map_location: where storages go: ``'cpu'``, a device, a dict from saved locations
            (``'cuda:0'``) to new ones, or ``fn(storage, location)`` returning the storage or
            None. numtorch computes on the CPU, so a storage that would land on CUDA raises
            what CPU-only torch raises; ``map_location='cpu'`` loads a GPU checkpoint.
        pickle_module: the module whose Unpickler reads the file (only without weights_only).
        weights_only: unpickle only tensors, dtypes, sizes and plain containers (True unless
            ``pickle_module`` is given, as in torch). False can run code from the file.
        mmap: map storages from the file (a path) instead of reading them; writes to the
            tensors stay in memory (copy-on-write).
        **pickle_load_args: passed to the Unpickler (``encoding`` defaults to ``'utf-8'``).

    Returns:
        The saved object, with numtorch tensors, Parameters and dtypes in place of torch's.

    >>> state = numtorch.load("checkpoint.pt", map_location="cpu")
    """
    if weights_only is None:
        weights_only = pickle_module is None
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                           "specified")
    pickle_load_args.setdefault("encoding", "utf-8")
    unpickle = partial(_unpickle, weights_only=weights_only, pickle_module=pickle_module,
                       load_args=pickle_load_args)
    path = os.fsdecode(f) if _is_path(f) else None
    if mmap and path is None:
        raise ValueError("f must be a file path in order to use the mmap argument")
    with _open_for_reading(f) as fh:
        if is_zip(fh):
            return _load_zip(ArchiveReader(fh, path), map_location, unpickle, bool(mmap))
        if mmap:
            raise RuntimeError("mmap can only be used with files saved in the zip format "
                               "(torch.save with _use_new_zipfile_serialization=True)")
        return load_legacy(fh, map_location, unpickle)


def _load_zip(reader: ArchiveReader, map_location: MapLocation,
              unpickle: Callable[[IO[bytes], Callable[[Any], Any]], Any], mmap: bool) -> Any:
    # files older than the byteorder record were written in the loading machine's order
    byteorder = reader.read("byteorder").decode() if reader.has("byteorder") else sys.byteorder
    loader = StorageLoader(partial(_fetch_storage, reader, mmap), map_location, byteorder)
    return unpickle(io.BytesIO(reader.read("data.pkl")), loader)


def _fetch_storage(reader: ArchiveReader, mmap: bool, key: str, nbytes: int) -> Any:
    record = f"data/{key}"
    if reader.size(record) != nbytes:
        raise RuntimeError(f"storage record {record} holds {reader.size(record)} bytes, but "
                           f"data.pkl describes {nbytes}")
    return reader.read_array(record, mmap)


def _unpickle(file: IO[bytes], load_storage: Callable[[Any], Any], *, weights_only: bool,
              pickle_module: ModuleType | None, load_args: dict[str, Any]) -> Any:
    return _unpickler.unpickler(file, load_storage, weights_only, pickle_module,
                                load_args).load()


def _is_path(f: object) -> TypeGuard[str | os.PathLike]:
    return isinstance(f, (str, os.PathLike))


@contextlib.contextmanager
def _open_for_reading(f: FileLike) -> Iterator[IO[bytes]]:
    if _is_path(f):
        with open(f, "rb") as fh:
            yield fh
    elif getattr(f, "seekable", lambda: False)():
        yield f  # type: ignore[misc]
    else:  # zipfile needs to seek: buffer a pipe or socket in memory
        yield io.BytesIO(f.read())  # type: ignore[union-attr]


# -- the weights-only allowlist, extended by the user --------------------------------------------

def add_safe_globals(safe_globals: list[Any]) -> None:
    """Allow more globals under ``weights_only=True``: objects (classes, functions), or
    ``(object, "module.name")`` pairs naming the global the file uses for it."""
    for entry in safe_globals:
        obj, dotted = entry if isinstance(entry, tuple) else (
            entry, f"{entry.__module__}.{entry.__qualname__}")
        _unpickler.SAFE_GLOBALS[dotted] = obj


def get_safe_globals() -> list[Any]:
    """The globals added with ``add_safe_globals``."""
    return list(_unpickler.SAFE_GLOBALS.values())


def clear_safe_globals() -> None:
    """Forget the globals added with ``add_safe_globals``."""
    _unpickler.SAFE_GLOBALS.clear()


class safe_globals:
    """``with safe_globals([...]):`` allows those globals for the duration of the block."""

    def __init__(self, safe_globals: list[Any]) -> None:
        self._globals = safe_globals
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> None:
        self._saved = dict(_unpickler.SAFE_GLOBALS)
        add_safe_globals(self._globals)

    def __exit__(self, *exc: object) -> None:
        _unpickler.SAFE_GLOBALS.clear()
        _unpickler.SAFE_GLOBALS.update(self._saved)
