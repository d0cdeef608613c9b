"""``torch.nn.functional``: the stateless ops behind the layers.

The functions live by family in ``nn/_functional/`` (activation, loss, linear, dropout,
normalization, sparse, padding, attention, and the ``*_extra``, pixel and distance
families); this module gathers them under torch's names.
"""

from __future__ import annotations

from ._functional.activation import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    mish,
    relu,
    relu6,
    relu_,
    selu,
    selu_,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softsign,
    tanh,
    tanhshrink,
)
from ._functional.activation_extra import (
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    prelu,
    rrelu,
    rrelu_,
    softshrink,
    threshold,
    threshold_,
)
from ._functional.attention import multi_head_attention_forward, scaled_dot_product_attention
from ._functional.conv import (
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    fold,
    unfold,
)
from ._functional.distance import cosine_similarity, pairwise_distance, pdist
from ._functional.dropout import (
    alpha_dropout,
    dropout,
    dropout1d,
    dropout2d,
    dropout3d,
    feature_alpha_dropout,
)
from ._functional.linear import bilinear, linear
from ._functional.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from ._functional.loss_extra import (
    cosine_embedding_loss,
    gaussian_nll_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_soft_margin_loss,
    poisson_nll_loss,
    soft_margin_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)
from ._functional.norm_extra import instance_norm, local_response_norm
from ._functional.normalization import batch_norm, group_norm, layer_norm, normalize, rms_norm
from ._functional.padding import pad
from ._functional.pixel import channel_shuffle, pixel_shuffle, pixel_unshuffle
from ._functional.pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d,
    adaptive_max_pool3d_with_indices,
    avg_pool1d,
    avg_pool2d,
    avg_pool3d,
    max_pool1d,
    max_pool1d_with_indices,
    max_pool2d,
    max_pool2d_with_indices,
    max_pool3d,
    max_pool3d_with_indices,
)
from ._functional.sparse import embedding, one_hot
from ._functional.upsampling import interpolate, upsample, upsample_bilinear, upsample_nearest

__all__ = [
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_", "celu",
    "celu_", "gelu", "silu", "mish", "hardtanh", "hardtanh_", "softplus", "softsign", "tanhshrink",
    "logsigmoid", "sigmoid", "tanh", "softmax", "softmin", "log_softmax",
    "scaled_dot_product_attention", "multi_head_attention_forward", "dropout", "dropout1d",
    "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout", "linear", "bilinear",
    "binary_cross_entropy_with_logits", "binary_cross_entropy", "mse_loss", "l1_loss", "nll_loss",
    "cross_entropy", "smooth_l1_loss", "huber_loss", "kl_div", "layer_norm", "batch_norm",
    "group_norm", "instance_norm", "normalize", "rms_norm", "pad", "embedding", "one_hot",
    # convolution, pooling and resizing
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "unfold", "fold", "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
    "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
    "avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
    "adaptive_avg_pool3d", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
    # more activations, normalization, rearrangements, distances and losses
    "prelu", "glu", "hardswish", "hardsigmoid", "hardshrink", "softshrink", "threshold",
    "threshold_", "rrelu", "rrelu_", "local_response_norm", "pixel_shuffle", "pixel_unshuffle",
    "channel_shuffle", "cosine_similarity", "pairwise_distance", "pdist",
    "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
    "multilabel_soft_margin_loss", "multi_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "triplet_margin_loss", "triplet_margin_with_distance_loss",
]
