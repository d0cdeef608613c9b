"""Point-to-point operations: send/recv and their non-blocking isend/irecv (NOTE [ Buffers ]
in ``_collectives.py``: raw bytes, written in place)."""

from __future__ import annotations

from .._tensor import Tensor
from ._collectives import _bytes, _check_tensor, _readable, _writable
from ._process_group import ProcessGroup, group_peer, mpi, resolve
from ._work import Work

__all__ = ["irecv", "isend", "recv", "send"]


def _peer(pg: ProcessGroup, rank: int | None, group_rank: int | None,
          names: tuple[str, str], role: str) -> int:
    peer = group_peer(pg, rank, group_rank, names)
    if peer == pg.rank():
        raise ValueError(f"Invalid {role} rank: {role} rank should not be the same as the rank "
                         "of the current process.")
    return peer


def isend(tensor: Tensor, dst: int | None = None, group: ProcessGroup | None = None,
          tag: int = 0, group_dst: int | None = None) -> Work | None:
    """Start sending ``tensor`` to rank ``dst``; the returned Work completes when it is sent."""
    arr = _check_tensor(tensor, "tensor")
    pg = resolve(group, "isend")
    if pg is None:
        return None
    peer = _peer(pg, dst, group_dst, ("dst", "group_dst"), "destination")
    sent = _readable(arr)
    request = pg.comm.Isend(_bytes(sent), peer, tag)
    return Work([request], pg.timeout, "isend", keep=[sent])


def irecv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None,
          tag: int = 0, group_src: int | None = None) -> Work | None:
    """Start receiving into ``tensor`` from rank ``src`` (None: from any rank)."""
    _check_tensor(tensor, "tensor")
    pg = resolve(group, "irecv")
    if pg is None:
        return None
    if src is None and group_src is None:
        peer = mpi().ANY_SOURCE
    else:
        peer = _peer(pg, src, group_src, ("src", "group_src"), "source")
    buf, publish = _writable(tensor)
    status = mpi().Status()
    request = pg.comm.Irecv(_bytes(buf), peer, tag)
    return Work([request], pg.timeout, "irecv", publish, [tensor], status, keep=[buf])


def send(tensor: Tensor, dst: int | None = None, group: ProcessGroup | None = None,
         tag: int = 0, group_dst: int | None = None) -> None:
    """Send ``tensor`` to rank ``dst`` and wait until it is sent."""
    work = isend(tensor, dst, group, tag, group_dst)
    if work is not None:
        work.wait()


def recv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None,
         tag: int = 0, group_src: int | None = None) -> int:
    """Receive into ``tensor`` from rank ``src`` (None: any rank); returns the sender's global
    rank (-1 outside ``group``)."""
    work = irecv(tensor, src, group, tag, group_src)
    if work is None:
        return -1
    pg = resolve(group, "recv")
    assert pg is not None
    return pg.ranks[work.source_rank()]
