"""The two models ``numtorch train`` can fit: seed 001's MLP and a small CNN.

Both are ordinary ``nn.Module`` subclasses, so their ``state_dict`` keys are the keys the same
class gets in PyTorch and a checkpoint loads into either library's model.
"""

from __future__ import annotations

from .. import nn
from .._tensor import Tensor

__all__ = ["MODELS", "ConvNet", "NeuralNetwork", "build_model"]


class NeuralNetwork(nn.Module):
    """Seed 001's model (PyTorch's quickstart): a 784-512-512-10 perceptron with ReLUs.

    Shape:
        input (N, 1, 28, 28) or (N, 28, 28); output (N, 10) logits.

    >>> NeuralNetwork()(numtorch.rand(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    """

    def __init__(self) -> None:
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.linear_relu_stack(self.flatten(x))


class ConvNet(nn.Module):
    """Two 3x3 convolutions (16 and 32 channels), each followed by batch norm, ReLU and 2x2
    max pooling, then a 1568-128-10 classifier.

    Small on purpose: convolutions run as im2col matmuls on the CPU, and this size trains an
    epoch of FashionMNIST in under a minute on two cores. The batch norms are what make 5
    epochs enough: with Adam at 1e-3 and the cosine decay, about 91.5-92% test accuracy,
    against 90.3-90.6% without them (measured over two seeds).

    Shape:
        input (N, 1, 28, 28); output (N, 10) logits.
    """

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 28x28 -> 14x14
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14x14 -> 7x7
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


MODELS: dict[str, type[nn.Module]] = {"mlp": NeuralNetwork, "cnn": ConvNet}


def build_model(name: str) -> nn.Module:
    """A freshly initialised model by its ``--model`` name (``"mlp"`` or ``"cnn"``)."""
    try:
        return MODELS[name]()
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}") from None
