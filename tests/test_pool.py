"""Pooling, resizing, unfold/fold and padding against torch: values, gradients, indices,
module reprs, errors; second derivatives; the unfold/fold adjoint identities."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from autograd_compare import same
from conftest import require_torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nn_compare import compare_module

import numtorch

TOL = {"float32": dict(rtol=1e-5, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-12)}


def _run(lib, fn, array, grad_seed=1):
    x = lib.from_numpy(array.copy()).requires_grad_()
    out = fn(lib.nn.functional, x)
    values = out[0] if isinstance(out, tuple) else out
    upstream = np.random.default_rng(grad_seed).standard_normal(tuple(values.shape))
    values.backward(lib.from_numpy(upstream.astype(array.dtype)))
    return out, x.grad


def _check(fn, array, dtype=None, grad_fn=True, grads=True):
    torch = require_torch()
    dtype = dtype or str(array.dtype)
    ours, ours_grad = _run(numtorch, fn, array)
    theirs, their_grad = _run(torch, fn, array)
    pairs = list(zip(ours, theirs)) if isinstance(theirs, tuple) else [(ours, theirs)]
    for o, t in pairs:
        assert tuple(o.shape) == tuple(t.shape)
        assert str(o.dtype) == str(t.dtype)
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), **TOL[dtype])
    if grad_fn:
        assert pairs[0][0].grad_fn.name() == pairs[0][1].grad_fn.name()
    if grads:
        np.testing.assert_allclose(ours_grad.numpy(), their_grad.numpy(), **TOL[dtype])


def _array(shape, dtype="float32", seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# -- max pooling -------------------------------------------------------------------------------
MAX_GRID = [
    (k, s, p, d, ceil)
    for k, s, p, d, ceil in itertools.product([2, 3, (3, 2)], [None, 1, 2, (2, 3)], [0, 1],
                                              [1, 2], [False, True])
    if all(pp <= kk // 2 for pp, kk in zip(np.broadcast_to(p, 2), np.broadcast_to(k, 2)))]


@pytest.mark.parametrize(("kernel", "stride", "padding", "dilation", "ceil_mode"), MAX_GRID)
@pytest.mark.parametrize("lead", [(2, 3), (3,)])
def test_max_pool2d_grid_values_grads_and_indices(kernel, stride, padding, dilation, ceil_mode,
                                                  lead):
    _check(lambda F, x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, True),
           _array(lead + (9, 10)))


@pytest.mark.parametrize(("kernel", "stride", "padding", "dilation", "ceil_mode"),
                         [(2, None, 0, 1, False), (3, 2, 1, 1, True), (4, 3, 2, 2, True),
                          (3, 1, 1, 3, False)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_pool1d(kernel, stride, padding, dilation, ceil_mode, dtype):
    _check(lambda F, x: F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode, True),
           _array((2, 3, 13), dtype))
    _check(lambda F, x: F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode),
           _array((3, 13), dtype))


def test_max_pool3d():
    _check(lambda F, x: F.max_pool3d(x, (2, 3, 2), (1, 2, 2), (1, 1, 0), (1, 1, 2), True, True),
           _array((2, 2, 5, 6, 7), "float64"))


def test_max_pool_ties_nan_and_infinite_windows_like_torch():
    torch = require_torch()
    x = np.array([[[[2.0, 2.0, 1.0, 2.0], [np.nan, 0.0, np.nan, 5.0],
                    [-np.inf, -np.inf, 3.0, 3.0], [-np.inf, -np.inf, 3.0, np.nan]]]], "float32")
    for args in ((2,), ((1, 4),), (2, 1, 1), (3, 1, 1, 1, True)):
        ours = numtorch.nn.functional.max_pool2d(numtorch.from_numpy(x), *args,
                                                 return_indices=True)
        theirs = torch.nn.functional.max_pool2d(torch.from_numpy(x), *args, return_indices=True)
        np.testing.assert_array_equal(ours[0].numpy(), theirs[0].numpy())
        np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())


def test_infinities_flow_like_torch_without_warnings():
    torch = require_torch()
    x = _array((1, 2, 7, 9))
    x[0, 0, 2, 3], x[0, 1, 5, 8] = np.inf, -np.inf
    for fn in (lambda F, t: F.adaptive_avg_pool2d(t, (3, 4)),
               lambda F, t: F.interpolate(t, scale_factor=2, mode="bilinear"),
               lambda F, t: F.interpolate(t, size=(4, 5), mode="area"),
               lambda F, t: F.avg_pool2d(t, 3, 1, 1), lambda F, t: F.max_pool2d(t, 2),
               lambda F, t: F.conv2d(t, t.new_ones(2, 2, 3, 3))):
        ours = fn(numtorch.nn.functional, numtorch.from_numpy(x)).numpy()  # warnings are errors
        theirs = fn(torch.nn.functional, torch.from_numpy(x)).numpy()
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
        np.testing.assert_array_equal(np.isposinf(ours), np.isposinf(theirs))
        finite = np.isfinite(theirs)
        np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-5, atol=1e-5)


def test_max_pool_integer_input():
    same(lambda lib: lib.nn.functional.max_pool2d(
        lib.arange(2 * 3 * 5 * 5).reshape(2, 3, 5, 5) % 7, 2, 2, 1, return_indices=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_max_pool2d_random_configurations(data):
    kernel = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    stride = (data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)))
    dilation = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    padding = tuple(data.draw(st.integers(0, k // 2)) for k in kernel)
    size = tuple(data.draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 11))
                 for k, d, p in zip(kernel, dilation, padding))
    ceil_mode = data.draw(st.booleans())
    x = _array((2, 2) + size, seed=data.draw(st.integers(0, 2 ** 16)))
    _check(lambda F, t: F.max_pool2d(t, kernel, stride, padding, dilation, ceil_mode, True), x)


# -- average pooling ---------------------------------------------------------------------------
AVG_GRID = [
    (k, s, p, ceil, include, divisor)
    for k, s, p, ceil, include, divisor in itertools.product(
        [2, 3, (3, 2)], [None, 1, (2, 3)], [0, 1], [False, True], [True, False], [None, 5])
    if all(pp <= kk // 2 for pp, kk in zip(np.broadcast_to(p, 2), np.broadcast_to(k, 2)))]


@pytest.mark.parametrize(("kernel", "stride", "padding", "ceil_mode", "count_include_pad",
                          "divisor_override"), AVG_GRID)
def test_avg_pool2d_grid(kernel, stride, padding, ceil_mode, count_include_pad,
                         divisor_override):
    _check(lambda F, x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad,
                                     divisor_override), _array((2, 3, 9, 10)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_avg_pool1d_and_3d(dtype):
    _check(lambda F, x: F.avg_pool1d(x, 3, 2, 1, True, False), _array((2, 3, 10), dtype))
    _check(lambda F, x: F.avg_pool1d(x, 4), _array((3, 9), dtype))
    _check(lambda F, x: F.avg_pool3d(x, (2, 3, 2), 2, 1, True, False), _array((1, 2, 5, 6, 5),
                                                                               dtype))


def test_avg_pool_integer_input_rounds_toward_zero():
    same(lambda lib: lib.nn.functional.avg_pool2d(
        lib.arange(-20, 30).reshape(1, 2, 5, 5), 2, 2, 1))


# -- adaptive pooling --------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(3, 4), (1, 1), 5, (9, None), (None, 2), (2, 11)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_adaptive_pools_non_divisible(size, dtype):
    _check(lambda F, x: F.adaptive_avg_pool2d(x, size), _array((2, 3, 7, 9), dtype))
    _check(lambda F, x: F.adaptive_max_pool2d(x, size, True), _array((2, 3, 7, 9), dtype))
    _check(lambda F, x: F.adaptive_avg_pool2d(x, size), _array((3, 7, 9), dtype))
    _check(lambda F, x: F.adaptive_max_pool2d(x, size, True), _array((3, 7, 9), dtype))


@pytest.mark.parametrize("size", [1, 3, 4, 13])
def test_adaptive_pools_1d_and_3d(size):
    _check(lambda F, x: F.adaptive_avg_pool1d(x, size), _array((2, 3, 10)))
    _check(lambda F, x: F.adaptive_max_pool1d(x, size, True), _array((2, 3, 10)))
    _check(lambda F, x: F.adaptive_avg_pool3d(x, (2, size, 3)), _array((1, 2, 5, 7, 4)))
    _check(lambda F, x: F.adaptive_max_pool3d(x, (2, size, 3), True), _array((1, 2, 5, 7, 4)))


# -- interpolation -----------------------------------------------------------------------------
RESIZE_2D = [dict(size=(7, 3)), dict(size=5), dict(scale_factor=2), dict(scale_factor=0.5),
             dict(scale_factor=(1.7, 2.3)), dict(scale_factor=(0.6, 1.1)),
             dict(scale_factor=1.7, recompute_scale_factor=True), dict(size=(4, 5)),
             dict(scale_factor=2.1)]


@pytest.mark.parametrize("resize", RESIZE_2D, ids=str)
@pytest.mark.parametrize(("mode", "align_corners"), [
    ("nearest", None), ("nearest-exact", None), ("bilinear", False), ("bilinear", True),
    ("bicubic", False), ("bicubic", True), ("area", None)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_interpolate_2d(resize, mode, align_corners, dtype):
    _check(lambda F, x: F.interpolate(x, mode=mode, align_corners=align_corners, **resize),
           _array((2, 3, 4, 5), dtype), dtype)


@pytest.mark.parametrize("resize", [dict(size=9), dict(scale_factor=2.5), dict(size=3),
                                    dict(scale_factor=1.1), dict(scale_factor=2.1)], ids=str)
@pytest.mark.parametrize(("mode", "align_corners"), [
    ("nearest", None), ("nearest-exact", None), ("linear", False), ("linear", True),
    ("area", None)])
def test_interpolate_1d(resize, mode, align_corners):
    # torch's 1-D (and 3-D) nearest forward maps index i to floor(i / scale) even where the
    # size stays or doubles, but its backward then copies or halves: its gradient is not the
    # derivative of its output. numtorch matches the output and keeps the true gradient.
    torch_mismatch = mode == "nearest" and resize in (dict(scale_factor=1.1),
                                                      dict(scale_factor=2.1))
    _check(lambda F, x: F.interpolate(x, mode=mode, align_corners=align_corners, **resize),
           _array((2, 3, 5)), grads=not torch_mismatch)


@pytest.mark.parametrize(("mode", "align_corners"), [("nearest", None), ("trilinear", False),
                                                     ("trilinear", True), ("area", None)])
def test_interpolate_3d(mode, align_corners):
    _check(lambda F, x: F.interpolate(x, size=(3, 5, 2), mode=mode, align_corners=align_corners),
           _array((1, 2, 2, 3, 4)))
    _check(lambda F, x: F.interpolate(x, scale_factor=(1.5, 0.7, 2.5), mode=mode,
                                      align_corners=align_corners), _array((1, 2, 2, 3, 4)))
    # a kept or doubled size through a scale factor: see test_interpolate_1d
    _check(lambda F, x: F.interpolate(x, scale_factor=(1.1, 2.1, 1), mode=mode,
                                      align_corners=align_corners), _array((1, 2, 2, 3, 4)),
           grads=mode != "nearest")


def test_interpolate_nearest_uint8():
    same(lambda lib: lib.nn.functional.interpolate(
        lib.arange(24, dtype=lib.uint8).reshape(1, 2, 3, 4), scale_factor=(2, 1.5)))


def test_deprecated_upsample_functions_warn_and_match():
    torch = require_torch()
    x = _array((1, 2, 3, 4))
    for name, kwargs in (("upsample", dict(scale_factor=2, mode="bilinear")),
                         ("upsample_nearest", dict(size=(5, 7))),
                         ("upsample_bilinear", dict(scale_factor=2))):
        with pytest.warns(UserWarning, match=f"nn.functional.{name}` is deprecated"):
            ours = getattr(numtorch.nn.functional, name)(numtorch.from_numpy(x), **kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = getattr(torch.nn.functional, name)(torch.from_numpy(x), **kwargs)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


# -- unfold / fold / pad -----------------------------------------------------------------------
@pytest.mark.parametrize(("kernel", "dilation", "padding", "stride"), [
    (2, 1, 0, 1), (3, 1, 1, 1), ((2, 3), (1, 2), (1, 0), (2, 1)), (3, 2, 2, 3), (1, 1, 0, 2)])
def test_unfold_fold_match_torch(kernel, dilation, padding, stride):
    x = _array((2, 3, 7, 8))
    _check(lambda F, t: F.unfold(t, kernel, dilation, padding, stride), x)
    _check(lambda F, t: F.unfold(t, kernel, dilation, padding, stride), x[0])
    cols = numtorch.nn.functional.unfold(numtorch.from_numpy(x), kernel, dilation, padding,
                                         stride)
    _check(lambda F, t: F.fold(t, (7, 8), kernel, dilation, padding, stride), cols.numpy())
    _check(lambda F, t: F.fold(t, (7, 8), kernel, dilation, padding, stride), cols[0].numpy())


def test_fold_of_unfold_counts_overlaps_and_they_are_adjoint():
    F = numtorch.nn.functional
    rng = np.random.default_rng(0)
    x = numtorch.from_numpy(rng.standard_normal((2, 3, 6, 7)))
    args = dict(kernel_size=(3, 2), dilation=(1, 2), padding=1, stride=(1, 2))
    cols = F.unfold(x, **args)
    # round trip: every pixel comes back once per block that read it
    counts = F.fold(F.unfold(numtorch.ones_like(x), **args), (6, 7), **args)
    np.testing.assert_allclose(F.fold(cols, (6, 7), **args).numpy(), (x * counts).numpy())
    # <unfold(x), y> == <x, fold(y)>
    y = numtorch.from_numpy(rng.standard_normal(tuple(cols.shape)))
    assert np.isclose((cols * y).sum().item(), (x * F.fold(y, (6, 7), **args)).sum().item())
    # a 1x1 kernel is a reshape that must not alias the input
    flat = F.unfold(x, 1)
    flat.zero_()
    assert x.abs().sum().item() > 0


@pytest.mark.parametrize(("pad", "mode", "shape"), [
    ((1, 2), "constant", (2, 3, 5)), ((2, 1, 1, 2), "reflect", (2, 3, 5, 4)),
    ((1, 1), "reflect", (3, 5)), ((3, 1, 0, 2), "replicate", (2, 3, 4, 5)),
    ((2, 2, 1, 1, 1, 0), "replicate", (1, 2, 3, 4, 5)), ((1, 2, 2, 1), "circular", (2, 3, 4, 5)),
    ((1, 1, 1, 1, 1, 1), "circular", (1, 2, 3, 4, 5)), ((1, 2, 1, 1, 2, 0), "reflect",
                                                         (2, 3, 4, 4))])
def test_pad_modes(pad, mode, shape):
    # numtorch pads by index_select, so its grad_fn is not torch's Reflection/Replication
    _check(lambda F, x: F.pad(x, pad, mode), _array(shape, "float64"), grad_fn=False)


@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, 2), lambda F, x: F.avg_pool2d(x, 3, 1, 1),
    lambda F, x: F.adaptive_avg_pool2d(x, 3), lambda F, x: F.adaptive_max_pool2d(x, 3),
    lambda F, x: F.interpolate(x, scale_factor=2, mode="bilinear"),
    lambda F, x: F.unfold(x, 2), lambda F, x: F.max_pool1d(x[:, :, 0], 2),
    lambda F, x: F.conv_transpose2d(x, x.new_ones(3, 2, 2, 2))])
def test_empty_batch(fn):
    def run(lib):
        x = lib.ones(0, 3, 4, 4, requires_grad=True)
        out = fn(lib.nn.functional, x)
        out.sum().backward()
        return out, x.grad

    same(run)


def test_only_the_batch_may_be_empty():
    same(lambda lib: lib.nn.functional.max_pool2d(lib.ones(2, 0, 4, 4), 2))
    same(lambda lib: lib.nn.functional.max_pool2d(lib.ones(2, 3, 0, 4), 2))


# -- second derivatives ------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [
    lambda F, x: F.max_pool2d(x, 3, 2, 1), lambda F, x: F.avg_pool2d(x, 3, 2, 1, True, False),
    lambda F, x: F.adaptive_avg_pool2d(x, (2, 3)), lambda F, x: F.adaptive_max_pool2d(x, 2),
    lambda F, x: F.interpolate(x, scale_factor=1.5, mode="bilinear"),
    lambda F, x: F.interpolate(x, size=(3, 7), mode="bicubic", align_corners=True),
    lambda F, x: F.unfold(x, 2, padding=1), lambda F, x: F.max_pool1d(x[0], 2)])
def test_gradgradcheck(fn):
    x = numtorch.from_numpy(_array((1, 2, 4, 5), "float64", 3)).requires_grad_()
    F = numtorch.nn.functional
    assert numtorch.autograd.gradcheck(lambda t: fn(F, t), (x,))
    assert numtorch.autograd.gradgradcheck(lambda t: fn(F, t), (x,))


def test_double_backward_grad_fn_names():
    x = numtorch.randn(1, 1, 4, 4, requires_grad=True)
    for fn, name in ((lambda t: numtorch.nn.functional.max_pool2d(t, 2),
                      "MaxPool2DWithIndicesBackwardBackward0"),
                     (lambda t: numtorch.nn.functional.avg_pool2d(t, 2),
                      "AvgPool2DBackwardBackward0"),
                     (lambda t: numtorch.nn.functional.interpolate(t, scale_factor=2),
                      "UpsampleNearest2DBackwardBackward0")):
        out = fn(x)
        (g,) = numtorch.autograd.grad((out * out).sum(), x, create_graph=True)
        assert g.grad_fn.name() == name


# -- modules -----------------------------------------------------------------------------------
MODULES = {
    "max_pool2d": (lambda nn: nn.MaxPool2d(2), [((2, 3, 6, 7),), ((3, 5, 5),)]),
    "max_pool2d_all": (lambda nn: nn.MaxPool2d(3, 1, 1, 2, False, True), [((2, 2, 7, 6),)]),
    "max_pool2d_tuple": (lambda nn: nn.MaxPool2d((2, 3)), [((2, 2, 6, 7),)]),
    "max_pool2d_indices": (lambda nn: nn.MaxPool2d(2, return_indices=True), [((1, 2, 4, 4),)]),
    "max_pool1d": (lambda nn: nn.MaxPool1d(3, 2, 1), [((2, 3, 9),)]),
    "max_pool3d": (lambda nn: nn.MaxPool3d(2), [((1, 2, 4, 4, 4),)]),
    "avg_pool2d": (lambda nn: nn.AvgPool2d(2), [((2, 3, 6, 7),)]),
    "avg_pool2d_all": (lambda nn: nn.AvgPool2d(3, 2, 1, True, False, 4), [((2, 2, 7, 6),)]),
    "avg_pool1d": (lambda nn: nn.AvgPool1d(3, 2, 1), [((2, 3, 9),)]),
    "avg_pool3d": (lambda nn: nn.AvgPool3d(2, 1), [((1, 2, 3, 4, 3),)]),
    "adaptive_avg_pool2d": (lambda nn: nn.AdaptiveAvgPool2d((5, 7)), [((2, 3, 9, 8),)]),
    "adaptive_avg_pool2d_one": (lambda nn: nn.AdaptiveAvgPool2d(1), [((2, 3, 9, 8),)]),
    "adaptive_max_pool2d": (lambda nn: nn.AdaptiveMaxPool2d((2, None)), [((2, 3, 9, 8),)]),
    "adaptive_max_pool2d_indices": (lambda nn: nn.AdaptiveMaxPool2d(3, return_indices=True),
                                    [((2, 3, 7, 8),)]),
    "adaptive_avg_pool1d": (lambda nn: nn.AdaptiveAvgPool1d(3), [((2, 3, 7),)]),
    "adaptive_max_pool1d": (lambda nn: nn.AdaptiveMaxPool1d(3), [((2, 3, 7),)]),
    "adaptive_avg_pool3d": (lambda nn: nn.AdaptiveAvgPool3d((2, 3, 2)), [((1, 2, 5, 4, 3),)]),
    "adaptive_max_pool3d": (lambda nn: nn.AdaptiveMaxPool3d(2), [((1, 2, 5, 4, 3),)]),
    "upsample": (lambda nn: nn.Upsample(scale_factor=2), [((2, 3, 4, 5),)]),
    "upsample_bilinear": (lambda nn: nn.Upsample(size=(4, 7), mode="bilinear"),
                          [((2, 3, 5, 5),)]),
    "upsample_bilinear_corners": (lambda nn: nn.Upsample(scale_factor=(2, 1.5), mode="bilinear",
                                                         align_corners=True), [((1, 2, 3, 4),)]),
    "upsample_linear": (lambda nn: nn.Upsample(scale_factor=3, mode="linear"), [((2, 3, 4),)]),
    "upsampling_nearest2d": (lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
                             [((2, 3, 4, 5),)]),
    "upsampling_bilinear2d": (lambda nn: nn.UpsamplingBilinear2d(size=4), [((2, 3, 3, 5),)]),
    "unfold": (lambda nn: nn.Unfold((2, 3), 1, 1, 2), [((2, 3, 6, 7),)]),
    "fold": (lambda nn: nn.Fold((4, 5), 2), [((2, 8, 12),)]),
}


@pytest.mark.parametrize("name", list(MODULES))
def test_module_matches_torch(name):
    make, inputs = MODULES[name]
    compare_module(require_torch(), make, inputs)


def test_pool_module_attributes_match_torch():
    torch = require_torch()
    pairs = [(lambda nn: nn.MaxPool2d(3), ("kernel_size", "stride", "padding", "dilation",
                                           "return_indices", "ceil_mode")),
             (lambda nn: nn.AvgPool1d(3, 2), ("kernel_size", "stride", "padding", "ceil_mode",
                                              "count_include_pad")),
             (lambda nn: nn.AvgPool2d(3, None, 1), ("kernel_size", "stride", "padding",
                                                    "divisor_override")),
             (lambda nn: nn.Upsample(scale_factor=(2, 3), mode="bicubic"),
              ("name", "size", "scale_factor", "mode", "align_corners",
               "recompute_scale_factor"))]
    for make, names in pairs:
        ours, theirs = make(numtorch.nn), make(torch.nn)
        for name in names:
            assert getattr(ours, name) == getattr(theirs, name), name


# -- errors ------------------------------------------------------------------------------------
ERRORS = {
    "max_input_2d": lambda F, lib: F.max_pool2d(lib.ones(2, 3), 2),
    "max_input_5d": lambda F, lib: F.max_pool2d(lib.ones(1, 1, 1, 4, 4), 2),
    "max_pad_effective": lambda F, lib: F.max_pool2d(lib.ones(2, 3, 8, 8), 2, padding=2),
    "max_pad_kernel": lambda F, lib: F.max_pool2d(lib.ones(2, 3, 8, 8), 3, dilation=2,
                                                  padding=2),
    "max_output_small": lambda F, lib: F.max_pool2d(lib.ones(1, 1, 1, 1), 2),
    "max_stride_0": lambda F, lib: F.max_pool2d(lib.ones(2, 3, 8, 8), 2, 0),
    "max_dilation_0": lambda F, lib: F.max_pool2d(lib.ones(2, 3, 8, 8), 2, dilation=0),
    "max_kernel_3": lambda F, lib: F.max_pool2d(lib.ones(2, 3, 8, 8), (2, 2, 2)),
    "max1d_4d": lambda F, lib: F.max_pool1d(lib.ones(2, 3, 8, 8), 2),
    "max1d_padding": lambda F, lib: F.max_pool1d(lib.ones(2, 3, 8), 3, padding=2),
    "avg_pad": lambda F, lib: F.avg_pool2d(lib.ones(2, 3, 8, 8), 2, padding=2),
    "avg_output_small": lambda F, lib: F.avg_pool2d(lib.ones(1, 1, 1, 1), 2),
    "avg_divisor_0": lambda F, lib: F.avg_pool2d(lib.ones(2, 3, 8, 8), 2, divisor_override=0),
    "avg_input_2d": lambda F, lib: F.avg_pool2d(lib.ones(2, 3), 2),
    "adaptive_avg_2d": lambda F, lib: F.adaptive_avg_pool2d(lib.ones(2, 3), 2),
    "adaptive_max_2d": lambda F, lib: F.adaptive_max_pool2d(lib.ones(2, 3), 2),
    "adaptive_size": lambda F, lib: F.adaptive_avg_pool2d(lib.ones(2, 3, 8, 8), (2, 3, 4)),
    "adaptive_int": lambda F, lib: F.adaptive_avg_pool2d(lib.ones(1, 2, 4, 4, dtype=lib.int64),
                                                         2),
    "interp_no_size": lambda F, lib: F.interpolate(lib.ones(2, 3, 8, 8)),
    "interp_both": lambda F, lib: F.interpolate(lib.ones(2, 3, 8, 8), size=3, scale_factor=2),
    "interp_align_nearest": lambda F, lib: F.interpolate(lib.ones(2, 3, 8, 8), size=3,
                                                         align_corners=True),
    "interp_bilinear_3d": lambda F, lib: F.interpolate(lib.ones(2, 3, 4), size=3,
                                                       mode="bilinear"),
    "interp_linear_4d": lambda F, lib: F.interpolate(lib.ones(2, 3, 4, 4), size=3,
                                                     mode="linear"),
    "interp_bad_mode": lambda F, lib: F.interpolate(lib.ones(2, 3, 8, 8), size=3, mode="foo"),
    "interp_size_length": lambda F, lib: F.interpolate(lib.ones(2, 3, 8, 8), size=(3, 4, 5)),
    "interp_scale_length": lambda F, lib: F.interpolate(lib.ones(2, 3, 4, 4),
                                                        scale_factor=(2, 2, 2)),
    "interp_recompute_size": lambda F, lib: F.interpolate(lib.ones(2, 3, 4, 4), size=3,
                                                          recompute_scale_factor=True),
    "interp_size_0": lambda F, lib: F.interpolate(lib.ones(2, 3, 4, 4), size=0),
    "interp_size_0_1d": lambda F, lib: F.interpolate(lib.ones(2, 3, 4), scale_factor=0.1),
    "interp_2d_input": lambda F, lib: F.interpolate(lib.ones(4, 4), size=3),
    "interp_long": lambda F, lib: F.interpolate(lib.ones(1, 1, 4, 4, dtype=lib.int64), size=3),
    "interp_long_1d": lambda F, lib: F.interpolate(lib.ones(1, 1, 4, dtype=lib.int64), size=3),
    "interp_long_bicubic": lambda F, lib: F.interpolate(lib.ones(1, 1, 4, 4, dtype=lib.int64),
                                                        size=3, mode="bicubic"),
    "interp_long_linear": lambda F, lib: F.interpolate(lib.ones(1, 1, 4, dtype=lib.int64),
                                                       size=3, mode="linear"),
    "adaptive_max_int": lambda F, lib: F.adaptive_max_pool2d(
        lib.ones(1, 2, 4, 4, dtype=lib.int64), 2),
    "adaptive_avg_3d_int": lambda F, lib: F.adaptive_avg_pool3d(
        lib.ones(1, 2, 4, 4, 4, dtype=lib.int64), 2),
    "max_bool": lambda F, lib: F.max_pool2d(lib.ones(1, 2, 4, 4, dtype=lib.bool), 2),
    "avg_bool": lambda F, lib: F.avg_pool2d(lib.ones(1, 2, 4, 4, dtype=lib.bool), 2),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name):
    same(lambda lib: ERRORS[name](lib.nn.functional, lib))
