"""The datasets of ``numtorch train``, read once and served as whole batches."""

from __future__ import annotations

import os

from .._random import Generator
from .._tensor import Tensor
from ..utils.data import BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler
from ..vision.datasets import MNIST, FashionMNIST
from . import TrainError

__all__ = ["DATASETS", "ImageSplit", "load_split", "make_loader"]

DATASETS: dict[str, type[MNIST]] = {"fashion-mnist": FashionMNIST, "mnist": MNIST}


class ImageSplit(Dataset):
    """One split of an MNIST-like dataset held as float32 (N, 1, 28, 28) images in [0, 1].

    The values are those ``transforms.ToTensor()`` gives image by image; converting the split
    once, and indexing it with a whole list of indices per batch, replaces 64 PIL round trips
    and a collate per batch with one fancy index.

    Args:
        source: the dataset read from its IDX files.
    """

    def __init__(self, source: MNIST) -> None:
        self.images = source.data.unsqueeze(1).float().div(255)
        self.targets: Tensor = source.targets
        self.classes: list[str] = list(source.classes)
        self.folder = source._data_folder()  # where the files were found, for the log

    def __getitem__(self, index: int | list[int]) -> tuple[Tensor, Tensor]:
        """``(images, targets)`` of one sample, or of a batch when ``index`` is a list."""
        return self.images[index], self.targets[index]

    def __len__(self) -> int:
        return len(self.targets)


def load_split(name: str, root: str | os.PathLike, train: bool,
               download: bool = False) -> ImageSplit:
    """Read the train or test split of dataset ``name`` (a key of :data:`DATASETS`).

    Files are looked for in torchvision's layout under ``root`` and then in the system copy
    (see ``numtorch.vision.datasets.mnist``); ``download`` fetches them into ``root`` when
    neither has them.

    Raises:
        TrainError: the files are missing (the message says where they were looked for) or
            could not be downloaded.
    """
    try:
        source = DATASETS[name](root, train=train, download=download)
    except RuntimeError as error:  # what the dataset classes raise for missing files
        raise TrainError(f"{error}\nGive the folder with --data DIR, or add --download.") \
            from error
    return ImageSplit(source)


def make_loader(split: ImageSplit, batch_size: int, generator: Generator | None = None,
                num_workers: int = 0) -> DataLoader:
    """A loader of whole batches: shuffled by ``generator`` when one is given, else in order.

    The batch sampler is the loader's sampler (and ``batch_size=None``), so each batch is one
    ``split[list_of_indices]``. The loader gets the generator too: it draws its base seed from
    it first, as it does with ``shuffle=True``, so the order is the one
    ``DataLoader(split, batch_size, shuffle=True, generator=generator)`` gives.
    """
    order = (RandomSampler(split, generator=generator) if generator is not None
             else SequentialSampler(split))
    return DataLoader(split, sampler=BatchSampler(order, batch_size, drop_last=False),
                      batch_size=None, num_workers=num_workers, generator=generator)
