"""Targeted linalg tests: grad_fn names, error messages, out=, views, in-place, vs torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def _pair(torch, shape, dtype="float32", grad=False, seed=0):
    """The same values as a numtorch and a torch tensor."""
    arr = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    ours, theirs = numtorch.from_numpy(arr.copy()), torch.from_numpy(arr.copy())
    if grad:
        ours.requires_grad_(True)
        theirs.requires_grad_(True)
    return ours, theirs


def _both(torch, fn, *specs):
    """Run ``fn(lib, *tensors)`` on both libraries; specs are (shape, dtype, requires_grad)."""
    pairs = [_pair(torch, shape, dtype, grad, seed=i) for i, (shape, dtype, grad) in
             enumerate(specs)]
    return fn(numtorch, *[p[0] for p in pairs]), fn(torch, *[p[1] for p in pairs])


def _outcome(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - the exception itself is compared
            return e


F, D, L, B = "float32", "float64", "int64", "bool"


# -- grad_fn names --------------------------------------------------------------------------------
def _matmul(lib, a, b):
    return lib.matmul(a, b)


NAME_CASES = [
    ("1d@1d", _matmul, ((3,), F, True), ((3,), F, True)),
    ("2d@2d", _matmul, ((2, 3), F, True), ((3, 4), F, True)),
    ("2d@2d b only", _matmul, ((2, 3), F, False), ((3, 4), F, True)),
    ("1d@2d", _matmul, ((3,), F, True), ((3, 4), F, True)),
    ("2d@1d", _matmul, ((2, 3), F, True), ((3,), F, True)),
    ("3d@3d", _matmul, ((5, 2, 3), F, True), ((5, 3, 4), F, True)),
    ("3d@2d", _matmul, ((5, 2, 3), F, True), ((3, 4), F, True)),
    ("2d@3d", _matmul, ((2, 3), F, True), ((5, 3, 4), F, True)),
    ("2d@3d b only", _matmul, ((2, 3), F, False), ((5, 3, 4), F, True)),
    ("batch1@3d", _matmul, ((1, 2, 3), F, True), ((5, 3, 4), F, True)),
    ("batch1@3d b only", _matmul, ((1, 2, 3), F, False), ((5, 3, 4), F, True)),
    ("batch1@4d", _matmul, ((1, 2, 3), F, True), ((2, 5, 3, 4), F, True)),
    ("4d@4d broadcast", _matmul, ((2, 1, 2, 3), F, True), ((1, 5, 3, 4), F, True)),
    ("3d@1d", _matmul, ((5, 2, 3), F, True), ((3,), F, True)),
    ("1d@3d", _matmul, ((3,), F, True), ((5, 3, 4), F, True)),
    ("1d@3d b only", _matmul, ((3,), F, False), ((5, 3, 4), F, True)),
    ("operator", lambda lib, a, b: a @ b, ((2, 3), F, True), ((3, 4), F, True)),
    ("mm", lambda lib, a, b: lib.mm(a, b), ((2, 3), D, True), ((3, 4), D, False)),
    ("bmm", lambda lib, a, b: a.bmm(b), ((2, 2, 3), F, True), ((2, 3, 4), F, True)),
    ("mv", lambda lib, a, b: lib.mv(a, b), ((2, 3), F, True), ((3,), F, True)),
    ("dot", lambda lib, a, b: lib.dot(a, b), ((3,), F, True), ((3,), F, True)),
    ("vdot", lambda lib, a, b: lib.vdot(a, b), ((3,), F, True), ((3,), F, True)),
    ("outer", lambda lib, a, b: lib.outer(a, b), ((3,), F, True), ((2,), F, True)),
    ("ger", lambda lib, a, b: a.ger(b), ((3,), F, True), ((2,), F, True)),
    ("addmm", lambda lib, i, a, b: lib.addmm(i, a, b), ((4,), F, True), ((2, 3), F, True),
     ((3, 4), F, True)),
    ("linear", lambda lib, x, w, b: lib.addmm(b, x, w.t()), ((2, 3), F, False),
     ((4, 3), F, True), ((4,), F, True)),
    ("addmm_", lambda lib, i, a, b: (i * 1).addmm_(a, b), ((2, 4), F, True), ((2, 3), F, True),
     ((3, 4), F, True)),
    ("baddbmm", lambda lib, i, a, b: lib.baddbmm(i, a, b), ((4,), F, True),
     ((2, 2, 3), F, True), ((2, 3, 4), F, True)),
    ("t 2d", lambda lib, a: a.t(), ((2, 3), F, True)),
    ("t 1d", lambda lib, a: lib.t(a), ((3,), F, True)),
    ("t 0d", lambda lib, a: a.t(), ((), F, True)),
    ("tensordot", lambda lib, a, b: lib.tensordot(a, b), ((2, 3, 4), F, True),
     ((3, 4, 5), F, True)),
]
EINSUM_NAMES = [
    ("ij,jk->ik", (2, 3), (3, 4)), ("ij,jk", (2, 3), (3, 4)), ("ii->i", (3, 3)), ("ii", (3, 3)),
    ("ij->ji", (2, 3)), ("ij->", (2, 3)), ("i,i->", (3,), (3,)), ("i,j->ij", (2,), (3,)),
    ("bij,bjk->bik", (5, 2, 3), (5, 3, 4)), ("...ij,...jk->...ik", (5, 2, 3), (3, 4)),
    ("ij,ij->ij", (2, 3), (2, 3)), ("ij,jk,kl->il", (2, 3), (3, 4), (4, 5)),
    ("ij,k->k", (2, 3), (4,)), ("ij,j,k->ik", (2, 3), (3,), (4,)), ("ii,i->i", (3, 3), (3,)),
    ("ij,jk->ik", (2, 1), (3, 4)), ("i...j->j...i", (2, 3, 4, 5)), (",->", (), ()),
]


@pytest.mark.parametrize("case", NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_grad_fn_names_match_torch(case):
    torch = require_torch()
    _, fn, *specs = case
    ours, theirs = _both(torch, fn, *specs)
    assert ours.grad_fn.name() == theirs.grad_fn.name()


@pytest.mark.parametrize("case", EINSUM_NAMES, ids=[c[0] for c in EINSUM_NAMES])
def test_einsum_grad_fn_names_match_torch(case):
    torch = require_torch()
    equation, *shapes = case
    ours, theirs = _both(torch, lambda lib, *xs: lib.einsum(equation, *xs),
                         *[(s, F, True) for s in shapes])
    assert ours.grad_fn.name() == theirs.grad_fn.name()


def test_mm_records_one_node_on_the_leaves():
    a = numtorch.randn(2, 3, requires_grad=True)
    w = numtorch.randn(3, 4, requires_grad=True)
    y = a @ w
    names = [n.name() for n, _ in y.grad_fn.next_functions]
    assert names == ["torch::autograd::AccumulateGrad"] * 2


def test_no_grad_fn_for_integers_and_no_grad():
    a = numtorch.ones(2, 3, dtype=numtorch.int64)
    assert (a @ a.t()).grad_fn is None
    x = numtorch.randn(2, 3, 4, requires_grad=True)
    with numtorch.no_grad():
        y = x @ numtorch.randn(4, 2, requires_grad=True)
    assert y.grad_fn is None and not y.requires_grad


# -- errors ---------------------------------------------------------------------------------
def _t(lib, shape, dtype=F):
    return lib.ones(shape, dtype=getattr(lib, dtype))


ERROR_CASES = {
    # matmul: every route has torch's message for its kernel
    "matmul 0d": lambda lib: lib.matmul(_t(lib, ()), _t(lib, (3,))),
    "matmul 1d 0d": lambda lib: _t(lib, (3,)) @ _t(lib, ()),
    "matmul 1d size": lambda lib: _t(lib, (3,)) @ _t(lib, (4,)),
    "matmul 1d dtype": lambda lib: _t(lib, (3,)) @ _t(lib, (3,), D),
    "matmul 1d bool": lambda lib: _t(lib, (3,), B) @ _t(lib, (3,), B),
    "matmul 2d shapes": lambda lib: _t(lib, (64, 784)) @ _t(lib, (748, 512)),
    "matmul 2d dtype": lambda lib: _t(lib, (2, 3)) @ _t(lib, (3, 4), D),
    "matmul 2d dtype rev": lambda lib: _t(lib, (2, 3), D) @ _t(lib, (3, 4)),
    "matmul 2d int float": lambda lib: _t(lib, (2, 3), L) @ _t(lib, (3, 4)),
    "matmul 2d half": lambda lib: _t(lib, (2, 3), "float16") @ _t(lib, (3, 4)),
    "matmul 2d bool": lambda lib: _t(lib, (2, 3), B) @ _t(lib, (3, 4), B),
    "matmul 1d@2d shapes": lambda lib: _t(lib, (3,)) @ _t(lib, (4, 5)),
    "matmul 1d@2d dtype": lambda lib: _t(lib, (3,)) @ _t(lib, (3, 2), D),
    "matmul 2d@1d shapes": lambda lib: _t(lib, (2, 3)) @ _t(lib, (4,)),
    "matmul 2d@1d dtype": lambda lib: _t(lib, (2, 3)) @ _t(lib, (3,), D),
    "matmul 2d@1d bool": lambda lib: _t(lib, (2, 3), B) @ _t(lib, (3,), B),
    "matmul 3d@1d shapes": lambda lib: _t(lib, (5, 2, 3)) @ _t(lib, (4,)),
    "matmul 3d@2d shapes": lambda lib: _t(lib, (5, 2, 3)) @ _t(lib, (4, 5)),
    "matmul 3d@2d dtype": lambda lib: _t(lib, (5, 2, 3)) @ _t(lib, (3, 5), D),
    "matmul 3d@2d bool": lambda lib: _t(lib, (5, 2, 3), B) @ _t(lib, (3, 5), B),
    "matmul 3d@3d k": lambda lib: _t(lib, (5, 2, 3)) @ _t(lib, (5, 4, 6)),
    "matmul 4d@4d k": lambda lib: _t(lib, (2, 5, 2, 3)) @ _t(lib, (2, 5, 4, 6)),
    "matmul 3d@3d batch": lambda lib: _t(lib, (5, 2, 3)) @ _t(lib, (4, 3, 6)),
    "matmul 4d@3d batch": lambda lib: _t(lib, (2, 5, 2, 3)) @ _t(lib, (4, 3, 6)),
    "matmul 3d@3d dtype": lambda lib: _t(lib, (2, 2, 3)) @ _t(lib, (2, 3, 4), D),
    "matmul 3d@3d bool": lambda lib: _t(lib, (2, 2, 3), B) @ _t(lib, (2, 3, 4), B),
    "matmul 1d@3d k": lambda lib: _t(lib, (3,)) @ _t(lib, (5, 4, 6)),
    "matmul 1d@3d k grad": lambda lib: _t(lib, (3,)).requires_grad_() @ _t(lib, (5, 4, 6)),
    "matmul 2d@3d k": lambda lib: _t(lib, (2, 3)) @ _t(lib, (5, 4, 6)),
    "matmul 2d@3d k grad": lambda lib: _t(lib, (2, 3)).requires_grad_() @ _t(lib, (5, 4, 6)),
    "matmul 2d@3d dtype grad": lambda lib: _t(lib, (2, 3)).requires_grad_() @ _t(
        lib, (2, 3, 4), D),
    "matmul 1d@3d dtype grad": lambda lib: _t(lib, (3,)).requires_grad_() @ _t(
        lib, (2, 3, 4), D),
    "matmul not tensor": lambda lib: lib.matmul(_t(lib, (2, 3)), 2),
    "matmul not tensor input": lambda lib: lib.matmul(2, _t(lib, (2, 3))),
    "operator not tensor": lambda lib: _t(lib, (2, 3)) @ 2,
    "roperator not tensor": lambda lib: 2 @ _t(lib, (2, 3)),
    # mm / bmm / mv / dot / vdot
    "mm 1d": lambda lib: lib.mm(_t(lib, (3,)), _t(lib, (3, 4))),
    "mm 3d mat2": lambda lib: lib.mm(_t(lib, (2, 3)), _t(lib, (2, 3, 4))),
    "mm shapes": lambda lib: lib.mm(_t(lib, (2, 3)), _t(lib, (4, 5))),
    "mm shapes before dtype": lambda lib: lib.mm(_t(lib, (2, 3)), _t(lib, (4, 5), D)),
    "mm dtype": lambda lib: lib.mm(_t(lib, (2, 3), L), _t(lib, (3, 4), D)),
    "mm uint8 int32": lambda lib: lib.mm(_t(lib, (2, 3), "uint8"), _t(lib, (3, 4), "int32")),
    "mm list": lambda lib: lib.mm(_t(lib, (2, 3)), [[1.0]]),
    "bmm 2d": lambda lib: lib.bmm(_t(lib, (2, 3)), _t(lib, (2, 3, 4))),
    "bmm 4d mat2": lambda lib: lib.bmm(_t(lib, (2, 2, 3)), _t(lib, (2, 2, 3, 4))),
    "bmm batch": lambda lib: lib.bmm(_t(lib, (2, 2, 3)), _t(lib, (3, 3, 4))),
    "bmm k": lambda lib: lib.bmm(_t(lib, (2, 2, 3)), _t(lib, (2, 4, 4))),
    "bmm dtype": lambda lib: lib.bmm(_t(lib, (2, 2, 3), D), _t(lib, (2, 3, 4))),
    "bmm bool": lambda lib: lib.bmm(_t(lib, (2, 2, 3), B), _t(lib, (2, 3, 4), B)),
    "mv 1d": lambda lib: lib.mv(_t(lib, (3,)), _t(lib, (3,))),
    "mv 2d vec": lambda lib: lib.mv(_t(lib, (2, 3)), _t(lib, (3, 1))),
    "mv size": lambda lib: lib.mv(_t(lib, (2, 3)), _t(lib, (4,))),
    "mv dtype": lambda lib: lib.mv(_t(lib, (2, 3), L), _t(lib, (3,))),
    "mv bool": lambda lib: lib.mv(_t(lib, (2, 3), B), _t(lib, (3,), B)),
    "dot 2d": lambda lib: lib.dot(_t(lib, (2, 3)), _t(lib, (3,))),
    "dot 0d": lambda lib: lib.dot(_t(lib, ()), _t(lib, ())),
    "dot size": lambda lib: lib.dot(_t(lib, (3,)), _t(lib, (4,))),
    "dot dtype before size": lambda lib: lib.dot(_t(lib, (3,)), _t(lib, (4,), D)),
    "dot bool": lambda lib: lib.dot(_t(lib, (3,), B), _t(lib, (3,), B)),
    "vdot 2d": lambda lib: lib.vdot(_t(lib, (3, 2)), _t(lib, (3,))),
    "vdot dtype": lambda lib: lib.vdot(_t(lib, (3,)), _t(lib, (3,), D)),
    "outer 2d": lambda lib: lib.outer(_t(lib, (2, 3)), _t(lib, (3,))),
    "outer 0d": lambda lib: lib.outer(_t(lib, ()), _t(lib, (3,))),
    "ger 2d vec2": lambda lib: lib.ger(_t(lib, (3,)), _t(lib, (3, 1))),
    "t 3d": lambda lib: _t(lib, (2, 3, 4)).t(),
    "t 4d": lambda lib: lib.t(_t(lib, (2, 3, 4, 5))),
    # addmm / baddbmm (nn.Linear's messages)
    "linear float64 input": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (2, 3), D),
                                                  _t(lib, (4, 3)).t()),
    "addmm input dtype": lambda lib: lib.addmm(_t(lib, (4,), D), _t(lib, (2, 3)),
                                               _t(lib, (3, 4))),
    "addmm mat2 dtype": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (2, 3)),
                                              _t(lib, (3, 4), D)),
    "addmm dtype before dims": lambda lib: lib.addmm(_t(lib, (3,), D), _t(lib, (3,)),
                                                     _t(lib, (3, 4))),
    "addmm 1d mat1": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (3,)), _t(lib, (3, 4))),
    "addmm 1d mat2": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (2, 3)), _t(lib, (3,))),
    "addmm shapes": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (2, 3)), _t(lib, (2, 4))),
    "addmm input shape": lambda lib: lib.addmm(_t(lib, (3,)), _t(lib, (2, 3)), _t(lib, (3, 4))),
    "addmm input ndim": lambda lib: lib.addmm(_t(lib, (3, 2, 4)), _t(lib, (2, 3)),
                                              _t(lib, (3, 4))),
    "addmm bool": lambda lib: lib.addmm(_t(lib, (4,), B), _t(lib, (2, 3), B),
                                        _t(lib, (3, 4), B)),
    "addmm_ shape": lambda lib: _t(lib, (4,)).addmm_(_t(lib, (2, 3)), _t(lib, (3, 4))),
    "addmm_ leaf": lambda lib: _t(lib, (2, 4)).requires_grad_().addmm_(_t(lib, (2, 3)),
                                                                      _t(lib, (3, 4))),
    "baddbmm input shape": lambda lib: lib.baddbmm(_t(lib, (3, 2, 4)), _t(lib, (2, 2, 3)),
                                                   _t(lib, (2, 3, 4))),
    "baddbmm dtype": lambda lib: lib.baddbmm(_t(lib, (4,), D), _t(lib, (2, 2, 3)),
                                             _t(lib, (2, 3, 4))),
    "baddbmm dtype before k": lambda lib: lib.baddbmm(_t(lib, (4,)), _t(lib, (2, 2, 3), D),
                                                      _t(lib, (2, 2, 4))),
    "baddbmm 2d": lambda lib: lib.baddbmm(_t(lib, (4,)), _t(lib, (2, 3)), _t(lib, (2, 3, 4))),
    "baddbmm k": lambda lib: lib.baddbmm(_t(lib, (4,)), _t(lib, (2, 2, 3)), _t(lib, (2, 4, 4))),
    "baddbmm bool": lambda lib: lib.baddbmm(_t(lib, (4,), B), _t(lib, (2, 2, 3), B),
                                            _t(lib, (2, 3, 4), B)),
    "baddbmm_ shape": lambda lib: _t(lib, (4,)).baddbmm_(_t(lib, (2, 2, 3)),
                                                         _t(lib, (2, 3, 4))),
    # out=
    "out dtype mm": lambda lib: lib.mm(_t(lib, (2, 3)), _t(lib, (3, 4)),
                                       out=_t(lib, (2, 4), D)),
    "out dtype matmul": lambda lib: lib.matmul(_t(lib, (2, 3)), _t(lib, (3, 4)),
                                               out=_t(lib, (2, 4), L)),
    "out dtype matmul batched": lambda lib: lib.matmul(_t(lib, (5, 2, 3)), _t(lib, (3, 4)),
                                                       out=_t(lib, (5, 2, 4), D)),
    "out dtype matmul 1d": lambda lib: lib.matmul(_t(lib, (3,)), _t(lib, (3,)),
                                                  out=_t(lib, (), D)),
    "out dtype matmul 2d@1d": lambda lib: lib.matmul(_t(lib, (2, 3)), _t(lib, (3,)),
                                                     out=_t(lib, (2,), D)),
    "out dtype dot": lambda lib: lib.dot(_t(lib, (3,)), _t(lib, (3,)), out=_t(lib, (), D)),
    "out dtype bmm": lambda lib: lib.bmm(_t(lib, (2, 2, 3)), _t(lib, (2, 3, 4)),
                                         out=_t(lib, (2, 2, 4), D)),
    "out requires grad": lambda lib: lib.matmul(_t(lib, (2, 3)).requires_grad_(),
                                                _t(lib, (3, 4)), out=_t(lib, (2, 4))),
    "addmm out requires grad": lambda lib: lib.addmm(_t(lib, (4,)), _t(lib, (2, 3)),
                                                     _t(lib, (3, 4)).requires_grad_(),
                                                     out=_t(lib, (2, 4))),
    # einsum
    "einsum size": lambda lib: lib.einsum("ij,jk->ik", _t(lib, (2, 3)), _t(lib, (4, 4))),
    "einsum fewer": lambda lib: lib.einsum("ij,jk", _t(lib, (2, 3))),
    "einsum fewer before chars": lambda lib: lib.einsum("i,j1", _t(lib, (2,))),
    "einsum more": lambda lib: lib.einsum("ij", _t(lib, (2, 3)), _t(lib, (3,))),
    "einsum ndim": lambda lib: lib.einsum("ijk", _t(lib, (2, 3))),
    "einsum ndim ellipsis": lambda lib: lib.einsum("ijk...->i", _t(lib, (2, 3))),
    "einsum output missing": lambda lib: lib.einsum("ij->k", _t(lib, (2, 3))),
    "einsum output twice": lambda lib: lib.einsum("ij->jj", _t(lib, (2, 3))),
    "einsum repeated sizes": lambda lib: lib.einsum("ii", _t(lib, (2, 3))),
    "einsum repeated sizes 1": lambda lib: lib.einsum("ii->i", _t(lib, (1, 3))),
    "einsum invalid char": lambda lib: lib.einsum("i1", _t(lib, (2, 3))),
    "einsum invalid after space": lambda lib: lib.einsum("i 1", _t(lib, (2, 3))),
    "einsum invalid in output": lambda lib: lib.einsum("i,j->i,j", _t(lib, (2,)),
                                                       _t(lib, (2,))),
    "einsum two ellipses": lambda lib: lib.einsum("...i...", _t(lib, (2, 3))),
    "einsum stray dots": lambda lib: lib.einsum("i..", _t(lib, (2, 3))),
    "einsum output stray dots": lambda lib: lib.einsum("ij->i..", _t(lib, (2, 3))),
    "einsum output two ellipses": lambda lib: lib.einsum("...ij->......", _t(lib, (3, 2, 3))),
    "einsum ellipsis sizes": lambda lib: lib.einsum("...ij,...jk", _t(lib, (3, 2, 2, 3)),
                                                    _t(lib, (3, 5, 3, 4))),
    "einsum label broadcast": lambda lib: lib.einsum("i,i,i", _t(lib, (3,)), _t(lib, (1,)),
                                                     _t(lib, (4,))),
    "einsum no operands": lambda lib: lib.einsum("ij->j"),
    "einsum operand type": lambda lib: lib.einsum("i", [1, 2]),
    "einsum int32 contraction": lambda lib: lib.einsum("ij,jk->k", _t(lib, (2, 3), "int32"),
                                                       _t(lib, (3, 4), "int32")),
    "einsum mixed bmm": lambda lib: lib.einsum("ij,jk", _t(lib, (2, 3), L), _t(lib, (3, 4))),
    "einsum bool bmm": lambda lib: lib.einsum("ij,jk", _t(lib, (2, 3), B), _t(lib, (3, 4), B)),
    # tensordot
    "tensordot sizes": lambda lib: lib.tensordot(_t(lib, (2, 3, 4)), _t(lib, (4, 3, 5))),
    "tensordot negative": lambda lib: lib.tensordot(_t(lib, (2, 3)), _t(lib, (3, 4)), dims=-1),
    "tensordot too many": lambda lib: lib.tensordot(_t(lib, (2, 3)), _t(lib, (3, 4)), dims=3),
    "tensordot lengths": lambda lib: lib.tensordot(_t(lib, (2, 3)), _t(lib, (3, 4)),
                                                   dims=([1], [0, 1])),
    "tensordot dtype": lambda lib: lib.tensordot(_t(lib, (2, 3), D), _t(lib, (3, 4)), dims=1),
    "tensordot dims float": lambda lib: lib.tensordot(_t(lib, (2, 3)), _t(lib, (3, 4)),
                                                      dims=1.0),
    "tensordot repeated": lambda lib: lib.tensordot(_t(lib, (2, 3, 4)), _t(lib, (4, 4, 5)),
                                                    dims=([2, 2], [0, 1])),
    "tensordot out of range": lambda lib: lib.tensordot(_t(lib, (2, 3, 4)), _t(lib, (4, 3, 5)),
                                                        dims=([5], [0])),
    "tensordot list sizes": lambda lib: lib.tensordot(_t(lib, (2, 3, 4)), _t(lib, (4, 3, 5)),
                                                      dims=([-2], [0])),
}


@pytest.mark.parametrize("name", list(ERROR_CASES))
def test_errors_match_torch(name):
    torch = require_torch()
    fn = ERROR_CASES[name]
    theirs = _outcome(lambda: fn(torch))
    assert isinstance(theirs, Exception), f"torch did not raise for {name}"
    with pytest.raises(type(theirs)) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(numtorch)
    assert str(info.value) == str(theirs)


# -- out= -------------------------------------------------------------------------------------
def test_matmul_out_writes_in_place_and_returns_out():
    torch = require_torch()
    a, ta = _pair(torch, (2, 3))
    b, tb = _pair(torch, (3, 4), seed=1)
    y = numtorch.empty(2, 4)
    version = y._version
    result = numtorch.matmul(a, b, out=y)
    assert result is y
    assert y._version == version + 1
    np.testing.assert_allclose(y.numpy(), torch.matmul(ta, tb).numpy(), rtol=1e-5)


@pytest.mark.parametrize("fn", [
    lambda lib, out: lib.matmul(lib.ones(5, 2, 3), lib.ones(3, 4), out=out),
    lambda lib, out: lib.mm(lib.ones(2, 3), lib.ones(3, 4), out=out),
    lambda lib, out: lib.addmm(lib.ones(4), lib.ones(2, 3), lib.ones(3, 4), out=out),
])
def test_out_resize_warns_like_torch(fn):
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        expected = fn(torch, torch.empty(3))
    with pytest.warns(UserWarning, match="An output with one or more elements was resized") \
            as ours:
        result = fn(numtorch, numtorch.empty(3))
    assert str(ours[0].message) in str(theirs[0].message)
    assert tuple(result.shape) == tuple(expected.shape)


def test_out_empty_resizes_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = numtorch.matmul(numtorch.ones(2, 3), numtorch.ones(3, 4), out=numtorch.empty(0))
    assert y.shape == (2, 4)
    assert float(y.sum()) == 24.0


def test_outer_and_batched_out():
    y = numtorch.empty(2, 3)
    assert numtorch.outer(numtorch.ones(2), numtorch.ones(3), out=y) is y
    z = numtorch.empty(5, 4)
    numtorch.matmul(numtorch.ones(3), numtorch.ones(5, 3, 4), out=z)
    assert float(z.sum()) == 60.0


# -- views, in-place, saved tensors ---------------------------------------------------------------
def test_t_is_a_view_sharing_memory_and_version():
    a = numtorch.zeros(2, 3)
    at = a.t()
    assert at._base is a and at.shape == (3, 2)
    assert at.data_ptr() == a.data_ptr()
    at._data[2, 1] = 7.0  # the ndarray is a NumPy view of a's
    assert a._data[1, 2] == 7.0
    at._bump_version()
    assert a._version == at._version == 1


def test_einsum_permutation_is_a_view():
    torch = require_torch()
    for equation in ("ij->ji", "ii->i"):
        x = numtorch.zeros(3, 3)
        y = numtorch.einsum(equation, x)
        assert (y._base is not None) == (torch.einsum(equation, torch.zeros(3, 3))._base
                                         is not None)
        y._data[...] = 1.0  # writes through to x
        assert float(x.sum()) == (3.0 if equation == "ii->i" else 9.0)


@pytest.mark.parametrize("modify", ["a", "b"])
def test_saved_operands_follow_torch(modify):
    """mm saves an operand only for the other's gradient: modifying it then is an error
    exactly when torch says so."""
    torch = require_torch()
    outcomes = []
    for lib in (numtorch, torch):
        a = lib.ones(2, 3)
        b = lib.ones(3, 4, requires_grad=True)
        y = lib.mm(a, b)
        target = a if modify == "a" else b.detach()
        target.mul_(2)
        outcomes.append(_outcome(lambda y=y: y.sum().backward()))
    ours, theirs = outcomes
    assert type(ours) is type(theirs)
    if isinstance(theirs, Exception):
        assert str(ours) == str(theirs)


def test_addmm_inplace_leaf_and_result():
    torch = require_torch()
    ours, theirs = _both(torch, lambda lib, i, a, b: (i * 1).addmm_(a, b, beta=0.5, alpha=2),
                         ((2, 4), F, True), ((2, 3), F, True), ((3, 4), F, True))
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5)
    assert ours.grad_fn.name() == theirs.grad_fn.name()


def test_addmm_beta_zero_ignores_nan_and_gives_zero_gradient():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        i = lib.full((4,), float("nan"), requires_grad=True)
        a = lib.ones(2, 3, requires_grad=True)
        y = lib.addmm(i, a, lib.ones(3, 4), beta=0)
        y.sum().backward()
        results.append((y.detach().numpy(), i.grad.numpy(), a.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)


def test_integer_products_are_exact():
    torch = require_torch()
    a = np.arange(-6, 6, dtype=np.int64).reshape(3, 4)
    b = np.arange(20, dtype=np.int64).reshape(4, 5)
    bias = np.arange(5, dtype=np.int64)
    for fn in (lambda lib, x, y, c: x @ y, lambda lib, x, y, c: lib.einsum("ij,jk->ik", x, y),
               lambda lib, x, y, c: lib.addmm(c, x, y, beta=2, alpha=3),
               lambda lib, x, y, c: lib.addmm(c, x, y, beta=0.7, alpha=1.9)):
        ours = fn(numtorch, *[numtorch.from_numpy(v) for v in (a, b, bias)])
        theirs = fn(torch, *[torch.from_numpy(v) for v in (a, b, bias)])
        assert ours.dtype == numtorch.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_double_backward_of_batched_matmul_matches_torch():
    torch = require_torch()
    grads = []
    for lib in (numtorch, torch):
        rng = np.random.default_rng(5)
        a = lib.from_numpy(rng.standard_normal((2, 3, 4))).requires_grad_(True)
        b = lib.from_numpy(rng.standard_normal((4, 5))).requires_grad_(True)
        y = (a @ b).sum()
        (ga,) = lib.autograd.grad(y * y, a, create_graph=True)
        (gb,) = lib.autograd.grad(ga.sum(), b)
        grads.append(gb.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10)


def test_linear_pattern_gradients_match_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        rng = np.random.default_rng(1)
        x = lib.from_numpy(rng.standard_normal((8, 5)).astype("float32"))
        w = lib.from_numpy(rng.standard_normal((3, 5)).astype("float32")).requires_grad_(True)
        b = lib.from_numpy(rng.standard_normal(3).astype("float32")).requires_grad_(True)
        y = lib.addmm(b, x, w.t())
        y.backward(lib.from_numpy(rng.standard_normal((8, 3)).astype("float32")))
        results.append((y.detach().numpy(), w.grad.numpy(), b.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_keyword_names_match_torch():
    torch = require_torch()
    calls = [
        lambda lib: lib.mm(input=lib.ones(2, 3), mat2=lib.ones(3, 4)),
        lambda lib: lib.matmul(input=lib.ones(2, 3), other=lib.ones(3, 4)),
        lambda lib: lib.bmm(input=lib.ones(1, 2, 3), mat2=lib.ones(1, 3, 4)),
        lambda lib: lib.mv(input=lib.ones(2, 3), vec=lib.ones(3)),
        lambda lib: lib.dot(input=lib.ones(3), tensor=lib.ones(3)),
        lambda lib: lib.vdot(input=lib.ones(3), other=lib.ones(3)),
        lambda lib: lib.outer(input=lib.ones(3), vec2=lib.ones(2)),
        lambda lib: lib.ger(input=lib.ones(3), vec2=lib.ones(2)),
        lambda lib: lib.addmm(input=lib.ones(3), mat1=lib.ones(2, 3), mat2=lib.ones(3, 3),
                              beta=2, alpha=0.5),
        lambda lib: lib.baddbmm(input=lib.ones(3), batch1=lib.ones(1, 2, 3),
                                batch2=lib.ones(1, 3, 3), beta=2, alpha=0.5),
        lambda lib: lib.tensordot(a=lib.ones(3), b=lib.ones(3), dims=1),
        lambda lib: lib.t(input=lib.ones(3)),
        lambda lib: lib.ones(2, 3).matmul(other=lib.ones(3)),
        lambda lib: lib.ones(2, 3).mm(mat2=lib.ones(3, 2)),
    ]
    for call in calls:
        np.testing.assert_allclose(call(numtorch).numpy(), call(torch).numpy())


# -- NOTE [ The product's orientation ] ---------------------------------------------------------
def test_swapped_addmm_gives_the_same_bits_row_major(monkeypatch):
    from numtorch._primitives import linalg as L

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 300)).astype(np.float32)
    w = rng.standard_normal((256, 300)).astype(np.float32)
    b = rng.standard_normal(256).astype(np.float32)
    outs = []
    for swapped in (False, True):
        monkeypatch.setattr(L, "_swap_pays", lambda *args, swapped=swapped: swapped)
        out = numtorch.nn.functional.linear(*(numtorch.from_numpy(a) for a in (x, w, b)))
        assert out._data.flags.c_contiguous
        outs.append(out.numpy())
    np.testing.assert_array_equal(outs[0], outs[1], strict=True)


def test_orientation_is_chosen_once_per_shape(monkeypatch):
    from numtorch._primitives import linalg as L

    monkeypatch.setattr(L, "_SWAP_CHOICES", {})
    timed = []
    monkeypatch.setattr(L, "_time_swap", lambda *arrays: timed.append(1) or True)
    lin = numtorch.nn.Linear(512, 256)
    for batch in (64, 64, 32, 64):
        lin(numtorch.ones(batch, 512))
    assert len(timed) == 2 and len(L._SWAP_CHOICES) == 2
    lin(numtorch.ones(2, 512))  # too small to time: the plain form, not remembered
    numtorch.addmm(numtorch.zeros(256), numtorch.ones(64, 512), numtorch.ones(512, 256))
    assert len(timed) == 2 and len(L._SWAP_CHOICES) == 2  # a row-major mat2: never swapped
