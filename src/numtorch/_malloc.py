"""glibc's allocator told to keep the memory a training step frees, for the next step.

NOTE [ Keeping freed memory ]
A training step allocates and frees the same large arrays every time (activations, their
gradients, im2col columns). By default glibc hands the top of its heap back to the OS once
more than a threshold of it is free, and serves large requests with fresh ``mmap``s, so the
next step faults the same pages in again: measured at 2,500-4,000 minor faults, a quarter of
a LeNet step's time. Two ``mallopt`` settings stop that: ``M_TRIM_THRESHOLD`` (free heap
top kept up to 1 GiB) and ``M_MMAP_THRESHOLD`` (requests up to 32 MiB, glibc's cap, come from
the heap). Peak memory is unchanged; what changes is that the process keeps its peak instead of
returning it between steps.

It is a setting of the whole process, so ``import numtorch`` never applies it: the commands
``numtorch run`` and ``numtorch train``, which own their process, do, unless the user chose
for themselves through glibc's own variables (``MALLOC_TRIM_THRESHOLD_``,
``MALLOC_MMAP_THRESHOLD_``), which work for any Python program.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_USER_CHOICE = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_")


def keep_freed_memory() -> bool:
    """Apply NOTE [ Keeping freed memory ] to this process; whether it took effect (only
    glibc on Linux has ``mallopt``, and a user's own ``MALLOC_*_`` choice is left alone)."""
    if not sys.platform.startswith("linux") or any(v in os.environ for v in _USER_CHOICE):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # another C library (musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_TRIM_THRESHOLD, 1 << 30)) and bool(mallopt(_M_MMAP_THRESHOLD, 32 << 20))
