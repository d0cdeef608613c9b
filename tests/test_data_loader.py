"""numtorch.utils.data.DataLoader in the main process (num_workers=0), compared with torch."""

import os
import warnings

import numpy as np
import pytest
from conftest import require_torch
from test_data import canon, outcome

import numtorch
from numtorch.utils import data as D


def tensor_dataset(lib, n):
    """A TensorDataset of ``n`` rows (float features, int labels) built with ``lib``."""
    x = lib.from_numpy(np.arange(n * 3, dtype=np.float32).reshape(n, 3))
    y = lib.from_numpy(np.arange(n, dtype=np.int64) % 4)
    return lib.utils.data.TensorDataset(x, y)


class DictDataset:
    """A map-style dataset (not a Dataset subclass: duck typing must work) of dict samples."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"index": i, "value": float(i) / 2, "name": f"s{i}", "pair": (i, [i, -i])}


# (batch_size, drop_last); batch_size=None with drop_last=True is an argument error, tested below
BATCHING = [(1, False), (3, False), (3, True), (8, False), (8, True), (None, False)]


def run(lib, make_dataset, **kwargs):
    loader = lib.utils.data.DataLoader(make_dataset(lib), **kwargs)
    return [canon(batch) for batch in loader], len(loader)


@pytest.mark.parametrize("n", [1, 7, 8, 10])
@pytest.mark.parametrize(("batch_size", "drop_last"), BATCHING)
def test_tensor_dataset_batches_match_torch(n, batch_size, drop_last):
    torch = require_torch()
    kwargs = {"batch_size": batch_size, "drop_last": drop_last}
    ours = run(numtorch, lambda lib: tensor_dataset(lib, n), **kwargs)
    assert ours == run(torch, lambda lib: tensor_dataset(lib, n), **kwargs)


@pytest.mark.parametrize("batch_size", [1, 4, None])
def test_dict_samples_match_torch(batch_size):
    torch = require_torch()
    ours = run(numtorch, lambda lib: DictDataset(6), batch_size=batch_size)
    assert ours == run(torch, lambda lib: DictDataset(6), batch_size=batch_size)


def test_numpy_samples_match_torch():
    torch = require_torch()

    def make(lib):
        return [(np.full(2, i, dtype=np.float32), np.int64(i)) for i in range(5)]

    assert run(numtorch, make, batch_size=2) == run(torch, make, batch_size=2)


def test_subset_of_tensor_dataset_matches_torch():
    torch = require_torch()

    def make(lib):
        return lib.utils.data.Subset(tensor_dataset(lib, 10), [9, 2, 5, 5, 0])

    assert run(numtorch, make, batch_size=2) == run(torch, make, batch_size=2)


def test_custom_collate_fn_sees_torchs_list_of_tuples():
    torch = require_torch()

    def collect(lib):
        seen = []
        loader = lib.utils.data.DataLoader(tensor_dataset(lib, 5), batch_size=2,
                                           collate_fn=lambda b: seen.append(b) or len(b))
        return list(loader), [(type(b).__name__, [canon(s) for s in b]) for b in seen]

    assert collect(numtorch) == collect(torch)


def test_getitems_called_once_per_batch():
    calls = []

    class Counting(D.TensorDataset):
        def __getitems__(self, indices):
            calls.append(list(indices))
            return super().__getitems__(indices)

    loader = D.DataLoader(Counting(numtorch.arange(10)), batch_size=4)
    assert [b[0].tolist() for b in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_custom_sampler_and_batch_sampler_match_torch():
    torch = require_torch()
    for kwargs in ({"sampler": [4, 0, 2], "batch_size": 2},
                   {"batch_sampler": [[1, 3], [0], [2, 2, 4]]}):
        ours = run(numtorch, lambda lib: tensor_dataset(lib, 5), **kwargs)
        assert ours == run(torch, lambda lib: tensor_dataset(lib, 5), **kwargs)


def build_errors(lib):
    D_ = lib.utils.data
    ds = D_.TensorDataset(lib.arange(10))

    class Stream(D_.IterableDataset):
        def __iter__(self):
            return iter(range(5))

    return {
        "num_workers": lambda: D_.DataLoader(ds, num_workers=-1),
        "timeout": lambda: D_.DataLoader(ds, timeout=-1),
        "prefetch_without_workers": lambda: D_.DataLoader(ds, prefetch_factor=2),
        "prefetch_negative": lambda: D_.DataLoader(ds, num_workers=1, prefetch_factor=-1),
        "persistent_without_workers": lambda: D_.DataLoader(ds, persistent_workers=True),
        "sampler_and_shuffle": lambda: D_.DataLoader(ds, sampler=[1, 2], shuffle=True),
        "batch_sampler_and_batch_size": lambda: D_.DataLoader(ds, batch_sampler=[[1]],
                                                              batch_size=2),
        "batch_sampler_and_drop_last": lambda: D_.DataLoader(ds, batch_sampler=[[1]],
                                                             drop_last=True),
        "batch_sampler_and_shuffle": lambda: D_.DataLoader(ds, batch_sampler=[[1]],
                                                           shuffle=True),
        "batch_sampler_and_sampler": lambda: D_.DataLoader(ds, batch_sampler=[[1]],
                                                           sampler=[1]),
        "no_batching_and_drop_last": lambda: D_.DataLoader(ds, batch_size=None, drop_last=True),
        "context_without_workers": lambda: D_.DataLoader(ds, multiprocessing_context="fork"),
        "context_unknown": lambda: D_.DataLoader(ds, num_workers=1,
                                                 multiprocessing_context="bogus"),
        "context_type": lambda: D_.DataLoader(ds, num_workers=1, multiprocessing_context=3),
        "iterable_shuffle": lambda: D_.DataLoader(Stream(), shuffle=True),
        "iterable_sampler": lambda: D_.DataLoader(Stream(), sampler=[1]),
        "iterable_batch_sampler": lambda: D_.DataLoader(Stream(), batch_sampler=[[1]]),
        "iterable_len": lambda: len(D_.DataLoader(Stream())),
        "set_batch_size": lambda: setattr(D_.DataLoader(ds), "batch_size", 3),
        "set_sampler": lambda: setattr(D_.DataLoader(ds), "sampler", [1]),
        "set_dataset": lambda: setattr(D_.DataLoader(ds), "dataset", ds),
        "timeout_without_workers": lambda: list(D_.DataLoader(ds, timeout=1)),
        "pickle_iterator": lambda: iter(D_.DataLoader(ds)).__getstate__(),
    }


@pytest.mark.parametrize("case", sorted(build_errors(numtorch)))
def test_argument_errors_match_torch(case):
    torch = require_torch()
    expected = outcome(build_errors(torch)[case])
    assert expected[0] != "ok"
    assert outcome(build_errors(numtorch)[case]) == expected


def test_settable_attributes():
    loader = D.DataLoader(range(4))
    loader.num_workers = 0  # not frozen in torch either
    loader.collate_fn = D.default_collate
    assert list(loader)[0].tolist() == [0]


def test_iter_makes_a_fresh_iterator_and_nested_loops_work():
    loader = D.DataLoader(range(6), batch_size=2)
    it1, it2 = iter(loader), iter(loader)
    assert it1 is not loader and it1 is not it2
    assert next(it1).tolist() == [0, 1]
    assert next(it2).tolist() == [0, 1]
    pairs = [(a.tolist(), b.tolist()) for a in loader for b in loader]
    assert len(pairs) == 9
    assert pairs[0] == ([0, 1], [0, 1]) and pairs[-1] == ([4, 5], [4, 5])
    assert len(iter(loader)) == 3


def test_shuffle_covers_every_sample_once_per_epoch():
    numtorch.manual_seed(0)
    loader = D.DataLoader(D.TensorDataset(numtorch.arange(50)), batch_size=8, shuffle=True)
    epochs = [np.concatenate([b[0].numpy() for b in loader]).tolist() for _ in range(3)]
    for order in epochs:
        assert sorted(order) == list(range(50))
    assert epochs[0] != epochs[1] != epochs[2]


def test_seeded_shuffle_is_reproducible():
    def orders(seed):
        loader = D.DataLoader(range(40), batch_size=5, shuffle=True,
                              generator=numtorch.Generator().manual_seed(seed))
        return [[b.tolist() for b in loader] for _ in range(2)]

    assert orders(3) == orders(3)
    assert orders(3) != orders(4)

    def with_manual_seed():
        numtorch.manual_seed(11)
        return [b.tolist() for b in D.DataLoader(range(40), batch_size=5, shuffle=True)]

    assert with_manual_seed() == with_manual_seed()


class Stream:
    """An iterable dataset class factory shared by both libraries."""

    @staticmethod
    def make(lib, n=7, length=None):
        class S(lib.utils.data.IterableDataset):
            def __iter__(self):
                return iter(range(n))

        if length is not None:
            S.__len__ = lambda self: length
        return S()


@pytest.mark.parametrize(("batch_size", "drop_last"), BATCHING)
def test_iterable_dataset_matches_torch(batch_size, drop_last):
    torch = require_torch()
    kwargs = {"batch_size": batch_size, "drop_last": drop_last}
    ours = run(numtorch, lambda lib: Stream.make(lib, length=7), **kwargs)
    assert ours == run(torch, lambda lib: Stream.make(lib, length=7), **kwargs)


@pytest.mark.parametrize("batch_size", [None, 2])
def test_iterable_length_overrun_warning_matches_torch(batch_size):
    torch = require_torch()

    def messages(lib):
        loader = lib.utils.data.DataLoader(Stream.make(lib, n=7, length=5), batch_size=batch_size)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            n = len(loader)
            batches = list(loader)
        text = [str(w.message).replace(repr(loader.dataset), "<dataset>") for w in caught]
        return n, len(batches), text

    ours = messages(numtorch)
    assert ours == messages(torch)
    if batch_size is None:
        assert ours[2][0].startswith("Length of IterableDataset <dataset> was reported to be 5")


def test_pin_memory_warns_like_torch():
    torch = require_torch()

    def caught(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            list(lib.utils.data.DataLoader(range(2), pin_memory=True))
        return [(x.category.__name__, str(x.message)) for x in w]

    assert caught(numtorch) == caught(torch)
    assert len(caught(numtorch)) == 1


def test_too_many_workers_warning_matches_torch():
    torch = require_torch()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def caught(lib):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.utils.data.DataLoader(range(3), num_workers=cpus + 1)  # no iterator: no process
        return [(x.category.__name__, str(x.message)) for x in w]

    assert caught(numtorch) == caught(torch)
    assert len(caught(numtorch)) == 1


def test_dataloader_len_matches_torch():
    torch = require_torch()
    for kwargs in ({"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                   {"batch_size": None}, {"batch_size": 20}):
        assert len(D.DataLoader(range(10), **kwargs)) == \
            len(torch.utils.data.DataLoader(range(10), **kwargs))


def test_worker_info_is_none_in_main_process():
    assert D.get_worker_info() is None
