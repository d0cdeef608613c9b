"""numtorch._malloc: the allocator setting `numtorch run` / `numtorch train` apply."""

import ctypes
import subprocess
import sys

import pytest

from numtorch import _malloc


def _glibc() -> bool:
    try:
        ctypes.CDLL(None).mallopt  # noqa: B018 - the lookup is the question
    except (OSError, AttributeError):
        return False
    return sys.platform.startswith("linux")


@pytest.mark.skipif(not _glibc(), reason="glibc's mallopt only")
def test_applies_in_a_fresh_process() -> None:
    code = "from numtorch._malloc import keep_freed_memory; print(keep_freed_memory())"
    env = {k: v for k, v in __import__("os").environ.items() if k not in _malloc._USER_CHOICE}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.strip() == "True"


def test_a_users_own_choice_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "131072")
    assert _malloc.keep_freed_memory() is False


def test_import_numtorch_does_not_apply_it() -> None:
    code = "import sys, numtorch; print('numtorch._malloc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
