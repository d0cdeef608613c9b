"""Starting ranks: ``numtorch run --nproc-per-node N`` (torchrun's role), and each rank's setup.

The launcher runs ``mpiexec -n N python -m numtorch run SCRIPT ARGS`` and returns its status.
Each rank's ``numtorch run`` (started that way or by a user's own ``mpiexec``) sees the MPI
launcher's variables, sets torch's (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, and
MASTER_ADDR / MASTER_PORT if unset), starts MPI before the script runs, and makes any failure
end the whole job (NOTE [ A failing rank ends the job ]): a script that raises aborts through
the excepthook, one that exits non-zero through MPI_Abort here.

Only the standard library is imported at module level: the CLI imports this module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence

__all__ = ["find_mpiexec", "launch", "rank_env", "run_rank"]

# (rank, size, local rank, local size) as set by MPICH's hydra, Open MPI and MVAPICH
_LAUNCHER_VARS = (
    ("PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"),
    ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
     "OMPI_COMM_WORLD_LOCAL_SIZE"),
    ("MV2_COMM_WORLD_RANK", "MV2_COMM_WORLD_SIZE", "MV2_COMM_WORLD_LOCAL_RANK",
     "MV2_COMM_WORLD_LOCAL_SIZE"),
)

_OMP_NOTE = ("Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, "
             "to avoid your system being overloaded, please further tune the variable for "
             "optimal performance in your application as needed.")


def find_mpiexec() -> str | None:
    """The MPI launcher: the one installed beside this Python (the ``mpich`` wheel puts it
    there), else ``mpiexec`` on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return here
    return shutil.which("mpiexec")


def launch(nproc_per_node: int, script: str, args: Sequence[str] = ()) -> int:
    """Run ``script`` on ``nproc_per_node`` ranks of this machine; returns the job's status
    (non-zero when any rank failed)."""
    if nproc_per_node < 1:
        print(f"numtorch run: --nproc-per-node must be at least 1, got {nproc_per_node}",
              file=sys.stderr)
        return 2
    mpiexec = find_mpiexec()
    if mpiexec is None:
        print("numtorch run: --nproc-per-node needs an MPI launcher (mpiexec) and mpi4py; "
              "install them with: pip install 'numtorch[distributed]'", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if nproc_per_node > 1 and "OMP_NUM_THREADS" not in env:
        # as torchrun: N ranks each using every core would oversubscribe the machine
        env["OMP_NUM_THREADS"] = "1"
        print(_OMP_NOTE, file=sys.stderr)
    # all ranks are on this machine: MPI talks over shared memory, and its network layer (UCX
    # in the mpich wheel) need not listen beyond the loopback interface
    env.setdefault("UCX_NET_DEVICES", "lo")
    cmd = [mpiexec, "-n", str(nproc_per_node), sys.executable, "-m", "numtorch", "run",
           script, *args]
    proc = subprocess.Popen(cmd, env=env)
    try:
        status = proc.wait()
    except KeyboardInterrupt:  # the terminal sent SIGINT to mpiexec too: let it end the ranks
        try:
            status = proc.wait(timeout=30)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            proc.kill()
            status = proc.wait()
    return 128 - status if status < 0 else status


def rank_env(environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """torch's per-rank variables, from the MPI launcher's; None when not under one."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    for rank, size, local_rank, local_size in _LAUNCHER_VARS:
        if rank in env and size in env:
            return {"RANK": env[rank], "WORLD_SIZE": env[size],
                    "LOCAL_RANK": env.get(local_rank, env[rank]),
                    "LOCAL_WORLD_SIZE": env.get(local_size, env[size])}
    return None


def run_rank(script: str, args: Sequence[str], variables: dict[str, str]) -> int:
    """Run ``script`` as one rank of an MPI job (see the module docstring)."""
    from numtorch.cli import run_script

    os.environ.update(variables)
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29500")
    from ._process_group import abort, mpi

    if int(variables["WORLD_SIZE"]) > 1:
        mpi()  # MPI up before the script: a rank failing before init_process_group ends the job
    try:
        status = run_script(script, args)
    except SystemExit as exc:
        status = _exit_status(exc.code)
        if status == 0:
            raise
    if status != 0 and int(variables["WORLD_SIZE"]) > 1:
        abort([f"{script} exited with status {status}\n"], status)
    return status


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1

