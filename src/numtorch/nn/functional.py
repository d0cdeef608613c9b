"""``torch.nn.functional``: the stateless ops behind the layers.

The functions live by family in ``nn/_functional/`` (activation, loss, linear, dropout,
normalization, sparse, padding, attention); this module gathers them under torch's names.
"""

from __future__ import annotations

from ._functional import activation as _activation
from ._functional import attention as _attention
from ._functional import dropout as _dropout
from ._functional import linear as _linear
from ._functional import loss as _loss
from ._functional import normalization as _normalization
from ._functional import padding as _padding
from ._functional import sparse as _sparse
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
from ._functional.attention import multi_head_attention_forward, scaled_dot_product_attention
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
from ._functional.normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
    normalize,
    rms_norm,
)
from ._functional.padding import pad
from ._functional.sparse import embedding, one_hot

__all__ = [
    *_activation.__all__, *_attention.__all__, *_dropout.__all__, *_linear.__all__,
    *_loss.__all__, *_normalization.__all__, *_padding.__all__, *_sparse.__all__,
]
