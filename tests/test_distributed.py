"""numtorch.distributed, DistributedDataParallel, DistributedSampler and the launcher.

The multi-rank tests start the scripts in ``tests/distributed_scripts/`` with
``numtorch run --nproc-per-node N`` (2 and 3 ranks, on this machine only) as subprocesses with
a timeout; the scripts check their results on every rank and print a line per rank at the end.
They need mpi4py and an MPI launcher (the ``distributed`` extra): without them they are
skipped, except when CI=true, where they fail. The rest runs in this process without MPI.
"""

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import require_torch

import numtorch
import numtorch.distributed as dist
from numtorch.autograd import engine
from numtorch.distributed import _launch as launch
from numtorch.utils.data import DistributedSampler

SCRIPTS = Path(__file__).resolve().parent / "distributed_scripts"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ddp_fashion_mnist.py"
FAILURE_DEADLINE = 60  # seconds within which a failing job must have ended


def require_mpi() -> None:
    """Skip without mpi4py / mpiexec, except under CI=true, where that is a failure."""
    missing = [what for what, ok in (("mpi4py", importlib.util.find_spec("mpi4py")),
                                     ("mpiexec", launch.find_mpiexec())) if not ok]
    if missing:
        message = (f"{' and '.join(missing)} not installed: pip install -e '.[distributed]'")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (required when CI=true)")
        pytest.skip(message)


def run_job(nproc: int, script: Path, *args: str, timeout: float = 180,
            mpiexec: bool = False) -> tuple[subprocess.CompletedProcess, float]:
    """``numtorch run --nproc-per-node nproc script args`` (or ``mpiexec -n nproc numtorch
    run script args``): the result and its duration."""
    require_mpi()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", UCX_NET_DEVICES="lo")
    run = [sys.executable, "-m", "numtorch", "run"]
    if mpiexec:
        cmd = [str(launch.find_mpiexec()), "-n", str(nproc), *run, str(script), *args]
    else:
        cmd = [*run, "--nproc-per-node", str(nproc), str(script), *args]
    start = time.monotonic()
    # a session of its own: on a timeout the whole job (mpiexec and every rank) is killed
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, start_new_session=True) as job:
        try:
            out, err = job.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(job.pid, signal.SIGKILL)
            out, err = job.communicate()
            pytest.fail(f"the job did not end within {timeout} s:\n{out}\n{err}")
    proc = subprocess.CompletedProcess(cmd, job.returncode, out, err)
    return proc, time.monotonic() - start


def assert_all_ranks(proc: subprocess.CompletedProcess, nproc: int, line: str) -> None:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rank in range(nproc):
        assert f"{line} rank {rank}" in proc.stdout, proc.stdout + proc.stderr


# -- multi-rank jobs -----------------------------------------------------------------------------

@pytest.mark.parametrize("nproc", [2, 3])
def test_collectives_match_numpy(nproc):
    proc, _ = run_job(nproc, SCRIPTS / "collectives.py")
    assert_all_ranks(proc, nproc, "collectives OK")


def test_plain_mpiexec_launch():
    proc, _ = run_job(2, SCRIPTS / "collectives.py", mpiexec=True)
    assert_all_ranks(proc, 2, "collectives OK")


@pytest.mark.parametrize("nproc", [2, 3])
def test_ddp_matches_single_process_training(nproc):
    proc, _ = run_job(nproc, SCRIPTS / "ddp_train.py")
    assert_all_ranks(proc, nproc, "ddp OK")


@pytest.mark.parametrize("mode, message", [
    ("raise", "ValueError: rank 1 failed on purpose"),
    ("early", "ValueError: rank 1 failed before init_process_group"),
    ("sysexit", "exited with status 4"),
])
def test_failing_rank_ends_the_job_with_its_error(mode, message):
    proc, seconds = run_job(2, SCRIPTS / "crash.py", mode, timeout=120)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr
    assert f"[rank1]: {message}" in proc.stderr or mode == "sysexit"
    assert seconds < FAILURE_DEADLINE
    assert "rank 0 finished" not in proc.stdout


@pytest.mark.parametrize("mode", ["kill", "exit"])
def test_killed_rank_ends_the_job(mode):
    proc, seconds = run_job(3, SCRIPTS / "crash.py", mode, timeout=120)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert seconds < FAILURE_DEADLINE
    assert "finished" not in proc.stdout


def test_watchdog_ends_a_job_stuck_in_a_collective():
    proc, seconds = run_job(2, SCRIPTS / "crash.py", "hang", timeout=120)
    assert proc.returncode != 0
    assert "all_reduce did not complete within 0:00:03" in proc.stderr, proc.stderr
    assert seconds < FAILURE_DEADLINE


def test_script_arguments_and_exit_status_pass_through(tmp_path):
    script = tmp_path / "args.py"
    script.write_text("import os, sys\nprint(sys.argv[1:], os.environ['WORLD_SIZE'])\n"
                      "sys.exit(0)\n")
    proc, _ = run_job(1, script, "-h", "--x", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['-h', '--x', '1'] 1"


def test_ddp_example_trains():
    data = Path(os.environ.get("NUMTORCH_SYSTEM_DATASETS", "/usr/share/datasets"))
    if not (data / "fashion-mnist").is_dir() and not Path("data/FashionMNIST").is_dir():
        pytest.skip("FashionMNIST is not installed (Debian's dataset-fashion-mnist)")
    proc, _ = run_job(2, EXAMPLE, "--epochs", "2", "--limit", "2000", "--batch-size", "32")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 ranks, 1000 training images per rank per epoch" in proc.stdout
    losses = [float(line.split("train loss ")[1].split(",")[0])
              for line in proc.stdout.splitlines() if line.startswith("epoch ")]
    assert len(losses) == 2 and losses[1] < losses[0], proc.stdout


# -- in this process, without MPI ------------------------------------------------------------------

def test_not_initialized_errors_are_torchs():
    message = ("Default process group has not been initialized, please make sure to call "
               "init_process_group.")
    assert not dist.is_initialized()
    for call in (dist.get_rank, dist.get_world_size, dist.get_backend, dist.barrier,
                 lambda: dist.all_reduce(numtorch.ones(1)),
                 lambda: dist.new_group([0])):
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == message
    with pytest.raises(AssertionError, match="Process group cannot be None"):
        dist.destroy_process_group()
    assert dist.group.WORLD is None and dist.GroupMember.NON_GROUP_MEMBER == -100


def test_backends():
    assert dist.Backend("GLOO") == "gloo" and dist.Backend.MPI == "mpi"
    with pytest.raises(RuntimeError, match="needs GPUs"):
        dist.init_process_group("nccl")
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("carrier-pigeon")
    assert not dist.is_initialized() and dist.is_nccl_available() is False
    assert "mpi4py.MPI" not in sys.modules  # MPI starts only in init_process_group
    assert dist.ReduceOp.SUM == dist.ReduceOp(dist.ReduceOp.SUM)
    assert repr(dist.ReduceOp.AVG) == "<RedOpType.AVG: 1>"


def test_rank_env_from_mpi_launchers():
    hydra = {"PMI_RANK": "3", "PMI_SIZE": "4", "MPI_LOCALRANKID": "1", "MPI_LOCALNRANKS": "2"}
    assert launch.rank_env(hydra) == {"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1",
                                      "LOCAL_WORLD_SIZE": "2"}
    ompi = {"OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2"}
    assert launch.rank_env(ompi)["LOCAL_WORLD_SIZE"] == "2"
    assert launch.rank_env({}) is None


def test_launcher_without_mpiexec(monkeypatch, capsys):
    monkeypatch.setattr(launch, "find_mpiexec", lambda: None)
    assert launch.launch(2, "script.py") == 2
    assert "pip install 'numtorch[distributed]'" in capsys.readouterr().err


def test_queue_callback_runs_after_backward():
    order = []
    w = numtorch.ones(2, requires_grad=True)
    w.register_post_accumulate_grad_hook(
        lambda p: (order.append("hook"), engine.queue_callback(lambda: order.append("final"))))
    (w * 3).sum().backward()
    assert order == ["hook", "final"]
    with pytest.raises(RuntimeError, match="only be installed during backward"):
        engine.queue_callback(lambda: None)


def _sampler_cases():
    for n in (0, 1, 5, 10, 11):
        for replicas in (1, 2, 3, 4):
            for drop_last in (False, True):
                for rank in range(replicas):
                    yield n, replicas, rank, drop_last


def test_distributed_sampler_matches_torch():
    require_torch()
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    for n, replicas, rank, drop_last in _sampler_cases():
        ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = TorchSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert (list(ours), len(ours)) == (list(theirs), len(theirs)), (n, replicas, rank)


def test_distributed_sampler_shuffle_matches_torch():
    torch = require_torch()
    from torch.utils.data.distributed import DistributedSampler as TorchSampler

    for seed, epoch, n in ((0, 0, 10), (7, 3, 11), (123, 1, 100)):
        g, tg = numtorch.Generator(), torch.Generator()
        g.manual_seed(seed + epoch)
        tg.manual_seed(seed + epoch)
        if numtorch.randperm(n, generator=g).tolist() != torch.randperm(n, generator=tg).tolist():
            pytest.skip("numtorch.randperm does not reproduce torch.randperm's stream yet")
        for replicas, drop_last in ((2, False), (3, True), (4, False)):
            for rank in range(replicas):
                ours = DistributedSampler(range(n), replicas, rank, seed=seed,
                                          drop_last=drop_last)
                theirs = TorchSampler(range(n), replicas, rank, seed=seed, drop_last=drop_last)
                ours.set_epoch(epoch)
                theirs.set_epoch(epoch)
                assert list(ours) == list(theirs), (seed, epoch, n, replicas, rank)


def test_distributed_sampler_errors_and_epochs():
    with pytest.raises(ValueError, match=r"Invalid rank 2, rank should be in the interval "
                                         r"\[0, 1\]"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(range(4))
    sampler = DistributedSampler(range(8), num_replicas=2, rank=0, seed=1)
    first = list(sampler)
    assert list(sampler) == first  # the same epoch, the same order
    sampler.set_epoch(1)
    assert list(sampler) != first
