"""The text of ``repr(tensor)`` and the print options that shape it, matching torch's output.

Everything here was written from torch's observed output, character for character.

NOTE [ How a tensor is laid out ]
One formatter decides, from the values that will be shown, a single text form (plain integers,
integer-valued floats as ``1.``, fixed point, or scientific) and a single width; every value is
right-aligned to that width. Past ``threshold`` elements only ``edgeitems`` entries at each end of
every dimension are shown, with ``...`` between, and the formatter sees only those entries. A 1-d
row wraps to fit ``linewidth``; a block of rank k separates its sub-blocks with k-1 newlines.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np

__all__ = [
    "PRINT_OPTS",
    "format_array",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
    "tensor_repr",
]


class _PrintOptions:
    """The options ``set_printoptions`` sets (a plain class: ``dataclasses`` costs a millisecond
    to import, and this module is imported by the first ``repr`` of a tensor)."""

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self, precision: int = 4, threshold: float = 1000, edgeitems: int = 3,
                 linewidth: int = 80, sci_mode: bool | None = None) -> None:
        self.precision = precision
        self.threshold = threshold
        self.edgeitems = edgeitems
        self.linewidth = linewidth
        self.sci_mode = sci_mode

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": _PrintOptions(),
    "short": _PrintOptions(precision=2, edgeitems=2),
    "full": _PrintOptions(threshold=math.inf),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set the options used to print tensors, as ``torch.set_printoptions`` does.

    Args:
        precision: digits after the decimal point (default 4).
        threshold: element count above which a tensor is summarised with ``...`` (default 1000).
        edgeitems: entries kept at each end of every summarised dimension (default 3).
        linewidth: characters per line before a row wraps (default 80).
        profile: ``'default'``, ``'short'`` or ``'full'``; applied first, so the other
            arguments override it. Other names are ignored, as in torch.
        sci_mode: force (True) or forbid (False) scientific notation. Not passing it restores the
            automatic choice, even when other options are being set.

    >>> set_printoptions(precision=2)
    >>> set_printoptions(profile="default")
    """
    if profile in _PROFILES:
        _copy_options(_PROFILES[profile], into=PRINT_OPTS)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems,
             "linewidth": linewidth}
    for name, value in given.items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments that ``set_printoptions`` accepts."""
    return PRINT_OPTS.as_dict()


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Set print options (``set_printoptions``'s arguments) for a ``with`` block only.

    >>> with printoptions(precision=2):
    ...     pass
    """
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


def _copy_options(source: _PrintOptions, *, into: _PrintOptions) -> None:
    for name, value in source.as_dict().items():
        setattr(into, name, value)


class _Tensorish(Protocol):
    """What ``tensor_repr`` reads from a Tensor."""

    _data: np.ndarray
    requires_grad: bool
    grad_fn: Any


def tensor_repr(t: _Tensorish) -> str:
    """``repr(t)`` (also ``str(t)``) for a numtorch Tensor, exactly as torch writes it.

    >>> tensor_repr(numtorch.tensor([1.0, 2.0], requires_grad=True))
    'tensor([1., 2.], requires_grad=True)'
    """
    if t.grad_fn is not None:
        suffixes = [f"grad_fn=<{t.grad_fn.name()}>"]
    elif t.requires_grad:
        suffixes = ["requires_grad=True"]
    else:
        suffixes = []
    return format_array(t._data, suffixes=suffixes)


def format_array(
    array: np.ndarray, *, suffixes: Sequence[str] = (), prefix: str = "tensor("
) -> str:
    """torch's text for a tensor holding ``array``: values, ``size=``/``dtype=``, ``suffixes``.

    Args:
        array: the values; bool, (unsigned) integer or float dtype.
        suffixes: extra ``key=value`` items after the dtype, such as ``'requires_grad=True'``.
        prefix: the text before the values; continuation lines are indented by its length.

    Returns:
        The whole text, ``prefix`` through the closing ``)``.

    >>> format_array(np.array([[1.0, 2.0], [3.0, 4.0]]))
    'tensor([[1., 2.],\\n        [3., 4.]], dtype=torch.float64)'
    """
    array = np.asarray(array)  # a NumPy scalar prints as the 0-d tensor it stands for
    body, size_suffixes = _body(array, indent=len(prefix))
    all_suffixes = [*size_suffixes, *_dtype_suffixes(array), *suffixes]
    return _attach_suffixes(prefix + body, all_suffixes, indent=len(prefix))


def _body(array: np.ndarray, indent: int) -> tuple[str, list[str]]:
    """The bracketed values, and a ``size=`` suffix when torch names the shape."""
    size_suffix = [f"size={tuple(array.shape)}"]
    if array.size == 0:
        # A 1-d empty tensor is the one shape that ``[]`` describes fully.
        return "[]", size_suffix if array.ndim != 1 else []
    # With edgeitems 0 torch names the size of every non-empty tensor, summarised or not.
    named = size_suffix if PRINT_OPTS.edgeitems == 0 else []
    summarise = array.size > PRINT_OPTS.threshold
    if summarise and PRINT_OPTS.edgeitems == 0 and array.ndim:
        return "[...]", named  # no entry survives; a 0-d value is still shown below
    shown = _shown_values(array) if summarise else array
    return _render(array, _Formatter(shown), indent, summarise), named


def _dtype_suffixes(array: np.ndarray) -> list[str]:
    name = f"torch.{array.dtype.name}"  # numpy's names match torch's for every supported dtype
    implicit = {_default_float_name()}
    if array.size:
        # Digits tell an int64 or bool tensor apart from a float one; an empty "[]" does not.
        implicit |= {"torch.int64", "torch.bool"}
    return [] if name in implicit else [f"dtype={name}"]


def _default_float_name() -> str:
    # Imported here, not at module level: the dtype module may not exist yet or may import us.
    try:
        from numtorch._dtype import get_default_dtype
    except ImportError:
        return "torch.float32"
    return str(get_default_dtype())


def _halves(array: np.ndarray, summarise: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The entries shown along axis 0: all of them, or a head and a tail with ``...`` between."""
    edge = PRINT_OPTS.edgeitems
    if summarise and len(array) > 2 * edge:
        # Plain slices on purpose: torch gives a negative edgeitems the same slicing meaning.
        return array[:edge], array[-edge:]
    return array, None


def _shown_values(array: np.ndarray) -> np.ndarray:
    """The summarised entries only: torch picks the number format from these alone."""
    for axis in range(array.ndim):
        head, tail = _halves(np.moveaxis(array, axis, 0), summarise=True)
        if tail is not None:
            array = np.moveaxis(np.concatenate([head, tail]), 0, axis)
    return array


def _render(array: np.ndarray, formatter: _Formatter, indent: int, summarise: bool) -> str:
    """Bracketed text of ``array``, whose first line starts at column ``indent``."""
    if array.ndim == 0:
        return formatter.format(array.item())
    head, tail = _halves(array, summarise)
    if array.ndim == 1:
        texts = [formatter.format(value) for value in head.tolist()]
        if tail is not None:
            texts += [" ...", *(formatter.format(value) for value in tail.tolist())]
        return _wrap_row(texts, formatter.width, indent)
    blocks = [_render(sub, formatter, indent + 1, summarise) for sub in head]
    if tail is not None:
        blocks += ["...", *(_render(sub, formatter, indent + 1, summarise) for sub in tail)]
    # Sub-blocks of a rank-k block are set apart by k-1 newlines: rows touch, matrices have a gap.
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(blocks) + "]"


def _wrap_row(texts: list[str], width: int, indent: int) -> str:
    # Every entry counts as the common width plus ", ", even the wider ' ...' or an unpadded nan.
    per_line = max(1, int((PRINT_OPTS.linewidth - indent) // (width + 2)))
    lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _attach_suffixes(text: str, suffixes: Sequence[str], indent: int) -> str:
    """Close ``text`` with ``)``, adding each suffix on the current line if it fits, else below."""
    parts = [text]
    # torch counts the values' last line two columns wider than it is, but a line that a suffix
    # started at its true width; both are kept so that wrapped suffixes land where torch puts them.
    used = len(text) - text.rfind("\n") - 1 + 2
    for suffix in suffixes:
        if used + 2 + len(suffix) > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            used = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            used += 2 + len(suffix)
    parts.append(")")
    return "".join(parts)


class _Formatter:
    """One text form and one width for every value shown (see NOTE [ How a tensor is laid out ])."""

    def __init__(self, shown: np.ndarray) -> None:
        if shown.dtype.kind not in "biuf":
            raise TypeError(f"printing is not supported for dtype {shown.dtype}")
        self.floating = shown.dtype.kind == "f"
        self.precision = PRINT_OPTS.precision
        self.int_mode = True  # floats only: integer-valued floats print as '3.'
        self.sci_mode = False
        flat = shown.ravel()
        if self.floating:
            # Zeros, nan and inf say nothing about scale, and torch leaves them out of the width.
            flat = flat[np.isfinite(flat) & (flat != 0)]
            if flat.size:
                self._choose_float_form(flat)
        self.width = max(map(len, map(self._text, flat.tolist())), default=1)

    def _choose_float_form(self, values: np.ndarray) -> None:
        magnitudes = np.abs(values.astype(np.float64))
        largest, smallest = float(magnitudes.max()), float(magnitudes.min())
        self.int_mode = bool(np.all(values == np.ceil(values)))
        # The small-value test never fires for integer-valued floats: their smallest is at least 1.
        self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        if PRINT_OPTS.sci_mode is not None:
            self.sci_mode = PRINT_OPTS.sci_mode

    def _text(self, value: Any) -> str:
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f"{value:.{self.precision}e}"
        if self.int_mode:
            return f"{value:.0f}." if math.isfinite(value) else f"{value:.0f}"
        return f"{value:.{self.precision}f}"

    def format(self, value: Any) -> str:
        """``value`` as text, right-aligned to the common width (never cut if it is longer)."""
        return self._text(value).rjust(self.width)
