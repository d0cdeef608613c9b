"""CIFAR-10 and CIFAR-100 from their python pickle batches (``torchvision.datasets.CIFAR10``).

The batches are pickles, and a pickle can run any code while it loads. NOTE [ Restricted
unpickling ]: they are read with an unpickler that resolves only the few globals a batch needs
(numpy's array reconstruction, ``ndarray``, ``dtype``, and ``_codecs.encode`` that protocol-2
pickles use for bytes); any other global, such as ``os.system``, is refused before it can run.
"""

from __future__ import annotations

import codecs
import os
import pickle
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

from .._pil import image_module
from .utils import check_integrity, download_and_extract_archive
from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100"]

# numpy pickles arrays as _reconstruct(ndarray, shape, dtype) + setstate; take the function from
# numpy itself, since importing it by its old path (numpy.core) warns under numpy 2
_RECONSTRUCT = np.zeros(1).__reduce__()[0]
_ALLOWED_GLOBALS: dict[tuple[str, str], Any] = {
    ("numpy.core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy._core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): codecs.encode,
}


class _BatchUnpickler(pickle.Unpickler):
    """An unpickler for dicts/lists/bytes/numpy arrays only (see NOTE [ Restricted unpickling ])."""

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED_GLOBALS.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(
                f"refusing to load global '{module}.{name}' from a CIFAR batch: only numpy "
                "arrays, lists, dicts, strings and bytes are allowed")
        return found


def load_batch(file: BinaryIO) -> dict:
    """Unpickle one CIFAR batch (a dict) without running code from the file."""
    entry = _BatchUnpickler(file, encoding="latin1").load()
    if not isinstance(entry, dict):
        raise pickle.UnpicklingError(f"a CIFAR batch is a dict, got {type(entry).__name__}")
    return entry


class CIFAR10(VisionDataset):
    """CIFAR-10: 60,000 32x32 colour images in 10 classes (50,000 train, 10,000 test).

    Args:
        root: folder holding ``cifar-10-batches-py/`` (or where to download it).
        train: the training batches if True, else the test batch.
        transform: applied to each PIL image (mode ``'RGB'``).
        target_transform: applied to each int label.
        download: fetch and extract the archive into ``root`` if the batches are missing.

    Attributes:
        data (numpy.ndarray): uint8 images of shape (N, 32, 32, 3), HWC.
        targets (list[int]): the labels.
        classes, class_to_idx: the class names from ``batches.meta``.
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {"filename": "batches.meta", "key": "label_names",
            "md5": "5ff9c542aee3614f3951f8cda6e48888"}

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_integrity():
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to "
                               "download it\n" + self._where_hint())
        data: list[np.ndarray] = []
        self.targets: list[int] = []
        for file_name, _ in self.train_list if self.train else self.test_list:
            with open(os.path.join(self.root, self.base_folder, file_name), "rb") as f:
                entry = load_batch(f)
            data.append(np.asarray(entry["data"], dtype=np.uint8))
            labels = entry["labels"] if "labels" in entry else entry["fine_labels"]
            self.targets.extend(int(label) for label in labels)
        # rows are 3072 bytes: the R plane, then G, then B, each 32x32; make them HWC
        self.data = np.vstack(data).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        self._load_meta()

    def _load_meta(self) -> None:
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        if not check_integrity(path, self.meta["md5"]):
            raise RuntimeError("Dataset metadata file not found or corrupted. You can use "
                               "download=True to download it")
        with open(path, "rb") as f:
            self.classes = list(load_batch(f)[self.meta["key"]])
        self.class_to_idx = {_class: i for i, _class in enumerate(self.classes)}

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        """``(image, target)``: a PIL RGB image and the int class (transformed)."""
        img, target = self.data[index], self.targets[index]
        img = image_module().fromarray(img)  # (32, 32, 3) uint8 becomes mode "RGB"
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self.data)

    def _check_integrity(self) -> bool:
        return all(check_integrity(os.path.join(self.root, self.base_folder, name), md5)
                   for name, md5 in self.train_list + self.test_list)

    def _where_hint(self) -> str:
        return (f"numtorch looks for the batches in {os.path.join(self.root, self.base_folder)};"
                f" without network, put {self.filename} (from {self.url}) in {self.root} and "
                "use download=True to check and extract it.")

    def download(self) -> None:
        """Download and extract the archive into ``root`` unless the batches are there.

        Raises:
            RuntimeError: the server could not be reached (the message says what to put
                where), or the archive had the wrong MD5.
        """
        if self._check_integrity():
            return
        try:
            download_and_extract_archive(self.url, self.root, filename=self.filename,
                                         md5=self.tgz_md5)
        except OSError as error:  # URLError, timeouts, refused connections
            raise RuntimeError(f"Error downloading {self.filename}: {error}\n"
                               + self._where_hint()) from error

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: as :class:`CIFAR10` with 100 fine classes (targets are the fine labels)."""

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list = [["train", "16019d7e3df5f24257cddd939b257f8d"]]
    test_list = [["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"]]
    meta = {"filename": "meta", "key": "fine_label_names",
            "md5": "7973b15100ade9c7d40fb424638fde48"}
