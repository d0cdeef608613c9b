"""Named tuples of ``torch.return_types`` with any number of fields (slogdet, linalg_qr,
linalg_svd, aminmax...), registered on the ``return_types`` class of ``reduction.py``.
"""

from __future__ import annotations

from typing import Any

from .reduction import _StructSeq, return_types


class _Named(_StructSeq):
    """A named tuple of torch.return_types with any number of fields (``_names``)."""

    def __new__(cls, sequence: Any) -> _Named:
        items = tuple(sequence)
        if len(items) != len(cls._names):
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a "
                            f"{len(cls._names)}-sequence ({len(items)}-sequence given)")
        return tuple.__new__(cls, items)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[type(self)._names.index(name)]
        except ValueError:
            raise AttributeError(name) from None


def return_type(name: str, fields: tuple[str, ...]) -> type:
    """A new ``torch.return_types.<name>`` with ``fields``, also set on ``return_types``."""
    cls = type(name, (_Named,), {"__module__": __name__, "__qualname__": f"return_types.{name}",
                                 "__slots__": (), "_names": fields,
                                 "n_fields": len(fields), "n_sequence_fields": len(fields)})
    setattr(return_types, name, cls)
    return cls
