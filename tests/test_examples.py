"""The example programs run, on real PyTorch and unchanged under `numtorch run`."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import require_torch

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def check_linear_regression(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode == 0, proc.stderr
    losses = [float(x) for x in re.findall(r"^epoch \d+, loss (\S+)$", proc.stdout, re.M)]
    assert len(losses) == 3, proc.stdout
    assert losses[-1] < 1e-3, proc.stdout  # the noise alone gives about 5e-5
    assert "error in estimating w: tensor(" in proc.stdout
    assert "error in estimating b: tensor(" in proc.stdout


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_linear_regression_on_torch():
    require_torch()
    check_linear_regression(run(sys.executable, str(EXAMPLES / "linear_regression.py")))


def test_linear_regression_on_numtorch():
    script = str(EXAMPLES / "linear_regression.py")
    check_linear_regression(run(sys.executable, "-m", "numtorch", "run", script))
