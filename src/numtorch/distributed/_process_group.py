"""Process groups on MPI: starting the default group, ranks, sub-groups, failure handling.

NOTE [ MPI is the transport ]
torch's process groups talk over their own TCP rendezvous (gloo) or NCCL; numtorch's talk over
MPI through mpi4py. MPI's launcher (``mpiexec``, which ``numtorch run --nproc-per-node`` calls)
decides how many ranks there are and which one each process is, so ``init_process_group`` needs
no address, port or store: MASTER_ADDR / MASTER_PORT / RANK / WORLD_SIZE may be set, as torch's
env:// form wants, but only serve as checks (a RANK or WORLD_SIZE that contradicts MPI raises).
Backends "mpi" and "gloo" (torch's usual CPU backend, so unmodified CPU scripts run) both mean
MPI; CUDA backends (nccl, ucc, xccl) are rejected. mpi4py is imported, and MPI initialised, on
first use, so ``import numtorch.distributed`` stays cheap and works without mpi4py.

NOTE [ A failing rank ends the job ]
A rank that dies by a signal or ``os._exit`` makes mpiexec end the others at once. A rank that
raises would instead sit in MPI_Finalize while the others wait for it in a collective, forever,
so once MPI is up with more than one rank, ``sys.excepthook`` prints the traceback (each line
prefixed ``[rankN]:`` as torchrun does) and calls MPI_Abort, which ends the whole job with a
non-zero status. Every wait on the network also has a deadline (``timeout`` of
``init_process_group``, 30 minutes by default as in torch): a rank still waiting then raises
DistBackendError, which aborts the job the same way.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback
import warnings
from datetime import timedelta
from types import ModuleType, TracebackType
from typing import Any

__all__ = ["Backend", "DistBackendError", "DistError", "GroupMember", "ProcessGroup",
           "default_pg_timeout", "destroy_process_group", "get_backend", "get_global_rank",
           "get_group_rank", "get_process_group_ranks", "get_rank", "get_world_size", "group",
           "init_process_group", "is_available", "is_gloo_available", "is_initialized",
           "is_mpi_available", "is_nccl_available", "new_group"]

default_pg_timeout = timedelta(minutes=30)  # torch's default for CPU process groups

_NOT_INITIALIZED = ("Default process group has not been initialized, please make sure to call "
                    "init_process_group.")
_CPU_BACKENDS = ("mpi", "gloo")
_GPU_BACKENDS = ("nccl", "ucc", "xccl")


class DistError(RuntimeError):
    """Raised when an error occurs in the distributed library."""


class DistBackendError(DistError):
    """Raised when the communication backend fails (here: a wait that timed out)."""


class Backend(str):
    """A backend name, lower-cased: ``Backend("GLOO") == "gloo"``."""

    UNDEFINED = "undefined"
    GLOO = "gloo"
    NCCL = "nccl"
    UCC = "ucc"
    MPI = "mpi"

    def __new__(cls, name: str) -> Backend:
        if not isinstance(name, str):
            raise ValueError(f"Backend constructor parameter must be string-ish, but got: "
                             f"{type(name)}")
        return super().__new__(cls, name.lower())


def is_available() -> bool:
    """True when mpi4py can be imported (checked without importing it, so without MPI)."""
    return importlib.util.find_spec("mpi4py") is not None


def is_mpi_available() -> bool:
    """True when the MPI backend can be used: the same as :func:`is_available`."""
    return is_available()


def is_gloo_available() -> bool:
    """True when backend "gloo" is accepted; numtorch runs it on MPI (NOTE [ MPI is the
    transport ])."""
    return is_available()


def is_nccl_available() -> bool:
    """Always False: numtorch runs on the CPU only."""
    return False


# -- MPI ------------------------------------------------------------------------------------

_MPI: ModuleType | None = None


def mpi() -> ModuleType:
    """mpi4py's ``MPI`` module; the first call initialises MPI (NOTE [ MPI is the transport ])."""
    global _MPI
    if _MPI is None:
        if not is_available():
            raise RuntimeError("numtorch.distributed needs mpi4py and an MPI library; install "
                               "them with: pip install 'numtorch[distributed]'")
        from mpi4py import MPI

        _MPI = MPI
        if MPI.COMM_WORLD.Get_size() > 1:
            sys.excepthook = _abort_on_uncaught
    return _MPI


def world_rank() -> int:
    """This process's rank in MPI_COMM_WORLD (0 when MPI is not running)."""
    return _MPI.COMM_WORLD.Get_rank() if _MPI is not None else 0


def _abort_on_uncaught(exc_type: type[BaseException], exc: BaseException,
                       tb: TracebackType | None) -> None:
    """Print the traceback, then end every rank (NOTE [ A failing rank ends the job ])."""
    abort(traceback.format_exception(exc_type, exc, tb),
          130 if issubclass(exc_type, KeyboardInterrupt) else 1)


def abort(lines: list[str], status: int) -> None:
    """Write ``lines`` to stderr as this rank's (``[rankN]: ...``) and MPI_Abort the job."""
    rank = world_rank()
    text = "".join(lines).rstrip("\n")
    try:
        sys.stdout.flush()
        sys.stderr.write("".join(f"[rank{rank}]: {line}\n" for line in text.split("\n")))
        sys.stderr.flush()
        # mpiexec forwards a rank's output through a pipe; an abort right after the write
        # can tear the job down before the forwarder has read it (seen once in CI: the
        # job's stderr came back empty), so give it a moment
        time.sleep(0.25)
    finally:
        assert _MPI is not None
        _MPI.COMM_WORLD.Abort(status)
        os._exit(status)  # MPICH's Abort may return while mpiexec is ending the other ranks


# -- process groups ---------------------------------------------------------------------------

class ProcessGroup:
    """The ranks that run collectives together: an MPI communicator plus torch's bookkeeping.

    ``rank()`` and ``size()`` are this process's rank in the group and the group's size;
    ``ranks`` are the members' global ranks, in group-rank order.
    """

    def __init__(self, comm: Any, ranks: list[int], backend: str, timeout: timedelta,
                 name: str) -> None:
        self.comm = comm
        self.ranks = ranks
        self.backend = Backend(backend)
        self.timeout = timeout
        self.group_name = name

    def rank(self) -> int:
        return int(self.comm.Get_rank())

    def size(self) -> int:
        return len(self.ranks)

    def name(self) -> str:
        return str(self.backend)

    def __repr__(self) -> str:
        return f"<ProcessGroup {self.group_name!r} ranks={self.ranks} backend={self.backend!r}>"


class _State:
    default: ProcessGroup | None = None
    groups: list[ProcessGroup] = []


class _WorldMeta(type):
    """``GroupMember.WORLD`` / ``group.WORLD`` read the current default group, as in torch."""

    @property
    def WORLD(cls) -> ProcessGroup | None:  # noqa: N802 (torch's name)
        return _State.default


class GroupMember(metaclass=_WorldMeta):
    """``GroupMember.WORLD``: the default group; ``NON_GROUP_MEMBER``: what ``new_group``
    returns on ranks outside the new group."""

    NON_GROUP_MEMBER = -100


class group(metaclass=_WorldMeta):  # noqa: N801 (torch's name)
    """``group.WORLD``: the default process group (None before ``init_process_group``)."""


def _backend_name(backend: str | None) -> str:
    if backend is None:
        return Backend.MPI
    name = Backend(backend)
    for part in name.split(","):  # torch's "cpu:gloo,cuda:nccl" form: the CPU entry counts
        device, _, which = part.rpartition(":")
        if device in ("", "cpu"):
            name = Backend(which)
            break
    if name in _CPU_BACKENDS:
        return name
    if name in _GPU_BACKENDS:
        raise RuntimeError(f"Distributed backend {name!r} needs GPUs; numtorch runs on the CPU "
                           "only. Use backend 'gloo' or 'mpi' (both run on MPI).")
    raise ValueError(f"Invalid backend: {name!r}; numtorch.distributed supports 'mpi' and "
                     "'gloo' (which it runs on MPI).")


def _check_against_mpi(what: str, given: int, actual: int) -> None:
    if given not in (-1, actual):
        raise ValueError(f"init_process_group: {what}={given}, but MPI started this process as "
                         f"{what}={actual}. numtorch takes ranks from the MPI launcher: start "
                         "the job with `numtorch run --nproc-per-node N script.py` or "
                         "`mpiexec -n N numtorch run script.py`.")


def _env_int(name: str) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else -1


def init_process_group(backend: str | None = None, init_method: str | None = None,
                       timeout: timedelta | None = None, world_size: int = -1, rank: int = -1,
                       store: Any = None, group_name: str = "", pg_options: Any = None,
                       device_id: Any = None) -> None:
    """Start the default process group: every rank the MPI launcher started.

    Args:
        backend: "mpi" or "gloo" (both run on MPI); None means "mpi".
        init_method: accepted for torch's sake ("env://", "tcp://...", "file://...") and unused:
            MPI has already connected the ranks.
        timeout: how long any wait on the other ranks may take before the job is aborted
            (default 30 minutes).
        world_size, rank: if given (or set as WORLD_SIZE / RANK in the environment) they must
            agree with MPI's.
        store, group_name, pg_options, device_id: accepted, unused (no rendezvous store; CPU).

    >>> import numtorch.distributed as dist                              # doctest: +SKIP
    >>> dist.init_process_group("gloo")                                  # doctest: +SKIP
    >>> dist.get_rank(), dist.get_world_size()                           # doctest: +SKIP
    (0, 2)
    """
    if _State.default is not None:
        raise ValueError("trying to initialize the default process group twice!")
    name = _backend_name(backend)
    if timeout is not None and not isinstance(timeout, timedelta):
        raise TypeError(f"Expected timeout argument to be of type datetime.timedelta, got "
                        f"{timeout}")
    if init_method is not None and not isinstance(init_method, str):
        raise TypeError(f"init_method must be a string, got {type(init_method).__name__}")
    world = mpi().COMM_WORLD
    for what, given in (("world_size", world_size), ("rank", rank),
                        ("WORLD_SIZE", _env_int("WORLD_SIZE")), ("RANK", _env_int("RANK"))):
        _check_against_mpi(what, given, world.Get_size() if "size" in what.lower()
                           else world.Get_rank())
    # a private communicator: the user's own mpi4py traffic on COMM_WORLD cannot mix with ours
    comm = world.Dup()
    _State.default = ProcessGroup(comm, list(range(world.Get_size())), name,
                                  timeout or default_pg_timeout, group_name or "0")
    _State.groups = [_State.default]


def is_initialized() -> bool:
    """Whether ``init_process_group`` has run (and ``destroy_process_group`` has not)."""
    return _State.default is not None


def default_group() -> ProcessGroup:
    """The default group, or torch's ValueError before ``init_process_group``."""
    if _State.default is None:
        raise ValueError(_NOT_INITIALIZED)
    return _State.default


def resolve(group: ProcessGroup | int | None, op_name: str) -> ProcessGroup | None:
    """The group an operation runs on; None (after torch's warning) on a non-member."""
    if group is None:
        return default_group()
    if isinstance(group, int) and group == GroupMember.NON_GROUP_MEMBER:
        default_group()
        warnings.warn(f"Running {op_name} on global rank {world_rank()} which does not "
                      "belong to the given group.", stacklevel=3)
        return None
    if not isinstance(group, ProcessGroup):
        raise TypeError(f"group must be a ProcessGroup, got {type(group).__name__}")
    return group


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Free ``group``, or (None) every group including the default one."""
    if group is None:
        if _State.default is None:
            raise AssertionError("Process group cannot be None")
        for pg in _State.groups:
            pg.comm.Free()
        _State.default, _State.groups = None, []
        return
    if isinstance(group, int) and group == GroupMember.NON_GROUP_MEMBER:
        return
    if group is _State.default:
        destroy_process_group(None)
        return
    if group in _State.groups:
        _State.groups.remove(group)
        group.comm.Free()


def get_rank(group: ProcessGroup | None = None) -> int:
    """This process's rank in ``group`` (default: the global rank); -1 outside the group."""
    pg = default_group() if group is None else group
    if isinstance(pg, int):
        return -1
    return pg.rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    """The number of ranks in ``group`` (default: all of them); -1 outside the group."""
    pg = default_group() if group is None else group
    if isinstance(pg, int):
        return -1
    return pg.size()


def get_backend(group: ProcessGroup | None = None) -> Backend:
    """The backend name ``group`` was made with ("mpi" or "gloo")."""
    pg = default_group() if group is None else group
    if isinstance(pg, int):
        raise ValueError("Invalid process group specified")
    return pg.backend


def get_process_group_ranks(group: ProcessGroup | None) -> list[int]:
    """The global ranks in ``group``, in group-rank order."""
    pg = default_group() if group is None else group
    return list(pg.ranks)


def get_global_rank(group: ProcessGroup, group_rank: int) -> int:
    """The global rank of ``group``'s rank ``group_rank``."""
    if not 0 <= group_rank < len(group.ranks):
        raise ValueError(f"Group rank {group_rank} is not part of group {group}")
    return group.ranks[group_rank]


def get_group_rank(group: ProcessGroup, global_rank: int) -> int:
    """``global_rank``'s rank within ``group``."""
    if global_rank not in group.ranks:
        raise ValueError(f"Global rank {global_rank} is not part of group {group}")
    return group.ranks.index(global_rank)


def group_peer(pg: ProcessGroup, global_rank: int | None, group_rank: int | None,
               names: tuple[str, str]) -> int:
    """The group rank of a src/dst given either as a global rank or as a group rank."""
    if group_rank is not None:
        if global_rank is not None:
            raise ValueError(f"Can't specify both {names[1]} and {names[0]}")
        if not 0 <= group_rank < pg.size():
            raise ValueError(f"Group rank {group_rank} is not part of group {pg}")
        return group_rank
    if global_rank is None:
        raise ValueError(f"Either {names[0]} or {names[1]} must be specified")
    return get_group_rank(pg, global_rank)


def new_group(ranks: list[int] | None = None, timeout: timedelta | None = None,
              backend: str | None = None, pg_options: Any = None,
              use_local_synchronization: bool = False, group_desc: str | None = None,
              device_id: Any = None, sort_ranks: bool = True) -> ProcessGroup | int:
    """A group of some of the ranks (all of them for None).

    Every rank must call it, as in torch (with ``use_local_synchronization=True`` only the
    members); a rank outside ``ranks`` gets ``GroupMember.NON_GROUP_MEMBER``.
    """
    world = default_group()
    members = list(range(world.size())) if ranks is None else [int(r) for r in ranks]
    if sort_ranks:
        members = sorted(members)
    for r in members:
        if not 0 <= r < world.size():
            raise ValueError("The new group's rank should be within the world_size set by "
                             "init_process_group")
    if len(set(members)) != len(members):
        raise ValueError(f"ranks must be distinct, got {members}")
    mpi_group = world.comm.Get_group().Incl(members)
    inside = world.rank() in members
    if use_local_synchronization:
        comm = world.comm.Create_group(mpi_group) if inside else None
    else:
        comm = world.comm.Create(mpi_group)  # collective over the default group
    mpi_group.Free()
    if not inside:
        return GroupMember.NON_GROUP_MEMBER
    pg = ProcessGroup(comm, members, _backend_name(backend) if backend else world.backend,
                      timeout or world.timeout, group_desc or str(len(_State.groups)))
    _State.groups.append(pg)
    return pg
