"""Options of ``numtorch bench`` and ``python benchmarks/bench.py`` (the same ones).

Standard library only at import (``workloads`` is), so ``numtorch --help`` stays fast; the
harness and the libraries load when the command runs.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence

from numtorch._bench.workloads import WORKLOADS

DESCRIPTION = """\
Side-by-side timings of numtorch and torch (when installed) on the tutorials' workloads,
alternating the two libraries over --repeat rounds; prints the median, min and max of each,
the ratio of medians numtorch/torch (below 1: numtorch is faster) and issue 6's target.
Also: `import` time in fresh interpreters, and the peak memory of an MLP epoch in a fresh
process per library. Timings are never asserted anywhere."""

EPILOG = """\
workloads (default: all but the slow ones, which need FashionMNIST; name them in --only):
""" + "\n".join(f"  {w.name:<15}{' (slow)' if w.slow else ''} {w.description}"
                for w in WORKLOADS.values())


def _threads_list(text: str) -> list[int | None]:
    """``1,2,default`` -> [1, 2, None]."""
    counts: list[int | None] = []
    for item in text.split(","):
        item = item.strip()
        if item == "default":
            counts.append(None)
        else:
            counts.append(_positive(item))
    return counts


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive int")
    return int(text)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options, on ``numtorch bench``'s subparser or bench.py's own parser."""
    p.add_argument("--only", nargs="+", choices=list(WORKLOADS), metavar="WORKLOAD",
                   help="workloads to run (see below)")
    p.add_argument("--repeat", type=_positive, default=7, help="alternating rounds (default 7)")
    p.add_argument("--inner", type=_positive, default=None, metavar="N",
                   help="steps per timing sample (default: each workload's own, e.g. 2000 "
                        "for op_1); --inner 1 makes a quick smoke run")
    threads = p.add_mutually_exclusive_group()
    threads.add_argument("--threads", type=_positive, default=None, metavar="N",
                         help="pin numtorch's BLAS and torch's intra-op pool to N threads "
                              "(default: each library's default)")
    threads.add_argument("--threads-list", type=_threads_list, default=None, metavar="N,N,...",
                         help="run everything at each count, e.g. 1,default")
    p.add_argument("--no-torch", action="store_true", help="time numtorch alone")
    p.add_argument("--clock", choices=["wall", "thread", "process"], default="wall",
                   help="wall (default); thread: this thread's CPU time, steadier on a busy "
                        "machine (meaningful with --threads 1 only); process: the process's")
    p.add_argument("--openblas-unset", action="store_true",
                   help="also time numtorch in a child process with OPENBLAS_CORETYPE and "
                        "OPENBLAS_L2_SIZE removed from its environment (OpenBLAS reads them "
                        "when NumPy loads it); this process's environment is not changed")
    p.add_argument("--import-repeat", type=int, default=5, metavar="N",
                   help="fresh interpreters per library for the import time (default 5, "
                        "0: skip)")
    p.add_argument("--keep-freed-memory", action="store_true",
                   help="tell glibc's malloc to keep freed memory for reuse, in this process "
                        "(both libraries), as `numtorch run` and `numtorch train` do; see "
                        "NOTE [ Keeping freed memory ] in numtorch/_malloc.py")
    p.add_argument("--no-memory", action="store_true",
                   help="skip the peak memory of the MLP epochs (an extra epoch per library)")
    p.add_argument("--markdown", action="store_true",
                   help="print a Markdown table (with the command and settings) for the README")
    p.add_argument("--json", metavar="FILE", help="also write every sample and setting as JSON")
    p.add_argument("--child", help=argparse.SUPPRESS)  # the OPENBLAS_* unset child's spec


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    return p


def add_bench_parser(commands: argparse._SubParsersAction) -> None:
    """Add ``bench`` to the ``numtorch`` command's subcommands."""
    p = commands.add_parser("bench", help="time numtorch against torch on the tutorials' "
                            "workloads", description=DESCRIPTION, epilog=EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.set_defaults(handler=run)


def run(opts: argparse.Namespace, command: str | None = None) -> int:
    """Run the benchmark as ``opts`` say; ``command`` is the command line, for the report."""
    from numtorch._bench import harness, report

    if opts.child is not None:
        return harness.child_main(opts.child)
    threads = opts.threads_list or [opts.threads]
    names = opts.only or [w.name for w in WORKLOADS.values() if not w.slow]
    if command is None:
        command = getattr(opts, "command_line", "")
    config = harness.Config(names=names, repeat=opts.repeat, inner=opts.inner,
                            clock=opts.clock, threads=threads, torch=not opts.no_torch,
                            import_repeat=opts.import_repeat, memory=not opts.no_memory,
                            openblas_unset=opts.openblas_unset,
                            keep_freed_memory=opts.keep_freed_memory, command=command)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = harness.bench(config, log)
    print(report.markdown(results) if opts.markdown else report.text(results))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump(results.to_json(), f, indent=1)
    return 0


def main(argv: Sequence[str] | None = None, prog: str = "python -m numtorch._bench") -> int:
    """``PROG [OPTIONS]``: parse and run."""
    argv = list(sys.argv[1:] if argv is None else argv)
    opts = build_parser(prog).parse_args(argv)
    return run(opts, shlex.join([*shlex.split(prog), *argv]))
