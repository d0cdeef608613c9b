"""Op-table entries: linalg ops."""

from __future__ import annotations

from . import OpSpec

OPS: list[OpSpec] = []
