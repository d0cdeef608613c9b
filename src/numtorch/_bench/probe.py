"""Peak memory of one workload step, in a fresh process that imports one library.

    python .../numtorch/_bench/probe.py LIB WORKLOAD [THREADS]

Run by path, not as ``-m numtorch._bench.probe``: importing the package would import
numtorch into torch's process. Prints one JSON object: the resident set size right before
the step (``baseline_mb``), its peak during the step (``peak_mb``), how the peak was taken,
and which of the two libraries the process held.
"""

# NOTE [ Peak RSS of one step ]
# Linux keeps a process's peak resident size in VmHWM (/proc/self/status), and writing "5"
# to /proc/self/clear_refs resets it to the current size. Resetting right before the step
# leaves out the setup's own peak (reading the dataset makes a temporary float copy of it)
# and measures what the step holds at its worst, dataset and model included. Where the reset
# is refused or unavailable, the fallback is getrusage's ru_maxrss, the peak since the
# process started, setup included, and ``method`` says so.

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import os
import resource
import sys


def _status_mb(field: str) -> float | None:
    """A ``kB`` field of /proc/self/status in MB, None where there is no such file."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS; whether that worked."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    hwm, rss = _status_mb("VmHWM"), _status_mb("VmRSS")
    return hwm is not None and rss is not None and hwm - rss < 1.0


def _load_workloads() -> object:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workloads.py")
    spec = importlib.util.spec_from_file_location("_numtorch_bench_workloads", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses looks the module up
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    lib_name, name = argv[:2]
    workloads = _load_workloads()
    lib = importlib.import_module(lib_name)
    if len(argv) > 2:
        lib.set_num_threads(int(argv[2]))
    step = workloads.WORKLOADS[name].setup(lib)  # type: ignore[attr-defined]
    gc.collect()
    baseline = _status_mb("VmRSS")
    if reset_peak():
        method = "VmHWM, reset before the step"
    else:
        method = "ru_maxrss since the process started"
    step()
    peak = _status_mb("VmHWM") if method.startswith("VmHWM") else None
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    held = [m for m in ("numtorch", "torch") if m in sys.modules]
    print(json.dumps({"library": lib_name, "workload": name, "baseline_mb": baseline,
                      "peak_mb": peak, "method": method, "modules": held}))
    return 0


if __name__ == "__main__":
    del sys.path[0]  # this script's folder: its modules must not shadow the libraries'
    sys.exit(main(sys.argv[1:]))
