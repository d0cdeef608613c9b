"""numtorch.utils: what ``torch.utils`` offers (data loading so far)."""

from . import data

__all__ = ["data"]
