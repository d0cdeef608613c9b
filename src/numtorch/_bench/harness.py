"""Run the workloads on numtorch and torch, alternately, and the fresh-process measurements."""

# NOTE [ Benchmark protocol ]
# Each workload's setup runs once per library, both steps run once untimed (warm-up), then
# ``repeat`` rounds alternate numtorch, torch, numtorch, ...: a neighbour's burst on this
# shared machine hits both libraries, not one, and the ratio of medians numtorch/torch stays
# meaningful when the absolute times swing. Threads are pinned the same way for both
# (``set_num_threads``: NumPy's BLAS for numtorch, the intra-op pool for torch), per entry of
# the threads list; "default" restores each library's own count. What must not share a
# process with the other library runs in a fresh one: the import times, the peak memory of
# an MLP epoch (``probe.py``), and numtorch with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed
# from its environment, which OpenBLAS reads once, when NumPy loads it.

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from numtorch._bench.workloads import FLOOR, MLP_EPOCHS, WORKLOADS

CLOCKS: dict[str, Callable[[], float]] = {
    "wall": time.perf_counter, "thread": time.thread_time, "process": time.process_time}
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
UNSET = "numtorch-openblas-unset"  # label of the samples of numtorch with OPENBLAS_* removed
Samples = dict[str, dict[str, list[float]]]  # workload -> library label -> seconds a step


@dataclass
class Config:
    """What to run; ``threads`` holds None for a library's default count."""

    names: list[str]
    repeat: int = 7
    inner: int | None = None  # steps per timing sample; None: each workload's own
    clock: str = "wall"
    threads: list[int | None] = field(default_factory=lambda: [None])
    torch: bool = True
    import_repeat: int = 5
    memory: bool = True
    openblas_unset: bool = False
    keep_freed_memory: bool = False  # NOTE [ Keeping freed memory ] in numtorch._malloc
    command: str = ""


@dataclass
class Results:
    settings: dict[str, Any]
    runs: list[dict[str, Any]]  # one per threads entry: threads, threads_in_effect, samples
    import_s: dict[str, list[float]] = field(default_factory=dict)
    memory: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"settings": self.settings, "runs": self.runs, "import_s": self.import_s,
                "memory": self.memory}


def with_floor(names: list[str]) -> list[str]:
    """``names`` plus mlp_matmul after the MLP epochs when one runs: the floor they need."""
    if FLOOR in names or not any(n in MLP_EPOCHS for n in names):
        return list(names)
    last = max(i for i, n in enumerate(names) if n in MLP_EPOCHS)
    return names[:last + 1] + [FLOOR] + names[last + 1:]


def time_workloads(names: list[str], repeat: int, libs: list[Any],
                   clock: Callable[[], float] = time.perf_counter,
                   inner: int | None = None, log: Callable[[str], None] | None = None
                   ) -> Samples:
    """Seconds per step of each workload and library; see NOTE [ Benchmark protocol ]."""
    results: Samples = {}
    for name in names:
        if log is not None:
            log(f"{name} ...")
        work = WORKLOADS[name]
        count = inner or work.inner
        steps = {lib.__name__: work.setup(lib) for lib in libs}
        for step in steps.values():  # warm up both before timing either
            step()
        samples: dict[str, list[float]] = {lib.__name__: [] for lib in libs}
        for _ in range(repeat):
            for lib_name, step in steps.items():
                t = clock()
                for _ in range(count):
                    step()
                samples[lib_name].append((clock() - t) / count)
        results[name] = samples
    return results


def time_at_threads(config: Config, libs: list[Any],
                    log: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """One run of the workloads per entry of ``config.threads``."""
    defaults = {lib.__name__: lib.get_num_threads() for lib in libs}
    runs = []
    pinned = False
    for n in config.threads:
        if n is not None or pinned:
            for lib in libs:
                lib.set_num_threads(defaults[lib.__name__] if n is None else n)
            pinned = n is not None
        in_effect = {lib.__name__: lib.get_num_threads() for lib in libs}
        if log is not None:
            log(f"threads {'default' if n is None else n} {in_effect}")
        samples = time_workloads(with_floor(config.names), config.repeat, libs,
                                 CLOCKS[config.clock], config.inner, log)
        runs.append({"threads": n, "threads_in_effect": in_effect, "samples": samples})
    if pinned:  # leave the caller's process as it was
        for lib in libs:
            lib.set_num_threads(defaults[lib.__name__])
    return runs


def _child_env(unset: tuple[str, ...] = ()) -> dict[str, str]:
    """This environment for a child Python, minus ``unset``, finding this same numtorch."""
    import numtorch

    env = {k: v for k, v in os.environ.items() if k not in unset}
    src = os.path.dirname(os.path.dirname(os.path.abspath(numtorch.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def openblas_unset_runs(config: Config) -> dict[str, Any]:
    """numtorch's runs in a child process whose environment lacks OPENBLAS_VARS.

    Only the child's environment changes; this process's ``os.environ`` is left as it is.
    """
    spec = {"names": config.names, "repeat": config.repeat, "inner": config.inner,
            "clock": config.clock, "threads": config.threads}
    out = subprocess.run([sys.executable, "-m", "numtorch._bench", "--child", json.dumps(spec)],
                         env=_child_env(OPENBLAS_VARS), capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"the OPENBLAS_* unset run failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def child_main(spec_json: str) -> int:
    """The child of ``openblas_unset_runs``: numtorch alone, JSON on stdout."""
    import numtorch

    spec = json.loads(spec_json)
    config = Config(names=spec["names"], repeat=spec["repeat"], inner=spec["inner"],
                    clock=spec["clock"], threads=spec["threads"])
    runs = time_at_threads(config, [numtorch])
    print(json.dumps({"runs": runs, "blas": blas_info(),
                      "openblas_env": {v: os.environ.get(v) for v in OPENBLAS_VARS}}))
    return 0


def import_times(modules: list[str], repeat: int) -> dict[str, list[float]]:
    """Seconds of ``import MODULE`` in fresh interpreters, alternating the modules."""
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    times: dict[str, list[float]] = {m: [] for m in modules}
    # as an installed package imports: from compiled bytecode, which a first import writes
    # (a checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile on every import)
    env = _child_env(unset=("PYTHONDONTWRITEBYTECODE",))
    for m in modules:
        subprocess.run([sys.executable, "-c", f"import {m}"], check=True, env=env)
    for _ in range(repeat):
        for m in modules:
            out = subprocess.run([sys.executable, "-c", code.format(m)], capture_output=True,
                                 text=True, check=True, env=env)
            times[m].append(float(out.stdout))
    return times


def peak_memory(name: str, libs: list[str], threads: int | None) -> dict[str, dict[str, Any]]:
    """Each library's RSS before and at its peak during one step of ``name`` (probe.py)."""
    probe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.py")
    result = {}
    for lib in libs:
        args = [sys.executable, probe, lib, name] + ([str(threads)] if threads else [])
        out = subprocess.run(args, capture_output=True, text=True, env=_child_env())
        if out.returncode:
            raise RuntimeError(f"the memory probe failed for {lib}:\n{out.stderr}")
        result[lib] = json.loads(out.stdout)
    return result


def blas_info() -> list[dict[str, Any]]:
    """NumPy's BLAS as threadpoolctl sees it (library, version, kernel); [] without it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    import numpy  # noqa: F401 - load its BLAS

    keys = ("internal_api", "version", "architecture", "threading_layer", "num_threads")
    return [{k: lib.get(k) for k in keys} for lib in threadpool_info()
            if lib.get("user_api") == "blas"]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def settings(config: Config, torch: Any) -> dict[str, Any]:
    """What the results depend on, printed above them."""
    import numpy

    import numtorch

    return {
        "command": config.command,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu_model(), "cpus": os.cpu_count(),
        "python": platform.python_version(), "numpy": numpy.__version__,
        "numtorch": numtorch.__version__, "torch": torch.__version__ if torch else None,
        "openblas_env": {v: os.environ.get(v) for v in OPENBLAS_VARS},
        "blas": blas_info(), "repeat": config.repeat, "inner": config.inner,
        "clock": config.clock, "threads": config.threads,
        "keep_freed_memory": config.keep_freed_memory,
    }


def bench(config: Config, log: Callable[[str], None] | None = None) -> Results:
    """Everything ``numtorch bench`` measures, as configured."""
    import numtorch

    torch: Any = None
    if config.torch:
        try:
            import torch
        except ImportError:
            if log is not None:
                log("torch is not installed: timing numtorch alone")
    libs = [numtorch] + ([torch] if torch is not None else [])
    if config.keep_freed_memory:  # this process, so both libraries alike
        from numtorch._malloc import keep_freed_memory

        config.keep_freed_memory = keep_freed_memory()
    results = Results(settings(config, torch), time_at_threads(config, libs, log))
    if config.openblas_unset:
        if log is not None:
            log("numtorch with OPENBLAS_* unset, in a child process ...")
        child = openblas_unset_runs(config)
        results.settings["openblas_unset"] = {k: child[k] for k in ("blas", "openblas_env")}
        for run, child_run in zip(results.runs, child["runs"]):
            for name, samples in child_run["samples"].items():
                run["samples"][name][UNSET] = samples["numtorch"]
    names = [lib.__name__ for lib in libs]
    if config.import_repeat > 0:
        if log is not None:
            log("import times ...")
        results.import_s = import_times(names, config.import_repeat)
    if config.memory:
        for name in (n for n in config.names if n in MLP_EPOCHS):
            if log is not None:
                log(f"peak memory of {name} ...")
            results.memory[name] = peak_memory(name, names, config.threads[0])
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)
