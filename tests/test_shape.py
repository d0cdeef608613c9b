"""Targeted tests for shape ops: views (memory, _base, version counter, strides), grad_fn
names and graph structure, and torch's errors for misuse. Values and gradients are covered by
the op table (tests/optable/shape.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def _leaf(lib, shape=(4, 3), seed=0):
    data = np.random.default_rng(seed).standard_normal(shape).astype("float32")
    return lib.tensor(data, requires_grad=True)


def _names(out):
    if isinstance(out, (tuple, list)):
        return [_names(o) for o in out]
    fn = out.grad_fn
    return None if fn is None else (fn.name(), [n.name() if n is not None else None
                                                for n, _ in fn.next_functions])


GRAD_FN_CASES = [
    "x.reshape(12)", "x.reshape(-1, 2)", "x.t().reshape(12)", "x.view(3, 4)", "x.flatten()",
    "x.t().flatten()", "x.flatten(0, 0)", "x.unflatten(1, (3, 1))", "x.view_as(x.t())",
    "x.reshape_as(x.t())", "x.squeeze()", "x.unsqueeze(0).squeeze(0)", "x.squeeze((0, 1))",
    "x.unsqueeze(-1)", "x.transpose(0, 1)", "x.swapaxes(0, 1)", "x.swapdims(1, 0)",
    "x.permute(1, 0)", "x.movedim(0, 1)", "x.T", "x.mT", "x.expand(2, 4, 3)",
    "x.expand_as(x.expand(2, 4, 3))", "x.broadcast_to((2, 4, 3))", "x.repeat(2, 1)",
    "x.tile(2)", "x.flip(0)", "x.fliplr()", "x.roll(1)", "x.roll(1, 0)",
    "lib.cat([x, x])", "lib.concat([x, x], 1)", "lib.stack([x, x])", "lib.hstack([x, x])",
    "lib.vstack([x, x])", "x.split(2)", "x.split([1, 3])", "x.chunk(2)", "x.unbind()",
    "x.narrow(0, 1, 2)", "x.select(1, 0)", "x.diagonal()", "lib.atleast_3d(x)",
    "x.unsqueeze(0).squeeze(-3)", "x.contiguous()", "x.t().contiguous()",
]


@pytest.mark.parametrize("expr", GRAD_FN_CASES)
def test_grad_fn_names_match_torch(expr):
    torch = require_torch()
    got = []
    for lib in (numtorch, torch):
        x = _leaf(lib) * 1 if "flatten(0, 0)" not in expr else _leaf(lib)
        got.append(_names(eval(expr, {"lib": lib, "x": x})))
    assert got[0] == got[1]


VIEWS = ["x.view(12)", "x.reshape(2, 6)", "x.flatten()", "x.unflatten(0, (2, 2))", "x.t()",
         "x.T", "x.mT", "x.transpose(0, 1)", "x.permute(1, 0)", "x.unsqueeze(1)",
         "x.unsqueeze(0).squeeze()", "x.movedim(1, 0)", "x.narrow(1, 1, 2)", "x.select(0, 2)",
         "x.diagonal()", "x.split(2)[1]", "x.chunk(3, 1)[2]", "x.unbind(1)[0]", "x.view_as(x)",
         "x[1:, ::2]", "x[None, 2]"]


@pytest.mark.parametrize("expr", VIEWS)
def test_views_share_memory_base_and_version(expr):
    torch = require_torch()
    for lib in (numtorch, torch):
        x = lib.arange(12.).reshape(4, 3).clone()
        v = eval(expr, {"x": x})
        assert v._base is x
        assert v._is_view()
        before = v.clone()
        x.add_(1)  # a write into the base shows in the view ...
        assert lib.equal(v, before + 1)
        assert v._version == x._version == 1
        v.mul_(0)  # ... and a write into the view shows in the base
        assert float(x.abs().sum()) < float(before.abs().sum() + 100)
        assert v._version == x._version == 2
    x = numtorch.arange(12.).reshape(4, 3).clone()
    v = eval(expr, {"x": x})
    assert np.shares_memory(v.numpy(), x.numpy())


def test_view_writes_match_torch_values():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        x = lib.arange(24.).reshape(2, 3, 4).clone()
        x.transpose(0, 2)[1].mul_(-1)
        x.view(6, 4)[::2].add_(100)
        x.diagonal(0, 1, 2).zero_()
        x.unbind(0)[1].narrow(0, 1, 1).fill_(7)
        results.append(x.numpy().copy())
    np.testing.assert_array_equal(results[0], results[1])


def test_view_of_view_has_root_base():
    x = numtorch.zeros(4, 3)
    v = x.t()[1:].unsqueeze(0)
    assert v._base is x
    v[0, 0, 0] = 5  # v[0, 0] is x.t()[1], i.e. x[:, 1]
    assert x[0, 1].item() == 5


COPIES = ["x.t().reshape(12)", "x.t().flatten()", "x.flip(0)", "x.roll(1)", "x.repeat(1, 2)",
          "x.tile(2)", "numtorch.cat([x, x])", "numtorch.stack([x])", "x.t().contiguous()"]


@pytest.mark.parametrize("expr", COPIES)
def test_copies_do_not_share_memory(expr):
    x = numtorch.arange(12.).reshape(4, 3)
    out = eval(expr, {"x": x, "numtorch": numtorch})
    assert out._base is None
    assert not np.shares_memory(out.numpy(), x.numpy())
    assert out.is_contiguous()


@pytest.mark.parametrize("expr", ["x.t()", "x[:, 1:]", "x.unsqueeze(1)", "x.expand(2, 4, 3)",
                                  "x.diagonal()", "x.T[::2]", "x.permute(1, 0).unsqueeze(0)"])
def test_strides_and_contiguity_match_torch(expr):
    torch = require_torch()
    ours = eval(expr, {"x": numtorch.zeros(4, 3)})
    theirs = eval(expr, {"x": torch.zeros(4, 3)})
    assert ours.is_contiguous() == theirs.is_contiguous()
    if ours.numel() > 1:
        kept = [i for i, n in enumerate(theirs.shape) if n > 1]
        assert [ours.stride()[i] for i in kept] == [theirs.stride()[i] for i in kept]
    assert ours.storage_offset() == theirs.storage_offset()


def test_split_outputs_share_one_node():
    x = numtorch.randn(5, 2, requires_grad=True) * 1
    a, b, c = x.split(2)
    assert a.grad_fn is b.grad_fn is c.grad_fn
    assert [t._output_nr for t in (a, b, c)] == [0, 1, 2]
    c.sum().backward()  # gradients for the unused outputs are zeros


def test_split_gradient_with_unused_outputs_matches_torch():
    torch = require_torch()
    grads = []
    for lib in (numtorch, torch):
        x = _leaf(lib, (5, 2))
        u = x.unbind(0)
        (u[1] * 3 + x.chunk(2)[1].sum()).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1])


def test_T_warns_like_torch_for_non_2d():
    x = numtorch.zeros(2, 3, 4)
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other"):
        assert x.T.shape == (4, 3, 2)
    with pytest.warns(UserWarning, match="Tensor.T is deprecated on 0-D tensors"):
        assert numtorch.tensor(1.).T.shape == ()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert numtorch.zeros(2, 3).T.shape == (3, 2)


def test_keyword_forms_match_torch():
    torch = require_torch()
    for lib in (numtorch, torch):
        x = lib.zeros(4, 3)
        assert x.permute(dims=(1, 0)).shape == (3, 4)
        assert lib.permute(x, dims=[1, 0]).shape == (3, 4)
        assert x.reshape(shape=(2, 6)).shape == (2, 6)
        assert lib.reshape(x, shape=(12,)).shape == (12,)
        assert x.expand(size=(2, 4, 3)).shape == (2, 4, 3)
        assert x.repeat(repeats=(1, 2)).shape == (4, 6)
        assert lib.flip(x, dims=[0]).shape == (4, 3)
        assert x.tile(dims=(2,)).shape == (4, 6)
        assert x.split(split_size=3)[1].shape == (1, 3)
        assert lib.split(x, split_size_or_sections=[1, 3])[1].shape == (3, 3)
        assert x.chunk(chunks=2, dim=1)[0].shape == (4, 2)
        assert lib.cat((x, x), dim=-1).shape == (4, 6)
        assert lib.stack(tensors=[x, x], dim=1).shape == (4, 2, 3)
        assert x.flatten(start_dim=1).shape == (4, 3)
        assert x.unflatten(dim=0, sizes=(2, 2)).shape == (2, 2, 3)
        assert x.transpose(dim0=0, dim1=1).shape == (3, 4)
        assert x.movedim(source=0, destination=1).shape == (3, 4)
        assert x.narrow(dim=0, start=1, length=2).shape == (2, 3)
        assert x.diagonal(offset=1, dim1=0, dim2=1).shape == (2,)


def test_empty_chunk_and_split_match_torch():
    torch = require_torch()
    for expr in ["x.chunk(3)", "x.split(2)", "x.split(0)", "lib.zeros(5).chunk(4)",
                 "lib.zeros(2).chunk(5)", "lib.zeros(7, 2).chunk(3)"]:
        shapes = [[tuple(t.shape) for t in eval(expr, {"lib": lib, "x": lib.zeros(0, 3)})]
                  for lib in (numtorch, torch)]
        assert shapes[0] == shapes[1], expr


def test_cat_promotes_and_skips_legacy_empty_like_torch():
    torch = require_torch()
    for lib in (numtorch, torch):
        a = lib.ones(2, 3)
        assert lib.cat([a, lib.ones(2, 3, dtype=lib.float64)]).dtype == lib.float64
        assert lib.cat([a, lib.ones(2, 3, dtype=lib.int64)]).dtype == lib.float32
        assert lib.cat([lib.ones(2, dtype=lib.int32), lib.ones(2, dtype=lib.bool)]).dtype == \
            lib.int32
        assert lib.cat([lib.zeros(0), a, lib.zeros(0)], 1).shape == (2, 3)
        assert lib.stack([a, a.double()]).dtype == lib.float64


def test_cat_out_and_stack_out():
    out = numtorch.empty(3)
    assert numtorch.cat([numtorch.ones(2), numtorch.zeros(1)], out=out) is out
    assert out.tolist() == [1., 1., 0.]
    out = numtorch.empty(2, 2)
    numtorch.stack([numtorch.ones(2), numtorch.zeros(2)], out=out)
    assert out.tolist() == [[1., 1.], [0., 0.]]


ERRORS = [
    "x.view(5)", "x.view(-1, -1)", "x.t().view(12)", "x.reshape(5)", "x.view(-2, 6)",
    "lib.zeros(0, 3).view(-1, 0)", "x.squeeze(2)", "x.unsqueeze(3)", "x.transpose(0, 2)",
    "x.permute(0, 0)", "x.permute(0)", "x.permute(0, 2)", "x.flatten(1, 0)", "x.flatten(2)",
    "x.unflatten(1, (2, 2))", "x.unflatten(1, ())", "x.unflatten(2, (1,))", "x.expand(3, 3)",
    "x.expand(3)", "x.expand(-1, 4, 3)", "x.repeat(2)", "x.repeat(-1, 1)", "x.split(0)",
    "x.split([1, 2])", "x.chunk(0)", "x.narrow(0, 3, 2)", "x.narrow(0, 5, 0)",
    "x.narrow(0, 1, -1)", "x.narrow(2, 0, 1)", "x.select(0, 4)", "x.select(0, -5)",
    "x.movedim((0, 1), (0,))", "x.movedim((0, 0), (0, 1))", "x.movedim((0, 1), (1, 1))",
    "x.movedim(0, 2)", "x.roll(1, (0, 1))", "x.roll((1, 2), 0)", "x.flip(0, 0)",
    "x.diagonal(0, 0, 0)", "x.unbind(2)", "lib.tensor(1.).unbind()", "lib.zeros(3).mT",
    "lib.zeros(3).fliplr()", "lib.tensor(1.).flipud()",
    "lib.cat([x, lib.randn(3, 2)], 0)", "lib.cat([x, lib.randn(4)], 0)", "lib.cat([])",
    "lib.cat([x], 2)", "lib.cat([lib.tensor(1.), lib.tensor(2.)])",
    "lib.stack([x, lib.randn(3, 4)])", "lib.stack([])", "lib.stack([x], 3)",
    "lib.tensor(1.).squeeze(1)", "lib.tensor(1.).unsqueeze(2)", "x.squeeze((0, 0))",
]


@pytest.mark.parametrize("expr", ERRORS)
def test_errors_match_torch(expr):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises(Exception) as info:
            eval(expr, {"lib": lib, "x": lib.zeros(4, 3)})
        caught.append(info.value)
    ours, theirs = caught
    assert type(ours) is type(theirs)
    assert str(ours) == str(theirs)


def test_expand_error_names_the_dtype():
    with pytest.raises(RuntimeError, match=r"expand\(torch.LongTensor\{\[2\]\}, size=\[\]\)"):
        numtorch.tensor([1, 2]).expand(())


def test_writing_into_an_expanded_tensor_errors_like_torch():
    torch = require_torch()
    for lib in (numtorch, torch):
        with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
            lib.zeros(3).expand(2, 3).add_(1)


def test_multi_output_views_refuse_inplace_when_recorded():
    torch = require_torch()
    for lib in (numtorch, torch):
        y = _leaf(lib) * 1
        with pytest.raises(RuntimeError, match="Output 0 of Split is a view and is being "
                                               "modified inplace"):
            y.split(2)[0].mul_(2)
        with pytest.raises(RuntimeError, match="Output 1 of Unbind is a view"):
            y.unbind()[1].add_(1)
        with pytest.raises(RuntimeError, match="Output 1 of SplitWithSizes is a view"):
            y.split([1, 3])[1].zero_()
        z = lib.zeros(4, 3)
        z.split(2)[0].add_(1)  # no autograd involved: allowed
        assert z[0, 0].item() == 1
        with lib.no_grad():
            y.chunk(2)[1].mul_(2)


def test_iterating_a_tensor_unbinds_it():
    x = numtorch.arange(6.).reshape(3, 2).clone()
    rows = list(x)
    assert [r.tolist() for r in rows] == [[0., 1.], [2., 3.], [4., 5.]]
    assert rows[1]._base is x


# -- view(dtype): the same bytes read as another dtype -------------------------------------------
VIEW_DTYPE = [
    "a.view(lib.int32)", "a.view(lib.int16)", "a.view(lib.float64)", "a.view(lib.uint8)",
    "a.view(lib.bool)", "a.view(lib.float32)", "a.view(dtype=lib.int16)", "a.t().view(lib.int32)",
    "a[:, :2].view(lib.float64)", "a[:, 2:].view(lib.float64)", "a[:, 1:].view(lib.int16)",
    "a[:, None, :].view(lib.int16)", "a.expand(3, 2, 4).view(lib.float64)",
    "a[0, 0].view(lib.int32)", "a.view(lib.float64).view(lib.int8)",
    "lib.arange(6).view(lib.float64)", "lib.arange(6).view(lib.uint8)",
    "lib.tensor([True, False, True, True]).view(lib.int16)",
    "lib.tensor([1, 2, 3, 4], dtype=lib.int8).view(lib.int32)",
    "lib.tensor([1.0, -2.0], dtype=lib.float16).view(lib.int16)",
    "lib.zeros(3, 0).view(lib.int16)", "lib.zeros(0, 4).view(lib.float64)",
    "lib.zeros(0).view(lib.float64)",
]
VIEW_DTYPE_ERRORS = [
    "lib.tensor(1.0).view(lib.int16)", "lib.tensor(1.0).view(lib.float64)",
    "a[:, :3].view(lib.float64)", "a[:, 1:3].view(lib.float64)", "a.t().view(lib.float64)",
    "a.t().view(lib.int16)", "a[:, ::2].view(lib.int16)", "lib.zeros(2, 0).view(lib.float64)",
    "lib.zeros(10)[1:4].view(lib.float64)", "lib.zeros(3, 5)[:, 1:3].view(lib.float64)",
    "lib.zeros(2, 3)[:, ::3].view(lib.float64)", "lib.zeros(1).expand(4).view(lib.int16)",
    "lib.zeros(2, 3)[:, 0:2].view(lib.float64)", "lib.zeros(5, 4).t()[1:, 1:3].view(lib.float64)",
    "lib.zeros(2, 8, dtype=lib.int8)[:, 1:5].view(lib.int32)",
]


def _bits(lib):
    return lib.tensor(np.linspace(-3, 3, 8, dtype=np.float32).reshape(2, 4))


@pytest.mark.parametrize("expr", VIEW_DTYPE)
def test_view_dtype_reinterprets_bytes_like_torch(expr):
    torch = require_torch()
    ours, theirs = (eval(expr, {"lib": lib, "a": _bits(lib)}) for lib in (numtorch, torch))
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)
    assert ours.numpy().tobytes() == theirs.numpy().tobytes()
    if theirs.numel():
        assert ours.stride()[-1:] == theirs.stride()[-1:]


@pytest.mark.parametrize("expr", VIEW_DTYPE_ERRORS)
def test_view_dtype_errors_match_torch(expr):
    torch = require_torch()
    caught = []
    for lib in (numtorch, torch):
        with pytest.raises(RuntimeError) as info:
            eval(expr, {"lib": lib, "a": _bits(lib)})
        caught.append(str(info.value))
    assert caught[0] == caught[1]


def test_view_dtype_shares_memory_and_version_but_not_autograd():
    torch = require_torch()
    for lib in (numtorch, torch):
        x = lib.zeros(4)
        y = x.view(lib.int32)
        y[0] = 1065353216  # the bits of 1.0f
        assert x.tolist() == [1.0, 0.0, 0.0, 0.0] and x._version == y._version == 1
        x.add_(1)
        assert y[1].item() == 1065353216 and y._version == 2
        assert y._base is None and not y._is_view() and y.is_leaf  # torch: no autograd view
        leaf = lib.ones(2, 2, requires_grad=True)
        for dtype in (lib.float32, lib.float64, lib.int16):
            out = (leaf * 2).view(dtype)
            assert not out.requires_grad and out.grad_fn is None
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            c = leaf * 2
            d = c * c  # saves c
            c.view(lib.int32).add_(1)
            d.sum().backward()
        leaf.view(lib.float32).mul_(3)  # allowed: the result is outside autograd
        assert leaf.tolist() == [[3.0, 3.0], [3.0, 3.0]] and leaf._version == 1
