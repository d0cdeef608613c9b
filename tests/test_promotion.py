"""Type promotion against torch: result_type, promote_types, and the dtypes ops really return.

Covers every pair of the nine dtypes, tensors with dims against 0-d tensors (the tiers of
NOTE [ Type promotion ]), Python bool/int/float scalars, and a changed default dtype.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import require_torch

import numtorch

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
PAIRS = list(itertools.product(DTYPES, DTYPES))
SCALARS = [True, False, 0, 3, -2, 2.5, -0.0]
# (ndim of a, ndim of b): both with dims, one 0-d on either side, both 0-d
RANKS = [(1, 1), (1, 0), (0, 1), (0, 0)]


def _tensor(lib, name, ndim):
    values = np.array([1, 2, 3][: 3 if ndim else 1], dtype=name)
    return lib.from_numpy(values if ndim else values.reshape(()))


def _outcome(fn, *args):
    """The dtype name of ``fn(*args)``, or the exception type name when the call raises."""
    try:
        result = fn(*args)
    except Exception as exc:  # noqa: BLE001 - comparing which error, not handling it
        return type(exc).__name__
    return str(result.dtype if hasattr(result, "dtype") else result).replace("torch.", "")


def _mismatches(torch, op, pairs, ranks):
    bad = []
    for (a, b), (ra, rb) in itertools.product(pairs, ranks):
        theirs = _outcome(op, torch, _tensor(torch, a, ra), _tensor(torch, b, rb))
        ours = _outcome(op, numtorch, _tensor(numtorch, a, ra), _tensor(numtorch, b, rb))
        if ours != theirs:
            bad.append(f"{a}[{ra}d] {b}[{rb}d]: ours {ours}, torch {theirs}")
    return bad


def test_promote_types_matches_torch_for_every_pair():
    torch = require_torch()
    for a, b in PAIRS:
        theirs = torch.promote_types(getattr(torch, a), getattr(torch, b))
        ours = numtorch.promote_types(getattr(numtorch, a), getattr(numtorch, b))
        assert str(ours) == str(theirs), (a, b)


@pytest.mark.parametrize(("ra", "rb"), RANKS)
def test_result_type_of_two_tensors_matches_torch(ra, rb):
    torch = require_torch()
    assert not _mismatches(torch, lambda lib, x, y: lib.result_type(x, y), PAIRS, [(ra, rb)])


@pytest.mark.parametrize("ndim", [0, 1])
def test_result_type_with_python_scalars_matches_torch(ndim):
    torch = require_torch()
    for name, scalar in itertools.product(DTYPES, SCALARS):
        theirs = torch.result_type(_tensor(torch, name, ndim), scalar)
        ours = numtorch.result_type(_tensor(numtorch, name, ndim), scalar)
        assert str(ours) == str(theirs), (name, ndim, scalar)
        assert str(numtorch.result_type(scalar, _tensor(numtorch, name, ndim))) == str(theirs)


def test_result_type_of_two_scalars():
    torch = require_torch()
    for x, y in itertools.product([True, 2, 2.5], repeat=2):
        assert str(numtorch.result_type(x, y)) == str(torch.result_type(x, y)), (x, y)


BINARY_OPS = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: lib.sub(a, b),
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / b,  # int / int -> the default float
    "floor_divide": lambda lib, a, b: a // b,
    "remainder": lambda lib, a, b: a % b,
    "pow": lambda lib, a, b: a ** b,
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "where": lambda lib, a, b: lib.where(a != 0, a, b),
    "eq": lambda lib, a, b: a == b,
    "lt": lambda lib, a, b: a < b,
    "logical_and": lambda lib, a, b: lib.logical_and(a, b),
    "bitwise_and": lambda lib, a, b: a & b,
}


@pytest.mark.parametrize("op", list(BINARY_OPS), ids=list(BINARY_OPS))
def test_binary_op_result_dtypes_match_torch(op):
    torch = require_torch()
    bad = _mismatches(torch, BINARY_OPS[op], PAIRS, RANKS)
    assert not bad, "\n".join(bad[:20])


SCALAR_OPS = {
    "add": lambda a, s: a + s, "radd": lambda a, s: s + a, "mul": lambda a, s: a * s,
    "div": lambda a, s: a / s, "rdiv": lambda a, s: s / a, "floordiv": lambda a, s: a // s,
    "pow": lambda a, s: a ** s, "rpow": lambda a, s: s ** a, "gt": lambda a, s: a > s,
    "rsub": lambda a, s: s - a, "clamp": lambda a, s: a.clamp(min=s),
}


@pytest.mark.parametrize("op", list(SCALAR_OPS), ids=list(SCALAR_OPS))
@pytest.mark.parametrize("ndim", [0, 1])
def test_tensor_scalar_op_dtypes_match_torch(op, ndim):
    torch = require_torch()
    fn = SCALAR_OPS[op]
    bad = []
    for name, scalar in itertools.product(DTYPES, [True, 3, 2.5]):
        theirs = _outcome(fn, _tensor(torch, name, ndim), scalar)
        ours = _outcome(fn, _tensor(numtorch, name, ndim), scalar)
        if ours != theirs:
            bad.append(f"{name}[{ndim}d] {op} {scalar!r}: ours {ours}, torch {theirs}")
    assert not bad, "\n".join(bad)


def test_float32_tensor_with_numpy_float64_scalar_stays_float32():
    x = numtorch.ones(3)
    assert (x * np.float64(2.0)).dtype == numtorch.float32
    assert (x + np.int64(1)).dtype == numtorch.float32


def test_float32_with_float64_tensor_is_float64_but_with_float64_0d_is_float32():
    x = numtorch.ones(3)
    assert (x + numtorch.ones(3, dtype=numtorch.float64)).dtype == numtorch.float64
    assert (x + numtorch.ones((), dtype=numtorch.float64)).dtype == numtorch.float32


@pytest.fixture
def float64_default():
    numtorch.set_default_dtype(numtorch.float64)
    try:
        yield
    finally:
        numtorch.set_default_dtype(numtorch.float32)


DEFAULT_DTYPE_CASES = {
    "int_plus_float_scalar": lambda lib: lib.tensor([1, 2]) + 2.5,
    "int_div_int": lambda lib: lib.tensor([1, 2]) / lib.tensor([2, 4]),
    "exp_of_int": lambda lib: lib.tensor([1, 2]).exp(),
    "bool_times_float": lambda lib: lib.tensor([True, False]) * 1.5,
    "float32_plus_scalar": lambda lib: lib.ones(2, dtype=lib.float32) + 2.5,
    "float16_plus_scalar": lambda lib: lib.ones(2, dtype=lib.float16) * 2.5,
    "result_type_int_float": lambda lib: lib.result_type(lib.tensor([1]), 1.0),
    "sigmoid_of_bool": lambda lib: lib.sigmoid(lib.tensor([True])),
}


@pytest.mark.parametrize("case", list(DEFAULT_DTYPE_CASES), ids=list(DEFAULT_DTYPE_CASES))
def test_default_dtype_float64_matches_torch(case, float64_default):
    torch = require_torch()
    fn = DEFAULT_DTYPE_CASES[case]
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        theirs = _outcome(fn, torch)
    finally:
        torch.set_default_dtype(previous)
    assert numtorch.get_default_dtype() == numtorch.float64
    assert _outcome(fn, numtorch) == theirs


def test_default_dtype_is_restored_to_float32():
    numtorch.set_default_dtype(numtorch.float64)
    numtorch.set_default_dtype(numtorch.float32)
    assert (numtorch.tensor([1, 2]) / 2).dtype == numtorch.float32
    assert numtorch.result_type(numtorch.tensor([1]), 1.0) == numtorch.float32


def test_set_default_dtype_refuses_integers():
    torch = require_torch()
    with pytest.raises(TypeError) as theirs:
        torch.set_default_dtype(torch.int64)
    with pytest.raises(TypeError) as ours:
        numtorch.set_default_dtype(numtorch.int64)
    assert str(ours.value) == str(theirs.value)
