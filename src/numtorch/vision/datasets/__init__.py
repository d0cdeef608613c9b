"""Image datasets (``torchvision.datasets``): MNIST, FashionMNIST, CIFAR10/100, ImageFolder.

Importing this package does not import Pillow; it is imported when an image is made.
"""

from .cifar import CIFAR10, CIFAR100
from .folder import DatasetFolder, ImageFolder
from .mnist import MNIST, FashionMNIST
from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "MNIST", "DatasetFolder", "FashionMNIST", "ImageFolder",
           "VisionDataset"]
