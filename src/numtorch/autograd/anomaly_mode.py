"""Anomaly detection: backward raises as soon as a node returns NaN gradients.

numtorch does not record the forward traceback of each node (torch does, at a cost on every
op); the error names the backward node that produced the NaN.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled"]

_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.")


class _AnomalyState:
    enabled = False
    check_nan = True


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` or after ``set_detect_anomaly(True)``."""
    return _AnomalyState.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _AnomalyState.enabled and _AnomalyState.check_nan


def _set(mode: bool, check_nan: bool) -> tuple[bool, bool]:
    prev = (_AnomalyState.enabled, _AnomalyState.check_nan)
    _AnomalyState.enabled, _AnomalyState.check_nan = mode, check_nan
    return prev


class detect_anomaly:
    """Context manager: check every backward node's gradients for NaN while inside."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn(_WARNING, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        self.prev = _set(True, self.check_nan)

    def __exit__(self, *exc: Any) -> None:
        _set(*self.prev)


class set_detect_anomaly:
    """Turn anomaly detection on or off now; as a context manager, undone at the end."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        _set(*self.prev)
