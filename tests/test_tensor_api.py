"""The Tensor's non-autograd API against torch: metadata, conversions to Python and NumPy,
the Python protocols (len, iter, bool, float, int, index, format, hash), ``to``/``type`` and
the dtype shortcuts, copying and pickling."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from test_creation import assert_same

import numtorch

SETUP = ("x = T.arange(12.).reshape(3, 4); s = T.tensor(2.5); i = T.tensor([3, 4]); "
         "n = T.tensor(3); r = T.tensor([1., 2.], requires_grad=True); "
         "e = T.zeros(0); b = T.tensor([True])")

METADATA = [
    "x.shape", "x.size()", "x.size(1)", "x.size(-1)", "x.size(dim=0)", "x.size(2)", "x.size(-3)",
    "s.size()", "s.shape", "x.dim()", "x.ndim", "s.dim()", "x.ndimension()", "x.numel()",
    "x.nelement()", "s.numel()", "e.numel()", "x.dtype", "i.dtype", "x.device", "x.is_leaf",
    "(r * 2).is_leaf", "r.is_leaf", "x.element_size()", "T.zeros(2, dtype=T.bool).element_size()",
    "T.zeros(2, dtype=T.float64).element_size()", "x.itemsize", "x.nbytes", "x.is_cuda",
    "x.get_device()", "x.is_floating_point()", "i.is_floating_point()", "x.is_signed()",
    "b.is_signed()", "T.tensor(1, dtype=T.uint8).is_signed()", "x.is_complex()",
    "x.stride()", "x.stride(0)", "x.stride(-1)", "x.t().stride()", "s.stride()",
    "x[1:].stride()" , "x[:, ::2].stride()", "x.is_contiguous()", "x.t().is_contiguous()",
    "x.t().contiguous().is_contiguous()", "x.contiguous() is x", "x.t().contiguous().stride()",
    "x.storage_offset()", "x[1].storage_offset()", "x[1:, 2:].storage_offset()",
    "x.data_ptr() == x.data_ptr()", "x.data_ptr() == x.view(12).data_ptr()",
    "x.data_ptr() == x.clone().data_ptr()", "x[1].data_ptr() - x.data_ptr()",
    "hash(x) == hash(x)", "hash(x) == id(x)", "x.is_sparse", "x.is_quantized", "x.is_meta",
]

PYTHON = [
    "s.item()", "n.item()", "x.item()", "b.item()", "T.tensor([[7]]).item()", "e.item()",
    "r.sum().item()", "type(n.item()).__name__", "type(T.tensor(1, dtype=T.int8).item()).__name__",
    "type(T.tensor(1., dtype=T.float16).item()).__name__", "x.tolist()", "s.tolist()",
    "T.tensor(True).tolist()", "T.tensor([1, 2], dtype=T.uint8).tolist()", "e.tolist()",
    "T.zeros(2, 0).tolist()", "r.tolist()", "type(x.numpy()).__name__", "x.numpy().dtype",
    "r.numpy()", "r.detach().numpy().tolist()", "np.asarray(x).dtype", "np.asarray(r)",
    "np.asarray(s)", "np.asarray(x, dtype=np.float64).dtype", "np.array(x).tolist()",
    "len(x)", "len(s)", "len(e)", "len(T.zeros(2, 3, 4))", "list(T.tensor([1, 2]))",
    "list(s)", "list(x)", "[t.shape for t in T.zeros(2, 3)]", "bool(s)", "bool(x)", "bool(e)",
    "bool(T.tensor([0.]))", "bool(T.tensor([[True]]))", "bool(T.tensor(float('nan')))",
    "float(s)", "float(x)", "float(n)", "float(e)", "float(T.tensor([[1.5]]))", "int(s)",
    "int(T.tensor(-2.7))", "int(x)", "int(b)", "complex(s)", "list(range(n))", "range(s)",
    "range(T.tensor([3]))", "range(T.tensor(True))", "[1, 2, 3, 4][n]", "x.__index__()",
    "n.__index__()", "range(i)", "float(r.sum())", "int(r[0])",
    "f'{s:f}'", "f'{s:.3f}'", "f'{n:d}'", "f'{n:5}'", "f'{s}'", "f'{x}'", "f'{x:.3f}'", "f'{x:}'",
    "format(e, '')", "format(e, '.2f')", "format(T.tensor([1.5]), '.2f')", "format(r, '')",
    "format(T.tensor(1.5, requires_grad=True), '.2f')", "f'{r.sum():.4f}'", "f'{b}'",
    "'%s' % s", "'%.2f' % s", "str(s)", "repr(x)",
]

CONVERSION = [
    "x.to(T.float32) is x", "x.to(T.float64)", "x.to('cpu') is x", "x.to(T.device('cpu')) is x",
    "x.to('cpu', T.float16)", "x.to(dtype=T.int32)", "x.to(device='cpu', dtype=T.int8)",
    "x.to(i)", "x.to(x) is x", "x.to(T.float32, copy=True) is x", "x.to(copy=True) is x",
    "x.to(copy=True)", "x.to(T.float32, True) is x", "x.to(T.float32, False, True) is x",
    "x.to('cpu', T.float32, copy=True) is x", "x.to(None) is x", "x.to(non_blocking=True) is x",
    "x.to(dtype=None) is x", "x.to(float)", "x.to(int)", "x.to(bool)", "x.to(dtype=float)",
    "x.to('cpu', float)", "r.to(T.float64)", "r.to(T.float32) is r", "r.to(T.float32, copy=True)",
    "r.double()", "x.to(foo=1)", "x.to(1)", "x.to('cuda')", "x.to(np.float64)",
    "x.to(dtype=np.float32)", "x.to(T.float32, False, True, 1)",
    "x.type()", "i.type()", "b.type()", "T.zeros(1, dtype=T.float16).type()",
    "T.zeros(1, dtype=T.uint8).type()", "T.zeros(1, dtype=T.int8).type()",
    "T.zeros(1, dtype=T.int16).type()", "T.zeros(1, dtype=T.int32).type()",
    "T.zeros(1, dtype=T.float64).type()", "x.type(T.float64)", "x.type('torch.DoubleTensor')",
    "x.type('torch.IntTensor')", "x.type('foo')", "x.type(T.float32) is x",
    "x.type(dtype=T.int64)", "x.type(T.DoubleTensor)", "x.type(T.FloatTensor) is x",
    "x.type(float)", "x.type(np.float32)", "r.type(T.float64)",
    "x.type_as(i)", "x.type_as(x) is x", "x.float() is x", "x.double()", "x.half()", "x.long()",
    "x.int()", "x.short()", "x.char()", "x.byte()", "x.bool()", "r.half()", "r.float() is r",
    "T.tensor([-1.7, 2.9]).long()", "T.tensor([-1, 300]).byte()", "T.tensor([0.5, 0.]).bool()",
    "x.cpu() is x", "x.clone()", "x.clone() is x", "r.clone()",
    "x.cuda()", "x.contiguous() is x", "r.detach().requires_grad",
]


@pytest.mark.parametrize("expr", METADATA)
def test_metadata_matches_torch(expr: str) -> None:
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", PYTHON)
def test_python_protocols_match_torch(expr: str) -> None:
    assert_same(expr, SETUP)


@pytest.mark.parametrize("expr", CONVERSION)
def test_conversions_match_torch(expr: str) -> None:
    assert_same(expr, SETUP)


def test_numpy_shares_memory() -> None:
    x = numtorch.arange(4.0)
    a = x.numpy()
    a[0] = 9.0
    assert x.tolist()[0] == 9.0
    assert np.shares_memory(np.asarray(x), a)
    assert not np.shares_memory(np.array(x, copy=True), a)


def test_clone_and_contiguous_copy() -> None:
    x = numtorch.arange(6.0).reshape(2, 3)
    y = x.clone()
    y.numpy()[0, 0] = 5.0
    assert x.tolist()[0][0] == 0.0
    t = x.t()
    c = t.contiguous()
    assert c is not t and c.is_contiguous() and c.tolist() == t.tolist()


def test_to_changes_nothing_returns_self() -> None:
    x = numtorch.ones(2)
    assert x.to(numtorch.float32) is x
    assert x.to("cpu", numtorch.float32) is x
    y = x.to(numtorch.float64)
    assert y.dtype is numtorch.float64 and y is not x


def test_deepcopy_keeps_requires_grad_grad_and_sharing() -> None:
    x = numtorch.ones(2, requires_grad=True)
    x.grad = numtorch.full((2,), 3.0)
    y = copy.deepcopy(x)
    assert y is not x and y.requires_grad and y.is_leaf
    assert y.grad.tolist() == [3.0, 3.0] and y.grad is not x.grad
    assert not np.shares_memory(y.numpy(force=True), x.numpy(force=True))
    pair = copy.deepcopy([x, x])
    assert pair[0] is pair[1]
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(x * 2)


def test_deepcopy_keeps_subclass() -> None:
    class MyTensor(numtorch.Tensor):
        pass

    t = MyTensor([1.0, 2.0])
    assert type(t) is MyTensor
    assert type(copy.deepcopy(t)) is MyTensor


@pytest.mark.parametrize("make", [
    lambda: numtorch.arange(6.0).reshape(2, 3),
    lambda: numtorch.tensor([1, 2], dtype=numtorch.uint8),
    lambda: numtorch.ones(2, requires_grad=True),
    lambda: numtorch.ones(2, requires_grad=True) * 2,
    lambda: numtorch.arange(6.0).reshape(2, 3)[1],
    lambda: numtorch.tensor(True),
])
def test_pickle_round_trip(make: object) -> None:
    t = make()
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype is t.dtype and u.shape == t.shape and u.tolist() == t.tolist()
    assert u.requires_grad == t.requires_grad and u.is_leaf


def test_pickle_matches_torch() -> None:
    assert_same("pickle.loads(pickle.dumps(r * 2))", "import pickle; " + SETUP)
    assert_same("pickle.loads(pickle.dumps(x[1]))", "import pickle; " + SETUP)
    assert_same("copy.copy(r)", "import copy; " + SETUP)


def test_iteration_gives_views_of_rows() -> None:
    x = numtorch.arange(6.0).reshape(2, 3)
    rows = list(x)
    assert [r.tolist() for r in rows] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert all(np.shares_memory(r.numpy(), x.numpy()) for r in rows)
