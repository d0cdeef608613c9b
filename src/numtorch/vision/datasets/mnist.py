"""MNIST and Fashion-MNIST, read from their IDX files (``torchvision.datasets.MNIST``).

Files are looked for, in order, in torchvision's layout ``<root>/<ClassName>/raw/`` (plain or
``.gz``) and then in the copy a system package installs (Debian's ``dataset-fashion-mnist``
puts the four ``.gz`` files in ``/usr/share/datasets/fashion-mnist/``). The system folder's
parent is ``$NUMTORCH_SYSTEM_DATASETS`` when set, else :data:`SYSTEM_DATASETS_DIR`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from ..._tensor import Tensor
from .._pil import image_module
from .utils import (
    download_and_extract_archive,
    read_image_file,
    read_label_file,
    read_sn3_pascalvincent_tensor,
)
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "read_image_file", "read_label_file",
           "read_sn3_pascalvincent_tensor"]

SYSTEM_DATASETS_DIR = "/usr/share/datasets"
SYSTEM_DATASETS_ENV = "NUMTORCH_SYSTEM_DATASETS"


class MNIST(VisionDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels.

    Args:
        root: folder holding ``MNIST/raw/train-images-idx3-ubyte`` and the other files.
        train: the training split if True, else the test split.
        transform: applied to each PIL image (mode ``'L'``).
        target_transform: applied to each int label.
        download: fetch the files into ``root`` first if they are not there.

    Attributes:
        data (Tensor): uint8 images of shape (N, 28, 28).
        targets (Tensor): int64 labels of shape (N,).

    >>> ds = MNIST("data", train=False, download=True)   # doctest: +SKIP
    >>> img, label = ds[0]                                # doctest: +SKIP
    """

    mirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    training_file = "training.pt"
    test_file = "test.pt"
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]
    # numtorch: where a system package installs the files (a folder under SYSTEM_DATASETS_DIR)
    system_subdir: str | None = None
    debian_package: str | None = None

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        folder = self._data_folder()
        if folder is None:
            raise RuntimeError("Dataset not found. You can use download=True to download it\n"
                               + self._where_hint())
        self.data, self.targets = self._load_data(folder)

    # -- deprecated names, as torchvision keeps them -----------------------------------------
    @property
    def train_labels(self) -> Tensor:
        warnings.warn("train_labels has been renamed targets", stacklevel=2)
        return self.targets

    @property
    def test_labels(self) -> Tensor:
        warnings.warn("test_labels has been renamed targets", stacklevel=2)
        return self.targets

    @property
    def train_data(self) -> Tensor:
        warnings.warn("train_data has been renamed data", stacklevel=2)
        return self.data

    @property
    def test_data(self) -> Tensor:
        warnings.warn("test_data has been renamed data", stacklevel=2)
        return self.data

    # -- folders -----------------------------------------------------------------------------
    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def system_folder(self) -> str | None:
        """The folder a system package installs the files in, or None for this dataset."""
        if self.system_subdir is None:
            return None
        base = os.environ.get(SYSTEM_DATASETS_ENV) or SYSTEM_DATASETS_DIR
        return os.path.join(base, self.system_subdir)

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {_class: i for i, _class in enumerate(self.classes)}

    @staticmethod
    def _find(folder: str, gz_name: str) -> str | None:
        """The file ``gz_name`` in ``folder`` decompressed, else compressed, else None."""
        for name in (gz_name.removesuffix(".gz"), gz_name):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                return path
        return None

    def _data_folder(self) -> str | None:
        """The first folder holding all four files: the raw folder, then the system copy."""
        for folder in (self.raw_folder, self.system_folder):
            if folder and all(self._find(folder, name) for name, _ in self.resources):
                return folder
        return None

    def _check_exists(self) -> bool:
        return self._data_folder() is not None

    def _load_data(self, folder: str) -> tuple[Tensor, Tensor]:
        split = "train" if self.train else "t10k"
        images = self._find(folder, f"{split}-images-idx3-ubyte.gz")
        labels = self._find(folder, f"{split}-labels-idx1-ubyte.gz")
        assert images is not None and labels is not None
        return read_image_file(images), read_label_file(labels)

    def _where_hint(self) -> str:
        names = ", ".join(name for name, _ in self.resources)
        hint = f"numtorch looks for {names} (plain or .gz) in {self.raw_folder}"
        if self.system_folder is not None:
            hint += f", then in {self.system_folder}"
            if self.debian_package:
                hint += f" (Debian: apt-get install {self.debian_package})"
        return hint + "."

    # -- download ----------------------------------------------------------------------------
    def download(self) -> None:
        """Download the files into :attr:`raw_folder` unless they are already there.

        Raises:
            RuntimeError: no mirror could be reached (the message says where to put the files
                by hand), or a downloaded file had the wrong MD5.
        """
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            errors = []
            for mirror in self.mirrors:
                url = f"{mirror}{filename}"
                try:
                    download_and_extract_archive(url, download_root=self.raw_folder,
                                                 filename=filename, md5=md5)
                except OSError as error:  # URLError, timeouts, refused connections
                    print(f"Failed to download (trying next):\n{error}\n")
                    errors.append(f"{url}: {error}")
                    continue
                break
            else:
                raise RuntimeError(f"Error downloading {filename}:\n  " + "\n  ".join(errors)
                                   + "\nWithout network, put the files in place: "
                                   + self._where_hint())

    # -- items -------------------------------------------------------------------------------
    def __getitem__(self, index: int) -> tuple[Any, Any]:
        """``(image, target)``: a PIL image of mode ``'L'`` and the int class (transformed)."""
        # index the arrays: two tensor indexings would cost more than the rest of the item
        img, target = self.data.numpy()[index], int(self.targets.numpy()[index])
        img = image_module().fromarray(img)  # a 2-D uint8 array becomes mode "L"
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grey images of 10 kinds of clothing, MNIST's layout.

    Also read from Debian's ``dataset-fashion-mnist`` package when ``root`` has no copy.
    Arguments and attributes as :class:`MNIST`.
    """

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
    system_subdir = "fashion-mnist"
    debian_package = "dataset-fashion-mnist"
