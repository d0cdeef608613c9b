"""``repr(tensor)`` text and print options, compared character for character with torch.

The differential cases are generated from a fixed seed, so every run checks the same texts: every
dtype, 0-d to 4-d, magnitudes 1e-8 to 1e8, nan/inf/-0.0, summarised (> threshold) and wrapped
(long rows) tensors, the three suffixes, and a table of print-option variants.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch import _tensor_str as nt

FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "int16", "int32", "int64", "uint8")
DTYPES = (*FLOATS, *INTS, "bool")
SPECIALS = (math.nan, math.inf, -math.inf, -0.0, 0.0)

# Print-option variants; every differential case runs under one of them.
OPTION_VARIANTS: tuple[dict[str, Any], ...] = (
    {},
    {"precision": 2},
    {"precision": 0},
    {"precision": 8},
    {"linewidth": 40},
    {"linewidth": 120},
    {"linewidth": 12},
    {"threshold": 10},
    {"threshold": 10, "edgeitems": 1},
    {"threshold": 20, "edgeitems": 5},
    {"threshold": 5, "edgeitems": 0},
    {"edgeitems": 0},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "short", "precision": 6, "linewidth": 60},
)


# ---------------------------------------------------------------------------------------------
# Case generation (numpy only, so collection works without torch)


def random_values(rng: np.random.Generator, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """Values of ``dtype`` whose scale, integrality and specials vary from case to case."""
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype in INTS:
        info = np.iinfo(dtype)
        high = min(int(info.max), 10 ** int(rng.integers(1, 10)))
        low = max(int(info.min), -high)
        return np.asarray(rng.integers(low, high, size=shape, dtype=dtype, endpoint=True))
    values = rng.standard_normal(shape) * 10.0 ** rng.uniform(-8, 8)
    style = rng.integers(4)
    if style == 0:
        values = np.round(values)  # integer-valued floats print as '3.'
    elif style == 1:
        values *= 10.0 ** rng.uniform(-8, 8, size=shape)  # many orders of magnitude at once
    with np.errstate(over="ignore"):  # large values overflow float16 to inf, which is wanted
        array = np.asarray(values, dtype=dtype)
    if array.size and rng.random() < 0.3:
        flat = array.reshape(-1)
        spots = rng.integers(0, array.size, size=int(rng.integers(1, 4)))
        flat[spots] = rng.choice(SPECIALS, size=len(spots))
    return array


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    ndim = int(rng.integers(0, 5))
    return tuple(int(n) for n in rng.integers(1, 7 if ndim < 3 else 4, size=ndim))


def pick_grad(dtype: str, i: int) -> str:
    """Cycle floats through no grad, a leaf that requires grad and a non-leaf; ints get none."""
    return ("none", "leaf", "grad_fn")[i % 3] if dtype in FLOATS else "none"


def small_cases(rng: np.random.Generator, count: int) -> Iterator[Any]:
    for i in range(count):
        dtype = DTYPES[i % len(DTYPES)]
        options = OPTION_VARIANTS[i % len(OPTION_VARIANTS)] if i % 3 == 0 else {}
        yield random_values(rng, dtype, random_shape(rng)), options, pick_grad(dtype, i)


SUMMARISED_SHAPES = ((1001,), (2000,), (1, 1200), (1200, 1), (40, 30), (5, 300), (300, 5),
                     (3, 20, 20), (11, 11, 11), (2, 3, 12, 15), (7, 1, 12, 13))


def summarised_cases(rng: np.random.Generator) -> Iterator[Any]:
    for i, shape in enumerate(SUMMARISED_SHAPES * 5):
        dtype = DTYPES[i % len(DTYPES)]
        options = OPTION_VARIANTS[i % len(OPTION_VARIANTS)] if i % 2 else {}
        yield random_values(rng, dtype, shape), options, pick_grad(dtype, i)


def hidden_outlier_cases() -> Iterator[Any]:
    """Huge, tiny and non-integer values hidden by summarisation must not change the format."""
    for planted in (1e-20, 1e20, 0.5, math.nan):
        array = np.arange(2000, dtype=np.float32)
        array[1000] = planted
        yield array, {}, "none"
        yield array.reshape(40, 50), {}, "leaf"


def wrapped_cases(rng: np.random.Generator) -> Iterator[Any]:
    for i, length in enumerate((9, 10, 17, 30, 64, 100, 333, 999)):
        for dtype in ("float32", "float64", "int64", "int32", "bool"):
            options = ({}, {"linewidth": 50}, {"linewidth": 100})[i % 3]
            yield random_values(rng, dtype, (length,)), options, pick_grad(dtype, i)
        yield random_values(rng, "float32", (3, length // 3 + 1)), {}, "grad_fn"


def empty_cases() -> Iterator[Any]:
    for dtype in DTYPES:
        for shape in ((0,), (0, 3), (2, 0), (2, 0, 3), (0, 0)):
            yield np.zeros(shape, dtype=dtype), {}, pick_grad(dtype, len(shape))


def special_cases() -> Iterator[Any]:
    """Hand-picked corners of the number-format choice."""
    rows = ([1.0, math.nan], [10.0, math.nan, 1.0], [-0.0, 1.0], [-0.0, 1.5], [0.0, -0.0],
            [math.nan, math.nan], [math.inf, -math.inf], [0.0, 0.0], [1e-5, 1.0], [1e9], [1e8],
            [1.0, 1001.0], [1.0, 1000.0], [1.5, 1500.0], [1e-5, math.nan, math.inf], [1e20, 1.0],
            [123456789.0, 1.0], [99999999.0, 1.0], [1e-4, 1.0], [9.99999e-5], [0.1, 100.0],
            [-1e-5, 5.0], [1e-300, 1e300], [5e-324, 1.0], [65504.0], [1.0, -math.inf])
    for row in rows:
        for dtype in FLOATS:
            with np.errstate(over="ignore", under="ignore"):
                array = np.array(row).astype(dtype)
            yield array, {}, "none"
            yield array[0, ...], {"sci_mode": True}, "leaf"  # 0-d
            yield array, {"sci_mode": False}, "none"


def all_cases() -> list[Any]:
    rng = np.random.default_rng(20240613)
    cases = [*small_cases(rng, 330), *summarised_cases(rng), *hidden_outlier_cases(),
             *wrapped_cases(rng), *empty_cases(), *special_cases()]
    return [pytest.param(array, options, grad,
                         id=f"{i}-{array.dtype}-{'x'.join(map(str, array.shape))}-{grad}")
            for i, (array, options, grad) in enumerate(cases)]


CASES = all_cases()


# ---------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture(scope="module")
def torch() -> Any:
    return require_torch()


@pytest.fixture(autouse=True)
def default_options() -> Iterator[None]:
    """Each test starts and ends with default options in both libraries."""
    nt.set_printoptions(profile="default")
    yield
    nt.set_printoptions(profile="default")
    with contextlib.suppress(ImportError):
        import torch

        torch.set_printoptions(profile="default")


@contextlib.contextmanager
def both_options(torch: Any, options: dict[str, Any]) -> Iterator[None]:
    with torch._tensor_str.printoptions(**options), nt.printoptions(**options):
        yield


def torch_tensor(torch: Any, array: np.ndarray, grad: str) -> Any:
    tensor = torch.from_numpy(array.copy())
    if grad == "leaf":
        tensor.requires_grad_()
    elif grad == "grad_fn":
        tensor = tensor.requires_grad_().clone()  # CloneBackward0, values unchanged
    return tensor


def tensor_stub(array: np.ndarray, like: Any) -> SimpleNamespace:
    """What tensor_repr reads from a numtorch Tensor, mirroring the torch tensor ``like``."""
    return SimpleNamespace(_data=array, requires_grad=like.requires_grad, grad_fn=like.grad_fn,
                           is_leaf=like.is_leaf)


# ---------------------------------------------------------------------------------------------
# Differential tests against torch


def test_enough_cases() -> None:
    assert len(CASES) >= 300


@pytest.mark.parametrize("array, options, grad", CASES)
def test_matches_torch(torch: Any, array: np.ndarray, options: dict[str, Any], grad: str) -> None:
    expected_tensor = torch_tensor(torch, array, grad)
    with both_options(torch, options):
        expected = repr(expected_tensor)
        assert str(expected_tensor) == expected
        assert nt.tensor_repr(tensor_stub(array, expected_tensor)) == expected


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64"])
@pytest.mark.parametrize("shape", [(), (3,), (0,), (2, 0)])
def test_default_dtype_float64(torch: Any, monkeypatch: pytest.MonkeyPatch, dtype: str,
                               shape: tuple[int, ...]) -> None:
    """The dtype suffix names float32, not float64, once float64 is the default."""
    monkeypatch.setattr(nt, "_default_float_name", lambda: "torch.float64")
    array = np.linspace(0.5, 3, num=math.prod(shape)).reshape(shape).astype(dtype)
    saved = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        expected = repr(torch.from_numpy(array))
    finally:
        torch.set_default_dtype(saved)
    assert nt.format_array(array) == expected


@pytest.mark.parametrize("calls", [
    [{"precision": 6}],
    [{"sci_mode": True}, {"precision": 3}],  # sci_mode falls back to automatic
    [{"linewidth": 100}, {"profile": "short"}],  # a profile sets all four options
    [{"profile": "full", "edgeitems": 1}],
    [{"profile": "no-such-profile", "precision": 2}],  # unknown profiles are ignored
    [{"threshold": 5, "sci_mode": False}],
])
def test_set_printoptions_matches_torch(torch: Any, calls: list[dict[str, Any]]) -> None:
    for kwargs in calls:
        torch.set_printoptions(**kwargs)
        nt.set_printoptions(**kwargs)
    assert nt.get_printoptions() == torch._tensor_str.get_printoptions()


# ---------------------------------------------------------------------------------------------
# Literal texts (run without torch too; recorded from torch 2.13)


LITERALS = [
    (np.array([1.0, 2.0, 3.0], np.float32), "tensor([1., 2., 3.])"),
    (np.array(3.5, np.float32), "tensor(3.5000)"),
    (np.array([1.0, 2.0]), "tensor([1., 2.], dtype=torch.float64)"),
    (np.array([True, False]), "tensor([ True, False])"),
    (np.array([1, -100, 5]), "tensor([   1, -100,    5])"),
    (np.array([1e-5, 1.0], np.float32), "tensor([1.0000e-05, 1.0000e+00])"),
    (np.array([10.0, np.nan, 1.0], np.float32), "tensor([10., nan,  1.])"),
    (np.array([-0.0, 1.5], np.float32), "tensor([-0.0000, 1.5000])"),
    (np.zeros((0, 3), np.float32), "tensor([], size=(0, 3))"),
    (np.zeros(0, np.int64), "tensor([], dtype=torch.int64)"),
    (np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), "tensor([[1., 2.],\n        [3., 4.]])"),
]


@pytest.mark.parametrize("array, expected", LITERALS)
def test_literal_texts(array: np.ndarray, expected: str) -> None:
    assert nt.format_array(array) == expected


def test_suffix_wraps_below_long_data() -> None:
    array = np.arange(10_000_000, 10_000_006, dtype=np.int32)
    assert nt.format_array(array) == (
        "tensor([10000000, 10000001, 10000002, 10000003, 10000004, 10000005],\n"
        "       dtype=torch.int32)")


def test_summary_uses_shown_values_only() -> None:
    array = np.arange(2000, dtype=np.float32)
    array[1000] = 0.5  # hidden: the shown values are all integers, so no decimals appear
    assert nt.format_array(array).startswith("tensor([0.0000e+00, 1.0000e+00,")
    array[:] = 5.0
    array[1000] = 1e-20
    assert nt.format_array(array) == "tensor([5., 5., 5.,  ..., 5., 5., 5.])"


def test_grad_suffixes_through_tensor_repr() -> None:
    grad_fn = SimpleNamespace(name=lambda: "MulBackward0")
    data = np.array([2.0, 4.0], np.float32)
    made = SimpleNamespace(_data=data, requires_grad=True, grad_fn=grad_fn, is_leaf=False)
    leaf = SimpleNamespace(_data=data, requires_grad=True, grad_fn=None, is_leaf=True)
    assert nt.tensor_repr(made) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert nt.tensor_repr(leaf) == "tensor([2., 4.], requires_grad=True)"


def test_printoptions_restores_after_an_error() -> None:
    with pytest.raises(ValueError), nt.printoptions(precision=2, sci_mode=True):
        assert nt.get_printoptions()["precision"] == 2
        raise ValueError
    assert nt.get_printoptions() == {"precision": 4, "threshold": 1000, "edgeitems": 3,
                                     "linewidth": 80, "sci_mode": None}


def test_profiles() -> None:
    nt.set_printoptions(profile="full")
    assert nt.get_printoptions()["threshold"] == math.inf
    nt.set_printoptions(profile="short", linewidth=60)
    assert nt.get_printoptions() == {"precision": 2, "threshold": 1000, "edgeitems": 2,
                                     "linewidth": 60, "sci_mode": None}


# ---------------------------------------------------------------------------------------------
# Through the real Tensor class, once it exists


def require_tensor_class() -> None:
    if not hasattr(numtorch, "tensor"):
        pytest.skip("numtorch.tensor does not exist yet")


@pytest.mark.parametrize("data", [[1.0, 2.0], [[1, 2], [3, 4]], [True, False], 3.5, []])
def test_tensor_class_repr(torch: Any, data: Any) -> None:
    require_tensor_class()
    tensor = numtorch.tensor(data)
    assert repr(tensor) == str(tensor) == repr(torch.tensor(data))


def test_tensor_class_grad_suffixes(torch: Any) -> None:
    require_tensor_class()
    leaf = numtorch.tensor([1.0, 2.0], requires_grad=True)
    expected_leaf = torch.tensor([1.0, 2.0], requires_grad=True)
    assert repr(leaf) == repr(expected_leaf)
    assert repr(leaf * 2) == repr(expected_leaf * 2)


# ---------------------------------------------------------------------------------------------
# Through the real API: tensors made by numtorch.tensor and by operations, against torch's


def api_cases() -> list[Any]:
    """Tensors of every dtype, 0-d to 4-d, 1e-8 to 1e8, nan/inf, past 1000 elements, built as
    plain tensors, leaves that require grad, and ``x * 2`` / ``x + 2`` results."""
    rng = np.random.default_rng(20250101)
    cases = []
    for i in range(330):
        dtype = DTYPES[i % len(DTYPES)]
        how = ("plain", "leaf", "mul", "add")[i // len(DTYPES) % 4]
        cases.append((random_values(rng, dtype, random_shape(rng)), how))
    for i, shape in enumerate(SUMMARISED_SHAPES * 2):
        dtype = DTYPES[(i * 5) % len(DTYPES)]
        cases.append((random_values(rng, dtype, shape), ("plain", "leaf", "mul", "add")[i % 4]))
    for dtype in DTYPES:
        cases.append((np.zeros((2, 0), dtype=dtype), "leaf"))
    return [pytest.param(array, how, id=f"{i}-{array.dtype}-{'x'.join(map(str, array.shape))}-"
                         f"{how}") for i, (array, how) in enumerate(cases)]


API_CASES = api_cases()


def build(lib: Any, array: np.ndarray, how: str) -> Any:
    """The same tensor in ``lib`` (torch or numtorch), made through its public API."""
    floating = array.dtype.kind == "f"
    tensor = lib.tensor(array.tolist(), dtype=getattr(lib, str(array.dtype)),
                        requires_grad=floating and how != "plain")
    if how == "mul":
        return tensor * 2  # MulBackward0 for floats
    if how == "add":
        return tensor + 2  # AddBackward0 for floats
    return tensor


def test_enough_api_cases() -> None:
    assert len(API_CASES) >= 300


@pytest.mark.parametrize("array, how", API_CASES)
def test_real_tensor_repr_matches_torch(torch: Any, array: np.ndarray, how: str) -> None:
    with np.errstate(over="ignore"):  # float16 values near the top overflow to inf, as in torch
        ours = build(numtorch, array, how)
    expected = build(torch, array, how)
    assert repr(ours) == repr(expected)
    assert str(ours) == str(expected)


@pytest.mark.parametrize("expr", [
    "T.arange(10)", "T.arange(2000)", "T.arange(0, 1, 0.1)", "T.linspace(-1e-6, 1e-6, 7)",
    "T.logspace(-8, 8, 17)", "T.eye(3)", "T.eye(40, dtype=T.int32)", "T.zeros(2, 3)",
    "T.ones(3, dtype=T.float64, requires_grad=True)", "T.full((2, 2), float('nan'))",
    "T.full((3,), True)", "T.zeros(0, 3, dtype=T.int8)", "T.tensor(3.5, requires_grad=True) * 2",
    "T.tensor([1., 2.], requires_grad=True).double()", "T.arange(6.).reshape(2, 3).t()",
    "T.tensor([[1e-8, 1.], [1e8, 0.]])", "T.tensor([1, 2], dtype=T.uint8) + 250",
    "T.arange(3.).requires_grad_() - 1",
    "T.Tensor([[1, 2]])", "T.FloatTensor([1e-5, 3])", "T.randint(0, 9, (0,))",
])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_factory_results_print_as_torch(torch: Any, expr: str, default: str) -> None:
    outputs = []
    for lib in (numtorch, torch):
        lib.set_default_dtype(getattr(lib, default))
        try:
            outputs.append(repr(eval(expr, {"T": lib})))
        finally:
            lib.set_default_dtype(lib.float32)
    assert outputs[0] == outputs[1]
