"""Convolution layers against torch: functional grids (values and input/weight/bias gradients),
random configurations, modules (repr, parameters, init, padding modes), errors, the
once-differentiable backward, and a LeNet training step."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from autograd_compare import same
from conftest import require_torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nn_compare import compare_module

import numtorch

TOL = {"float32": dict(rtol=1e-4, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-10)}


def _run(lib, fn, arrays, grad_seed=1):
    """fn(F, *tensors) in ``lib``: the output and the gradients of every input through a
    random upstream gradient."""
    xs = [lib.from_numpy(a.copy()).requires_grad_() for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # padding='same' with an even kernel
        out = fn(lib.nn.functional, *xs)
    upstream = np.random.default_rng(grad_seed).standard_normal(tuple(out.shape))
    out.backward(lib.from_numpy(upstream.astype(arrays[0].dtype)))
    return out, [x.grad for x in xs]


def _check(fn, arrays, dtype):
    torch = require_torch()
    ours, ours_grads = _run(numtorch, fn, arrays)
    theirs, their_grads = _run(torch, fn, arrays)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.grad_fn.name() == theirs.grad_fn.name()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), **TOL[dtype])
    for k, (a, b) in enumerate(zip(ours_grads, their_grads)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), err_msg=f"grad {k}", **TOL[dtype])


def _arrays(shapes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


# -- functional grids --------------------------------------------------------------------------
CONV2D_GRID = [
    (stride, padding, dilation, groups, batch, dtype)
    for stride, padding, dilation, groups, batch, dtype in itertools.product(
        [1, 2, (2, 1)], [0, 1, (2, 0), "same", "valid"], [1, 2], [1, 2], [2, 1, None],
        ["float32", "float64"])
    if not (padding == "same" and stride != 1)]


@pytest.mark.parametrize(("stride", "padding", "dilation", "groups", "batch", "dtype"),
                         CONV2D_GRID)
def test_conv2d_grid(stride, padding, dilation, groups, batch, dtype):
    lead = () if batch is None else (batch,)
    arrays = _arrays([lead + (4, 7, 9), (6, 4 // groups, 3, 2), (6,)], dtype)
    _check(lambda F, x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), arrays,
           dtype)


@pytest.mark.parametrize(("stride", "padding", "dilation", "groups"), list(itertools.product(
    [1, 3], [0, 2, "same"], [1, 2], [1, 3]))[:20])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_conv1d_grid(stride, padding, dilation, groups, dtype):
    if padding == "same" and stride != 1:
        pytest.skip("same padding needs stride 1")
    arrays = _arrays([(2, 6, 11), (3, 6 // groups, 4), (3,)], dtype)
    _check(lambda F, x, w, b: F.conv1d(x, w, b, stride, padding, dilation, groups), arrays,
           dtype)


CONV_T_GRID = [
    (stride, padding, output_padding, dilation, groups, batch)
    for stride, padding, output_padding, dilation, groups, batch in itertools.product(
        [1, 2, (3, 1)], [0, 1, (2, 1)], [0, 1], [1, 2], [1, 2], [2, None])
    if all(o < s or o < d for o, s, d in zip(
        np.broadcast_to(output_padding, 2), np.broadcast_to(stride, 2),
        np.broadcast_to(dilation, 2)))]


@pytest.mark.parametrize(("stride", "padding", "output_padding", "dilation", "groups", "batch"),
                         CONV_T_GRID)
def test_conv_transpose2d_grid(stride, padding, output_padding, dilation, groups, batch):
    lead = () if batch is None else (batch,)
    arrays = _arrays([lead + (4, 5, 6), (4, 6 // groups, 3, 2), (6,)], "float32")
    _check(lambda F, x, w, b: F.conv_transpose2d(x, w, b, stride, padding, output_padding,
                                                 groups, dilation), arrays, "float32")


@pytest.mark.parametrize("width", [15, 16, 23])
def test_wide_and_narrow_images(width):
    """The input gradient is scattered batch-last for short rows and directly otherwise."""
    _check(lambda F, x, w, b: F.conv2d(x, w, b, 1, 1, 1, 2),
           _arrays([(3, 4, 6, width + 2), (6, 2, 3, 3), (6,)], "float64"), "float64")
    _check(lambda F, x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1, 2),
           _arrays([(3, 4, 5, width), (4, 3, 3, 3), (6,)], "float64"), "float64")


DEPTHWISE_GRID = list(itertools.product([1, 2], [0, 1, "same"], [1, 2], [1, 2]))


@pytest.mark.parametrize(("stride", "padding", "dilation", "multiplier"),
                         [c for c in DEPTHWISE_GRID if not (c[1] == "same" and c[0] != 1)])
def test_depthwise_conv2d(stride, padding, dilation, multiplier):
    """groups == in_channels runs as a loop over the kernel taps (NOTE [ Three convolution
    layouts ]), with a channel multiplier out_channels / in_channels of 1 or 2."""
    arrays = _arrays([(3, 4, 9, 8), (4 * multiplier, 1, 3, 3), (4 * multiplier,)], "float32")
    _check(lambda F, x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups=4), arrays,
           "float32")


def test_depthwise_conv1d_and_3d():
    _check(lambda F, x, w: F.conv1d(x, w, None, 2, 1, 1, 3),
           _arrays([(2, 3, 9), (3, 1, 4)], "float64"), "float64")
    _check(lambda F, x, w, b: F.conv3d(x, w, b, 1, (1, 0, 1), 1, 2),
           _arrays([(2, 2, 4, 5, 4), (4, 1, 2, 3, 2), (4,)], "float64"), "float64")


@pytest.mark.parametrize(("shape", "weight", "groups"), [
    ((5, 3, 6, 30), (4, 3, 3, 3), 1),   # wide rows: columns per sample
    ((5, 4, 9, 9), (6, 2, 3, 3), 2),    # narrow rows, a batch: batch-last columns
    ((1, 4, 9, 9), (6, 2, 3, 3), 2),    # narrow rows, one sample: columns per sample
    ((4, 6, 20, 20), (6, 1, 3, 3), 6)])  # depthwise: the tap loop
@pytest.mark.parametrize("frozen", ["input", "weight", "none"])
def test_every_layout_with_partial_gradients(shape, weight, groups, frozen):
    """Each layout computes only the gradients asked for, and a second backward through a
    retained graph gives the same gradients (the saved columns are not overwritten)."""
    torch = require_torch()
    arrays = _arrays([shape, weight, (weight[0],)], "float32")
    results = []
    for lib in (numtorch, torch):
        x, w, b = (lib.from_numpy(a.copy()) for a in arrays)
        for t, name in ((x, "input"), (w, "weight"), (b, "bias")):
            t.requires_grad_(name != frozen)
        out = lib.nn.functional.conv2d(x, w, b, padding=1, groups=groups)
        upstream = lib.from_numpy(_arrays([tuple(out.shape)], "float32", 7)[0])
        out.backward(upstream, retain_graph=True)
        first = [None if t.grad is None else t.grad.numpy().copy() for t in (x, w, b)]
        for t in (x, w, b):
            t.grad = None
        out.backward(upstream)
        second = [None if t.grad is None else t.grad.numpy().copy() for t in (x, w, b)]
        results.append((out.detach().numpy(), first, second))
    (ours, first, second), (theirs, their_first, _) = results
    np.testing.assert_allclose(ours, theirs, **TOL["float32"])
    for a, b, c in zip(first, second, their_first):
        assert (a is None) == (c is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)
            np.testing.assert_allclose(a, c, **TOL["float32"])


def test_conv_transpose1d_and_3d():
    _check(lambda F, x, w: F.conv_transpose1d(x, w, None, 2, 1, 1, 1, 2),
           _arrays([(2, 3, 6), (3, 2, 3)], "float64"), "float64")
    _check(lambda F, x, w, b: F.conv_transpose3d(x, w, b, (1, 2, 1), 1),
           _arrays([(1, 2, 3, 3, 2), (2, 2, 2, 3, 2), (2,)], "float64"), "float64")


def test_conv3d():
    _check(lambda F, x, w, b: F.conv3d(x, w, b, 2, 1, (1, 2, 1), 2),
           _arrays([(2, 4, 5, 6, 5), (2, 2, 3, 2, 2), (2,)], "float64"), "float64")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_conv2d_random_configurations(data):
    """hypothesis over the whole argument space: sizes, strides, paddings, dilations, groups."""
    groups = data.draw(st.sampled_from([1, 2, 3]))
    cin, cout = groups * data.draw(st.integers(1, 3)), groups * data.draw(st.integers(1, 3))
    kernel = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    dilation = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    padding = data.draw(st.one_of(st.just("same"), st.just("valid"),
                                  st.tuples(st.integers(0, 3), st.integers(0, 3))))
    stride = (1, 1) if padding == "same" else (data.draw(st.integers(1, 3)),
                                               data.draw(st.integers(1, 3)))
    pads = (0, 0) if isinstance(padding, str) else padding
    lows = [1 if padding == "same" else max(1, d * (k - 1) + 1 - 2 * p)
            for k, d, p in zip(kernel, dilation, pads)]
    size = [data.draw(st.integers(low, low + 6)) for low in lows]
    batch = data.draw(st.sampled_from([(), (1,), (3,)]))
    dtype = data.draw(st.sampled_from(["float32", "float64"]))
    arrays = _arrays([batch + (cin, *size), (cout, cin // groups, *kernel), (cout,)], dtype,
                     data.draw(st.integers(0, 2 ** 16)))
    _check(lambda F, x, w, b: F.conv2d(x, w, b, stride, padding, dilation, groups), arrays,
           dtype)


def test_gradcheck_float64():
    F = numtorch.nn.functional
    rng = np.random.default_rng(5)

    def leaf(*shape):
        return numtorch.from_numpy(rng.standard_normal(shape)).requires_grad_()

    assert numtorch.autograd.gradcheck(
        lambda x, w, b: F.conv2d(x, w, b, (2, 1), (1, 2), (1, 2), 2),
        (leaf(2, 4, 5, 5), leaf(2, 2, 2, 2), leaf(2)))
    assert numtorch.autograd.gradcheck(
        lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, (1, 0), 2, (1, 2)),
        (leaf(1, 4, 3, 3), leaf(4, 1, 3, 2), leaf(2)))
    assert numtorch.autograd.gradcheck(lambda x, w: F.conv1d(x, w, None, 1, "same", 2),
                                       (leaf(2, 2, 5), leaf(3, 2, 3)))


def test_int64_forward_matches_torch():
    same(lambda lib: lib.nn.functional.conv2d(
        lib.arange(2 * 3 * 5 * 5).reshape(2, 3, 5, 5), lib.ones(4, 3, 2, 2, dtype=lib.int64),
        stride=2))


def test_empty_batch():
    same(lambda lib: lib.nn.functional.conv2d(lib.ones(0, 3, 5, 5), lib.ones(2, 3, 3, 3)))


def test_same_even_kernel_warns_like_torch():
    x, w = numtorch.ones(1, 1, 5, 5), numtorch.ones(1, 1, 4, 4)
    with pytest.warns(UserWarning, match="even kernel lengths and odd dilation"):
        out = numtorch.nn.functional.conv2d(x, w, padding="same")
    assert out.shape == (1, 1, 5, 5)


def test_output_is_contiguous_and_views_work():
    x = numtorch.randn(2, 3, 8, 8)
    out = numtorch.nn.Conv2d(3, 4, 3, stride=2)(x)
    assert out.is_contiguous()
    assert out.view(2, -1).shape == (2, 36)


# -- errors ------------------------------------------------------------------------------------
ERRORS = {
    "input_2d": lambda F, lib: F.conv2d(lib.ones(2, 3), lib.ones(4, 3, 3, 3)),
    "input_5d": lambda F, lib: F.conv2d(lib.ones(1, 2, 3, 8, 8), lib.ones(4, 3, 3, 3)),
    "channels": lambda F, lib: F.conv2d(lib.ones(2, 5, 8, 8), lib.ones(4, 3, 3, 3)),
    "channels_unbatched": lambda F, lib: F.conv2d(lib.ones(5, 8, 8), lib.ones(4, 3, 3, 3)),
    "channels_groups": lambda F, lib: F.conv2d(lib.ones(2, 6, 8, 8), lib.ones(4, 2, 3, 3),
                                               groups=2),
    "groups_weight": lambda F, lib: F.conv2d(lib.ones(2, 6, 8, 8), lib.ones(4, 3, 3, 3),
                                             groups=3),
    "kernel_too_big": lambda F, lib: F.conv2d(lib.ones(2, 3, 2, 2), lib.ones(4, 3, 3, 3)),
    "kernel_too_big_dilated": lambda F, lib: F.conv2d(lib.ones(2, 3, 4, 4),
                                                      lib.ones(4, 3, 3, 3), dilation=2),
    "kernel_too_big_1d": lambda F, lib: F.conv1d(lib.ones(2, 3, 2), lib.ones(4, 3, 3)),
    "weight_3d": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3)),
    "weight_2d": lambda F, lib: F.conv1d(lib.ones(2, 3, 8), lib.ones(4, 3)),
    "padding_length": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                              padding=(1, 1, 1)),
    "bias_size": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                         lib.ones(5)),
    "bias_2d": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                       lib.ones(4, 1)),
    "stride_0": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3), stride=0),
    "negative_padding": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                                padding=-1),
    "dilation_0": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                          dilation=0),
    "groups_0": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3), groups=0),
    "same_strided": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                            padding="same", stride=2),
    "bad_padding_string": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                                  padding="foo"),
    "dtype_double_float": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8, dtype=lib.float64),
                                                  lib.ones(4, 3, 3, 3)),
    "dtype_float_double": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8),
                                                  lib.ones(4, 3, 3, 3, dtype=lib.float64)),
    "dtype_bias": lambda F, lib: F.conv2d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3, 3),
                                          lib.ones(4, dtype=lib.float64)),
    "conv1d_4d": lambda F, lib: F.conv1d(lib.ones(2, 3, 8, 8), lib.ones(4, 3, 3)),
    "transpose_input_2d": lambda F, lib: F.conv_transpose2d(lib.ones(2, 3), lib.ones(3, 4, 3, 3)),
    "transpose_channels": lambda F, lib: F.conv_transpose2d(lib.ones(2, 3, 8, 8),
                                                            lib.ones(4, 4, 3, 3)),
    "transpose_output_padding": lambda F, lib: F.conv_transpose2d(
        lib.ones(2, 3, 8, 8), lib.ones(3, 4, 3, 3), stride=2, output_padding=2),
    "transpose_output_padding_1d": lambda F, lib: F.conv_transpose1d(
        lib.ones(2, 3, 8), lib.ones(3, 4, 3), output_padding=1),
    "transpose_output_padding_3d": lambda F, lib: F.conv_transpose3d(
        lib.ones(2, 3, 4, 4, 4), lib.ones(3, 4, 3, 3, 3), output_padding=1),
    "transpose_bias": lambda F, lib: F.conv_transpose2d(lib.ones(2, 3, 8, 8),
                                                        lib.ones(3, 4, 3, 3), lib.ones(3)),
    "transpose_groups": lambda F, lib: F.conv_transpose2d(lib.ones(2, 5, 8, 8),
                                                          lib.ones(5, 2, 3, 3), groups=2),
    "transpose_negative_output_padding": lambda F, lib: F.conv_transpose2d(
        lib.ones(2, 3, 8, 8), lib.ones(3, 4, 3, 3), output_padding=-1),
    "unfold_5d": lambda F, lib: F.unfold(lib.ones(1, 1, 2, 8, 8), 3),
    "unfold_too_big": lambda F, lib: F.unfold(lib.ones(1, 1, 2, 2), 3),
    "unfold_kernel_3": lambda F, lib: F.unfold(lib.ones(1, 1, 8, 8), (3, 3, 3)),
    "unfold_stride_0": lambda F, lib: F.unfold(lib.ones(1, 1, 8, 8), 3, stride=0),
    "unfold_dilation_0": lambda F, lib: F.unfold(lib.ones(1, 1, 8, 8), 3, dilation=0),
    "unfold_negative_padding": lambda F, lib: F.unfold(lib.ones(1, 1, 8, 8), 3, padding=-1),
    "unfold_int": lambda F, lib: F.unfold(lib.ones(1, 1, 4, 4, dtype=lib.int64), 2),
    "fold_4d": lambda F, lib: F.fold(lib.ones(1, 1, 8, 4), (3, 3), 2),
    "fold_rows": lambda F, lib: F.fold(lib.ones(1, 10, 4), (3, 3), 2),
    "fold_blocks": lambda F, lib: F.fold(lib.ones(1, 8, 5), (3, 3), 2),
    "fold_kernel_0": lambda F, lib: F.fold(lib.ones(1, 9, 4), 4, 0),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name):
    same(lambda lib: ERRORS[name](lib.nn.functional, lib))


MODULE_ERRORS = {
    "groups_in": lambda lib: lib.nn.Conv2d(3, 4, 3, groups=2),
    "groups_out": lambda lib: lib.nn.Conv2d(4, 3, 3, groups=2),
    "groups_0": lambda lib: lib.nn.Conv2d(3, 4, 3, groups=0),
    "same_strided": lambda lib: lib.nn.Conv2d(3, 4, 3, padding="same", stride=2),
    "transpose_padding_mode": lambda lib: lib.nn.ConvTranspose2d(3, 4, 3,
                                                                 padding_mode="reflect"),
    "forward_2d": lambda lib: lib.nn.Conv2d(3, 4, 3)(lib.ones(2, 3)),
    "conv1d_forward_4d": lambda lib: lib.nn.Conv1d(3, 4, 3)(lib.ones(2, 3, 4, 5)),
    "transpose_forward_channels": lambda lib: lib.nn.ConvTranspose2d(3, 4, 3)(
        lib.ones(2, 5, 8, 8)),
}


@pytest.mark.parametrize("name", list(MODULE_ERRORS))
def test_module_errors_match_torch(name):
    same(MODULE_ERRORS[name])


def test_invalid_strings_in_module():
    # torch prints these choices from a set, in an order that changes between runs
    with pytest.raises(ValueError, match="Invalid padding string 'foo', should be one of"):
        numtorch.nn.Conv2d(3, 4, 3, padding="foo")
    with pytest.raises(ValueError, match="padding_mode must be one of .*, but got "
                                         "padding_mode='foo'"):
        numtorch.nn.Conv2d(3, 4, 3, padding_mode="foo")


# -- modules -----------------------------------------------------------------------------------
MODULES = {
    "conv2d": (lambda nn: nn.Conv2d(1, 32, 3), [((2, 1, 6, 7),), ((1, 5, 5),)]),
    "conv2d_all_arguments": (lambda nn: nn.Conv2d(4, 6, (3, 2), 2, 1, (2, 1), 2, False),
                             [((2, 4, 9, 8),)]),
    "conv2d_same": (lambda nn: nn.Conv2d(2, 3, 3, padding="same", dilation=2),
                    [((2, 2, 7, 6),)]),
    "conv2d_valid": (lambda nn: nn.Conv2d(2, 3, 3, padding="valid"), [((2, 2, 7, 6),)]),
    "conv2d_reflect": (lambda nn: nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect"),
                       [((2, 2, 6, 7),), ((2, 5, 5),)]),
    "conv2d_replicate": (lambda nn: nn.Conv2d(2, 3, 3, stride=2, padding=2,
                                              padding_mode="replicate"), [((2, 2, 6, 7),)]),
    "conv2d_circular": (lambda nn: nn.Conv2d(2, 3, (2, 3), padding=1,
                                             padding_mode="circular"), [((2, 2, 6, 7),)]),
    "conv2d_same_reflect": (lambda nn: nn.Conv2d(2, 3, 3, padding="same",
                                                 padding_mode="reflect"), [((2, 2, 6, 7),)]),
    "conv1d": (lambda nn: nn.Conv1d(2, 4, 3, 2, 1, 2, 2, False), [((2, 2, 11),), ((2, 7),)]),
    "conv1d_circular": (lambda nn: nn.Conv1d(2, 4, 3, padding=1, padding_mode="circular"),
                        [((2, 2, 8),)]),
    "conv3d": (lambda nn: nn.Conv3d(2, 2, 2, padding=1), [((1, 2, 3, 4, 3),)]),
    "conv_transpose2d": (lambda nn: nn.ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, False, 2),
                         [((2, 4, 5, 4),), ((4, 3, 3),)]),
    "conv_transpose1d": (lambda nn: nn.ConvTranspose1d(2, 4, 3), [((2, 2, 5),)]),
    "conv_transpose3d": (lambda nn: nn.ConvTranspose3d(2, 2, 2, stride=2), [((1, 2, 2, 3, 2),)]),
}


@pytest.mark.parametrize("name", list(MODULES))
def test_module_matches_torch(name):
    make, inputs = MODULES[name]
    compare_module(require_torch(), make, inputs)


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv2d(2, 4, 3, padding="same"), lambda nn: nn.ConvTranspose2d(3, 4, 3,
                                                                                padding="same"),
    lambda nn: nn.Conv2d(2, 4, 3, bias=False, padding_mode="circular"),
    lambda nn: nn.ConvTranspose1d(2, 4, (3,), stride=[2], output_padding=1),
    lambda nn: nn.Conv3d(2, 4, (1, 2, 3), dilation=(1, 1, 2))])
def test_repr_matches_torch(make):
    torch = require_torch()
    assert repr(make(numtorch.nn)) == repr(make(torch.nn))


def test_attributes_match_torch():
    torch = require_torch()
    for make in (lambda nn: nn.Conv2d(2, 4, 3, padding="same", dilation=2),
                 lambda nn: nn.Conv1d(2, 4, 3, padding=2, padding_mode="reflect"),
                 lambda nn: nn.ConvTranspose2d(2, 4, (3, 2), output_padding=(0, 1), stride=2)):
        ours, theirs = make(numtorch.nn), make(torch.nn)
        for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                     "dilation", "transposed", "output_padding", "groups", "padding_mode",
                     "_reversed_padding_repeated_twice"):
            assert getattr(ours, name) == getattr(theirs, name), name


@pytest.mark.parametrize("make", [lambda nn: nn.Conv2d(6, 16, 5),
                                  lambda nn: nn.ConvTranspose2d(8, 6, 3, groups=2)])
def test_default_init_bounds(make):
    numtorch.manual_seed(0)
    layer = make(numtorch.nn)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    fan_in = w.shape[1] * math.prod(w.shape[2:])
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) and torch's bias bound
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.15 * bound  # uniform, not a narrower law
    assert w.dtype == np.float32


def test_transpose_output_size():
    torch = require_torch()
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype("float32")
    ours, theirs = numtorch.nn.ConvTranspose2d(3, 2, 3, stride=2), torch.nn.ConvTranspose2d(
        3, 2, 3, stride=2)
    ours.load_state_dict({k: numtorch.from_numpy(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    for size in ((18, 18), (2, 2, 17, 18), [18, 17]):
        out, ref = ours(numtorch.from_numpy(x), size), theirs(torch.from_numpy(x), size)
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-5,
                                   atol=1e-6)
    same(lambda lib: lib.nn.ConvTranspose2d(3, 2, 3, stride=2)(lib.ones(2, 3, 8, 8), (20, 20)))
    same(lambda lib: lib.nn.ConvTranspose2d(3, 2, 3, stride=2)(lib.ones(2, 3, 8, 8), (1, 18)))


# -- autograd ----------------------------------------------------------------------------------
def test_unbatched_grad_fn_is_squeeze():
    x = numtorch.randn(3, 6, 6, requires_grad=True)
    assert numtorch.nn.functional.conv2d(x, numtorch.randn(2, 3, 3, 3)).grad_fn.name() == \
        "SqueezeBackward1"
    assert numtorch.nn.functional.conv2d(x[None], numtorch.randn(2, 3, 3, 3)).grad_fn.name() \
        == "ConvolutionBackward0"


def test_create_graph_first_order_works_second_order_raises():
    x = numtorch.randn(1, 2, 5, 5, requires_grad=True)
    w = numtorch.randn(3, 2, 3, 3, requires_grad=True)
    out = numtorch.nn.functional.conv2d(x, w)
    gx, gw = numtorch.autograd.grad(out.sum(), (x, w), create_graph=True)
    plain = numtorch.autograd.grad(numtorch.nn.functional.conv2d(x, w).sum(), (x, w))
    np.testing.assert_allclose(gx.detach().numpy(), plain[0].numpy())
    np.testing.assert_allclose(gw.detach().numpy(), plain[1].numpy())
    with pytest.raises(RuntimeError, match="convolution backward is not differentiable twice"):
        (gx * gx).sum().backward()


def test_column_buffers_are_never_shared_by_live_graphs():
    """NOTE [ Reusing the column buffer ]: a buffer goes back only once its graph is done."""
    torch = require_torch()
    arrays = _arrays([(2, 3, 6, 6), (2, 3, 6, 6), (4, 3, 3, 3)], "float32")
    for _ in range(2):  # the second round runs on reused buffers
        results = []
        for lib in (numtorch, torch):
            x1, x2, w = (lib.from_numpy(a.copy()).requires_grad_() for a in arrays)
            with lib.no_grad():
                lib.nn.functional.conv2d(x2, w)  # an inference forward in between
            out1 = lib.nn.functional.conv2d(x1, w)
            out2 = lib.nn.functional.conv2d(x2, w * 2)
            (out1 * out2).sum().backward()
            results.append([t.grad.numpy().copy() for t in (x1, x2, w)])
        for a, b in zip(*results):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


def test_backward_twice_needs_retain_graph():
    x = numtorch.randn(1, 2, 5, 5, requires_grad=True)
    out = numtorch.nn.Conv2d(2, 2, 3)(x).sum()
    out.backward(retain_graph=True)
    out.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second"):
        out.backward()


def test_in_place_change_of_input_is_detected():
    x = numtorch.randn(1, 2, 5, 5, requires_grad=True)
    h = x * 1
    out = numtorch.nn.functional.conv2d(h, numtorch.randn(2, 2, 3, 3, requires_grad=True))
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_lenet_training_step_matches_torch():
    """Same weights and data: the loss, every gradient and the updated weights agree."""
    torch = require_torch()

    def make(nn):
        return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                             nn.Linear(84, 10))

    ours, theirs = make(numtorch.nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: numtorch.from_numpy(v.numpy().copy()) for k, v in
                          theirs.state_dict().items()})
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((16, 1, 28, 28)).astype("float32"), rng.integers(0, 10, 16)
    results = []
    for lib, net in ((numtorch, ours), (torch, theirs)):
        opt = lib.optim.SGD(net.parameters(), lr=0.1)
        loss = lib.nn.functional.cross_entropy(net(lib.from_numpy(x)), lib.from_numpy(y))
        loss.backward()
        grads = [p.grad.numpy().copy() for p in net.parameters()]
        opt.step()
        results.append((loss.item(), grads, [p.detach().numpy() for p in net.parameters()]))
    (l1, g1, p1), (l2, g2, p2) = results
    assert abs(l1 - l2) < 1e-5
    for a, b in zip(g1 + p1, g2 + p2):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
