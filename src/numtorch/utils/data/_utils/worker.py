"""What runs inside a DataLoader worker process, and what it tells the main process.

NOTE [ DataLoader worker protocol ]
Each worker reads ``(task_idx, keys)`` messages from its own one-way pipe and answers on a
queue shared by all workers with ``(task_idx, payload)``: the pickled batch, an
``ExceptionWrapper`` (the dataset raised) or an ``_IterableDatasetStopIteration`` (its copy
of an iterable dataset is exhausted). ``None`` on the pipe means "exit";
``_ResumeIteration`` (persistent workers) means "a new epoch starts", answered by the same
object so the main process knows every older answer has been read.
The worker pickles the answer itself, so a batch that cannot be pickled is reported as an
error instead of being dropped by the queue's feeder thread (which would hang the loader).
"""

from __future__ import annotations

import os
import pickle
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from .... import manual_seed
from . import MP_STATUS_CHECK_INTERVAL
from .fetch import _DatasetKind, create_fetcher

__all__ = ["WorkerInfo", "get_worker_info", "ExceptionWrapper"]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a worker knows about itself (``get_worker_info()`` inside a worker).

    Attributes:
        id: this worker's id, ``0 .. num_workers - 1``.
        num_workers: how many workers the DataLoader runs.
        seed: the seed of this worker's generators (``base_seed + id``).
        dataset: this process's copy of the dataset.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The current worker's ``WorkerInfo``; ``None`` in the main process.

    An ``IterableDataset`` uses it to yield only its worker's share:

    >>> info = get_worker_info()
    >>> start, step = (0, 1) if info is None else (info.id, info.num_workers)
    """
    return _worker_info


class _KeyErrorMessage(str):
    """KeyError prints ``repr`` of its message; this keeps a traceback's newlines readable."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception caught in a worker, carried to the main process and raised there again."""

    def __init__(self, exc_info: Any = None, where: str = "in background") -> None:
        exc_type, exc, tb = sys.exc_info() if exc_info is None else exc_info
        # a class pickle cannot find by name (defined in a function) travels as RuntimeError
        self.exc_type: type[BaseException] = \
            exc_type if exc_type is not None and _picklable(exc_type) else RuntimeError
        self.exc_name = getattr(exc_type, "__name__", "Exception")
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc, tb))
        self.where = where

    def reraise(self) -> NoReturn:
        """Raise the same exception type, its message being the worker's traceback."""
        msg = f"Caught {self.exc_name} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = _KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            # the type needs other constructor arguments: keep the text, lose the type
            raise RuntimeError(msg) from None
        raise exception


def _picklable(obj: Any) -> bool:
    try:
        pickle.dumps(obj)
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's copy of the iterable dataset has no more samples."""

    worker_id: int


class _ResumeIteration:
    """Start of a new epoch for persistent workers (sent to each worker and echoed back)."""


class _ParentWatchdog:
    """Notices that the main process died, so an orphaned worker exits instead of idling.

    Under fork the parent id changes when the main process dies (the worker is re-parented);
    under spawn / forkserver ``parent_process()`` has a sentinel that closes.
    """

    def __init__(self) -> None:
        import multiprocessing  # only workers need it: keeps `import numtorch` light

        self._ppid = os.getppid()
        self._parent = multiprocessing.parent_process()
        self._dead = False

    def is_alive(self) -> bool:
        if not self._dead:
            self._dead = os.getppid() != self._ppid or (
                self._parent is not None and not self._parent.is_alive())
        return not self._dead


def _seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed Python's ``random``, numtorch's default generator and NumPy's global RNG.

    ``random`` and numtorch get ``base_seed + worker_id`` as in torch, so every worker draws
    different numbers (forked workers would otherwise all copy the parent's state). NumPy's
    legacy global RNG gets a state derived from both (torch derives one too, differently).
    """
    seed = base_seed + worker_id
    random.seed(seed)
    manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, base_seed]).generate_state(4))
    return seed


def _serialize(data: Any, where: str) -> bytes:
    try:
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps(ExceptionWrapper(where=where), protocol=pickle.HIGHEST_PROTOCOL)


class _Worker:
    """The state of one worker process: its fetcher and where it stands in the epoch."""

    def __init__(self, dataset_kind: int, dataset: Any, auto_collation: bool,
                 collate_fn: Any, drop_last: bool, worker_id: int) -> None:
        self.args = (dataset_kind, dataset, auto_collation, collate_fn, drop_last)
        self.where = f"in DataLoader worker process {worker_id}"
        self.worker_id = worker_id
        self.pending_error: ExceptionWrapper | None = None
        self.iteration_end = False
        self.fetcher: Any = None

    def start_epoch(self) -> None:
        """Make a fresh fetcher (a new iterator over an iterable dataset)."""
        self.iteration_end = False
        try:
            self.fetcher = create_fetcher(*self.args)
        except Exception:
            self.pending_error = ExceptionWrapper(where=self.where)

    def run_init_fn(self, init_fn: Any) -> None:
        try:
            init_fn(self.worker_id)
        except Exception:
            self.pending_error = ExceptionWrapper(where=self.where)

    def answer(self, keys: Any) -> Any:
        """The batch for ``keys``, or what went wrong (an error raised earlier comes first)."""
        if self.pending_error is not None:
            error, self.pending_error = self.pending_error, None
            return error
        try:
            return self.fetcher.fetch(keys)
        except StopIteration:
            if self.args[0] != _DatasetKind.Iterable:
                return ExceptionWrapper(where=self.where)
            self.iteration_end = True
            return _IterableDatasetStopIteration(self.worker_id)
        except Exception:
            return ExceptionWrapper(where=self.where)


def _worker_loop(dataset_kind: int, dataset: Any, index_conn: Any, data_queue: Any,
                 done_event: Any, auto_collation: bool, collate_fn: Any, drop_last: bool,
                 base_seed: int, init_fn: Any, worker_id: int, num_workers: int) -> None:
    """The body of a worker process; see NOTE [ DataLoader worker protocol ]."""
    global _worker_info
    try:
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed,
                                  dataset=dataset)
        worker = _Worker(dataset_kind, dataset, auto_collation, collate_fn, drop_last,
                         worker_id)
        if init_fn is not None:
            worker.run_init_fn(init_fn)
        if worker.pending_error is None:
            worker.start_epoch()
        _serve(worker, index_conn, data_queue, done_event)
    except KeyboardInterrupt:
        pass  # the main process sees the interrupt too and shuts the workers down
    if done_event.is_set():
        # shutting down: don't block exiting on answers nobody will read
        data_queue.cancel_join_thread()
        data_queue.close()


def _serve(worker: _Worker, index_conn: Any, data_queue: Any, done_event: Any) -> None:
    watchdog = _ParentWatchdog()
    while watchdog.is_alive():
        if not index_conn.poll(MP_STATUS_CHECK_INTERVAL):
            continue
        try:
            message = index_conn.recv()
        except EOFError:
            return
        if message is None:
            return
        if isinstance(message, _ResumeIteration):
            worker.start_epoch()
            data_queue.put((message, None))
            continue
        if done_event.is_set() or worker.iteration_end:
            continue  # shutting down, or nothing left to give: skip the work
        task_idx, keys = message
        data_queue.put((task_idx, _serialize(worker.answer(keys), worker.where)))
