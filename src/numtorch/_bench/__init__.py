"""``numtorch bench``: side-by-side timings of numtorch and torch (issue 6's harness).

- ``workloads``: the workloads, each ``setup(lib) -> step`` for ``lib`` numtorch or torch, and
  the issue's target ratio for each. Standard library only at import, and no numtorch import,
  so ``probe.py`` can load it by path in a process that imports torch alone.
- ``harness``: runs the workloads alternately, at one or several thread counts, and the
  measurements made in fresh processes: import time, peak memory, OPENBLAS_* unset.
- ``report``: the plain-text and Markdown output.  ``cli``: the options.
- ``probe.py``: a script run by path (peak memory of one workload for one library).
"""
