"""torch's thread-count functions, acting on NumPy's BLAS pool."""

# NOTE [ Threads ]
# numtorch's only parallel work is the BLAS library NumPy loaded (OpenBLAS in NumPy's wheels:
# matmul, linalg), so torch's intra-op count maps onto that library's thread pool.
# threadpoolctl (a small pure-Python runtime dependency) finds the library among the loaded
# ones and calls its own setter (``openblas_set_num_threads``): an environment variable such
# as OPENBLAS_NUM_THREADS is read only when the library loads, i.e. at ``import numpy``, too
# early for a program to change. Only the "blas" libraries are touched, never an OpenMP
# runtime another package (torch) loaded in the same process.
# Without threadpoolctl (a warning says so), or with no BLAS it knows, the value set is kept
# and reported, and the pool keeps its size. numtorch has no inter-op pool: the interop
# functions keep torch's contract (a positive int, settable once) and report the value.
# threadpoolctl is imported on first use, so ``import numtorch`` does not pay for it; on import
# it sets KMP_DUPLICATE_LIB_OK=True in os.environ when unset (its choice, for processes that
# load two Intel OpenMP runtimes), which numtorch leaves alone.

from __future__ import annotations

import numbers
import os
import warnings
from typing import Any

_INT_MAX = 2**31 - 1  # torch takes a C int
_MISSING = "threadpoolctl is not installed"
_blas: Any = None  # threadpoolctl's controller over the BLAS libraries, or _MISSING
_num_threads: int | None = None  # the last set_num_threads value
_num_interop_threads: int | None = None


def _type_name(value: object) -> str:
    """The type's name as torch's messages print it (CPython's tp_name)."""
    kind = type(value)
    is_heap_type = kind.__flags__ & (1 << 9)  # Py_TPFLAGS_HEAPTYPE: a class written in Python
    if is_heap_type or kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__name__}"  # a C type's name carries its module


def _check_count(function: str, n: object) -> int:
    """``n`` as an int, with torch's errors for anything but a positive int."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise RuntimeError(f"{function} expects an int, but got {_type_name(n)}")
    n = int(n)
    if n > _INT_MAX:
        raise ValueError("Overflow when unpacking long")
    if n <= 0:
        raise RuntimeError(f"{function} expects a positive integer")
    return n


def _blas_pool() -> Any:
    """threadpoolctl's controller over the loaded BLAS libraries (maybe none), or _MISSING."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _blas = _MISSING
        else:
            import numpy  # noqa: F401 - its BLAS must be loaded to be found

            _blas = ThreadpoolController().select(user_api="blas")
    return _blas


def _default_num_threads() -> int:
    """torch's default intra-op count: OMP_NUM_THREADS, else the CPUs this process may use."""
    try:
        n = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        n = 0
    if n > 0:
        return n
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def set_num_threads(n: int) -> None:
    """Set the number of threads of NumPy's BLAS (numtorch's intra-op parallelism).

    See NOTE [ Threads ] in ``numtorch/_threads.py``.

    Args:
        n: a positive int.

    >>> import numtorch
    >>> numtorch.set_num_threads(1)
    >>> numtorch.get_num_threads()
    1
    """
    global _num_threads
    n = _check_count("set_num_threads", n)
    _num_threads = n
    pool = _blas_pool()
    if pool is not _MISSING:
        pool.limit(limits=n)  # applies now and stays: no context manager is entered
    else:
        warnings.warn("numtorch.set_num_threads: threadpoolctl is not installed, so NumPy's "
                      "BLAS keeps its thread count (set OPENBLAS_NUM_THREADS before starting "
                      "Python, or pip install threadpoolctl)", UserWarning, stacklevel=2)


def get_num_threads() -> int:
    """The number of threads of NumPy's BLAS (numtorch's intra-op parallelism).

    Returns the BLAS pool's own count; by default torch's (the CPUs this process may use,
    or OMP_NUM_THREADS), which OpenBLAS also chooses.

    >>> import numtorch
    >>> numtorch.get_num_threads() >= 1
    True
    """
    pool = _blas_pool()
    if pool is not _MISSING:
        counts = [lib.get_num_threads() for lib in pool.lib_controllers]
        counts = [c for c in counts if c]
        if counts:
            return max(counts)
    return _num_threads if _num_threads is not None else _default_num_threads()


def set_num_interop_threads(n: int) -> None:
    """Set the number of inter-op threads: kept and reported, as numtorch has no such pool.

    As in torch, it may be called once.

    Args:
        n: a positive int.
    """
    global _num_interop_threads
    n = _check_count("set_num_interop_threads", n)
    if _num_interop_threads is not None:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work "
                           "has started or set_num_interop_threads called")
    _num_interop_threads = n


def get_num_interop_threads() -> int:
    """The number of inter-op threads: the value set, else torch's default (the CPU count).

    >>> import numtorch
    >>> numtorch.get_num_interop_threads() >= 1
    True
    """
    if _num_interop_threads is not None:
        return _num_interop_threads
    return os.cpu_count() or 1
