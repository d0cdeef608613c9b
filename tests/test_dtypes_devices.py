"""dtypes, the default dtype, torch.Size, torch.device and torch.cuda, against torch."""

from __future__ import annotations

import copy
import pickle

import pytest
from conftest import require_torch
from test_creation import assert_same

import numtorch

DTYPE_NAMES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
               "bool"]
ALIASES = {"half": "float16", "float": "float32", "double": "float64", "short": "int16",
           "int": "int32", "long": "int64"}


@pytest.mark.parametrize("name", DTYPE_NAMES + list(ALIASES))
def test_dtype_attributes_match_torch(name: str) -> None:
    torch = require_torch()
    ours, theirs = getattr(numtorch, name), getattr(torch, name)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    for attr in ("is_floating_point", "is_signed", "itemsize", "is_complex"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert repr(ours.to_real()) == repr(theirs.to_real())


@pytest.mark.parametrize("alias, name", ALIASES.items())
def test_aliases_are_the_same_object(alias: str, name: str) -> None:
    assert getattr(numtorch, alias) is getattr(numtorch, name)
    assert getattr(numtorch, alias) == getattr(numtorch, name)


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_pickles_and_copies_to_itself(name: str) -> None:
    d = getattr(numtorch, name)
    assert pickle.loads(pickle.dumps(d)) is d
    assert copy.deepcopy(d) is d and copy.copy(d) is d
    assert hash(d) == hash(getattr(numtorch, name))


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_tensor_dtype_and_element_size(name: str) -> None:
    assert_same(f"(T.zeros(2, dtype=T.{name}).dtype, T.zeros(2, dtype=T.{name}).element_size(),"
                f" T.zeros(2, dtype=T.{name}).itemsize, T.zeros(2, dtype=T.{name}).type())")


def test_default_dtype_round_trip_and_errors() -> None:
    assert numtorch.get_default_dtype() is numtorch.float32
    for expr in ("T.set_default_dtype(T.int64)", "T.set_default_dtype(T.bool)",
                 "T.set_default_dtype(float)", "T.get_default_dtype()"):
        assert_same(expr)
    try:
        numtorch.set_default_dtype(numtorch.float64)
        assert numtorch.get_default_dtype() is numtorch.float64
        assert numtorch.tensor([1.5]).dtype is numtorch.float64
        assert repr(numtorch.tensor([1.5])) == "tensor([1.5000])"
        assert repr(numtorch.tensor([1.5], dtype=numtorch.float32)) == (
            "tensor([1.5000], dtype=torch.float32)")
        assert numtorch.tensor([1, 2]).dtype is numtorch.int64
    finally:
        numtorch.set_default_dtype(numtorch.float32)


SIZE = [
    "T.Size([3, 4])", "str(T.Size([3, 4]))", "T.Size([3, 4])[1:]", "T.Size([3, 4])[0]",
    "T.Size([3, 4])[::-1]", "T.Size([3, 4]).numel()", "T.Size([]).numel()",
    "T.Size([2, 0]).numel()", "T.Size([3, 4]) == (3, 4)", "T.Size([3, 4]) == [3, 4]",
    "T.Size([3, 4]) + (5,)", "(5,) + T.Size([3, 4])", "T.Size([1]) + T.Size([2])",
    "T.Size([1, 2]) * 2", "2 * T.Size([1, 2])", "T.Size((2, 3))", "T.Size()", "T.Size([-1])",
    "T.Size([True])", "T.Size(x for x in [1, 2])", "T.Size([np.int64(3)])",
    "T.Size([T.tensor(2)])", "T.Size([T.tensor([2])])", "T.Size([2.5])",
    "T.Size([T.tensor(2.)])", "T.Size(5)", "T.Size([1]) + [2]", "hash(T.Size([1])) == hash((1,))",
    "T.Size([1, 2]).count(1)", "T.Size([1, 2]).index(2)", "type(T.Size([1, 2])[0]).__name__",
    "isinstance(T.Size([1]), tuple)", "pickle.loads(pickle.dumps(T.Size([2, 3])))",
    "T.zeros(2, 3).shape", "T.zeros(2, 3).size()", "T.zeros(2, 3).shape[1:]",
    "T.zeros(()).shape", "len(T.zeros(2, 3, 4).shape)",
]


@pytest.mark.parametrize("expr", SIZE)
def test_size_matches_torch(expr: str) -> None:
    assert_same(expr, "import pickle")


DEVICE = [
    "T.device('cpu')", "str(T.device('cpu'))", "T.device('cpu', 0)", "T.device('cpu:0')",
    "T.device('cuda')", "T.device('cuda:1')", "str(T.device('cuda', 1))", "T.device('mps')",
    "T.device('meta')", "T.device(T.device('cpu'))", "T.device(type='cpu')",
    "T.device(type='cpu', index=0)", "T.device('cpu').type", "T.device('cpu').index",
    "T.device('cuda:2').index", "T.device('cpu') == T.device('cpu')",
    "T.device('cpu') == T.device('cpu', 0)", "T.device('cpu') == 'cpu'", "'cpu' == T.device('cpu')",
    "T.device('cpu') != 'cpu'", "hash(T.device('cpu')) == hash(T.device('cpu'))",
    "{T.device('cpu'): 1}", "pickle.loads(pickle.dumps(T.device('cuda', 1)))",
    "T.device('foo')", "T.device('CPU')", "T.device(' cpu')", "T.device('cpu:x')",
    "T.device('cpu:-1')", "T.device('cuda:0:1')", "T.device('cpu', -1)", "T.device('cpu', 1.5)",
    "T.device(0)", "T.device(1.5)", "T.device(None)",
    "T.zeros(2).device", "T.zeros(2).device.type", "T.zeros(2).device == T.device('cpu')",
    "T.zeros(2).is_cuda", "T.zeros(2).get_device()", "T.zeros(2, device='cpu:1').device",
    "T.zeros(2, device=T.device('cpu'))", "T.tensor([1.], device='cpu')",
    "T.ones(2, device='cuda')", "T.tensor([1.], device='cuda:0')", "T.arange(3, device='cuda')",
    "T.rand(2, device='cuda')", "T.eye(2, device='cuda')", "T.zeros(2).to('cuda')",
    "T.zeros(2).cuda()", "T.zeros(2).to(T.device('cuda', 0))", "T.zeros(2).to(0)",
    "T.zeros(2).to('cpu').device", "T.zeros(2, device='xpu')",
    "T.cuda.is_available()", "T.cuda.device_count()", "T.cuda.is_initialized()",
    "T.cuda.manual_seed(1)", "T.cuda.manual_seed_all(1)", "T.cuda.empty_cache()",
    "T.cuda.memory_allocated()", "T.cuda.is_bf16_supported()", "T.cuda.current_device()",
    "T.cuda.synchronize()", "T.cuda.get_device_name()", "T.cuda.init()",
]


@pytest.mark.parametrize("expr", DEVICE)
def test_device_matches_torch(expr: str) -> None:
    assert_same(expr, "import pickle")


def test_device_as_context_manager() -> None:
    with numtorch.device("cpu"):
        assert numtorch.zeros(1).device == numtorch.device("cpu")
    with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"), \
            numtorch.device("cuda"):
        pass  # pragma: no cover


@pytest.mark.parametrize("factory", [
    "T.zeros(2, device=D)", "T.ones(2, device=D)", "T.empty(2, device=D).shape",
    "T.full((2,), 1., device=D)", "T.tensor([1.], device=D)", "T.as_tensor([1.], device=D)",
    "T.arange(3, device=D)", "T.linspace(0, 1, 3, device=D)", "T.logspace(0, 1, 3, device=D)",
    "T.eye(2, device=D)", "T.rand(2, device=D).shape", "T.randn(2, device=D).shape",
    "T.randint(3, (2,), device=D).shape", "T.randperm(3, device=D).shape",
    "T.zeros_like(T.ones(2), device=D)", "T.ones(2).new_zeros(2, device=D)",
    "T.ones(2).to(D)", "T.ones(2).to(D, T.float64)", "T.ones(2).to(device=D)",
])
@pytest.mark.parametrize("dev", ["'cpu'", "T.device('cpu')", "'cpu:0'", "'cuda'", "None"])
def test_device_arguments_everywhere(factory: str, dev: str) -> None:
    assert_same(factory, f"D = {dev}")
