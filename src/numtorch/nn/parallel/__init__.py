"""``torch.nn.parallel``: DistributedDataParallel (multi-process data parallelism on the CPU)."""

from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
