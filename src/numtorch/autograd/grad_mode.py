"""Switches for gradient recording: no_grad, enable_grad, set_grad_enabled, inference_mode."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    # one process-wide flag, read on every op: a plain class attribute is the fastest lookup
    enabled = True
    inference = False


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded."""
    return _GradState.enabled


def is_inference_mode_enabled() -> bool:
    return _GradState.inference


class _DecoratorContextManager:
    """A context manager that also decorates functions (``@torch.no_grad()``)."""

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def clone(self) -> _DecoratorContextManager:
        return type(self)()


class no_grad(_DecoratorContextManager):
    """Disable gradient recording inside the block (``with torch.no_grad():``)."""

    def __new__(cls, orig_func: Callable | None = None) -> Any:
        if orig_func is not None:  # bare ``@torch.no_grad`` without parentheses
            return cls()(orig_func)
        return super().__new__(cls)

    def __init__(self, orig_func: Callable | None = None) -> None:
        self.prev = True

    def __enter__(self) -> None:
        self.prev = _GradState.enabled
        _GradState.enabled = False

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev


class enable_grad(_DecoratorContextManager):
    """Enable gradient recording inside the block, even within ``no_grad``."""

    def __enter__(self) -> None:
        self.prev = _GradState.enabled
        _GradState.enabled = True

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Set gradient recording on or off; works as a call, a context manager or a decorator."""

    def __init__(self, mode: bool) -> None:
        self.prev = _GradState.enabled
        self.mode = bool(mode)
        _GradState.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev

    def clone(self) -> set_grad_enabled:
        return set_grad_enabled.__new__(set_grad_enabled)._init_lazy(self.mode)

    def _init_lazy(self, mode: bool) -> set_grad_enabled:
        self.mode = mode
        return self

    def __call__(self, func: F) -> F:  # type: ignore[override]
        _GradState.enabled = self.prev  # as a decorator, the call above must not stick
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _GradState.enabled
            _GradState.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _GradState.enabled = prev

        return wrapper  # type: ignore[return-value]


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` (numtorch has no separate inference tensors)."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = (_GradState.enabled, _GradState.inference)
        if self.mode:
            _GradState.enabled, _GradState.inference = False, True

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled, _GradState.inference = self.prev

    def clone(self) -> inference_mode:
        return inference_mode(self.mode)
