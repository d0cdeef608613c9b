"""torch.cuda on a CPU-only build: nothing is available."""

from __future__ import annotations

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all"]


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """Ignored, as torch does when CUDA is absent."""


def manual_seed_all(seed: int) -> None:
    """Ignored, as torch does when CUDA is absent."""
