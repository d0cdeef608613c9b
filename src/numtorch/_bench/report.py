"""The benchmark's output: a plain-text report, or a Markdown table for the README."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

from numtorch._bench.harness import OPENBLAS_VARS, UNSET, Results
from numtorch._bench.workloads import (
    FLOOR,
    FLOOR_TARGET,
    IMPORT_TARGET,
    MEMORY_TARGET,
    MLP_EPOCHS,
    WORKLOADS,
)

LABELS = {"numtorch": "numtorch", "torch": "torch", UNSET: "numtorch, OPENBLAS_* unset"}
DATASET_NOTE = "the 188 MB float32 dataset is held by both"


def fmt_time(seconds: float, micro: str = "us") -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} {micro}"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def met(ratio: float | None, target: float | None) -> str:
    if ratio is None or target is None:
        return ""
    return "yes" if ratio <= target else "no"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _fmt_ratio(r: float | None) -> str:
    return "" if r is None else f"{r:.2f}"


def _rounds(n: int) -> str:
    return f"{n} round" + ("s" if n != 1 else "")


def _threads_label(run: dict[str, Any]) -> str:
    n = run["threads"]
    counts = ", ".join(f"{lib} {k}" for lib, k in run["threads_in_effect"].items())
    return f"{'default' if n is None else n} ({counts})"


def floor_ratios(samples: dict[str, dict[str, list[float]]]
                 ) -> dict[str, dict[str, tuple[float, float, float]]]:
    """epoch -> library -> (epoch median, mlp_matmul median, their ratio)."""
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    if FLOOR not in samples:
        return out
    for epoch in (n for n in MLP_EPOCHS if n in samples):
        for lib, times in samples[epoch].items():
            if lib in samples[FLOOR]:
                e, f = statistics.median(times), statistics.median(samples[FLOOR][lib])
                out.setdefault(epoch, {})[lib] = (e, f, e / f)
    return out


def _memory_ratio(per_lib: dict[str, dict[str, Any]], key: str) -> float | None:
    nt, t = per_lib.get("numtorch", {}).get(key), per_lib.get("torch", {}).get(key)
    return _ratio(nt, t)


def text(results: Results) -> str:
    """The plain-text report: settings, then a table per thread count, then the extras."""
    lines = _text_settings(results)
    for run in results.runs:
        lines += ["", f"threads {_threads_label(run)}",
                  f"{'workload':<15} {'library':<27} {'median':>10} {'min':>10} {'max':>10}"
                  f"  {'ratio':>5}  target"]
        for name, samples in run["samples"].items():
            target = WORKLOADS[name].target
            torch_median = statistics.median(samples["torch"]) if "torch" in samples else None
            for i, (lib, times) in enumerate(samples.items()):
                m = statistics.median(times)
                r = _ratio(m, torch_median) if lib != "torch" else None
                goal = f"<= {target} {met(r, target)}" if r is not None and target else ""
                lines.append(f"{name if i == 0 else '':<15} {LABELS[lib]:<27} {fmt_time(m):>10}"
                             f" {fmt_time(min(times)):>10} {fmt_time(max(times)):>10}"
                             f"  {_fmt_ratio(r):>5}  {goal}".rstrip())
        for epoch, per_lib in floor_ratios(run["samples"]).items():
            parts = [f"{LABELS[lib]} {fmt_time(e)} / {fmt_time(f)} = {r:.2f}"
                     + (f" (<= {FLOOR_TARGET} {met(r, FLOOR_TARGET)})"
                        if lib != "torch" and epoch == "mlp_epoch" else "")
                     for lib, (e, f, r) in per_lib.items()]
            lines.append(f"{epoch} over its floor ({FLOOR}): " + "; ".join(parts))
    lines += _text_extras(results)
    return "\n".join(lines)


def _text_settings(results: Results) -> list[str]:
    s = results.settings
    lines = [f"command: {s['command']}" if s["command"] else "",
             f"{s['date']}  {s['cpu']} ({s['cpus']} CPUs)  numtorch {s['numtorch']}, numpy "
             f"{s['numpy']}, torch {s['torch'] or '(not used)'}, Python {s['python']}",
             f"median of {_rounds(s['repeat'])} alternating the libraries, steps per sample "
             f"{s['inner'] or 'per workload'}, "
             f"clock {s['clock']}; ratio = numtorch / torch median (below 1: numtorch faster)"]
    lines.append(f"{_openblas(s['openblas_env'], s['blas'])}")
    if "openblas_unset" in s:
        u = s["openblas_unset"]
        lines.append(f"child with both removed: {_openblas(u['openblas_env'], u['blas'])}")
    if s["clock"] == "thread" and any(n != 1 for n in s["threads"]):
        lines.append("note: the thread clock counts this thread alone, so it undercounts BLAS "
                     "work on other threads: use it with --threads 1")
    return [line for line in lines if line]


def _openblas(env: dict[str, str | None], blas: list[dict[str, Any]]) -> str:
    values = " ".join(f"{k}={env.get(k) or '(unset)'}" for k in OPENBLAS_VARS)
    libs = "; ".join(f"{b['internal_api']} {b['version']}, {b['architecture']} kernel, "
                     f"{b['threading_layer']}" for b in blas) or "unknown (no threadpoolctl)"
    return f"{values}: NumPy's BLAS is {libs}"


def _text_extras(results: Results) -> list[str]:
    lines = []
    if results.import_s:
        med = {m: statistics.median(v) for m, v in results.import_s.items()}
        r = _ratio(med.get("numtorch"), med.get("torch"))
        n = len(next(iter(results.import_s.values())))
        lines += ["", f"import time (fresh interpreters, median of {n}): "
                  + ", ".join(f"{m} {v * 1e3:.0f} ms" for m, v in med.items())
                  + (f"; ratio {r:.2f} (<= {IMPORT_TARGET} {met(r, IMPORT_TARGET)})" if r else "")]
    for name, per_lib in results.memory.items():
        r = _memory_ratio(per_lib, "peak_mb")
        lines += ["", f"peak memory of one {name} (fresh process per library, "
                  f"{DATASET_NOTE}):"]
        for lib, m in per_lib.items():
            lines.append(f"  {lib:<9} before the epoch {m['baseline_mb']:.0f} MB, peak during it "
                         f"{m['peak_mb']:.0f} MB ({m['method']})")
        if r is not None:
            lines.append(f"  ratio of peaks {r:.2f} (<= {MEMORY_TARGET} {met(r, MEMORY_TARGET)})")
    return lines


def markdown(results: Results) -> str:
    """The settings and one table of every measurement, ready for the README."""
    s = results.settings
    lines = [f"Command: `{s['command']}`", "",
             f"- Date: {s['date']}; CPU: {s['cpu']}, {s['cpus']} logical CPUs",
             "- Threads: " + "; ".join(_threads_label(run) for run in results.runs),
             f"- {_openblas(s['openblas_env'], s['blas'])}"]
    if "openblas_unset" in s:
        u = s["openblas_unset"]
        lines.append(f"- The `OPENBLAS_* unset` rows: numtorch in a child process without "
                     f"them: {_openblas(u['openblas_env'], u['blas'])}")
    lines.append("- glibc malloc: " + ("told to keep freed memory (`--keep-freed-memory`, "
                                       "both libraries)" if s.get("keep_freed_memory")
                                       else "default settings"))
    lines += [f"- Versions: numtorch {s['numtorch']}, NumPy {s['numpy']}, torch "
              f"{s['torch'] or '(not used)'}, Python {s['python']}",
              f"- Timing: median of {_rounds(s['repeat'])} alternating numtorch and torch, "
              f"{s['clock']} clock; ratio = numtorch / torch (below 1: numtorch is faster)", "",
              "| workload | description | threads | numtorch | torch | numtorch/torch | target "
              "| met |", "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"]
    lines += [" | ".join(["", *row, ""]).strip() for row in _markdown_rows(results)]
    return "\n".join(lines)


def _markdown_rows(results: Results) -> Iterator[list[str]]:
    def row(name: str, desc: str, threads: str, nt: str, t: str, r: float | None,
            target: float | None) -> list[str]:
        goal = f"≤ {target}" if target is not None else ""
        return [name, desc, threads, nt, t, _fmt_ratio(r), goal, met(r, target)]

    names = list(results.runs[0]["samples"])
    for name in names:
        work = WORKLOADS[name]
        for j, run in enumerate(results.runs):
            samples = run["samples"][name]
            threads = "default" if run["threads"] is None else str(run["threads"])
            med = {lib: statistics.median(v) for lib, v in samples.items()}
            t = med.get("torch")
            t_str = fmt_time(t, "µs") if t is not None else ""
            for lib in ("numtorch", UNSET):
                if lib in med:
                    label = name if lib == "numtorch" else f"{name}, OPENBLAS_* unset"
                    desc = work.description if j == 0 and lib == "numtorch" else ""
                    yield row(label, desc, threads, fmt_time(med[lib], "µs"), t_str,
                              _ratio(med[lib], t), work.target)
            if name == FLOOR:
                yield from _floor_rows(run, threads, row)
    yield from _extra_rows(results, row)


def _floor_rows(run: dict[str, Any], threads: str, row: Any) -> Iterator[list[str]]:
    for epoch, per_lib in floor_ratios(run["samples"]).items():
        for lib, (e, f, r) in per_lib.items():
            # the target holds for numtorch's SGD epoch, under either OPENBLAS setting
            target = FLOOR_TARGET if epoch == "mlp_epoch" and lib != "torch" else None
            suffix = "" if lib == "numtorch" else f", {LABELS[lib].removeprefix('numtorch, ')}"
            cells = (fmt_time(e), "") if lib != "torch" else ("", fmt_time(e))
            yield row(f"{epoch} / floor{suffix}", f"the epoch over its {FLOOR} ({fmt_time(f)})",
                      threads, *cells, r, target)


def _extra_rows(results: Results, row: Any) -> Iterator[list[str]]:
    if results.import_s:
        med = {m: statistics.median(v) for m, v in results.import_s.items()}
        n = len(next(iter(results.import_s.values())))
        yield row("import", f"`import numtorch` vs `import torch`, fresh interpreters, "
                  f"alternating, median of {n}", "", fmt_time(med["numtorch"]),
                  fmt_time(med["torch"]) if "torch" in med else "",
                  _ratio(med["numtorch"], med.get("torch")), IMPORT_TARGET)
    threads = results.runs[0]["threads"]
    for name, per_lib in results.memory.items():
        cells = {k: {lib: f"{m[k]:.0f} MB" for lib, m in per_lib.items()}
                 for k in ("peak_mb", "baseline_mb")}
        method = per_lib["numtorch"]["method"]
        yield row(f"{name} peak RSS", f"peak resident memory during one epoch, a fresh process "
                  f"per library ({method}); {DATASET_NOTE}",
                  "default" if threads is None else str(threads),
                  cells["peak_mb"]["numtorch"], cells["peak_mb"].get("torch", ""),
                  _memory_ratio(per_lib, "peak_mb"), MEMORY_TARGET)
        yield row(f"{name} RSS before", "resident memory right before that epoch (data "
                  "loaded, model built)", "", cells["baseline_mb"]["numtorch"],
                  cells["baseline_mb"].get("torch", ""), _memory_ratio(per_lib, "baseline_mb"),
                  None)
