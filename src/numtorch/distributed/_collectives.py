"""Collectives and point-to-point operations on numtorch tensors, over MPI.

NOTE [ Buffers ]
MPI reads and writes the tensors' ndarrays (``_data``) in place through the buffer protocol.
Operations that only move data (broadcast, gather, scatter, all_gather, send/recv) send raw
bytes, so every dtype works, float16 and bool included. Reductions need MPI to know the type:
bool reduces with MPI's logical operations (SUM and MAX are OR, PRODUCT and MIN are AND, as in
torch), float16 with MPI's half type where the MPI library has one (else through a float32
copy), AVG is a SUM divided afterwards. A tensor that is not C-contiguous is copied into a
contiguous buffer and the result copied back; an output made of a list of tensors is received
into one buffer and then copied out, since MPI writes one buffer per call. In-place results
bump the tensor's version counter, as torch's in-place collectives do. Point-to-point
operations (``_p2p.py``) use the same buffers.

Every call starts a non-blocking MPI operation and returns a ``Work`` (``async_op=True``) or
waits on it (NOTE [ Waiting on MPI requests ]). src/dst arguments are global ranks, or group
ranks through ``group_src``/``group_dst``, as in torch.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from .._tensor import Tensor
from ._process_group import ProcessGroup, group_peer, mpi, resolve
from ._work import Work

__all__ = ["ReduceOp", "all_gather", "all_gather_into_tensor", "all_gather_single",
           "all_reduce", "barrier", "broadcast", "gather", "reduce", "reduce_scatter",
           "reduce_scatter_single", "reduce_scatter_tensor", "scatter"]


class RedOpType(enum.IntEnum):
    """The reduction kinds, with torch's numbering."""

    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8
    UNUSED = 9


_RedOpType = RedOpType


class ReduceOp:
    """How reductions combine values: ``ReduceOp.SUM``, ``AVG``, ``PRODUCT``, ``MIN``, ``MAX``
    (and the bitwise ``BAND``, ``BOR``, ``BXOR`` for integer and bool tensors)."""

    RedOpType = RedOpType
    SUM = RedOpType.SUM
    AVG = RedOpType.AVG
    PRODUCT = RedOpType.PRODUCT
    MIN = RedOpType.MIN
    MAX = RedOpType.MAX
    BAND = RedOpType.BAND
    BOR = RedOpType.BOR
    BXOR = RedOpType.BXOR
    PREMUL_SUM = RedOpType.PREMUL_SUM

    def __init__(self, op: int) -> None:
        self.op = _RedOpType(op)

    def __eq__(self, other: object) -> bool:
        return self.op == getattr(other, "op", other)

    def __hash__(self) -> int:
        return hash(self.op)


# -- buffers (NOTE [ Buffers ]) ----------------------------------------------------------------

def _check_tensor(t: Any, name: str) -> np.ndarray:
    if not isinstance(t, Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type "
                        f"torch.Tensor\n             but got {type(t)} instead.")
    return t._data


def _check_list(ts: Any, name: str) -> list[np.ndarray]:
    if not isinstance(ts, (list, tuple)) or not all(isinstance(t, Tensor) for t in ts):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type "
                        "List[torch.Tensor]\n             but got "
                        f"{type(ts)} instead.")
    return [t._data for t in ts]


def _readable(arr: np.ndarray) -> np.ndarray:
    """A flat C-contiguous view of ``arr`` (a copy only when it is not contiguous)."""
    return np.ascontiguousarray(arr).reshape(-1)


def _writable(t: Tensor) -> tuple[np.ndarray, Callable[[], None]]:
    """A flat array MPI may write into for ``t`` and the function that publishes the result:
    it copies back when the array is a private copy, and bumps the version counter."""
    arr = t._data
    if arr.flags.c_contiguous and arr.flags.writeable:
        return arr.reshape(-1), t._bump_version
    buf = np.ascontiguousarray(arr).reshape(-1)

    def publish() -> None:
        t._data[...] = buf.reshape(arr.shape)
        t._bump_version()

    return buf, publish


def _bytes(arr: np.ndarray) -> list:
    return [arr.view(np.uint8), mpi().BYTE]


@functools.cache
def _has_mpi_type(dtype: np.dtype) -> bool:
    try:
        mpi().Datatype.fromcode(dtype.char)
    except (KeyError, ValueError):
        return False
    return True


_BOOL_OPS = {RedOpType.SUM: "LOR", RedOpType.MAX: "LOR", RedOpType.BOR: "LOR",
             RedOpType.PRODUCT: "LAND", RedOpType.MIN: "LAND", RedOpType.BAND: "LAND",
             RedOpType.BXOR: "LXOR"}
_OPS = {RedOpType.SUM: "SUM", RedOpType.AVG: "SUM", RedOpType.PRODUCT: "PROD",
        RedOpType.MIN: "MIN", RedOpType.MAX: "MAX", RedOpType.BAND: "BAND",
        RedOpType.BOR: "BOR", RedOpType.BXOR: "BXOR"}
_BITWISE = (RedOpType.BAND, RedOpType.BOR, RedOpType.BXOR)


def _mpi_op(dtype: np.dtype, op: Any, name: str) -> Any:
    """The MPI operation for ``op`` on ``dtype``, or torch-like errors where it has none."""
    op = RedOpType(getattr(op, "op", op))
    kind = dtype.kind
    if op is RedOpType.PREMUL_SUM or op is RedOpType.UNUSED:
        raise ValueError(f"{name}: {op!r} is not supported by numtorch.distributed")
    if op is RedOpType.AVG and kind not in "fc":
        raise ValueError(f"{name}: ReduceOp.AVG needs a floating-point or complex tensor, got "
                         f"{dtype}")
    if kind == "c" and op in (RedOpType.MIN, RedOpType.MAX):
        raise ValueError(f"{name} does not support {op!r} on complex tensors")
    if kind in "fc" and op in _BITWISE:
        raise ValueError(f"{name}: {op!r} needs an integer or bool tensor, got {dtype}")
    return getattr(mpi(), (_BOOL_OPS if kind == "b" else _OPS)[op])


def _typed(arr: np.ndarray) -> np.ndarray:
    """``arr`` itself if MPI has its type, else a float32 copy (float16 on some MPIs)."""
    return arr if _has_mpi_type(arr.dtype) else arr.astype(np.float32)


def _reduced(pg: ProcessGroup, op: Any, sent: np.ndarray, out: np.ndarray,
             publish: Callable[[], None]) -> Callable[[], None]:
    """The finishing step of a reduction into ``out`` via ``sent`` (its typed stand-in)."""
    average = RedOpType(getattr(op, "op", op)) is RedOpType.AVG

    def finish() -> None:
        if sent is not out:
            out[...] = sent
        if average:
            np.divide(out, pg.size(), out=out)
        publish()

    return finish


def _run(pg: ProcessGroup, requests: list, what: str, async_op: bool, *,
         finish: Callable[[], None] | None = None, outputs: Sequence[Tensor] = (),
         keep: Sequence[Any] = ()) -> Work | None:
    work = Work(requests, pg.timeout, what, finish, outputs, keep=keep)
    if async_op:
        return work
    work.wait()
    return None


# -- collectives ---------------------------------------------------------------------------------

def all_reduce(tensor: Tensor, op: Any = ReduceOp.SUM, group: ProcessGroup | None = None,
               async_op: bool = False) -> Work | None:
    """Reduce ``tensor`` over all ranks of ``group``, in place, so every rank has the result.

    >>> t = torch.ones(2) * (dist.get_rank() + 1)                        # doctest: +SKIP
    >>> dist.all_reduce(t); t                                            # doctest: +SKIP
    tensor([3., 3.])
    """
    _check_tensor(tensor, "tensor")
    pg = resolve(group, "all_reduce")
    if pg is None:
        return None
    buf, publish = _writable(tensor)
    mpi_op = _mpi_op(buf.dtype, op, "all_reduce")
    sent = _typed(buf)
    request = pg.comm.Iallreduce(mpi().IN_PLACE, sent, mpi_op)
    return _run(pg, [request], "all_reduce", async_op, outputs=[tensor], keep=[sent],
                finish=_reduced(pg, op, sent, buf, publish))


def reduce(tensor: Tensor, dst: int | None = None, op: Any = ReduceOp.SUM,
           group: ProcessGroup | None = None, async_op: bool = False,
           group_dst: int | None = None) -> Work | None:
    """Reduce ``tensor`` over the group into rank ``dst``'s ``tensor`` (others keep theirs)."""
    _check_tensor(tensor, "tensor")
    pg = resolve(group, "reduce")
    if pg is None:
        return None
    root = group_peer(pg, dst, group_dst, ("dst", "group_dst"))
    mpi_op = _mpi_op(tensor._data.dtype, op, "reduce")
    if pg.rank() != root:
        sent = _typed(_readable(tensor._data))
        request = pg.comm.Ireduce(sent, None, mpi_op, root)
        return _run(pg, [request], "reduce", async_op, outputs=[tensor], keep=[sent])
    buf, publish = _writable(tensor)
    sent = _typed(buf)
    request = pg.comm.Ireduce(mpi().IN_PLACE, sent, mpi_op, root)
    return _run(pg, [request], "reduce", async_op, outputs=[tensor], keep=[sent],
                finish=_reduced(pg, op, sent, buf, publish))


def broadcast(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None,
              async_op: bool = False, group_src: int | None = None) -> Work | None:
    """Copy rank ``src``'s ``tensor`` into ``tensor`` on every rank of the group."""
    _check_tensor(tensor, "tensor")
    pg = resolve(group, "broadcast")
    if pg is None:
        return None
    root = group_peer(pg, src, group_src, ("src", "group_src"))
    buf, publish = _writable(tensor)
    request = pg.comm.Ibcast(_bytes(buf), root)
    return _run(pg, [request], "broadcast", async_op, outputs=[tensor], keep=[buf],
                finish=publish if pg.rank() != root else None)


def _check_same(arrays: Sequence[np.ndarray], like: np.ndarray, name: str) -> None:
    for i, a in enumerate(arrays):
        if a.dtype != like.dtype:
            raise TypeError(f"{name}: tensor at index {i} has dtype {a.dtype}, expected "
                            f"{like.dtype}")
        if a.size != like.size:
            raise RuntimeError(f"{name}: invalid tensor size at index {i} (expected "
                               f"({like.size}), got ({a.size}))")


def _check_count(arrays: Sequence, pg: ProcessGroup, name: str, what: str) -> None:
    if len(arrays) != pg.size():
        raise ValueError(f"{name}: {what} must hold one tensor per rank of the group "
                         f"({pg.size()}), got {len(arrays)}")


def _copy_out(outputs: Sequence[Tensor], flat: np.ndarray) -> Callable[[], None]:
    """Copy consecutive equal chunks of ``flat`` into ``outputs`` (NOTE [ Buffers ])."""
    def finish() -> None:
        for t, chunk in zip(outputs, np.split(flat, len(outputs))):
            t._data[...] = chunk.reshape(t._data.shape)
            t._bump_version()

    return finish


def all_gather(tensor_list: list[Tensor], tensor: Tensor, group: ProcessGroup | None = None,
               async_op: bool = False) -> Work | None:
    """Gather every rank's ``tensor`` into ``tensor_list`` (one entry per rank) on all ranks."""
    outs = _check_list(tensor_list, "tensor_list")
    arr = _check_tensor(tensor, "tensor")
    pg = resolve(group, "all_gather")
    if pg is None:
        return None
    _check_count(outs, pg, "all_gather", "tensor_list")
    _check_same(outs, arr, "all_gather")
    sent = _readable(arr)
    flat = np.empty(sent.size * pg.size(), sent.dtype)
    request = pg.comm.Iallgather(_bytes(sent), _bytes(flat))
    return _run(pg, [request], "all_gather", async_op, outputs=tensor_list,
                keep=[sent, flat], finish=_copy_out(tensor_list, flat))


def _check_single(out: np.ndarray, inp: np.ndarray, factor_out: int, factor_in: int) -> None:
    if out.dtype != inp.dtype:
        raise TypeError("output tensor must have the same type as input tensor")
    if out.size * factor_out != inp.size * factor_in:
        raise ValueError("output tensor size must be equal to world_size times input tensor "
                         "size" if factor_in > 1 else
                         "input tensor must be the same size as output size times world size")


def all_gather_single(output_tensor: Tensor, input_tensor: Tensor,
                      group: ProcessGroup | None = None,
                      async_op: bool = False) -> Work | None:
    """Gather every rank's ``input_tensor`` into ``output_tensor``, concatenated along dim 0
    (or stacked: any shape with ``world_size`` times the elements)."""
    out = _check_tensor(output_tensor, "output_tensor")
    inp = _check_tensor(input_tensor, "input_tensor")
    pg = resolve(group, "all_gather_single")
    if pg is None:
        return None
    _check_single(out, inp, 1, pg.size())
    sent = _readable(inp)
    buf, publish = _writable(output_tensor)
    request = pg.comm.Iallgather(_bytes(sent), _bytes(buf))
    return _run(pg, [request], "all_gather_single", async_op, outputs=[output_tensor],
                keep=[sent, buf], finish=publish)


def all_gather_into_tensor(output_tensor: Tensor, input_tensor: Tensor,
                           group: ProcessGroup | None = None,
                           async_op: bool = False) -> Work | None:
    """Deprecated spelling of :func:`all_gather_single` (a FutureWarning, as in torch 2.13)."""
    import warnings

    warnings.warn("`torch.distributed.all_gather_into_tensor` is deprecated. Please use "
                  "`torch.distributed.all_gather_single` instead.", FutureWarning, stacklevel=2)
    return all_gather_single(output_tensor, input_tensor, group, async_op)


def _reduce_scatter(pg: ProcessGroup, output: Tensor, sent: np.ndarray, op: Any, name: str,
                    async_op: bool) -> Work | None:
    buf, publish = _writable(output)
    mpi_op = _mpi_op(buf.dtype, op, name)
    typed_in, typed_out = _typed(sent), _typed(buf)
    request = pg.comm.Ireduce_scatter_block(typed_in, typed_out, mpi_op)
    return _run(pg, [request], name, async_op, outputs=[output], keep=[typed_in, typed_out],
                finish=_reduced(pg, op, typed_out, buf, publish))


def reduce_scatter(output: Tensor, input_list: list[Tensor], op: Any = ReduceOp.SUM,
                   group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Reduce ``input_list[i]`` over all ranks into rank ``i``'s ``output``."""
    out = _check_tensor(output, "output")
    ins = _check_list(input_list, "input_list")
    pg = resolve(group, "reduce_scatter")
    if pg is None:
        return None
    _check_count(ins, pg, "reduce_scatter", "input_list")
    _check_same(ins, out, "reduce_scatter")
    sent = np.concatenate([a.reshape(-1) for a in ins])
    return _reduce_scatter(pg, output, sent, op, "reduce_scatter", async_op)


def reduce_scatter_single(output: Tensor, input: Tensor, op: Any = ReduceOp.SUM,  # noqa: A002
                          group: ProcessGroup | None = None,
                          async_op: bool = False) -> Work | None:
    """Reduce ``input`` (``world_size`` equal chunks) over all ranks; rank ``i`` gets chunk
    ``i`` of the result in ``output``."""
    out = _check_tensor(output, "output")
    inp = _check_tensor(input, "input")
    pg = resolve(group, "reduce_scatter_single")
    if pg is None:
        return None
    _check_single(out, inp, pg.size(), 1)
    return _reduce_scatter(pg, output, _readable(inp), op, "reduce_scatter_single", async_op)


def reduce_scatter_tensor(output: Tensor, input: Tensor, op: Any = ReduceOp.SUM,  # noqa: A002
                          group: ProcessGroup | None = None,
                          async_op: bool = False) -> Work | None:
    """Deprecated spelling of :func:`reduce_scatter_single` (a FutureWarning, as in torch)."""
    import warnings

    warnings.warn("`torch.distributed.reduce_scatter_tensor` is deprecated. Please use "
                  "`torch.distributed.reduce_scatter_single` instead.", FutureWarning,
                  stacklevel=2)
    return reduce_scatter_single(output, input, op, group, async_op)


def gather(tensor: Tensor, gather_list: list[Tensor] | None = None, dst: int | None = None,
           group: ProcessGroup | None = None, async_op: bool = False,
           group_dst: int | None = None) -> Work | None:
    """Gather every rank's ``tensor`` into ``gather_list`` on rank ``dst`` only."""
    arr = _check_tensor(tensor, "tensor")
    pg = resolve(group, "gather")
    if pg is None:
        return None
    root = group_peer(pg, 0 if dst is None and group_dst is None else dst, group_dst,
                      ("dst", "group_dst"))
    sent = _readable(arr)
    if pg.rank() != root:
        if gather_list:
            raise ValueError("Argument ``gather_list`` must NOT be specified on "
                             "non-destination ranks.")
        request = pg.comm.Igather(_bytes(sent), None, root)
        return _run(pg, [request], "gather", async_op, keep=[sent])
    if not gather_list:
        raise ValueError("Argument ``gather_list`` must be specified on destination rank.")
    outs = _check_list(gather_list, "gather_list")
    _check_count(outs, pg, "gather", "gather_list")
    _check_same(outs, arr, "gather")
    flat = np.empty(sent.size * pg.size(), sent.dtype)
    request = pg.comm.Igather(_bytes(sent), _bytes(flat), root)
    return _run(pg, [request], "gather", async_op, outputs=gather_list, keep=[sent, flat],
                finish=_copy_out(gather_list, flat))


def scatter(tensor: Tensor, scatter_list: list[Tensor] | None = None, src: int | None = None,
            group: ProcessGroup | None = None, async_op: bool = False,
            group_src: int | None = None) -> Work | None:
    """Send ``scatter_list[i]`` from rank ``src`` into rank ``i``'s ``tensor``."""
    arr = _check_tensor(tensor, "tensor")
    pg = resolve(group, "scatter")
    if pg is None:
        return None
    root = group_peer(pg, 0 if src is None and group_src is None else src, group_src,
                      ("src", "group_src"))
    buf, publish = _writable(tensor)
    if pg.rank() != root:
        if scatter_list:
            raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source "
                             "ranks.")
        request = pg.comm.Iscatter(None, _bytes(buf), root)
        return _run(pg, [request], "scatter", async_op, outputs=[tensor], keep=[buf],
                    finish=publish)
    if not scatter_list:
        raise ValueError("Argument ``scatter_list`` must be specified on source rank.")
    ins = _check_list(scatter_list, "scatter_list")
    _check_count(ins, pg, "scatter", "scatter_list")
    _check_same(ins, arr, "scatter")
    sent = np.concatenate([a.reshape(-1) for a in ins])
    request = pg.comm.Iscatter(_bytes(sent), _bytes(buf), root)
    return _run(pg, [request], "scatter", async_op, outputs=[tensor], keep=[sent, buf],
                finish=publish)


def barrier(group: ProcessGroup | None = None, async_op: bool = False, device_ids: Any = None,
            timeout: timedelta | None = None) -> Work | None:
    """Wait until every rank of the group has reached the barrier."""
    pg = resolve(group, "barrier")
    if pg is None:
        return None
    work = Work([pg.comm.Ibarrier()], timeout or pg.timeout, "barrier")
    if async_op:
        return work
    work.wait()
    return None
