"""``torch.optim.lr_scheduler``: adjust each parameter group's learning rate over training.

The schedulers live in files by family (``_lr_decay``: factor schedules, ``_lr_cosine``:
annealing, ``_lr_cyclic``: CyclicLR, ``_lr_compose``: sequential/chained/plateau) on the base
in ``_lr_base``.
"""

from __future__ import annotations

from ._lr_base import EPOCH_DEPRECATION_WARNING, LRScheduler
from ._lr_compose import ChainedScheduler, ReduceLROnPlateau, SequentialLR
from ._lr_cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts, OneCycleLR
from ._lr_cyclic import CyclicLR
from ._lr_decay import (
    ConstantLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "CyclicLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR",
           "LRScheduler", "EPOCH_DEPRECATION_WARNING"]


class _LRScheduler(LRScheduler):
    """The base's old name, kept (as torch keeps it) for schedulers written against it."""
