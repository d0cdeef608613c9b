"""The extra nn layers and functionals raise torch's exceptions, with torch's messages, for
wrong shapes, dtypes and arguments."""

from __future__ import annotations

import warnings

import pytest
from conftest import require_torch

import numtorch


# -- errors, in torch's words -----------------------------------------------------------------
def _same_error(torch, call):
    """``call(lib)`` raises the same exception type and message in both libraries."""
    caught = []
    for lib in (numtorch, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(Exception) as info:
                call(lib)
        caught.append(info.value)
    ours, theirs = caught
    assert type(ours).__name__ == type(theirs).__name__, (ours, theirs)
    assert str(ours).splitlines()[0] == str(theirs).splitlines()[0]


def _t(lib, *shape, dtype=None):
    return lib.ones(*shape, dtype=dtype) if shape else lib.tensor(1.0)


def _long(lib, values):
    return lib.tensor(values, dtype=lib.int64)


ERRORS = {
    "prelu_channels": lambda lib: lib.nn.functional.prelu(_t(lib, 2, 3), _t(lib, 4)),
    "prelu_1d": lambda lib: lib.nn.functional.prelu(_t(lib, 3), _t(lib, 3)),
    "prelu_scalar_input": lambda lib: lib.nn.functional.prelu(lib.tensor(1.0), _t(lib, 2)),
    "prelu_2d_weight": lambda lib: lib.nn.functional.prelu(_t(lib, 2, 3), _t(lib, 3, 1)),
    "prelu_dtypes": lambda lib: lib.nn.functional.prelu(_t(lib, 2, 3),
                                                        _t(lib, 3, dtype=lib.float64)),
    "glu_odd": lambda lib: lib.nn.functional.glu(_t(lib, 2, 3)),
    "glu_scalar": lambda lib: lib.nn.functional.glu(lib.tensor(1.0)),
    "glu_long": lambda lib: lib.nn.functional.glu(lib.arange(4)),
    "softshrink_negative": lambda lib: lib.nn.functional.softshrink(_t(lib, 3), -1.0),
    "softshrink_negative_double": lambda lib: lib.nn.functional.softshrink(
        _t(lib, 3, dtype=lib.float64), -0.25),
    "hardswish_long": lambda lib: lib.nn.functional.hardswish(lib.arange(3)),
    "hardsigmoid_long": lambda lib: lib.nn.functional.hardsigmoid(lib.arange(3)),
    "hardshrink_long": lambda lib: lib.nn.functional.hardshrink(lib.arange(3)),
    "softshrink_long": lambda lib: lib.nn.functional.softshrink(lib.arange(3)),
    "rrelu_bounds": lambda lib: lib.nn.functional.rrelu(_t(lib, 3), 0.5, 0.1),
    "rrelu_long": lambda lib: lib.nn.functional.rrelu(lib.arange(3), training=True),
    "rrelu_long_eval": lambda lib: lib.nn.functional.rrelu(lib.arange(3)),
    "rrelu_half_training": lambda lib: lib.nn.functional.rrelu(_t(lib, 3, dtype=lib.float16),
                                                               training=True),
    "softmax2d_dims": lambda lib: lib.nn.Softmax2d()(_t(lib, 2, 3)),
    "pixel_shuffle_dims": lambda lib: lib.nn.functional.pixel_shuffle(_t(lib, 2, 3), 2),
    "pixel_shuffle_channels": lambda lib: lib.nn.functional.pixel_shuffle(_t(lib, 1, 5, 2, 2),
                                                                          2),
    "pixel_shuffle_factor": lambda lib: lib.nn.functional.pixel_shuffle(_t(lib, 1, 4, 2, 2), 0),
    "pixel_unshuffle_dims": lambda lib: lib.nn.functional.pixel_unshuffle(_t(lib, 2, 3), 2),
    "pixel_unshuffle_height": lambda lib: lib.nn.functional.pixel_unshuffle(
        _t(lib, 1, 1, 3, 4), 2),
    "pixel_unshuffle_width": lambda lib: lib.nn.functional.pixel_unshuffle(
        _t(lib, 1, 1, 4, 3), 2),
    "pixel_unshuffle_factor": lambda lib: lib.nn.functional.pixel_unshuffle(
        _t(lib, 1, 1, 4, 4), -1),
    "channel_shuffle_dims": lambda lib: lib.nn.functional.channel_shuffle(_t(lib, 2, 4), 2),
    "channel_shuffle_groups": lambda lib: lib.nn.functional.channel_shuffle(
        _t(lib, 1, 5, 2, 2), 2),
    "channel_shuffle_zero": lambda lib: lib.nn.functional.channel_shuffle(
        _t(lib, 1, 4, 2, 2), 0),
    "local_response_norm_dims": lambda lib: lib.nn.functional.local_response_norm(
        _t(lib, 2, 3), 2),
    "instance_norm_spatial": lambda lib: lib.nn.functional.instance_norm(_t(lib, 2, 3, 1)),
    "instance_norm_2d": lambda lib: lib.nn.functional.instance_norm(_t(lib, 2, 3)),
    "instance_norm_running": lambda lib: lib.nn.functional.instance_norm(
        _t(lib, 2, 3, 4), _t(lib, 4), _t(lib, 3)),
    "instance_norm_weight": lambda lib: lib.nn.functional.instance_norm(
        _t(lib, 2, 3, 4), weight=_t(lib, 4)),
    "instance_norm_eval_no_stats": lambda lib: lib.nn.functional.instance_norm(
        _t(lib, 2, 3, 4), use_input_stats=False),
    "instance_norm_affine_features": lambda lib: lib.nn.InstanceNorm1d(4, affine=True)(
        _t(lib, 2, 3, 5)),
    "instance_norm1d_dims": lambda lib: lib.nn.InstanceNorm1d(3)(_t(lib, 2, 3, 4, 5)),
    "instance_norm2d_dims": lambda lib: lib.nn.InstanceNorm2d(3)(_t(lib, 2, 3)),
    "instance_norm3d_dims": lambda lib: lib.nn.InstanceNorm3d(3)(_t(lib, 2, 3, 4)),
    "cosine_similarity_shapes": lambda lib: lib.nn.functional.cosine_similarity(
        _t(lib, 2, 3), _t(lib, 3, 3)),
    "cosine_similarity_long": lambda lib: lib.nn.functional.cosine_similarity(
        lib.arange(3), lib.arange(3), dim=0),
    "pairwise_distance_shapes": lambda lib: lib.nn.functional.pairwise_distance(
        _t(lib, 2, 3), _t(lib, 3, 3)),
    "pdist_dims": lambda lib: lib.nn.functional.pdist(_t(lib, 2, 3, 4)),
    "pdist_p": lambda lib: lib.nn.functional.pdist(_t(lib, 3, 4), -1),
    "cosine_embedding_target_2d": lambda lib: lib.nn.functional.cosine_embedding_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 1)),
    "cosine_embedding_target_0d": lambda lib: lib.nn.functional.cosine_embedding_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), lib.tensor(1.0)),
    "cosine_embedding_target_1d": lambda lib: lib.nn.functional.cosine_embedding_loss(
        _t(lib, 3), _t(lib, 3), _t(lib, 2)),
    "cosine_embedding_reduction": lambda lib: lib.nn.functional.cosine_embedding_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2), reduction="bad"),
    "margin_ranking_dims": lambda lib: lib.nn.functional.margin_ranking_loss(
        _t(lib, 2), _t(lib, 2, 1), _t(lib, 2)),
    "margin_ranking_shapes": lambda lib: lib.nn.functional.margin_ranking_loss(
        _t(lib, 2), _t(lib, 3), _t(lib, 2)),
    "hinge_shapes": lambda lib: lib.nn.functional.hinge_embedding_loss(_t(lib, 2), _t(lib, 3)),
    "soft_margin_target_grad": lambda lib: lib.nn.functional.soft_margin_loss(
        _t(lib, 2), _t(lib, 2).requires_grad_()),
    "multilabel_reduction": lambda lib: lib.nn.functional.multilabel_soft_margin_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), reduction="bad"),
    "multi_margin_target_range": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 5])),
    "multi_margin_negative_target": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, -1])),
    "multi_margin_target_size": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 1, 2])),
    "multi_margin_target_2d": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [[0], [1]])),
    "multi_margin_vector_target": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 3), _long(lib, [0, 1])),
    "multi_margin_float_target": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), lib.tensor([0.0, 1.0])),
    "multi_margin_p": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 1]), p=3),
    "multi_margin_weight_size": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 1]), weight=_t(lib, 2)),
    "multi_margin_weight_2d": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 1]), weight=_t(lib, 3, 1)),
    "multi_margin_weight_dtype": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3), _long(lib, [0, 1]), weight=_t(lib, 3, dtype=lib.float64)),
    "multi_margin_empty": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 0), _long(lib, [0, 1])),
    "multi_margin_3d": lambda lib: lib.nn.functional.multi_margin_loss(
        _t(lib, 2, 3, 4), _long(lib, [0, 1])),
    "multi_margin_module_p": lambda lib: lib.nn.MultiMarginLoss(p=3),
    "multi_margin_module_weight": lambda lib: lib.nn.MultiMarginLoss(weight=_t(lib, 2, 2)),
    "poisson_reduction": lambda lib: lib.nn.functional.poisson_nll_loss(
        _t(lib, 2), _t(lib, 2), reduction="bad"),
    "poisson_shapes": lambda lib: lib.nn.functional.poisson_nll_loss(_t(lib, 2), _t(lib, 3)),
    "gaussian_var_size": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 2)),
    "gaussian_var_negative": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), -1.0),
    "gaussian_var_tensor_negative": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), -_t(lib, 2)),
    "gaussian_reduction": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), 1.0, reduction="bad"),
    "triplet_dims": lambda lib: lib.nn.functional.triplet_margin_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 3)),
    "triplet_margin": lambda lib: lib.nn.functional.triplet_margin_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 3), margin=0),
    "triplet_reduction": lambda lib: lib.nn.functional.triplet_margin_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 3), reduction="bad"),
    "triplet_module_margin": lambda lib: lib.nn.TripletMarginLoss(margin=-1.0),
    "triplet_distance_dims": lambda lib: lib.nn.functional.triplet_margin_with_distance_loss(
        _t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 3)),
    "triplet_distance_margin": lambda lib: lib.nn.functional
    .triplet_margin_with_distance_loss(_t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 3), margin=0),
    "triplet_distance_reduction": lambda lib: lib.nn.functional
    .triplet_margin_with_distance_loss(_t(lib, 2, 3), _t(lib, 2, 3), _t(lib, 2, 3),
                                       reduction="bad"),
    "triplet_distance_module_margin": lambda lib: lib.nn.TripletMarginWithDistanceLoss(
        margin=0.0),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name):
    torch = require_torch()
    _same_error(torch, ERRORS[name])
