"""Op-table entries: ``nn.functional`` beyond the first losses: activations, linear maps,
normalization, embedding, padding, attention and the classification / regression losses."""

from __future__ import annotations

import warnings

import numpy as np

from . import OpSpec

UNARY = [((3, 4),), ((2, 3, 4),), ((),), ((0, 3),)]
REDUCTIONS = ("none", "mean", "sum")


def F(lib):  # noqa: N802 - reads like the usual ``F.`` alias
    return lib.nn.functional


def _quiet(fn, *args, **kwargs):
    """Call a function that warns (kl_div 'mean', broadcasting losses)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


def _classes(rng, shapes):
    """Class indices for a target of shape ``shapes[1]`` with C = the input's dim 1 (dim 0 of
    a 1-D input)."""
    input_shape, target_shape = shapes[0], shapes[1]
    n_classes = input_shape[1] if len(input_shape) > 1 else input_shape[0]
    return rng.integers(0, n_classes, size=target_shape)


def _rows(n_rows):
    return lambda rng, shapes: rng.integers(0, n_rows, size=shapes[1])


def _probabilities(rng, shape, dtype, index):
    """Input 0: logits; input 1: a probability distribution along dim 1 (dim 0 if 1-D)."""
    x = rng.standard_normal(shape)
    if index == 1:
        e = np.exp(x)
        x = e / e.sum(axis=min(1, len(shape) - 1), keepdims=True)
    return x.astype(dtype)


def _log_probabilities(rng, shape, dtype, index):
    x = rng.standard_normal(shape)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return np.log(p).astype(dtype) if index == 0 else p.astype(dtype)


# -- activations ----------------------------------------------------------------------------
def _activation(name, call, smooth=True, inplace=None):
    ops = [OpSpec(name, call, UNARY, hypothesis="unary", gradgradcheck=smooth)]
    if inplace:  # on a non-leaf copy, so the gradient reaches the leaf through the write
        ops.append(OpSpec(f"{name}_inplace", inplace, UNARY[:2]))
    return ops


ACTIVATIONS = [
    *_activation("relu6", lambda lib, a: F(lib).relu6(a), smooth=False,
                 inplace=lambda lib, a: F(lib).relu6(a * 3, inplace=True)),
    *_activation("leaky_relu", lambda lib, a: F(lib).leaky_relu(a, 0.2), smooth=False,
                 inplace=lambda lib, a: F(lib).leaky_relu(a * 1, 0.2, inplace=True)),
    *_activation("elu", lambda lib, a: F(lib).elu(a, 0.7), smooth=False,
                 inplace=lambda lib, a: F(lib).elu(a * 1, 0.7, inplace=True)),
    *_activation("selu", lambda lib, a: F(lib).selu(a), smooth=False,
                 inplace=lambda lib, a: F(lib).selu(a * 1, inplace=True)),
    *_activation("celu", lambda lib, a: F(lib).celu(a, 1.5), smooth=False,
                 inplace=lambda lib, a: F(lib).celu(a * 1, 1.5, inplace=True)),
    *_activation("elu_alpha1", lambda lib, a: F(lib).elu(a)),
    *_activation("gelu", lambda lib, a: F(lib).gelu(a)),
    *_activation("gelu_tanh", lambda lib, a: F(lib).gelu(a, approximate="tanh")),
    *_activation("silu", lambda lib, a: F(lib).silu(a),
                 inplace=lambda lib, a: F(lib).silu(a * 1, inplace=True)),
    *_activation("mish", lambda lib, a: F(lib).mish(a),
                 inplace=lambda lib, a: F(lib).mish(a * 1, inplace=True)),
    *_activation("hardtanh", lambda lib, a: F(lib).hardtanh(a, -0.5, 0.7), smooth=False,
                 inplace=lambda lib, a: F(lib).hardtanh(a * 1, -0.5, 0.7, inplace=True)),
    *_activation("softplus", lambda lib, a: F(lib).softplus(a)),
    *_activation("softplus_beta", lambda lib, a: F(lib).softplus(a * 3, beta=2, threshold=4)),
    *_activation("softsign", lambda lib, a: F(lib).softsign(a), smooth=False),
    *_activation("tanhshrink", lambda lib, a: F(lib).tanhshrink(a)),
    *_activation("logsigmoid", lambda lib, a: F(lib).logsigmoid(a * 10)),
    *_activation("softmin", lambda lib, a: F(lib).softmin(a, -1)),
    *_activation("F_softmax", lambda lib, a: F(lib).softmax(a, 0)),
    *_activation("F_log_softmax", lambda lib, a: F(lib).log_softmax(a, -1)),
    *_activation("relu_inplace", lambda lib, a: F(lib).relu(a * 1, inplace=True), smooth=False),
]

# -- linear maps ------------------------------------------------------------------------------
LINEAR = [
    OpSpec("linear", lambda lib, x, w, b: F(lib).linear(x, w, b),
           [((3, 4), (5, 4), (5,)), ((2, 3, 4), (5, 4), (5,)), ((4,), (5, 4), (5,)),
            ((0, 4), (5, 4), (5,)), ((2, 1, 3, 4), (2, 4), (2,))], gradgradcheck=True),
    OpSpec("linear_no_bias", lambda lib, x, w: F(lib).linear(x, w),
           [((3, 4), (5, 4)), ((2, 3, 4), (5, 4)), ((4,), (5, 4))]),
    OpSpec("bilinear", lambda lib, x1, x2, w, b: F(lib).bilinear(x1, x2, w, b),
           [((3, 4), (3, 2), (5, 4, 2), (5,)), ((2, 3, 4), (2, 3, 2), (5, 4, 2), (5,)),
            ((4,), (2,), (3, 4, 2), (3,))], gradgradcheck=True),
    OpSpec("bilinear_no_bias", lambda lib, x1, x2, w: F(lib).bilinear(x1, x2, w),
           [((3, 4), (3, 2), (5, 4, 2))]),
]

# -- normalization -----------------------------------------------------------------------------
NORMALIZATION = [
    OpSpec("layer_norm", lambda lib, x, w, b: F(lib).layer_norm(x, (x.shape[-1],), w, b),
           [((3, 4), (4,), (4,)), ((2, 3, 5), (5,), (5,)), ((4,), (4,), (4,))],
           gradgradcheck=True),
    OpSpec("layer_norm_2d", lambda lib, x, w, b: F(lib).layer_norm(x, x.shape[-2:], w, b,
                                                                   eps=1e-3),
           [((2, 3, 4), (3, 4), (3, 4))], gradgradcheck=True),
    OpSpec("layer_norm_plain", lambda lib, x: F(lib).layer_norm(x, (x.shape[-1],)),
           [((3, 4),), ((2, 3, 5),), ((0, 3),)], hypothesis=None, gradgradcheck=True),
    OpSpec("batch_norm_train", lambda lib, x, w, b: F(lib).batch_norm(
        x, lib.zeros(x.shape[1], dtype=x.dtype), lib.ones(x.shape[1], dtype=x.dtype), w, b,
        training=True, momentum=0.3), [((4, 3), (3,), (3,)), ((2, 3, 5), (3,), (3,)),
                                       ((2, 3, 2, 2), (3,), (3,))], gradgradcheck=True),
    OpSpec("batch_norm_train_plain", lambda lib, x: F(lib).batch_norm(x, None, None,
                                                                      training=True),
           [((4, 3),), ((2, 3, 5),)], gradgradcheck=True),
    OpSpec("batch_norm_eval", lambda lib, x, w, b: F(lib).batch_norm(
        x, lib.linspace(-1, 1, x.shape[1], dtype=x.dtype),
        lib.linspace(0.5, 2, x.shape[1], dtype=x.dtype), w, b), [((4, 3), (3,), (3,)),
                                                                  ((2, 3, 5), (3,), (3,))],
           gradgradcheck=True),
    OpSpec("group_norm", lambda lib, x, w, b: F(lib).group_norm(x, 2, w, b),
           [((2, 4, 3), (4,), (4,)), ((3, 6), (6,), (6,)), ((1, 4, 2, 3), (4,), (4,))],
           gradgradcheck=True),
    OpSpec("group_norm_plain", lambda lib, x: F(lib).group_norm(x, 3), [((2, 6, 3),)]),
    OpSpec("normalize", lambda lib, x: F(lib).normalize(x), [((3, 4),), ((2, 3, 4),)],
           gradgradcheck=True),
    OpSpec("normalize_p1_dim0", lambda lib, x: F(lib).normalize(x, p=1.0, dim=0),
           [((3, 4),), ((5,),)]),
]

# -- lookups and padding -----------------------------------------------------------------------
LOOKUP = [
    OpSpec("embedding", lambda lib, w, i: F(lib).embedding(i, w),
           [((10, 3), (2, 5)), ((4, 2), (7,)), ((5, 3), ())], index_inputs={1: _rows(4)}),
    # not the true gradient by design (the padding row gets none; counts rescale), so no
    # finite-difference check
    OpSpec("embedding_padding_idx", lambda lib, w, i: F(lib).embedding(i, w, padding_idx=2),
           [((5, 3), (4, 6))], index_inputs={1: _rows(5)}, gradcheck=False),
    OpSpec("embedding_scale_grad_by_freq", lambda lib, w, i: F(lib).embedding(
        i, w, scale_grad_by_freq=True), [((5, 3), (4, 6))], index_inputs={1: _rows(5)},
        gradcheck=False),
    OpSpec("one_hot", lambda lib, i: F(lib).one_hot(i, 6), [((2, 5),), ((0,),)], grad=False,
           index_inputs={0: lambda rng, shapes: rng.integers(0, 6, size=shapes[0])}),
    OpSpec("pad_constant", lambda lib, x: F(lib).pad(x, (1, 2)), [((3, 4),), ((2, 3, 4),)],
           gradgradcheck=True),
    OpSpec("pad_constant_2d_value", lambda lib, x: F(lib).pad(x, (1, 0, 2, 1), value=-1.5),
           [((3, 4),), ((2, 3, 4),)]),
    OpSpec("pad_negative", lambda lib, x: F(lib).pad(x, (-1, 2, 0, -1)), [((3, 4),)]),
    OpSpec("pad_reflect_mode", lambda lib, x: F(lib).pad(x, (2, 1), mode="reflect"),
           [((2, 4),), ((2, 3, 4),)], gradgradcheck=True),
    OpSpec("pad_reflect_2d", lambda lib, x: F(lib).pad(x, (1, 1, 2, 0), mode="reflect"),
           [((2, 3, 4),), ((1, 2, 3, 4),)]),
    OpSpec("pad_replicate", lambda lib, x: F(lib).pad(x, (2, 1, 1, 3), mode="replicate"),
           [((2, 3, 4),), ((1, 2, 3, 4),)]),
    OpSpec("pad_circular", lambda lib, x: F(lib).pad(x, (2, 1), mode="circular"),
           [((2, 4),), ((2, 3, 4),)]),
]

# -- attention ----------------------------------------------------------------------------------
QKV = [((2, 3, 4), (2, 5, 4), (2, 5, 6)), ((2, 2, 3, 4), (2, 2, 3, 4), (2, 2, 3, 4)),
       ((3, 4), (5, 4), (5, 2))]
ATTENTION = [
    OpSpec("sdpa", lambda lib, q, k, v: F(lib).scaled_dot_product_attention(q, k, v), QKV,
           gradgradcheck=True),
    OpSpec("sdpa_causal", lambda lib, q, k, v: F(lib).scaled_dot_product_attention(
        q, k, v, is_causal=True, scale=0.3), QKV),
    OpSpec("sdpa_float_mask", lambda lib, q, k, v, m: F(lib).scaled_dot_product_attention(
        q, k, v, attn_mask=m), [((2, 3, 4), (2, 5, 4), (2, 5, 6), (3, 5)),
                                ((2, 3, 4), (2, 5, 4), (2, 5, 6), (2, 3, 5))]),
    OpSpec("sdpa_bool_mask", lambda lib, q, k, v: F(lib).scaled_dot_product_attention(
        q, k, v, attn_mask=lib.tensor([[True, False, True, True, False],
                                       [False, False, False, False, False],
                                       [True, True, True, True, True]])), QKV[:1]),
    OpSpec("sdpa_gqa", lambda lib, q, k, v: F(lib).scaled_dot_product_attention(
        q, k, v, enable_gqa=True), [((1, 4, 3, 2), (1, 2, 5, 2), (1, 2, 5, 3))]),
]


# -- losses -------------------------------------------------------------------------------------
def _ramp(lib, n, dtype):
    return lib.linspace(0.5, 2.0, n, dtype=dtype)


CE_SHAPES = [((3, 5), (3,)), ((5,), ()), ((2, 4, 3), (2, 3)), ((2, 3, 2, 2), (2, 2, 2)),
             ((2, 3, 2, 1, 2), (2, 2, 1, 2)), ((0, 4), (0,))]


def _ce(lib, x, t, r, **kw):
    weight = kw.pop("weight", False)
    if weight:
        kw["weight"] = _ramp(lib, x.shape[1] if x.dim() > 1 else x.shape[0], x.dtype)
    return F(lib).cross_entropy(x, t, reduction=r, **kw)


def _classification(r):
    shapes = CE_SHAPES if r != "mean" else CE_SHAPES[:-1]  # mean of nothing is nan
    return [
        OpSpec(f"cross_entropy_{r}", lambda lib, x, t: _ce(lib, x, t, r), shapes,
               index_inputs={1: _classes}, gradgradcheck=True),
        OpSpec(f"cross_entropy_weight_{r}", lambda lib, x, t: _ce(lib, x, t, r, weight=True),
               shapes, index_inputs={1: _classes}),
        OpSpec(f"cross_entropy_ignore_{r}", lambda lib, x, t: _ce(lib, x, t, r, ignore_index=1),
               shapes[:4], index_inputs={1: _classes}),
        OpSpec(f"cross_entropy_smoothing_{r}", lambda lib, x, t: _ce(
            lib, x, t, r, label_smoothing=0.2, ignore_index=0), shapes[:5],
            index_inputs={1: _classes}, gradgradcheck=True),
        OpSpec(f"cross_entropy_smoothing_weight_{r}", lambda lib, x, t: _ce(
            lib, x, t, r, label_smoothing=0.3, weight=True, ignore_index=1), shapes[:5],
            index_inputs={1: _classes}),
        OpSpec(f"cross_entropy_probs_{r}", lambda lib, x, t: _ce(lib, x, t, r),
               [((3, 5), (3, 5)), ((4,), (4,)), ((2, 3, 4), (2, 3, 4))],
               domain=_probabilities, gradgradcheck=True),
        OpSpec(f"cross_entropy_probs_smoothing_weight_{r}", lambda lib, x, t: _ce(
            lib, x, t, r, label_smoothing=0.1, weight=True), [((3, 5), (3, 5)),
                                                              ((2, 3, 4), (2, 3, 4))],
            domain=_probabilities),
        OpSpec(f"nll_loss_{r}", lambda lib, x, t: F(lib).nll_loss(x, t, reduction=r), shapes,
               index_inputs={1: _classes}, gradgradcheck=True),
        OpSpec(f"nll_loss_weight_ignore_{r}", lambda lib, x, t: F(lib).nll_loss(
            x, t, weight=_ramp(lib, x.shape[1] if x.dim() > 1 else x.shape[0], x.dtype),
            ignore_index=0, reduction=r), shapes[:5], index_inputs={1: _classes}),
    ]


def _regression(r):
    same = [((3, 4), (3, 4)), ((), ()), ((2, 3, 4), (2, 3, 4))]
    broadcast = [((3, 1), (3,)), ((2, 3), (3,))]
    return [
        OpSpec(f"smooth_l1_{r}", lambda lib, x, t: F(lib).smooth_l1_loss(x, t, reduction=r),
               same, gradgradcheck=True),
        OpSpec(f"smooth_l1_beta_{r}", lambda lib, x, t: F(lib).smooth_l1_loss(
            x, t, reduction=r, beta=0.5), same),
        OpSpec(f"smooth_l1_beta0_{r}", lambda lib, x, t: F(lib).smooth_l1_loss(
            x, t, reduction=r, beta=0.0), same),
        OpSpec(f"smooth_l1_broadcast_{r}", lambda lib, x, t: _quiet(
            F(lib).smooth_l1_loss, x, t, reduction=r), broadcast),
        OpSpec(f"huber_{r}", lambda lib, x, t: F(lib).huber_loss(x, t, reduction=r), same,
               gradgradcheck=True),
        OpSpec(f"huber_delta_{r}", lambda lib, x, t: F(lib).huber_loss(
            x, t, reduction=r, delta=0.4), same),
        OpSpec(f"huber_weight_{r}", lambda lib, x, t: F(lib).huber_loss(
            x, t, reduction=r, delta=0.7, weight=lib.ones_like(x.detach()) * 0.5), same),
        OpSpec(f"kl_div_{r}", lambda lib, x, t: _quiet(F(lib).kl_div, x, t, reduction=r),
               same[:1] + [((2, 3, 4), (2, 3, 4))], domain=_log_probabilities,
               gradgradcheck=True),
        OpSpec(f"kl_div_log_target_{r}", lambda lib, x, t: _quiet(
            F(lib).kl_div, x, t.log(), reduction=r, log_target=True), same[:1],
            domain=_log_probabilities),
    ]


LOSSES = [op for r in REDUCTIONS for op in _classification(r) + _regression(r)]
LOSSES += [
    OpSpec("kl_div_batchmean", lambda lib, x, t: F(lib).kl_div(x, t, reduction="batchmean"),
           [((3, 4), (3, 4)), ((2, 3, 4), (2, 3, 4))], domain=_log_probabilities),
    OpSpec("cross_entropy_uint8_target", lambda lib, x, t: F(lib).cross_entropy(x, t.byte()),
           [((3, 5), (3,))], index_inputs={1: _classes}),
    OpSpec("cross_entropy_double_probs", lambda lib, x, t: F(lib).cross_entropy(x, t.double()),
           [((3, 5), (3, 5))], dtypes=("float32",), domain=_probabilities),
]

OPS: list[OpSpec] = ACTIVATIONS + LINEAR + NORMALIZATION + LOOKUP + ATTENTION + LOSSES
