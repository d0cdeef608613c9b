"""torch's names for what a checkpoint holds, in both directions.

A checkpoint names its globals as torch spells them (``torch._utils._rebuild_tensor_v2``,
``torch.FloatStorage``, ``torch.float32``), so that torch reads numtorch's files and numtorch
reads torch's. Saving writes placeholders (``TorchGlobal``) under those names; loading maps the
names back onto numtorch objects.
"""

from __future__ import annotations

from .. import _dtype

# the storage class torch pickles for each element type
STORAGE_NAMES = {
    "float32": "FloatStorage", "float64": "DoubleStorage", "float16": "HalfStorage",
    "int64": "LongStorage", "int32": "IntStorage", "int16": "ShortStorage",
    "int8": "CharStorage", "uint8": "ByteStorage", "bool": "BoolStorage",
}

# torch element types numtorch has no dtype for: loading them fails with a clear message
MISSING_DTYPES = ("bfloat16", "complex32", "complex64", "complex128", "uint16", "uint32",
                  "uint64", "float8_e4m3fn", "float8_e5m2", "qint8", "quint8", "qint32")
MISSING_STORAGES = ("BFloat16Storage", "ComplexFloatStorage", "ComplexDoubleStorage",
                    "QInt8Storage", "QUInt8Storage", "QInt32Storage", "QUInt4x2Storage")

# torch rebuild functions for tensors numtorch cannot represent
UNSUPPORTED_REBUILDS = {
    "_rebuild_qtensor": "quantized tensors",
    "_rebuild_sparse_tensor": "sparse tensors",
    "_rebuild_sparse_csr_tensor": "sparse tensors",
    "_rebuild_meta_tensor_no_storage": "meta tensors",
    "_rebuild_wrapper_subclass": "tensor subclasses",
    "_rebuild_device_tensor_from_numpy": "device tensors",
    "_rebuild_nested_tensor": "nested tensors",
}


class TorchGlobal:
    """A stand-in for a torch global; the pickler writes it as ``GLOBAL module name``."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"

    def __call__(self, *args: object) -> None:
        # pickle insists that the function of a reduce tuple be callable; this one never runs
        raise TypeError(f"{self!r} is a placeholder for pickling, not the torch function")


_GLOBALS: dict[tuple[str, str], TorchGlobal] = {}


def torch_global(module: str, name: str) -> TorchGlobal:
    """The one placeholder for ``module.name``: one object, so the pickler memoizes it and
    writes the GLOBAL once per file, as torch does."""
    key = (module, name)
    if key not in _GLOBALS:
        _GLOBALS[key] = TorchGlobal(module, name)
    return _GLOBALS[key]


REBUILD_TENSOR_V2 = torch_global("torch._utils", "_rebuild_tensor_v2")
REBUILD_PARAMETER = torch_global("torch._utils", "_rebuild_parameter")
SIZE = torch_global("torch", "Size")
DEVICE = torch_global("torch", "device")


def storage_global(dtype: _dtype.dtype) -> TorchGlobal:
    """``torch.FloatStorage`` and friends: how a persistent id names a storage's type."""
    return torch_global("torch", STORAGE_NAMES[dtype.name])


def global_name(obj: object) -> tuple[str, str] | None:
    """``(module, name)`` under which ``obj`` is pickled as a torch global, else None."""
    if isinstance(obj, TorchGlobal):
        return obj.module, obj.name
    if isinstance(obj, _dtype.dtype):  # torch pickles a dtype as the global torch.<name>
        return "torch", obj.name
    return None


class StorageType:
    """What ``torch.FloatStorage`` (and the other storage classes) unpickle to: the element
    type of a storage named by a persistent id."""

    __slots__ = ("dtype",)

    def __init__(self, dtype: _dtype.dtype) -> None:
        self.dtype = dtype

    def __repr__(self) -> str:
        return f"torch.{STORAGE_NAMES[self.dtype.name]}"


STORAGE_TYPES = {STORAGE_NAMES[d.name]: StorageType(d) for d in _dtype.ALL}
DTYPES = {d.name: d for d in _dtype.ALL}
