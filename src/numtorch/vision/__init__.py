"""numtorch.vision: what ``import torchvision`` gives under ``numtorch run``.

``datasets`` (MNIST, FashionMNIST, CIFAR10/100, ImageFolder), ``transforms`` and ``utils``
(make_grid, save_image). Pillow is an optional extra (``pip install 'numtorch[vision]'``):
importing this package does not import it; making or reading an image does.
"""

from __future__ import annotations

from . import datasets, transforms, utils

__all__ = ["datasets", "get_image_backend", "set_image_backend", "transforms", "utils"]

_image_backend = "PIL"


def get_image_backend() -> str:
    """The package used to load images: always ``"PIL"`` here."""
    return _image_backend


def set_image_backend(backend: str) -> None:
    """Choose the image backend; numtorch supports only ``"PIL"`` (no accimage)."""
    if backend not in ("PIL", "accimage"):
        raise ValueError(f"Invalid backend '{backend}'. Options are 'PIL' and 'accimage'")
    if backend != "PIL":
        raise ValueError("numtorch.vision supports only the 'PIL' image backend")
