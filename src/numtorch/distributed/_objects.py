"""Collectives on picklable Python objects: each object travels as its pickle's bytes.

As in torch, a rank unpickles what the others sent, so only use these with ranks you trust
(they are the same job). Sizes go first (one int64 per object), then the bytes, so receivers
can size their buffers; both steps wait under the group's timeout.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np

from ._process_group import ProcessGroup, group_peer, mpi, resolve
from ._work import wait_requests

__all__ = ["all_gather_object", "broadcast_object_list", "gather_object", "recv_object_list",
           "scatter_object_list", "send_object_list"]


def _pickled(objs: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """The pickles of ``objs`` as one byte array, and their sizes."""
    blobs = [pickle.dumps(obj) for obj in objs]
    sizes = np.array([len(b) for b in blobs], np.int64)
    return np.frombuffer(b"".join(blobs), np.uint8).copy(), sizes


def _unpickled(data: np.ndarray, sizes: np.ndarray) -> list[Any]:
    ends = np.cumsum(sizes)
    return [pickle.loads(data[end - size:end].tobytes()) for size, end in zip(sizes, ends)]


def _wait(pg: ProcessGroup, request: Any, what: str) -> None:
    wait_requests([request], pg.timeout, what)


def broadcast_object_list(object_list: list[Any], src: int | None = None,
                          group: ProcessGroup | None = None, device: Any = None,
                          group_src: int | None = None) -> None:
    """Replace ``object_list``'s items, on every rank, by rank ``src``'s (same length)."""
    pg = resolve(group, "broadcast_object_list")
    if pg is None:
        return
    root = group_peer(pg, 0 if src is None and group_src is None else src, group_src,
                      ("src", "group_src"))
    MPI = mpi()  # noqa: N806 (the module's name)
    if pg.rank() == root:
        data, sizes = _pickled(object_list)
    else:
        sizes = np.empty(len(object_list), np.int64)
    _wait(pg, pg.comm.Ibcast([sizes, MPI.INT64_T], root), "broadcast_object_list")
    if pg.rank() != root:
        data = np.empty(int(sizes.sum()), np.uint8)
    _wait(pg, pg.comm.Ibcast([data, MPI.BYTE], root), "broadcast_object_list")
    if pg.rank() != root:
        object_list[:] = _unpickled(data, sizes)


def _gathered(pg: ProcessGroup, obj: Any, root: int | None, what: str) -> list[Any] | None:
    """Every rank's ``obj`` at ``root`` (all ranks for None); None elsewhere."""
    MPI = mpi()  # noqa: N806
    data, size = _pickled([obj])
    sizes = np.empty(pg.size(), np.int64)
    here = root is None or pg.rank() == root
    if root is None:
        _wait(pg, pg.comm.Iallgather([size, MPI.INT64_T], [sizes, MPI.INT64_T]), what)
    else:
        _wait(pg, pg.comm.Igather([size, MPI.INT64_T], [sizes, MPI.INT64_T] if here else None,
                                  root), what)
    if not here:
        _wait(pg, pg.comm.Igatherv([data, MPI.BYTE], None, root), what)
        return None
    out = np.empty(int(sizes.sum()), np.uint8)
    spec = [out, (sizes, np.cumsum(sizes) - sizes), MPI.BYTE]
    if root is None:
        _wait(pg, pg.comm.Iallgatherv([data, MPI.BYTE], spec), what)
    else:
        _wait(pg, pg.comm.Igatherv([data, MPI.BYTE], spec, root), what)
    return _unpickled(out, sizes)


def all_gather_object(object_list: list[Any], obj: Any,
                      group: ProcessGroup | None = None) -> None:
    """Put every rank's ``obj`` into ``object_list[rank]`` on all ranks (the list must have
    ``world_size`` items)."""
    pg = resolve(group, "all_gather_object")
    if pg is None:
        return
    for i, item in enumerate(_gathered(pg, obj, None, "all_gather_object") or []):
        object_list[i] = item


def gather_object(obj: Any, object_gather_list: list[Any] | None = None, dst: int | None = None,
                  group: ProcessGroup | None = None, group_dst: int | None = None) -> None:
    """Put every rank's ``obj`` into ``object_gather_list`` on rank ``dst`` only."""
    pg = resolve(group, "gather_object")
    if pg is None:
        return
    root = group_peer(pg, 0 if dst is None and group_dst is None else dst, group_dst,
                      ("dst", "group_dst"))
    if pg.rank() == root and object_gather_list is None:
        raise ValueError("Argument ``object_gather_list`` must be specified on destination "
                         "rank.")
    if pg.rank() != root and object_gather_list:
        raise ValueError("Argument ``object_gather_list`` must NOT be specified on "
                         "non-destination ranks.")
    items = _gathered(pg, obj, root, "gather_object")
    if items is not None and object_gather_list is not None:
        for i, item in enumerate(items):
            object_gather_list[i] = item


def scatter_object_list(scatter_object_output_list: list[Any],
                        scatter_object_input_list: list[Any] | None = None,
                        src: int | None = None, group: ProcessGroup | None = None,
                        group_src: int | None = None) -> None:
    """Rank ``i`` gets ``scatter_object_input_list[i]`` of rank ``src`` in
    ``scatter_object_output_list[0]``."""
    if not isinstance(scatter_object_output_list, list) or not scatter_object_output_list:
        raise ValueError("Expected argument scatter_object_output_list to be a list of size at "
                         "least 1.")
    pg = resolve(group, "scatter_object_list")
    if pg is None:
        return
    root = group_peer(pg, 0 if src is None and group_src is None else src, group_src,
                      ("src", "group_src"))
    MPI = mpi()  # noqa: N806
    size = np.empty(1, np.int64)
    data = sizes = None
    if pg.rank() == root:
        if scatter_object_input_list is None or len(scatter_object_input_list) != pg.size():
            raise ValueError("scatter_object_input_list must hold one object per rank")
        data, sizes = _pickled(scatter_object_input_list)
    _wait(pg, pg.comm.Iscatter([sizes, MPI.INT64_T] if sizes is not None else None,
                               [size, MPI.INT64_T], root), "scatter_object_list")
    out = np.empty(int(size[0]), np.uint8)
    spec = None if sizes is None else [data, (sizes, np.cumsum(sizes) - sizes), MPI.BYTE]
    _wait(pg, pg.comm.Iscatterv(spec, [out, MPI.BYTE], root), "scatter_object_list")
    scatter_object_output_list[0] = pickle.loads(out.tobytes())


def send_object_list(object_list: list[Any], dst: int | None = None,
                     group: ProcessGroup | None = None, device: Any = None,
                     group_dst: int | None = None, use_batch: bool = False) -> None:
    """Send the objects of ``object_list`` to rank ``dst`` (see :func:`recv_object_list`)."""
    pg = resolve(group, "send_object_list")
    if pg is None:
        return
    peer = group_peer(pg, dst, group_dst, ("dst", "group_dst"))
    MPI = mpi()  # noqa: N806
    data, sizes = _pickled(object_list)
    _wait(pg, pg.comm.Isend([sizes, MPI.INT64_T], peer, 0), "send_object_list")
    _wait(pg, pg.comm.Isend([data, MPI.BYTE], peer, 0), "send_object_list")


def recv_object_list(object_list: list[Any], src: int | None = None,
                     group: ProcessGroup | None = None, device: Any = None,
                     group_src: int | None = None, use_batch: bool = False) -> int:
    """Fill ``object_list`` (of the sender's length) with the objects rank ``src`` sent;
    returns the sender's global rank."""
    pg = resolve(group, "recv_object_list")
    if pg is None:
        return -1
    MPI = mpi()  # noqa: N806
    peer = MPI.ANY_SOURCE if src is None and group_src is None else \
        group_peer(pg, src, group_src, ("src", "group_src"))
    sizes = np.empty(len(object_list), np.int64)
    status = MPI.Status()
    request = pg.comm.Irecv([sizes, MPI.INT64_T], peer, 0)
    wait_requests([request], pg.timeout, "recv_object_list", status)
    sender = status.Get_source()  # the bytes must come from the same rank as the sizes
    data = np.empty(int(sizes.sum()), np.uint8)
    _wait(pg, pg.comm.Irecv([data, MPI.BYTE], sender, 0), "recv_object_list")
    object_list[:] = _unpickled(data, sizes)
    return pg.ranks[sender]
