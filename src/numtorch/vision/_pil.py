"""Pillow, imported only when an image is actually made or read.

``import numtorch.vision`` must not import PIL (it is the optional ``vision`` extra), so the
modules here ask for it through :func:`image_module` at call time, and recognise PIL images
without importing it: an object can only be a PIL image if PIL is already in ``sys.modules``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

__all__ = ["image_module", "is_pil_image"]


def image_module() -> ModuleType:
    """``PIL.Image``, with an install hint when Pillow is missing."""
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            "numtorch.vision needs Pillow for images: pip install 'numtorch[vision]' "
            "(or pip install pillow)") from e
    return Image


def is_pil_image(obj: Any) -> bool:
    """True if ``obj`` is a ``PIL.Image.Image``; never imports PIL itself."""
    pil = sys.modules.get("PIL.Image")
    return pil is not None and isinstance(obj, pil.Image)
