"""Recurrent layers: RNN, LSTM, GRU and their single-step cells.

NOTE [ Recurrent layers from differentiable ops ]
A layer runs its cell step by step with ordinary tensor ops, so autograd (and double
backward) needs nothing special. The input projection ``x W_ih^T + b_ih`` of every time step
is one matrix product before the loop; only ``h W_hh^T + b_hh`` is per step. Gate order in
the stacked weights is torch's: LSTM (input, forget, cell, output), GRU (reset, update, new),
with the GRU's new gate ``tanh(x_n + r * (h W_hn^T + b_hn))``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from ... import _functions as _ops
from ..._creation import empty, zeros
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# -- one time step: gi is the input's projection x W_ih^T + b_ih ---------------------------------
def _rnn_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None, relu: bool) -> Tensor:
    pre = gi + F.linear(h, w_hh, b_hh)
    return pre.relu() if relu else pre.tanh()


def _lstm_step(gi: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Tensor | None,
               w_hr: Tensor | None = None) -> tuple[Tensor, Tensor]:
    i, f, g, o = (gi + F.linear(h, w_hh, b_hh)).chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    x_r, x_z, x_n = gi.chunk(3, -1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, -1)
    r = (x_r + h_r).sigmoid()
    z = (x_z + h_z).sigmoid()
    n = (x_n + r * h_n).tanh()
    return (1 - z) * n + z * h


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU: parameters per layer and direction
    (``weight_ih_l{k}[_reverse]``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``,
    LSTM's ``weight_hr_l{k}`` with ``proj_size``), all U(-1/sqrt(hidden), 1/sqrt(hidden))."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        _check_config(mode, hidden_size, num_layers, dropout, proj_size)
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional = float(dropout), bidirectional
        self.proj_size = proj_size
        directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else real_hidden * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = {"weight_ih": (gate_size, layer_input),
                          "weight_hh": (gate_size, real_hidden)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                names = []
                for kind, shape in shapes.items():
                    setattr(self, kind + suffix,
                            Parameter(empty(shape, device=device, dtype=dtype)))
                    names.append(kind + suffix)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """Kept for compatibility: there is no fused weight buffer to compact."""

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- forward ---------------------------------------------------------------------------
    def _name(self) -> str:
        return type(self).__name__

    def _prepare(self, input: Tensor, hx: Any) -> tuple[Tensor, Any, bool]:
        """Input as (L, N, H_in) and the initial state, with torch's checks."""
        if input.dim() not in (2, 3):
            tensor = " tensor" if self.mode.startswith("RNN") else ""
            raise ValueError(f"{self._name()}: Expected input to be 2D or 3D, got "
                             f"{input.dim()}D{tensor} instead")
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(1)
            hx = _unsqueeze_state(hx)
        elif self.batch_first:
            input = input.transpose(0, 1)
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")
        return input, hx, batched

    def _state_shape(self, batch: int, size: int) -> tuple[int, int, int]:
        return (self.num_layers * (2 if self.bidirectional else 1), batch, size)

    def _check_hidden(self, h: Tensor, shape: tuple, which: str = "hidden") -> None:
        if tuple(h.shape) != shape:
            raise RuntimeError(f"Expected {which} size {shape}, got {list(h.shape)}")

    def _run(self, input: Tensor, states: list) -> tuple[Tensor, list]:
        """Run every layer and direction; ``states[k]`` is the state tuple of layer-direction
        k (h, or (h, c)). Returns the last layer's outputs and the final states."""
        directions = 2 if self.bidirectional else 1
        finals = []
        layer_input = input
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                out, state = self._run_direction(layer_input, states[k],
                                                 self.all_weights[k], reverse=direction == 1)
                outputs.append(out)
                finals.append(state)
            layer_input = outputs[0] if directions == 1 else _ops.cat(outputs, -1)
            if self.dropout and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, self.training)
        return layer_input, finals

    def _run_direction(self, input: Tensor, state: Any, weights: list,
                       reverse: bool) -> tuple[Tensor, Any]:
        w_ih, w_hh, *rest = weights
        b_ih, b_hh = (rest[0], rest[1]) if self.bias else (None, None)
        w_hr = rest[-1] if self.proj_size > 0 else None
        projected = F.linear(input, w_ih, b_ih)  # every time step at once
        steps = range(input.shape[0] - 1, -1, -1) if reverse else range(input.shape[0])
        outputs = [None] * input.shape[0]
        for t in steps:
            state = self._step(projected[t], state, w_hh, b_hh, w_hr)
            outputs[t] = state[0] if isinstance(state, tuple) else state
        return _ops.stack(outputs), state

    def _step(self, gi: Tensor, state: Any, w_hh: Tensor, b_hh: Tensor | None,
              w_hr: Tensor | None) -> Any:
        return _rnn_step(gi, state, w_hh, b_hh, relu=self.mode == "RNN_RELU")

    def _finish(self, output: Tensor, batched: bool) -> Tensor:
        if not batched:
            return output.squeeze(1)
        return output.transpose(0, 1) if self.batch_first else output

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        input, hx, batched = self._prepare(input, hx)
        shape = self._state_shape(input.shape[1], self.hidden_size)
        if hx is None:
            hx = zeros(shape, dtype=input.dtype)
        self._check_hidden(hx, shape)
        output, finals = self._run(input, list(hx.unbind(0)))
        h_n = _ops.stack(finals)
        return self._finish(output, batched), (h_n if batched else h_n.squeeze(1))


def _unsqueeze_state(hx: Any) -> Any:
    if hx is None:
        return None
    if isinstance(hx, tuple):
        return tuple(_unsqueeze_state(h) for h in hx)
    if hx.dim() != 2:
        raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got "
                           f"{hx.dim()}-D tensor")
    return hx.unsqueeze(1)


def _check_config(mode: str, hidden_size: int, num_layers: int, dropout: float,
                  proj_size: int) -> None:
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or \
            isinstance(dropout, bool):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", UserWarning,
                      stacklevel=4)
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable "
                         "projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")
    if proj_size and mode != "LSTM":
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu).

    Args: input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
    batch_first=False, dropout=0.0 (between layers), bidirectional=False.

    Shape: input (L, N, H_in) ((N, L, H_in) with batch_first, or (L, H_in)); h_0
    (num_layers * D, N, H) -> output (L, N, D * H), h_n (num_layers * D, N, H).

    >>> out, h = nn.RNN(3, 4)(torch.randn(5, 2, 3))
    >>> out.shape, h.shape
    (torch.Size([5, 2, 4]), torch.Size([1, 2, 4]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if len(args) > 3:  # torch's positional order puts nonlinearity fourth
            nonlinearity, args = args[3], args[:3] + args[4:]
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)


class LSTM(RNNBase):
    """Long short-term memory: gates i, f, o = sigmoid(...), g = tanh(...);
    ``c_t = f c_{t-1} + i g``, ``h_t = o tanh(c_t)`` (then ``h_t W_hr^T`` with proj_size).

    Returns ``output, (h_n, c_n)``; ``hx`` is an optional ``(h_0, c_0)``.

    >>> out, (h, c) = nn.LSTM(3, 4, batch_first=True)(torch.randn(2, 5, 3))
    >>> out.shape, c.shape
    (torch.Size([2, 5, 4]), torch.Size([1, 2, 4]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def _step(self, gi: Tensor, state: Any, w_hh: Tensor, b_hh: Tensor | None,
              w_hr: Tensor | None) -> Any:
        return _lstm_step(gi, state[0], state[1], w_hh, b_hh, w_hr)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple:
        input, hx, batched = self._prepare(input, hx)
        batch = input.shape[1]
        h_shape = self._state_shape(batch, self.proj_size or self.hidden_size)
        c_shape = self._state_shape(batch, self.hidden_size)
        if hx is None:
            hx = (zeros(h_shape, dtype=input.dtype), zeros(c_shape, dtype=input.dtype))
        self._check_hidden(hx[0], h_shape, "hidden[0]")
        self._check_hidden(hx[1], c_shape, "hidden[1]")
        states = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
        output, finals = self._run(input, states)
        h_n = _ops.stack([h for h, _ in finals])
        c_n = _ops.stack([c for _, c in finals])
        if not batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._finish(output, batched), (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit: ``r, z = sigmoid(...)``, ``n = tanh(x W_in^T + b_in + r (h W_hn^T
    + b_hn))``, ``h_t = (1 - z) n + z h_{t-1}``. Arguments and shapes as :class:`RNN`.

    >>> out, h = nn.GRU(3, 4, num_layers=2)(torch.randn(5, 3))
    >>> out.shape, h.shape
    (torch.Size([5, 4]), torch.Size([2, 4]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def _step(self, gi: Tensor, state: Any, w_hh: Tensor, b_hh: Tensor | None,
              w_hr: Tensor | None) -> Any:
        return _gru_step(gi, state, w_hh, b_hh)


# -- cells --------------------------------------------------------------------------------------
class RNNCellBase(Module):
    """One time step: parameters ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = num_chunks * hidden_size
        self.weight_ih = Parameter(empty((gate_size, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(empty((gate_size, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gate_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(gate_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _prepare(self, input: Tensor, hx: Any) -> tuple[Tensor, Any, bool]:
        if input.dim() not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got "
                             f"{input.dim()}D instead")
        if hx is not None and not isinstance(hx, tuple) and hx.dim() not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected hidden to be 1D or 2D, got "
                             f"{hx.dim()}D instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
            if hx is not None:
                hx = tuple(h.unsqueeze(0) for h in hx) if isinstance(hx, tuple) else \
                    hx.unsqueeze(0)
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.input_size}")
        return input, hx, batched

    def _zeros(self, input: Tensor) -> Tensor:
        return zeros((input.shape[0], self.hidden_size), dtype=input.dtype)

    def _check_hidden(self, input: Tensor, h: Tensor, k: int = 0) -> None:
        if h.shape[0] != input.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} "
                               f"batch size {h.shape[0]}")
        if h.shape[1] != self.hidden_size:
            raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.shape[1]}, "
                               f"expected {self.hidden_size}")


class RNNCell(RNNCellBase):
    """``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu), for one time step.

    >>> nn.RNNCell(3, 4)(torch.randn(2, 3)).shape
    torch.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, batched = self._prepare(input, hx)
        hx = self._zeros(input) if hx is None else hx
        self._check_hidden(input, hx)
        h = _rnn_step(F.linear(input, self.weight_ih, self.bias_ih), hx, self.weight_hh,
                      self.bias_hh, relu=self.nonlinearity == "relu")
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns ``(h', c')``.

    >>> h, c = nn.LSTMCell(3, 4)(torch.randn(2, 3))
    >>> h.shape
    torch.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor,
                hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        input, hx, batched = self._prepare(input, hx)
        if hx is None:
            hx = (self._zeros(input), self._zeros(input))
        self._check_hidden(input, hx[0], 0)
        self._check_hidden(input, hx[1], 1)
        h, c = _lstm_step(F.linear(input, self.weight_ih, self.bias_ih), hx[0], hx[1],
                          self.weight_hh, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step: returns ``h'``.

    >>> nn.GRUCell(3, 4)(torch.randn(3)).shape
    torch.Size([4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, hx, batched = self._prepare(input, hx)
        hx = self._zeros(input) if hx is None else hx
        self._check_hidden(input, hx)
        h = _gru_step(F.linear(input, self.weight_ih, self.bias_ih), hx, self.weight_hh,
                      self.bias_hh)
        return h if batched else h.squeeze(0)
