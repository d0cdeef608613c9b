"""The zip container of a torch checkpoint: aligned records, atomic writes, reading back.

torch writes, in this order, ``<name>/data.pkl``, ``.format_version`` (1),
``.storage_alignment`` (64), ``byteorder``, one ``data/<key>`` per storage, ``version`` (3) and
``.data/serialization_id``, all uncompressed. Every record's bytes start at a multiple of 64 in
the file: torch pads each local header with an extra field of id ``FB`` filled with ``Z``, so
that a loader can mmap storages in place. ``<name>`` is the file's stem, or ``archive``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import struct
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any, cast

import numpy as np

ALIGNMENT = 64
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length
_ZIP64_EXTRA = 20  # what zipfile appends to a local header written with force_zip64
_DOS_EPOCH = (1980, 1, 1, 0, 0, 0)  # a fixed timestamp keeps the output reproducible
_READ_CHUNK = 1 << 24


def archive_name(path: str | os.PathLike) -> str:
    """The archive directory torch names after a file: its stem, 'archive' if not ASCII."""
    base = os.path.basename(os.fsdecode(path))
    dot = base.rfind(".")
    stem = base[:dot] if dot >= 0 else base
    if not stem:
        raise RuntimeError(f"invalid file name: {base}")
    return stem if stem.isascii() else "archive"


class _Tally:
    """The output as zipfile sees it: it can tell() how many bytes went out, and cannot seek.
    Without seek, zipfile writes each record in one pass (sizes follow in a data descriptor,
    as in torch's files), so tell() is where the next local header goes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.position = raw, 0

    def write(self, data: Any) -> int:
        self.raw.write(data)
        n = memoryview(data).nbytes
        self.position += n
        return n

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        if hasattr(self.raw, "flush"):
            self.raw.flush()


def write_archive(out: IO[bytes], name: str, records: Iterable[tuple[str, Any]]) -> None:
    """Write ``records`` ((name, bytes-like) pairs) as the zip archive ``name``, then the
    serialization id, each record's bytes aligned to 64."""
    tally = _Tally(out)
    with zipfile.ZipFile(cast(IO[bytes], tally), "w") as zf:
        for record, data in records:
            _put(zf, tally, f"{name}/{record}", data)
        _put(zf, tally, f"{name}/.data/serialization_id", _serialization_id(zf.infolist()))


def _put(zf: zipfile.ZipFile, tally: _Tally, name: str, data: Any) -> None:
    info = zipfile.ZipInfo(name, date_time=_DOS_EPOCH)
    zip64 = memoryview(data).nbytes >= zipfile.ZIP64_LIMIT
    info.extra = _padding(tally.tell(), len(name.encode()), zip64)
    with zf.open(info, "w", force_zip64=zip64) as fh:
        fh.write(data)


def _padding(offset: int, name_length: int, zip64: bool) -> bytes:
    """The ``FB`` extra field that moves the record's data to the next multiple of 64."""
    header = 30 + name_length + 4 + (_ZIP64_EXTRA if zip64 else 0)
    pad = -(offset + header) % ALIGNMENT
    return b"FB" + struct.pack("<H", pad) + b"Z" * pad


def _serialization_id(infos: list[zipfile.ZipInfo]) -> bytes:
    # torch's id is 40 decimal digits derived from the content; this one is too (not the
    # same digits: torch's hash is its own)
    digest = hashlib.sha256()
    for info in infos:
        digest.update(f"{info.filename}\0{info.CRC}\0{info.file_size}\0".encode())
    return str(int.from_bytes(digest.digest(), "big") % 10**40).zfill(40).encode()


# -- atomic writes ---------------------------------------------------------------------------

def write_atomically(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> None:
    """Run ``write`` on a temporary file beside ``path``, fsync it, then rename it over
    ``path``: a crash or an error midway leaves any previous file untouched."""
    given = os.fsdecode(path)
    target = os.path.realpath(given)  # through a symlink, replace the file it points to
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {os.path.dirname(given)} does not exist.")
    fd, temp = _create_temp(directory, os.path.basename(target))
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(target, temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_directory(directory)


def _create_temp(directory: str, base: str) -> tuple[int, str]:
    # os.open with mode 0o666 lets the umask decide permissions, as a plain open() would
    # (mkstemp would make the checkpoint private to its owner)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
        with contextlib.suppress(FileExistsError):
            return os.open(temp, flags, 0o666), temp


def _copy_mode(target: str, temp: str) -> None:
    """Keep the permissions of the file being replaced, as overwriting it in place would."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp, mode)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX only; some filesystems refuse, harmlessly)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- reading ---------------------------------------------------------------------------------

class ArchiveReader:
    """The records of a torch zip checkpoint, named relative to its archive directory."""

    def __init__(self, fh: IO[bytes], path: str | None = None) -> None:
        self._fh, self._path = fh, path  # a path means storages may be memory-mapped
        self._zip = zipfile.ZipFile(fh)
        self._names = set(self._zip.namelist())
        self.prefix = _find_prefix(self._zip.namelist())

    def has(self, record: str) -> bool:
        return f"{self.prefix}/{record}" in self._names

    def read(self, record: str) -> bytes:
        return self._zip.read(self._info(record))

    def size(self, record: str) -> int:
        return self._info(record).file_size

    def read_array(self, record: str, mmap: bool = False) -> np.ndarray:
        """A record's bytes as a writable uint8 array; with ``mmap``, a copy-on-write map of
        the file (writes stay in memory, as torch's default MAP_PRIVATE)."""
        info = self._info(record)
        if mmap and info.file_size:
            assert self._path is not None, "mmap needs the checkpoint's path"
            return np.memmap(self._path, dtype=np.uint8, mode="c", offset=self._data_offset(info),
                             shape=(info.file_size,))
        out = np.empty(info.file_size, np.uint8)
        position = 0
        with self._zip.open(info) as src:  # in chunks: never a second full-size copy
            while position < info.file_size:
                chunk = src.read(min(_READ_CHUNK, info.file_size - position))
                if not chunk:
                    raise RuntimeError(f"record {info.filename} is truncated")
                out[position:position + len(chunk)] = np.frombuffer(chunk, np.uint8)
                position += len(chunk)
        return out

    def _info(self, record: str) -> zipfile.ZipInfo:
        name = f"{self.prefix}/{record}"
        try:
            return self._zip.getinfo(name)
        except KeyError:
            raise RuntimeError(f"PytorchStreamReader failed locating file {record}: "
                               "file not found") from None

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        if info.compress_type != zipfile.ZIP_STORED:
            raise RuntimeError(f"cannot mmap the compressed record {info.filename}")
        self._fh.seek(info.header_offset)
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(
            self._fh.read(_LOCAL_HEADER.size))
        if signature != b"PK\x03\x04":
            raise RuntimeError(f"bad local header for {info.filename}")
        return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _find_prefix(names: list[str]) -> str:
    for name in names:
        head, slash, tail = name.partition("/")
        if slash and tail == "data.pkl":
            return head
    raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")


def is_zip(fh: IO[bytes]) -> bool:
    """Whether the stream at its current position starts a zip archive (position kept)."""
    start = fh.tell()
    magic = fh.read(4)
    fh.seek(start)
    return magic in (b"PK\x03\x04", b"PK\x05\x06")  # the second: an empty archive
