"""Op-table entries: shape ops."""

from __future__ import annotations

from . import OpSpec

OPS: list[OpSpec] = []
