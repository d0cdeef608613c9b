"""DataLoader with worker processes: same batches as in-process, errors, deaths, shutdown.

Datasets are tiny and at most two workers run, so the suite stays quick on a 2-core machine.
"""

import gc
import os
import random
import signal
import time

import numpy as np
import pytest
from conftest import require_torch
from test_data import canon

import numtorch
from numtorch.utils import data as D

# a 1-core machine would warn about 2 workers; that warning is not what these tests check
pytestmark = pytest.mark.filterwarnings("ignore:This DataLoader will create:UserWarning")


def batches(loader):
    return [canon(b) for b in loader]


class Squares(D.Dataset):
    def __len__(self):
        return 11

    def __getitem__(self, i):
        return {"i": i, "sq": float(i * i), "tag": f"t{i}"}


@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_two_workers_give_the_same_batches_in_order(batch_size):
    expected = batches(D.DataLoader(Squares(), batch_size=batch_size))
    got = batches(D.DataLoader(Squares(), batch_size=batch_size, num_workers=2))
    assert got == expected


def test_tensor_dataset_with_workers_and_seeded_shuffle():
    ds = D.TensorDataset(numtorch.arange(20.0), numtorch.arange(20))

    def load(workers):
        loader = D.DataLoader(ds, batch_size=4, shuffle=True, num_workers=workers,
                              generator=numtorch.Generator().manual_seed(0))
        return batches(loader)

    assert load(2) == load(0)


def test_workers_match_torch_without_shuffle():
    torch = require_torch()

    def load(lib):
        x = lib.from_numpy(np.arange(14, dtype=np.float32).reshape(7, 2))
        ds = lib.utils.data.TensorDataset(x, lib.from_numpy(np.arange(7)))
        return batches(lib.utils.data.DataLoader(ds, batch_size=3, num_workers=2,
                                                 drop_last=True))

    assert load(numtorch) == load(torch)


def test_out_of_order_delivery_gives_every_batch():
    loader = D.DataLoader(range(10), batch_size=3, num_workers=2, in_order=False)
    got = sorted(b.tolist() for b in loader)
    assert got == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


class Failing(D.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 4:
            raise ValueError("bad item 4")
        return i


def test_worker_exception_surfaces_with_traceback():
    loader = D.DataLoader(Failing(), batch_size=2, num_workers=2)
    with pytest.raises(ValueError) as info:
        list(loader)
    text = str(info.value)
    assert text.startswith("Caught ValueError in DataLoader worker process 0.\n"
                           "Original Traceback (most recent call last):\n")
    assert "bad item 4" in text and "test_data_workers.py" in text and "__getitem__" in text


class MissingKey(Failing):
    def __getitem__(self, i):
        return {}["nope"]


def test_worker_key_error_keeps_a_readable_message():
    with pytest.raises(KeyError) as info:
        list(D.DataLoader(MissingKey(), num_workers=1))
    assert str(info.value).startswith("Caught KeyError in DataLoader worker process 0.\n")


class NeedsTwoArgs(Exception):
    def __init__(self, a, b):
        super().__init__(a, b)


class RaisesOdd(Failing):
    def __getitem__(self, i):
        raise NeedsTwoArgs(1, 2)


def test_worker_exception_that_cannot_be_rebuilt_becomes_runtime_error():
    with pytest.raises(RuntimeError, match="Caught NeedsTwoArgs in DataLoader worker process 0"):
        list(D.DataLoader(RaisesOdd(), num_workers=1))


def test_exception_class_defined_in_a_function_keeps_its_name():
    class LocalError(Exception):
        pass

    class RaisesLocal(Failing):
        def __getitem__(self, i):
            raise LocalError("local")

    with pytest.raises(RuntimeError, match="Caught LocalError in DataLoader worker process 0"):
        list(D.DataLoader(RaisesLocal(), num_workers=1))


def test_iterator_is_done_after_a_worker_dies():
    it = iter(D.DataLoader(Dies("exit"), num_workers=1))
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(it)
    assert list(it) == []


def test_unpicklable_batch_is_an_error_not_a_hang():
    loader = D.DataLoader(range(4), num_workers=1, collate_fn=lambda b: (lambda: b), timeout=20)
    with pytest.raises(Exception, match="in DataLoader worker process 0"):
        list(loader)


class Dies(D.Dataset):
    def __init__(self, how):
        self.how = how

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            if self.how == "exit":
                os._exit(3)
            os.kill(os.getpid(), signal.SIGKILL)
        return i


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_killed_worker_raises_promptly(how):
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited "
                                           r"unexpectedly"):
        list(D.DataLoader(Dies(how), num_workers=2))
    assert time.monotonic() - start < 30


class Info(D.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = D.get_worker_info()
        return {"id": info.id, "num_workers": info.num_workers, "seed": info.seed,
                "same_dataset_type": type(info.dataset) is Info, "pid": os.getpid()}


def test_get_worker_info_in_workers():
    out = list(D.DataLoader(Info(), batch_size=None, num_workers=2))
    assert [o["id"] for o in out] == [0, 1, 0, 1]
    assert all(o["num_workers"] == 2 and o["same_dataset_type"] for o in out)
    assert out[1]["seed"] == out[0]["seed"] + 1
    assert len({o["pid"] for o in out}) == 2 and os.getpid() not in {o["pid"] for o in out}
    with pytest.raises(AttributeError):
        out_info = D._utils.worker.WorkerInfo(id=0, num_workers=1, seed=0, dataset=None)
        out_info.id = 3


def test_worker_seeds_follow_the_loader_generator():
    def seeds(seed):
        loader = D.DataLoader(Info(), batch_size=None, num_workers=2,
                              generator=numtorch.Generator().manual_seed(seed))
        return [o["seed"] for o in loader]

    assert seeds(5) == seeds(5)
    assert seeds(5) != seeds(6)


class Draws(D.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        return (numtorch.rand(1).item(), random.random(), float(np.random.rand()))


def test_each_worker_draws_different_random_numbers():
    def draws(seed):
        loader = D.DataLoader(Draws(), batch_size=None, num_workers=2,
                              generator=numtorch.Generator().manual_seed(seed))
        return [tuple(d) for d in loader]

    first, second = draws(1)
    for a, b in zip(first, second):
        assert a != b  # numtorch, random and NumPy all seeded per worker
    assert draws(1) == draws(1)


def test_worker_init_fn_runs_in_each_worker():
    class WhoInit(D.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return os.environ.get("NT_WORKER_INIT", "")

    def init(worker_id):
        os.environ["NT_WORKER_INIT"] = f"w{worker_id}"

    out = list(D.DataLoader(WhoInit(), batch_size=None, num_workers=2, worker_init_fn=init))
    assert out == ["w0", "w1"]
    assert "NT_WORKER_INIT" not in os.environ


def test_worker_init_fn_error_surfaces():
    def init(worker_id):
        raise OSError(5, "init failed")

    with pytest.raises(OSError, match="(?s)Caught OSError in DataLoader worker process 0.*init "
                                      "failed"):
        list(D.DataLoader(range(2), num_workers=1, worker_init_fn=init))


class Sharded(D.IterableDataset):
    """Each worker yields its share: ``id, id + num_workers, ...``; uneven by design."""

    def __init__(self, n, shard=True):
        self.n = n
        self.shard = shard

    def __iter__(self):
        info = D.get_worker_info()
        if info is None or not self.shard:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


# batch_size=None with drop_last=True is an argument error, tested elsewhere
@pytest.mark.parametrize(("batch_size", "drop_last"),
                         [(None, False), (2, False), (2, True), (3, False), (3, True)])
def test_iterable_dataset_with_workers_matches_torch(batch_size, drop_last):
    torch = require_torch()

    def load(lib):
        class TorchSharded(lib.utils.data.IterableDataset):
            def __iter__(self):
                info = lib.utils.data.get_worker_info()
                return iter(range(info.id, 11, info.num_workers))

        loader = lib.utils.data.DataLoader(TorchSharded(), batch_size=batch_size,
                                           drop_last=drop_last, num_workers=2)
        return batches(loader)

    assert load(numtorch) == load(torch)


def test_iterable_dataset_with_workers_covers_every_sample():
    got = [b for b in D.DataLoader(Sharded(9), batch_size=None, num_workers=2)]
    assert sorted(got) == list(range(9))
    unsharded = [b for b in D.DataLoader(Sharded(3, shard=False), batch_size=None,
                                                 num_workers=2)]
    assert sorted(unsharded) == [0, 0, 1, 1, 2, 2]  # each worker has a full copy, as in torch


class Pids(D.Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return os.getpid()


def test_persistent_workers_survive_epochs_and_early_breaks():
    loader = D.DataLoader(Pids(), batch_size=2, num_workers=2, persistent_workers=True)
    first = [b.tolist() for b in loader]
    assert len(first) == 3
    for _ in loader:
        break  # leftovers of this epoch must not leak into the next one
    second = [b.tolist() for b in loader]
    assert len(second) == 3
    assert {p for b in first for p in b} == {p for b in second for p in b}
    assert iter(loader) is iter(loader)


def test_persistent_iterable_dataset_restarts_each_epoch():
    loader = D.DataLoader(Sharded(5), batch_size=2, num_workers=2, persistent_workers=True)
    for _ in range(2):
        assert sorted(x for b in loader for x in b.tolist()) == [0, 1, 2, 3, 4]


def test_workers_exit_when_the_loop_breaks():
    loader = D.DataLoader(range(100), batch_size=2, num_workers=2)
    it = iter(loader)
    next(it)
    workers = list(it._workers)
    assert all(w.is_alive() for w in workers)
    del it
    gc.collect()
    deadline = time.monotonic() + 10
    while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(w.is_alive() for w in workers)


def test_workers_exit_after_a_full_epoch():
    it = iter(D.DataLoader(range(4), num_workers=2))
    workers = list(it._workers)
    assert len(list(it)) == 4
    assert not any(w.is_alive() for w in workers)


class Slow(D.Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        time.sleep(1)
        return i


def test_timeout():
    loader = D.DataLoader(Slow(), num_workers=1, timeout=0.2)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.2 seconds$"):
        next(iter(loader))
    assert time.monotonic() - start < 10


def test_prefetch_factor_bounds_tasks_in_flight():
    loader = D.DataLoader(range(20), num_workers=2, prefetch_factor=3)
    assert loader.prefetch_factor == 3
    assert D.DataLoader(range(2), num_workers=1).prefetch_factor == 2
    it = iter(loader)
    assert it._outstanding == 6
    assert [next(it).item() for _ in range(20)] == list(range(20))


def test_spawn_context():
    loader = D.DataLoader(Squares(), batch_size=4, num_workers=1,
                          multiprocessing_context="spawn")
    assert batches(loader) == batches(D.DataLoader(Squares(), batch_size=4))
