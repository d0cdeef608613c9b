"""Op-table entries: convolution, transposed convolution, unfold/fold, pooling and interpolation.

Convolutions are once-differentiable in numtorch (their backward runs in NumPy), so only the
pooling, resampling and unfold/fold entries ask for gradgradcheck.
"""

from __future__ import annotations

import warnings

from . import OpSpec


def F(lib):  # noqa: N802 - reads like the usual ``F.`` alias
    return lib.nn.functional


def _quiet(fn, *args, **kwargs):
    """Call an op that warns (padding='same' with an even kernel warns in both libraries)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


# -- convolutions ------------------------------------------------------------------------------
CONV = [
    OpSpec("conv2d", lambda lib, x, w, b: F(lib).conv2d(x, w, b),
           [((2, 3, 7, 6), (4, 3, 3, 2), (4,)), ((1, 1, 4, 4), (2, 1, 2, 2), (2,))]),
    OpSpec("conv2d_no_bias", lambda lib, x, w: F(lib).conv2d(x, w),
           [((2, 2, 5, 5), (3, 2, 3, 3)), ((1, 1, 3, 3), (1, 1, 3, 3))]),
    OpSpec("conv2d_stride_padding_dilation",
           lambda lib, x, w, b: F(lib).conv2d(x, w, b, stride=(2, 1), padding=(1, 2),
                                              dilation=(1, 2)),
           [((2, 2, 7, 8), (3, 2, 3, 2), (3,)), ((1, 1, 4, 5), (2, 1, 2, 2), (2,))]),
    OpSpec("conv2d_stride3_odd", lambda lib, x, w: F(lib).conv2d(x, w, stride=3, padding=2),
           [((1, 2, 9, 7), (2, 2, 4, 3))]),
    OpSpec("conv2d_same", lambda lib, x, w, b: F(lib).conv2d(x, w, b, padding="same",
                                                             dilation=2),
           [((2, 2, 6, 5), (3, 2, 3, 3), (3,)), ((1, 1, 4, 4), (1, 1, 3, 3), (1,))]),
    OpSpec("conv2d_same_even_kernel",
           lambda lib, x, w: _quiet(F(lib).conv2d, x, w, padding="same"),
           [((1, 2, 5, 6), (2, 2, 4, 2))]),
    OpSpec("conv2d_valid", lambda lib, x, w: F(lib).conv2d(x, w, padding="valid"),
           [((2, 2, 5, 4), (3, 2, 2, 3))]),
    OpSpec("conv2d_groups", lambda lib, x, w, b: F(lib).conv2d(x, w, b, padding=1, groups=2),
           [((2, 4, 5, 5), (6, 2, 3, 3), (6,)), ((1, 2, 3, 3), (2, 1, 2, 2), (2,))]),
    OpSpec("conv2d_depthwise", lambda lib, x, w: F(lib).conv2d(x, w, stride=2, groups=3),
           [((2, 3, 6, 7), (6, 1, 3, 3))]),
    OpSpec("conv2d_unbatched", lambda lib, x, w, b: F(lib).conv2d(x, w, b, padding=1),
           [((3, 5, 4), (2, 3, 3, 3), (2,)), ((1, 3, 3), (2, 1, 2, 2), (2,))]),
    OpSpec("conv1d", lambda lib, x, w, b: F(lib).conv1d(x, w, b),
           [((2, 3, 9), (4, 3, 3), (4,)), ((1, 2, 5), (2, 2, 2), (2,))]),
    OpSpec("conv1d_stride_padding_dilation_groups",
           lambda lib, x, w: F(lib).conv1d(x, w, stride=2, padding=1, dilation=2, groups=2),
           [((2, 4, 11), (6, 2, 3)), ((1, 2, 6), (2, 1, 2))]),
    OpSpec("conv1d_same", lambda lib, x, w: _quiet(F(lib).conv1d, x, w, padding="same"),
           [((2, 2, 7), (3, 2, 4)), ((2, 5), (3, 2, 3))]),
    OpSpec("conv3d", lambda lib, x, w, b: F(lib).conv3d(x, w, b, padding=(1, 0, 1)),
           [((1, 2, 4, 3, 4), (2, 2, 2, 2, 3), (2,))]),
    OpSpec("conv_transpose2d", lambda lib, x, w, b: F(lib).conv_transpose2d(x, w, b),
           [((2, 3, 4, 5), (3, 2, 3, 2), (2,)), ((1, 1, 2, 2), (1, 2, 2, 2), (2,))]),
    OpSpec("conv_transpose2d_stride_output_padding",
           lambda lib, x, w, b: F(lib).conv_transpose2d(x, w, b, stride=2, padding=1,
                                                        output_padding=1),
           [((2, 2, 4, 3), (2, 3, 3, 3), (3,)), ((1, 1, 2, 2), (1, 1, 3, 2), (1,))]),
    OpSpec("conv_transpose2d_groups_dilation",
           lambda lib, x, w: F(lib).conv_transpose2d(x, w, stride=(1, 2), padding=(2, 0),
                                                     output_padding=(1, 0), groups=2,
                                                     dilation=2),
           [((2, 4, 4, 3), (4, 1, 3, 2))]),
    OpSpec("conv_transpose2d_unbatched", lambda lib, x, w: F(lib).conv_transpose2d(x, w, stride=2),
           [((2, 3, 3), (2, 3, 2, 2))]),
    OpSpec("conv_transpose1d", lambda lib, x, w, b: F(lib).conv_transpose1d(
        x, w, b, stride=3, padding=1, output_padding=2), [((2, 3, 5), (3, 2, 4), (2,))]),
    OpSpec("unfold", lambda lib, x: F(lib).unfold(x, (2, 3), dilation=(1, 2), padding=1,
                                                  stride=(2, 1)),
           [((2, 3, 5, 6),), ((1, 4, 4),)], gradgradcheck=True),
    OpSpec("fold", lambda lib, x: F(lib).fold(x, (4, 5), (2, 2), padding=1, stride=(2, 1)),
           [((2, 8, 18),), ((4, 18),)], gradgradcheck=True),
]

# -- pooling -----------------------------------------------------------------------------------
POOL = [
    OpSpec("max_pool2d", lambda lib, x: F(lib).max_pool2d(x, 2),
           [((2, 3, 6, 8),), ((3, 5, 5),)], gradgradcheck=True),
    OpSpec("max_pool2d_overlapping_indices",
           lambda lib, x: F(lib).max_pool2d(x, 3, stride=2, padding=1, return_indices=True),
           [((2, 2, 7, 6),), ((1, 4, 4),)], gradgradcheck=True),
    OpSpec("max_pool2d_ceil_dilation",
           lambda lib, x: F(lib).max_pool2d(x, (3, 2), stride=(2, 3), padding=(1, 1),
                                            dilation=(2, 1), ceil_mode=True,
                                            return_indices=True),
           [((2, 2, 9, 10),), ((1, 2, 5, 4),)]),
    OpSpec("max_pool1d", lambda lib, x: F(lib).max_pool1d(x, 3, stride=2, padding=1,
                                                          ceil_mode=True, return_indices=True),
           [((2, 3, 10),), ((2, 7),)]),
    OpSpec("max_pool3d", lambda lib, x: F(lib).max_pool3d(x, 2, stride=(1, 2, 2), padding=1,
                                                          return_indices=True),
           [((1, 2, 4, 4, 5),)]),
    OpSpec("avg_pool2d", lambda lib, x: F(lib).avg_pool2d(x, 2),
           [((2, 3, 6, 8),), ((3, 5, 4),)], gradgradcheck=True),
    OpSpec("avg_pool2d_padding_ceil", lambda lib, x: F(lib).avg_pool2d(
        x, 3, stride=2, padding=1, ceil_mode=True), [((2, 2, 8, 7),), ((1, 4, 4),)],
        gradgradcheck=True),
    OpSpec("avg_pool2d_exclude_pad", lambda lib, x: F(lib).avg_pool2d(
        x, (3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True, count_include_pad=False),
        [((2, 2, 8, 5),)]),
    OpSpec("avg_pool2d_divisor_override", lambda lib, x: F(lib).avg_pool2d(
        x, 3, stride=2, padding=1, divisor_override=4), [((1, 2, 7, 7),)]),
    OpSpec("avg_pool1d", lambda lib, x: F(lib).avg_pool1d(x, 3, stride=2, padding=1,
                                                          count_include_pad=False),
           [((2, 3, 9),), ((2, 6),)]),
    OpSpec("avg_pool3d", lambda lib, x: F(lib).avg_pool3d(x, 2, stride=1, padding=1),
           [((1, 2, 3, 4, 3),)]),
    OpSpec("adaptive_avg_pool2d", lambda lib, x: F(lib).adaptive_avg_pool2d(x, (3, 4)),
           [((2, 3, 7, 9),), ((2, 5, 6),)], gradgradcheck=True),
    OpSpec("adaptive_avg_pool2d_grow_and_keep",
           lambda lib, x: F(lib).adaptive_avg_pool2d(x, (9, None)), [((1, 2, 5, 4),)]),
    OpSpec("adaptive_avg_pool2d_global", lambda lib, x: F(lib).adaptive_avg_pool2d(x, 1),
           [((2, 3, 5, 4),)]),
    OpSpec("adaptive_avg_pool1d", lambda lib, x: F(lib).adaptive_avg_pool1d(x, 4),
           [((2, 3, 10),), ((2, 3),)]),
    OpSpec("adaptive_max_pool2d", lambda lib, x: F(lib).adaptive_max_pool2d(
        x, (3, 4), return_indices=True), [((2, 3, 7, 9),), ((2, 5, 6),)], gradgradcheck=True),
    OpSpec("adaptive_max_pool2d_grow", lambda lib, x: F(lib).adaptive_max_pool2d(x, (7, 2)),
           [((1, 2, 5, 5),)]),
    OpSpec("adaptive_max_pool1d", lambda lib, x: F(lib).adaptive_max_pool1d(
        x, 3, return_indices=True), [((2, 3, 8),)]),
]

# -- interpolation -----------------------------------------------------------------------------
INTERPOLATE = [
    OpSpec("interpolate_nearest_scale2", lambda lib, x: F(lib).interpolate(x, scale_factor=2),
           [((2, 3, 4, 5),), ((1, 2, 3),)], gradgradcheck=True),
    OpSpec("interpolate_nearest_size", lambda lib, x: F(lib).interpolate(x, size=(7, 3)),
           [((2, 2, 4, 5),)]),
    OpSpec("interpolate_nearest_odd_scale",
           lambda lib, x: F(lib).interpolate(x, scale_factor=(1.7, 0.6)), [((1, 2, 5, 7),)]),
    OpSpec("interpolate_nearest_exact",
           lambda lib, x: F(lib).interpolate(x, size=(7, 3), mode="nearest-exact"),
           [((2, 2, 4, 5),)]),
    OpSpec("interpolate_bilinear", lambda lib, x: F(lib).interpolate(
        x, size=(7, 3), mode="bilinear"), [((2, 2, 4, 5),), ((1, 1, 2, 2),)],
        gradgradcheck=True),
    OpSpec("interpolate_bilinear_align_corners", lambda lib, x: F(lib).interpolate(
        x, scale_factor=(2.5, 1.5), mode="bilinear", align_corners=True),
        [((2, 2, 4, 5),)]),
    OpSpec("interpolate_bilinear_scale", lambda lib, x: F(lib).interpolate(
        x, scale_factor=(1.3, 0.7), mode="bilinear"), [((2, 2, 5, 6),)]),
    OpSpec("interpolate_bicubic", lambda lib, x: F(lib).interpolate(
        x, size=(6, 4), mode="bicubic"), [((1, 2, 4, 5),)]),
    OpSpec("interpolate_linear", lambda lib, x: F(lib).interpolate(
        x, size=8, mode="linear", align_corners=True), [((2, 3, 5),)]),
    OpSpec("interpolate_trilinear", lambda lib, x: F(lib).interpolate(
        x, scale_factor=1.5, mode="trilinear"), [((1, 2, 2, 3, 4),)]),
    OpSpec("interpolate_area", lambda lib, x: F(lib).interpolate(x, size=(3, 2), mode="area"),
           [((2, 2, 7, 5),)]),
]

OPS = [*CONV, *POOL, *INTERPOLATE]
