"""RNN, LSTM, GRU and their cells against torch: parameter names and order, default init,
and with torch's weights the same outputs, final states and gradients (inputs, initial
states and every weight), float32 within 1e-5 and float64 within 1e-10."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from conftest import require_torch
from nn_compare import compare_module, construct_both

import numtorch

# (time, batch, features) unless batch_first
SEQ = [((5, 2, 3),), ((1, 3, 3),)]
SEQ_BATCH_FIRST = [((2, 5, 3),)]
UNBATCHED = [((4, 3),)]

RECURRENT = {
    "rnn": (lambda nn: nn.RNN(3, 4), SEQ + UNBATCHED),
    "rnn_relu": (lambda nn: nn.RNN(3, 4, nonlinearity="relu"), SEQ),
    "rnn_relu_positional": (lambda nn: nn.RNN(3, 4, 2, "relu"), SEQ),
    "rnn_deep_bidirectional": (lambda nn: nn.RNN(3, 4, num_layers=2, bidirectional=True), SEQ),
    "rnn_batch_first_no_bias": (lambda nn: nn.RNN(3, 4, bias=False, batch_first=True),
                                SEQ_BATCH_FIRST),
    "lstm": (lambda nn: nn.LSTM(3, 4), SEQ + UNBATCHED),
    "lstm_deep": (lambda nn: nn.LSTM(3, 4, num_layers=3), SEQ),
    "lstm_bidirectional_batch_first": (lambda nn: nn.LSTM(3, 4, 2, batch_first=True,
                                                          bidirectional=True),
                                       SEQ_BATCH_FIRST),
    "lstm_no_bias": (lambda nn: nn.LSTM(3, 4, bias=False), SEQ),
    "lstm_proj": (lambda nn: nn.LSTM(3, 4, num_layers=2, proj_size=2, bidirectional=True),
                  SEQ + UNBATCHED),
    "gru": (lambda nn: nn.GRU(3, 4), SEQ + UNBATCHED),
    "gru_deep_bidirectional": (lambda nn: nn.GRU(3, 4, num_layers=2, bidirectional=True), SEQ),
    "gru_batch_first_no_bias": (lambda nn: nn.GRU(3, 5, bias=False, batch_first=True),
                                SEQ_BATCH_FIRST),
}


# torch's own kernel choice for projections warns; that is torch's business
TORCH_PROJ_WARNING = "ignore:LSTM with projections is not supported with oneDNN"


@pytest.mark.filterwarnings(TORCH_PROJ_WARNING)
@pytest.mark.parametrize("name", list(RECURRENT))
def test_recurrent_layer_matches_torch(name):
    torch = require_torch()
    make, specs = RECURRENT[name]
    compare_module(torch, make, specs)


def _with_state(lib, m, x, h0, c0=None):
    return m(x, h0 if c0 is None else (h0, c0))


@pytest.mark.parametrize("name", ["rnn", "gru", "lstm"])
def test_given_initial_state_gets_gradients(name):
    torch = require_torch()
    cls = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM"}[name]
    # two layers, both directions: h0 is (4, N, H)
    specs = [((5, 2, 3), (4, 2, 4)) + (((4, 2, 4),) if name == "lstm" else ())]
    compare_module(torch, lambda nn: getattr(nn, cls)(3, 4, 2, bidirectional=True), specs,
                   call=_with_state)


@pytest.mark.filterwarnings(TORCH_PROJ_WARNING)
def test_lstm_proj_initial_state():
    torch = require_torch()
    specs = [((5, 2, 3), (1, 2, 2), (1, 2, 4))]
    compare_module(torch, lambda nn: nn.LSTM(3, 4, proj_size=2), specs, call=_with_state)


def test_unbatched_initial_state():
    torch = require_torch()
    compare_module(torch, lambda nn: nn.GRU(3, 4, 2), [((5, 3), (2, 4))], call=_with_state)


CELLS = {
    "rnn_cell": (lambda nn: nn.RNNCell(3, 4), [((2, 3),), ((2, 3), (2, 4)), ((3,),)]),
    "rnn_cell_relu_no_bias": (lambda nn: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
                              [((2, 3),)]),
    "gru_cell": (lambda nn: nn.GRUCell(3, 4), [((2, 3),), ((2, 3), (2, 4)), ((3,), (4,))]),
    "lstm_cell": (lambda nn: nn.LSTMCell(3, 4), [((2, 3),), ((3,),)]),
}


@pytest.mark.parametrize("name", list(CELLS))
def test_cell_matches_torch(name):
    torch = require_torch()
    make, specs = CELLS[name]
    compare_module(torch, make, specs)


def test_lstm_cell_with_state():
    torch = require_torch()
    compare_module(torch, lambda nn: nn.LSTMCell(3, 4), [((2, 3), (2, 4), (2, 4))],
                   call=lambda lib, m, x, h, c: m(x, (h, c)))


def test_a_cell_unrolled_equals_the_layer():
    """RNNCell stepped by hand over a sequence gives nn.RNN's output (same weights)."""
    layer, cell = numtorch.nn.GRU(3, 4), numtorch.nn.GRUCell(3, 4)
    cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})
    x = numtorch.randn(6, 2, 3)
    h = numtorch.zeros(2, 4)
    steps = []
    for t in range(6):
        h = cell(x[t], h)
        steps.append(h)
    out, h_n = layer(x)
    np.testing.assert_allclose(out.detach().numpy(), numtorch.stack(steps).detach().numpy(),
                               rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(h_n[0].detach().numpy(), h.detach().numpy(), rtol=1e-6)


def test_default_init_is_uniform_in_inverse_sqrt_hidden():
    numtorch.manual_seed(0)
    lstm = numtorch.nn.LSTM(10, 25, num_layers=2, bidirectional=True)
    bound = 1 / math.sqrt(25)
    values = np.concatenate([p.detach().numpy().ravel() for p in lstm.parameters()])
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.99 * bound
    assert abs(values.mean()) < 0.02  # U(-b, b) has mean 0
    assert all(p.requires_grad and p.is_leaf for p in lstm.parameters())


def test_layer_dropout_is_applied_between_layers_in_training_only():
    numtorch.manual_seed(0)
    rnn = numtorch.nn.GRU(3, 8, num_layers=2, dropout=0.5)
    x = numtorch.randn(4, 2, 3)
    a, _ = rnn(x)
    b, _ = rnn(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())  # a new mask each call
    rnn.eval()
    c, _ = rnn(x)
    d, _ = rnn(x)
    np.testing.assert_array_equal(c.detach().numpy(), d.detach().numpy())


def test_dropout_with_one_layer_warns_like_torch():
    torch = require_torch()
    with pytest.warns(UserWarning) as theirs:
        torch.nn.RNN(3, 4, dropout=0.5)
    with pytest.warns(UserWarning) as ours:
        numtorch.nn.RNN(3, 4, dropout=0.5)
    assert str(ours[0].message) == str(theirs[0].message)


ERRORS = [
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 3, 5)), RuntimeError),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(1, 2, 3, 3)), ValueError),
    (lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(1, 2, 3, 3)), ValueError),
    (lambda lib: lib.nn.GRU(3, 4)(lib.zeros(1, 2, 3, 3)), ValueError),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(2, 5, 3), lib.zeros(2, 5, 4)), RuntimeError),
    (lambda lib: lib.nn.RNN(3, 4)(lib.zeros(5, 3), lib.zeros(1, 1, 4)), RuntimeError),
    (lambda lib: lib.nn.LSTM(3, 4)(lib.zeros(2, 5, 3), (lib.zeros(1, 5, 4), lib.zeros(1, 4, 4))),
     RuntimeError),
    (lambda lib: lib.nn.RNN(3, 4, dropout=1.5), ValueError),
    (lambda lib: lib.nn.RNN(3, 0), ValueError),
    (lambda lib: lib.nn.RNN(3, 4, num_layers=0), ValueError),
    (lambda lib: lib.nn.RNN(3, 4, proj_size=2), ValueError),
    (lambda lib: lib.nn.GRU(3, 4, proj_size=2), ValueError),
    (lambda lib: lib.nn.LSTM(3, 4, proj_size=4), ValueError),
    (lambda lib: lib.nn.LSTM(3, 4, proj_size=-1), ValueError),
    (lambda lib: lib.nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError),
    (lambda lib: lib.nn.RNNCell(3, 4)(lib.zeros(2, 5)), RuntimeError),
    (lambda lib: lib.nn.RNNCell(3, 4)(lib.zeros(1, 2, 3)), ValueError),
    (lambda lib: lib.nn.RNNCell(3, 4)(lib.zeros(2, 3), lib.zeros(3, 4)), RuntimeError),
    (lambda lib: lib.nn.GRUCell(3, 4)(lib.zeros(2, 3), lib.zeros(2, 5)), RuntimeError),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_match_torch(case):
    torch = require_torch()
    call, exc = ERRORS[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(exc) as theirs:
            call(torch)
        with pytest.raises(exc) as ours:
            call(numtorch)
    assert str(ours.value) == str(theirs.value)


def test_all_weights_and_flat_weight_names_match_torch():
    torch = require_torch()
    ours, theirs = construct_both(torch, lambda nn: nn.LSTM(3, 4, 2, bidirectional=True,
                                                            proj_size=2))
    assert ours._flat_weights_names == theirs._flat_weights_names
    assert [[tuple(w.shape) for w in ws] for ws in ours.all_weights] == \
        [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]
    ours.flatten_parameters()
