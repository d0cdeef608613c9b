"""torch.Size and torch.device."""

from __future__ import annotations

import builtins
import operator
from collections.abc import Iterable
from typing import Any

__all__ = ["Size", "device"]


class Size(tuple):
    """The shape of a tensor: a tuple of ints that prints as ``torch.Size([3, 4])``.

    >>> Size([3, 4])[1:]
    torch.Size([4])
    """

    def __new__(cls, sizes: Iterable[Any] = ()) -> Size:
        return tuple.__new__(cls, [_as_int(s, i) for i, s in enumerate(sizes)])

    def __repr__(self) -> str:
        return f"torch.Size({list(self)!r})"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item: Any) -> Any:
        out = tuple.__getitem__(self, item)
        return Size(out) if isinstance(item, slice) else out

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            "torch.Size")
        return Size(tuple.__add__(self, other))

    def __radd__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, times: Any) -> Size:
        return Size(tuple.__mul__(self, times))

    __rmul__ = __mul__

    def __reduce__(self) -> tuple:
        return (Size, (tuple(self),))


def _as_int(value: Any, position: int) -> int:
    # torch takes anything with __index__ (ints, NumPy ints, one-element integer tensors)
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"torch.Size() takes an iterable of 'int' (item {position} is "
                        f"'{type(value).__name__}')") from None


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")
_NO_ACCELERATOR = "Cannot access accelerator device when none is available."


class device:
    """Where a tensor lives: ``device('cpu')``, ``device('cuda', 0)``, ``device('cpu:0')``.

    Any of torch's device types can be named; numtorch computes on the CPU only, so a
    tensor asked for on CUDA raises torch's CPU-build error (``check_device``).

    >>> device("cpu")
    device(type='cpu')
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(_NO_ACCELERATOR)  # a bare index means "the accelerator"
        elif not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got "
                f"({builtins.type(type).__name__}), but expected one of:\n"
                " * (torch.device device)\n"
                "      didn't match because some of the arguments have invalid types: "
                f"(!{builtins.type(type).__name__}!)\n"
                " * (str type, int index = -1)\n")
        else:
            type, index = _parse(type, index)
        self.type, self.index = type, index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        # torch compares devices only with devices: device('cpu') == 'cpu' is False
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self) -> tuple:
        return (device, (str(self),))

    def __enter__(self) -> device:
        check_device(self)
        return self

    def __exit__(self, *exc: object) -> None:
        return None



def _parse(text: str, index: Any) -> tuple[str, int | None]:
    """Split ``'cuda:1'`` into type and index, with torch's errors for malformed strings."""
    name, colon, idx = text.partition(":")
    if not name.replace("_", "a").isalpha() or (colon and not idx.isdigit()):
        raise RuntimeError(f"Invalid device string: '{text}'")
    if name not in _DEVICE_TYPES:
        raise RuntimeError(
            f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device string: "
            f"{text}")
    if colon:
        index = int(idx)
    if index is not None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("device(): argument 'index' (position 2) must be int, not "
                            f"{builtins.type(index).__name__}")
        if index < 0:
            raise RuntimeError("Device index must not be negative")
    return name, index


CPU = device("cpu")


def check_device(dev: Any) -> device:
    """The device of a new tensor: the CPU; other devices raise what CPU-only torch raises."""
    if dev is None:
        return CPU
    d = dev if isinstance(dev, device) else device(dev)
    if d.type == "cpu":
        return CPU
    if d.type in ("cuda", "xpu"):
        raise AssertionError(f"Torch not compiled with {d.type.upper()} enabled")
    raise RuntimeError(f"numtorch computes on the CPU only; device '{d}' is not available")
