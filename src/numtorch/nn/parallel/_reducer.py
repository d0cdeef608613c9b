"""The gradient reducer behind DistributedDataParallel: buckets, hooks, non-blocking all-reduce.

NOTE [ DDP's gradient buckets ]
The trainable parameters are grouped, in reverse order of ``parameters()`` (roughly the order
backward produces their gradients) and by dtype, into buckets of about ``bucket_cap_mb`` (25
MiB; the first bucket 1 MiB, so communication starts early), as torch does. Each bucket owns
one flat array. When backward accumulates a parameter's gradient, its post-accumulate-grad
hook copies the gradient, divided by the world size, into the bucket. When a bucket is
complete, and every bucket before it has been launched (all ranks must start MPI collectives
in the same order), it is summed over the ranks in place with a non-blocking ``Iallreduce``,
while backward goes on with the layers below. Later hooks poll the launched requests, which
moves MPI's operations forward. A final callback queued with the engine (NOTE [ Final callbacks ])
waits for all of them once backward is over and writes the averages back into ``.grad``;
with ``gradient_as_bucket_view`` the ``.grad`` tensors are views of the buckets and need no
copy back. Parameters that got no gradient: with ``find_unused_parameters`` they count as
zero (or as their existing ``.grad``) so every bucket completes, and one more all-reduce tells
which ones no rank used, whose ``.grad`` is left alone; without it, the next forward raises
torch's error.

The first synced backward also records the order in which gradients actually arrived (the
engine's order, e.g. numtorch runs a layer's bias accumulation late); at its end the buckets
are rebuilt once in rank 0's arrival order, as torch rebuilds them after the first iteration,
so from then on each bucket completes as early as backward allows.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._tensor import Tensor
from ...distributed._process_group import ProcessGroup, mpi
from ...distributed._work import wait_requests

__all__ = ["Reducer", "assign_buckets"]

_UNFINISHED = (
    "Expected to have finished reduction in the prior iteration before starting a new one. "
    "This error indicates that your module has parameters that were not used in producing "
    "loss. You can enable unused parameter detection by passing the keyword argument "
    "`find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by \n"
    "making sure all `forward` function outputs participate in calculating loss. \n"
    "Parameters which did not receive grad for rank {rank}: {names}")


def assign_buckets(params: Sequence[Tensor], caps: Sequence[int],
                   order: Sequence[int] | None = None) -> list[list[int]]:
    """Parameter indices grouped into buckets (NOTE [ DDP's gradient buckets ]).

    Parameters are taken in ``order`` (default: reversed); ``caps`` are the byte limits of
    the first buckets of each dtype, the last one repeating. A bucket closes once it holds
    at least its limit. Buckets are returned in launch order.
    """
    order = list(reversed(range(len(params)))) if order is None else list(order)
    position = {i: k for k, i in enumerate(order)}
    open_buckets: dict[np.dtype, tuple[list[int], int, int]] = {}  # indices, bytes, cap index
    done: list[list[int]] = []
    for i in order:
        arr = params[i]._data
        indices, size, k = open_buckets.get(arr.dtype, ([], 0, 0))
        indices.append(i)
        size += arr.nbytes
        if size >= caps[min(k, len(caps) - 1)]:
            done.append(indices)
            indices, size, k = [], 0, k + 1
        open_buckets[arr.dtype] = (indices, size, k)
    done.extend(indices for indices, _, _ in open_buckets.values() if indices)
    return sorted(done, key=lambda b: position[b[0]])  # by each bucket's first parameter


class _Bucket:
    __slots__ = ("indices", "flat", "views", "pending", "request")

    def __init__(self, params: Sequence[Tensor], indices: list[int]) -> None:
        self.indices = indices
        sizes = [params[i]._data.size for i in indices]
        self.flat = np.zeros(sum(sizes), params[indices[0]]._data.dtype)
        starts = np.cumsum([0, *sizes])
        self.views = {i: self.flat[s:s + n].reshape(params[i]._data.shape)
                      for i, s, n in zip(indices, starts, sizes)}
        self.pending = len(indices)
        self.request: Any = None


def _on_grad(reducer_ref: weakref.ref, index: int, param: Tensor) -> None:
    reducer = reducer_ref()
    if reducer is not None:  # a dropped DDP leaves its module's hooks inert
        reducer.mark_ready(index, param)


class Reducer:
    """Averages the gradients of ``params`` over ``pg`` during backward (see the NOTE)."""

    def __init__(self, params: list[Tensor], names: list[str], pg: ProcessGroup,
                 caps: Sequence[int], find_unused: bool, as_view: bool) -> None:
        self.params, self.names, self.pg = params, names, pg
        self.find_unused, self.as_view, self.caps = find_unused, as_view, caps
        self._build(None)
        self.arrivals: list[int] | None = []  # None once the buckets have been rebuilt
        self.ready = [False] * len(params)
        self.next_bucket = 0
        self.armed = False
        self.queued = False
        self.unfinished: list[str] = []
        ref = weakref.ref(self)
        self.handles = [p.register_post_accumulate_grad_hook(functools.partial(_on_grad, ref, i))
                        for i, p in enumerate(params)]

    def _build(self, order: Sequence[int] | None) -> None:
        self.buckets = [_Bucket(self.params, b)
                        for b in assign_buckets(self.params, self.caps, order)]
        self.bucket_of = {i: b for b in self.buckets for i in b.indices}

    def _rebuild(self, missing: list[int]) -> None:
        """Rebuild the buckets in rank 0's order of arrival (every rank must use the same)."""
        assert self.arrivals is not None
        order = np.array(self.arrivals + missing, np.int64)
        wait_requests([self.pg.comm.Ibcast(order, 0)], self.pg.timeout,
                      "DistributedDataParallel's bucket rebuild")
        self.arrivals = None
        self._build(order.tolist())

    def arm(self) -> None:
        """Make the next backward reduce (called by a forward that requires a sync)."""
        self.ready = [False] * len(self.params)
        for bucket in self.buckets:
            bucket.pending = len(bucket.indices)
        self.next_bucket = 0
        self.armed, self.queued = True, False

    def mark_ready(self, i: int, param: Tensor) -> None:
        """The post-accumulate-grad hook: stage ``param``'s gradient, launch what is ready."""
        if not self.armed:
            return
        if not self.queued:
            from ...autograd.engine import queue_callback

            queue_callback(self.finalize)
            self.queued = True
        if self.ready[i]:
            raise RuntimeError(f"Expected to mark a variable ready only once. Parameter "
                               f"{self.names[i]} was marked ready twice in one backward pass.")
        self.ready[i] = True
        if self.arrivals is not None:
            self.arrivals.append(i)
        bucket = self.bucket_of[i]
        self._stage(i, param, bucket)
        bucket.pending -= 1
        if bucket.pending == 0:
            self._launch_ready()
        elif self.next_bucket:
            self._progress()

    def _stage(self, i: int, param: Tensor, bucket: _Bucket) -> None:
        """Put ``param``'s gradient, divided by the world size, into its bucket. The division
        comes before the sum, as torch's default hook does it (the same rounding), and rides
        on the copy."""
        view = bucket.views[i]
        grad = param._grad
        if grad is None:
            view[...] = 0
            return
        np.divide(grad._data, self.pg.size(), out=view)
        if self.as_view and grad._data is not view:
            param._grad = Tensor._make(view)

    def _launch_ready(self) -> None:
        MPI = mpi()  # noqa: N806 (the module's name)
        while self.next_bucket < len(self.buckets):
            bucket = self.buckets[self.next_bucket]
            if bucket.pending:
                break
            bucket.request = self.pg.comm.Iallreduce(MPI.IN_PLACE, bucket.flat, MPI.SUM)
            self.next_bucket += 1

    def _progress(self) -> None:
        """Poll the launched all-reduces: MPI advances them only inside its calls."""
        mpi().Request.Testall([b.request for b in self.buckets[:self.next_bucket]])

    def finalize(self) -> None:
        """The final callback of backward: complete every bucket and publish the averages."""
        self.armed = False
        missing = [i for i, r in enumerate(self.ready) if not r]
        used = None
        if missing and self.find_unused:
            for i in missing:
                bucket = self.bucket_of[i]
                self._stage(i, self.params[i], bucket)
                bucket.pending -= 1
            self._launch_ready()
            used = np.array(self.ready, np.uint8)
            used_request = self.pg.comm.Iallreduce(mpi().IN_PLACE, used, mpi().MAX)
        launched = self.buckets[:self.next_bucket]
        requests = [b.request for b in launched] + ([used_request] if used is not None else [])
        wait_requests(requests, self.pg.timeout, "DistributedDataParallel's gradient all-reduce")
        for bucket in launched:
            for i in bucket.indices:
                if used is None or used[i]:
                    self._publish(i, bucket.views[i])
        if missing and not self.find_unused:
            self.unfinished = [self.names[i] for i in missing]
        elif self.arrivals is not None:
            self._rebuild(missing)

    def _publish(self, i: int, view: np.ndarray) -> None:
        param = self.params[i]
        grad = param._grad
        if self.as_view:
            if grad is None or grad._data is not view:
                param._grad = Tensor._make(view)
        elif grad is None:
            param._grad = Tensor._make(view.copy())
        else:
            grad._data[...] = view
            grad._bump_version()

    def check_finished(self) -> None:
        """Raise torch's error when the last backward left parameters without gradients."""
        if self.unfinished:
            raise RuntimeError(_UNFINISHED.format(rank=self.pg.rank(),
                                                  names=", ".join(self.unfinished)))

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()
