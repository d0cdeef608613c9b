"""A seeded training run gives torch's numbers.

With the same seed, a small MLP is built (default initialisation), fed by a shuffling
DataLoader, regularised by dropout and trained by SGD for three epochs in both libraries. Every
random draw (data, weights, batch order, dropout masks) must be torch's for the loss sequence to
agree; what is left is the arithmetic's rounding, hence the relative tolerance of 1e-5.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def train(T: Any, seed: int, momentum: float) -> tuple[list[float], list[float]]:
    """The per-batch training losses of three epochs, then the eval-mode predictions."""
    T.manual_seed(seed)
    x = T.randn(203, 10)
    y = (x[:, :3].sum(1, keepdim=True) > 0).float()
    loader = T.utils.data.DataLoader(T.utils.data.TensorDataset(x, y), batch_size=16,
                                     shuffle=True)
    model = T.nn.Sequential(T.nn.Linear(10, 32), T.nn.ReLU(), T.nn.Dropout(0.25),
                            T.nn.Linear(32, 16), T.nn.Tanh(), T.nn.Dropout(0.1),
                            T.nn.Linear(16, 1))
    optimizer = T.optim.SGD(model.parameters(), lr=0.1, momentum=momentum)
    loss_fn = T.nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(3):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    with T.no_grad():
        predictions = model(x[:20]).flatten().tolist()
    return losses, predictions


@pytest.mark.parametrize("seed, momentum", [(0, 0.0), (1, 0.9), (2024, 0.5)])
def test_mlp_training_reproduces_torchs_losses(seed: int, momentum: float) -> None:
    torch = require_torch()
    expected_losses, expected_predictions = train(torch, seed, momentum)
    losses, predictions = train(numtorch, seed, momentum)
    assert len(losses) == len(expected_losses) == 3 * 13
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-5, atol=0)
    np.testing.assert_allclose(predictions, expected_predictions, rtol=1e-5, atol=1e-7)


def test_tutorial_numbers() -> None:
    """What a tutorial prints after ``torch.manual_seed(0)``: the same numbers, exactly."""
    torch = require_torch()
    results = []
    for T in (torch, numtorch):
        T.manual_seed(0)
        results.append([T.rand(2, 3), T.randn(2, 3), T.randint(0, 10, (5,)), T.randperm(6),
                        T.normal(0.0, 1.0, size=(4,)), T.nn.Linear(3, 2).weight.detach(),
                        T.nn.functional.dropout(T.ones(8), 0.5)])
    for expected, got in zip(*results):
        np.testing.assert_array_equal(got.numpy(), expected.numpy())
        assert got.dtype.__repr__() == expected.dtype.__repr__()
        assert repr(got) == repr(expected)
