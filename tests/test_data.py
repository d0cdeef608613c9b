"""numtorch.utils.data: collation, datasets, random_split and samplers (vs torch where exact)."""

import collections
import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch.utils import data as D

Point = collections.namedtuple("Point", "x y")


class MyList(list):
    pass


def canon(x):
    """A plain, comparable form of a (nested) batch from either library: types, dtypes, values."""
    if type(x).__name__ in ("Tensor", "Parameter"):
        return ("tensor", str(x.dtype), tuple(x.shape), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, {k: canon(v) for k, v in x.items()})
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, tuple(canon(v) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [canon(v) for v in x])
    if isinstance(x, (np.ndarray, np.generic)):
        return ("numpy", repr(x))
    return x


def outcome(fn):
    """``("ok", canon(result))`` or ``(exception type name, message)``, to compare libraries."""
    try:
        return ("ok", canon(fn()))
    except Exception as e:  # noqa: BLE001 - the point is to compare whatever is raised
        return (type(e).__name__, str(e))


# -- default_collate ---------------------------------------------------------------------------
# each case builds a batch from a tensor library `t` (numtorch or torch)
COLLATE_CASES = {
    "ints": lambda t: [1, 2, 3],
    "bools": lambda t: [True, False],
    "bool_then_int": lambda t: [True, 2],
    "int_then_float": lambda t: [1, 2.5],
    "floats": lambda t: [1.5, 2],
    "np_float32": lambda t: [np.float32(1), np.float32(2)],
    "np_int32": lambda t: [np.int32(1), np.int32(2)],
    "np_bool": lambda t: [np.bool_(True), np.bool_(False)],
    "np_float64": lambda t: [np.float64(1), np.float64(2)],
    "np_arrays": lambda t: [np.array([1, 2]), np.array([3, 4])],
    "np_arrays_mixed": lambda t: [np.array([1, 2], dtype=np.float32), np.array([3, 4])],
    "np_0d_arrays": lambda t: [np.array(1.0), np.array(2.0)],
    "strings": lambda t: ["a", "b"],
    "bytes": lambda t: [b"a", b"b"],
    "np_str": lambda t: [np.str_("a"), np.str_("b")],
    "tuples": lambda t: [(1, "a"), (2, "b")],
    "lists": lambda t: [[1, 2], [3, 4]],
    "my_list": lambda t: [MyList([1, 2]), MyList([3, 4])],
    "ranges": lambda t: [range(2), range(2)],
    "dicts": lambda t: [{"a": 1, "b": [1.0]}, {"a": 2, "b": [2.0]}],
    "ordered_dict": lambda t: [collections.OrderedDict(a=1, b=2.0)] * 2,
    "defaultdict": lambda t: [collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)],
    "namedtuple": lambda t: [Point(1, 2.0), Point(3, 4.0)],
    "tensors": lambda t: [t.tensor([1.0, 2.0]), t.tensor([3.0, 4.0])],
    "tensors_0d": lambda t: [t.tensor(1), t.tensor(2)],
    "tensors_2d": lambda t: [t.ones(2, 3, dtype=t.float64), t.zeros(2, 3, dtype=t.float64)],
    "tensors_int_float": lambda t: [t.zeros(2, dtype=t.int64), t.ones(2)],
    "tensors_float_int": lambda t: [t.ones(2), t.zeros(2, dtype=t.int64)],
    "tensors_int_half": lambda t: [t.zeros(2, dtype=t.int64), t.ones(2, dtype=t.float16)],
    "tensors_uint8_int8": lambda t: [t.ones(2, dtype=t.uint8), t.ones(2, dtype=t.int8)],
    "sample_tuples": lambda t: [(t.tensor([1.0]), 0), (t.tensor([2.0]), 1)],
    "nested": lambda t: [{"x": (t.tensor(1.0), [np.int64(2)])},
                         {"x": (t.tensor(3.0), [np.int64(4)])}],
}

COLLATE_ERRORS = {
    "tensor_sizes": lambda t: [t.zeros(3), t.zeros(4)],
    "tensor_rank": lambda t: [t.zeros(3), t.zeros(3), t.zeros(2, 2)],
    "tensor_0d_vs_1d": lambda t: [t.tensor(1.0), t.zeros(1)],
    "list_sizes": lambda t: [[1, 2], [3]],
    "none": lambda t: [None, None],
    "object": lambda t: [object()],
    "np_unicode": lambda t: [np.array(["a"]), np.array(["b"])],
    "np_object": lambda t: [np.array([1], dtype=object)],
    "dict_of_objects": lambda t: [{"a": object()}],
}


@pytest.mark.parametrize("case", sorted(COLLATE_CASES))
def test_default_collate_matches_torch(case):
    torch = require_torch()
    from torch.utils.data import default_collate as torch_collate

    build = COLLATE_CASES[case]
    assert outcome(lambda: D.default_collate(build(numtorch))) == \
        outcome(lambda: torch_collate(build(torch)))


@pytest.mark.parametrize("case", sorted(COLLATE_ERRORS))
def test_default_collate_errors_match_torch(case):
    torch = require_torch()
    from torch.utils.data import default_collate as torch_collate

    build = COLLATE_ERRORS[case]
    expected = outcome(lambda: torch_collate(build(torch)))
    assert expected[0] != "ok"
    assert outcome(lambda: D.default_collate(build(numtorch))) == expected


def test_default_collate_stack_message():
    with pytest.raises(RuntimeError, match=r"^stack expects each tensor to be equal size, but got "
                                           r"\[3\] at entry 0 and \[4\] at entry 1$"):
        D.default_collate([numtorch.zeros(3), numtorch.zeros(4)])


def test_default_collate_keeps_the_graph():
    if not hasattr(numtorch, "stack"):
        pytest.skip("numtorch.stack is not available yet")
    a = numtorch.ones(2, requires_grad=True)
    batch = D.default_collate([a, numtorch.ones(2)])
    assert batch.requires_grad
    batch.sum().backward()
    assert a.grad.tolist() == [1.0, 1.0]


def test_default_collate_no_grad_stack_is_a_copy():
    a = numtorch.tensor([1.0, 2.0])
    batch = D.default_collate([a, a])
    batch[0, 0] = 5.0
    assert a.tolist() == [1.0, 2.0]
    assert not batch.requires_grad


CONVERT_CASES = {
    "int": lambda t: 1,
    "np_float32": lambda t: np.float32(1),
    "np_float64": lambda t: np.float64(2),
    "np_array": lambda t: np.array([1, 2]),
    "np_0d": lambda t: np.array(3.0),
    "np_unicode": lambda t: np.array(["a"]),
    "tuple": lambda t: (1, np.array([1])),
    "list": lambda t: [1, np.array([1])],
    "dict": lambda t: {"a": np.array([1.0])},
    "namedtuple": lambda t: Point(np.array([1]), 2),
    "str": lambda t: "abc",
    "np_str": lambda t: np.str_("a"),
    "range": lambda t: range(3),
    "my_list": lambda t: MyList([np.int64(3)]),
    "tensor": lambda t: t.tensor([1.0]),
}


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_default_convert_matches_torch(case):
    torch = require_torch()
    from torch.utils.data import default_convert as torch_convert

    build = CONVERT_CASES[case]
    assert outcome(lambda: D.default_convert(build(numtorch))) == \
        outcome(lambda: torch_convert(build(torch)))


def test_default_convert_shares_memory_with_arrays():
    arr = np.zeros(3)
    out = D.default_convert(arr)
    arr[0] = 1.0
    assert out.tolist() == [1.0, 0.0, 0.0]


# -- datasets ----------------------------------------------------------------------------------
def test_tensor_dataset_items_and_len():
    x = numtorch.arange(12.0).reshape(6, 2)
    y = numtorch.arange(6)
    ds = D.TensorDataset(x, y)
    assert len(ds) == 6
    sx, sy = ds[2]
    assert sx.tolist() == [4.0, 5.0] and sy.item() == 2 and sy.dtype == numtorch.int64


def test_tensor_dataset_size_mismatch_matches_torch():
    torch = require_torch()
    ours = outcome(lambda: D.TensorDataset(numtorch.zeros(3), numtorch.zeros(4)))
    theirs = outcome(lambda: torch.utils.data.TensorDataset(torch.zeros(3), torch.zeros(4)))
    assert ours == theirs == ("AssertionError", "Size mismatch between tensors")


def test_tensor_dataset_getitems_is_the_list_of_samples():
    ds = D.TensorDataset(numtorch.arange(10.0).reshape(5, 2), numtorch.arange(5))
    batch = ds.__getitems__([4, 0, 4])
    assert len(batch) == 3
    assert canon(list(batch)) == canon([ds[4], ds[0], ds[4]])
    assert canon(D.default_collate(batch)) == canon(D.default_collate([ds[4], ds[0], ds[4]]))


def test_tensor_dataset_getitems_out_of_range_uses_tensor_indexing_error():
    ds = D.TensorDataset(numtorch.arange(3))
    with pytest.raises(IndexError) as batched:
        ds.__getitems__([0, 3])
    with pytest.raises(IndexError) as single:
        ds[3]
    assert str(batched.value) == str(single.value)


def test_tensor_dataset_subclass_getitem_is_respected():
    class Doubled(D.TensorDataset):
        def __getitem__(self, index):
            (x,) = super().__getitem__(index)
            return (x * 2,)

    ds = Doubled(numtorch.arange(4.0))
    assert [t.tolist() for t in D.default_collate(ds.__getitems__([1, 3]))] == [[2.0, 6.0]]


def test_subset_and_getitems():
    ds = D.Subset(D.TensorDataset(numtorch.arange(10)), [9, 7, 5])
    assert len(ds) == 3
    assert ds[1][0].item() == 7
    assert [t.tolist() for t in D.default_collate(ds.__getitems__([2, 0]))] == [[5, 9]]
    plain = D.Subset(list(range(10)), [3, 4])
    assert plain.__getitems__([1, 0]) == [4, 3]


def test_concat_dataset_matches_torch():
    torch = require_torch()
    ours = D.ConcatDataset([range(3), range(10, 14)])
    theirs = torch.utils.data.ConcatDataset([range(3), range(10, 14)])
    assert len(ours) == len(theirs) == 7
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    for i in range(-8, 8):
        assert outcome(lambda i=i: ours[i]) == outcome(lambda i=i: theirs[i])


def test_concat_dataset_errors_and_add():
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        D.ConcatDataset([])

    class Stream(D.IterableDataset):
        def __iter__(self):
            return iter(range(2))

    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        D.ConcatDataset([Stream()])
    both = D.TensorDataset(numtorch.arange(2)) + D.TensorDataset(numtorch.arange(3))
    assert isinstance(both, D.ConcatDataset) and len(both) == 5
    chained = Stream() + Stream()
    assert isinstance(chained, D.ChainDataset) and list(chained) == [0, 1, 0, 1]


def test_chain_dataset_rules():
    class Stream(D.IterableDataset):
        def __iter__(self):
            return iter(range(3))

        def __len__(self):
            return 3

    assert len(D.ChainDataset([Stream(), Stream()])) == 6
    with pytest.raises(AssertionError, match="ChainDataset only supports IterableDataset"):
        list(D.ChainDataset([range(3)]))


def test_base_classes():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement"):
        D.Dataset()[0]
    with pytest.raises(TypeError, match="abstract"):
        D.IterableDataset()
    with pytest.raises(NotImplementedError):
        iter(D.Sampler())
    with pytest.raises(TypeError):
        D.Sampler([1])


def test_stack_dataset():
    tup = D.StackDataset(D.TensorDataset(numtorch.arange(3)), range(3))
    assert len(tup) == 3
    assert canon(tup.__getitems__([0, 2])) == canon([(tup[0][0], 0), (tup[2][0], 2)])
    named = D.StackDataset(a=range(3), b=range(10, 13))
    assert named[1] == {"a": 1, "b": 11}
    assert named.__getitems__([2, 0]) == [{"a": 2, "b": 12}, {"a": 0, "b": 10}]
    with pytest.raises(ValueError, match="Size mismatch between datasets"):
        D.StackDataset(range(3), range(4))
    with pytest.raises(ValueError, match="both types are given"):
        D.StackDataset(range(3), b=range(3))
    with pytest.raises(ValueError, match="At least one dataset should be passed"):
        D.StackDataset()


# -- random_split ------------------------------------------------------------------------------
SPLITS = [
    (10, [3, 7]), (10, [0.3, 0.3, 0.4]), (10, [0.33, 0.33, 0.34]), (11, [0.1] * 10),
    (2, [0.0, 1.0]), (7, [0.5, 0.5]), (100, [0.8, 0.1, 0.1]), (10, [3, 3]), (10, [0.5, 0.6]),
    (10, [1.5, -0.5]), (5, [0, 5]),
]


@pytest.mark.parametrize(("n", "lengths"), SPLITS)
def test_random_split_lengths_match_torch(n, lengths):
    torch = require_torch()

    def sizes(split):
        return [len(s) for s in split(range(n), lengths)]

    with warnings.catch_warnings(record=True) as ours_w:
        warnings.simplefilter("always")
        ours = outcome(lambda: sizes(D.random_split))
    with warnings.catch_warnings(record=True) as theirs_w:
        warnings.simplefilter("always")
        theirs = outcome(lambda: sizes(torch.utils.data.random_split))
    assert ours == theirs
    assert [str(w.message) for w in ours_w] == [str(w.message) for w in theirs_w]


def test_random_split_is_a_partition_and_reproducible():
    def split(seed):
        return D.random_split(range(50), [0.5, 0.3, 0.2],
                              generator=numtorch.Generator().manual_seed(seed))

    parts = split(3)
    assert sorted(i for p in parts for i in p) == list(range(50))
    again = split(3)
    assert [list(p) for p in parts] == [list(p) for p in again]
    numtorch.manual_seed(5)
    a = [list(p) for p in D.random_split(range(20), [10, 10])]
    numtorch.manual_seed(5)
    assert a == [list(p) for p in D.random_split(range(20), [10, 10])]


# -- samplers ----------------------------------------------------------------------------------
def test_sequential_sampler():
    s = D.SequentialSampler(range(5))
    assert list(s) == [0, 1, 2, 3, 4] and len(s) == 5


def test_random_sampler_is_a_fresh_permutation_each_epoch():
    numtorch.manual_seed(0)
    s = D.RandomSampler(range(20))
    first, second = list(s), list(s)
    assert sorted(first) == sorted(second) == list(range(20))
    assert first != second


def test_random_sampler_num_samples_and_replacement():
    s = D.RandomSampler(range(4), num_samples=10)
    drawn = list(s)
    assert len(s) == 10 and len(drawn) == 10
    assert sorted(drawn[:4]) == [0, 1, 2, 3] and sorted(drawn[4:8]) == [0, 1, 2, 3]
    r = D.RandomSampler(range(3), replacement=True, num_samples=70)
    drawn = list(r)
    assert len(drawn) == 70 and set(drawn) <= {0, 1, 2}


def test_random_sampler_generator_reproducible():
    def order(seed):
        return list(D.RandomSampler(range(30), generator=numtorch.Generator().manual_seed(seed)))

    assert order(1) == order(1)
    assert order(1) != order(2)
    numtorch.manual_seed(7)
    a = list(D.RandomSampler(range(30)))
    numtorch.manual_seed(7)
    assert list(D.RandomSampler(range(30))) == a


SAMPLER_ERRORS = {
    "replacement_int": lambda m: m.RandomSampler(range(3), replacement=1),
    "num_samples_zero": lambda m: m.RandomSampler(range(3), num_samples=0),
    "num_samples_float": lambda m: m.RandomSampler(range(3), num_samples=2.0),
    "weighted_num_samples": lambda m: m.WeightedRandomSampler([1, 2], 0),
    "weighted_num_samples_bool": lambda m: m.WeightedRandomSampler([1, 2], True),
    "weighted_replacement": lambda m: m.WeightedRandomSampler([1, 2], 2, replacement=1),
    "weighted_2d": lambda m: m.WeightedRandomSampler([[1, 2]], 2),
    "batch_size_zero": lambda m: m.BatchSampler(range(3), 0, False),
    "batch_size_bool": lambda m: m.BatchSampler(range(3), True, False),
    "batch_size_float": lambda m: m.BatchSampler(range(3), 2.0, False),
    "drop_last_int": lambda m: m.BatchSampler(range(3), 2, 1),
}


@pytest.mark.parametrize("case", sorted(SAMPLER_ERRORS))
def test_sampler_errors_match_torch(case):
    torch = require_torch()
    expected = outcome(lambda: SAMPLER_ERRORS[case](torch.utils.data))
    assert expected[0] != "ok"
    assert outcome(lambda: SAMPLER_ERRORS[case](D)) == expected


def test_subset_random_sampler():
    s = D.SubsetRandomSampler([10, 20, 30, 40], generator=numtorch.Generator().manual_seed(0))
    assert sorted(s) == [10, 20, 30, 40] and len(s) == 4


def test_weighted_random_sampler():
    g = numtorch.Generator().manual_seed(0)
    s = D.WeightedRandomSampler([0.0, 1.0, 3.0], 200, generator=g)
    drawn = list(s)
    assert len(s) == 200 and len(drawn) == 200
    assert 0 not in drawn and drawn.count(2) > drawn.count(1)
    unique = list(D.WeightedRandomSampler([1.0, 1.0, 1.0, 1.0], 4, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3]


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9])
@pytest.mark.parametrize("batch_size", [1, 3, 8])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_sampler_matches_torch(n, batch_size, drop_last):
    torch = require_torch()
    ours = D.BatchSampler(D.SequentialSampler(range(n)), batch_size, drop_last)
    theirs = torch.utils.data.BatchSampler(range(n), batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)
