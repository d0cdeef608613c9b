"""torch.finfo / torch.iinfo, the math constants and the tensor predicates, against torch 2.13:
values, types, reprs and errors (exception type and message)."""

from __future__ import annotations

import math

import pytest
from conftest import require_torch

import numtorch

FLOATS = ["float16", "float32", "float64"]
INTS = ["int8", "int16", "int32", "int64", "uint8"]
FINFO_ATTRS = ["bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"]


def _raises_like(fn):
    """Run ``fn`` on both libraries; both must raise the same type with the same message."""
    torch = require_torch()
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(numtorch)
    assert str(ours.value) == str(theirs.value)


def test_constants_are_python_floats_equal_to_torch():
    torch = require_torch()
    for name in ("e", "pi", "inf"):
        assert type(getattr(numtorch, name)) is float
        assert getattr(numtorch, name) == getattr(torch, name)
    assert math.isnan(numtorch.nan) and type(numtorch.nan) is float
    assert numtorch.newaxis is torch.newaxis is None


@pytest.mark.parametrize("name", FLOATS)
def test_finfo_matches_torch(name):
    torch = require_torch()
    ours, theirs = numtorch.finfo(getattr(numtorch, name)), torch.finfo(getattr(torch, name))
    for attr in FINFO_ATTRS:
        assert getattr(ours, attr) == getattr(theirs, attr), attr
        assert type(getattr(ours, attr)) is type(getattr(theirs, attr)), attr
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)


@pytest.mark.parametrize("name", INTS)
def test_iinfo_matches_torch(name):
    torch = require_torch()
    ours, theirs = numtorch.iinfo(getattr(numtorch, name)), torch.iinfo(getattr(torch, name))
    for attr in ("bits", "max", "min", "dtype"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
        assert type(getattr(ours, attr)) is type(getattr(theirs, attr)), attr
    assert repr(ours) == repr(theirs)


def test_finfo_defaults_to_the_default_dtype():
    assert numtorch.finfo().dtype == "float32"
    numtorch.set_default_dtype(numtorch.float64)
    try:
        assert numtorch.finfo().dtype == "float64"
    finally:
        numtorch.set_default_dtype(numtorch.float32)
    assert numtorch.finfo(type=numtorch.float16).bits == 16


def test_info_equality_and_read_only():
    assert numtorch.finfo(numtorch.float32) == numtorch.finfo(numtorch.float32)
    assert numtorch.finfo(numtorch.float32) != numtorch.finfo(numtorch.float64)
    assert numtorch.iinfo(numtorch.int8) == numtorch.iinfo(numtorch.int8)
    assert numtorch.finfo(numtorch.float32) != 3
    _raises_like(lambda lib: setattr(lib.finfo(lib.float32), "eps", 3.0))
    with pytest.raises(TypeError, match="unhashable"):  # torch's names the C type torch.finfo
        hash(numtorch.finfo(numtorch.float32))


@pytest.mark.parametrize("call", [
    lambda lib: lib.finfo(lib.int32),
    lambda lib: lib.finfo(lib.bool),
    lambda lib: lib.finfo("float32"),
    lambda lib: lib.finfo(None),
    lambda lib: lib.finfo(1),
    lambda lib: lib.iinfo(lib.float32),
    lambda lib: lib.iinfo(lib.bool),
    lambda lib: lib.iinfo(),
    lambda lib: lib.iinfo("int8"),
], ids=["finfo_int", "finfo_bool", "finfo_str", "finfo_none", "finfo_int_value", "iinfo_float",
        "iinfo_bool", "iinfo_missing", "iinfo_str"])
def test_info_errors_match_torch(call):
    _raises_like(call)


PREDICATE_INPUTS = [
    lambda lib: lib.tensor([1.0, 2.0]), lambda lib: lib.tensor([3]), lambda lib: lib.tensor(True),
    lambda lib: lib.tensor(0.0), lambda lib: lib.tensor(float("nan")),
    lambda lib: lib.tensor([], dtype=lib.float64), lambda lib: lib.tensor(0, dtype=lib.uint8),
    lambda lib: lib.tensor([[2.0]]),
]


@pytest.mark.parametrize("name", ["is_floating_point", "is_complex", "is_signed", "is_nonzero",
                                  "numel"])
@pytest.mark.parametrize("make", PREDICATE_INPUTS)
def test_predicates_match_torch(name, make):
    torch = require_torch()
    try:
        expected = getattr(torch, name)(make(torch))
    except RuntimeError as err:
        with pytest.raises(RuntimeError) as ours:
            getattr(numtorch, name)(make(numtorch))
        assert str(ours.value) == str(err)
        return
    got = getattr(numtorch, name)(make(numtorch))
    assert got == expected and type(got) is type(expected)


def test_predicates_keywords_and_methods():
    x = numtorch.tensor([2.0])
    assert numtorch.is_floating_point(input=x) and numtorch.is_nonzero(input=x)
    assert x.is_nonzero() and x.is_same_size(numtorch.ones(1))
    assert numtorch.is_same_size(x, numtorch.ones(1))
    assert not numtorch.is_same_size(input=x, other=numtorch.ones(1, 1))


@pytest.mark.parametrize("call", [
    lambda lib: lib.is_floating_point(3.0),
    lambda lib: lib.is_complex([1]),
    lambda lib: lib.is_same_size(lib.ones(2), 3),
    lambda lib: lib.numel(3),
    lambda lib: lib.tensor([1.0, 2.0]).is_nonzero(),
])
def test_predicate_errors_match_torch(call):
    _raises_like(call)


def test_detach_functions():
    y = numtorch.ones(2, requires_grad=True) * 2
    d = numtorch.detach(y)
    assert not d.requires_grad and d.data_ptr() == y.data_ptr()
    assert numtorch.detach_(y) is y and not y.requires_grad and y.grad_fn is None
    leaf = numtorch.ones(2, requires_grad=True)
    numtorch.detach_(leaf)
    assert not leaf.requires_grad


def test_detach_view_in_place_error_matches_torch():
    _raises_like(lambda lib: lib.detach_((lib.ones(2, requires_grad=True) * 2)[:1]))
