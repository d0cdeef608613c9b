"""``torch.nn``: neural-network building blocks. ``nn.functional`` holds the stateless ops."""

from __future__ import annotations

from . import functional, init, parallel, utils
from .modules import *  # noqa: F403
from .modules import __all__ as _module_names
from .parameter import Buffer, Parameter

__all__ = ["functional", "init", "parallel", "utils", "Parameter", "Buffer", *_module_names]
