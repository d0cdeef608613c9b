"""Factories against torch: tensor/as_tensor/asarray/from_numpy, the legacy constructors,
zeros/ones/full/empty (+ _like), eye, arange, linspace, logspace, range.

Most cases are one expression run with ``T`` bound to torch and then to numtorch; the
outcomes (dtype, shape, values, grad state, or the error type and message, and any
UserWarnings) must be identical. ``run`` and ``describe`` are shared with the other
Tensor-API test files.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import numpy as np
import pytest
from conftest import require_torch

import numtorch

_TRIGGERED = re.compile(r" \(Triggered internally at .*\)$", re.S)


def describe(value: Any) -> Any:
    """A comparable summary of a result: tensors by dtype, shape, values and grad state."""
    if type(value).__name__ == "Tensor" or isinstance(value, numtorch.Tensor):
        grad_fn = value.grad_fn.name() if value.grad_fn is not None else None
        return ("tensor", str(value.dtype), tuple(value.shape),
                repr(value.detach().tolist()), value.requires_grad, grad_fn)
    if isinstance(value, (tuple, list)) and not type(value).__name__ == "Size":
        return type(value).__name__, [describe(v) for v in value]
    return "value", repr(value)


def run(module: Any, expr: str, setup: str = "") -> tuple[Any, list]:
    """Evaluate ``expr`` with ``T`` bound to ``module``: its summary (or error) and the
    UserWarnings it raised."""
    env = {"T": module, "np": np, "math": math}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(setup, env)
            out = describe(eval(expr, env))
        except Exception as e:  # noqa: BLE001 - the error is the outcome being compared
            out = ("error", type(e).__name__, str(e))
    return out, [(w.category.__name__, _TRIGGERED.sub("", str(w.message))) for w in caught
                 if issubclass(w.category, UserWarning) and not _once_in_torch(w)]


def _once_in_torch(w: warnings.WarningMessage) -> bool:
    """torch gives this warning once per process, so whether it shows depends on test order;
    numtorch warns every time (test_scalar_conversion_warnings checks that)."""
    return str(w.message).startswith("Converting a tensor with requires_grad=True to a scalar")


def assert_same(expr: str, setup: str = "") -> None:
    torch = require_torch()
    assert run(numtorch, expr, setup) == run(torch, expr, setup)


SETUP = ("a = np.arange(3.); x = T.arange(12.).reshape(3, 4); i = T.tensor([1, 2]); "
         "r = T.tensor([1., 2.], requires_grad=True)")

TENSOR = [
    "T.tensor([[1, 2], [3, 4]])", "T.tensor([1., 2])", "T.tensor([1, 2.5])",
    "T.tensor([True, False])", "T.tensor([True, 1])", "T.tensor([True, 1.5])", "T.tensor(3)",
    "T.tensor(3.)", "T.tensor(True)", "T.tensor(-0.0)", "T.tensor([])", "T.tensor([[]])",
    "T.tensor([[], []])", "T.tensor(())", "T.tensor(range(4))", "T.tensor((1, 2))",
    "T.tensor([(1, 2), (3, 4)])", "T.tensor([[[1], [2]], [[3], [4]]])",
    "T.tensor(T.Size([2, 3]))", "T.tensor(a)", "T.tensor(a[::2])", "T.tensor(np.array(3.0))",
    "T.tensor(np.zeros((2, 0, 3)))", "T.tensor(np.float64(1.5))", "T.tensor(np.float32(1.5))",
    "T.tensor(np.int32(3))", "T.tensor(np.bool_(True))", "T.tensor([np.float64(1.5), 2])",
    "T.tensor([np.int32(1), np.int32(2)])", "T.tensor([np.int32(1), 2])",
    "T.tensor([np.int32(1), 2.5])", "T.tensor([np.float16(1), True])",
    "T.tensor([np.float16(1), 2.5])", "T.tensor([np.uint8(1), np.int8(2)])",
    "T.tensor([True, np.uint8(3)])", "T.tensor(np.array(3, dtype=np.uint8))",
    "T.tensor(np.array([[1, 2]], dtype=np.int16))",
    "T.tensor([T.tensor(1.), T.tensor(2.)])", "T.tensor([T.tensor(1), T.tensor(2)])",
    "T.tensor([T.tensor(1), 2.5])", "T.tensor([T.tensor(1, dtype=T.int8), 2])",
    "T.tensor([T.tensor([1.]), T.tensor([2.])])", "T.tensor([T.tensor(1., requires_grad=True)])",
    "T.tensor([1, 2], dtype=T.float64)", "T.tensor([1.7, -2.7], dtype=T.int64)",
    "T.tensor([1, 2], dtype=float)", "T.tensor([1.5], dtype=int)", "T.tensor([0, 2], dtype=bool)",
    "T.tensor([1, 2.5], dtype=T.bool)", "T.tensor([0.5, float('nan')], dtype=T.bool)",
    "T.tensor([[]], dtype=T.int32)", "T.tensor([], dtype=T.int64)",
    "T.tensor(True, dtype=T.float32)",
    "T.tensor(range(3), dtype=T.float16)", "T.tensor([1.865722666346107], dtype=T.float16)",
    "T.tensor(np.array([1.865722666346107]), dtype=T.float16)",
    "T.tensor([1., 2], requires_grad=True)",
    "T.tensor([1., 2], dtype=T.float16, requires_grad=True)",
    "T.tensor(a, requires_grad=True)", "T.tensor([[1], [2]], device='cpu')",
    "T.tensor(2**62)", "T.tensor(-2**63)", "T.tensor(2**63 - 1, dtype=T.float32)",
    "T.tensor(2**64, dtype=T.float32)", "T.tensor(1e300)", "T.tensor([1e300])", "T.tensor([1e-50])",
    "T.tensor(float('nan'))", "T.tensor([float('inf'), -float('inf')])",
    "T.tensor([1e300], dtype=T.float16)", "T.tensor([-1], dtype=T.uint8)",
    "T.tensor([-200], dtype=T.uint8)", "T.tensor([np.float64(1.5)], dtype=T.int8)",
    "T.tensor(np.array([300]), dtype=T.uint8)", "T.tensor(np.array([1e10]), dtype=T.int32)",
    "T.tensor([2**64], dtype=T.bool)", "T.tensor([2, 3], pin_memory=False)",
    "T.tensor(x, dtype=T.int32)", "T.tensor(r)", "T.tensor(x)", "T.tensor([a, a])",
    # errors
    "T.tensor('a')", "T.tensor(['a'])", "T.tensor([1, 'a'])", "T.tensor([1.5, 'a'])",
    "T.tensor([[1], 'a'])", "T.tensor([[1, 2], [3]])", "T.tensor([[1], [2, 3]])",
    "T.tensor([[[1, 2]], [[3]]])", "T.tensor([[], [1]])", "T.tensor([[1], 2])",
    "T.tensor([1, [2]])", "T.tensor([1.5, [2]])", "T.tensor([True, [2]])",
    "T.tensor([1, (2,)], dtype=T.int64)", "T.tensor([1, [2]], dtype=T.bool)",
    "T.tensor([1, [2]], dtype=T.float32)", "T.tensor([[1, 2], 3], dtype=T.int64)",
    "T.tensor([T.tensor(1.), [2.]])", "T.tensor([[1.], T.tensor(2.)])", "T.tensor(None)",
    "T.tensor([None])", "T.tensor([1.5, None])", "T.tensor([[1.5], [None]])",
    "T.tensor([1.5, None], dtype=T.float32)", "T.tensor([1, 'a'], dtype=T.float32)",
    "T.tensor(object())", "T.tensor({1: 2})", "T.tensor({1, 2})", "T.tensor([{1: 2}])",
    "T.tensor([np.array(1.), np.array(2.)])", "T.tensor([1, 2], requires_grad=True)",
    "T.tensor(2**63)", "T.tensor([2**63])", "T.tensor(2**64)", "T.tensor([2**63], dtype=T.uint8)",
    "T.tensor(2**1100, dtype=T.float64)", "T.tensor([300], dtype=T.uint8)",
    "T.tensor([-256], dtype=T.uint8)", "T.tensor([-129], dtype=T.int8)",
    "T.tensor([128], dtype=T.int8)", "T.tensor(1e10, dtype=T.int32)",
    "T.tensor([2.0**31], dtype=T.int32)", "T.tensor([127.5], dtype=T.int8)",
    "T.tensor([-0.5], dtype=T.uint8)", "T.tensor([255.9], dtype=T.uint8)",
    "T.tensor([float('nan')], dtype=T.int32)", "T.tensor([float('inf')], dtype=T.int64)",
    "T.tensor([T.tensor(300)], dtype=T.uint8)", "T.tensor([np.int64(300)], dtype=T.uint8)",
    "T.tensor(np.int64(300), dtype=T.uint8)", "T.tensor(a[::-1])",
    "T.tensor(np.array([1, 2], dtype='>i4'))", "T.tensor([1], dtype=np.float32)",
    "T.tensor([1], dtype='float32')", "T.tensor([1.], device='cuda')",
    "T.tensor([1.], device=T.device('cuda', 0))", "T.tensor([1.], device=0)",
]

SHARING = [
    "T.as_tensor(a)", "T.as_tensor(a, dtype=T.float32)", "T.as_tensor(a, dtype=float)",
    "T.as_tensor(a[::2])", "T.as_tensor(x) is x", "T.as_tensor(x, dtype=T.float32) is x",
    "T.as_tensor(x, device='cpu') is x", "T.as_tensor(x, dtype=T.float64)",
    "T.as_tensor(r) is r", "T.as_tensor(r, dtype=T.float64)", "T.as_tensor([1, 2])",
    "T.as_tensor([1, 2], dtype=T.float64)", "T.as_tensor(3.5)", "T.as_tensor(np.float64(3.5))",
    "T.as_tensor([r[0], r[1]])", "T.as_tensor('a')", "T.as_tensor(None)",
    "T.as_tensor(a[::-1])", "T.as_tensor(np.array([1, 2], dtype='>i4'))",
    "T.asarray(x) is x", "T.asarray(x, copy=True) is x", "T.asarray(x, copy=True)",
    "T.asarray(x, dtype=T.float64)", "T.asarray(x, dtype=float)",
    "T.asarray(x, dtype=T.float64, copy=False)", "T.asarray(a, dtype=T.float32, copy=False)",
    "T.asarray(a, dtype=T.float32, copy=True)", "T.asarray(i, dtype=T.float32)",
    "T.asarray(i, requires_grad=True)", "T.asarray(x, requires_grad=True) is x",
    "T.asarray(r) is r", "T.asarray(r, requires_grad=True) is r",
    "T.asarray(r, copy=True)", "T.asarray(r, copy=True, requires_grad=False)",
    "T.asarray([1, 2], copy=False)", "T.asarray(3, copy=False)",
    "T.asarray(np.float32(2), copy=False)", "T.asarray([1., 2])",
    "T.asarray([1, 2], dtype=T.float64)", "T.asarray([1, 2], requires_grad=True)",
    "T.asarray([1., 2], requires_grad=True)", "T.asarray(3.5)", "T.asarray(np.float64(3.5))",
    "T.asarray(a[::-1])", "T.from_numpy(a)", "T.from_numpy(np.zeros((2, 0)))",
    "T.from_numpy(a[::2])", "T.from_numpy(np.arange(6.).reshape(2, 3).T)",
    "T.from_numpy(np.array([True]))", "T.from_numpy(np.array([1], dtype=np.int8))",
    "T.from_numpy(a[::-1])", "T.from_numpy(np.array([1, 2], dtype='>i4'))",
    "T.from_numpy([1, 2])", "T.from_numpy(np.float64(1.))",

    "T.from_numpy(np.arange(6.).reshape(2, 3).T).stride()",
    "T.tensor(np.asfortranarray(np.ones((2, 3)))).stride()",
    "T.as_tensor(np.asfortranarray(np.ones((2, 3)))).stride()",
]

LEGACY = [
    "T.Tensor([1, 2])", "T.Tensor(2, 3).shape", "T.Tensor()", "T.Tensor([[1, 2], [3, 4]])",
    "T.Tensor(T.tensor([1., 2.]))", "T.Tensor(T.tensor([1, 2]))", "T.Tensor(T.tensor(3))",
    "T.Tensor(np.array([1, 2]))", "T.Tensor(T.Size([2, 3])).shape", "T.Tensor((2, 3))",
    "T.Tensor([True, False])", "T.Tensor(np.int64(3)).shape", "T.Tensor(2, device='cpu').shape",
    "T.Tensor([1]).requires_grad", "T.Tensor(2.5)", "T.Tensor(np.float64(3))", "T.Tensor('a')",
    "T.Tensor(-1)", "T.Tensor(2, 3.5)", "T.Tensor(3, dtype=T.float32)",
    "T.Tensor([1, 2], dtype=T.float64)", "T.FloatTensor([1, 2])", "T.FloatTensor(2, 3).shape",
    "T.FloatTensor().shape", "T.FloatTensor(np.array([1, 2]))", "T.FloatTensor([1], device='cpu')",
    "T.LongTensor([1, 2])", "T.LongTensor([1.7])", "T.DoubleTensor([1])", "T.BoolTensor([1, 0])",
    "T.ByteTensor([1])", "T.IntTensor([1.7])", "T.HalfTensor([1.5])", "T.ShortTensor([1])",
    "T.CharTensor([-1])", "T.FloatTensor(2.5)", "T.LongTensor([2**63])", "T.ByteTensor([300])",
    "T.DoubleTensor(x)", "T.LongTensor(x)", "T.HalfTensor(x)", "T.BoolTensor(x)",
    "T.FloatTensor(T.tensor([1, 2]))", "T.FloatTensor(x).shape", "T.FloatTensor.dtype",
    "T.LongTensor.dtype", "T.FloatTensor", "T.ByteTensor", "isinstance(x, T.FloatTensor)",
    "isinstance(x, T.DoubleTensor)", "isinstance(x.double(), T.DoubleTensor)",
    "isinstance(T.tensor(1), T.LongTensor)", "isinstance(T.FloatTensor([1]), T.Tensor)",
    "issubclass(T.FloatTensor, T.Tensor)", "x.new(2, 3).shape", "x.new([1, 2])", "i.new([1, 2])",
    "i.new([1.5, 2])", "x.new()", "i.new(T.tensor([1.5]))",
]

FILLED = [
    "T.zeros(2, 3)", "T.zeros((2, 3))", "T.zeros([2, 3])", "T.zeros(T.Size([2, 3]))", "T.zeros(())",
    "T.zeros([])", "T.zeros(0)", "T.zeros(2, 0)", "T.zeros(T.tensor(3))", "T.zeros(np.int64(3))",
    "T.zeros((T.tensor(2), 3))", "T.zeros(T.tensor([2]))", "T.zeros(2, T.tensor(2))",
    "T.zeros(2, np.int32(2))", "T.zeros(2, True)", "T.zeros((2, True))", "T.zeros(size=(2, 3))",
    "T.zeros(2, dtype=T.int32)", "T.zeros(2, dtype=float)", "T.zeros(2, dtype=int)",
    "T.zeros(2, dtype=bool)", "T.zeros(2, requires_grad=True)", "T.ones(2, 2, dtype=T.bool)",
    "T.ones(3, dtype=T.uint8)", "T.ones(size=(2,), dtype=T.int16)", "T.ones(1, dtype=T.float16)",
    "T.zeros()", "T.zeros(-1)", "T.zeros(2, -1)", "T.zeros((-1, -2))", "T.ones(-1)",
    "T.ones(2, -1)", "T.empty(-1)", "T.zeros(2.5)", "T.zeros((2, 2.5))", "T.zeros(2, 2.5)",
    "T.zeros('a')", "T.zeros(None)", "T.zeros((2, None))", "T.zeros(True)", "T.zeros((True, 2))",
    "T.zeros(T.tensor(2.))", "T.zeros((T.tensor(2.),))", "T.zeros((2, T.tensor(2.)))",
    "T.zeros(2, np.float64(2))", "T.zeros(np.array([2, 3]))", "T.zeros(size=2)",
    "T.zeros((2,), (3,))", "T.zeros([2], 3)", "T.zeros(2, dtype=T.int64, requires_grad=True)",
    "T.zeros(2, dtype=np.float64)", "T.zeros(2, dtype='float32')", "T.zeros(2, device='cuda')",
    "T.zeros(2, device='xpu')", "T.zeros(2, device='cpu:0').device", "T.zeros(1, device=0)",
    "T.empty(2, 3).shape", "T.empty(2, dtype=T.int8).dtype",
    "T.empty((2,), requires_grad=True).requires_grad",
    "T.full((2,), 1.5)", "T.full((2,), 2)", "T.full((2,), True)",
    "T.full((2,), 2, dtype=T.float16)",
    "T.full((2,), 1.5, dtype=T.int64)", "T.full([2, 2], 3)", "T.full((), 3)",
    "T.full((2,), T.tensor(2.5))", "T.full((2,), T.tensor(3))",
    "T.full((2,), T.tensor(2.5, dtype=T.float64))", "T.full((2,), np.float64(1.5))",
    "T.full((2,), np.int32(1))", "T.full((2,), np.bool_(True))", "T.full((2,), np.float16(2.5))",
    "T.full((2,), float('inf'))", "T.full((2,), 1.5, requires_grad=True)",
    "T.full(size=(2,), fill_value=1.)", "T.full((2, True), 1)", "T.full((1,), -129, dtype=T.int16)",
    "T.full((1,), -129, dtype=T.uint8)", "T.full((1,), -200, dtype=T.uint8)",
    "T.full((1,), 1e40, dtype=T.float16)", "T.full((1,), float('nan'), dtype=T.float16)",
    "T.full((1,), 1e40, dtype=T.bool)", "T.full((1,), 0.1, dtype=T.float16)",
    "T.full(2, 3)", "T.full(-1, 1.)", "T.full((-1,), 1.)", "T.full(np.int64(2), 1.)",
    "T.full((2.5,), 1.)", "T.full((2, T.tensor(2.)), 1)", "T.full((2,), T.tensor([3]))",
    "T.full((2,), None)", "T.full((2,), T.tensor(2.5, requires_grad=True))",
    "T.full((1,), 2**63)", "T.full((1,), 2**70)", "T.full((1,), 2**40, dtype=T.int32)",
    "T.full((1,), 300, dtype=T.uint8)", "T.full((1,), -129, dtype=T.int8)",
    "T.full((1,), 1e40, dtype=T.int16)", "T.full((1,), 1e40, dtype=T.float32)",
    "T.full((1,), float('nan'), dtype=T.int64)", "T.full((1,), 2**70, dtype=T.float16)",
    "T.zeros_like(x)", "T.zeros_like(x, dtype=T.int64)", "T.zeros_like(i)",
    "T.zeros_like(i, dtype=T.float32)", "T.ones_like(i)", "T.ones_like(x, dtype=float)",
    "T.ones_like(x, requires_grad=True)", "T.empty_like(i).dtype", "T.empty_like(x).shape",
    "T.full_like(i, 2.7)", "T.full_like(x, 7)", "T.full_like(i, True)",
    "T.full_like(x, 2, dtype=T.float64)", "T.zeros_like(r)", "T.zeros_like(input=x)",
    "T.zeros_like(i, device='cpu')", "T.zeros_like([1, 2])", "T.full_like(x, 300, dtype=T.uint8)",
    "T.full_like(x, T.tensor([1.]))", "T.full_like(x, 1e40)",
    "T.full_like(x.int(), 1e40)", "T.ones_like(i, requires_grad=True)",
    "T.eye(2)", "T.eye(2, 3)", "T.eye(3, 2)", "T.eye(0)", "T.eye(2, dtype=T.int64)",
    "T.eye(2, dtype=T.bool)", "T.eye(2, m=3)", "T.eye(n=2)", "T.eye(2, requires_grad=True)",
    "T.eye(T.tensor(2))", "T.eye(-1)", "T.eye(2, -1)", "T.eye(2.5)", "T.eye(2, 1.5)",
    "T.scalar_tensor(3)", "T.scalar_tensor(1.5, dtype=T.float64)", "T.scalar_tensor(True)",
    "x.new_zeros(2)", "x.new_zeros((2, 3))", "x.new_zeros([2, 3])", "x.new_zeros(2, 3)",
    "x.new_zeros(2, dtype=T.int64)", "x.new_zeros(T.Size([2]))",
    "x.new_zeros(2, requires_grad=True)",
    "i.new_zeros(2)", "x.new_ones(2)", "i.new_ones(2, 3)", "x.new_full((2,), 3)",
    "i.new_full((2,), 3.5)", "x.new_full([2], fill_value=True)", "x.new_full(2, 3)",
    "x.new_full((2,), T.tensor(3.))", "x.new_full((2,), 2**70)", "x.new_full((2,), 1e40)",
    "T.tensor([1], dtype=T.uint8).new_full((2,), 300)", "x.new_full(size=(2,), fill_value=1)",
    "x.new_empty(2).shape", "x.new_empty((2, 3), dtype=T.int8).dtype", "x.new_zeros(-1)",
    "x.new_ones(2, 2.5)", "x.new_zeros(2, device='cuda')", "x.new_zeros(size=(2,))",
    "x.new_ones(size=(2,), dtype=T.int16)", "r.new_zeros(2)", "x.new_tensor([1, 2])",
    "x.new_tensor([1.5])", "i.new_tensor([1.5])", "i.new_tensor([1.5], dtype=T.float64)",
    "x.new_tensor(3)", "x.new_tensor(x)", "x.new_tensor([1.5], requires_grad=True)",
    "x.new_tensor([1, 2], dtype=T.int64)", "T.tensor([1], dtype=T.int8).new_tensor([300])",
    "r.new_tensor([2.])",
]

RANGES = [
    "T.arange(5)", "T.arange(5.)", "T.arange(1, 4)", "T.arange(1, 4.)", "T.arange(0, 1, 0.1)",
    "T.arange(1, 0, -0.1)", "T.arange(10, 0, -3)", "T.arange(0, 10, 3)", "T.arange(0, -10, -3)",
    "T.arange(0)", "T.arange(0, 1, 0.1, dtype=T.float64)", "T.arange(5, dtype=T.float32)",
    "T.arange(0.5, 5, dtype=T.int64)", "T.arange(-0.5, 5.5, 1.5, dtype=T.int32)",
    "T.arange(3.5, 10.2, 2, dtype=T.int64)", "T.arange(5, dtype=T.uint8)",
    "T.arange(T.tensor(5))", "T.arange(T.tensor(5.))",
    "T.arange(T.tensor(1), T.tensor(4), T.tensor(1))",
    "T.arange(np.int64(3))", "T.arange(np.float32(3))", "T.arange(3., requires_grad=True)",
    "T.arange(start=1, end=3)", "T.arange(end=3)", "T.arange(True)", "T.arange(0, 5, step=2)",
    "T.arange(0, 3, dtype=T.float16)", "T.arange(0.3, 50.1, 0.7, dtype=T.float64)",
    "T.arange(1e20, 1e20 + 1)", "T.arange(0, 2**40, 2**38)", "T.arange(-2.5, 2.5, 0.3)",
    "T.arange(0, 10, -1)", "T.arange(-3)", "T.arange(0, 10, 0)", "T.arange(5, dtype=T.bool)",
    "T.arange(3, requires_grad=True)", "T.arange(0, float('inf'))", "T.arange(0, float('nan'))",
    "T.arange(0., 2., 0.5, dtype=T.int64)",
    "T.arange(T.tensor([3]))", "T.arange(5, out=T.empty(0))",
    "T.arange(5, out=T.empty(5, dtype=T.int64))",
    "T.arange(3, out=T.empty(0, dtype=T.int32))",
    "T.arange(0, 1, 0.5, out=T.empty(0, dtype=T.int32))",
    "T.linspace(0, 1, 5)", "T.linspace(0, 1, 1)", "T.linspace(0, 1, 0)",
    "T.linspace(0, 10, 5, dtype=T.int64)",
    "T.linspace(0, 10, 4, dtype=T.int64)", "T.linspace(-5, 10, 7, dtype=T.int32)",
    "T.linspace(0, 1, 4, dtype=T.uint8)", "T.linspace(-185.326, -760, 18, dtype=T.int64)",
    "T.linspace(T.tensor(0.), T.tensor(1.), 3)", "T.linspace(T.tensor(0), T.tensor(3), 4)",
    "T.linspace(0, 1, steps=3)", "T.linspace(0, 1, T.tensor(3))", "T.linspace(1, 0, 5)",
    "T.linspace(0, 1, 5, dtype=T.float64)", "T.linspace(0, 1, 3, requires_grad=True)",
    "T.linspace(3, 3, 3)", "T.linspace(-0.004134, 8.605, 76, dtype=T.float16)",
    "T.linspace(1.5777, 1.7303, 244)", "T.linspace(0, 1, -1)", "T.linspace(T.tensor([0.]), 1, 3)",
    "T.linspace(0, 1, 3.5)", "T.linspace(0, 1, 5, dtype=T.bool)",
    "T.linspace(0, 1, 3, out=T.empty(0, dtype=T.float64))",
    "T.logspace(0, 2, 3)", "T.logspace(0, 2, 3, base=2)", "T.logspace(0, 2, 3, 2)",
    "T.logspace(0, 2, 3, dtype=T.int64)", "T.logspace(0, 2, 3, dtype=T.float64)",
    "T.logspace(-2, 2, 5)", "T.logspace(T.tensor(0.), T.tensor(2.), 3)", "T.logspace(0, 1, 11)",
    "T.logspace(0, 3, 4, base=10, dtype=T.int32)", "T.logspace(4.926, 3, 1, dtype=T.int64)",
    "T.logspace(-1.56, 1, 1)", "T.logspace(0.3, 0.3, 2)", "T.logspace(-3, 3, 7, dtype=T.float16)",
    "T.logspace(0, 1, 3.5)", "T.logspace(0, 1, 3, dtype=T.bool)",
    "T.range(0, 4)", "T.range(0, 1, 0.25)", "T.range(0, 4, dtype=T.int64)", "T.range(3, 1, -1)",
]


@pytest.mark.parametrize("expr", TENSOR)
def test_tensor_matches_torch(expr: str) -> None:
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", SHARING)
def test_as_tensor_asarray_from_numpy_match_torch(expr: str) -> None:
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", LEGACY)
def test_legacy_constructors_match_torch(expr: str) -> None:
    # torch.Tensor(2) is uninitialised: compare only what is defined
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", FILLED)
def test_filled_factories_match_torch(expr: str) -> None:
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", RANGES)
def test_ranges_match_torch(expr: str) -> None:
    assert_same(expr, SETUP)


# -- memory sharing -------------------------------------------------------------------------
def test_from_numpy_and_as_tensor_share_memory() -> None:
    a = np.arange(4.0)
    for t in (numtorch.from_numpy(a), numtorch.as_tensor(a), numtorch.asarray(a)):
        t.numpy()[0] = 7.0
        assert a[0] == 7.0
        a[1] = -1.0
        assert t.tolist()[1] == -1.0
        a[:] = np.arange(4.0)


def test_tensor_always_copies() -> None:
    a = np.arange(3.0)
    t = numtorch.tensor(a)
    a[0] = 5.0
    assert t.tolist() == [0.0, 1.0, 2.0]
    x = numtorch.tensor([1.0, 2.0])
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        y = numtorch.tensor(x)
    assert not np.shares_memory(y.numpy(), x.numpy())


def test_asarray_copy_and_dtype_conversion() -> None:
    a = np.arange(3.0)
    assert not np.shares_memory(numtorch.asarray(a, copy=True).numpy(), a)
    assert not np.shares_memory(numtorch.as_tensor(a, dtype=numtorch.float32).numpy(), a)
    x = numtorch.arange(3.0)
    assert numtorch.asarray(x, copy=True) is not x


def test_legacy_alias_shares_memory() -> None:
    x = numtorch.tensor([1.0, 2.0])
    y = numtorch.Tensor(x)
    assert y is not x and np.shares_memory(y.numpy(), x.numpy())


def test_out_writes_into_the_given_tensor() -> None:
    out = numtorch.empty(0, dtype=numtorch.int64)
    assert numtorch.zeros(2, 3, out=out) is out
    assert out.shape == (2, 3) and out.dtype is numtorch.int64
    same = numtorch.empty(2, 3, dtype=numtorch.int64)
    ptr = same.data_ptr()
    numtorch.ones(2, 3, out=same)
    assert same.data_ptr() == ptr and same.tolist() == [[1] * 3] * 2
    assert numtorch.arange(3, out=out) is out and out.tolist() == [0, 1, 2]


@pytest.mark.parametrize("expr", [
    "T.zeros(2, dtype=T.float64, out=T.empty(2))",
    "T.ones(2, out=T.empty(2, requires_grad=True))",
    "T.full((2,), 1.5, out=T.empty(2, dtype=T.int64))",
    "T.eye(2, out=T.empty(0, dtype=T.int64))",
    "T.zeros(2, out=T.empty(2), requires_grad=True)",
    "T.arange(2., out=T.empty(2, requires_grad=True))",
    "T.linspace(0, 1, 2, out=T.empty(2, requires_grad=True))",
])
def test_out_errors_and_dtypes_match_torch(expr: str) -> None:
    assert_same(expr)


# -- the default dtype ---------------------------------------------------------------------
@pytest.mark.parametrize("default", ["float64", "float16"])
@pytest.mark.parametrize("expr", [
    "T.tensor([1.5])", "T.tensor(1.5)", "T.tensor([1, 2.5])", "T.zeros(2)", "T.ones(2)",
    "T.empty(2).dtype", "T.full((2,), 1.5)", "T.full((2,), 2)", "T.arange(0., 1., 0.25)",
    "T.arange(3)", "T.linspace(0, 1, 3)", "T.logspace(0, 1, 3)", "T.eye(2)", "T.Tensor([1])",
    "T.FloatTensor([1.5])", "T.scalar_tensor(2)", "T.as_tensor([1.5])", "T.tensor([np.float32(1)])",
    "T.randn(2).dtype", "T.rand(2).dtype", "T.tensor([1.], dtype=float)", "T.zeros(2, dtype=float)",
])
def test_factories_follow_the_default_dtype(expr: str, default: str) -> None:
    setup = f"T.set_default_dtype(T.{default})"
    try:
        assert_same(expr, setup)
    finally:
        numtorch.set_default_dtype(numtorch.float32)
        require_torch().set_default_dtype(require_torch().float32)


# -- ranges to the last bit, over many random arguments ---------------------------------------
RANGE_DTYPES = ["float32", "float64", "float16", "int64", "int32", "uint8"]


def _range_args(seed: int, dtype: str) -> tuple:
    rng = np.random.default_rng(seed)
    start = float(rng.normal() * 10 ** rng.uniform(-2, 2))
    step = float(rng.uniform(0.01, 3) * 10 ** rng.uniform(-2, 1)) * float(rng.choice([-1, 1]))
    n = int(rng.integers(1, 200))
    if dtype in ("int64", "int32", "uint8"):
        start = float(int(start)) + (float(rng.random()) if rng.random() < 0.5 else 0.0)
        step = float(rng.integers(1, 5)) * math.copysign(1, step)
        if dtype == "uint8":
            start, step = abs(start), abs(step)
    end = start + step * (n - float(rng.random()))
    lin = [float(rng.normal() * 10 ** rng.uniform(-3, 3)) for _ in range(2)]
    if dtype == "uint8":
        lin = [abs(v) % 200 for v in lin]
    log = [abs(float(rng.normal() * 3)) if dtype in ("int64", "int32", "uint8") else
           float(rng.normal() * 3) for _ in range(2)]
    base = float(rng.choice([10.0, 2.0, 3.7, math.e]))
    return (start, end, step), (*lin, int(rng.integers(0, 300))), (*log, int(
        rng.integers(0, 300)), base)


@pytest.mark.parametrize("dtype", RANGE_DTYPES)
def test_ranges_bit_identical_to_torch(dtype: str) -> None:
    """arange/linspace/logspace agree with torch exactly (see NOTE [ Matching torch's range
    arithmetic ]) for random arguments across every dtype."""
    torch = require_torch()
    td, nd = getattr(torch, dtype), getattr(numtorch, dtype)
    for seed in range(120):
        arange_args, lin_args, log_args = _range_args(seed, dtype)
        for fn, args in (("arange", arange_args), ("linspace", lin_args),
                         ("logspace", log_args)):
            with np.errstate(all="ignore"):
                expected = getattr(torch, fn)(*args, dtype=td).numpy()
            got = getattr(numtorch, fn)(*args, dtype=nd).numpy()
            assert got.dtype == expected.dtype and got.shape == expected.shape, (fn, args)
            np.testing.assert_array_equal(got, expected, err_msg=f"{fn}{args}")


def test_range_warns_deprecation() -> None:
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        assert numtorch.range(1, 3).tolist() == [1.0, 2.0, 3.0]


def test_scalar_conversion_warnings() -> None:
    r = numtorch.tensor([1.5], requires_grad=True)
    for convert in (float, complex, lambda t: numtorch.tensor([t[0]])):
        with pytest.warns(UserWarning, match="Converting a tensor with requires_grad=True"):
            convert(r)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        int(r), r.item(), r.tolist(), numtorch.as_tensor([r[0]])  # these stay silent
