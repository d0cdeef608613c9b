"""Helpers shared by the test suite."""

import os
from types import ModuleType

import pytest


def require_torch() -> ModuleType:
    """The torch module, for tests that compare with it.

    Without torch the calling test is skipped, except when CI=true: there it fails, so that a
    broken CI image cannot turn every differential test into a silent skip.
    """
    try:
        import torch
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("torch is required when CI=true: the differential tests compare with it")
        pytest.skip("torch is not installed")
    return torch


def _hypothesis_profile() -> None:
    """Every hypothesis test draws the same examples on every run: CI must not flake."""
    from hypothesis import settings

    settings.register_profile("numtorch", derandomize=True, deadline=None)
    settings.load_profile("numtorch")


_hypothesis_profile()
