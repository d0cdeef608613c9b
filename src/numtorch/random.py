"""``torch.random``: seeding the default generator, its state, and ``fork_rng``.

There is no accelerator, so the CPU generator is the only one to seed, save or restore.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ._random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state", "thread_safe_generator"]

_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip",
                 "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")


@contextmanager
def fork_rng(devices: Iterable[Any] | None = None, enabled: bool = True,
             _caller: str = "fork_rng", _devices_kw: str = "devices",
             device_type: str | None = None) -> Iterator[None]:
    """Run a block with the default generator's state saved and restored afterwards, so the
    block's draws do not move the stream outside it.

    Args:
        devices: accelerator devices to fork as well; none exist here, so naming one raises.
        enabled: when False, do nothing.
        device_type: the accelerator type (``"cuda"`` by default).

    >>> with torch.random.fork_rng():
    ...     _ = torch.rand(3)
    """
    if device_type == "meta":
        yield
        return
    kind = device_type or "cuda"
    if kind not in _DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of "
                           f"device string: {kind}")
    if not enabled:
        yield
        return
    if devices is not None and list(devices):
        raise AssertionError("Torch not compiled with CUDA enabled")
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator() -> Generator | None:
    """The generator of the current DataLoader thread worker; None elsewhere (numtorch's
    workers are processes, so always None: functions then use the default generator)."""
    return None
