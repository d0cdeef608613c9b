"""The ``numtorch`` command.

    numtorch run SCRIPT [ARGS...]   run an unmodified PyTorch script on numtorch
    numtorch train fashion-mnist    train seed 001's MLP (or --model cnn); see numtorch._train
    numtorch bench [OPTIONS]        time numtorch against torch; see numtorch._bench

This module imports only the standard library, so the command starts fast; numtorch's
submodules load when the script imports their ``torch`` names (``numtorch/__init__.py``
itself is imported with this module, so it must stay light to keep the command fast).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence

from numtorch._bench.cli import add_bench_parser
from numtorch._train.cli import add_train_parser

_RUN_DESCRIPTION = """\
Run SCRIPT as `python SCRIPT ARGS` would (sys.argv, __name__ == "__main__", the
script's directory first on sys.path, its exit status), with `torch.*` imports
resolved to `numtorch.*` and `torchvision.*` to `numtorch.vision.*`.
Everything after SCRIPT is passed to the script unchanged."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``numtorch`` command, one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="numtorch", description="PyTorch's API on NumPy: command-line tools."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser(
        "run",
        help="run a PyTorch script with torch resolved to numtorch",
        description=_RUN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--nproc-per-node", "--nproc_per_node", type=int, metavar="N",
                     help="run N ranks on this machine through MPI's mpiexec, as torchrun "
                          "does (needs the 'distributed' extra)")
    run.add_argument("script", metavar="SCRIPT", help="path of the Python script to run")
    run.add_argument("args", metavar="ARGS", nargs="*", help="arguments for the script")
    run.set_defaults(handler=_cmd_run)
    add_train_parser(commands)
    add_bench_parser(commands)
    return parser


_RUN_VALUE_OPTIONS = ("--nproc-per-node", "--nproc_per_node")  # `run` options with a value


def _split_script_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """Split ``run [OPTIONS] SCRIPT ARGS...`` after SCRIPT.

    The script's arguments bypass argparse, which would take ``-h`` or drop ``--``.
    """
    i = 0
    while i < len(argv) and argv[i].startswith("-"):  # options before the subcommand
        i += 1
    if i == len(argv) or argv[i] != "run":
        return argv, []
    j = i + 1
    while j < len(argv):
        if argv[j] == "--":
            return argv[: j + 2], argv[j + 2 :]
        if argv[j] in _RUN_VALUE_OPTIONS:  # its value is not SCRIPT
            j += 2
            continue
        if not argv[j].startswith("-"):
            return argv[: j + 1], argv[j + 1 :]
        j += 1
    return argv, []


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``numtorch`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    head, script_args = _split_script_args(argv)
    opts = build_parser().parse_args(head)
    if opts.command == "run":  # the only subcommand that passes arguments on
        opts.args = opts.args + script_args
    opts.command_line = shlex.join(["numtorch", *argv])  # `bench` prints it above its results
    status: int = opts.handler(opts)
    return status


def _cmd_run(opts: argparse.Namespace) -> int:
    # distributed runs: the launcher starts the ranks; a rank (an MPI launcher's child) sets
    # torch's RANK/WORLD_SIZE/... and makes a failure end the job (numtorch.distributed._launch)
    if opts.nproc_per_node is not None:
        from numtorch.distributed._launch import launch

        return launch(opts.nproc_per_node, opts.script, opts.args)
    from numtorch._malloc import keep_freed_memory
    from numtorch.distributed._launch import rank_env, run_rank

    keep_freed_memory()  # the script's process is ours: NOTE [ Keeping freed memory ]
    variables = rank_env()
    if variables is not None:
        return run_rank(opts.script, opts.args, variables)
    return run_script(opts.script, opts.args)


def run_script(script: str, args: Sequence[str] = ()) -> int:
    """Run ``script`` like ``python script *args`` with torch aliased to numtorch.

    Returns 0, or 1 after printing the traceback of an uncaught exception (130 for
    KeyboardInterrupt); a ``SystemExit`` raised by the script propagates, so the
    interpreter exits with the script's own status.
    """
    import builtins
    import importlib.machinery
    import types

    from numtorch import _alias

    path = os.path.abspath(script)
    if not os.path.isfile(path):
        print(f"numtorch run: can't open file {path!r}: no such file", file=sys.stderr)
        return 2
    sys.argv = [script, *args]  # argv[0] as given, as python does
    sys.path[0] = os.path.dirname(path)
    module = types.ModuleType("__main__")
    module.__file__ = path  # absolute, as python does since 3.9
    module.__dict__["__builtins__"] = builtins
    module.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    sys.modules["__main__"] = module  # pickle finds the script's classes here
    _alias.install()
    try:
        with open(path, "rb") as f:  # bytes, so compile() honours a coding cookie
            # dont_inherit: this module's `from __future__ import annotations` is not the script's
            code = compile(f.read(), path, "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except SystemExit:
        raise
    except BaseException as exc:  # reported as the interpreter would, then exit 1
        _report(exc)
        return 130 if isinstance(exc, KeyboardInterrupt) else 1
    return 0


def _report(exc: BaseException) -> None:
    """Print the traceback through ``sys.excepthook``, without this module's frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    # the default hook prints exc.__traceback__, whatever tb it is given
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)
