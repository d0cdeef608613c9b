"""Work handles, and the one place numtorch waits on the network (with the watchdog deadline).

NOTE [ Waiting on MPI requests ]
Every operation is started non-blocking (Isend, Iallreduce, Ibarrier...) and then waited on
here, so that one deadline covers all of them (NOTE [ A failing rank ends the job ]). MPI moves
a non-blocking operation forward only inside MPI calls, so the wait polls ``Test``: for a
millisecond it only yields the core between polls (most operations finish in microseconds),
then it sleeps between them, up to 0.2 ms, so that a rank waiting for a slower one leaves the
CPU to it when there are more ranks (or other programs) than cores.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from .._tensor import Tensor
from ._process_group import DistBackendError, mpi, world_rank

__all__ = ["Work", "wait_requests"]

_SPIN_SECONDS = 0.001
_MAX_SLEEP = 0.0002


def wait_requests(requests: Sequence[Any], timeout: timedelta, what: str,
                  status: Any = None) -> None:
    """Wait until every MPI request is complete, or raise DistBackendError after ``timeout``.

    ``status`` (for a single receive) is filled with the message's source and size.
    """
    MPI = mpi()
    if _test(MPI, requests, status):
        return
    start = time.monotonic()
    deadline = start + timeout.total_seconds()
    pause = 1e-5
    while not _test(MPI, requests, status):
        now = time.monotonic()
        if now > deadline:
            raise DistBackendError(
                f"[Rank {world_rank()}] {what} did not complete within {timeout} (the timeout "
                "of init_process_group): another rank may have exited, hung, or not called "
                "the same collective.")
        if now - start > _SPIN_SECONDS:
            time.sleep(pause)
            pause = min(2 * pause, _MAX_SLEEP)
        else:
            os.sched_yield()  # free at once when nothing else wants the core


def _test(MPI: Any, requests: Sequence[Any], status: Any) -> bool:  # noqa: N803 (the module)
    if status is not None:
        return bool(requests[0].Test(status))
    return bool(MPI.Request.Testall(list(requests)))


class Work:
    """A started operation: returned by ``isend``/``irecv`` and by collectives called with
    ``async_op=True``. ``wait()`` blocks until it is done; ``is_completed()`` polls.

    Output tensors are written when the operation completes, seen through ``wait()`` or a
    ``True`` from ``is_completed()``; read them only after that, as in torch.
    """

    def __init__(self, requests: list[Any], timeout: timedelta, what: str,
                 finish: Callable[[], None] | None = None, outputs: Sequence[Tensor] = (),
                 status: Any = None, keep: Sequence[Any] = ()) -> None:
        self._requests = requests
        self._timeout = timeout
        self._what = what
        self._finish = finish
        self._outputs = list(outputs)
        self._status = status
        self._keep = keep  # buffers MPI reads or writes until the requests complete
        self._done = False

    def _complete(self) -> None:
        self._done = True
        self._keep = ()
        if self._finish is not None:
            finish, self._finish = self._finish, None
            finish()

    def is_completed(self) -> bool:
        """True once the operation is done (it is polled, so this also moves it forward)."""
        if not self._done and _test(mpi(), self._requests, self._status):
            self._complete()
        return self._done

    def wait(self, timeout: timedelta | None = None) -> bool:
        """Block until done; raise DistBackendError past ``timeout`` (default: the group's)."""
        if not self._done:
            wait_requests(self._requests, timeout or self._timeout, self._what, self._status)
            self._complete()
        return True

    def is_success(self) -> bool:
        """True once completed (a failed operation aborts the job instead of returning)."""
        return self.is_completed()

    def exception(self) -> None:
        """Always None: failures abort the job (NOTE [ A failing rank ends the job ])."""
        return None

    def result(self) -> list[Tensor]:
        """The output tensors of the operation (waits first)."""
        self.wait()
        return list(self._outputs)

    def source_rank(self) -> int:
        """For a receive: the group rank of the sender (useful with ``src=None``)."""
        self.wait()
        if self._status is None:
            raise ValueError("source_rank() is only defined for receive operations")
        return int(self._status.Get_source())

    def synchronize(self) -> None:
        """Nothing to do on the CPU (torch uses it to order CUDA streams)."""
