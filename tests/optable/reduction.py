"""Op-table entries: reduction ops."""

from __future__ import annotations

from . import OpSpec

OPS: list[OpSpec] = []
