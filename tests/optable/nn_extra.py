"""Op-table entries: the extra ``nn.functional`` ops (activations, instance and local response
norm, pixel and channel shuffles, distances, margin / embedding / likelihood losses)."""

from __future__ import annotations

import numpy as np

from . import OpSpec

UNARY = [((3, 4),), ((2, 3, 4),), ((),), ((0, 3),)]
REDUCTIONS = ("none", "mean", "sum")


def F(lib):  # noqa: N802 - reads like the usual ``F.`` alias
    return lib.nn.functional


def _seeded(lib, fn):
    """``fn()`` right after seeding both libraries alike (ops that draw random numbers)."""
    lib.manual_seed(0)
    return fn()


def _signs(at):
    """Inputs at positions ``at`` are float +-1 targets; the rest standard normal."""
    def make(rng, shape, dtype, index):
        if index in at:
            return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(dtype)
        return rng.standard_normal(shape).astype(dtype)
    return make


def _binary_targets(rng, shape, dtype, index):
    if index == 1:
        return (rng.random(shape) < 0.5).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def _counts(rng, shape, dtype, index):
    """Input 0: a log rate (or a positive rate); input 1: counts, some above 1 (Stirling's
    term), half-way between integers so a finite difference never crosses the cut at 1."""
    if index == 1:
        return (rng.integers(0, 6, size=shape) + 0.5).astype(dtype)
    return (np.abs(rng.standard_normal(shape)) + 0.3).astype(dtype)


def _positive_last(rng, shape, dtype, index):
    """The Gaussian's variance (input 2) positive, off the clamp."""
    x = rng.standard_normal(shape)
    return (np.abs(x) + 0.2 if index == 2 else x).astype(dtype)


def _sign_index(rng, shapes):
    """Integer +-1 targets for the last input (no gradient: torch takes none through them)."""
    return np.where(rng.random(shapes[-1]) < 0.5, -1, 1)


def _classes(rng, shapes):
    input_shape, target_shape = shapes[0], shapes[1]
    n_classes = input_shape[-1] if input_shape else 1
    return rng.integers(0, n_classes, size=target_shape)


# -- activations ------------------------------------------------------------------------------
def _unary(name, call, smooth=False, shapes=UNARY, hypothesis="unary"):
    return OpSpec(name, call, shapes, hypothesis=hypothesis, gradgradcheck=smooth)


ACTIVATIONS = [
    _unary("hardswish", lambda lib, a: F(lib).hardswish(a * 3)),
    _unary("hardswish_inplace", lambda lib, a: F(lib).hardswish(a * 3, inplace=True),
           shapes=UNARY[:2], hypothesis=None),
    _unary("hardsigmoid", lambda lib, a: F(lib).hardsigmoid(a * 3)),
    _unary("hardsigmoid_inplace", lambda lib, a: F(lib).hardsigmoid(a * 3, inplace=True),
           shapes=UNARY[:2], hypothesis=None),
    _unary("hardshrink", lambda lib, a: F(lib).hardshrink(a, 0.4)),
    _unary("softshrink", lambda lib, a: F(lib).softshrink(a, 0.3)),
    _unary("threshold", lambda lib, a: F(lib).threshold(a, 0.1, -2.0)),
    _unary("threshold_inplace", lambda lib, a: F(lib).threshold_(a * 1, 0.1, -2.0),
           shapes=UNARY[:2], hypothesis=None),
    _unary("rrelu_eval", lambda lib, a: F(lib).rrelu(a, 0.1, 0.4)),
    _unary("rrelu_train", lambda lib, a: _seeded(lib, lambda: F(lib).rrelu(
        a, 0.1, 0.4, training=True))),
    _unary("rrelu_train_inplace", lambda lib, a: _seeded(lib, lambda: F(lib).rrelu_(
        a * 1, training=True)), shapes=UNARY[:2], hypothesis=None),
    OpSpec("glu", lambda lib, a: F(lib).glu(a), [((3, 4),), ((2, 3, 6),), ((0, 2),)],
           gradgradcheck=True),
    OpSpec("glu_dim0", lambda lib, a: F(lib).glu(a, 0), [((4, 3),), ((2,),)],
           gradgradcheck=True),
    OpSpec("prelu_shared", lambda lib, a, w: F(lib).prelu(a, w),
           [((3, 4), (1,)), ((2, 3, 4), (1,)), ((), (1,)), ((5,), ())]),
    OpSpec("prelu_channels", lambda lib, a, w: F(lib).prelu(a, w),
           [((3, 4), (4,)), ((2, 3, 4, 2), (3,)), ((2, 3), (3,))]),
]

# -- normalization --------------------------------------------------------------------------
NORMALIZATION = [
    OpSpec("instance_norm", lambda lib, x: F(lib).instance_norm(x),
           [((2, 3, 4),), ((2, 3, 2, 3),), ((1, 2, 2, 2, 2),)], gradgradcheck=True),
    OpSpec("instance_norm_affine", lambda lib, x, w, b: F(lib).instance_norm(
        x, weight=w, bias=b, eps=1e-3), [((2, 3, 4), (3,), (3,)), ((2, 3, 2, 3), (3,), (3,))]),
    OpSpec("instance_norm_running", lambda lib, x, w, b: F(lib).instance_norm(
        x, lib.zeros(3, dtype=x.dtype), lib.ones(3, dtype=x.dtype), w, b, momentum=0.3),
        [((2, 3, 4), (3,), (3,))]),
    OpSpec("instance_norm_eval", lambda lib, x, w, b: F(lib).instance_norm(
        x, lib.linspace(-1, 1, 3, dtype=x.dtype), lib.linspace(0.5, 2, 3, dtype=x.dtype), w, b,
        use_input_stats=False), [((2, 3, 4), (3,), (3,)), ((2, 3, 1), (3,), (3,))]),
    OpSpec("local_response_norm", lambda lib, x: F(lib).local_response_norm(x, 3, alpha=0.3),
           [((2, 5, 4),), ((2, 4, 3, 2),), ((1, 3, 2, 2, 2),), ((0, 3, 2),)],
           gradgradcheck=True),
    OpSpec("local_response_norm_even", lambda lib, x: F(lib).local_response_norm(
        x, 2, alpha=0.5, beta=0.5, k=2.0), [((2, 5, 4),), ((2, 4, 3, 2),)]),
]

# -- rearrangements -------------------------------------------------------------------------
SHUFFLES = [
    OpSpec("pixel_shuffle", lambda lib, x: F(lib).pixel_shuffle(x, 2),
           # no empty batch: torch's backward fails on one
           [((1, 8, 2, 3),), ((4, 2, 2),), ((2, 1, 8, 3, 2),)]),
    OpSpec("pixel_unshuffle", lambda lib, x: F(lib).pixel_unshuffle(x, 2),
           [((1, 2, 4, 6),), ((1, 2, 2),), ((2, 1, 2, 4, 2),)]),
    OpSpec("channel_shuffle", lambda lib, x: F(lib).channel_shuffle(x, 3),
           [((2, 6, 2),), ((1, 3, 2, 2),), ((2, 6, 1, 2, 1),)]),
]

# -- distances ------------------------------------------------------------------------------
DISTANCES = [
    OpSpec("cosine_similarity", lambda lib, a, b: F(lib).cosine_similarity(a, b),
           [((3, 4), (3, 4)), ((2, 3, 4), (1, 3, 4)), ((3, 4), (4,))], gradgradcheck=True),
    OpSpec("cosine_similarity_dim", lambda lib, a, b: F(lib).cosine_similarity(a, b, dim=-1),
           [((3, 4), (3, 4)), ((5,), (5,))]),
    OpSpec("pairwise_distance", lambda lib, a, b: F(lib).pairwise_distance(a, b),
           [((3, 4), (3, 4)), ((3, 4), (4,)), ((5,), (5,)), ((), ())], gradgradcheck=True),
    OpSpec("pairwise_distance_p1_keepdim", lambda lib, a, b: F(lib).pairwise_distance(
        a, b, p=1.0, keepdim=True), [((3, 4), (3, 4)), ((2, 3, 4), (2, 3, 4))]),
    OpSpec("pairwise_distance_p3", lambda lib, a, b: F(lib).pairwise_distance(a, b, p=3.0),
           [((3, 4), (3, 4))]),
    OpSpec("pdist", lambda lib, a: F(lib).pdist(a), [((4, 3),), ((2, 5),), ((1, 3),)]),
    OpSpec("pdist_p1", lambda lib, a: F(lib).pdist(a, 1.0), [((4, 3),)]),
    OpSpec("pdist_p0", lambda lib, a: F(lib).pdist(a, 0.0), [((4, 3),)]),
    OpSpec("pdist_inf", lambda lib, a: F(lib).pdist(a, float("inf")), [((4, 3),), ((3, 1),)]),
]


# -- losses ---------------------------------------------------------------------------------
def _losses(r):
    return [
        OpSpec(f"cosine_embedding_loss_{r}", lambda lib, a, b, t: F(lib).cosine_embedding_loss(
            a, b, t, margin=0.2, reduction=r), [((3, 4), (3, 4), (3,)), ((4,), (4,), ())],
            index_inputs={2: _sign_index}),
        OpSpec(f"margin_ranking_loss_{r}", lambda lib, a, b, t: F(lib).margin_ranking_loss(
            a, b, t, margin=0.1, reduction=r), [((5,), (5,), (5,)), ((2, 3), (2, 3), (2, 3))],
            domain=_signs({2})),
        OpSpec(f"hinge_embedding_loss_{r}", lambda lib, a, t: F(lib).hinge_embedding_loss(
            a, t, margin=0.5, reduction=r), [((5,), (5,)), ((2, 3), (2, 3))],
            index_inputs={1: _sign_index}),
        OpSpec(f"soft_margin_loss_{r}", lambda lib, a, t: F(lib).soft_margin_loss(
            a, t, reduction=r), [((5,), (5,)), ((2, 3), (2, 3))], index_inputs={1: _sign_index}),
        OpSpec(f"multilabel_soft_margin_loss_{r}", lambda lib, a, t: F(lib)
               .multilabel_soft_margin_loss(a, t, reduction=r), [((3, 4), (3, 4)), ((4,), (4,))],
               domain=_binary_targets),
        OpSpec(f"multilabel_soft_margin_loss_weight_{r}", lambda lib, a, t: F(lib)
               .multilabel_soft_margin_loss(a, t, weight=lib.linspace(
                   0.5, 2, a.shape[-1], dtype=a.dtype), reduction=r), [((3, 4), (3, 4))],
               domain=_binary_targets),
        OpSpec(f"multi_margin_loss_{r}", lambda lib, a, t: F(lib).multi_margin_loss(
            a, t, reduction=r), [((3, 5), (3,)), ((5,), ()), ((4,), (1,))]
            # torch reduces no sample to uninitialised memory (not nan, not always 0)
            + ([((0, 3), (0,))] if r == "none" else []), index_inputs={1: _classes}),
        OpSpec(f"multi_margin_loss_p2_weight_{r}", lambda lib, a, t: F(lib).multi_margin_loss(
            a, t, p=2, margin=0.7, weight=lib.linspace(0.5, 2, a.shape[-1], dtype=a.dtype),
            reduction=r), [((3, 5), (3,))], index_inputs={1: _classes}),
        OpSpec(f"poisson_nll_loss_{r}", lambda lib, a, t: F(lib).poisson_nll_loss(
            a, t, reduction=r), [((3, 4), (3, 4)), ((), ())], domain=_counts),
        OpSpec(f"poisson_nll_loss_rate_full_{r}", lambda lib, a, t: F(lib).poisson_nll_loss(
            a, t, log_input=False, full=True, reduction=r), [((3, 4), (3, 4))],
            domain=_counts),
        OpSpec(f"gaussian_nll_loss_{r}", lambda lib, a, t, v: F(lib).gaussian_nll_loss(
            a, t, v, reduction=r), [((3, 4), (3, 4), (3, 4)), ((3, 4), (3, 4), (3,)),
                                    ((3, 4), (3, 4), (3, 1))], domain=_positive_last),
        OpSpec(f"gaussian_nll_loss_full_{r}", lambda lib, a, t: F(lib).gaussian_nll_loss(
            a, t, 0.7, full=True, reduction=r), [((3, 4), (3, 4))]),
        OpSpec(f"triplet_margin_loss_{r}", lambda lib, a, p, n: F(lib).triplet_margin_loss(
            a, p, n, reduction=r), [((3, 4), (3, 4), (3, 4)), ((4,), (4,), (4,))]),
        OpSpec(f"triplet_margin_loss_swap_p1_{r}", lambda lib, a, p, n: F(lib)
               .triplet_margin_loss(a, p, n, margin=2.0, p=1, swap=True, reduction=r),
               [((3, 4), (3, 4), (3, 4))]),
        OpSpec(f"triplet_margin_with_distance_loss_{r}", lambda lib, a, p, n: F(lib)
               .triplet_margin_with_distance_loss(
                   a, p, n, distance_function=lambda x, y: 1 - F(lib).cosine_similarity(x, y),
                   swap=True, reduction=r), [((3, 4), (3, 4), (3, 4))]),
    ]


LOSSES = [op for r in REDUCTIONS for op in _losses(r)]

OPS: list[OpSpec] = ACTIVATIONS + NORMALIZATION + SHUFFLES + DISTANCES + LOSSES
