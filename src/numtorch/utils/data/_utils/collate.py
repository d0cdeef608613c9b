"""Turning a list of samples into a batch: ``default_collate`` and ``default_convert``.

The rules are torch's: tensors are stacked along a new first dim; Python ints become an int64
tensor, floats a float64 tensor, bools a bool tensor; NumPy arrays and scalars become tensors of
their own dtype; strings and bytes stay as lists; dicts, namedtuples and sequences keep their
structure and are collated field by field (a tuple of fields comes back as a list, as in torch).

Stacking works on the ``_data`` ndarrays directly: one ``np.stack`` per field, no autograd
bookkeeping, unless a sample requires grad (then ``numtorch.stack`` records the graph).
"""

from __future__ import annotations

import collections.abc as abc
import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from .... import Tensor, promote_types, tensor
from ...._dtype import _FROM_NUMPY, from_numpy_dtype
from ....autograd.grad_mode import is_grad_enabled

__all__ = ["collate", "default_collate", "default_convert", "default_collate_fn_map",
           "collate_tensor_fn", "collate_numpy_array_fn", "collate_numpy_scalar_fn",
           "collate_float_fn", "collate_int_fn", "collate_str_fn"]

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}")

# NumPy dtype codes torch refuses to turn into tensors: bytes, unicode and object arrays
_STR_OBJ_DTYPE = re.compile(r"[SaUO]")


class _TensorBatch(abc.Sequence):
    """A batch of ``TensorDataset`` samples already gathered into one array per tensor.

    NOTE [ Batched TensorDataset fetch ]
    ``TensorDataset.__getitems__(indices)`` gathers each tensor with one NumPy fancy index
    instead of building ``len(indices)`` tuples of views. The result still behaves as torch's
    list of sample tuples (``len``, indexing, iteration), so code that walks it sees samples;
    ``default_collate`` recognises it and returns the gathered arrays as the batch without a
    per-sample loop. The DataLoader hands a user's own ``collate_fn`` a real ``list`` instead,
    so what that function receives is exactly what torch would pass it.
    """

    __slots__ = ("arrays",)

    def __init__(self, arrays: tuple[np.ndarray, ...]) -> None:
        self.arrays = arrays

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return tuple(Tensor._make(a[index]) for a in self.arrays)

    def __repr__(self) -> str:
        return repr(list(self))


def _stack_size_error(arrays: list[np.ndarray]) -> RuntimeError:
    first = arrays[0].shape
    bad = next(i for i, a in enumerate(arrays) if a.shape != first)
    return RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)} at "
                        f"entry 0 and {list(arrays[bad].shape)} at entry {bad}")


def _stack_arrays(arrays: list[np.ndarray]) -> Tensor:
    """``torch.stack`` of plain (no-grad) arrays, with torch's dtype promotion."""
    try:
        out = np.stack(arrays)
    except ValueError:
        raise _stack_size_error(arrays) from None
    if out.dtype != arrays[0].dtype:
        # mixed dtypes: NumPy widens int + float32 to float64, torch keeps float32
        kinds = {_FROM_NUMPY[a.dtype] for a in arrays}
        target = kinds.pop()
        for k in kinds:
            target = promote_types(target, k)
        out = np.stack([a.astype(target.np, copy=False) for a in arrays])
    return Tensor._make(out)


def collate_tensor_fn(batch: list[Tensor], *, collate_fn_map: dict | None = None) -> Tensor:
    """Stack tensors along a new first dimension."""
    if is_grad_enabled() and any(t._requires_grad for t in batch):
        import numtorch

        return numtorch.stack(batch, 0)  # keeps the graph, as torch's collate does
    return _stack_arrays([t._data for t in batch])


def collate_numpy_array_fn(batch: list[np.ndarray], *,
                           collate_fn_map: dict | None = None) -> Tensor:
    """Stack NumPy arrays into a tensor of their dtype; string and object arrays are refused."""
    elem = batch[0]
    if _STR_OBJ_DTYPE.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    for arr in batch:
        from_numpy_dtype(arr.dtype)  # torch's TypeError for dtypes tensors cannot hold
    return _stack_arrays([np.asarray(a) for a in batch])


def collate_numpy_scalar_fn(batch: list[Any], *, collate_fn_map: dict | None = None) -> Tensor:
    """NumPy scalars (``np.float32(1)``...) keep their dtype: a 1-D tensor of it."""
    arr = np.array(batch)
    from_numpy_dtype(arr.dtype)
    return Tensor._make(arr)


def collate_float_fn(batch: list[float], *, collate_fn_map: dict | None = None) -> Tensor:
    """Python floats are double precision, so the batch is float64 (not the default dtype)."""
    return Tensor._make(np.array(batch, dtype=np.float64))


def collate_int_fn(batch: list[int], *, collate_fn_map: dict | None = None) -> Tensor:
    """``torch.tensor(batch)``: ints give int64, all-bool gives bool, a float among them float32."""
    return tensor(batch)


def collate_str_fn(batch: list[Any], *, collate_fn_map: dict | None = None) -> list[Any]:
    """Strings and bytes are left as a list."""
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    Tensor: collate_tensor_fn,
    (np.ndarray, np.memmap): collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def _lookup(elem: Any, collate_fn_map: dict) -> Callable | None:
    """The handler for ``elem``: an exact type match first, then the first ``isinstance`` match.

    The order matters: ``np.float64`` subclasses ``float`` but must be collated as a NumPy
    scalar, and ``bool`` subclasses ``int`` (which is what makes a bool batch a bool tensor).
    """
    fn = collate_fn_map.get(type(elem))
    if fn is not None:
        return fn
    for kind, handler in collate_fn_map.items():
        if isinstance(elem, kind):
            return handler
    return None


def _rebuild_mapping(elem: abc.Mapping, values: dict) -> abc.Mapping:
    """The collated values in a mapping of ``elem``'s type, or a plain dict if it can't be made."""
    try:
        if isinstance(elem, abc.MutableMapping):
            clone = copy.copy(elem)  # keeps extra state, e.g. a defaultdict's factory
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _rebuild_sequence(elem: abc.Sequence, values: list) -> Any:
    """The collated fields in a sequence of ``elem``'s type, or a list if it can't be made."""
    try:
        if isinstance(elem, abc.MutableSequence):
            clone = copy.copy(elem)
            for i, value in enumerate(values):
                clone[i] = value
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def collate(batch: Any, *, collate_fn_map: dict | None = None) -> Any:
    """Collate ``batch`` (a sequence of samples) using the handlers in ``collate_fn_map``.

    Types without a handler are walked: mappings key by key, namedtuples and sequences field by
    field. ``default_collate`` is this function with ``default_collate_fn_map``.
    """
    if type(batch) is _TensorBatch:
        return [Tensor._make(a) for a in batch.arrays]
    elem = batch[0]
    if collate_fn_map is not None:
        handler = _lookup(elem, collate_fn_map)
        if handler is not None:
            return handler(batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, abc.Mapping):
        values = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                  for key in elem}
        return _rebuild_mapping(elem, values)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(collate(field, collate_fn_map=collate_fn_map)
                            for field in zip(*batch)))
    if isinstance(elem, abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [collate(field, collate_fn_map=collate_fn_map) for field in zip(*batch)]
        if isinstance(elem, tuple):
            return fields  # torch returns the fields of tuple samples as a list
        return _rebuild_sequence(elem, fields)
    raise TypeError(default_collate_err_msg_format.format(type(elem)))


def default_collate(batch: Any) -> Any:
    """Merge a list of samples into a batch, the way ``torch.utils.data.default_collate`` does.

    Args:
        batch: a sequence of samples, each a tensor, NumPy array or scalar, number, string, or a
            (nested) dict / namedtuple / sequence of those.

    Returns:
        The batch, with every leaf turned into a tensor with a new leading batch dimension.

    >>> default_collate([(0, 'a'), (1, 'b')])
    [tensor([0, 1]), ('a', 'b')]
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def _is_numpy_value(data: Any) -> bool:
    """NumPy arrays and scalars, but not ``np.str_`` / ``np.bytes_`` (those are strings)."""
    return isinstance(data, (np.ndarray, np.generic)) and not isinstance(data, (str, bytes))


def default_convert(data: Any) -> Any:
    """Turn NumPy arrays and scalars inside ``data`` into tensors; everything else is kept.

    This is the collate function used when automatic batching is off (``batch_size=None``).
    Tuples come back as lists, as in torch.

    >>> default_convert({'x': np.array([1.0])})
    {'x': tensor([1.], dtype=torch.float64)}
    """
    if isinstance(data, Tensor):
        return data
    if _is_numpy_value(data):
        if isinstance(data, np.ndarray) and _STR_OBJ_DTYPE.search(data.dtype.str) is not None:
            return data
        arr = np.asarray(data)
        from_numpy_dtype(arr.dtype)
        return Tensor._make(arr)
    if isinstance(data, abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data
