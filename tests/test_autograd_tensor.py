"""Tensor-level autograd state against torch: leaf rules, requires_grad, the .grad property and
its setter, .data, detach/detach_, and the errors of common misuse (in-place writes into leaves
and saved tensors, implicit gradients, wrong gradients)."""

from __future__ import annotations

import pytest
from autograd_compare import leaf, same

import numtorch


# -- leaves, requires_grad, .grad, .data, detach --------------------------------------------------
def leaf_rules(lib):
    a = lib.ones(2)
    b = a * 2  # an op on tensors that need no grad makes a leaf
    x = leaf(lib, [1.0, 2.0])
    with lib.no_grad():
        c = x * 2
    d = x * 2
    d.requires_grad_()  # allowed on a non-leaf: it already requires grad
    return (b.is_leaf, b.requires_grad, b.grad_fn, c.is_leaf, c.requires_grad, d.is_leaf,
            x.is_leaf, b.requires_grad_().is_leaf)


def non_leaf_requires_grad_false(lib):
    (leaf(lib, [1.0]) * 2).requires_grad_(False)


def non_leaf_requires_grad_setter(lib):
    (leaf(lib, [1.0]) * 2).requires_grad = False


def grad_setter_float(lib):
    leaf(lib, [1.0, 2.0]).grad = 0.0


def grad_setter_shape(lib):
    leaf(lib, [[1.0, 2.0, 3.0]] * 2).grad = lib.ones(3, 2)


@pytest.mark.parametrize("dtype", ["float64", "float16", "int64", "int32", "int8", "uint8",
                                   "bool"])
def test_grad_setter_dtype_matches_torch(dtype):
    def assign(lib):
        leaf(lib, [1.0, 2.0]).grad = lib.ones(2, dtype=getattr(lib, dtype))
    same(assign)


def grad_setter_self(lib):
    x = leaf(lib, [1.0])
    x.grad = x


def grad_setter_ok(lib):
    x = leaf(lib, [1.0, 2.0])
    x.grad = lib.tensor([3.0, 4.0])
    kept = x.grad
    del x.grad
    y = leaf(lib, [1.0]) * 2
    y.grad = lib.ones(1)  # a non-leaf's grad can be set; reading it then does not warn
    return kept, x.grad, y.grad


def detach_shares(lib):
    x = leaf(lib, [1.0, 2.0])
    d = x.detach()
    with lib.no_grad():
        d.add_(1)
    return x, x._version, d._version, d.requires_grad, d.is_leaf, d.grad_fn


def data_shares_memory_not_version(lib):
    x = leaf(lib, [1.0, 2.0])
    d = x.data
    d.add_(1)
    return x, x._version, d._version, d.requires_grad


def data_setter(lib):
    x = leaf(lib, [1.0, 2.0])
    x.data = lib.zeros(3, dtype=lib.float64)
    return x, x.requires_grad


def data_setter_wrong_type(lib):
    leaf(lib, [1.0]).data = [1.0]


def detach_in_place(lib):
    x = leaf(lib, [1.0, 2.0])
    y = x * 2
    same_object = y.detach_() is y
    return same_object, y.requires_grad, y.is_leaf, y.grad_fn


def detach_in_place_view(lib):
    (leaf(lib, [1.0, 2.0]) * 2).view(2).detach_()


@pytest.mark.parametrize("scenario", [
    leaf_rules, non_leaf_requires_grad_false, non_leaf_requires_grad_setter, grad_setter_float,
    grad_setter_shape, grad_setter_self, grad_setter_ok, detach_shares,
    data_shares_memory_not_version, data_setter, data_setter_wrong_type, detach_in_place,
    detach_in_place_view])
def test_tensor_autograd_state_matches_torch(scenario):
    same(scenario)


def test_non_leaf_grad_warns_and_is_none():
    x = numtorch.ones(2, requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert y.grad is None
    y.retain_grad()
    assert y.grad is None  # no warning once retained


def test_detach_and_data_share_memory():
    x = numtorch.ones(3, requires_grad=True)
    d, data = x.detach(), x.data
    assert d.data_ptr() == x.data_ptr() == data.data_ptr()
    assert d._vc is x._vc and data._vc is not x._vc


# -- misuse errors -------------------------------------------------------------------------------
def implicit_non_scalar(lib):
    (leaf(lib, [1.0, 2.0]) * 2).backward()


def implicit_non_scalar_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    lib.autograd.grad(x * 2, x)


def in_place_on_leaf(lib):
    leaf(lib, [1.0, 2.0]).add_(1)


def in_place_on_view_of_leaf(lib):
    leaf(lib, [[1.0, 2.0]]).view(2).mul_(2)


def in_place_on_leaf_under_no_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    with lib.no_grad():
        x -= 0.5 * lib.ones(2)
    return x, x.is_leaf, x.requires_grad, x._version


def saved_output_modified(lib):
    x = leaf(lib, [1.0, 2.0, 3.0])
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def saved_input_modified(lib):
    x = leaf(lib, [1.0, 2.0, 3.0], lib.float64)
    y = x * 2
    z = y * y
    y.mul_(2)
    y.mul_(2)
    z.sum().backward()


def saved_plain_tensor_modified(lib):
    x, w = leaf(lib, [1.0, 2.0, 3.0]), lib.ones(3)
    z = x * w
    w.add_(1)
    z.sum().backward()


def unsaved_tensor_modified(lib):
    x = leaf(lib, [1.0, 2.0])
    y = x * 2
    z = y + 1  # add saves nothing: modifying y afterwards is fine
    y.add_(1)
    z.sum().backward()
    return x.grad


def int_requires_grad_method(lib):
    lib.ones(3, dtype=lib.int64).requires_grad_()


def bool_requires_grad_setter(lib):
    lib.ones(3, dtype=lib.bool).requires_grad = True


def numpy_of_requires_grad(lib):
    leaf(lib, [1.0]).numpy()


def item_of_many(lib):
    lib.ones(3, 4).item()


def backward_without_grad(lib):
    x = leaf(lib, [1.0])
    with lib.no_grad():
        y = (x * 2).sum()
    y.backward()


def backward_second_root_without_grad(lib):
    lib.autograd.backward([leaf(lib, [1.0]).sum(), lib.ones(2).sum()])


def backward_integer_output(lib):
    ((leaf(lib, [1.0, -1.0]) > 0).sum()).backward()


def wrong_gradient_shape(lib):
    (leaf(lib, [1.0, 2.0, 3.0]) * 2).backward(lib.ones(1, 3))


def gradient_not_a_tensor(lib):
    lib.autograd.backward([leaf(lib, [1.0]).sum()], [2.0])


def fewer_gradients(lib):
    x = leaf(lib, [1.0])
    lib.autograd.backward([x.sum(), (x * 2).sum()], [lib.tensor(1.0)])


@pytest.mark.parametrize("scenario", [
    implicit_non_scalar, implicit_non_scalar_grad, in_place_on_leaf, in_place_on_view_of_leaf,
    in_place_on_leaf_under_no_grad, saved_output_modified, saved_input_modified,
    saved_plain_tensor_modified, unsaved_tensor_modified, int_requires_grad_method,
    bool_requires_grad_setter, numpy_of_requires_grad, item_of_many, backward_without_grad,
    backward_second_root_without_grad, backward_integer_output, wrong_gradient_shape,
    gradient_not_a_tensor, fewer_gradients])
def test_misuse_errors_match_torch(scenario):
    same(scenario)
