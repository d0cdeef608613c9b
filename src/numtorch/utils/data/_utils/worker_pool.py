"""The main-process side of multi-process loading: ``_MultiProcessingDataLoaderIter``.

NOTE [ DataLoader task bookkeeping ]
Every entry of the index sampler becomes a task numbered by ``_send_idx`` and sent to the
next active worker, round-robin; at most ``prefetch_factor * num_workers`` tasks are in
flight, and each delivered batch sends one more. Answers arrive in any order on one queue;
with ``in_order`` an early answer waits in ``_ready`` until every older task has been
delivered. A worker whose iterable dataset is exhausted becomes inactive: its unanswered
tasks are skipped (they will never be answered) and it gets no new ones. The epoch ends
when no task is left. The wire protocol is NOTE [ DataLoader worker protocol ] in worker.py.

Only the main process reads the result queue and only it writes the per-worker index pipes,
so the main process starts no threads (forking a multi-threaded process is unsafe).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import queue
import time
from typing import Any

from ..dataloader import _BaseDataLoaderIter
from . import WORKER_CHECK_INTERVAL, WORKER_JOIN_TIMEOUT
from .worker import ExceptionWrapper, _IterableDatasetStopIteration, _ResumeIteration, _worker_loop


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Loads batches in ``num_workers`` worker processes, delivering them in sampler order."""

    _shutdown = True  # until the workers exist, there is nothing to shut down

    def __init__(self, loader: Any) -> None:
        super().__init__(loader)
        self._in_order = loader.in_order
        self._prefetch_factor: int = loader.prefetch_factor  # set (default 2) with workers
        self._owner_pid = os.getpid()
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self._data_queue = context.Queue()
        self._done_event = context.Event()
        self._index_conns: list[Any] = []
        self._workers: list[Any] = []
        self._shutdown = False
        for worker_id in range(self._num_workers):
            self._start_worker(context, loader.worker_init_fn, worker_id)
        self._reset(loader, first_iter=True)

    def _start_worker(self, context: Any, init_fn: Any, worker_id: int) -> None:
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker_loop, daemon=True,
            args=(self._dataset_kind, self._dataset, reader, self._data_queue,
                  self._done_event, self._auto_collation, self._collate_fn, self._drop_last,
                  self._base_seed, init_fn, worker_id, self._num_workers))
        process.start()
        # only the worker may hold the reading end: then writing to a dead worker fails
        # (BrokenPipeError) instead of blocking, and later workers don't inherit it
        reader.close()
        self._index_conns.append(writer)
        self._workers.append(process)

    def _reset(self, loader: Any, first_iter: bool = False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0  # number of the next task to send
        self._rcvd_idx = 0  # number of the next task to deliver (in-order mode)
        self._tasks: dict[int, int] = {}  # undelivered task -> worker id
        self._ready: dict[int, Any] = {}  # answers that arrived before their turn
        self._outstanding = 0  # tasks sent but not answered
        self._active = [True] * self._num_workers
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            self._resume_workers()
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _resume_workers(self) -> None:
        """Start a new epoch on persistent workers; drop answers left from the last one."""
        for worker_id in range(self._num_workers):
            self._send(worker_id, _ResumeIteration())
        waiting = self._num_workers
        while waiting:
            tag, _ = self._get_data()
            if isinstance(tag, _ResumeIteration):
                waiting -= 1

    # -- sending ------------------------------------------------------------------------------
    def _try_put_index(self) -> None:
        assert self._outstanding < self._prefetch_factor * self._num_workers
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_cycle)
            if self._active[worker_id]:
                break
        else:
            return  # every worker's iterable is exhausted
        self._send(worker_id, (self._send_idx, index))
        self._tasks[self._send_idx] = worker_id
        self._outstanding += 1
        self._send_idx += 1

    def _send(self, worker_id: int, message: Any) -> None:
        try:
            self._index_conns[worker_id].send(message)
        except OSError:
            self._raise_if_workers_died()
            raise

    # -- receiving ----------------------------------------------------------------------------
    def _get_data(self) -> tuple[Any, Any]:
        """The next ``(tag, payload)`` from any worker; checks on the workers while waiting."""
        deadline = time.monotonic() + self._timeout if self._timeout > 0 else None
        while True:
            wait = WORKER_CHECK_INTERVAL
            if deadline is not None:
                wait = max(0.0, min(wait, deadline - time.monotonic()))
            try:
                return self._data_queue.get(timeout=wait)
            except queue.Empty:
                pass
            self._raise_if_workers_died()
            if deadline is not None and time.monotonic() >= deadline:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")

    def _raise_if_workers_died(self) -> None:
        failed = [w for worker_id, w in enumerate(self._workers)
                  if self._active[worker_id] and not w.is_alive()]
        if failed:
            pids = ", ".join(str(w.pid) for w in failed)
            self._shutdown_workers()
            raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly")

    def _has_pending_task(self) -> bool:
        """Drop tasks only inactive workers could answer; False when none are left."""
        if self._in_order:
            while self._rcvd_idx < self._send_idx:
                idx = self._rcvd_idx
                if idx in self._ready or self._active[self._tasks[idx]]:
                    return True
                del self._tasks[idx]
                self._rcvd_idx += 1
            return False
        for idx in [i for i, w in self._tasks.items() if not self._active[w]]:
            del self._tasks[idx]
        return bool(self._tasks)

    def _next_data(self) -> Any:
        while True:
            if self._shutdown or not self._has_pending_task():
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if self._in_order and self._rcvd_idx in self._ready:
                return self._deliver(self._rcvd_idx, self._ready.pop(self._rcvd_idx))
            idx, payload = self._get_data()
            self._outstanding -= 1
            data = pickle.loads(payload)
            if isinstance(data, _IterableDatasetStopIteration):
                self._retire(data.worker_id)
                self._try_put_index()
            elif self._in_order and idx != self._rcvd_idx:
                self._ready[idx] = data
            else:
                return self._deliver(idx, data)

    def _deliver(self, idx: int, data: Any) -> Any:
        del self._tasks[idx]
        if self._in_order:
            self._rcvd_idx += 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        return data

    def _retire(self, worker_id: int) -> None:
        """A worker's iterable dataset is exhausted: no more tasks for it."""
        self._active[worker_id] = False
        if not self._persistent_workers:
            try:
                self._index_conns[worker_id].send(None)  # it may exit now
            except OSError:
                pass

    # -- shutdown -----------------------------------------------------------------------------
    def _shutdown_workers(self) -> None:
        """Stop the workers (politely, then by force) and release the queues. Idempotent."""
        if self._shutdown or os.getpid() != self._owner_pid:
            return  # a forked child must not touch its parent's workers
        self._shutdown = True
        self._done_event.set()
        for conn in self._index_conns:
            try:
                conn.send(None)
            except OSError:
                pass  # that worker is gone already
        for process in self._workers:
            process.join(timeout=WORKER_JOIN_TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        for conn in self._index_conns:
            conn.close()
        self._data_queue.cancel_join_thread()
        self._data_queue.close()

    def __del__(self) -> None:
        try:
            self._shutdown_workers()
        except Exception:  # interpreter teardown may already have torn modules down
            pass
