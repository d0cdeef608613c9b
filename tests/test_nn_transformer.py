"""Transformer layers against torch: constructor defaults, submodule names and state_dict keys,
seeded initialisation (bit-identical), torch weights loaded both ways, outputs and gradients with
every mask kind, batch_first and norm_first both ways, seeded dropout, warnings and errors."""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import pytest
from conftest import require_torch
from nn_compare import compare_module, load_torch_state

import numtorch

S, N, E, T = 5, 3, 8, 4  # source length, batch, d_model, target length
NO_NESTED = {"enable_nested_tensor": False}
# torch (and numtorch) warn whenever an encoder stack cannot use nested tensors, which includes
# every nn.Transformer with batch_first=False; that warning has its own test below
pytestmark = pytest.mark.filterwarnings("ignore:enable_nested_tensor is True:UserWarning")


def _pad_mask(lib: Any, kind: str, rows: int = N, length: int = S) -> Any:
    """A key padding mask (rows, length) with the last positions padded (a left-aligned mask)."""
    blocked = np.zeros((rows, length), dtype=bool)
    blocked[0, -2:] = True
    blocked[-1, -1] = True
    if kind == "bool":
        return lib.from_numpy(blocked)
    return lib.from_numpy(np.where(blocked, -np.inf, 0.0).astype(kind))


def _attn_mask(lib: Any, kind: str, n: int = S, m: int = S) -> Any:
    """A non-causal (n, m) attention mask: each query skips one key."""
    blocked = np.zeros((n, m), dtype=bool)
    blocked[np.arange(n), (np.arange(n) + 1) % m] = True
    if kind == "bool":
        return lib.from_numpy(blocked)
    return lib.from_numpy(np.where(blocked, -np.inf, 0.0).astype(kind))


def _seeded(lib: Any, make: Any) -> Any:
    lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # enable_nested_tensor's warning, tested on its own
        return make(lib.nn)


def _assert_same_state(ours: Any, theirs: Any) -> None:
    a, b = ours.state_dict(), theirs.state_dict()
    assert list(a) == list(b)
    for k in b:
        assert a[k].dtype.itemsize == b[k].dtype.itemsize
        np.testing.assert_array_equal(a[k].numpy(), b[k].numpy(), err_msg=k)


BUILDERS = {
    "encoder_layer": lambda nn: nn.TransformerEncoderLayer(E, 2, 16),
    "encoder_layer_default_ff": lambda nn: nn.TransformerEncoderLayer(E, 4),
    "encoder_layer_options": lambda nn: nn.TransformerEncoderLayer(
        E, 2, 16, 0.0, "gelu", 1e-6, True, True, False),
    "encoder_layer_module_activation": lambda nn: nn.TransformerEncoderLayer(
        E, 2, 16, activation=nn.GELU()),
    "encoder": lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16), 3,
                                                nn.LayerNorm(E)),
    "decoder_layer": lambda nn: nn.TransformerDecoderLayer(E, 2, 16, norm_first=True),
    "decoder": lambda nn: nn.TransformerDecoder(nn.TransformerDecoderLayer(E, 2, 16), 2),
    "transformer": lambda nn: nn.Transformer(E, 2, 2, 1, 16),
    "transformer_no_bias": lambda nn: nn.Transformer(E, 2, 1, 2, 16, bias=False,
                                                     batch_first=True),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_seeded_init_and_state_dict_match_torch(name: str) -> None:
    torch = require_torch()
    theirs, ours = _seeded(torch, BUILDERS[name]), _seeded(numtorch, BUILDERS[name])
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    _assert_same_state(ours, theirs)


def test_state_dict_loads_both_ways() -> None:
    torch = require_torch()
    theirs = _seeded(torch, BUILDERS["transformer"])
    ours = numtorch.nn.Transformer(E, 2, 2, 1, 16)
    load_torch_state(ours, theirs)
    _assert_same_state(ours, theirs)
    back = torch.nn.Transformer(E, 2, 2, 1, 16)
    back.load_state_dict({k: torch.from_numpy(v.numpy().copy())
                          for k, v in ours.state_dict().items()})
    _assert_same_state(ours, back)


@pytest.mark.parametrize("cls", ["TransformerEncoderLayer", "TransformerDecoderLayer",
                                 "TransformerEncoder", "TransformerDecoder", "Transformer"])
def test_signatures_match_torch(cls: str) -> None:
    torch = require_torch()
    for method in ("__init__", "forward"):
        ours = inspect.signature(getattr(getattr(numtorch.nn, cls), method))
        theirs = inspect.signature(getattr(getattr(torch.nn, cls), method))
        assert list(ours.parameters) == list(theirs.parameters)
        for name, p in theirs.parameters.items():
            default = ours.parameters[name].default
            if p.default is torch.nn.functional.relu:  # the same function in our library
                assert default is numtorch.nn.functional.relu
            else:
                assert default == p.default, (cls, method, name)
    assert numtorch.nn.TransformerEncoderLayer(E, 2).linear1.out_features == 2048


def _encoder_layer(**kw: Any) -> Any:
    return lambda nn: nn.TransformerEncoderLayer(E, 2, 16, dropout=0.0, **kw)


ENCODER_LAYER_CASES = {
    "plain": ({}, {}),
    "batch_first": ({"batch_first": True}, {}),
    "norm_first_gelu": ({"norm_first": True, "activation": "gelu"}, {}),
    "callable_activation": ({"activation": lambda x: x.tanh()}, {}),
    "bool_masks": ({}, {"src_mask": "bool", "src_key_padding_mask": "bool"}),
    "float_masks": ({"norm_first": True}, {"src_mask": "float", "src_key_padding_mask": "float"}),
    "padding_batch_first": ({"batch_first": True}, {"src_key_padding_mask": "bool"}),
    "causal": ({}, {"src_mask": "causal", "is_causal": True}),
}


def _layer_call(masks: dict, batch_first: bool = False) -> Any:
    def call(lib: Any, m: Any, x: Any) -> Any:
        kw: dict = {}
        dtype = str(x.dtype).split(".")[-1]
        for key, kind in masks.items():
            if key == "is_causal":
                kw[key] = kind
            elif kind == "causal":
                kw[key] = lib.nn.Transformer.generate_square_subsequent_mask(S, dtype=x.dtype)
            else:
                make = _pad_mask if "padding" in key else _attn_mask
                kw[key] = make(lib, dtype if kind == "float" else kind)
        return m(x, **kw)
    return call


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("case", list(ENCODER_LAYER_CASES))
def test_encoder_layer_matches_torch(case: str, train: bool) -> None:
    torch = require_torch()
    kw, masks = ENCODER_LAYER_CASES[case]
    shape = (N, S, E) if kw.get("batch_first") else (S, N, E)
    compare_module(torch, _encoder_layer(**kw), [(shape,)], call=_layer_call(masks), train=train)


def test_encoder_layer_unbatched() -> None:
    torch = require_torch()
    compare_module(torch, _encoder_layer(), [((S, E),)], train=False)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_matches_torch(batch_first: bool, norm_first: bool) -> None:
    torch = require_torch()

    def make(nn: Any) -> Any:
        layer = nn.TransformerEncoderLayer(E, 2, 16, 0.0, batch_first=batch_first,
                                           norm_first=norm_first)
        return nn.TransformerEncoder(layer, 2, nn.LayerNorm(E), **NO_NESTED)

    shape = (N, S, E) if batch_first else (S, N, E)
    masks = {"mask": "bool", "src_key_padding_mask": "bool"}
    for train in (True, False):
        compare_module(torch, make, [(shape,)], call=_layer_call(masks), train=train)
        compare_module(torch, make, [(shape,)], call=_layer_call({"mask": "causal"}),
                       train=train)


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors:UserWarning")
def test_encoder_inference_zeroes_padded_positions_like_torch() -> None:
    """torch runs this case on nested tensors: padded positions come out of the stack as 0."""
    torch = require_torch()
    x = np.random.default_rng(0).standard_normal((N, S, E)).astype(np.float32)
    outs = []
    for lib in (torch, numtorch):
        lib.manual_seed(0)
        enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, 2, 16,
                                                                       batch_first=True), 2)
        enc.eval()
        with lib.no_grad():
            outs.append(enc(lib.from_numpy(x), src_key_padding_mask=_pad_mask(lib, "bool"))
                        .numpy())
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-5)
    assert not outs[1][0, -2:].any()


def _decoder_call(masks: bool, batch_first: bool = False) -> Any:
    def call(lib: Any, m: Any, tgt: Any, memory: Any) -> Any:
        if not masks:
            return m(tgt, memory)
        causal = lib.nn.Transformer.generate_square_subsequent_mask(T, dtype=tgt.dtype)
        return m(tgt, memory, tgt_mask=causal, memory_mask=_attn_mask(lib, "bool", T, S),
                 tgt_key_padding_mask=_pad_mask(lib, str(tgt.dtype).split(".")[-1], N, T),
                 memory_key_padding_mask=_pad_mask(lib, "bool"))
    return call


@pytest.mark.parametrize("masks", [False, True])
@pytest.mark.parametrize("options", [{}, {"norm_first": True, "batch_first": True}])
def test_decoder_matches_torch(options: dict, masks: bool) -> None:
    torch = require_torch()
    bf = options.get("batch_first", False)
    specs = [((N, T, E), (N, S, E))] if bf else [((T, N, E), (S, N, E))]

    def layer(nn: Any) -> Any:
        return nn.TransformerDecoderLayer(E, 2, 16, 0.0, **options)

    for make in (layer, lambda nn: nn.TransformerDecoder(layer(nn), 2, nn.LayerNorm(E))):
        for train in (True, False):
            compare_module(torch, make, specs, call=_decoder_call(masks), train=train)


@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_torch(batch_first: bool) -> None:
    torch = require_torch()

    def make(nn: Any) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nn.Transformer(E, 2, 2, 2, 16, 0.0, batch_first=batch_first)

    def call(lib: Any, m: Any, src: Any, tgt: Any) -> Any:
        causal = m.generate_square_subsequent_mask(T, dtype=tgt.dtype)
        return m(src, tgt, tgt_mask=causal, src_key_padding_mask=_pad_mask(lib, "bool"),
                 memory_key_padding_mask=_pad_mask(lib, "bool"))

    specs = [((N, S, E), (N, T, E))] if batch_first else [((S, N, E), (T, N, E))]
    compare_module(torch, make, specs, call=call, train=True)
    compare_module(torch, make, specs, call=call, train=False, dtypes=("float32",))


def _seeded_dropout_run(lib: Any, make: Any, arrays: list) -> list:
    model = _seeded(lib, make)
    lib.manual_seed(1)
    xs = [lib.from_numpy(a.copy()).requires_grad_(True) for a in arrays]
    out = model(*xs)
    out.sum().backward()
    return [out.detach().numpy(), *(x.grad.numpy() for x in xs),
            *(p.grad.numpy() for p in model.parameters())]


@pytest.mark.parametrize("name", ["encoder_dropout", "norm_first_dropout", "transformer"])
def test_seeded_dropout_matches_torch(name: str) -> None:
    torch = require_torch()
    rng = np.random.default_rng(0)
    makes = {
        "encoder_dropout": lambda nn: nn.TransformerEncoder(
            nn.TransformerEncoderLayer(E, 2, 16, dropout=0.3), 2),
        "norm_first_dropout": lambda nn: nn.TransformerDecoderLayer(E, 2, 16, 0.3,
                                                                    norm_first=True),
        "transformer": lambda nn: nn.Transformer(E, 2, 1, 1, 16, dropout=0.5),
    }
    shapes = [(S, N, E)] if name == "encoder_dropout" else [(S, N, E), (T, N, E)]
    if name == "norm_first_dropout":
        shapes = [(T, N, E), (S, N, E)]
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    ours = _seeded_dropout_run(numtorch, makes[name], arrays)
    theirs = _seeded_dropout_run(torch, makes[name], arrays)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_generate_square_subsequent_mask() -> None:
    torch = require_torch()
    for sz, dtype in ((1, None), (4, None), (3, "float64")):
        ours = numtorch.nn.Transformer.generate_square_subsequent_mask(
            sz, dtype=dtype and getattr(numtorch, dtype))
        theirs = torch.nn.Transformer.generate_square_subsequent_mask(
            sz, dtype=dtype and getattr(torch, dtype))
        assert str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def _messages(lib: Any, make: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(lib)
    return [str(w.message) for w in caught if w.category is UserWarning]


@pytest.mark.parametrize("kw", [{}, {"batch_first": True, "norm_first": True},
                                {"batch_first": True, "activation": lambda x: x},
                                {"batch_first": True, "bias": False}, {"batch_first": True},
                                {"batch_first": True, "nhead": 1}])
def test_enable_nested_tensor_warning_matches_torch(kw: dict) -> None:
    torch = require_torch()
    kw = {"nhead": 2, **kw}

    def make(lib: Any) -> Any:
        return lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, dim_feedforward=16,
                                                                        **kw), 1)

    assert _messages(numtorch, make) == _messages(torch, make)


def test_mismatched_mask_types_warn_like_torch() -> None:
    torch = require_torch()

    def run(lib: Any) -> None:
        layer = lib.nn.TransformerEncoderLayer(E, 2, 16)
        layer(lib.zeros(S, N, E), src_mask=_attn_mask(lib, "float32"),
              src_key_padding_mask=_pad_mask(lib, "bool"))

    assert _messages(numtorch, run) == _messages(torch, run) != []


def _raised(lib: Any, fn: Any) -> tuple[type, str]:
    with pytest.raises(Exception) as info:  # noqa: PT011 - the type is what we compare
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(lib)
    return type(info.value).__name__, str(info.value)


ERRORS = {
    "activation_name": lambda lib: lib.nn.TransformerEncoderLayer(E, 2, activation="tanh"),
    "nhead_divides": lambda lib: lib.nn.TransformerEncoderLayer(E, 3),
    "int_mask": lambda lib: lib.nn.TransformerEncoderLayer(E, 2, 16)(
        lib.zeros(S, N, E), src_key_padding_mask=lib.zeros(N, S, dtype=lib.int64)),
    "feature_width": lambda lib: lib.nn.TransformerEncoderLayer(E, 2, 16)(lib.zeros(S, N, 6)),
    "causal_without_mask": lambda lib: lib.nn.TransformerEncoderLayer(E, 2, 16)(
        lib.zeros(S, N, E), is_causal=True),
    "batch_mismatch": lambda lib: lib.nn.Transformer(E, 2, 1, 1, 16)(
        lib.zeros(S, N, E), lib.zeros(T, N + 1, E)),
    "batch_mismatch_batch_first": lambda lib: lib.nn.Transformer(E, 2, 1, 1, 16,
                                                                 batch_first=True)(
        lib.zeros(N, S, E), lib.zeros(N + 1, T, E)),
    "d_model": lambda lib: lib.nn.Transformer(E, 2, 1, 1, 16)(
        lib.zeros(S, N, E), lib.zeros(T, N, 6)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name: str) -> None:
    torch = require_torch()
    assert _raised(numtorch, ERRORS[name]) == _raised(torch, ERRORS[name])


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors:UserWarning")
@pytest.mark.parametrize("case", ["layer", "layer_masks", "encoder_not_left_aligned",
                                  "encoder_gelu"])
def test_inference_matches_torch_fast_path(case: str) -> None:
    """Eval mode without grad: torch takes its fused kernels, numtorch the same composites."""
    torch = require_torch()
    x = np.random.default_rng(1).standard_normal((N, S, E)).astype(np.float32)

    def run(lib: Any) -> np.ndarray:
        lib.manual_seed(0)
        act = "gelu" if case == "encoder_gelu" else "relu"
        m = lib.nn.TransformerEncoderLayer(E, 2, 16, activation=act, batch_first=True)
        kw: dict = {}
        if case == "layer_masks":
            kw = {"src_mask": _attn_mask(lib, "bool"), "src_key_padding_mask":
                  _pad_mask(lib, "bool")}
        if case.startswith("encoder"):
            m = lib.nn.TransformerEncoder(m, 2)
            padded = _pad_mask(lib, "bool")
            if case == "encoder_not_left_aligned":
                padded = padded.flip(-1)
            kw = {"src_key_padding_mask": padded}
        m.eval()
        with lib.no_grad():
            return m(lib.from_numpy(x), **kw).numpy()

    np.testing.assert_allclose(run(numtorch), run(torch), rtol=1e-5, atol=1e-5)


def test_unbatched_and_custom_encoder_match_torch() -> None:
    torch = require_torch()

    def make(nn: Any) -> Any:
        encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, 2, 16, 0.0), 1)
        return nn.Transformer(E, 2, custom_encoder=encoder, num_decoder_layers=1,
                              dim_feedforward=16, dropout=0.0)

    compare_module(torch, make, [((S, E), (T, E)), ((S, N, E), (T, N, E))])


def test_factory_kwargs() -> None:
    model = numtorch.nn.Transformer(E, 2, 1, 1, 16, dtype=numtorch.float64)
    assert {p.dtype for p in model.parameters()} == {numtorch.float64}
    f64 = numtorch.float64
    src, tgt = numtorch.randn(S, N, E, dtype=f64), numtorch.randn(T, N, E, dtype=f64)
    assert model(src, tgt).dtype is numtorch.float64


MASK_SHAPE_ERRORS = {
    "attn_mask_2d": lambda lib: {"src_mask": lib.zeros(S - 1, S - 1)},
    "attn_mask_3d": lambda lib: {"src_mask": lib.zeros(S, S, S - 1)},
    "padding_length": lambda lib: {"src_key_padding_mask": lib.zeros(N, S - 1, dtype=lib.bool)},
    "padding_batch": lambda lib: {"src_key_padding_mask": lib.zeros(N - 1, S, dtype=lib.bool)},
}


@pytest.mark.parametrize("name", list(MASK_SHAPE_ERRORS))
def test_mask_shape_errors_match_torch(name: str) -> None:
    torch = require_torch()

    def run(lib: Any) -> None:
        lib.nn.TransformerEncoderLayer(E, 2, 16)(lib.zeros(S, N, E), **MASK_SHAPE_ERRORS[name](lib))

    assert _raised(numtorch, run) == _raised(torch, run)
