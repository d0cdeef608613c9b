"""torch.cuda as a CPU-only torch build has it: nothing is available.

Queries answer "none"; calls that need a GPU raise the AssertionError CPU-only torch raises.
"""

from __future__ import annotations

__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all",
           "seed", "seed_all", "empty_cache", "memory_allocated", "max_memory_allocated",
           "is_bf16_supported", "current_device", "synchronize", "get_device_name", "init"]

_NOT_COMPILED = "Torch not compiled with CUDA enabled"


def is_available() -> bool:
    """False: numtorch never has a GPU."""
    return False


def device_count() -> int:
    """0: no GPU."""
    return 0


def is_initialized() -> bool:
    """False: CUDA never starts."""
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: no GPU."""
    return False


def manual_seed(seed: int) -> None:
    """Ignored, as torch does when CUDA is absent."""


def manual_seed_all(seed: int) -> None:
    """Ignored, as torch does when CUDA is absent."""


def seed() -> None:
    """Ignored, as torch does when CUDA is absent."""


def seed_all() -> None:
    """Ignored, as torch does when CUDA is absent."""


def empty_cache() -> None:
    """Nothing to free."""


def memory_allocated(device: object = None) -> int:
    """0 bytes: no GPU memory."""
    return 0


def max_memory_allocated(device: object = None) -> int:
    """0 bytes: no GPU memory."""
    return 0


def current_device() -> int:
    """Raises: there is no current CUDA device."""
    raise AssertionError(_NOT_COMPILED)


def synchronize(device: object = None) -> None:
    """Raises: there is no CUDA device to wait for."""
    raise AssertionError(_NOT_COMPILED)


def get_device_name(device: object = None) -> str:
    """Raises: there is no CUDA device to name."""
    raise AssertionError(_NOT_COMPILED)


def init() -> None:
    """Raises: CUDA cannot be initialised."""
    raise AssertionError(_NOT_COMPILED)
