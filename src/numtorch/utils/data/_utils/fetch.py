"""Fetchers: turn one entry of the index sampler into one (collated) batch.

A map-style fetcher looks keys up; an iterable-style fetcher pulls the next samples from the
dataset's iterator (the keys from ``_InfiniteConstantSampler`` are placeholders: only how many
of them there are matters).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .collate import _TensorBatch, default_collate


class _DatasetKind:
    Map = 0
    Iterable = 1


class _MapDatasetFetcher:
    """``dataset[key]`` for each key, or one ``dataset.__getitems__(keys)`` when it has one."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, possibly_batched_index: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[possibly_batched_index])
        getitems = getattr(self.dataset, "__getitems__", None)
        if getitems:
            data = getitems(possibly_batched_index)
            if type(data) is _TensorBatch and self.collate_fn is not default_collate:
                data = list(data)  # a user's collate_fn gets torch's list of sample tuples
        else:
            data = [self.dataset[idx] for idx in possibly_batched_index]
        return self.collate_fn(data)


class _IterableDatasetFetcher:
    """The next ``len(keys)`` samples of the dataset's iterator (or the next one, unbatched)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable,
                 drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, possibly_batched_index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        wanted = len(possibly_batched_index)
        data = list(itertools.islice(self.dataset_iter, wanted))
        if len(data) < wanted:
            self.ended = True
            if not data or self.drop_last:
                raise StopIteration
        return self.collate_fn(data)


def create_fetcher(kind: int, dataset: Any, auto_collation: bool, collate_fn: Callable,
                   drop_last: bool) -> _MapDatasetFetcher | _IterableDatasetFetcher:
    """The fetcher for a dataset of ``kind`` (``_DatasetKind.Map`` or ``.Iterable``)."""
    cls = _MapDatasetFetcher if kind == _DatasetKind.Map else _IterableDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)
