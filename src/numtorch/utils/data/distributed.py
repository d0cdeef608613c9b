"""``DistributedSampler``: each rank visits its own share of a dataset."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

from ... import Generator, randperm
from .sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler[int]):
    """Split a dataset's keys between ``num_replicas`` ranks; rank ``r`` takes every
    ``num_replicas``-th key starting at ``r``.

    Every rank gets the same number of keys: the list is padded by repeating its first keys
    (or, with ``drop_last``, trimmed) to a multiple of ``num_replicas``. With ``shuffle`` the
    keys are a ``randperm`` drawn from a generator seeded with ``seed + epoch``, the same on all
    ranks, so the shares never overlap; call ``set_epoch`` at the start of each epoch to get a
    new order.

    Args:
        dataset: the dataset (only its length is used).
        num_replicas: number of ranks (default: the default process group's world size).
        rank: this rank (default: its rank in the default process group).
        shuffle: shuffle the keys each epoch.
        seed: the shuffle's seed; must be the same on every rank.
        drop_last: drop the tail instead of padding.

    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            from ... import distributed as dist

            if not dist.is_available():
                raise RuntimeError("Requires distributed package to be available")
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            # the largest share every rank can have without repeating keys
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            g = Generator()
            g.manual_seed(self.seed + self.epoch)
            indices = randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:  # fewer keys than ranks: repeat the whole list as often as needed
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[:self.total_size]
        assert len(indices) == self.total_size
        share = indices[self.rank:self.total_size:self.num_replicas]
        assert len(share) == self.num_samples
        return iter(share)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which seeds the next shuffle (call it before each epoch's loop)."""
        self.epoch = epoch
