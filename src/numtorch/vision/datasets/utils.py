"""Download, checksum, archive and IDX-file helpers (``torchvision.datasets.utils``).

Downloads are resumable: bytes go to ``<file>.part`` and a later call asks the server for the
rest with an HTTP ``Range`` header. Archives are extracted only if no member would land outside
the target folder. Every network call goes through the module attribute :data:`urlopen`, so
tests replace it and never touch the network.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import math
import os
import pathlib
import re
import shutil
import struct
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any, TypeVar

import numpy as np

from ..._creation import from_numpy
from ..._tensor import Tensor

__all__ = [
    "USER_AGENT", "calculate_md5", "check_integrity", "check_md5", "download_and_extract_archive",
    "download_url", "extract_archive", "list_dir", "list_files", "read_image_file",
    "read_label_file", "read_sn3_pascalvincent_tensor", "urlopen", "verify_str_arg",
]

USER_AGENT = "numtorch/vision"
TIMEOUT = 60.0  # seconds without an answer before a download attempt gives up
urlopen = urllib.request.urlopen  # swapped by tests: nothing here calls the network another way

PathLike = str | pathlib.Path


# -- checksums -------------------------------------------------------------------------------
def calculate_md5(fpath: PathLike, chunk_size: int = 1024 * 1024) -> str:
    """Hex MD5 of a file, read in chunks (MD5 is a checksum here, not security)."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath: PathLike, md5: str, **kwargs: Any) -> bool:
    """True if the file's MD5 is ``md5``."""
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath: PathLike, md5: str | None = None) -> bool:
    """True if ``fpath`` is a file and, when ``md5`` is given, has that checksum."""
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


# -- downloads -------------------------------------------------------------------------------
def _content_range_start(response: Any) -> int | None:
    """The first byte offset of a 206 answer (``Content-Range: bytes START-END/TOTAL``)."""
    match = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", "") or "")
    return int(match.group(1)) if match else None


def _urlretrieve(url: str, fpath: str, chunk_size: int = 1024 * 32) -> None:
    """Fetch ``url`` into ``fpath`` through ``fpath.part``, resuming a partial ``.part``."""
    part = fpath + ".part"
    have = os.path.getsize(part) if os.path.isfile(part) else 0
    headers = {"User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = urlopen(urllib.request.Request(url, headers=headers), timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        if e.code == 416 and have:  # nothing past what we have: the .part is the whole file
            os.replace(part, fpath)
            return
        raise
    with response:
        status = getattr(response, "status", None) or response.getcode()
        if have and status == 206 and _content_range_start(response) != have:
            raise OSError(f"{url}: the server resumed at the wrong offset; remove {part} and retry")
        if status != 206:  # a plain 200 ignores Range: the body is the whole file again
            have = 0
        expected = response.length  # bytes still to come, when the server says
        got = 0
        with open(part, "ab" if have else "wb") as fh:
            while chunk := response.read(chunk_size):
                fh.write(chunk)
                got += len(chunk)
    if expected is not None and got < expected:
        raise OSError(f"download of {url} stopped after {have + got} bytes; "
                      f"call again to resume from {part}")
    os.replace(part, fpath)


def download_url(url: str, root: PathLike, filename: PathLike | None = None,
                 md5: str | None = None, max_redirect_hops: int = 3) -> None:
    """Download ``url`` into ``root/filename`` unless a file with that MD5 is already there.

    Args:
        url: where to download from.
        root: folder to put the file in (created if missing).
        filename: name to save under; the URL's basename if None.
        md5: expected MD5; the file is not checked if None.
        max_redirect_hops: kept for torchvision's signature; urllib follows redirects itself.

    Raises:
        OSError (``urllib.error.URLError``): the server could not be reached; a partial
            ``.part`` file is kept so the next call resumes.
        RuntimeError: the downloaded file does not have the expected MD5.
    """
    del max_redirect_hops
    root = os.path.expanduser(root)
    fpath = os.fspath(os.path.join(root, filename or os.path.basename(url)))
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return
    print(f"Downloading {url} to {fpath}")
    _urlretrieve(url, fpath)
    if not check_integrity(fpath, md5):
        raise RuntimeError(f"File not found or corrupted. {fpath} has MD5 {calculate_md5(fpath)},"
                           f" expected {md5}")


# -- archives --------------------------------------------------------------------------------
def _inside(root: str, path: str) -> bool:
    root = os.path.realpath(root)
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def _check_tar_member(member: tarfile.TarInfo, to_path: str) -> tarfile.TarInfo:
    """Refuse members that would write outside ``to_path`` (``../``, absolute, links, devices)."""
    target = os.path.join(to_path, member.name)
    bad = not _inside(to_path, target) or member.isdev()
    if member.issym():
        bad = bad or not _inside(to_path, os.path.join(os.path.dirname(target), member.linkname))
    elif member.islnk():
        bad = bad or not _inside(to_path, os.path.join(to_path, member.linkname))
    if bad:
        raise RuntimeError(f"refusing to extract {member.name!r}: it would write outside "
                           f"{to_path} (or is a device file)")
    return member


def _extract_tar(from_path: PathLike, to_path: PathLike, compression: str | None) -> None:
    to_path = os.fspath(to_path)
    with tarfile.open(from_path, f"r:{compression[1:]}" if compression else "r") as tar:
        members = [_check_tar_member(m, to_path) for m in tar.getmembers()]
        if hasattr(tarfile, "data_filter"):  # Python's own check too, where it has one
            tar.extractall(to_path, members=members, filter="data")
        else:  # pragma: no cover - Pythons before 3.10.12 / 3.11.4
            tar.extractall(to_path, members=members)


def _extract_zip(from_path: PathLike, to_path: PathLike, compression: str | None) -> None:
    to_path = os.fspath(to_path)
    with zipfile.ZipFile(from_path) as archive:
        for name in archive.namelist():
            if not _inside(to_path, os.path.join(to_path, name)):
                raise RuntimeError(f"refusing to extract {name!r}: it would write outside "
                                   f"{to_path}")
        archive.extractall(to_path)


_ARCHIVE_EXTRACTORS: dict[str, Callable[[PathLike, PathLike, str | None], None]] = {
    ".tar": _extract_tar, ".zip": _extract_zip}
_COMPRESSED_FILE_OPENERS: dict[str, Callable[..., IO]] = {
    ".bz2": bz2.open, ".gz": gzip.open, ".xz": lzma.open}
_FILE_TYPE_ALIASES = {".tbz": (".tar", ".bz2"), ".tbz2": (".tar", ".bz2"), ".tgz": (".tar", ".gz")}


def _detect_file_type(file: PathLike) -> tuple[str, str | None, str | None]:
    """(suffix, archive type, compression) from a file name, as torchvision reads them."""
    suffixes = pathlib.Path(file).suffixes
    if not suffixes:
        raise RuntimeError(f"File '{file}' has no suffixes that could be used to detect the "
                           "archive type and compression.")
    suffix = suffixes[-1]
    if suffix in _FILE_TYPE_ALIASES:
        return (suffix, *_FILE_TYPE_ALIASES[suffix])
    if suffix in _ARCHIVE_EXTRACTORS:
        return suffix, suffix, None
    if suffix in _COMPRESSED_FILE_OPENERS:
        if len(suffixes) > 1 and suffixes[-2] in _ARCHIVE_EXTRACTORS:
            return suffixes[-2] + suffix, suffixes[-2], suffix
        return suffix, None, suffix
    known = sorted(set(_FILE_TYPE_ALIASES) | set(_ARCHIVE_EXTRACTORS)
                   | set(_COMPRESSED_FILE_OPENERS))
    raise RuntimeError(f"Unknown compression or archive type: '{suffix}'.\n"
                       f"Known suffixes are: '{known}'.")


def _decompress(from_path: PathLike, to_path: PathLike, remove_finished: bool = False) -> str:
    _, _, compression = _detect_file_type(from_path)
    assert compression is not None
    with _COMPRESSED_FILE_OPENERS[compression](from_path, "rb") as src, open(to_path, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    if remove_finished:
        os.remove(from_path)
    return os.fspath(to_path)


def extract_archive(from_path: PathLike, to_path: PathLike | None = None,
                    remove_finished: bool = False) -> PathLike:
    """Extract a ``.tar[.gz|.bz2|.xz]``/``.tgz``/``.zip`` archive, or decompress a ``.gz`` file.

    Args:
        from_path: the archive; its type comes from the file name.
        to_path: folder to extract into (the archive's folder if None).
        remove_finished: delete the archive afterwards.

    Returns:
        The folder extracted to, or the decompressed file for a plain compressed file.

    Raises:
        RuntimeError: an unknown suffix, or a member that would land outside ``to_path``.
    """
    if to_path is None:
        to_path = os.path.dirname(from_path)
    suffix, archive_type, compression = _detect_file_type(from_path)
    if not archive_type:
        target = os.path.join(to_path, os.path.basename(from_path).replace(suffix, ""))
        out: PathLike = _decompress(from_path, target, remove_finished)
    else:
        _ARCHIVE_EXTRACTORS[archive_type](from_path, to_path, compression)
        if remove_finished:
            os.remove(from_path)
        out = to_path
    return os.fspath(out) if isinstance(from_path, str) else pathlib.Path(out)


def download_and_extract_archive(url: str, download_root: PathLike,
                                 extract_root: PathLike | None = None,
                                 filename: PathLike | None = None, md5: str | None = None,
                                 remove_finished: bool = False) -> None:
    """:func:`download_url` then :func:`extract_archive` into ``extract_root``."""
    download_root = os.path.expanduser(download_root)
    extract_root = download_root if extract_root is None else extract_root
    filename = filename or os.path.basename(url)
    download_url(url, download_root, filename, md5)
    extract_archive(os.path.join(download_root, filename), extract_root, remove_finished)


# -- folders and arguments -------------------------------------------------------------------
def list_dir(root: PathLike, prefix: bool = False) -> list[str]:
    """Names (or paths, with ``prefix``) of the folders in ``root``."""
    root = os.path.expanduser(root)
    names = [p for p in os.listdir(root) if os.path.isdir(os.path.join(root, p))]
    return [os.path.join(root, d) for d in names] if prefix else names


def list_files(root: PathLike, suffix: str | tuple[str, ...], prefix: bool = False) -> list[str]:
    """Names (or paths, with ``prefix``) of the files in ``root`` ending with ``suffix``."""
    root = os.path.expanduser(root)
    names = [p for p in os.listdir(root)
             if os.path.isfile(os.path.join(root, p)) and p.endswith(suffix)]
    return [os.path.join(root, d) for d in names] if prefix else names


T = TypeVar("T", str, bytes)


def verify_str_arg(value: T, arg: str | None = None, valid_values: Iterable[T] | None = None,
                   custom_msg: str | None = None) -> T:
    """Return ``value`` if it is a str among ``valid_values``; raise ValueError otherwise."""
    if not isinstance(value, str):
        where = "" if arg is None else f" for argument {arg}"
        raise ValueError(f"Expected type str{where}, but got type {type(value)}.")
    if valid_values is None or value in valid_values:
        return value
    shown = "'" + "', '".join(str(v) for v in valid_values) + "'"
    raise ValueError(custom_msg or
                     f"Unknown value '{value}' for argument {arg}. Valid values are {{{shown}}}.")


# -- IDX files (MNIST's format) --------------------------------------------------------------
# NOTE [ IDX format ]: two zero bytes, a type code, the number of dimensions, then each
# dimension as a big-endian uint32, then the values, big-endian. Multi-byte values are
# byte-swapped to the machine's order before they become a tensor.
_IDX_TYPES = {8: np.dtype(">u1"), 9: np.dtype(">i1"), 11: np.dtype(">i2"), 12: np.dtype(">i4"),
              13: np.dtype(">f4"), 14: np.dtype(">f8")}


def _read_maybe_gz(path: PathLike) -> bytes:
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def read_sn3_pascalvincent_tensor(path: PathLike, strict: bool = True) -> Tensor:
    """Read an IDX ("SN3 Pascal Vincent") file, plain or ``.gz``, into a tensor.

    Raises:
        ValueError: not an IDX file, or fewer values than the header's shape (more, too, if
            ``strict``).
    """
    data = _read_maybe_gz(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number)")
    nd = data[3]
    if not 1 <= nd <= 3 or len(data) < 4 * (nd + 1):
        raise ValueError(f"{path}: an IDX file of {nd} dimensions is not supported")
    shape = struct.unpack(f">{nd}I", data[4:4 * (nd + 1)])
    parsed = np.frombuffer(data, dtype=_IDX_TYPES[data[2]], offset=4 * (nd + 1))
    count = math.prod(shape)
    if parsed.size < count or (strict and parsed.size != count):
        raise ValueError(f"{path}: the header says shape {tuple(shape)} ({count} values) but the "
                         f"file holds {parsed.size}")
    native = parsed.dtype.newbyteorder("=")
    return from_numpy(parsed[:count].reshape(shape).astype(native))  # astype copies: writable


def read_label_file(path: PathLike) -> Tensor:
    """An IDX file of uint8 labels as an int64 tensor of shape (N,)."""
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype.np != np.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndim != 1:
        raise ValueError(f"x should have 1 dimension instead of {x.ndim}")
    return x.long()


def read_image_file(path: PathLike) -> Tensor:
    """An IDX file of uint8 images as a uint8 tensor of shape (N, H, W)."""
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype.np != np.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndim != 3:
        raise ValueError(f"x should have 3 dimension instead of {x.ndim}")
    return x
