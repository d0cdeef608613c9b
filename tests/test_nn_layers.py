"""Layers against torch: the same construction gives the same repr, parameter order and
state_dict keys; with torch's weights loaded, the same outputs and gradients (inputs and
parameters) for several input shapes, in float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_torch
from nn_compare import Index, compare_module, compare_run, construct_both, load_torch_state

import numtorch

LAYERS = {
    "linear": (lambda nn: nn.Linear(4, 3), [((2, 4),), ((5, 2, 4),), ((4,),)]),
    "linear_no_bias": (lambda nn: nn.Linear(4, 3, bias=False), [((2, 4),), ((3, 1, 4),)]),
    "bilinear": (lambda nn: nn.Bilinear(3, 2, 4), [((5, 3), (5, 2)), ((2, 3, 3), (2, 3, 2))]),
    "bilinear_no_bias": (lambda nn: nn.Bilinear(3, 2, 4, bias=False), [((5, 3), (5, 2))]),
    "identity": (lambda nn: nn.Identity(3, x=1), [((2, 3),)]),
    "flatten": (lambda nn: nn.Flatten(), [((2, 3, 4),)]),
    "unflatten": (lambda nn: nn.Unflatten(1, (2, 3)), [((4, 6),)]),
    "mlp": (lambda nn: nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.LayerNorm(8),
                                     nn.Linear(8, 2)), [((3, 4),), ((2, 5, 4),)]),
    "embedding": (lambda nn: nn.Embedding(10, 3), [(Index((2, 5), 10),), (Index((7,), 10),)]),
    "embedding_padding": (lambda nn: nn.Embedding(6, 4, padding_idx=1),
                          [(Index((3, 5), 6),), (Index((), 6),)]),
    "embedding_negative_padding": (lambda nn: nn.Embedding(6, 4, padding_idx=-2,
                                                           scale_grad_by_freq=True),
                                   [(Index((4, 6), 6),)]),
    "layer_norm": (lambda nn: nn.LayerNorm(4), [((3, 4),), ((2, 5, 4),), ((4,),)]),
    "layer_norm_2d": (lambda nn: nn.LayerNorm((3, 4), eps=1e-3), [((2, 3, 4),)]),
    "layer_norm_no_affine": (lambda nn: nn.LayerNorm(4, elementwise_affine=False),
                             [((3, 4),)]),
    "layer_norm_no_bias": (lambda nn: nn.LayerNorm(4, bias=False), [((3, 4),)]),
    "group_norm": (lambda nn: nn.GroupNorm(2, 4), [((3, 4),), ((2, 4, 5),), ((2, 4, 2, 3),)]),
    "group_norm_no_affine": (lambda nn: nn.GroupNorm(4, 4, affine=False), [((2, 4, 3),)]),
    "rms_norm": (lambda nn: nn.RMSNorm(4), [((3, 4),), ((2, 3, 4),)]),
    "rms_norm_eps": (lambda nn: nn.RMSNorm((2, 3), eps=1e-4), [((4, 2, 3),)]),
    "batch_norm_1d": (lambda nn: nn.BatchNorm1d(4), [((5, 4),), ((3, 4, 6),)]),
    "batch_norm_1d_no_affine": (lambda nn: nn.BatchNorm1d(4, affine=False), [((5, 4),)]),
    "batch_norm_1d_no_bias": (lambda nn: nn.BatchNorm1d(4, bias=False), [((5, 4),)]),
    "batch_norm_2d": (lambda nn: nn.BatchNorm2d(3, momentum=0.5), [((2, 3, 4, 5),)]),
    "batch_norm_3d": (lambda nn: nn.BatchNorm3d(2, eps=1e-3), [((2, 2, 3, 2, 2),)]),
    "batch_norm_untracked": (lambda nn: nn.BatchNorm1d(4, track_running_stats=False),
                             [((5, 4),)]),
    "zero_pad_2d": (lambda nn: nn.ZeroPad2d(1), [((2, 3, 4),)]),
    "constant_pad_1d": (lambda nn: nn.ConstantPad1d((1, 2), 3.5), [((2, 3, 4),)]),
    "reflection_pad_1d": (lambda nn: nn.ReflectionPad1d(2), [((2, 3, 4),)]),
    "reflection_pad_2d": (lambda nn: nn.ReflectionPad2d((1, 0, 2, 1)), [((1, 2, 3, 4),)]),
    "replication_pad_2d": (lambda nn: nn.ReplicationPad2d((1, 0, 2, 1)), [((2, 3, 4),)]),
    "circular_pad_1d": (lambda nn: nn.CircularPad1d(1), [((2, 3, 4),)]),
}

ACTIVATIONS = {
    "ReLU": lambda nn: nn.ReLU(), "ReLU6": lambda nn: nn.ReLU6(),
    "LeakyReLU": lambda nn: nn.LeakyReLU(0.2), "ELU": lambda nn: nn.ELU(0.5),
    "CELU": lambda nn: nn.CELU(1.5), "SELU": lambda nn: nn.SELU(),
    "GELU": lambda nn: nn.GELU(), "GELU_tanh": lambda nn: nn.GELU("tanh"),
    "SiLU": lambda nn: nn.SiLU(), "Mish": lambda nn: nn.Mish(),
    "Sigmoid": lambda nn: nn.Sigmoid(), "Tanh": lambda nn: nn.Tanh(),
    "Hardtanh": lambda nn: nn.Hardtanh(-0.5, 0.5), "Softplus": lambda nn: nn.Softplus(2, 3),
    "Softsign": lambda nn: nn.Softsign(), "Tanhshrink": lambda nn: nn.Tanhshrink(),
    "LogSigmoid": lambda nn: nn.LogSigmoid(), "Softmax": lambda nn: nn.Softmax(dim=1),
    "Softmin": lambda nn: nn.Softmin(-1), "LogSoftmax": lambda nn: nn.LogSoftmax(1),
    "Dropout_eval": lambda nn: nn.Dropout(0.3).eval(),
    "AlphaDropout_eval": lambda nn: nn.AlphaDropout(0.3).eval(),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_matches_torch(name):
    torch = require_torch()
    make, specs = LAYERS[name]
    compare_module(torch, make, specs)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_module_matches_torch(name):
    torch = require_torch()
    compare_module(torch, ACTIVATIONS[name], [((3, 4),), ((2, 3, 5),)],
                   train=not name.endswith("_eval"))


def test_inplace_activation_modules_repr_and_values():
    torch = require_torch()
    for name in ("ReLU", "ReLU6", "SELU", "SiLU", "Mish"):
        def call(lib, m, x):
            return m(x * 1)

        compare_module(torch, lambda nn, n=name: getattr(nn, n)(inplace=True), [((3, 4),)],
                       call=call)


# -- batch norm: running statistics ------------------------------------------------------------
@pytest.mark.parametrize("momentum", [0.1, 0.7, None])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 2, 2)])
def test_batch_norm_running_stats_follow_torch(momentum, shape):
    torch = require_torch()
    cls = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d"}[len(shape)]
    ours, theirs = construct_both(torch, lambda nn: getattr(nn, cls)(3, momentum=momentum))
    for step in range(4):
        compare_run(torch, ours, theirs, (shape,), seed=step)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        a, b = getattr(ours, name), getattr(theirs, name)
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    ours.eval()
    theirs.eval()
    compare_run(torch, ours, theirs, (shape,), seed=9)  # eval uses the running statistics
    assert ours.num_batches_tracked.item() == 4


def test_batch_norm_eval_without_running_stats_uses_batch_stats():
    torch = require_torch()
    ours, theirs = construct_both(torch, lambda nn: nn.BatchNorm1d(4, track_running_stats=False))
    ours.eval()
    theirs.eval()
    compare_run(torch, ours, theirs, ((5, 4),))
    assert ours.running_mean is None and ours.num_batches_tracked is None


def test_batch_norm_errors_match_torch():
    torch = require_torch()
    cases = [
        (lambda lib: lib.nn.BatchNorm1d(4)(lib.zeros(2, 3, 4, 5)), ValueError),
        (lambda lib: lib.nn.BatchNorm2d(4)(lib.zeros(2, 3)), ValueError),
        (lambda lib: lib.nn.BatchNorm1d(4)(lib.zeros(1, 4)), ValueError),
        (lambda lib: lib.nn.BatchNorm1d(4)(lib.zeros(2, 3)), RuntimeError),
        (lambda lib: lib.nn.functional.batch_norm(lib.zeros(2, 4), None, None), RuntimeError),
    ]
    for call, exc in cases:
        _raises_like(torch, call, exc)


def test_batch_norm_buffers_and_reset():
    bn = numtorch.nn.BatchNorm1d(3)
    assert bn.num_batches_tracked.dtype is numtorch.int64
    bn(numtorch.randn(5, 3))
    assert bn.num_batches_tracked.item() == 1 and bn.running_var.sum().item() != 3
    bn.reset_running_stats()
    assert bn.num_batches_tracked.item() == 0 and bn.running_var.sum().item() == 3
    assert bn.double().running_mean.dtype is numtorch.float64


# -- embedding ---------------------------------------------------------------------------------
def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient():
    emb = numtorch.nn.Embedding(5, 3, padding_idx=2)
    assert (emb.weight[2] == 0).all() and not (emb.weight[1] == 0).all()
    emb(numtorch.tensor([[2, 2, 1]])).sum().backward()
    assert (emb.weight.grad[2] == 0).all() and (emb.weight.grad[1] == 1).all()
    assert emb(numtorch.tensor([1])).grad_fn.name() == "EmbeddingBackward0"


def test_embedding_from_pretrained():
    torch = require_torch()
    w = np.arange(12, dtype="float32").reshape(4, 3)
    for kwargs in ({}, {"freeze": False, "padding_idx": 0}, {"max_norm": 2.0}):
        ours = numtorch.nn.Embedding.from_pretrained(numtorch.from_numpy(w.copy()), **kwargs)
        theirs = torch.nn.Embedding.from_pretrained(torch.from_numpy(w.copy()), **kwargs)
        assert repr(ours) == repr(theirs)
        assert ours.weight.requires_grad == theirs.weight.requires_grad
        idx = [[0, 3], [1, 3]]
        np.testing.assert_allclose(ours(numtorch.tensor(idx)).detach().numpy(),
                                   theirs(torch.tensor(idx)).detach().numpy(), rtol=1e-6)
        # max_norm rescales the looked-up rows in place, in both
        np.testing.assert_allclose(ours.weight.detach().numpy(),
                                   theirs.weight.detach().numpy(), rtol=1e-6)


def test_embedding_errors_match_torch():
    torch = require_torch()
    _raises_like(torch, lambda lib: lib.nn.Embedding(5, 3, padding_idx=5), AssertionError)
    _raises_like(torch, lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([5])), IndexError)
    _raises_like(torch, lambda lib: lib.nn.Embedding(5, 3)(lib.tensor([1.0])), RuntimeError)


# -- normalization errors -------------------------------------------------------------------------
def test_normalization_errors_match_torch():
    torch = require_torch()
    _raises_like(torch, lambda lib: lib.nn.LayerNorm(4)(lib.zeros(2, 3)), RuntimeError)
    _raises_like(torch, lambda lib: lib.nn.GroupNorm(3, 4), ValueError)
    _raises_like(torch, lambda lib: lib.nn.functional.layer_norm(lib.zeros(2, 4), (4,),
                                                                 lib.ones(3)), RuntimeError)
    _raises_like(torch, lambda lib: lib.nn.functional.group_norm(lib.zeros(2, 4), 3),
                 RuntimeError)


def test_layer_norm_grad_fn_names():
    x = numtorch.randn(2, 4, requires_grad=True)
    assert numtorch.nn.LayerNorm(4)(x).grad_fn.name() == "NativeLayerNormBackward0"
    assert numtorch.nn.BatchNorm1d(4)(x).grad_fn.name() == "NativeBatchNormBackward0"
    assert numtorch.nn.GroupNorm(2, 4)(x).grad_fn.name() == "NativeGroupNormBackward0"


# -- multi-head attention ----------------------------------------------------------------------
def _mha_call(**kwargs):
    """``m(q, k, v, **kwargs)`` with mask lists turned into each library's tensors."""
    def call(lib, m, q, k, v):
        kw = {}
        for key, value in kwargs.items():
            if key.endswith("mask") and value is not None:
                is_bool = isinstance(value[0][0], bool)
                kw[key] = lib.tensor(value, dtype=None if is_bool else q.dtype)
            else:
                kw[key] = value
        return m(q, k, v, **kw)

    return call


def _self_attention(lib, m, x):
    return m(x, x, x)


SELF = [((5, 2, 4),), ((3, 1, 4),)]
CROSS = [((3, 2, 4), (5, 2, 4), (5, 2, 4))]
KEY_PADDING = [[False, False, True, False, True], [False, False, False, False, False]]
BOOL_MASK = [[False, True, False, False, True]] * 3
FLOAT_MASK = [[0.0, -1.0, 0.5, -np.inf, 0.0]] * 3

MHA = {
    "self": (lambda nn: nn.MultiheadAttention(4, 2), SELF, _self_attention),
    "cross": (lambda nn: nn.MultiheadAttention(4, 2), CROSS, None),
    "unbatched": (lambda nn: nn.MultiheadAttention(4, 1), [((3, 4), (5, 4), (5, 4))], None),
    "batch_first": (lambda nn: nn.MultiheadAttention(4, 2, batch_first=True),
                    [((2, 3, 4), (2, 5, 4), (2, 5, 4))], None),
    "kdim_vdim": (lambda nn: nn.MultiheadAttention(4, 2, kdim=3, vdim=5),
                  [((3, 2, 4), (5, 2, 3), (5, 2, 5))], None),
    "no_bias": (lambda nn: nn.MultiheadAttention(4, 2, bias=False), CROSS, None),
    "bias_kv_zero_attn": (lambda nn: nn.MultiheadAttention(4, 2, add_bias_kv=True,
                                                           add_zero_attn=True),
                          CROSS, _mha_call(key_padding_mask=KEY_PADDING,
                                           attn_mask=BOOL_MASK)),
    "key_padding_mask": (lambda nn: nn.MultiheadAttention(4, 2), CROSS,
                         _mha_call(key_padding_mask=KEY_PADDING)),
    "bool_attn_mask": (lambda nn: nn.MultiheadAttention(4, 2), CROSS,
                       _mha_call(attn_mask=BOOL_MASK)),
    "float_attn_mask": (lambda nn: nn.MultiheadAttention(4, 2), CROSS,
                        _mha_call(attn_mask=FLOAT_MASK)),
    "per_head_weights": (lambda nn: nn.MultiheadAttention(4, 2), CROSS,
                         _mha_call(average_attn_weights=False)),
    "no_weights": (lambda nn: nn.MultiheadAttention(4, 2), CROSS,
                   _mha_call(need_weights=False)),
}


@pytest.mark.parametrize("name", list(MHA))
def test_multihead_attention_matches_torch(name):
    torch = require_torch()
    make, specs, call = MHA[name]
    compare_module(torch, make, specs, call=call)


def test_multihead_attention_init_and_errors():
    torch = require_torch()
    m = numtorch.nn.MultiheadAttention(6, 3)
    assert (m.in_proj_bias == 0).all() and (m.out_proj.bias == 0).all()
    bound = np.sqrt(6.0 / (6 + 18))  # xavier_uniform_ of the (18, 6) in_proj_weight
    w = m.in_proj_weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound
    assert type(m.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    assert isinstance(m.out_proj, numtorch.nn.Linear)
    _raises_like(torch, lambda lib: lib.nn.MultiheadAttention(5, 2), AssertionError)
    x = [[[0.5, -1.0, 2.0, 0.0]]]
    _raises_like(torch, lambda lib: lib.nn.MultiheadAttention(4, 2)(
        lib.tensor(x), lib.tensor(x), lib.tensor(x), is_causal=True), RuntimeError)


# -- helpers -----------------------------------------------------------------------------------
def _raises_like(torch, call, exc):
    """``call(lib)`` raises ``exc`` with the same message in both libraries."""
    with pytest.raises(exc) as theirs:
        call(torch)
    with pytest.raises(exc) as ours:
        call(numtorch)
    assert str(ours.value) == str(theirs.value)


def test_state_dict_round_trip_between_libraries():
    torch = require_torch()

    def make(nn):
        return nn.Sequential(nn.Embedding(7, 4), nn.LayerNorm(4), nn.LSTM(4, 3, 2),)

    ours, theirs = construct_both(torch, make)
    theirs2 = make(torch.nn)
    theirs2.load_state_dict({k: torch.from_numpy(v.numpy().copy())
                             for k, v in ours.state_dict().items()})
    for (k, a), (_, b) in zip(theirs.state_dict().items(), theirs2.state_dict().items()):
        assert torch.equal(a, b), k
    load_torch_state(ours, theirs)
