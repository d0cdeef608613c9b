"""Samplers: the order in which a DataLoader visits a map-style dataset.

A sampler yields dataset keys; ``BatchSampler`` groups another sampler's keys into lists.
The random samplers draw from a numtorch ``Generator`` (or, without one, from a fresh
generator seeded from the default generator at the start of every epoch, as torch does).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

from ... import Generator, Tensor, as_tensor, empty, float64, int64, multinomial, randint, randperm

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

T_co = TypeVar("T_co", covariant=True)

# RandomSampler with replacement draws its indices in blocks of this many
_REPLACEMENT_BLOCK = 32


class Sampler(Generic[T_co]):
    """Base class: subclasses implement ``__iter__`` over dataset keys, and ideally ``__len__``."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """``0, 1, ..., len(data_source) - 1``, in order."""

    data_source: Sized

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


def _draw_seed(generator: Generator | None = None) -> int:
    """A fresh 63-bit seed drawn from ``generator`` (the default generator for None).

    The same draw as torch's ``torch.empty((), dtype=torch.int64).random_(generator=g)``, so
    ``manual_seed`` makes every later shuffle reproducible, and equal to torch's.
    """
    return int(empty((), dtype=int64).random_(generator=generator).item())


def _epoch_generator() -> Generator:
    """Without a generator, each epoch shuffles with a new one seeded from the default one."""
    return Generator().manual_seed(_draw_seed())


class RandomSampler(Sampler[int]):
    """Random keys: a permutation per pass without replacement, independent draws with it.

    Args:
        data_source: the dataset to sample from.
        replacement: draw with replacement.
        num_samples: how many keys to yield (default ``len(data_source)``); without replacement
            more than ``len`` walks several permutations.
        generator: the generator to draw from (default: a new one seeded each epoch from the
            default generator).
    """

    data_source: Sized
    replacement: bool

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None,
                 generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        # read lazily: the dataset may change size after the sampler is built
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        generator = self.generator if self.generator is not None else _epoch_generator()
        if self.replacement:
            yield from self._with_replacement(n, generator)
        else:
            yield from self._permutations(n, generator)

    def _with_replacement(self, n: int, generator: Generator) -> Iterator[int]:
        full, rest = divmod(self.num_samples, _REPLACEMENT_BLOCK)
        for size in [_REPLACEMENT_BLOCK] * full + [rest]:
            yield from randint(0, n, (size,), dtype=int64, generator=generator).tolist()

    def _permutations(self, n: int, generator: Generator) -> Iterator[int]:
        full, rest = divmod(self.num_samples, n)
        for _ in range(full):
            yield from randperm(n, generator=generator).tolist()
        yield from randperm(n, generator=generator).tolist()[:rest]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a random order (a new permutation every epoch)."""

    indices: Sequence[int]

    def __init__(self, indices: Sequence[int],
                 generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """Keys ``0..len(weights)-1`` drawn with probability proportional to ``weights``.

    Args:
        weights: a 1-D sequence of non-negative weights (need not sum to 1).
        num_samples: how many keys to draw.
        replacement: draw with replacement (without it a key appears at most once).
        generator: the generator to draw from.

    >>> sampler = WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, replacement=True)
    >>> len(list(sampler))
    5
    """

    weights: Tensor
    num_samples: int
    replacement: bool

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Generator | None = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or \
                num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError("replacement should be a boolean value, but got "
                             f"replacement={replacement}")
        weights_tensor = as_tensor(weights, dtype=float64)
        if weights_tensor.dim() != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        drawn = multinomial(self.weights, self.num_samples, self.replacement,
                                    generator=self.generator)
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group the keys of ``sampler`` into lists of ``batch_size``.

    Args:
        sampler: any iterable of keys (a sampler, a range, a list...).
        batch_size: keys per batch.
        drop_last: drop the last batch when it is smaller than ``batch_size``.

    >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        keys = iter(self.sampler)
        while True:
            batch = list(itertools.islice(keys, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
